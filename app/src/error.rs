//! The one error type of server functions. Each variant says what the user is told and which
//! HTTP status it becomes; internal details (database errors, bugs) are logged on the server
//! and reach the client only as [`AppError::Internal`].

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use shared::FieldErrors;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// 401: no session, or it expired. The page sends the user to sign in.
    #[error("sign-in required")]
    Unauthenticated,
    /// 404: no such record, or one the caller may not see (the two are indistinguishable).
    #[error("not found")]
    NotFound,
    /// 403: the caller's role may not use this function at all.
    #[error("forbidden")]
    Forbidden,
    /// 422: the input has errors, field by field.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// 409: someone saved the record since the caller loaded it.
    #[error("edit conflict")]
    Conflict,
    /// 409: the family being registered may already have a case; the caller must look and
    /// confirm before it is saved.
    #[error("possible duplicates")]
    PossibleDuplicates(Vec<shared::family::DuplicateCandidate>),
    /// 409: the case is closed and read-only until a supervisor reopens it.
    #[error("case closed")]
    CaseClosed,
    /// 409: the case was anonymised after its retention period: only its coded facts remain,
    /// and it cannot be worked on or reopened.
    #[error("case anonymised")]
    CaseAnonymised,
    /// 409: the record was merged into another; it is kept as it was, read only.
    #[error("case merged")]
    CaseMerged,
    /// 422: the family has not agreed to share its data with partner organisations, so it
    /// cannot be referred.
    #[error("no consent to sharing")]
    NoSharingConsent,
    /// 401: email and password do not match an active account (which one is never said).
    #[error("sign-in failed")]
    BadCredentials,
    /// 401: the reference and code typed at `/r` open no referral (which of the two is wrong
    /// is never said).
    #[error("wrong code")]
    WrongCode,
    /// 410: the code was right, but its referral has ended or the code's time has passed.
    #[error("code ended")]
    CodeEnded,
    /// 429: too many failed sign-ins for this email address; try again later.
    #[error("temporarily locked")]
    LockedOut,
    /// 429: too many sign-ins at this moment; try again in a moment.
    #[error("busy")]
    Busy,
    /// 403: an administrator set this account's password; it must be changed first.
    #[error("password change required")]
    PasswordChangeRequired,
    /// 403: this decision must be made by someone other than the person who asked for it.
    #[error("second person required")]
    SecondPersonRequired,
    /// 400: the request could not be read (a tampered or truncated form).
    #[error("bad request")]
    BadRequest,
    /// 500: something failed on the server; details are in the server log only.
    #[error("internal error")]
    Internal,
    /// 503: the database cannot be used at the moment (its disk is full, it is restarting,
    /// no connection is free); nothing was saved, and trying again later will work.
    #[error("unavailable")]
    Unavailable,
    /// The server could not be reached (client side only: network down, timeout).
    #[error("network error")]
    Network,
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::BadCredentials | AppError::WrongCode => 401,
            AppError::CodeEnded => 410,
            AppError::NotFound => 404,
            AppError::Forbidden
            | AppError::PasswordChangeRequired
            | AppError::SecondPersonRequired => 403,
            AppError::Invalid(_) | AppError::NoSharingConsent => 422,
            AppError::Conflict
            | AppError::PossibleDuplicates(_)
            | AppError::CaseClosed
            | AppError::CaseAnonymised
            | AppError::CaseMerged => 409,
            AppError::LockedOut | AppError::Busy => 429,
            AppError::BadRequest => 400,
            AppError::Internal => 500,
            AppError::Unavailable | AppError::Network => 503,
        }
    }

    /// The error's name, as it travels in a URL (the sign-in page's `?error=`).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::NotFound => "not_found",
            AppError::Forbidden => "forbidden",
            AppError::Invalid(_) => "invalid",
            AppError::Conflict => "conflict",
            AppError::PossibleDuplicates(_) => "possible_duplicates",
            AppError::CaseClosed => "case_closed",
            AppError::CaseAnonymised => "case_anonymised",
            AppError::CaseMerged => "case_merged",
            AppError::NoSharingConsent => "no_sharing_consent",
            AppError::BadCredentials => "bad_credentials",
            AppError::WrongCode => "wrong_code",
            AppError::CodeEnded => "code_ended",
            AppError::LockedOut => "locked_out",
            AppError::Busy => "busy",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::SecondPersonRequired => "second_person_required",
            AppError::BadRequest => "bad_request",
            AppError::Internal => "internal",
            AppError::Unavailable => "unavailable",
            AppError::Network => "network",
        }
    }

    /// The error a code names, for the errors that carry no data.
    pub fn from_code(code: &str) -> Option<AppError> {
        [
            AppError::Unauthenticated,
            AppError::NotFound,
            AppError::Forbidden,
            AppError::Conflict,
            AppError::CaseClosed,
            AppError::CaseAnonymised,
            AppError::CaseMerged,
            AppError::NoSharingConsent,
            AppError::BadCredentials,
            AppError::WrongCode,
            AppError::CodeEnded,
            AppError::LockedOut,
            AppError::Busy,
            AppError::PasswordChangeRequired,
            AppError::SecondPersonRequired,
            AppError::BadRequest,
            AppError::Internal,
            AppError::Unavailable,
            AppError::Network,
        ]
        .into_iter()
        .find(|e| e.code() == code)
    }

    /// The field errors, if this is a validation failure.
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(e) => Some(e),
            _ => None,
        }
    }

    pub fn invalid(field: &str, error: shared::FieldError) -> Self {
        AppError::Invalid(FieldErrors::single(field, error))
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl From<shared::policy::Denied> for AppError {
    fn from(d: shared::policy::Denied) -> Self {
        match d {
            shared::policy::Denied::NotFound => AppError::NotFound,
            shared::policy::Denied::Forbidden => AppError::Forbidden,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            // On the server, what failed to decode is the request's body (not UTF-8, say):
            // the client's mistake. In the browser it is an answer, and that is ours.
            ServerFnErrorErr::Deserialization(_) if cfg!(feature = "ssr") => AppError::BadRequest,
            ServerFnErrorErr::Request(_) => AppError::Network,
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        // sqlx's messages name tables and constraints, never the values bound.
        let answer = AppError::of_database(&e);
        match answer {
            AppError::Unavailable => tracing::warn!(error = %e, "database unavailable"),
            _ => tracing::error!(error = %e, "database error"),
        }
        answer
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The answer to a request that failed with the database error `e`: 503 when the
    /// database is unavailable for now, 500 otherwise. Logs nothing.
    pub fn of_database(e: &sqlx::Error) -> AppError {
        match is_unavailable(e) {
            true => AppError::Unavailable,
            false => AppError::Internal,
        }
    }
}

/// True when the database cannot serve at the moment, through no fault of the request: the
/// connection is gone or cannot be had, the disk is full, the server is shutting down or
/// starting. Such a request is answered 503 at once, and the next one may succeed.
#[cfg(feature = "ssr")]
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            // PostgreSQL's SQLSTATE has five characters; SQLite's extended result codes have
            // at most four digits.
            if code.len() == 5 {
                // Connection exceptions, insufficient resources (53100 is the disk full),
                // and the server shutting down or starting.
                code.starts_with("08")
                    || code.starts_with("53")
                    || matches!(code.as_ref(), "57P01" | "57P02" | "57P03")
            } else {
                // The primary result code (the low byte): BUSY, IOERR, FULL, CANTOPEN.
                code.parse::<i64>()
                    .is_ok_and(|n| matches!(n & 0xff, 5 | 10 | 13 | 14))
            }
        }
        _ => false,
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::AppError;

    #[test]
    fn a_database_that_cannot_serve_now_is_a_503_and_anything_else_a_500() {
        let gone = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        for e in [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::Io(gone),
        ] {
            assert_eq!(AppError::of_database(&e), AppError::Unavailable, "{e}");
        }
        assert_eq!(
            AppError::of_database(&sqlx::Error::RowNotFound),
            AppError::Internal
        );
        assert_eq!(AppError::Unavailable.status(), 503);
        assert_eq!(
            AppError::from_code(AppError::Unavailable.code()),
            Some(AppError::Unavailable)
        );
    }
}
