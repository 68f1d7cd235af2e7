//! `/work`: whom to call or visit — the caller's follow-ups due today, this week and overdue,
//! and the cases lost to follow-up — and what waits on others: referrals not yet answered by
//! their organisation (an answer overdue is marked), closure requests not yet decided, transfers
//! to another province not yet accepted or declined. A
//! supervisor sees the whole team's (each caseworker's caseload is on `/team`).

use crate::api::follow_ups::get_work_list;
use crate::components::dates::{format_iso_date, num};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{
    closure_reason_label, follow_up_kind_label, location_name, work_list_label, I18n,
};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::follow_up::{ClosureReason, WorkList};
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
                    let list = w.list;
                    let today = w.today.clone();
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
                                                <th scope="col">{date_heading(i18n, list)}</th>
                                                <th scope="col">{detail_heading(i18n, list)}</th>
                                                <th scope="col">{t!(i18n, family.assigned_to)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {w.rows.into_iter().map(|r| {
                                                // An answer due before today is overdue, as a follow-up is.
                                                let late = list == WorkList::Overdue || (list == WorkList::Referrals && r.date < today);
                                                let detail = match (list, r.kind, r.detail.as_deref()) {
                                                    (WorkList::Closures, _, Some(code)) => ClosureReason::parse(code).map(|c| closure_reason_label(i18n, c).to_string()),
                                                    (WorkList::Transfers, _, Some(key)) => Some(location_name(i18n, key)),
                                                    (_, Some(kind), _) => Some(follow_up_kind_label(i18n, kind).to_string()),
                                                    (_, None, detail) => detail.map(str::to_string),
                                                };
                                                view! {
                                                    <tr class:overdue=late>
                                                        <td><a href=format!("/cases/{}#{}", r.family_id, anchor(list))><bdi dir="ltr">{r.case_number.clone()}</bdi></a></td>
                                                        <td>{format_iso_date(i18n, &r.date)}</td>
                                                        <td><bdi>{detail}</bdi></td>
                                                        <td><bdi>{r.assigned_to_name.clone().unwrap_or_default()}</bdi></td>
                                                    </tr>
                                                }
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

/// Where on the family page a row of `list` opens.
fn anchor(list: WorkList) -> &'static str {
    match list {
        WorkList::Referrals => "referrals",
        WorkList::Closures => "closure",
        WorkList::Transfers => "transfer",
        _ => "follow-ups",
    }
}

fn date_heading(i18n: I18n, list: WorkList) -> &'static str {
    match list {
        WorkList::Lost => tu_string!(i18n, work.last_contact),
        WorkList::Referrals => tu_string!(i18n, referral.due),
        WorkList::Closures | WorkList::Transfers => tu_string!(i18n, work.requested_on),
        _ => tu_string!(i18n, follow_up.due_on),
    }
}

fn detail_heading(i18n: I18n, list: WorkList) -> &'static str {
    match list {
        WorkList::Referrals => tu_string!(i18n, referral.organisation),
        WorkList::Closures => tu_string!(i18n, closure.reason),
        WorkList::Transfers => tu_string!(i18n, transfer.to_province),
        _ => tu_string!(i18n, follow_up.kind),
    }
}
