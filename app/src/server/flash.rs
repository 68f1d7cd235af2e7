//! Progressive enhancement for forms. A hydrated form gets its server function's result
//! directly. A plain form post (no JavaScript yet, or none at all) is answered with a redirect
//! back to the page; what that page must show — the error beside each field, the values that
//! were typed — waits for it in a short-lived "flash" row, keyed by a random cookie.

use super::clock::timestamp;
use super::db::new_id;
use super::request::{self, cookie_header};
use super::state::app_state;
use crate::error::AppError;
use crate::form::Flash;
use chrono::Duration;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

pub const FLASH_COOKIE: &str = "hw_flash";
/// A flash not picked up within this time is discarded.
const FLASH_LIFETIME_MINUTES: i64 = 10;

/// Ends a form's server function. `values` are the fields to give back to a plain form if it
/// failed (never a password). Hydrated callers get the error with its HTTP status.
pub async fn finish<T>(
    form: &str,
    values: &[(&str, &str)],
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    let Some(parts) = request::parts() else {
        return result;
    };
    if !request::is_plain_form_post(&parts) {
        if let (Err(e), Some(res)) = (&result, use_context::<ResponseOptions>()) {
            res.set_status(http::StatusCode::from_u16(e.status()).unwrap_or_default());
        }
        return result;
    }
    let flash = Flash {
        error: result.as_ref().err().cloned(),
        values: values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        done: result.is_ok(),
    };
    if let Err(e) = leave(form, &flash).await {
        tracing::error!(error = ?e, "could not store a form flash");
    }
    // Back to the page the form was on, unless the function chose a destination already.
    let already = use_context::<ResponseOptions>().is_some_and(|r| {
        r.0.read()
            .is_ok_and(|p| p.headers.contains_key(http::header::LOCATION))
    });
    if !already {
        let back = request::referer_path(&parts).unwrap_or_else(|| "/".to_string());
        leptos_axum::redirect(&back);
    }
    result
}

/// Sends a plain form post to `path` once it succeeded (a hydrated form decides for itself).
pub fn redirect_plain_post(path: &str) {
    if request::parts().is_some_and(|p| request::is_plain_form_post(&p)) {
        leptos_axum::redirect(path);
    }
}

async fn leave(form: &str, flash: &Flash) -> Result<(), AppError> {
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
