//! `/team`: a supervisor's team — each caseworker's caseload (open cases, follow-ups due this
//! week and overdue, closure requests) — and, for the caseworker chosen, their open cases with
//! a form that hands a selection of them to a colleague in one step. Plain links and one form:
//! it all works before (or without) the WebAssembly.

use crate::api::families::list_cases;
use crate::api::team::{team_caseload, ReassignCases};
use crate::components::dates::num;
use crate::components::fields::{FormAlert, SelectField, Submit};
use crate::components::layout::{encode_query_value, ErrorPanel, Page, Pager};
use crate::components::messages::{field_error_text, location_name, status_label};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::families::CaseFilter;
use crate::model::team::{Caseload, UNASSIGNED};
use crate::pages::cases::person_name;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::Role;

#[component]
pub fn TeamPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let chosen = move || query.read().get("caseworker").unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok());
    // "Choose all on this page" is a link, so it works without JavaScript.
    let all = move || query.read().get("all").is_some_and(|a| a == "1");
    let team = Resource::new(|| (), |_| team_caseload());
    let cases = Resource::new(
        move || (chosen(), page()),
        |(chosen, page)| async move {
            if chosen.is_empty() {
                return Ok(None);
            }
            let filter = CaseFilter {
                assigned: Some(chosen),
                status: Some(CaseFilter::OPEN.to_string()),
                sort: Some("case_number".into()),
                page,
                ..Default::default()
            };
            list_cases(filter).await.map(Some)
        },
    );
    let reassign = ServerAction::<ReassignCases>::new();
    let flash = flash_resource::<ReassignCases>();

    view! {
        <Page roles=&[Role::Supervisor]>
            <Title text=tu_string!(i18n, team.title)/>
            <h1>{t!(i18n, team.title)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let rows = match team.await {
                        Ok(rows) => rows,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let form = FormState::new(reassign, flash.await);
                    let chosen = chosen();
                    let chosen_row = rows.iter().find(|r| key(r) == chosen).cloned();
                    let colleagues: Vec<(String, String)> = rows
                        .iter()
                        .filter(|r| r.active && key(r) != chosen)
                        .filter_map(|r| Some((r.user_id.clone()?, r.name.clone()?)))
                        .collect();
                    view! {
                        <p class="hint">{t!(i18n, team.intro)}</p>
                        // Outside the chosen caseworker's section: once their last case is
                        // handed on, that section is gone, and the message must still show.
                        <FormAlert form=form success=ViewFn::from(move || t!(i18n, team.reassigned))/>
                        <div class="table-wrap">
                            <table class="data team">
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, team.caseworker)}</th>
                                        <th scope="col" class="num">{t!(i18n, team.open_cases)}</th>
                                        <th scope="col" class="num">{t!(i18n, team.due_this_week)}</th>
                                        <th scope="col" class="num">{t!(i18n, team.overdue)}</th>
                                        <th scope="col" class="num">{t!(i18n, team.pending_closures)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.iter().map(|r| {
                                        let current = key(r) == chosen;
                                        let late = r.overdue > 0;
                                        let href = format!("/team?caseworker={}", encode_query_value(&key(r)));
                                        view! {
                                            <tr class:current=current>
                                                <th scope="row">
                                                    <a href=href aria-current=current.then_some("true")>{row_name(i18n, r)}</a>
                                                    {(!r.active && r.user_id.is_some()).then(|| view! { " "<small class="tag">{t!(i18n, team.deactivated)}</small> })}
                                                </th>
                                                <td class="num">{num(i18n, r.open_cases)}</td>
                                                <td class="num">{num(i18n, r.due_this_week)}</td>
                                                <td class="num" class:late=late>{num(i18n, r.overdue)}</td>
                                                <td class="num">{num(i18n, r.pending_closures)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {chosen_row.map(|row| {
                            let title = tu_string!(i18n, team.cases_of, name = row_name(i18n, &row)).to_string();
                            let from = key(&row);
                            let selection_error = form.field_error("family_ids");
                            view! {
                                <section class="panel" aria-labelledby="reassign-title" id="reassign">
                                    <h2 id="reassign-title"><bdi>{title}</bdi></h2>
                                    <ActionForm action=reassign attr:novalidate=true>
                                        <input type="hidden" name="from" value=from.clone()/>
                                        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                                            {move || {
                                                let from = from.clone();
                                                Suspend::new(async move {
                                                    match cases.await {
                                                        Ok(Some(page)) => view! { <CaseChoice page from all=all()/> }.into_any(),
                                                        Ok(None) => ().into_any(),
                                                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                                                    }
                                                })
                                            }}
                                        </Suspense>
                                        {move || selection_error.get().map(|e| view! { <p class="field-error" role="alert">{field_error_text(i18n, &e)}</p> })}
                                        <SelectField form=form name="user_id" options=colleagues.clone() placeholder=tu_string!(i18n, team.choose) required=true>
                                            {t!(i18n, team.reassign_to)}
                                        </SelectField>
                                        <p class="hint">{t!(i18n, team.reassign_hint)}</p>
                                        <Submit>{t!(i18n, team.reassign)}</Submit>
                                    </ActionForm>
                                </section>
                            }
                        })}
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}

/// A row's value of `?caseworker=`: the account, or `none` for the cases assigned to nobody.
fn key(r: &Caseload) -> String {
    r.user_id.clone().unwrap_or_else(|| UNASSIGNED.to_string())
}

fn row_name(i18n: crate::components::messages::I18n, r: &Caseload) -> String {
    match &r.name {
        Some(name) => name.clone(),
        None => tu_string!(i18n, team.unassigned).to_string(),
    }
}

/// A page of the chosen caseworker's open cases, each with a checkbox.
#[component]
fn CaseChoice(page: crate::model::families::CasePage, from: String, all: bool) -> impl IntoView {
    let i18n = use_i18n();
    if page.cases.is_empty() {
        return view! { <p class="empty">{t!(i18n, team.no_cases)}</p> }.into_any();
    }
    let base = format!("/team?caseworker={}", encode_query_value(&from));
    let current = page.page;
    let choose_all = format!("{base}&page={current}&all=1#reassign");
    let link = move |p: i64| format!("{base}&page={p}#reassign");
    view! {
        <fieldset class="case-choice">
            <legend>{t!(i18n, team.choose_cases)}</legend>
            <p><a href=choose_all>{t!(i18n, team.choose_all)}</a></p>
            <div class="table-wrap">
                <table class="data cases">
                    <thead>
                        <tr>
                            <th scope="col"><span class="visually-hidden">{t!(i18n, team.choose)}</span></th>
                            <th scope="col">{t!(i18n, cases.col_case)}</th>
                            <th scope="col">{t!(i18n, cases.col_head)}</th>
                            <th scope="col">{t!(i18n, cases.col_area)}</th>
                            <th scope="col">{t!(i18n, cases.col_status)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {page.cases.into_iter().map(|c| {
                            let id = format!("case-{}", c.family_id);
                            view! {
                                <tr>
                                    <td><input type="checkbox" name="family_ids[]" id=id.clone() value=c.family_id.clone() checked=all/></td>
                                    <td><label for=id><bdi dir="ltr">{c.case_number}</bdi></label></td>
                                    <td><a href=format!("/cases/{}", c.family_id)><bdi>{person_name(&c.head_name_local, &c.head_name_latin)}</bdi></a></td>
                                    <td>{location_name(i18n, &c.province)}</td>
                                    <td><span class=format!("status status-{}", c.status.as_str())>{status_label(i18n, c.status)}</span></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager current total=page.total page_size=page.page_size link/>
        </fieldset>
    }
    .into_any()
}
