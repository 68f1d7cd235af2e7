//! `/cases/:id/plan`: the reintegration plan form — every item at once, saved together.
//! On the family page: the assessment history with its chart, and the plan.

use super::assess::{locale_code, ScoreList};
use crate::api::assessments::{case_progress, SavePlan};
use crate::components::chart::{score_text, ProgressChart};
use crate::components::dates::{format_iso_date, num};
use crate::components::fields::{CalendarInput, DateField, Field, FormAlert, SelectField, Submit};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{options, plan_status_label, service_label};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::assessments::Progress;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::plan::{item_key, PlanStatus};
use shared::service::ServiceCategory;
use shared::Role;

#[component]
pub fn PlanPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let family_id = move || params.read().get("id").unwrap_or_default();
    let locale = locale_code();
    let progress = Resource::new(
        move || (family_id(), locale()),
        |(id, l)| case_progress(id, l),
    );
    let action = ServerAction::<SavePlan>::new();
    let flash = flash_resource::<SavePlan>();
    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Title text=tu_string!(i18n, plan.title)/>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let p = match progress.await {
                        Ok(p) => p,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let form = FormState::new(action, flash.await);
                    let back = format!("/cases/{}", p.family_id);
                    let services = options(i18n, ServiceCategory::ALL, ServiceCategory::as_str, service_label);
                    let statuses = options(i18n, PlanStatus::ALL, PlanStatus::as_str, plan_status_label);
                    view! {
                        <p><a href=back>{t!(i18n, assessment.back_to_case)}" · "<bdi dir="ltr">{p.case_number.clone()}</bdi></a></p>
                        <h1>{t!(i18n, plan.title)}</h1>
                        {if p.plan.is_empty() {
                            view! { <p class="empty">{t!(i18n, plan.empty)}</p> }.into_any()
                        } else {
                            view! {
                                <p class="intro">{t!(i18n, plan.intro)}</p>
                                <ActionForm action attr:novalidate=true attr:class="plan-form">
                                    <FormAlert form/>
                                    <CalendarInput/>
                                    <input type="hidden" name="family_id" value=p.family_id.clone()/>
                                    {p.plan.iter().enumerate().map(|(i, item)| view! {
                                        <fieldset class="plan-item">
                                            <legend>{item.need_label.clone()}</legend>
                                            <input type="hidden" name=item_key(i, "id") value=item.plan_item_id.clone()/>
                                            <input type="hidden" name=item_key(i, "version") value=item.version.to_string()/>
                                            <div class="grid-2">
                                                <Field form name=item_key(i, "action") value=item.action.clone().unwrap_or_default() dir="auto">
                                                    {t!(i18n, plan.action)}
                                                </Field>
                                                <SelectField form name=item_key(i, "service") options=services.clone() value=item.service.as_str()>
                                                    {t!(i18n, plan.service)}
                                                </SelectField>
                                                <DateField form name=item_key(i, "target_date") value=item.target_date.clone().unwrap_or_default()>
                                                    {t!(i18n, plan.target_date)}
                                                </DateField>
                                                <SelectField form name=item_key(i, "status") options=statuses.clone() value=item.status.as_str()>
                                                    {t!(i18n, plan.status)}
                                                </SelectField>
                                            </div>
                                        </fieldset>
                                    }).collect_view()}
                                    <Submit>{t!(i18n, plan.save)}</Submit>
                                </ActionForm>
                            }.into_any()
                        }}
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}

/// The family page's assessment panel: latest scores, the chart over time, and every
/// assessment in a table (the chart's numbers).
#[component]
pub fn AssessmentPanel(progress: Progress) -> impl IntoView {
    let i18n = use_i18n();
    let assess = format!("/cases/{}/assess", progress.family_id);
    let family_id = progress.family_id.clone();
    let rows = progress.assessments;
    view! {
        <section class="panel" aria-labelledby="assessment-title" id="assessment">
            <div class="section-head">
                <h2 id="assessment-title">{t!(i18n, assessment.title)}</h2>
                <a href=assess class="button">{if rows.is_empty() { t!(i18n, assessment.assess_family).into_any() } else { t!(i18n, assessment.new_assessment).into_any() }}</a>
            </div>
            {match rows.last().cloned() {
                None => view! { <p class="empty">{t!(i18n, assessment.none_yet)}</p> }.into_any(),
                Some(latest) => view! {
                    <ScoreList row=latest/>
                    <h3>{t!(i18n, assessment.progress)}</h3>
                    <ProgressChart rows=rows.clone()/>
                    {(rows.len() == 1).then(|| view! { <p class="hint">{t!(i18n, assessment.one_point)}</p> })}
                    <div class="table-wrap">
                        <table class="data assessments">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, assessment.date)}</th>
                                    <th scope="col">{t!(i18n, assessment.subject)}</th>
                                    <th scope="col">{crate::components::messages::dimension_label(i18n, shared::assessment::Dimension::Economic)}</th>
                                    <th scope="col">{crate::components::messages::dimension_label(i18n, shared::assessment::Dimension::Social)}</th>
                                    <th scope="col">{crate::components::messages::dimension_label(i18n, shared::assessment::Dimension::Psychosocial)}</th>
                                    <th scope="col">{t!(i18n, assessment.composite)}</th>
                                    <th scope="col">{t!(i18n, assessment.version)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.iter().rev().map(|r| {
                                    let href = format!("/cases/{}/assessments/{}", family_id, r.assessment_id);
                                    view! {
                                        <tr>
                                            <td><a href=href>{format_iso_date(i18n, &r.assessed_on)}</a></td>
                                            <td><bdi>{r.member_name.clone().unwrap_or_else(|| tu_string!(i18n, assessment.whole_family).to_string())}</bdi></td>
                                            <td class="number">{score_text(i18n, r.scores.economic)}</td>
                                            <td class="number">{score_text(i18n, r.scores.social)}</td>
                                            <td class="number">{score_text(i18n, r.scores.psychosocial)}</td>
                                            <td class="number"><strong>{score_text(i18n, r.scores.composite)}</strong></td>
                                            <td class="number">{num(i18n, r.instrument_version)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// The family page's plan panel: every item with its status.
#[component]
pub fn PlanPanel(progress: Progress) -> impl IntoView {
    let i18n = use_i18n();
    let edit = format!("/cases/{}/plan", progress.family_id);
    let open = progress.plan.iter().filter(|p| p.status.is_open()).count();
    let family_id = progress.family_id.clone();
    let plan = progress.plan;
    view! {
        <section class="panel" aria-labelledby="plan-title" id="plan">
            <div class="section-head">
                <h2 id="plan-title">
                    {t!(i18n, plan.title)}
                    {(!plan.is_empty()).then(|| view! { " "<span class="count">{t!(i18n, plan.open_items, n = num(i18n, open))}</span> })}
                </h2>
                {(!plan.is_empty()).then(|| view! { <a href=edit class="button">{t!(i18n, plan.edit)}</a> })}
            </div>
            {if plan.is_empty() {
                view! { <p class="empty">{t!(i18n, plan.empty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plan">
                        {plan.into_iter().map(|item| view! {
                            <li class=format!("plan-item plan-{}", item.status.as_str())>
                                <div class="section-head">
                                    <strong>{item.need_label.clone()}</strong>
                                    <span class=format!("status plan-status-{}", item.status.as_str())>{plan_status_label(i18n, item.status)}</span>
                                </div>
                                <p class="meta">
                                    {service_label(i18n, item.service)}
                                    {item.target_date.clone().map(|d| view! { " · "{t!(i18n, plan.target_date)}": "{format_iso_date(i18n, &d)} })}
                                </p>
                                <p dir="auto">{item.action.clone().unwrap_or_else(|| tu_string!(i18n, plan.no_action).to_string())}</p>
                                {item.status.is_open().then(|| view! {
                                    <a class="button" href=format!("/cases/{}/refer/{}", family_id, item.plan_item_id)>{t!(i18n, referral.refer)}</a>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
