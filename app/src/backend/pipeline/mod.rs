//! The one request pipeline. Every server function that reads or changes data goes through one
//! of these entries, and each does the same steps in the same order:
//!
//! 1. **who is calling**: the session is checked first; nothing at all (not even a form
//!    flash) is stored for a caller who is not signed in;
//! 2. **one transaction** (on SQLite `BEGIN IMMEDIATE`), in which the record is loaded *and
//!    locked* (`FOR UPDATE` on PostgreSQL);
//! 3. **may they**: the policy of `shared::policy`, including the closed-case rule, asked
//!    inside that transaction; a record that exists but is out of the caller's sight is
//!    answered as missing, and the refusal is audited;
//! 4. **the version** the form was loaded with is checked (a stale form changes nothing);
//! 5. the function's own work;
//! 6. **recorded**: a write can only end with a [`Recorded`] value, which only
//!    `record` makes, and `record` writes the typed timeline event and audit entry; a read of
//!    case data names its audit action up front and the entry is written before the data
//!    leaves (committed together with other reads' entries: `audit_writer.rs`);
//! 7. commit, then the answer: JSON for a program or an island, or for a plain form post
//!    a redirect with a flash (`answer.rs`).
//!
//! Entries: [`case`] (a family's record, for ministry staff), [`cases`] (one step on several
//! of them: a supervisor's reassignment, a merge), [`referral`] (a referral, for the partner it is
//! addressed to) and [`system`] (administration, lists, one's own account, and
//! registration, whose case does not exist yet). Signing in and out, which serve callers not
//! signed in yet, are the only server functions outside it (`api/auth.rs`).

mod answer;
mod case;
mod cases;
mod referral;
mod system;

pub use answer::Form;
pub use case::{case, CaseRead, CaseRequest, CaseTx};
pub use cases::{cases, CasesTx, MAX_CASES};
pub use referral::{referral, ReferralRead, ReferralRequest, ReferralTx};
pub use system::{system, SystemRead, SystemRequest, SystemTx};

use super::auth::{self, Caller};
use super::store::{audit_log, timeline};
use crate::error::AppError;
use answer::answer;
use chrono::{DateTime, Utc};
use shared::audit::{AuditAction, AuditTarget};
use shared::policy::Action;
use shared::timeline::CaseEvent;
use sqlx::AnyConnection;
use std::future::Future;

/// A write that has been recorded on the timeline and in the audit log: the only way a write's
/// work can end (see [`CaseTx::record`], [`ReferralTx::record`], [`SystemTx::record`]).
#[must_use]
pub struct Recorded<T> {
    value: T,
    then: Option<String>,
}

impl<T> Recorded<T> {
    fn new(value: T) -> Self {
        Recorded { value, then: None }
    }

    /// Where a plain form post goes once the change is committed (else back to its page).
    pub fn then(mut self, path: impl Into<String>) -> Self {
        self.then = Some(path.into());
        self
    }
}

/// A change to a case: the timeline event and, from it, the audit entry.
#[derive(Clone, Debug)]
pub struct Change {
    event: CaseEvent,
    text: Option<String>,
    fields: Vec<String>,
    target: Option<(AuditTarget, String)>,
    detail: Option<String>,
}

impl Change {
    pub fn new(event: CaseEvent) -> Self {
        Change {
            event,
            text: None,
            fields: Vec::new(),
            target: None,
            detail: None,
        }
    }

    /// The text the timeline shows with the event (a name, a reason, a date).
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    pub fn maybe_text(mut self, text: Option<String>) -> Self {
        self.text = text;
        self
    }

    /// The fields an edit changed.
    pub fn fields(mut self, fields: Vec<String>) -> Self {
        self.fields = fields;
        self
    }

    /// The record the audit entry is about, when it is not the family itself.
    pub fn about(mut self, target: AuditTarget, id: &str) -> Self {
        self.target = Some((target, id.to_string()));
        self
    }

    /// A short machine-readable note for the audit entry (ids, codes; no personal data).
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// Writes a change's timeline event (at the case's version) and its audit entry.
async fn write_change(
    conn: &mut AnyConnection,
    caller: &Caller,
    family_id: &str,
    version: i64,
    change: Change,
) -> Result<(), AppError> {
    let by = (
        Some(caller.actor.user_id.as_str()),
        caller.client_addr.as_deref(),
    );
    write_event(conn, caller.now, by, family_id, version, change).await?;
    Ok(())
}

/// Writes a change the system made itself, with no one signed in (retention): the same
/// timeline event and audit entry as [`write_change`], with no actor and no address.
pub(crate) async fn write_system_change(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    family_id: &str,
    version: i64,
    change: Change,
) -> Result<(), sqlx::Error> {
    write_event(conn, now, (None, None), family_id, version, change).await
}

/// The timeline event and, from the same value, the audit entry: `by` is the actor and the
/// client address.
async fn write_event(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    by: (Option<&str>, Option<&str>),
    family_id: &str,
    version: i64,
    change: Change,
) -> Result<(), sqlx::Error> {
    let detail = timeline::EventDetail {
        fields: change.fields,
        text: change.text,
    };
    timeline::append(conn, family_id, now, by.0, change.event, &detail, version).await?;
    let (target, id) = change
        .target
        .unwrap_or((AuditTarget::Family, family_id.to_string()));
    let detail = change
        .detail
        .or_else(|| (target != AuditTarget::Family).then(|| family_id.to_string()));
    let entry = audit_log::Entry {
        actor_user_id: by.0,
        action: change.event.audit_action(),
        target: Some((target, &id)),
        client_addr: by.1,
        detail: detail.as_deref(),
    };
    audit_log::record(conn, now, &entry).await
}

/// Why a request stopped before its work was done.
pub(super) enum Stop {
    /// An answer to give as it is.
    Error(AppError),
    /// A record that exists, out of the caller's sight: audited (outside the transaction,
    /// which is rolled back by then), then answered as if it did not exist.
    Refused(AuditTarget, String),
}

impl From<AppError> for Stop {
    fn from(e: AppError) -> Self {
        Stop::Error(e)
    }
}

impl From<sqlx::Error> for Stop {
    fn from(e: sqlx::Error) -> Self {
        Stop::Error(e.into())
    }
}

impl Stop {
    async fn into_error(self, caller: &Caller, action: Action) -> AppError {
        let (target, id) = match self {
            Stop::Error(e) => return e,
            Stop::Refused(target, id) => (target, id),
        };
        let detail = format!("{action:?}");
        let written = caller
            .audit_read(
                AuditAction::AccessRefused,
                Some((target, &id)),
                Some(&detail),
            )
            .await;
        match written {
            Ok(()) => AppError::NotFound,
            Err(e) => e,
        }
    }
}

/// The frame every write shares: authenticate (a caller who is not signed in is answered at
/// once and nothing is stored), run `body` (which opens and commits the transaction), settle
/// a refusal, answer.
async fn write_frame<T>(
    form: &Form,
    action: Action,
    body: impl AsyncFnOnce(&Caller) -> Result<Recorded<T>, Stop>,
) -> Result<T, AppError> {
    let caller = match auth::authenticate().await {
        Ok(c) => c,
        Err(e) => return answer(false, form, Err(e)).await,
    };
    let result = match body(&caller).await {
        Ok(recorded) => Ok(recorded),
        Err(stop) => Err(stop.into_error(&caller, action).await),
    };
    answer(true, form, result).await
}

/// The frame every read shares: the caller as `authenticate` finds them, `body`, a refusal
/// settled.
async fn read_frame<T>(
    authenticate: impl Future<Output = Result<Caller, AppError>>,
    action: Action,
    body: impl AsyncFnOnce(&Caller) -> Result<T, Stop>,
) -> Result<T, AppError> {
    let caller = authenticate.await?;
    match body(&caller).await {
        Ok(value) => Ok(value),
        Err(stop) => Err(stop.into_error(&caller, action).await),
    }
}
