//! The audit entries of reads, committed in groups. A read of case data must have its entry
//! committed before the data leaves, but one commit per read costs a flush of the log to disk
//! each (PostgreSQL's WAL, SQLite's WAL with `synchronous = FULL`) and, on SQLite, a turn at the
//! one write lock, however slow the disk. (On this project's 2-core bench machine, searches
//! under load measured within noise of before: their time is CPU, not commits.) So reads hand
//! their entry to one writer, which commits every entry waiting at that moment in one
//! transaction and then answers each reader. A reader still waits for its own entry's commit
//! (nothing leaves unaudited, and a failed write still fails the read), but many readers share
//! one commit. Writes keep writing their entries inside their own transaction.
//!
//! The writer has its own connection, outside the pool: it must never wait behind the very
//! requests that are waiting for it, and closing the pool must not wait for it.

use super::db::Db;
use super::store::audit_log::{self, Entry};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use shared::audit::{AuditAction, AuditTarget};
use sqlx::AnyConnection;
use tokio::sync::{mpsc, oneshot};

/// At most this many entries in one transaction (a burst larger than this takes several).
const GROUP: usize = 256;

/// The handle requests send their entries through.
#[derive(Clone, Debug)]
pub struct AuditWriter {
    jobs: mpsc::Sender<Job>,
}

/// An entry that owns its text, to cross to the writer's task.
#[derive(Debug)]
struct OwnedEntry {
    actor_user_id: Option<String>,
    action: AuditAction,
    target: Option<(AuditTarget, String)>,
    client_addr: Option<String>,
    detail: Option<String>,
}

impl From<&Entry<'_>> for OwnedEntry {
    fn from(e: &Entry<'_>) -> Self {
        OwnedEntry {
            actor_user_id: e.actor_user_id.map(str::to_string),
            action: e.action,
            target: e.target.map(|(t, id)| (t, id.to_string())),
            client_addr: e.client_addr.map(str::to_string),
            detail: e.detail.map(str::to_string),
        }
    }
}

impl OwnedEntry {
    fn entry(&self) -> Entry<'_> {
        Entry {
            actor_user_id: self.actor_user_id.as_deref(),
            action: self.action,
            target: self.target.as_ref().map(|(t, id)| (*t, id.as_str())),
            client_addr: self.client_addr.as_deref(),
            detail: self.detail.as_deref(),
        }
    }
}

#[derive(Debug)]
struct Job {
    at: DateTime<Utc>,
    entry: OwnedEntry,
    /// Ok once the entry is committed; the answer for the request if it could not be.
    done: oneshot::Sender<Result<(), AppError>>,
}

impl AuditWriter {
    /// Starts the writer of `db` (on the current tokio runtime); it stops when every handle is
    /// dropped.
    pub fn start(db: &Db) -> AuditWriter {
        let (jobs, queue) = mpsc::channel(4 * GROUP);
        tokio::spawn(run(db.clone(), queue));
        AuditWriter { jobs }
    }

    /// Writes `entry`, returning once it is committed. When it cannot be, the error is the
    /// request's answer (the writer has logged the cause): 503 if the database is unavailable.
    pub async fn write(&self, at: DateTime<Utc>, entry: &Entry<'_>) -> Result<(), AppError> {
        let (done, committed) = oneshot::channel();
        let job = Job {
            at,
            entry: entry.into(),
            done,
        };
        self.jobs.send(job).await.map_err(|_| AppError::Internal)?;
        committed.await.unwrap_or(Err(AppError::Internal))
    }
}

async fn run(db: Db, mut queue: mpsc::Receiver<Job>) {
    let mut conn: Option<AnyConnection> = None;
    let mut group = Vec::with_capacity(GROUP);
    while queue.recv_many(&mut group, GROUP).await > 0 {
        let committed = match commit(&db, &mut conn, &group).await {
            Ok(()) => Ok(()),
            Err(e) => {
                tracing::error!(error = %e, entries = group.len(), "audit entries not written");
                // The connection may be broken: the next group opens a new one.
                conn = None;
                Err(AppError::of_database(&e))
            }
        };
        for job in group.drain(..) {
            let _ = job.done.send(committed.clone());
        }
    }
}

async fn commit(
    db: &Db,
    conn: &mut Option<AnyConnection>,
    group: &[Job],
) -> Result<(), sqlx::Error> {
    let conn = match conn {
        Some(c) => c,
        None => conn.insert(db.connect_one().await?),
    };
    let mut tx = db.begin_on(conn).await?;
    for job in group {
        audit_log::record(&mut tx, job.at, &job.entry.entry()).await?;
    }
    tx.commit().await
}
