//! The pipeline of a referral, for the partner organisation it is addressed to: [`referral`]
//! then `.write(…)` or `.read(…)`. Locks in the order every writer uses (the family, then the
//! referral), so a partner's answer and a caseworker's cancellation or a supervisor's closure
//! queue behind each other instead of deadlocking or passing each other.

use super::answer::Form;
use super::{read_frame, write_change, write_frame, Change, Recorded, Stop};
use crate::backend::auth::{self, Caller};
use crate::backend::db::Tx;
use crate::backend::state::AppState;
use crate::backend::store::{families, referrals, referrals::Referral};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use http::request::Parts;
use shared::audit::{AuditAction, AuditTarget};
use shared::policy::{Action, ReferralRef, Resource};
use sqlx::AnyConnection;

/// Starts a request about the referral `referral_id`, for `action`.
pub fn referral(referral_id: &str, action: Action) -> ReferralRequest<'_> {
    ReferralRequest {
        referral_id,
        action,
        version: None,
        form: Form::new(),
        route: None,
    }
}

pub struct ReferralRequest<'a> {
    referral_id: &'a str,
    action: Action,
    version: Option<i64>,
    form: Form,
    route: Option<(AppState, Parts)>,
}

/// A referral (and its family's row) locked for a write.
pub struct ReferralTx<'c> {
    pub caller: &'c Caller,
    pub referral: Referral,
    tx: Tx,
}

/// A referral being read.
pub struct ReferralRead<'c> {
    pub caller: &'c Caller,
    pub referral: Referral,
    conn: sqlx::pool::PoolConnection<sqlx::Any>,
}

impl<'a> ReferralRequest<'a> {
    /// The referral's version the form was loaded with.
    pub fn version(mut self, version: i64) -> Self {
        self.version = Some(version);
        self
    }

    pub fn form(mut self, form: Form) -> Self {
        self.form = form;
        self
    }

    /// Serves a plain axum route (not a server function), whose request is given. Reads only.
    pub fn route(mut self, state: &AppState, parts: &Parts) -> Self {
        self.route = Some((state.clone(), parts.clone()));
        self
    }

    pub async fn write<T>(
        self,
        work: impl AsyncFnOnce(&mut ReferralTx<'_>) -> Result<Recorded<T>, AppError>,
    ) -> Result<T, AppError> {
        let (referral_id, action, version) = (self.referral_id, self.action, self.version);
        write_frame(&self.form, action, async |caller| {
            let mut tx = caller.state.db.begin().await?;
            let backend = caller.state.db.backend;
            let locked = match referrals::family_of(&mut tx, referral_id).await? {
                Some(family_id) => {
                    families::lock(&mut tx, backend, &family_id).await?;
                    referrals::lock(&mut tx, backend, referral_id).await?
                }
                None => None,
            };
            let referral = check(caller, locked, action)?;
            if version.is_some_and(|v| v != referral.version) {
                return Err(AppError::Conflict.into());
            }
            let mut r = ReferralTx {
                caller,
                referral,
                tx,
            };
            let recorded = work(&mut r).await?;
            r.tx.commit().await?;
            Ok(recorded)
        })
        .await
    }

    pub async fn read<T>(
        self,
        audit: AuditAction,
        work: impl AsyncFnOnce(&mut ReferralRead<'_>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let (referral_id, action) = (self.referral_id, self.action);
        let authenticate = async {
            match &self.route {
                Some((state, parts)) => auth::authenticate_request(state, parts).await,
                None => auth::authenticate().await,
            }
        };
        read_frame(authenticate, action, async |caller| {
            let mut conn = caller.state.db.pool.acquire().await?;
            let found = referrals::get(&mut conn, referral_id).await?;
            let referral = check(caller, found, action)?;
            let mut r = ReferralRead {
                caller,
                referral,
                conn,
            };
            let value = work(&mut r).await?;
            // The connection goes back to the pool before the wait for the audit commit.
            drop(r);
            let target = Some((AuditTarget::Referral, referral_id));
            caller.audit_read(audit, target, None).await?;
            Ok(value)
        })
        .await
    }
}

impl ReferralTx<'_> {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.caller.now
    }

    /// Records the change on the family's timeline and, about the referral, in the audit log.
    pub async fn record<T>(&mut self, value: T, change: Change) -> Result<Recorded<T>, AppError> {
        let family_id = self.referral.family_id.clone();
        let version = families::family_ref(&mut self.tx, &family_id)
            .await?
            .map(|f| f.version)
            .ok_or(AppError::Internal)?;
        let change = change.about(AuditTarget::Referral, &self.referral.referral_id.clone());
        write_change(&mut self.tx, self.caller, &family_id, version, change).await?;
        Ok(Recorded::new(value))
    }
}

impl ReferralRead<'_> {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }
}

/// The policy: the partner's own organisation, and for anything but reading it, a referral
/// still open with the family's consent to sharing standing.
fn check(caller: &Caller, r: Option<Referral>, action: Action) -> Result<Referral, Stop> {
    let r = r.ok_or(AppError::NotFound)?;
    let resource = Resource::Referral(ReferralRef {
        referral_id: &r.referral_id,
        to_organisation_id: &r.organisation_id,
        open: r.status.is_open() && r.sharing_consent,
    });
    match caller.may(action, resource) {
        Ok(()) => Ok(r),
        Err(AppError::NotFound) => Err(Stop::Refused(AuditTarget::Referral, r.referral_id)),
        Err(e) => Err(e.into()),
    }
}
