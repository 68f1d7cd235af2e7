//! Flashes: what a plain form post (no JavaScript yet, or none at all) leaves for the page it
//! is redirected back to — the error beside each field, the values that were typed — in a
//! short-lived row keyed by a random cookie. `respond.rs` decides when to leave one.

use super::clock::timestamp;
use super::db::new_id;
use super::request::{self, cookie_header};
use super::state::app_state;
use crate::error::AppError;
use crate::form::Flash;
use chrono::Duration;

pub const FLASH_COOKIE: &str = "hw_flash";
/// A flash not picked up within this time is discarded.
const FLASH_LIFETIME_MINUTES: i64 = 10;

pub(super) async fn leave(form: &str, flash: &Flash) -> Result<(), AppError> {
    let state = app_state()?;
    let id = new_id();
    let payload = serde_json::to_string(flash).map_err(|_| AppError::Internal)?;
    sqlx::query(
        "INSERT INTO form_flash (flash_id, form, payload, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&id)
    .bind(form)
    .bind(payload)
    .bind(timestamp(state.clock.now()))
    .execute(&state.db.pool)
    .await?;
    request::set_cookie(&cookie_header(
        FLASH_COOKIE,
        &id,
        Some(FLASH_LIFETIME_MINUTES * 60),
        state.config.secure_cookies,
    ));
    Ok(())
}

/// Takes (reads and deletes) the flash left for `form` by the previous request, if any.
pub async fn take(form: &str) -> Option<Flash> {
    let state = app_state().ok()?;
    let parts = request::parts()?;
    let id = request::cookie(&parts, FLASH_COOKIE)?;
    let oldest = timestamp(state.clock.now() - Duration::minutes(FLASH_LIFETIME_MINUTES));
    let payload: Option<String> = sqlx::query_scalar(
        "DELETE FROM form_flash WHERE flash_id = $1 AND form = $2 AND created_at >= $3 RETURNING payload",
    )
    .bind(&id)
    .bind(form)
    .bind(oldest)
    .fetch_optional(&state.db.pool)
    .await
    .ok()
    .flatten();
    payload.and_then(|p| serde_json::from_str(&p).ok())
}

/// Deletes flashes nobody came back for (run periodically by the server).
pub async fn sweep(
    db: &super::db::Db,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, sqlx::Error> {
    let oldest = timestamp(now - Duration::minutes(FLASH_LIFETIME_MINUTES));
    let r = sqlx::query("DELETE FROM form_flash WHERE created_at < $1")
        .bind(oldest)
        .execute(&db.pool)
        .await?;
    Ok(r.rows_affected())
}
