//! The pipeline of everything that is not one case or one referral: administration, lists,
//! one's own account, and registration (a case that does not exist yet): [`system`] then
//! `.write(…)` or `.read(…)`.

use super::answer::Form;
use super::{read_frame, write_change, write_frame, Change, Recorded};
use crate::backend::auth::{self, Caller};
use crate::backend::db::Tx;
use crate::backend::sign_in;
use crate::backend::state::AppState;
use crate::backend::store::{audit_log, families};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use http::request::Parts;
use shared::audit::{AuditAction, AuditTarget};
use shared::policy::{Action, Resource};
use shared::{FieldError, FieldErrors};
use sqlx::AnyConnection;

/// Starts a request for `action`, which the policy answers for the caller's role.
pub fn system(action: Action) -> SystemRequest {
    SystemRequest {
        action,
        form: Form::new(),
        password: None,
        route: None,
    }
}

pub struct SystemRequest {
    action: Action,
    form: Form,
    /// A plain axum route's request (server functions find theirs in the context).
    route: Option<(AppState, Parts)>,
    /// The caller's own password to check first (and the field that gets its error).
    password: Option<(String, &'static str, FieldErrors)>,
}

/// A write's transaction.
pub struct SystemTx<'c> {
    pub caller: &'c Caller,
    tx: Tx,
}

/// A read's connection.
pub struct SystemRead<'c> {
    pub caller: &'c Caller,
    conn: sqlx::pool::PoolConnection<sqlx::Any>,
    detail: Option<String>,
}

impl SystemRequest {
    pub fn form(mut self, form: Form) -> Self {
        self.form = form;
        self
    }

    /// Serves a plain axum route (not a server function), whose request is given.
    pub fn route(mut self, state: &AppState, parts: &Parts) -> Self {
        self.route = Some((state.clone(), parts.clone()));
        self
    }

    /// Checks the caller's own password before the transaction (under the sign-in
    /// throttle, whose counting must commit even when the write does not). `found` are the
    /// form's other errors, found before: they are answered together with a wrong password's.
    pub fn prove_password(
        mut self,
        password: String,
        field: &'static str,
        found: FieldErrors,
    ) -> Self {
        self.password = Some((password, field, found));
        self
    }

    /// Authenticates, asks the policy, runs `work` in one transaction, commits, answers.
    pub async fn write<T>(
        self,
        work: impl AsyncFnOnce(&mut SystemTx<'_>) -> Result<Recorded<T>, AppError>,
    ) -> Result<T, AppError> {
        let (action, password) = (self.action, self.password);
        write_frame(&self.form, action, async |caller| {
            caller.may(action, Resource::System)?;
            if let Some((password, field, mut found)) = password {
                if let Err(e) = sign_in::prove_password(caller, password).await {
                    match e {
                        AppError::Invalid(_) => found.add(field, FieldError::WrongPassword),
                        other => return Err(other.into()),
                    }
                }
                if !found.is_empty() {
                    return Err(AppError::Invalid(found).into());
                }
            }
            let tx = caller.state.db.begin().await?;
            let mut s = SystemTx { caller, tx };
            let recorded = work(&mut s).await?;
            s.tx.commit().await?;
            Ok(recorded)
        })
        .await
    }

    /// Authenticates, asks the policy, runs `work`, answers. `audit` names the entry written
    /// before the answer leaves; only reads that show no case data (administration, one's
    /// own account) pass `None`.
    pub async fn read<T>(
        self,
        audit: Option<AuditAction>,
        work: impl AsyncFnOnce(&mut SystemRead<'_>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let action = self.action;
        let authenticate = async {
            match &self.route {
                Some((state, parts)) => auth::authenticate_request(state, parts).await,
                None => auth::authenticate().await,
            }
        };
        read_frame(authenticate, action, async |caller| {
            caller.may(action, Resource::System)?;
            let conn = caller.state.db.pool.acquire().await?;
            let mut r = SystemRead {
                caller,
                conn,
                detail: None,
            };
            let value = work(&mut r).await?;
            // The connection goes back to the pool before the wait for the audit commit.
            let SystemRead { detail, .. } = r;
            if let Some(audit) = audit {
                caller.audit_read(audit, None, detail.as_deref()).await?;
            }
            Ok(value)
        })
        .await
    }
}

impl SystemTx<'_> {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.caller.now
    }

    /// Records the change in the audit log and ends the work.
    pub async fn record<T>(
        &mut self,
        value: T,
        action: AuditAction,
        target: Option<(AuditTarget, &str)>,
        detail: Option<&str>,
    ) -> Result<Recorded<T>, AppError> {
        let entry = self.caller.entry(action, target, detail);
        audit_log::record(&mut self.tx, self.caller.now, &entry).await?;
        Ok(Recorded::new(value))
    }

    /// Ends work that needs no audit entry: a step of a form being filled that saves nothing,
    /// or one's own display preferences (language, digits). Nothing about cases, accounts or
    /// reference data may end here.
    pub fn unaudited<T>(&self, value: T) -> Recorded<T> {
        Recorded::new(value)
    }

    /// Records a change an administrative step made to a case it does not open (a deactivated
    /// caseworker's cases handed on): the case is locked, its version moves on (a form open on
    /// it saves nothing), and the change goes on its timeline and in the audit log.
    pub async fn change_case(&mut self, family_id: &str, change: Change) -> Result<(), AppError> {
        let (backend, now) = (self.caller.state.db.backend, self.caller.now);
        let case = families::lock(&mut self.tx, backend, family_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !families::bump_version(&mut self.tx, family_id, case.version, now).await? {
            return Err(AppError::Conflict);
        }
        write_change(
            &mut self.tx,
            self.caller,
            family_id,
            case.version + 1,
            change,
        )
        .await
    }

    /// Records a change on a case this request created (registration), at its first version.
    pub async fn record_case<T>(
        &mut self,
        value: T,
        family_id: &str,
        changes: Vec<Change>,
    ) -> Result<Recorded<T>, AppError> {
        for change in changes {
            write_change(&mut self.tx, self.caller, family_id, 1, change).await?;
        }
        Ok(Recorded::new(value))
    }
}

impl SystemRead<'_> {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }

    /// A detail for the read's audit entry (the filters of a list, the search typed).
    pub fn audit_detail(&mut self, detail: impl Into<String>) {
        self.detail = Some(detail.into());
    }
}
