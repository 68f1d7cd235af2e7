//! The work lists: follow-ups due today, this week, overdue, and the cases lost to follow-up.

use crate::error::AppError;
use crate::model::follow_ups::WorkListView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{lost_before, today_of},
    crate::backend::{pipeline, store::follow_ups as store},
    crate::model::follow_ups::WorkRow,
    shared::audit::AuditAction,
    shared::follow_up::WorkList,
    shared::policy::{case_scope, Action},
};

/// A work list: the caller's follow-ups (a supervisor: the whole team's; their caseloads are
/// on the team page) due today, this week or overdue, the cases lost to follow-up, the
/// referrals waiting for an organisation's answer, or the closure requests waiting for a
/// supervisor. Audited (it lists case numbers).
#[server(endpoint = "work_list")]
pub async fn get_work_list(#[server(default)] list: String) -> Result<WorkListView, AppError> {
    pipeline::system(Action::ListCases)
        .read(Some(AuditAction::WorkListViewed), async |r| {
            let list = WorkList::parse(&list).unwrap_or(WorkList::Today);
            let caller = r.caller;
            let supervisor = caller.actor.role == shared::Role::Supervisor;
            let assignee = (!supervisor).then(|| caller.actor.user_id.clone());
            let scope = case_scope(&caller.actor);
            let today = today_of(caller);
            let rows = store::work_list(
                r.conn(),
                &scope,
                assignee.as_deref(),
                list,
                today,
                lost_before(caller),
            )
            .await?
            .into_iter()
            .map(|w| WorkRow {
                family_id: w.family_id,
                case_number: w.case_number,
                follow_up_id: w.follow_up_id,
                kind: w.kind,
                date: w.date,
                assigned_to_name: w.assigned_to_name,
                detail: w.detail,
                other_family_id: w.other_family_id,
            })
            .collect();
            r.audit_detail(list.as_str());
            Ok(WorkListView {
                list,
                today: today.to_string(),
                rows,
            })
        })
        .await
}
