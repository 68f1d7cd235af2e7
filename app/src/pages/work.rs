//! `/work`: whom to call or visit — the caller's follow-ups due today, this week and overdue,
//! and the cases lost to follow-up. A supervisor sees the whole team's (each caseworker's
//! caseload is on `/team`).

use crate::api::follow_ups::get_work_list;
use crate::components::dates::{format_iso_date, num};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{follow_up_kind_label, work_list_label};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::follow_up::WorkList;
use shared::Role;

#[component]
pub fn WorkPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let list = move || query.read().get("list").unwrap_or_default();
    let work = Resource::new(list, get_work_list);
    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Title text=tu_string!(i18n, work.title)/>
            <h1>{t!(i18n, work.title)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let w = match work.await {
                        Ok(w) => w,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let lost = w.list == WorkList::Lost;
                    view! {
                        <nav class="tabs" aria-label=tu_string!(i18n, work.title)>
                            {WorkList::ALL.iter().map(|l| {
                                let current = *l == w.list;
                                view! {
                                    <a href=format!("/work?list={}", l.as_str()) class:current=current aria-current=current.then_some("page")>
                                        {work_list_label(i18n, *l)}
                                    </a>
                                }
                            }).collect_view()}
                        </nav>
                        {if w.rows.is_empty() {
                            view! { <p class="empty">{t!(i18n, work.empty)}</p> }.into_any()
                        } else {
                            view! {
                                <p role="status">{t!(i18n, work.count, n = num(i18n, w.rows.len()))}</p>
                                <div class="table-wrap">
                                    <table class="data work">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, inbox.case)}</th>
                                                <th scope="col">{if lost { t!(i18n, work.last_contact).into_any() } else { t!(i18n, follow_up.due_on).into_any() }}</th>
                                                <th scope="col">{t!(i18n, follow_up.kind)}</th>
                                                <th scope="col">{t!(i18n, family.assigned_to)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {w.rows.into_iter().map(|r| view! {
                                                <tr class:overdue=w.list == WorkList::Overdue>
                                                    <td><a href=format!("/cases/{}#follow-ups", r.family_id)><bdi dir="ltr">{r.case_number.clone()}</bdi></a></td>
                                                    <td>{format_iso_date(i18n, &r.date)}</td>
                                                    <td>{r.kind.map(|k| follow_up_kind_label(i18n, k))}</td>
                                                    <td><bdi>{r.assigned_to_name.clone().unwrap_or_default()}</bdi></td>
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
