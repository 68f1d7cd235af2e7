//! A family's own data, for supervisors when the family asks: everything held about it (the
//! printable summary here; the JSON download and the reading both share are in
//! `backend/family_export.rs`), and its erasure, asked by one supervisor and carried out when
//! another approves. Anonymisation after the retention period is the housekeeping worker's
//! (`backend/retention.rs`).

use crate::error::AppError;
use crate::model::retention::{FamilyDataView, FamilyRecord};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::backend::family_export,
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::store::retention as store,
    crate::model::retention::ErasureView,
    shared::audit::AuditAction,
    shared::policy::Action,
    shared::retention::ErasureReason,
    shared::timeline::CaseEvent,
    shared::{FieldError, FieldErrors},
};

/// What the family's data page shows: the case, whether it was anonymised, and its latest
/// erasure request.
#[server(endpoint = "family_data")]
pub async fn family_data(family_id: String) -> Result<FamilyDataView, AppError> {
    pipeline::case(&family_id, Action::ExportFamily)
        .read(AuditAction::CaseViewed, async |r| {
            r.audit_detail("family data");
            let me = r.caller.actor.user_id.clone();
            let erasure = store::latest_erasure(r.conn(), &family_id)
                .await?
                .map(|e| ErasureView {
                    requested_by_you: e.requested_by == me,
                    reason: e.reason,
                    note: e.note,
                    requested_by: e.requested_by_name,
                    requested_at: e.requested_at,
                    decision: e.decision,
                    comment: e.comment,
                });
            Ok(FamilyDataView {
                family_id: r.case.family_id.clone(),
                case_number: r.case.case_number.clone(),
                anonymised_at: r.case.anonymised_at.clone(),
                erasure,
            })
        })
        .await
}

/// Everything held about the family, table by table: the printable summary's data. Audited
/// as an export.
#[server(endpoint = "export_family")]
pub async fn export_family(family_id: String) -> Result<FamilyRecord, AppError> {
    pipeline::case(&family_id, Action::ExportFamily)
        .read(AuditAction::FamilyExported, async |r| {
            r.audit_detail("summary");
            family_export::record_of(r).await
        })
        .await
}

/// A supervisor asks for the family's erasure, with the reason. One request may be pending.
#[server(endpoint = "request_erasure")]
pub async fn request_erasure(
    family_id: String,
    #[server(default)] reason: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::RequestErasure)
        .form(Form::values(&[("reason", &reason), ("note", &note)]))
        .write(async |c| {
            let mut errors = FieldErrors::new();
            let reason = errors.take(
                "reason",
                ErasureReason::parse(&reason).ok_or(FieldError::Required),
            );
            let note = errors.take("note", shared::field_error::optional_text(&note, 2000));
            let (Some(reason), Some(note)) = (reason, note) else {
                return Err(AppError::Invalid(errors));
            };
            if store::latest_erasure(c.conn(), &family_id)
                .await?
                .is_some_and(|e| e.decision.is_none())
            {
                return Err(AppError::Conflict);
            }
            let (user, now) = (c.caller.actor.user_id.clone(), c.now());
            let id =
                store::request_erasure(c.conn(), &family_id, reason, note.as_deref(), &user, now)
                    .await?;
            let change = Change::new(CaseEvent::ErasureRequested)
                .text(reason.as_str())
                .detail(id);
            Ok(c.record((), change)
                .await?
                .then(format!("/cases/{family_id}/data")))
        })
        .await
}

/// Another supervisor approves (`approve`) or returns (`return`, with a comment) the pending
/// erasure request. Approval erases the family in this transaction: every row held about it
/// goes, and what remains is the trail (the request and the audit entries, ids, codes and
/// times only).
#[server(endpoint = "decide_erasure")]
pub async fn decide_erasure(
    family_id: String,
    #[server(default)] decision: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::DecideErasure)
        .form(Form::values(&[("comment", &comment)]))
        .write(async |c| {
            let pending = store::latest_erasure(c.conn(), &family_id)
                .await?
                .filter(|e| e.decision.is_none())
                .ok_or(AppError::Conflict)?;
            let (decided, comment) =
                crate::api::decide_request(c.caller, &pending.requested_by, &decision, &comment)?;
            let (user, now) = (c.caller.actor.user_id.clone(), c.now());
            let id = pending.erasure_request_id.clone();
            if !store::decide_erasure(c.conn(), &id, decided, comment.as_deref(), &user, now)
                .await?
            {
                return Err(AppError::Conflict);
            }
            if decided == "returned" {
                let change = Change::new(CaseEvent::ErasureReturned)
                    .maybe_text(comment)
                    .detail(id);
                return Ok(c
                    .record((), change)
                    .await?
                    .then(format!("/cases/{family_id}/data")));
            }
            let change = Change::new(CaseEvent::Erased)
                .text(pending.reason.as_str())
                .detail(id);
            // Organisations still working on a referral are told it is cancelled.
            crate::api::follow_ups::cancel_open_referrals(c, &family_id).await?;
            let recorded = c.record((), change).await?;
            store::erase(c.conn(), &family_id).await?;
            Ok(recorded.then("/cases"))
        })
        .await
}
