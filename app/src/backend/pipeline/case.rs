//! The pipeline of a family's record (ministry staff): [`case`] then `.write(…)` or
//! `.read(…)`.

use super::answer::Form;
use super::{read_frame, write_change, write_frame, Change, Recorded, Stop};
use crate::backend::auth::{self, Caller};
use crate::backend::db::Tx;
use crate::backend::state::AppState;
use crate::backend::store::{families, families::FamilyRef};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use http::request::Parts;
use shared::audit::{AuditAction, AuditTarget};
use shared::family::{status::Step, CaseStatus};
use shared::policy::{
    allowed_on_anonymised_case, allowed_on_closed_case, allowed_on_merged_case, Action, CaseRef,
    Resource,
};
use sqlx::AnyConnection;

/// Starts a request about the case `family_id`, for `action`.
pub fn case(family_id: &str, action: Action) -> CaseRequest<'_> {
    CaseRequest {
        family_id,
        action,
        version: None,
        form: Form::new(),
        route: None,
    }
}

pub struct CaseRequest<'a> {
    family_id: &'a str,
    action: Action,
    version: Option<i64>,
    form: Form,
    /// A plain axum route's request (server functions find theirs in the context).
    route: Option<(AppState, Parts)>,
}

/// A case locked for a write, in the write's transaction.
pub struct CaseTx<'c> {
    pub caller: &'c Caller,
    /// The case as locked (its version already moved on if the request carried one).
    pub case: FamilyRef,
    tx: Tx,
}

/// A case being read, on a connection of its own.
pub struct CaseRead<'c> {
    pub caller: &'c Caller,
    pub case: FamilyRef,
    conn: sqlx::pool::PoolConnection<sqlx::Any>,
    detail: Option<String>,
}

impl<'a> CaseRequest<'a> {
    /// The version of the case the form was loaded with: a different one is a conflict, and
    /// the write moves the version on.
    pub fn version(mut self, version: i64) -> Self {
        self.version = Some(version);
        self
    }

    /// The values a plain form gets back with an error.
    pub fn form(mut self, form: Form) -> Self {
        self.form = form;
        self
    }

    /// Serves a plain axum route (not a server function), whose request is given. Reads only.
    pub fn route(mut self, state: &AppState, parts: &Parts) -> Self {
        self.route = Some((state.clone(), parts.clone()));
        self
    }

    /// Authenticates, locks the case in a transaction, asks the policy, checks the version,
    /// runs `work`, commits, answers.
    pub async fn write<T>(
        self,
        work: impl AsyncFnOnce(&mut CaseTx<'_>) -> Result<Recorded<T>, AppError>,
    ) -> Result<T, AppError> {
        let (family_id, action, version) = (self.family_id, self.action, self.version);
        write_frame(&self.form, action, async |caller| {
            let mut tx = caller.state.db.begin().await?;
            let found = families::lock(&mut tx, caller.state.db.backend, family_id).await?;
            let mut case = check(caller, found, action)?;
            if let Some(version) = version {
                if version != case.version
                    || !families::bump_version(&mut tx, family_id, version, caller.now).await?
                {
                    return Err(AppError::Conflict.into());
                }
                case.version = version + 1;
            }
            let mut c = CaseTx { caller, case, tx };
            let recorded = work(&mut c).await?;
            c.tx.commit().await?;
            Ok(recorded)
        })
        .await
    }

    /// Authenticates, loads the case, asks the policy, runs `work`, writes the read's audit
    /// entry, answers. Reads take no lock.
    pub async fn read<T>(
        self,
        audit: AuditAction,
        work: impl AsyncFnOnce(&mut CaseRead<'_>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let (family_id, action) = (self.family_id, self.action);
        let authenticate = async {
            match &self.route {
                Some((state, parts)) => auth::authenticate_request(state, parts).await,
                None => auth::authenticate().await,
            }
        };
        read_frame(authenticate, action, async |caller| {
            let mut conn = caller.state.db.pool.acquire().await?;
            let found = families::family_ref(&mut conn, family_id).await?;
            let case = check(caller, found, action)?;
            let mut r = CaseRead {
                caller,
                case,
                conn,
                detail: None,
            };
            let value = work(&mut r).await?;
            // The connection goes back to the pool before the wait for the audit commit.
            let CaseRead { detail, .. } = r;
            let target = Some((AuditTarget::Family, family_id));
            caller.audit_read(audit, target, detail.as_deref()).await?;
            Ok(value)
        })
        .await
    }
}

impl CaseTx<'_> {
    /// The transaction, for the function's own queries.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.caller.now
    }

    /// Records the change on the case's timeline and in the audit log, and ends the work.
    pub async fn record<T>(&mut self, value: T, change: Change) -> Result<Recorded<T>, AppError> {
        self.also(change).await?;
        Ok(Recorded::new(value))
    }

    /// Moves the case's status on by `step` (the table of `shared::family::status`); a step
    /// the table has no transition for changes nothing.
    pub async fn advance(&mut self, step: Step) -> Result<(), AppError> {
        let (id, from, now) = (self.case.family_id.clone(), self.case.status, self.now());
        if let Some(to) = families::advance(&mut self.tx, &id, from, step, now).await? {
            self.case.status = to;
        }
        Ok(())
    }

    /// Records a further change made by the same request (before [`CaseTx::record`]).
    pub async fn also(&mut self, change: Change) -> Result<(), AppError> {
        let (family_id, version) = (self.case.family_id.clone(), self.case.version);
        write_change(&mut self.tx, self.caller, &family_id, version, change).await
    }
}

impl CaseRead<'_> {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }

    /// A detail for the read's audit entry (which assessment, which page).
    pub fn audit_detail(&mut self, detail: impl Into<String>) {
        self.detail = Some(detail.into());
    }
}

/// The policy, then the closed-case rule. A case out of sight is a refusal to audit.
pub(super) fn check(
    caller: &Caller,
    f: Option<FamilyRef>,
    action: Action,
) -> Result<FamilyRef, Stop> {
    let f = f.ok_or(AppError::NotFound)?;
    let resource = Resource::Case(CaseRef {
        country: f.country,
        province: &f.province,
    });
    match caller.may(action, resource) {
        Ok(()) => {}
        Err(AppError::NotFound) => return Err(Stop::Refused(AuditTarget::Family, f.family_id)),
        Err(e) => return Err(e.into()),
    }
    if f.anonymised_at.is_some() && !allowed_on_anonymised_case(action) {
        return Err(AppError::CaseAnonymised.into());
    }
    // A merged-away record is closed too; what may still be done with it is its own list.
    if f.merged_into.is_some() {
        if !allowed_on_merged_case(action) {
            return Err(AppError::CaseMerged.into());
        }
    } else if f.status == CaseStatus::Closed && !allowed_on_closed_case(action) {
        return Err(AppError::CaseClosed.into());
    }
    Ok(f)
}
