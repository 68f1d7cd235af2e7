//! Keeping personal data no longer than the programme may: closed cases are anonymised once
//! their retention period after closure has ended, and audit entries are deleted after
//! theirs. Run by the housekeeping worker, and by `homeward retention` (with `--dry-run`,
//! which only lists what would go).

use super::config::Config;
use super::db::Db;
use super::pipeline::{write_system_change, Change};
use super::store::retention::{self as store, DueCase};
use super::store::{audit_log, families};
use chrono::{DateTime, Utc};
use shared::audit::AuditAction;
use shared::retention::cutoff;
use shared::timeline::CaseEvent;

/// Cases anonymised per read of the due list; each in a transaction of its own, so writers
/// wait for one case at a time, never for the whole backlog.
const BATCH: i64 = 200;
/// Audit entries deleted per statement, for the same reason.
const AUDIT_BATCH: i64 = 5_000;

/// What retention would remove now.
#[derive(Clone, Debug, Default)]
pub struct Due {
    /// Closed before this, a case is anonymised (`None`: never).
    pub closed_before: Option<DateTime<Utc>>,
    pub cases: Vec<DueCase>,
    /// Written before this, an audit entry is deleted (`None`: never).
    pub audit_before: Option<DateTime<Utc>>,
    pub audit_entries: i64,
    pub oldest_audit_entry: Option<String>,
}

/// What a run removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Done {
    pub anonymised: usize,
    pub audit_deleted: u64,
}

/// Lists what a run would remove now, changing nothing.
pub async fn due(db: &Db, config: &Config, now: DateTime<Utc>) -> Result<Due, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    let mut due = Due::default();
    if let Some(days) = config.anonymise_closed_after_days {
        let before = cutoff(now, days);
        due.closed_before = Some(before);
        due.cases = store::due_for_anonymisation(&mut conn, before, i64::MAX).await?;
    }
    if let Some(days) = config.audit_retention_days {
        let before = cutoff(now, days);
        due.audit_before = Some(before);
        (due.audit_entries, due.oldest_audit_entry) = store::audit_due(&mut conn, before).await?;
    }
    Ok(due)
}

/// Anonymises the closed cases whose period has ended and deletes the audit entries whose
/// period has ended.
pub async fn run(db: &Db, config: &Config, now: DateTime<Utc>) -> Result<Done, sqlx::Error> {
    let mut done = Done::default();
    if let Some(days) = config.anonymise_closed_after_days {
        let before = cutoff(now, days);
        loop {
            let mut conn = db.pool.acquire().await?;
            let batch = store::due_for_anonymisation(&mut conn, before, BATCH).await?;
            drop(conn);
            for case in &batch {
                if anonymise(db, &case.family_id, before, now).await? {
                    done.anonymised += 1;
                }
            }
            if (batch.len() as i64) < BATCH {
                break;
            }
        }
    }
    if let Some(days) = config.audit_retention_days {
        done.audit_deleted = purge_audit(db, cutoff(now, days), now).await?;
    }
    Ok(done)
}

/// Anonymises one case, if it is still closed since before `closed_before` (it may have been
/// reopened since it was listed). The case's version moves on, so a form still open on it
/// saves nothing; the timeline and the audit log say the system did it.
async fn anonymise(
    db: &Db,
    family_id: &str,
    closed_before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let Some(case) = families::lock(&mut tx, db.backend, family_id).await? else {
        return Ok(false);
    };
    if !store::still_due(&mut tx, family_id, closed_before).await?
        || !families::bump_version(&mut tx, family_id, case.version, now).await?
    {
        return Ok(false);
    }
    store::anonymise(&mut tx, family_id, now).await?;
    let change = Change::new(CaseEvent::Anonymised);
    write_system_change(&mut tx, now, family_id, case.version + 1, change).await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes the audit entries written before `before`, in batches, and records that it did
/// (how many, up to when) in an entry of its own.
async fn purge_audit(
    db: &Db,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let mut deleted = 0;
    loop {
        let mut conn = db.pool.acquire().await?;
        let n = store::purge_audit(&mut conn, before, AUDIT_BATCH).await?;
        deleted += n;
        if n < AUDIT_BATCH as u64 {
            break;
        }
    }
    if deleted > 0 {
        let detail = format!(
            "{deleted} before {}",
            crate::backend::clock::timestamp(before)
        );
        let entry = audit_log::Entry {
            detail: Some(&detail),
            ..audit_log::Entry::anonymous(AuditAction::AuditPurged, None)
        };
        let mut conn = db.pool.acquire().await?;
        audit_log::record(&mut conn, now, &entry).await?;
    }
    Ok(deleted)
}
