//! Consent given or withdrawn, and notes on a case.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::store::families,
    shared::family::ConsentKind,
    shared::policy::Action,
    shared::timeline::CaseEvent,
    shared::{FieldError, FieldErrors},
};

/// Records consent given or withdrawn (`given` = `yes` or `no`). A withdrawal takes effect
/// at once, on closed cases too: a withdrawn consent to sharing stops referrals and ends what
/// partners see of the family.
#[server(endpoint = "record_consent")]
pub async fn record_consent(
    family_id: String,
    kind: String,
    given: String,
    given_by: String,
) -> Result<(), AppError> {
    let action = match given.as_str() {
        "no" => Action::WithdrawConsent,
        _ => Action::RecordConsent,
    };
    pipeline::case(&family_id, action)
        .form(Form::values(&[("given_by", &given_by)]))
        .write(async |c| {
            let mut errors = FieldErrors::new();
            let kind = errors.take(
                "kind",
                ConsentKind::parse(&kind).ok_or(FieldError::InvalidChoice),
            );
            let given = errors.take(
                "given",
                match given.as_str() {
                    "yes" => Ok(true),
                    "no" => Ok(false),
                    _ => Err(FieldError::InvalidChoice),
                },
            );
            let given_by = errors.take("given_by", shared::field_error::text(&given_by, 2, 100));
            let (Some(kind), Some(given), Some(given_by)) = (kind, given, given_by) else {
                return Err(AppError::Invalid(errors));
            };
            let (user, now) = (c.caller.actor.user_id.clone(), c.now());
            families::consent::record_consent(
                c.conn(),
                &family_id,
                kind,
                given,
                &given_by,
                &user,
                now,
            )
            .await?;
            let event = if given {
                CaseEvent::ConsentGiven
            } else {
                CaseEvent::ConsentWithdrawn
            };
            let change = Change::new(event).text(kind.as_str()).detail(kind.as_str());
            c.record((), change).await
        })
        .await
}

/// Adds a dated note to the case.
#[server(endpoint = "add_note")]
pub async fn add_note(
    family_id: String,
    body: String,
    #[server(default)] internal: String,
) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::EditCase)
        .form(Form::values(&[("body", &body), ("internal", &internal)]))
        .write(async |c| {
            let body = shared::field_error::text(&body, 1, 4000)
                .map_err(|e| AppError::invalid("body", e))?;
            let (user, now) = (c.caller.actor.user_id.clone(), c.now());
            let internal = !internal.is_empty();
            families::add_note(c.conn(), &family_id, &body, internal, &user, now).await?;
            c.record((), Change::new(CaseEvent::NoteAdded)).await
        })
        .await
}
