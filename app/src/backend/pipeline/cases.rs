//! The pipeline of one step on several cases at once (a supervisor reassigning a selection,
//! merging two records):
//! [`cases`] then `.write(…)`. Every case is locked in the one transaction, each is asked of
//! the policy as a single case would be, and each gets its own timeline event and audit entry.
//! One case refused refuses the whole step: nothing is half-done.

use super::answer::Form;
use super::case::check;
use super::{write_change, write_frame, Change, Recorded};
use crate::backend::auth::Caller;
use crate::backend::db::Tx;
use crate::backend::store::{families, families::FamilyRef};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use shared::policy::Action;
use shared::FieldError;
use sqlx::AnyConnection;

/// The most cases one step may take: a caseworker's whole caseload fits, a script cannot hold
/// the database for long.
pub const MAX_CASES: usize = 500;

/// Starts a request about the cases `family_ids` (the field `field` of the form), for `action`.
pub fn cases<'a>(
    family_ids: &'a [String],
    field: &'static str,
    action: Action,
) -> CasesRequest<'a> {
    CasesRequest {
        family_ids,
        field,
        action,
        form: Form::new(),
    }
}

pub struct CasesRequest<'a> {
    family_ids: &'a [String],
    field: &'static str,
    action: Action,
    form: Form,
}

/// The cases locked for the write, in its transaction.
pub struct CasesTx<'c> {
    pub caller: &'c Caller,
    /// Each case as locked, its version already moved on.
    pub cases: Vec<FamilyRef>,
    tx: Tx,
}

impl CasesRequest<'_> {
    /// The values a plain form gets back with an error.
    pub fn form(mut self, form: Form) -> Self {
        self.form = form;
        self
    }

    /// Authenticates, locks every case (in id order, so two such steps never wait on each
    /// other crosswise), asks the policy of each, moves each version on, runs `work`, commits.
    pub async fn write<T>(
        self,
        work: impl AsyncFnOnce(&mut CasesTx<'_>) -> Result<Recorded<T>, AppError>,
    ) -> Result<T, AppError> {
        let (action, field) = (self.action, self.field);
        let mut ids: Vec<&str> = self.family_ids.iter().map(|s| s.trim()).collect();
        ids.retain(|id| !id.is_empty());
        ids.sort_unstable();
        ids.dedup();
        write_frame(&self.form, action, async |caller| {
            if ids.is_empty() {
                return Err(AppError::invalid(field, FieldError::Required).into());
            }
            if ids.len() > MAX_CASES {
                let too_many = FieldError::TooManyChosen {
                    max: MAX_CASES as u32,
                };
                return Err(AppError::invalid(field, too_many).into());
            }
            let mut tx = caller.state.db.begin().await?;
            let mut cases = Vec::with_capacity(ids.len());
            for id in &ids {
                let found = families::lock(&mut tx, caller.state.db.backend, id).await?;
                let mut case = check(caller, found, action)?;
                if !families::bump_version(&mut tx, id, case.version, caller.now).await? {
                    return Err(AppError::Conflict.into());
                }
                case.version += 1;
                cases.push(case);
            }
            let mut c = CasesTx { caller, cases, tx };
            let recorded = work(&mut c).await?;
            c.tx.commit().await?;
            Ok(recorded)
        })
        .await
    }
}

impl CasesTx<'_> {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.caller.now
    }

    /// Records `change` on every case's timeline and in the audit log, and ends the work.
    pub async fn record<T>(&mut self, value: T, change: Change) -> Result<Recorded<T>, AppError> {
        for case in &self.cases {
            let (id, version) = (case.family_id.as_str(), case.version);
            write_change(&mut self.tx, self.caller, id, version, change.clone()).await?;
        }
        Ok(Recorded::new(value))
    }

    /// Records a change of its own on each case (`changes`: family id, change), and ends the
    /// work. A case the step locked gets no event only if it is left out here.
    pub async fn record_each<T>(
        &mut self,
        value: T,
        changes: Vec<(String, Change)>,
    ) -> Result<Recorded<T>, AppError> {
        for (family_id, change) in changes {
            let case = self
                .cases
                .iter()
                .find(|c| c.family_id == family_id)
                .ok_or(AppError::Internal)?;
            let version = case.version;
            write_change(&mut self.tx, self.caller, &family_id, version, change).await?;
        }
        Ok(Recorded::new(value))
    }
}
