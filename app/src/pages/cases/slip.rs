//! `/cases/:id/referrals/:referral_id/slip`: the slip a family carries to an organisation
//! without accounts — where to go, whom to see, and the reference and code (with a QR code of
//! the `/r` address) the organisation opens the referral with. The code is on it only right
//! after it was issued; printed from the browser (the print stylesheet leaves the slip alone
//! on an A5 page).

use super::refer::NewCodeButton;
use crate::api::referrals::{referral_slip, ReissueReferralCode};
use crate::components::dates::{format_timestamp, num};
use crate::components::fields::FormAlert;
use crate::components::layout::{ErrorPanel, Page};
use crate::components::me::use_me;
use crate::components::messages::service_label;
use crate::components::print::PrintButton;
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::referral_code::grouped;
use shared::Role;

#[component]
pub fn ReferralSlipPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let ids = move || {
        let p = params.read();
        (
            p.get("id").unwrap_or_default(),
            p.get("referral_id").unwrap_or_default(),
        )
    };
    let slip = Resource::new(ids, |(f, r)| referral_slip(f, r));
    let me = use_me();
    let reissue = ServerAction::<ReissueReferralCode>::new();
    let reissue_flash = flash_resource::<ReissueReferralCode>();
    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Title text=tu_string!(i18n, slip.title)/>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let (s, country) = match (slip.await, me.await) {
                        (Ok(s), Ok(m)) => (s, m.and_then(|m| m.country)),
                        (Err(e), _) | (_, Err(e)) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let form = FormState::new(reissue, reissue_flash.await);
                    let back = format!("/cases/{}#referrals", s.family_id);
                    let open = s.status.is_open();
                    let code = s.code.clone().map(|c| num(i18n, grouped(&c)));
                    let no_code = code.is_none();
                    let (family_id, referral_id) = (s.family_id.clone(), s.referral_id.clone());
                    view! {
                        <p class="no-print"><a href=back>{t!(i18n, assessment.back_to_case)}" · "<bdi dir="ltr">{s.case_number.clone()}</bdi></a></p>
                        <FormAlert form/>
                        {no_code.then(|| view! {
                            <div class="alert no-print">
                                <p>{t!(i18n, slip.code_shown_once)}</p>
                                {open.then(|| view! { <NewCodeButton action=reissue family_id referral_id/> })}
                            </div>
                        })}
                        {code.is_some().then(|| view! { <p class="hint no-print">{t!(i18n, slip.print_hint)}</p> })}
                        <PrintButton/>
                        <article class="slip">
                            <header class="slip-head">
                                <p class="brand">{t!(i18n, app_name)}</p>
                                <h1>{t!(i18n, slip.title)}</h1>
                            </header>
                            <p>{t!(i18n, slip.for_family)}</p>
                            <dl class="facts slip-facts">
                                <dt>{t!(i18n, slip.organisation)}</dt>
                                <dd><bdi>{s.organisation_name.clone()}</bdi></dd>
                                <dt>{t!(i18n, slip.service)}</dt>
                                <dd>{service_label(i18n, s.service)}</dd>
                                <dt>{t!(i18n, slip.whom)}</dt>
                                <dd><bdi>{s.contact.person.clone()}</bdi></dd>
                                <dt>{t!(i18n, slip.phone)}</dt>
                                <dd><bdi dir="ltr">{s.contact.phone.clone()}</bdi></dd>
                                <dt>{t!(i18n, slip.address)}</dt>
                                <dd><bdi>{s.contact.address.clone()}</bdi></dd>
                                <dt>{t!(i18n, slip.sent)}</dt>
                                <dd>{format_timestamp(i18n, &s.sent_at, country)}</dd>
                            </dl>
                            <div class="slip-codes">
                                <div class="slip-numbers">
                                    <p>
                                        <span class="label">{t!(i18n, slip.reference)}</span>
                                        <bdi dir="ltr" class="slip-reference">{num(i18n, grouped(&s.reference))}</bdi>
                                    </p>
                                    <p>
                                        <span class="label">{t!(i18n, slip.code)}</span>
                                        {match code.clone() {
                                            Some(c) => view! { <bdi dir="ltr" class="slip-code">{c}</bdi> }.into_any(),
                                            None => view! { <span class="slip-code missing">"—"</span> }.into_any(),
                                        }}
                                    </p>
                                    <p class="meta">{t!(i18n, slip.valid_until, date = format_timestamp(i18n, &s.expires_at, country))}</p>
                                </div>
                                <figure class="slip-qr">
                                    <div inner_html=s.qr_svg.clone()></div>
                                    <figcaption><bdi dir="ltr">{s.url.clone()}</bdi></figcaption>
                                </figure>
                            </div>
                            <p class="slip-instructions">{t!(i18n, slip.for_organisation)}</p>
                        </article>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}
