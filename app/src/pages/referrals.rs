//! For partner organisations: `/referrals`, the inbox of referrals to their organisation
//! (new, accepted, overdue, completed), and `/referrals/:id`, one referral in the need-to-know
//! view, answered, served and completed from the page.

use crate::api::referrals::{
    get_referral, list_incoming, CompleteReferral, RecordService, RespondReferral,
};
use crate::components::dates::{format_iso_date, format_timestamp, num};
use crate::components::fields::{CalendarInput, DateField, FormAlert, Submit, TextArea};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{
    inbox_tab_label, location_name, referral_status_label, service_label,
};
use crate::components::print::PrintButton;
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::flash::Flash;
use crate::model::referrals::PartnerReferral;
use crate::pages::cases::documents::SharedDocuments;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::referral::{InboxTab, ReferralStatus};
use shared::Role;

#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let tab = move || query.read().get("tab").unwrap_or_default();
    let inbox = Resource::new(tab, list_incoming);
    view! {
        <Page roles=&[Role::Partner]>
            <Title text=tu_string!(i18n, inbox.title)/>
            <h1>{t!(i18n, inbox.title)}</h1>
            <p class="intro">{t!(i18n, inbox.intro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let inbox = match inbox.await {
                        Ok(i) => i,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    view! {
                        <nav class="tabs" aria-label=tu_string!(i18n, inbox.title)>
                            {inbox.counts.iter().map(|(t, n)| {
                                let current = *t == inbox.tab;
                                view! {
                                    <a href=format!("/referrals?tab={}", t.as_str()) class:current=current aria-current=current.then_some("page")>
                                        {inbox_tab_label(i18n, *t)}" "<span class="count">{num(i18n, n)}</span>
                                    </a>
                                }
                            }).collect_view()}
                        </nav>
                        {if inbox.rows.is_empty() {
                            view! { <p class="empty">{t!(i18n, inbox.empty)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="data inbox">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, inbox.case)}</th>
                                                <th scope="col">{t!(i18n, inbox.service)}</th>
                                                <th scope="col">{t!(i18n, inbox.province)}</th>
                                                <th scope="col">{t!(i18n, inbox.sent)}</th>
                                                <th scope="col">{if inbox.tab == InboxTab::Completed { t!(i18n, plan.status).into_any() } else { t!(i18n, inbox.due).into_any() }}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {inbox.rows.into_iter().map(|r| view! {
                                                <tr class:overdue=inbox.tab == InboxTab::Overdue>
                                                    <td><a href=format!("/referrals/{}", r.referral_id)><bdi dir="ltr">{r.case_number.clone()}</bdi></a></td>
                                                    <td>{service_label(i18n, r.service)}</td>
                                                    <td>{location_name(i18n, &r.province)}</td>
                                                    <td>{format_timestamp(i18n, &r.sent_at, None)}</td>
                                                    <td>{if r.status == ReferralStatus::Sent { format_timestamp(i18n, &r.due_at, None) } else { referral_status_label(i18n, r.status).to_string() }}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}

#[component]
pub fn PartnerReferralPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let locale = crate::pages::cases::assess::locale_code();
    let referral = Resource::new(move || (id(), locale()), |(id, l)| get_referral(id, l));
    let flashes = AnswerFlashes::load();
    view! {
        <Page roles=&[Role::Partner]>
            <Title text=tu_string!(i18n, inbox.title)/>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let r = match referral.await {
                        Ok(r) => r,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let forms = flashes.forms().await;
                    view! {
                        <p><a href="/referrals">{t!(i18n, inbox.back)}</a></p>
                        <PartnerReferralView r forms/>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}

/// The flashes of the three forms that answer a referral, loaded with the page.
#[derive(Clone, Copy)]
pub struct AnswerFlashes {
    respond: Resource<Option<Flash>>,
    service: Resource<Option<Flash>>,
    complete: Resource<Option<Flash>>,
}

/// The three forms that answer a referral, each with what its last post left.
#[derive(Clone, Copy)]
pub struct AnswerForms {
    respond: (ServerAction<RespondReferral>, FormState),
    service: (ServerAction<RecordService>, FormState),
    complete: (ServerAction<CompleteReferral>, FormState),
}

impl AnswerFlashes {
    pub fn load() -> Self {
        AnswerFlashes {
            respond: flash_resource::<RespondReferral>(),
            service: flash_resource::<RecordService>(),
            complete: flash_resource::<CompleteReferral>(),
        }
    }

    pub async fn forms(self) -> AnswerForms {
        let respond = ServerAction::<RespondReferral>::new();
        let service = ServerAction::<RecordService>::new();
        let complete = ServerAction::<CompleteReferral>::new();
        AnswerForms {
            respond: (respond, FormState::new(respond, self.respond.await)),
            service: (service, FormState::new(service, self.service.await)),
            complete: (complete, FormState::new(complete, self.complete.await)),
        }
    }
}

/// One referral in the need-to-know view, answered, served and completed from the page: for
/// an account of the partner (`/referrals/:id`) and for someone who opened it with its code
/// (`/r`) alike.
#[component]
pub fn PartnerReferralView(r: PartnerReferral, forms: AnswerForms) -> impl IntoView {
    let i18n = use_i18n();
    let (respond, respond_form) = forms.respond;
    let (service, service_form) = forms.service;
    let (complete, complete_form) = forms.complete;
    let status_class = format!("status referral-status-{}", r.status.as_str());
    let (rid, rid2, rid3, rid4) = (
        r.referral_id.clone(),
        r.referral_id.clone(),
        r.referral_id.clone(),
        r.referral_id.clone(),
    );
    let (version, version1, version2) = (
        r.version.to_string(),
        r.version.to_string(),
        r.version.to_string(),
    );
    view! {
        <PrintButton/>
        <div class="page-head case-head">
            <div>
                <p class="case-number"><bdi dir="ltr">{r.case_number.clone()}</bdi></p>
                <h1>{service_label(i18n, r.service)}</h1>
            </div>
            <p>
                <span class=status_class>{referral_status_label(i18n, r.status)}</span>
                {r.overdue.then(|| view! { " "<span class="status referral-overdue">{t!(i18n, referral.overdue)}</span> })}
            </p>
        </div>
        <div class="columns">
            <div class="main-column">
                <section class="panel" aria-labelledby="family-title">
                    <h2 id="family-title">{t!(i18n, inbox.people)}</h2>
                    {match r.family.clone() {
                        Some(f) => view! {
                            <ul class="people">
                                {f.people.iter().map(|(local, latin)| view! { <li><bdi>{crate::pages::cases::person_name(local, latin)}</bdi></li> }).collect_view()}
                            </ul>
                            <dl class="facts">
                                <dt>{t!(i18n, inbox.household_size)}</dt>
                                <dd>{num(i18n, f.household_size)}</dd>
                                <dt>{t!(i18n, inbox.phone)}</dt>
                                <dd><bdi dir="ltr">{f.phone.clone().unwrap_or_default()}</bdi></dd>
                                <dt>{t!(i18n, inbox.address)}</dt>
                                <dd dir="auto">{f.address.clone().unwrap_or_default()}</dd>
                                <dt>{t!(i18n, inbox.location)}</dt>
                                <dd>{location_name(i18n, &r.province)}" · "<bdi>{f.district.clone()}</bdi></dd>
                            </dl>
                        }.into_any(),
                        None => view! { <p class="hint">{t!(i18n, inbox.people_withheld)}</p> }.into_any(),
                    }}
                </section>
                <section class="panel" aria-labelledby="need-title">
                    <h2 id="need-title">{t!(i18n, inbox.need)}</h2>
                    <dl class="facts">
                        <dt>{t!(i18n, inbox.service)}</dt>
                        <dd>{service_label(i18n, r.service)}</dd>
                        {r.need_label.clone().map(|n| view! { <dt>{t!(i18n, inbox.need)}</dt><dd>{n}</dd> })}
                        <dt>{t!(i18n, inbox.referred_by)}</dt>
                        <dd><bdi>{r.caseworker.clone()}</bdi>" · "{format_timestamp(i18n, &r.sent_at, None)}</dd>
                        <dt>{t!(i18n, inbox.due)}</dt>
                        <dd>{format_timestamp(i18n, &r.due_at, None)}</dd>
                        {r.note.clone().map(|n| view! { <dt>{t!(i18n, inbox.note)}</dt><dd dir="auto" class="note-body">{n}</dd> })}
                    </dl>
                </section>
                <SharedDocuments referral_id=r.referral_id.clone() documents=r.documents.clone()/>
                {(!r.services.is_empty()).then(|| view! {
                    <section class="panel" aria-labelledby="services-title">
                        <h2 id="services-title">{t!(i18n, referral.services_delivered)}</h2>
                        <ul>
                            {r.services.iter().map(|(d, what)| view! { <li>{format_iso_date(i18n, d)}": "<span dir="auto">{what.clone()}</span></li> }).collect_view()}
                        </ul>
                    </section>
                })}
                {r.outcome.clone().map(|o| view! {
                    <section class="panel"><h2>{t!(i18n, inbox.outcome)}</h2><p dir="auto">{o}</p></section>
                })}
            </div>
            <div class="side-column">
                {(r.status == ReferralStatus::Sent).then(|| view! {
                    <section class="panel" aria-labelledby="respond-title">
                        <h2 id="respond-title">{t!(i18n, inbox.respond)}</h2>
                        <ActionForm action=respond attr:novalidate=true>
                            <FormAlert form=respond_form/>
                            <input type="hidden" name="referral_id" value=rid.clone()/>
                            <input type="hidden" name="version" value=version.clone()/>
                            <input type="hidden" name="decision" value="accept"/>
                            <Submit>{t!(i18n, inbox.accept)}</Submit>
                        </ActionForm>
                        <ActionForm action=respond attr:novalidate=true>
                            <input type="hidden" name="referral_id" value=rid2.clone()/>
                            <input type="hidden" name="version" value=version1.clone()/>
                            <input type="hidden" name="decision" value="decline"/>
                            <TextArea form=respond_form name="reason" rows=3>{t!(i18n, inbox.decline_reason)}</TextArea>
                            <button type="submit" class="button danger">{t!(i18n, inbox.decline)}</button>
                        </ActionForm>
                    </section>
                })}
                {(r.status == ReferralStatus::Accepted).then(|| view! {
                    <section class="panel" aria-labelledby="service-title">
                        <h2 id="service-title">{t!(i18n, inbox.record_service)}</h2>
                        <ActionForm action=service attr:novalidate=true>
                            <FormAlert form=service_form success=ViewFn::from(move || t!(i18n, saved))/>
                            <CalendarInput/>
                            <input type="hidden" name="referral_id" value=rid3.clone()/>
                            <DateField form=service_form name="delivered_on" required=true>{t!(i18n, inbox.delivered_on)}</DateField>
                            <TextArea form=service_form name="description" rows=2>{t!(i18n, inbox.description)}</TextArea>
                            <Submit>{t!(i18n, inbox.add_service)}</Submit>
                        </ActionForm>
                    </section>
                    <section class="panel" aria-labelledby="complete-title">
                        <h2 id="complete-title">{t!(i18n, inbox.complete)}</h2>
                        <ActionForm action=complete attr:novalidate=true>
                            <FormAlert form=complete_form/>
                            <input type="hidden" name="referral_id" value=rid4.clone()/>
                            <input type="hidden" name="version" value=version2.clone()/>
                            <TextArea form=complete_form name="outcome" rows=3>{t!(i18n, inbox.outcome)}</TextArea>
                            <Submit>{t!(i18n, inbox.complete)}</Submit>
                        </ActionForm>
                    </section>
                })}
            </div>
        </div>
    }
}
