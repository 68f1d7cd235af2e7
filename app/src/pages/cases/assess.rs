//! `/cases/:id/assess`: the reintegration assessment form; `/cases/:id/assessments/:aid`: one
//! assessment's result — scores, needs found and answers.

use crate::api::assessments::{assessment_form, get_assessment, RecordAssessment};
use crate::components::chart::score_text;
use crate::components::dates::format_iso_date;
use crate::components::fields::{
    CalendarInput, DateField, FormAlert, RadioGroup, SelectField, Submit,
};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{dimension_label, service_label};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::assessments::AssessmentRow;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::assessment::{answer_key, dimension_key, Dimension};
use shared::Role;

/// The locale code the instrument's texts are asked in (the page's language).
pub fn locale_code() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || i18n.get_locale().as_str().to_string()
}

#[component]
pub fn AssessPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let family_id = move || params.read().get("id").unwrap_or_default();
    // Taken at a follow-up: that follow-up is recorded as done with it.
    let query = leptos_router::hooks::use_query_map();
    let follow_up = move || query.read().get("follow_up").unwrap_or_default();
    let locale = locale_code();
    let data = Resource::new(
        move || (family_id(), locale()),
        |(id, l)| assessment_form(id, l),
    );
    let action = ServerAction::<RecordAssessment>::new();
    let flash = flash_resource::<RecordAssessment>();
    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Title text=tu_string!(i18n, assessment.title)/>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let data = match data.await {
                        Ok(d) => d,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let form = FormState::new(action, flash.await);
                    let back = format!("/cases/{}", data.family_id);
                    view! {
                        <p><a href=back>{t!(i18n, assessment.back_to_case)}" · "<bdi dir="ltr">{data.case_number.clone()}</bdi></a></p>
                        <h1>{t!(i18n, assessment.title)}</h1>
                        <p class="meta">{data.instrument_name.clone()}</p>
                        <p class="intro">{t!(i18n, assessment.intro)}</p>
                        <ActionForm action attr:novalidate=true attr:class="assessment-form">
                            <FormAlert form/>
                            <CalendarInput/>
                            <input type="hidden" name="family_id" value=data.family_id.clone()/>
                            <input type="hidden" name="follow_up_id" value=follow_up()/>
                            <div class="grid-2">
                                <DateField form name="assessed_on" value=data.today.clone() required=true>
                                    {t!(i18n, assessment.assessed_on)}
                                </DateField>
                                <SelectField
                                    form
                                    name="member_id"
                                    options=data.members.clone()
                                    placeholder=tu_string!(i18n, assessment.whole_family).to_string()
                                >
                                    {t!(i18n, assessment.subject)}
                                </SelectField>
                            </div>
                            {data.dimensions.clone().into_iter().map(|(d, questions)| {
                                let missing = form.field_error(dimension_key(d));
                                view! {
                                    <fieldset class="dimension" class:invalid=move || missing.get().is_some() id=format!("dimension-{}", d.as_str())>
                                        <legend>{dimension_label(i18n, d)}</legend>
                                        <p class="field-error" role="alert">
                                            {move || missing.get().map(|_| t!(i18n, assessment.answer_each_part))}
                                        </p>
                                        {questions.into_iter().map(|q| view! {
                                            <RadioGroup
                                                form
                                                name=answer_key(&q.code)
                                                options=q.options
                                                none_label=tu_string!(i18n, assessment.no_answer).to_string()
                                            >
                                                {q.question}
                                            </RadioGroup>
                                        }).collect_view()}
                                    </fieldset>
                                }
                            }).collect_view()}
                            <Submit>{t!(i18n, assessment.save)}</Submit>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}

/// The three dimension scores and the composite, each with a meter.
#[component]
pub fn ScoreList(row: AssessmentRow) -> impl IntoView {
    let i18n = use_i18n();
    let items: Vec<(String, Option<f64>, bool)> = Dimension::ALL
        .iter()
        .map(|d| {
            (
                dimension_label(i18n, *d).to_string(),
                row.scores.of(*d),
                false,
            )
        })
        .chain(std::iter::once((
            tu_string!(i18n, assessment.composite).to_string(),
            row.scores.composite,
            true,
        )))
        .collect();
    view! {
        <dl class="scores">
            {items.into_iter().map(|(label, score, composite)| view! {
                <div class="score" class:composite=composite>
                    <dt>{label}</dt>
                    <dd>
                        <span class="score-value">{score_text(i18n, score)}</span>
                        <meter min="0" max="1" low="0.4" high="0.7" optimum="1" value=score.unwrap_or(0.0)></meter>
                    </dd>
                </div>
            }).collect_view()}
        </dl>
    }
}

#[component]
pub fn AssessmentResultPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let family_id = move || params.read().get("id").unwrap_or_default();
    let assessment_id = move || params.read().get("assessment_id").unwrap_or_default();
    let locale = locale_code();
    let result = Resource::new(
        move || (family_id(), assessment_id(), locale()),
        |(f, a, l)| get_assessment(f, a, l),
    );
    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Title text=tu_string!(i18n, assessment.title)/>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let r = match result.await {
                        Ok(r) => r,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let back = format!("/cases/{}", r.family_id);
                    let plan = format!("/cases/{}/plan", r.family_id);
                    let date = format_iso_date(i18n, &r.row.assessed_on);
                    let subject = r.row.member_name.clone().unwrap_or_else(|| tu_string!(i18n, assessment.whole_family).to_string());
                    view! {
                        <p><a href=back.clone()>{t!(i18n, assessment.back_to_case)}" · "<bdi dir="ltr">{r.case_number.clone()}</bdi></a></p>
                        <h1>{t!(i18n, assessment.result_title, date = date)}</h1>
                        <p class="meta">
                            <bdi>{subject}</bdi>" · "{t!(i18n, assessment.assessed_by)}": "<bdi>{r.row.assessed_by.clone().unwrap_or_default()}</bdi>
                            " · "{t!(i18n, assessment.version)}" "{crate::components::dates::num(i18n, r.row.instrument_version)}
                        </p>
                        <div class="columns">
                            <div class="main-column">
                                <section class="panel" aria-labelledby="scores-title">
                                    <h2 id="scores-title">{t!(i18n, assessment.scores)}</h2>
                                    <ScoreList row=r.row.clone()/>
                                    <p class="hint">{t!(i18n, assessment.scale_hint)}</p>
                                </section>
                                <section class="panel" aria-labelledby="answers-title">
                                    <h2 id="answers-title">{t!(i18n, assessment.answers)}</h2>
                                    {Dimension::ALL.iter().map(|d| {
                                        let answers: Vec<_> = r.answers.iter().filter(|(ad, _, _)| ad == d).cloned().collect();
                                        view! {
                                            <h3>{dimension_label(i18n, *d)}</h3>
                                            <dl class="answers">
                                                {answers.into_iter().map(|(_, q, a)| view! { <dt>{q}</dt><dd>{a}</dd> }).collect_view()}
                                            </dl>
                                        }
                                    }).collect_view()}
                                </section>
                            </div>
                            <div class="side-column">
                                <section class="panel" aria-labelledby="needs-title">
                                    <h2 id="needs-title">{t!(i18n, assessment.needs_found)}</h2>
                                    {if r.needs.is_empty() {
                                        view! { <p class="empty">{t!(i18n, assessment.no_needs)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="needs">
                                                {r.needs.iter().map(|n| view! {
                                                    <li><strong>{n.label.clone()}</strong><span class="meta">{service_label(i18n, n.service)}</span></li>
                                                }).collect_view()}
                                            </ul>
                                            <p><a class="button primary" href=plan>{t!(i18n, assessment.to_plan)}</a></p>
                                        }.into_any()
                                    }}
                                </section>
                            </div>
                        </div>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}
