//! Closing a case: the caseworker asks, a supervisor who did not ask decides; a closed case
//! can be reopened by a supervisor.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::api::transfers::end as end_transfer,
    crate::backend::emails::{self, ReferralNews},
    crate::backend::pipeline::{self, CaseTx, Change, Form},
    crate::backend::store::{follow_ups as store, referrals, transfers},
    shared::family::transfer::TransferDecision,
    shared::family::{status::Step, CaseStatus},
    shared::follow_up::ClosureReason,
    shared::policy::Action,
    shared::referral::ReferralStatus,
    shared::timeline::CaseEvent,
    shared::{FieldError, FieldErrors},
};

/// The caseworker asks to close the case, with the reason. One request may be pending.
#[server(endpoint = "request_closure")]
pub async fn request_closure(
    family_id: String,
    #[server(default)] reason: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::RequestClosure)
        .form(Form::values(&[("note", &note)]))
        .write(async |c| {
            let mut errors = FieldErrors::new();
            let reason = errors.take(
                "reason",
                ClosureReason::parse(&reason).ok_or(FieldError::Required),
            );
            let note = errors.take("note", shared::field_error::optional_text(&note, 2000));
            let (Some(reason), Some(note)) = (reason, note) else {
                return Err(AppError::Invalid(errors));
            };
            if store::latest_closure(c.conn(), &family_id)
                .await?
                .is_some_and(|c| c.decision.is_none())
            {
                return Err(AppError::Conflict);
            }
            let (user, now) = (c.caller.actor.user_id.clone(), c.now());
            store::request_closure(c.conn(), &family_id, reason, note.as_deref(), &user, now)
                .await?;
            let change = Change::new(CaseEvent::ClosureRequested).text(reason.as_str());
            Ok(c.record((), change)
                .await?
                .then(format!("/cases/{family_id}#closure")))
        })
        .await
}

/// A supervisor approves (`approve`) or returns (`return`, with a comment) the pending
/// closure request — never their own. Approval closes the case: scheduled follow-ups are
/// cancelled, and open referrals cancelled with notice to the organisation.
#[server(endpoint = "decide_closure")]
pub async fn decide_closure(
    family_id: String,
    #[server(default)] decision: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::ApproveClosure)
        .form(Form::values(&[("comment", &comment)]))
        .write(async |c| {
            let pending = store::latest_closure(c.conn(), &family_id)
                .await?
                .filter(|c| c.decision.is_none())
                .ok_or(AppError::Conflict)?;
            let (decided, comment) =
                crate::api::decide_request(c.caller, &pending.requested_by, &decision, &comment)?;
            let (user, now) = (c.caller.actor.user_id.clone(), c.now());
            let id = pending.case_closure_id.clone();
            if !store::decide_closure(c.conn(), &id, decided, comment.as_deref(), &user, now)
                .await?
            {
                return Err(AppError::Conflict);
            }
            let then = format!("/cases/{family_id}");
            if decided == "returned" {
                let change = Change::new(CaseEvent::ClosureReturned).maybe_text(comment);
                return Ok(c.record((), change).await?.then(then));
            }
            store::cancel_scheduled(c.conn(), &family_id, now).await?;
            cancel_open_referrals(c, &family_id).await?;
            // A closed case goes nowhere: a transfer still waiting is withdrawn.
            if let Some(t) = transfers::pending(c.conn(), &family_id).await? {
                end_transfer(
                    c,
                    &t.case_transfer_id,
                    TransferDecision::Withdrawn,
                    None,
                    None,
                )
                .await?;
                c.also(Change::new(CaseEvent::TransferWithdrawn).text(t.to_province))
                    .await?;
            }
            c.advance(Step::Closed).await?;
            let change = Change::new(CaseEvent::CaseClosed).text(pending.reason.as_str());
            Ok(c.record((), change).await?.then(then))
        })
        .await
}

/// Cancels the case's open referrals, each organisation told by email (a case closed or
/// erased leaves nothing for them to do).
#[cfg(feature = "ssr")]
pub(crate) async fn cancel_open_referrals(
    c: &mut CaseTx<'_>,
    family_id: &str,
) -> Result<(), AppError> {
    let (now, public_url) = (c.now(), c.caller.state.config.public_url.clone());
    for r in referrals::of_family(c.conn(), family_id).await? {
        if !r.status.is_open() {
            continue;
        }
        let change = referrals::StatusChange {
            to: ReferralStatus::Cancelled,
            from: &[ReferralStatus::Sent, ReferralStatus::Accepted],
            decline_reason: None,
            outcome: None,
        };
        if referrals::set_status(c.conn(), &r.referral_id, r.version, &change, now).await? {
            emails::queue_referral(c.conn(), &public_url, ReferralNews::Cancelled, &r, now).await?;
        }
    }
    Ok(())
}

/// A supervisor reopens a closed case (it returns to the status its history earns: in progress
/// once work had started), if nobody changed it since `version`.
#[server(endpoint = "reopen_case")]
pub async fn reopen_case(
    family_id: String,
    version: i64,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::ReopenCase)
        .version(version)
        .form(Form::values(&[("reason", &reason)]))
        .write(async |c| {
            if c.case.status != CaseStatus::Closed {
                return Err(AppError::Conflict);
            }
            let reason = shared::field_error::text(&reason, 3, 1000)
                .map_err(|e| AppError::invalid("reason", e))?;
            c.advance(Step::Reopened).await?;
            let change = Change::new(CaseEvent::CaseReopened).text(reason);
            Ok(c.record((), change)
                .await?
                .then(format!("/cases/{family_id}")))
        })
        .await
}
