//! Form flashes: what a plain form post left for the page it is redirected back to, in a
//! short-lived row keyed by a random cookie (see `backend/flash.rs`).

use crate::backend::clock::timestamp;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

pub async fn insert(
    conn: &mut AnyConnection,
    flash_id: &str,
    form: &str,
    payload: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO form_flash (flash_id, form, payload, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(flash_id)
    .bind(form)
    .bind(payload)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Reads and deletes the flash `flash_id` left for `form`, unless older than `oldest`.
pub async fn take(
    conn: &mut AnyConnection,
    flash_id: &str,
    form: &str,
    oldest: DateTime<Utc>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "DELETE FROM form_flash WHERE flash_id = $1 AND form = $2 AND created_at >= $3
         RETURNING payload",
    )
    .bind(flash_id)
    .bind(form)
    .bind(timestamp(oldest))
    .fetch_optional(conn)
    .await
}

/// Deletes flashes nobody came back for.
pub async fn sweep(conn: &mut AnyConnection, oldest: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM form_flash WHERE created_at < $1")
        .bind(timestamp(oldest))
        .execute(conn)
        .await?;
    Ok(r.rows_affected())
}
