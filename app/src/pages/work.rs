//! `/work`: whom to call or visit — the caller's follow-ups due today, this week and overdue,
//! and the cases lost to follow-up — and what waits on others: referrals not yet answered by
//! their organisation (an answer overdue is marked), closure requests not yet decided, transfers
//! to another province not yet accepted or declined. A
//! supervisor sees the whole team's (each caseworker's caseload is on `/team`), and the pairs
//! of cases the duplicate rules matched, to compare and merge or set aside.

use crate::api::follow_ups::get_work_list;
use crate::api::merges::DismissDuplicate;
use crate::components::dates::{format_iso_date, num};
use crate::components::fields::{FormAlert, Submit};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::me::use_me;
use crate::components::messages::{
    closure_reason_label, follow_up_kind_label, location_name, work_list_label, I18n,
};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::follow_ups::WorkRow;
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
    let me = use_me();
    let dismiss = ServerAction::<DismissDuplicate>::new();
    let dismiss_flash = flash_resource::<DismissDuplicate>();
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
                    let supervisor = matches!(me.await, Ok(Some(m)) if m.role == Role::Supervisor);
                    let dismiss_form = FormState::new(dismiss, dismiss_flash.await);
                    view! {
                        <nav class="tabs" aria-label=tu_string!(i18n, work.title)>
                            {WorkList::ALL.iter().filter(|l| supervisor || **l != WorkList::Duplicates).map(|l| {
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
                                <FormAlert form=dismiss_form/>
                                <div class="table-wrap">
                                    <table class="data work">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, inbox.case)}</th>
                                                <th scope="col">{date_heading(i18n, list)}</th>
                                                <th scope="col">{detail_heading(i18n, list)}</th>
                                                <th scope="col">{if list == WorkList::Duplicates { tu_string!(i18n, merge.decide) } else { tu_string!(i18n, family.assigned_to) }}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {w.rows.into_iter().map(|r| {
                                                // An answer due before today is overdue, as a follow-up is.
                                                let late = list == WorkList::Overdue || (list == WorkList::Referrals && r.date < today);
                                                if list == WorkList::Duplicates {
                                                    return view! { <DuplicateRow r action=dismiss/> }.into_any();
                                                }
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
                                                }.into_any()
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

/// A pair of possible duplicates: each record, the way to compare them, and the way to set
/// the pair aside as two families.
#[component]
fn DuplicateRow(r: WorkRow, action: ServerAction<DismissDuplicate>) -> impl IntoView {
    let i18n = use_i18n();
    let other = r.other_family_id.clone().unwrap_or_default();
    let compare = format!("/cases/merge?a={}&b={other}", r.family_id);
    view! {
        <tr>
            <td><a href=format!("/cases/{}", r.family_id)><bdi dir="ltr">{r.case_number.clone()}</bdi></a></td>
            <td>{format_iso_date(i18n, &r.date)}</td>
            <td>
                <a href=format!("/cases/{other}")><bdi dir="ltr">{r.detail.clone().unwrap_or_default()}</bdi></a>
                " · "<a href=compare class="button">{t!(i18n, merge.compare)}</a>
            </td>
            <td>
                <ActionForm action attr:novalidate=true>
                    <input type="hidden" name="family_id" value=r.family_id.clone()/>
                    <input type="hidden" name="other_id" value=other/>
                    <Submit class="button">{t!(i18n, merge.not_same)}</Submit>
                </ActionForm>
            </td>
        </tr>
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
        WorkList::Duplicates => tu_string!(i18n, work.found_on),
        _ => tu_string!(i18n, follow_up.due_on),
    }
}

fn detail_heading(i18n: I18n, list: WorkList) -> &'static str {
    match list {
        WorkList::Referrals => tu_string!(i18n, referral.organisation),
        WorkList::Closures => tu_string!(i18n, closure.reason),
        WorkList::Transfers => tu_string!(i18n, transfer.to_province),
        WorkList::Duplicates => tu_string!(i18n, merge.other_record),
        _ => tu_string!(i18n, follow_up.kind),
    }
}
