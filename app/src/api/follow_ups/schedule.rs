//! A case's follow-ups: reading them, scheduling one, recording its outcome.

use crate::error::AppError;
use crate::model::follow_ups::FollowUpsOfCase;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{record_outcome, today_of},
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::store::follow_ups as store,
    crate::model::follow_ups::{ClosureView, FollowUpView},
    shared::audit::AuditAction,
    shared::calendar::Calendar,
    shared::follow_up::{FollowUpKind, FollowUpStatus, WorkList},
    shared::policy::Action,
    shared::timeline::CaseEvent,
    shared::{FieldError, FieldErrors},
};

/// The case's follow-ups, latest closure request and lost-to-follow-up flag.
#[server(endpoint = "case_follow_ups")]
pub async fn case_follow_ups(family_id: String) -> Result<FollowUpsOfCase, AppError> {
    pipeline::case(&family_id, Action::ViewCase)
        .read(AuditAction::CaseFollowUpsViewed, async |r| {
            let today = today_of(r.caller);
            let follow_ups = store::of_family(r.conn(), &family_id)
                .await?
                .into_iter()
                .map(|fu| FollowUpView {
                    overdue: fu.status == FollowUpStatus::Scheduled
                        && shared::calendar::parse_iso(&fu.due_on).is_some_and(|d| {
                            shared::follow_up::bucket(d, today) == Some(WorkList::Overdue)
                        }),
                    follow_up_id: fu.follow_up_id,
                    kind: fu.kind,
                    due_on: fu.due_on,
                    assigned_to_name: fu.assigned_to_name,
                    status: fu.status,
                    notes: fu.notes,
                    missed_reason: fu.missed_reason,
                    done_on: fu.done_on,
                    assessment_id: fu.assessment_id,
                    version: fu.version,
                })
                .collect();
            let me = r.caller.actor.user_id.clone();
            let closure = store::latest_closure(r.conn(), &family_id)
                .await?
                .map(|c| ClosureView {
                    reason: c.reason,
                    note: c.note,
                    requested_by_you: c.requested_by == me,
                    requested_by: c.requested_by_name,
                    requested_at: c.requested_at,
                    decision: c.decision,
                    comment: c.comment,
                });
            let last_contact = store::last_contact(r.conn(), &family_id).await?;
            let lost_after = r.caller.state.config.lost_after_days;
            let lost = r.case.status != shared::family::CaseStatus::Closed
                && last_contact.is_some_and(|d| shared::follow_up::is_lost(d, today, lost_after));
            Ok(FollowUpsOfCase {
                follow_ups,
                closure,
                lost,
            })
        })
        .await
}

/// A due date: required, today or later.
#[cfg(feature = "ssr")]
fn due_date(
    text: &str,
    calendar: &str,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate, FieldError> {
    match text.trim() {
        "" => Err(FieldError::Required),
        t => shared::calendar::parse_input(t, Calendar::from_code(calendar)).and_then(|d| {
            if d < today {
                Err(FieldError::InvalidDate)
            } else {
                Ok(d)
            }
        }),
    }
}

/// Adds a follow-up (ad hoc, or to adjust the schedule).
#[server(endpoint = "schedule_follow_up")]
pub async fn schedule_follow_up(
    family_id: String,
    #[server(default)] kind: String,
    #[server(default)] due_on: String,
    #[server(default)] calendar: String,
) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::ScheduleFollowUp)
        .form(Form::values(&[("due_on", &due_on), ("kind", &kind)]))
        .write(async |c| {
            let mut errors = FieldErrors::new();
            let kind = errors.take(
                "kind",
                FollowUpKind::parse(&kind).ok_or(FieldError::InvalidChoice),
            );
            let due = errors.take("due_on", due_date(&due_on, &calendar, today_of(c.caller)));
            let (Some(kind), Some(due)) = (kind, due) else {
                return Err(AppError::Invalid(errors));
            };
            let (assignee, now) = (c.case.assigned_to.clone(), c.now());
            let id =
                store::insert(c.conn(), &family_id, kind, due, assignee.as_deref(), now).await?;
            let change = Change::new(CaseEvent::FollowUpScheduled)
                .text(due.to_string())
                .detail(id);
            Ok(c.record((), change)
                .await?
                .then(format!("/cases/{family_id}#follow-ups")))
        })
        .await
}

/// Records the outcome of a scheduled follow-up: `done` (with notes), `missed` (with the
/// reason, logged as a contact attempt) or `cancelled`.
#[server(endpoint = "record_follow_up")]
pub async fn record_follow_up(
    family_id: String,
    follow_up_id: String,
    version: i64,
    #[server(default)] outcome: String,
    #[server(default)] notes: String,
) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::RecordFollowUp)
        .form(Form::values(&[("notes", &notes)]))
        .write(async |c| {
            store::get(c.conn(), &family_id, &follow_up_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let status = FollowUpStatus::parse(&outcome)
                .filter(|s| *s != FollowUpStatus::Scheduled)
                .ok_or(AppError::invalid("outcome", FieldError::InvalidChoice))?;
            let notes = match status {
                FollowUpStatus::Missed => Some(
                    shared::field_error::text(&notes, 3, 1000)
                        .map_err(|e| AppError::invalid("notes", e))?,
                ),
                _ => shared::field_error::optional_text(&notes, 4000)
                    .map_err(|e| AppError::invalid("notes", e))?,
            };
            let today = today_of(c.caller);
            let change = record_outcome(
                c,
                &follow_up_id,
                version,
                status,
                notes.as_deref(),
                None,
                today,
            )
            .await?;
            Ok(c.record((), change)
                .await?
                .then(format!("/cases/{family_id}#follow-ups")))
        })
        .await
}
