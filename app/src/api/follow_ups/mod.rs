//! Follow-ups (the monitoring schedule, ad-hoc contacts, their outcomes), the work lists, and
//! case closure: request, approval or return by a second person, and reopening.

mod closure;
mod schedule;
mod work;

pub use closure::{
    decide_closure, reopen_case, request_closure, DecideClosure, ReopenCase, RequestClosure,
};
pub use schedule::{
    case_follow_ups, record_follow_up, schedule_follow_up, CaseFollowUps, RecordFollowUp,
    ScheduleFollowUp,
};
pub use work::{get_work_list, GetWorkList};

#[cfg(feature = "ssr")]
pub(crate) use closure::cancel_open_referrals;

#[cfg(feature = "ssr")]
use {
    crate::backend::{
        auth::Caller, pipeline::CaseTx, pipeline::Change, store::follow_ups as store,
    },
    crate::error::AppError,
    shared::follow_up::{FollowUpKind, FollowUpStatus},
    shared::timeline::CaseEvent,
};

/// "Today" for a user of a country: the date on that country's clocks.
#[cfg(feature = "ssr")]
pub(crate) fn today_of(caller: &Caller) -> chrono::NaiveDate {
    match caller.actor.country {
        Some(c) => shared::follow_up::local_today(caller.now, c),
        None => caller.now.date_naive(),
    }
}

#[cfg(feature = "ssr")]
fn lost_before(caller: &Caller) -> chrono::NaiveDate {
    today_of(caller) - chrono::Duration::days(caller.state.config.lost_after_days)
}

/// Proposes the monitoring schedule from the template (when a case is first assessed): one
/// home visit per template date still ahead, assigned to the case's caseworker.
#[cfg(feature = "ssr")]
pub(crate) async fn propose_schedule(
    c: &mut CaseTx<'_>,
    return_date: &str,
) -> Result<usize, AppError> {
    let returned = shared::calendar::parse_iso(return_date).ok_or(AppError::Internal)?;
    let dates = shared::follow_up::propose_schedule(
        returned,
        today_of(c.caller),
        &c.caller.state.config.follow_up_months,
    );
    let (family_id, assignee, now) = (
        c.case.family_id.clone(),
        c.case.assigned_to.clone(),
        c.now(),
    );
    for d in &dates {
        let kind = FollowUpKind::HomeVisit;
        store::insert(c.conn(), &family_id, kind, *d, assignee.as_deref(), now).await?;
    }
    Ok(dates.len())
}

/// Writes a follow-up's outcome with what goes with it (the contact date, the attempt log of
/// a missed visit), if it is still at `version`; answers the change to record.
#[cfg(feature = "ssr")]
pub(crate) async fn record_outcome(
    c: &mut CaseTx<'_>,
    follow_up_id: &str,
    version: i64,
    status: FollowUpStatus,
    notes: Option<&str>,
    assessment_id: Option<&str>,
    on: chrono::NaiveDate,
) -> Result<Change, AppError> {
    let missed = status == FollowUpStatus::Missed;
    let outcome = store::Outcome {
        status,
        notes: if missed { None } else { notes },
        missed_reason: if missed { notes } else { None },
        done_on: matches!(status, FollowUpStatus::Done | FollowUpStatus::Missed).then_some(on),
        assessment_id,
    };
    let (family_id, user, now) = (
        c.case.family_id.clone(),
        c.caller.actor.user_id.clone(),
        c.now(),
    );
    if !store::record(c.conn(), follow_up_id, version, &outcome, now).await? {
        return Err(AppError::Conflict);
    }
    let event = match status {
        FollowUpStatus::Done => {
            store::touch_contact(c.conn(), &family_id, on).await?;
            CaseEvent::FollowUpDone
        }
        FollowUpStatus::Missed => {
            let note = notes.unwrap_or_default();
            store::add_attempt(c.conn(), follow_up_id, on, note, &user, now).await?;
            CaseEvent::FollowUpMissed
        }
        _ => CaseEvent::FollowUpCancelled,
    };
    Ok(Change::new(event).detail(follow_up_id))
}
