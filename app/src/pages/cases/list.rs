//! `/cases`: the caseload. A GET form whose filters live in the URL, so it works without
//! JavaScript, can be bookmarked, and survives a reload.

use super::suggest::CaseSearch;
use super::{person_name, province_options};
use crate::api::families::{list_cases, list_caseworkers};
use crate::components::dates::{calendar, calendar_code, format_iso_date, num};
use crate::components::layout::{encode_query_value, ErrorPanel, Page, Pager};
use crate::components::me::use_me;
use crate::components::messages::{location_name, need_label, options, status_label};
use crate::i18n::*;
use crate::model::families::CaseFilter;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;
use shared::family::{CaseStatus, SpecificNeed, COUNT_CAP};
use shared::Role;

const FILTER_KEYS: [&str; 9] = [
    "q",
    "status",
    "province",
    "assigned",
    "returned_after",
    "returned_before",
    "need",
    "sort",
    "calendar",
];

#[component]
pub fn CasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        CaseFilter {
            q: q.get("q"),
            status: q.get("status"),
            province: q.get("province"),
            assigned: q.get("assigned"),
            returned_after: q.get("returned_after"),
            returned_before: q.get("returned_before"),
            need: q.get("need"),
            sort: q.get("sort"),
            page: q.get("page").and_then(|p| p.parse().ok()),
            calendar: q.get("calendar"),
        }
    };
    let cases = Resource::new(filter, list_cases);
    let caseworkers = Resource::new(|| (), |_| list_caseworkers());
    let supervisor = move || {
        me.get()
            .and_then(|r| r.ok().flatten())
            .is_some_and(|m| m.role == Role::Supervisor)
    };
    let title = move || {
        if supervisor() {
            tu_string!(i18n, nav.caseload)
        } else {
            tu_string!(i18n, nav.my_cases)
        }
    };

    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Title text=title()/>
            <div class="page-head">
                <h1>{title}</h1>
                <a class="button primary" href="/cases/new">{t!(i18n, family.register_title)}</a>
            </div>
            <Suspense>
                {move || Suspend::new(async move {
                    let me = me.await.ok().flatten()?;
                    let workers = caseworkers.await.unwrap_or_default();
                    let f = filter();
                    let select = |name: &'static str, all_label: String, opts: Vec<(String, String)>, current: Option<String>| {
                        view! {
                            <select name=name>
                                <option value="">{all_label}</option>
                                {opts.into_iter().map(|(v, l)| {
                                    let sel = current.as_deref() == Some(v.as_str());
                                    view! { <option value=v selected=sel>{l}</option> }
                                }).collect_view()}
                            </select>
                        }
                    };
                    let mut assigned_opts = vec![
                        ("me".to_string(), tu_string!(i18n, cases.assigned_me).to_string()),
                        ("none".to_string(), tu_string!(i18n, cases.unassigned).to_string()),
                    ];
                    if me.role == Role::Supervisor {
                        assigned_opts.extend(workers.into_iter().map(|w| (w.user_id, w.name)));
                    }
                    let sorts = vec![
                        ("updated".to_string(), tu_string!(i18n, cases.sort_updated).to_string()),
                        ("case_number".to_string(), tu_string!(i18n, cases.sort_case_number).to_string()),
                        ("return_date".to_string(), tu_string!(i18n, cases.sort_return_date).to_string()),
                        ("name".to_string(), tu_string!(i18n, cases.sort_name).to_string()),
                    ];
                    // Dates typed in the URL are in the calendar named there; show them in ours.
                    let cal = calendar(i18n);
                    let shown = |d: &Option<String>| d.clone().unwrap_or_default();
                    let provinces = province_options(i18n, &me);
                    Some(view! {
                        <Form method="GET" action="" attr:class="filters" attr:role="search">
                            <input type="hidden" name="calendar" value=calendar_code(cal)/>
                            <div class="wide search-field">
                                <CaseSearch
                                    label=tu_string!(i18n, cases.search).to_string()
                                    initial=f.q.clone().unwrap_or_default()
                                    placeholder=tu_string!(i18n, cases.search_hint).to_string()
                                    none=tu_string!(i18n, cases.none).to_string()
                                    suggestions_label=tu_string!(i18n, cases.suggestions).to_string()
                                    provinces=provinces.clone()/>
                            </div>
                            <label>
                                <span>{t!(i18n, cases.status)}</span>
                                {select("status", tu_string!(i18n, cases.any_status).into(), status_options(i18n), f.status.clone())}
                            </label>
                            <label>
                                <span>{t!(i18n, family.province)}</span>
                                {select("province", tu_string!(i18n, cases.any_province).into(), provinces, f.province.clone())}
                            </label>
                            <label>
                                <span>{t!(i18n, cases.assigned)}</span>
                                {select("assigned", tu_string!(i18n, cases.anyone).into(), assigned_opts, f.assigned.clone())}
                            </label>
                            <label>
                                <span>{t!(i18n, cases.need)}</span>
                                {select("need", tu_string!(i18n, cases.any_need).into(), options(i18n, SpecificNeed::ALL, SpecificNeed::as_str, need_label), f.need.clone())}
                            </label>
                            <label>
                                <span>{t!(i18n, cases.returned_after)}</span>
                                <input type="text" name="returned_after" inputmode="numeric" dir="ltr" value=shown(&f.returned_after)/>
                            </label>
                            <label>
                                <span>{t!(i18n, cases.returned_before)}</span>
                                <input type="text" name="returned_before" inputmode="numeric" dir="ltr" value=shown(&f.returned_before)/>
                            </label>
                            <label>
                                <span>{t!(i18n, cases.sort)}</span>
                                {select("sort", tu_string!(i18n, cases.sort_updated).into(), sorts.into_iter().skip(1).collect(), f.sort.clone())}
                            </label>
                            <button type="submit" class="button">{t!(i18n, actions.search)}</button>
                            <a href="/cases" class="button link">{t!(i18n, actions.clear)}</a>
                        </Form>
                    })
                })}
            </Suspense>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let page = match cases.await {
                        Ok(p) => p,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let current = page.page;
                    let link = move |p: i64| {
                        let q = query.read_untracked();
                        let mut parts: Vec<String> = FILTER_KEYS
                            .iter()
                            .filter_map(|k| q.get(k).filter(|v| !v.is_empty()).map(|v| format!("{k}={}", encode_query_value(&v))))
                            .collect();
                        parts.push(format!("page={p}"));
                        format!("/cases?{}", parts.join("&"))
                    };
                    view! {
                        <p class="count" role="status">
                            {if page.at_least && page.total <= COUNT_CAP {
                                tu_string!(i18n, cases.results_at_least, count = num(i18n, page.total)).to_string()
                            } else if page.total > COUNT_CAP {
                                tu_string!(i18n, cases.results_many, count = num(i18n, COUNT_CAP)).to_string()
                            } else {
                                tu_string!(i18n, cases.results, count = num(i18n, page.total)).to_string()
                            }}
                        </p>
                        {if page.cases.is_empty() {
                            view! { <p class="empty">{t!(i18n, cases.none)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="data cases">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, cases.col_case)}</th>
                                                <th scope="col">{t!(i18n, cases.col_head)}</th>
                                                <th scope="col">{t!(i18n, cases.col_area)}</th>
                                                <th scope="col">{t!(i18n, cases.col_members)}</th>
                                                <th scope="col">{t!(i18n, cases.col_returned)}</th>
                                                <th scope="col">{t!(i18n, cases.col_status)}</th>
                                                <th scope="col">{t!(i18n, cases.col_assigned)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {page.cases.into_iter().map(|c| {
                                                let href = format!("/cases/{}", c.family_id);
                                                let needs = c.needs.iter().map(|n| need_label(i18n, *n)).collect::<Vec<_>>().join(tu_string!(i18n, list_separator));
                                                view! {
                                                    <tr>
                                                        <td><A href=href><bdi dir="ltr">{c.case_number}</bdi></A></td>
                                                        <td>
                                                            <bdi>{person_name(&c.head_name_local, &c.head_name_latin)}</bdi>
                                                            {(!needs.is_empty()).then(|| view! { <br/><small class="needs">{needs}</small> })}
                                                        </td>
                                                        <td>{location_name(i18n, &c.province)}" · "<bdi>{c.district}</bdi></td>
                                                        <td>{num(i18n, c.member_count)}</td>
                                                        <td>{format_iso_date(i18n, &c.return_date)}</td>
                                                        <td><span class=format!("status status-{}", c.status.as_str())>{status_label(i18n, c.status)}</span></td>
                                                        <td><bdi>{c.assigned_to_name.unwrap_or_default()}</bdi></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        <Pager current total=page.total page_size=page.page_size link/>
                    }.into_any()
                })}
            </Suspense>
        </Page>
    }
}

/// The status filter: every case not closed, then each status.
fn status_options(i18n: crate::components::messages::I18n) -> Vec<(String, String)> {
    let open = (
        CaseFilter::OPEN.to_string(),
        tu_string!(i18n, cases.open_cases).to_string(),
    );
    std::iter::once(open)
        .chain(options(
            i18n,
            CaseStatus::ALL,
            CaseStatus::as_str,
            status_label,
        ))
        .collect()
}
