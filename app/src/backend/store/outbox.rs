//! The email outbox's rows: queued in the transaction of the change that causes them,
//! claimed by a worker with a lease, marked sent or given their next attempt.

use crate::backend::clock::timestamp;
use crate::backend::db::{new_id, Db};
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// An email to queue.
pub struct Email<'a> {
    /// What it is about (`referral_new`, …): for counting and tests, not shown.
    pub kind: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Queues an email in the caller's transaction.
pub async fn enqueue(
    conn: &mut AnyConnection,
    email: &Email<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO email_outbox (email_id, kind, to_address, subject, body, created_at,
             next_attempt_at, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $6, 0)",
    )
    .bind(new_id())
    .bind(email.kind)
    .bind(email.to)
    .bind(email.subject)
    .bind(email.body)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// A claimed email, to send.
#[derive(FromRow)]
pub struct Due {
    pub email_id: String,
    #[sqlx(rename = "to_address")]
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// Ids of emails due for an attempt, oldest first.
pub async fn due(db: &Db, now: DateTime<Utc>, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT email_id FROM email_outbox WHERE sent_at IS NULL AND next_attempt_at <= $1
         ORDER BY next_attempt_at LIMIT $2",
    )
    .bind(timestamp(now))
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// Takes a due row for this worker by pushing its next attempt to `lease_until` (committed
/// before sending), or `None` if another worker took it first.
pub async fn claim(
    db: &Db,
    id: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<Due>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let claimed = sqlx::query(
        "UPDATE email_outbox SET next_attempt_at = $1, attempts = attempts + 1
         WHERE email_id = $2 AND sent_at IS NULL AND next_attempt_at <= $3",
    )
    .bind(timestamp(lease_until))
    .bind(id)
    .bind(timestamp(now))
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        return Ok(None);
    }
    let due = sqlx::query_as(
        "SELECT email_id, to_address, subject, body, attempts FROM email_outbox WHERE email_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(due))
}

/// Emails not delivered yet, and when the oldest of them was queued (for `/metrics`).
pub async fn backlog(db: &Db) -> Result<(i64, Option<String>), sqlx::Error> {
    sqlx::query_as("SELECT COUNT(*), MIN(created_at) FROM email_outbox WHERE sent_at IS NULL")
        .fetch_one(&db.pool)
        .await
}

pub async fn mark_sent(db: &Db, id: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE email_outbox SET sent_at = $1, last_error = NULL WHERE email_id = $2")
        .bind(timestamp(now))
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Records a failed attempt (`error` names no address and quotes no content).
pub async fn mark_failed(
    db: &Db,
    id: &str,
    next_attempt: DateTime<Utc>,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE email_outbox SET next_attempt_at = $1, last_error = $2 WHERE email_id = $3",
    )
    .bind(timestamp(next_attempt))
    .bind(error)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}
