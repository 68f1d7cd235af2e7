//! `/cases/:id/print`: the case summary for the paper file a ministry office keeps — household,
//! people, consent, latest scores, plan, referrals, follow-ups and notes (not those marked
//! internal) — read through the same audited functions as the family page, without its forms,
//! and printed on A4 from the browser.

use super::assess::{locale_code, ScoreList};
use super::family::{ConsentFacts, Header, Household, Members, NotesList};
use crate::api::assessments::case_progress;
use crate::api::families::get_case;
use crate::api::follow_ups::case_follow_ups;
use crate::api::referrals::case_referrals;
use crate::components::dates::{format_iso_date, format_timestamp};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::me::use_me;
use crate::components::messages::{
    follow_up_kind_label, follow_up_status_label, plan_status_label, referral_status_label,
    service_label,
};
use crate::components::print::PrintButton;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::Role;

#[component]
pub fn CasePrintPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let me = use_me();
    let family_id = move || params.read().get("id").unwrap_or_default();
    let locale = locale_code();
    let case = Resource::new(family_id, get_case);
    let progress = Resource::new(
        move || (family_id(), locale()),
        |(id, l)| case_progress(id, l),
    );
    let referrals = Resource::new(family_id, case_referrals);
    let follow_ups = Resource::new(family_id, case_follow_ups);
    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let loaded = (case.await, progress.await, referrals.await, follow_ups.await, me.await);
                    let (case, progress, referrals, follow_ups, country) = match loaded {
                        (Ok(c), Ok(p), Ok(r), Ok(f), Ok(m)) => (c, p, r, f, m.and_then(|m| m.country)),
                        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), ..) | (_, _, _, Err(e), _) | (.., Err(e)) => {
                            return view! { <ErrorPanel error=e/> }.into_any()
                        }
                    };
                    let back = format!("/cases/{}", case.family_id);
                    let latest = progress.assessments.last().cloned();
                    view! {
                        <Title text=case.case_number.clone()/>
                        <p class="no-print"><a href=back>{t!(i18n, assessment.back_to_case)}</a></p>
                        <PrintButton/>
                        <article class="print-view case-summary">
                            <p class="print-title">{t!(i18n, print.case_summary)}</p>
                            <Header case=case.clone() country/>
                            <Household case=case.clone() read_only=true/>
                            <Members case=case.clone() read_only=true/>
                            <section class="panel">
                                <h2>{t!(i18n, family.consent)}</h2>
                                <ConsentFacts case=case.clone() country/>
                            </section>
                            <section class="panel">
                                <h2>{t!(i18n, assessment.title)}</h2>
                                {match latest {
                                    Some(row) => view! {
                                        <p class="meta">{format_iso_date(i18n, &row.assessed_on)}</p>
                                        <ScoreList row/>
                                    }.into_any(),
                                    None => view! { <p class="empty">{t!(i18n, assessment.none_yet)}</p> }.into_any(),
                                }}
                            </section>
                            <section class="panel">
                                <h2>{t!(i18n, plan.title)}</h2>
                                {if progress.plan.is_empty() {
                                    view! { <p class="empty">{t!(i18n, plan.empty)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="plan">
                                            {progress.plan.into_iter().map(|item| view! {
                                                <li>
                                                    <strong>{item.need_label.clone()}</strong>" · "{plan_status_label(i18n, item.status)}" · "{service_label(i18n, item.service)}
                                                    {item.target_date.clone().map(|d| view! { " · "{t!(i18n, plan.target_date)}": "{format_iso_date(i18n, &d)} })}
                                                    {item.action.clone().map(|a| view! { <p dir="auto">{a}</p> })}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <section class="panel">
                                <h2>{t!(i18n, referral.panel_title)}</h2>
                                {if referrals.is_empty() {
                                    view! { <p class="empty">{t!(i18n, referral.none)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="referrals">
                                            {referrals.into_iter().map(|r| view! {
                                                <li>
                                                    <strong><bdi>{r.organisation_name.clone()}</bdi></strong>" · "{service_label(i18n, r.service)}" · "{referral_status_label(i18n, r.status)}
                                                    <p class="meta">{t!(i18n, referral.sent_on, date = format_timestamp(i18n, &r.sent_at, country))}</p>
                                                    {r.outcome.clone().map(|o| view! { <p><strong>{t!(i18n, referral.outcome)}": "</strong><span dir="auto">{o}</span></p> })}
                                                    {r.decline_reason.clone().map(|x| view! { <p><strong>{t!(i18n, referral.reason)}": "</strong><span dir="auto">{x}</span></p> })}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <section class="panel">
                                <h2>{t!(i18n, follow_up.title)}</h2>
                                {if follow_ups.follow_ups.is_empty() {
                                    view! { <p class="empty">{t!(i18n, follow_up.none)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="follow-ups">
                                            {follow_ups.follow_ups.into_iter().map(|f| view! {
                                                <li>
                                                    {format_iso_date(i18n, &f.due_on)}" · "{follow_up_kind_label(i18n, f.kind)}" · "{follow_up_status_label(i18n, f.status)}
                                                    {f.notes.clone().map(|n| view! { <p dir="auto">{n}</p> })}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <section class="panel">
                                <h2>{t!(i18n, family.notes)}</h2>
                                <NotesList notes=case.notes.clone() country printed=true/>
                            </section>
                        </article>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}
