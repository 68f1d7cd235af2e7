//! Follow-ups (the monitoring schedule, ad-hoc contacts, their outcomes), the work lists, and
//! case closure: request, approval or return, and reopening.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::follow_ups::{ClosureView, FollowUpView, WorkRow};
use crate::model::follow_ups::{FollowUpsOfCase, WorkListView};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use shared::follow_up::{ClosureReason, FollowUpKind, FollowUpStatus, WorkList};

#[cfg(feature = "ssr")]
use crate::api::families::{calendar_of, case_for, timeline_event};
#[cfg(feature = "ssr")]
use crate::backend::{
    audit,
    auth::{self, Caller},
    emails::{self, ReferralNews},
    respond,
    store::families,
    store::follow_ups as store,
    store::referrals,
};
#[cfg(feature = "ssr")]
use shared::policy::{case_scope, Action, Resource};
#[cfg(feature = "ssr")]
use shared::{FieldError, FieldErrors};

/// "Today" for a user of a country: the date on that country's clocks.
#[cfg(feature = "ssr")]
fn today_of(caller: &Caller) -> chrono::NaiveDate {
    match caller.actor.country {
        Some(c) => shared::follow_up::local_today(caller.now, c),
        None => caller.now.date_naive(),
    }
}

#[cfg(feature = "ssr")]
fn lost_before(caller: &Caller) -> chrono::NaiveDate {
    today_of(caller) - chrono::Duration::days(caller.state.config.lost_after_days)
}

#[cfg(feature = "ssr")]
async fn event(
    conn: &mut sqlx::AnyConnection,
    caller: &Caller,
    family_id: &str,
    kind: &str,
    text: Option<String>,
) -> Result<(), AppError> {
    timeline_event(conn, caller, family_id, kind, text).await?;
    audit::record(
        conn,
        caller.now,
        caller.entry(kind, Some("family"), Some(family_id)),
    )
    .await?;
    Ok(())
}

/// Proposes the monitoring schedule from the template (called when a case is first
/// assessed): one home visit per template date still ahead, assigned to the case's caseworker.
#[cfg(feature = "ssr")]
pub async fn propose_schedule(
    conn: &mut sqlx::AnyConnection,
    caller: &Caller,
    family_id: &str,
) -> Result<usize, AppError> {
    let f = families::get(conn, family_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let returned = shared::calendar::parse_iso(&f.return_date).ok_or(AppError::Internal)?;
    let dates = shared::follow_up::propose_schedule(
        returned,
        today_of(caller),
        &caller.state.config.follow_up_months,
    );
    for d in &dates {
        store::insert(
            conn,
            family_id,
            FollowUpKind::HomeVisit,
            *d,
            f.assigned_to.as_deref(),
            caller.now,
        )
        .await?;
    }
    Ok(dates.len())
}

/// The case's follow-ups, latest closure request and lost-to-follow-up flag.
#[server(endpoint = "case_follow_ups")]
pub async fn case_follow_ups(family_id: String) -> Result<FollowUpsOfCase, AppError> {
    let caller = auth::authenticate().await?;
    let mut conn = caller.state.db.pool.acquire().await?;
    let f = case_for(&caller, &mut conn, &family_id, Action::ViewCase).await?;
    let today = today_of(&caller);
    let follow_ups = store::of_family(&mut conn, &family_id)
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
    let closure = store::latest_closure(&mut conn, &family_id)
        .await?
        .map(|c| ClosureView {
            reason: c.reason,
            note: c.note,
            requested_by: c.requested_by_name,
            requested_at: c.requested_at,
            decision: c.decision,
            comment: c.comment,
        });
    let last_contact = store::last_contact(&mut conn, &family_id).await?;
    let lost = f.status != shared::family::CaseStatus::Closed
        && last_contact.is_some_and(|d| {
            shared::follow_up::is_lost(d, today, caller.state.config.lost_after_days)
        });
    Ok(FollowUpsOfCase {
        follow_ups,
        closure,
        lost,
    })
}

/// Adds a follow-up (ad hoc, or to adjust the schedule).
#[server(endpoint = "schedule_follow_up")]
pub async fn schedule_follow_up(
    family_id: String,
    #[server(default)] kind: String,
    #[server(default)] due_on: String,
    #[server(default)] calendar: String,
) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        let f = case_for(&caller, &mut tx, &family_id, Action::ScheduleFollowUp).await?;
        let mut errors = FieldErrors::new();
        let kind = errors.take(
            "kind",
            FollowUpKind::parse(&kind).ok_or(FieldError::InvalidChoice),
        );
        let due = errors.take("due_on", due_date(&due_on, &calendar, today_of(&caller)));
        let (Some(kind), Some(due)) = (kind, due) else {
            return Err(AppError::Invalid(errors));
        };
        store::insert(
            &mut tx,
            &family_id,
            kind,
            due,
            f.assigned_to.as_deref(),
            caller.now,
        )
        .await?;
        event(
            &mut tx,
            &caller,
            &family_id,
            "follow_up_scheduled",
            Some(due.to_string()),
        )
        .await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/cases/{family_id}#follow-ups"));
        Ok(())
    }
    .await;
    respond::finish(
        "schedule_follow_up",
        &[("due_on", &due_on), ("kind", &kind)],
        result,
    )
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
        t => shared::calendar::parse_input(t, calendar_of(calendar)).and_then(|d| {
            if d < today {
                Err(FieldError::InvalidDate)
            } else {
                Ok(d)
            }
        }),
    }
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
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        case_for(&caller, &mut tx, &family_id, Action::RecordFollowUp).await?;
        store::get(&mut tx, &family_id, &follow_up_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let today = today_of(&caller);
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
        recorded(
            &mut tx,
            &caller,
            &family_id,
            &follow_up_id,
            version,
            status,
            notes.as_deref(),
            None,
            today,
        )
        .await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/cases/{family_id}#follow-ups"));
        Ok(())
    }
    .await;
    respond::finish("record_follow_up", &[("notes", &notes)], result).await
}

/// Writes a follow-up's outcome with everything that goes with it: the contact date, the
/// attempt log of a missed visit, the timeline and the audit log.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
pub async fn recorded(
    conn: &mut sqlx::AnyConnection,
    caller: &Caller,
    family_id: &str,
    follow_up_id: &str,
    version: i64,
    status: FollowUpStatus,
    notes: Option<&str>,
    assessment_id: Option<&str>,
    on: chrono::NaiveDate,
) -> Result<(), AppError> {
    let outcome = store::Outcome {
        status,
        notes: if status == FollowUpStatus::Missed {
            None
        } else {
            notes
        },
        missed_reason: if status == FollowUpStatus::Missed {
            notes
        } else {
            None
        },
        done_on: matches!(status, FollowUpStatus::Done | FollowUpStatus::Missed).then_some(on),
        assessment_id,
    };
    if !store::record(conn, follow_up_id, version, &outcome, caller.now).await? {
        return Err(AppError::Conflict);
    }
    match status {
        FollowUpStatus::Done => store::touch_contact(conn, family_id, on).await?,
        FollowUpStatus::Missed => {
            store::add_attempt(
                conn,
                follow_up_id,
                on,
                notes.unwrap_or_default(),
                &caller.actor.user_id,
                caller.now,
            )
            .await?
        }
        _ => {}
    }
    let kind = match status {
        FollowUpStatus::Done => "follow_up_done",
        FollowUpStatus::Missed => "follow_up_missed",
        _ => "follow_up_cancelled",
    };
    event(conn, caller, family_id, kind, None).await
}

/// A work list: the caller's follow-ups (a supervisor: the whole team's) due today, this
/// week or overdue, or the cases lost to follow-up.
#[server(endpoint = "work_list")]
pub async fn get_work_list(#[server(default)] list: String) -> Result<WorkListView, AppError> {
    let caller = auth::authenticate().await?;
    caller.may(Action::ListCases, Resource::System)?;
    let list = WorkList::parse(&list).unwrap_or(WorkList::Today);
    let supervisor = caller.actor.role == shared::Role::Supervisor;
    let assignee = (!supervisor).then_some(caller.actor.user_id.as_str());
    let scope = case_scope(&caller.actor);
    let today = today_of(&caller);
    let mut conn = caller.state.db.pool.acquire().await?;
    let rows = store::work_list(
        &mut conn,
        &scope,
        assignee,
        list,
        today,
        lost_before(&caller),
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
    })
    .collect();
    let team = if supervisor {
        store::overdue_by_caseworker(&mut conn, &scope, today).await?
    } else {
        Vec::new()
    };
    Ok(WorkListView {
        list,
        today: today.to_string(),
        rows,
        team,
    })
}

/// The caseworker asks to close the case, with the reason.
#[server(endpoint = "request_closure")]
pub async fn request_closure(
    family_id: String,
    #[server(default)] reason: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        case_for(&caller, &mut tx, &family_id, Action::RequestClosure).await?;
        let mut errors = FieldErrors::new();
        let reason = errors.take(
            "reason",
            ClosureReason::parse(&reason).ok_or(FieldError::Required),
        );
        let note = errors.take("note", shared::field_error::optional_text(&note, 2000));
        let (Some(reason), Some(note)) = (reason, note) else {
            return Err(AppError::Invalid(errors));
        };
        if store::latest_closure(&mut tx, &family_id)
            .await?
            .is_some_and(|c| c.decision.is_none())
        {
            return Err(AppError::Conflict);
        }
        store::request_closure(
            &mut tx,
            &family_id,
            reason,
            note.as_deref(),
            &caller.actor.user_id,
            caller.now,
        )
        .await?;
        event(
            &mut tx,
            &caller,
            &family_id,
            "closure_requested",
            Some(reason.as_str().into()),
        )
        .await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/cases/{family_id}#closure"));
        Ok(())
    }
    .await;
    respond::finish("request_closure", &[("note", &note)], result).await
}

/// The supervisor approves (`approve`) or returns (`return`, with a comment) the pending
/// closure request. Approval closes the case: scheduled follow-ups are cancelled and open
/// referrals cancelled with notice to the organisation.
#[server(endpoint = "decide_closure")]
pub async fn decide_closure(
    family_id: String,
    #[server(default)] decision: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        case_for(&caller, &mut tx, &family_id, Action::ApproveClosure).await?;
        let pending = store::latest_closure(&mut tx, &family_id)
            .await?
            .filter(|c| c.decision.is_none())
            .ok_or(AppError::Conflict)?;
        let comment = shared::field_error::optional_text(&comment, 2000)
            .map_err(|e| AppError::invalid("comment", e))?;
        let decided = match decision.as_str() {
            "approve" => "approved",
            "return" if comment.is_none() => {
                return Err(AppError::invalid("comment", FieldError::Required))
            }
            "return" => "returned",
            _ => return Err(AppError::invalid("decision", FieldError::InvalidChoice)),
        };
        if !store::decide_closure(
            &mut tx,
            &pending.case_closure_id,
            decided,
            comment.as_deref(),
            &caller.actor.user_id,
            caller.now,
        )
        .await?
        {
            return Err(AppError::Conflict);
        }
        if decided == "approved" {
            store::cancel_scheduled(&mut tx, &family_id, caller.now).await?;
            for r in referrals::of_family(&mut tx, &family_id).await? {
                if !r.status.is_open() {
                    continue;
                }
                let change = referrals::StatusChange {
                    to: shared::referral::ReferralStatus::Cancelled,
                    from: &[
                        shared::referral::ReferralStatus::Sent,
                        shared::referral::ReferralStatus::Accepted,
                    ],
                    decline_reason: None,
                    outcome: None,
                };
                if referrals::set_status(&mut tx, &r.referral_id, r.version, &change, caller.now)
                    .await?
                {
                    emails::queue_referral(
                        &mut tx,
                        &caller.state.config.public_url,
                        ReferralNews::Cancelled,
                        &r,
                        caller.now,
                    )
                    .await?;
                }
            }
            store::set_case_status(&mut tx, &family_id, "closed").await?;
            event(
                &mut tx,
                &caller,
                &family_id,
                "case_closed",
                Some(pending.reason.as_str().into()),
            )
            .await?;
        } else {
            event(
                &mut tx,
                &caller,
                &family_id,
                "closure_returned",
                comment.clone(),
            )
            .await?;
        }
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/cases/{family_id}"));
        Ok(())
    }
    .await;
    respond::finish("decide_closure", &[("comment", &comment)], result).await
}

/// The supervisor reopens a closed case (it goes back to work, in progress).
#[server(endpoint = "reopen_case")]
pub async fn reopen_case(
    family_id: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        let f = case_for(&caller, &mut tx, &family_id, Action::ReopenCase).await?;
        if f.status != shared::family::CaseStatus::Closed {
            return Err(AppError::Conflict);
        }
        let reason = shared::field_error::text(&reason, 3, 1000)
            .map_err(|e| AppError::invalid("reason", e))?;
        store::set_case_status(&mut tx, &family_id, "in_progress").await?;
        event(&mut tx, &caller, &family_id, "case_reopened", Some(reason)).await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/cases/{family_id}"));
        Ok(())
    }
    .await;
    respond::finish("reopen_case", &[("reason", &reason)], result).await
}
