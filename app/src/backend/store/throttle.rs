//! Counters of failed password attempts (sign-in, and the current password when changing it),
//! one per key: an account from one client address, and the account from anywhere.

use crate::backend::clock::{parse_timestamp, timestamp};
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// A counter after an attempt was counted.
#[derive(Clone, Debug, FromRow)]
pub struct Counter {
    pub failures: i64,
    pub locked_until: Option<String>,
}

impl Counter {
    /// True while the counter's lock lasts.
    pub fn locked_at(&self, now: DateTime<Utc>) -> bool {
        self.locked_until
            .as_deref()
            .and_then(parse_timestamp)
            .is_some_and(|t| t > now)
    }
}

/// Counts an attempt against `key` as a failure, before the password is checked (a right
/// password takes it back): parallel guesses cannot all pass the check before any is
/// counted. Failures older than `window_start` are forgotten; a locked counter is left as
/// it is; an expired lock is lifted.
pub async fn count_attempt(
    conn: &mut AnyConnection,
    key: &str,
    now: DateTime<Utc>,
    window_start: DateTime<Utc>,
) -> Result<Counter, sqlx::Error> {
    let now_s = timestamp(now);
    sqlx::query_as(
        "INSERT INTO sign_in_throttle (throttle_key, failures, last_failure_at, locked_until)
         VALUES ($1, 1, $2, NULL)
         ON CONFLICT (throttle_key) DO UPDATE SET
           failures = CASE
               WHEN sign_in_throttle.locked_until > $2 THEN sign_in_throttle.failures
               WHEN sign_in_throttle.last_failure_at < $3 THEN 1
               ELSE sign_in_throttle.failures + 1 END,
           last_failure_at = CASE
               WHEN sign_in_throttle.locked_until > $2 THEN sign_in_throttle.last_failure_at
               ELSE $2 END,
           locked_until = CASE
               WHEN sign_in_throttle.locked_until > $2 THEN sign_in_throttle.locked_until
               ELSE NULL END
         RETURNING failures, locked_until",
    )
    .bind(key)
    .bind(&now_s)
    .bind(timestamp(window_start))
    .fetch_one(conn)
    .await
}

/// Locks `key` until `until`.
pub async fn lock(
    conn: &mut AnyConnection,
    key: &str,
    until: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sign_in_throttle SET locked_until = $1 WHERE throttle_key = $2")
        .bind(timestamp(until))
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes back the failure counted for an attempt whose password was right.
pub async fn forgive_one(conn: &mut AnyConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sign_in_throttle SET failures = failures - 1
         WHERE throttle_key = $1 AND failures > 0",
    )
    .bind(key)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn clear(conn: &mut AnyConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE throttle_key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Lifts every lock and counter of an account (an administrator set a new password).
pub async fn clear_account(conn: &mut AnyConnection, account: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM sign_in_throttle
         WHERE throttle_key = $1 OR (throttle_key >= $2 AND throttle_key < $3)",
    )
    .bind(format!("account:{account}"))
    .bind(format!("pair:{account}:"))
    .bind(format!("pair:{account};"))
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes counters whose failures and lock have both passed.
pub async fn sweep(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    window_start: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let r = sqlx::query(
        "DELETE FROM sign_in_throttle
         WHERE last_failure_at < $1 AND (locked_until IS NULL OR locked_until < $2)",
    )
    .bind(timestamp(window_start))
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(r.rows_affected())
}
