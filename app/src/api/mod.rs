//! Server functions: the HTTP API of the pages, one module per area. Each reads top to bottom:
//! who is calling → may they (the policy in `shared`) → one transaction → typed result.
//! Endpoint names are explicit and stable; docs/api.md lists them with their arguments.

pub mod account;
pub mod admin;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod documents;
pub mod families;
pub mod family_data;
pub mod follow_ups;
pub mod merges;
pub mod overview;
pub mod referrals;
pub mod team;
pub mod transfers;

/// A decision on a request someone else made (a closure, an erasure): `approve`, or `return`
/// with a comment, never by whoever asked. Answers `approved` or `returned`, and the comment.
#[cfg(feature = "ssr")]
pub(crate) fn decide_request(
    caller: &crate::backend::auth::Caller,
    requested_by: &str,
    decision: &str,
    comment: &str,
) -> Result<(&'static str, Option<String>), crate::error::AppError> {
    use crate::error::AppError;
    use shared::FieldError;
    shared::policy::second_person(&caller.actor, requested_by)
        .map_err(|_| AppError::SecondPersonRequired)?;
    let comment = shared::field_error::optional_text(comment, 2000)
        .map_err(|e| AppError::invalid("comment", e))?;
    match decision {
        "approve" => Ok(("approved", comment)),
        "return" if comment.is_none() => Err(AppError::invalid("comment", FieldError::Required)),
        "return" => Ok(("returned", comment)),
        _ => Err(AppError::invalid("decision", FieldError::InvalidChoice)),
    }
}
