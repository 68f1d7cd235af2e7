//! How a form's server function answers. A hydrated page (or any program) gets the result
//! (the router gives an error its HTTP status, see `server/src/router.rs`); a plain form post
//! gets a redirect back to its page, with a flash that carries the outcome there.

use super::flash;
use super::request;
use crate::error::AppError;
use crate::form::Flash;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Ends a form's server function. `values` are the fields to give back to a plain form if it
/// failed (never a password).
pub async fn finish<T>(
    form: &str,
    values: &[(&str, &str)],
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    let keep = result.is_err();
    finish_flash(form, values, keep, result).await
}

/// Like [`finish`], but gives the values back after a success too: for a plain form's
/// intermediate step that saves nothing (adding a person block to a form being filled).
pub async fn finish_keeping_values<T>(
    form: &str,
    values: &[(&str, &str)],
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    finish_flash(form, values, true, result).await
}

async fn finish_flash<T>(
    form: &str,
    values: &[(&str, &str)],
    keep_values: bool,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    let Some(parts) = request::parts() else {
        return result;
    };
    if !request::is_plain_form_post(&parts) {
        return result;
    }
    // What was typed comes back with an error; after a success the page shows what was
    // saved, and an "add" form is empty again.
    let flash = Flash {
        error: result.as_ref().err().cloned(),
        values: if keep_values {
            values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        } else {
            Default::default()
        },
        done: result.is_ok(),
    };
    if let Err(e) = flash::leave(form, &flash).await {
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
