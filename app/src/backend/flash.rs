//! Flashes: what a plain form post leaves for the page it
//! is redirected back to — the error beside each field, the values that were typed — in a
//! short-lived row keyed by a random cookie. `pipeline/answer.rs` decides when to leave one
//! (only ever for a signed-in caller).

use super::db::new_id;
use super::request::{self, cookie_header};
use super::state::app_state;
use super::store::flashes;
use crate::error::AppError;
use crate::model::flash::Flash;
use chrono::Duration;

pub const FLASH_COOKIE: &str = "hw_flash";
/// A flash not picked up within this time is discarded.
const FLASH_LIFETIME_MINUTES: i64 = 10;

pub(super) async fn leave(form: &str, flash: &Flash) -> Result<(), AppError> {
    let state = app_state()?;
    let id = new_id();
    let payload = serde_json::to_string(flash).map_err(|_| AppError::Internal)?;
    let mut conn = state.db.pool.acquire().await?;
    flashes::insert(&mut conn, &id, form, &payload, state.clock.now()).await?;
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
    let oldest = state.clock.now() - Duration::minutes(FLASH_LIFETIME_MINUTES);
    let mut conn = state.db.pool.acquire().await.ok()?;
    let payload = flashes::take(&mut conn, &id, form, oldest).await.ok()??;
    serde_json::from_str(&payload).ok()
}

/// Deletes flashes nobody came back for (run periodically by the server).
pub async fn sweep(
    db: &super::db::Db,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    flashes::sweep(&mut conn, now - Duration::minutes(FLASH_LIFETIME_MINUTES)).await
}
