//! `/cases/:id/refer/:item_id`: refer a plan need to an organisation offering the service in
//! the family's province. On the family page: the case's referrals, with cancel.

use super::assess::locale_code;
use crate::api::referrals::{refer_form, CancelReferral, ReissueReferralCode, SendReferral};
use crate::components::chart::score_text;
use crate::components::dates::{format_iso_date, format_timestamp, num};
use crate::components::fields::{FormAlert, Submit, TextArea};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{dimension_label, options, referral_status_label, service_label};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::referrals::ReferralSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::achieved::Achieved;
use shared::assessment::Dimension;
use shared::referral::ReferralStatus;
use shared::referral_code::grouped;
use shared::service::ServiceCategory;
use shared::{Country, Role};

#[component]
pub fn ReferPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let family_id = move || params.read().get("id").unwrap_or_default();
    let item_id = move || params.read().get("item_id").unwrap_or_default();
    let service = move || query.read().get("service").unwrap_or_default();
    let locale = locale_code();
    let data = Resource::new(
        move || (family_id(), item_id(), service(), locale()),
        |(f, i, s, l)| refer_form(f, i, s, l),
    );
    let action = ServerAction::<SendReferral>::new();
    let flash = flash_resource::<SendReferral>();
    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Title text=tu_string!(i18n, referral.title)/>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let d = match data.await {
                        Ok(d) => d,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let form = FormState::new(action, flash.await);
                    let back = format!("/cases/{}", d.family_id);
                    let services = options(i18n, ServiceCategory::ALL, ServiceCategory::as_str, service_label);
                    let chosen = form.typed("organisation_id").unwrap_or_default();
                    let org_error = form.field_error("organisation_id");
                    view! {
                        <p><a href=back>{t!(i18n, assessment.back_to_case)}" · "<bdi dir="ltr">{d.case_number.clone()}</bdi></a></p>
                        <h1>{t!(i18n, referral.title)}</h1>
                        <p class="meta">{t!(i18n, plan.need)}": "<strong>{d.need_label.clone()}</strong></p>
                        {(!d.sharing_consent).then(|| view! {
                            <p class="alert alert-error" role="alert">{t!(i18n, errors.no_sharing_consent)}</p>
                        })}
                        // Choosing another service reloads the organisations (a GET form: no JavaScript needed).
                        <Form method="GET" action="" attr:class="service-choice">
                            <div class="field">
                                <label for="refer-service">{t!(i18n, plan.service)}</label>
                                <select id="refer-service" name="service">
                                    {services.into_iter().map(|(v, l)| {
                                        let selected = v == d.service.as_str();
                                        view! { <option value=v selected=selected>{l}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <button type="submit" class="button">{t!(i18n, referral.show_organisations)}</button>
                        </Form>
                        <ActionForm action attr:novalidate=true attr:class="refer-form">
                            <FormAlert form/>
                            <input type="hidden" name="family_id" value=d.family_id.clone()/>
                            <input type="hidden" name="plan_item_id" value=d.plan_item_id.clone()/>
                            <input type="hidden" name="service" value=d.service.as_str()/>
                            <fieldset class="field radio-group" class:invalid=move || org_error.get().is_some()>
                                <legend>{t!(i18n, referral.organisation)}</legend>
                                {if d.providers.is_empty() {
                                    view! { <p class="empty">{t!(i18n, referral.no_providers)}</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="radio-options stacked">
                                            {d.providers.iter().map(|p| {
                                                let checked = chosen == p.organisation_id;
                                                view! {
                                                    <label class="radio">
                                                        <input type="radio" name="organisation_id" value=p.organisation_id.clone() checked=checked/>
                                                        <span>
                                                            <bdi>{p.name.clone()}</bdi>" · "<span class="meta">{t!(i18n, referral.answers_within, days = num(i18n, p.response_days))}</span>
                                                            {p.without_accounts.clone().map(|c| view! {
                                                                <span class="without-accounts">
                                                                    <span class="tag">{t!(i18n, referral.without_accounts)}</span>" "
                                                                    <span class="meta"><bdi>{c.person}</bdi>" · "<bdi dir="ltr">{c.phone}</bdi>" · "<bdi>{c.address}</bdi></span>
                                                                </span>
                                                            })}
                                                        </span>
                                                    </label>
                                                }
                                            }).collect_view()}
                                        </div>
                                    }.into_any()
                                }}
                                <p class="field-error" role="alert">
                                    {move || org_error.get().map(|e| crate::components::messages::field_error_text(i18n, &e))}
                                </p>
                            </fieldset>
                            <TextArea form name="note" rows=4>{t!(i18n, referral.note)}</TextArea>
                            <p class="hint">{t!(i18n, referral.note_hint)}</p>
                            <Submit>{t!(i18n, referral.send)}</Submit>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}

/// The family page's referrals: each with its status, answer and services; open ones can be
/// cancelled.
#[component]
pub fn ReferralsPanel(
    family_id: String,
    referrals: Vec<ReferralSummary>,
    form: FormState,
    action: ServerAction<CancelReferral>,
    reissue_form: FormState,
    reissue: ServerAction<ReissueReferralCode>,
    country: Option<Country>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" aria-labelledby="referrals-title" id="referrals">
            <h2 id="referrals-title">{t!(i18n, referral.panel_title)}</h2>
            <FormAlert form/>
            <FormAlert form=reissue_form/>
            {if referrals.is_empty() {
                view! { <p class="empty">{t!(i18n, referral.none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="referrals">
                        {referrals.into_iter().map(|r| {
                            let status_class = format!("status referral-status-{}", r.status.as_str());
                            let cancel = r.status.is_open().then(|| {
                                let (family_id, referral_id) = (family_id.clone(), r.referral_id.clone());
                                view! {
                                    <ActionForm action attr:class="inline-form">
                                        <input type="hidden" name="family_id" value=family_id/>
                                        <input type="hidden" name="referral_id" value=referral_id/>
                                        <input type="hidden" name="version" value=r.version.to_string()/>
                                        <button type="submit" class="button danger">{t!(i18n, referral.cancel)}</button>
                                    </ActionForm>
                                }
                            });
                            // To an organisation without accounts: the slip's reference, and while
                            // the referral is open a new code (the old one void) and its slip.
                            let coded = r.coded.clone().map(|c| {
                                let (family_id, referral_id) = (family_id.clone(), r.referral_id.clone());
                                let open = r.status.is_open();
                                view! {
                                    <p class="meta coded">
                                        <span class="tag">{t!(i18n, referral.without_accounts)}</span>" "
                                        {t!(i18n, referral.reference)}": "<bdi dir="ltr" class="reference">{num(i18n, grouped(&c.reference))}</bdi>
                                        {open.then(|| view! { " · "{t!(i18n, referral.code_until, date = format_timestamp(i18n, &c.expires_at, country))} })}
                                    </p>
                                    {open.then(|| view! { <NewCodeButton action=reissue family_id referral_id/> })}
                                }
                            });
                            let refer_again = (r.status == ReferralStatus::Declined).then(|| r.plan_item_id.clone()).flatten().map(|item| {
                                view! { <a class="button" href=format!("/cases/{}/refer/{item}", family_id)>{t!(i18n, referral.refer_again)}</a> }
                            });
                            view! {
                                <li class="referral">
                                    <div class="section-head">
                                        <strong><bdi>{r.organisation_name.clone()}</bdi></strong>
                                        <span class=status_class>{referral_status_label(i18n, r.status)}</span>
                                        {r.overdue.then(|| view! { <span class="status referral-overdue">{t!(i18n, referral.overdue)}</span> })}
                                    </div>
                                    <p class="meta">
                                        {service_label(i18n, r.service)}" · "
                                        {t!(i18n, referral.sent_on, date = format_timestamp(i18n, &r.sent_at, country))}
                                        {(r.status == ReferralStatus::Sent).then(|| view! { " · "{t!(i18n, referral.due)}": "{format_timestamp(i18n, &r.due_at, country)} })}
                                    </p>
                                    {coded}
                                    {r.note.clone().map(|n| view! { <p dir="auto" class="note-body">{n}</p> })}
                                    {r.decline_reason.clone().map(|x| view! { <p><strong>{t!(i18n, referral.reason)}": "</strong><span dir="auto">{x}</span></p> })}
                                    {(!r.services.is_empty()).then(|| view! {
                                        <p><strong>{t!(i18n, referral.services_delivered)}</strong></p>
                                        <ul>
                                            {r.services.iter().map(|(d, what)| view! { <li>{format_iso_date(i18n, d)}": "<span dir="auto">{what.clone()}</span></li> }).collect_view()}
                                        </ul>
                                    })}
                                    {r.outcome.clone().map(|x| view! { <p><strong>{t!(i18n, referral.outcome)}": "</strong><span dir="auto">{x}</span></p> })}
                                    {(r.status == ReferralStatus::Completed).then(|| view! { <AchievedScores achieved=r.achieved.clone()/> })}
                                    <div class="actions">{cancel}{refer_again}</div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// Issues a new code for a referral to an organisation without accounts (the old one void)
/// and goes to its slip.
#[component]
pub fn NewCodeButton(
    action: ServerAction<ReissueReferralCode>,
    family_id: String,
    referral_id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="family_id" value=family_id/>
            <input type="hidden" name="referral_id" value=referral_id/>
            <button type="submit" class="button">{t!(i18n, referral.new_code)}</button>
        </ActionForm>
    }
}

/// What a completed referral achieved: the family's scores before it and after it, and the
/// change (see `shared::achieved`), or why there is nothing to show yet.
#[component]
fn AchievedScores(achieved: Option<Achieved>) -> impl IntoView {
    let i18n = use_i18n();
    let Some(a) = achieved else {
        return view! { <p class="hint achieved">{t!(i18n, referral.achieved_pending)}</p> }
            .into_any();
    };
    let change = a.change();
    // Each score: its name, then before, after and the change.
    let rows: Vec<(String, [Option<f64>; 3])> = Dimension::ALL
        .iter()
        .map(|d| {
            let label = dimension_label(i18n, *d).to_string();
            (label, [a.before.of(*d), a.after.of(*d), change.of(*d)])
        })
        .chain([(
            tu_string!(i18n, assessment.composite).to_string(),
            [a.before.composite, a.after.composite, change.composite],
        )])
        .collect();
    let signed = move |d: Option<f64>| d.map(|d| num(i18n, format!("{d:+.2}"))).unwrap_or_default();
    view! {
        <div class="achieved">
            <p>
                <strong>{t!(i18n, referral.achieved)}</strong>" "
                {t!(i18n, referral.achieved_between, before = format_iso_date(i18n, &a.before_on), after = format_iso_date(i18n, &a.after_on))}
            </p>
            <div class="table-wrap">
                <table class="data numbers">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, assessment.scores)}</th>
                            <th scope="col">{t!(i18n, referral.before)}</th>
                            <th scope="col">{t!(i18n, referral.after)}</th>
                            <th scope="col">{t!(i18n, referral.change)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|(label, [before, after, change])| view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td>{score_text(i18n, before)}</td>
                                <td>{score_text(i18n, after)}</td>
                                <td class:fall=change.is_some_and(|d| d < 0.0)>{signed(change)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
    .into_any()
}
