//! How a server function answers. A program (or an island) gets the result (the router gives
//! an error its HTTP status, see `server/src/router.rs`); a plain form post (every form of
//! the pages) gets a redirect: after a success to where the function
//! says, otherwise back to its page with a *flash* that carries the error and the values
//! typed. The flash is keyed by the function's path, so a form's name is written once: in its
//! `#[server(endpoint = …)]`.
//!
//! A caller who is not signed in is sent to sign in and nothing is stored for them.

use super::Recorded;
use crate::backend::flash;
use crate::backend::request;
use crate::error::AppError;
use crate::model::flash::Flash;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// The values a plain form gives back with an error (never a password).
#[derive(Clone, Debug, Default)]
pub struct Form {
    values: Vec<(String, String)>,
    /// Give the values back after a success too (a step that saves nothing).
    keep_on_success: bool,
}

impl Form {
    pub fn new() -> Self {
        Form::default()
    }

    pub fn values<K: ToString, V: ToString>(values: &[(K, V)]) -> Self {
        Form {
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            keep_on_success: false,
        }
    }

    pub fn keep_on_success(mut self) -> Self {
        self.keep_on_success = true;
        self
    }
}

/// Ends a server function. `signed_in` is false when the caller could not be authenticated:
/// then nothing is stored and a plain form post is sent to sign in.
pub async fn answer<T>(
    signed_in: bool,
    form: &Form,
    result: Result<Recorded<T>, AppError>,
) -> Result<T, AppError> {
    let Some(parts) = request::parts().filter(request::is_plain_form_post) else {
        return result.map(|r| r.value);
    };
    let back = request::referer_path(&parts).unwrap_or_else(|| "/".to_string());
    if !signed_in || matches!(result, Err(AppError::Unauthenticated)) {
        leptos_axum::redirect(&sign_in_path(&back));
        return result.map(|r| r.value);
    }
    // What was typed comes back with an error; after a success the page shows what was
    // saved, and an "add" form is empty again.
    let keep = result.is_err() || form.keep_on_success;
    let flash = Flash {
        error: result.as_ref().err().cloned(),
        values: if keep {
            form.values.iter().cloned().collect()
        } else {
            Default::default()
        },
        done: result.is_ok(),
    };
    let name = form_name(parts.uri.path());
    if let Err(e) = flash::leave(name, &flash).await {
        tracing::error!(error = ?e, "could not store a form flash");
    }
    let already = use_context::<ResponseOptions>().is_some_and(|r| {
        r.0.read()
            .is_ok_and(|p| p.headers.contains_key(http::header::LOCATION))
    });
    match result {
        Ok(Recorded { value, then }) => {
            if !already {
                leptos_axum::redirect(then.as_deref().unwrap_or(&back));
            }
            Ok(value)
        }
        Err(e) => {
            if !already {
                leptos_axum::redirect(&back);
            }
            Err(e)
        }
    }
}

/// The flash key of a server function: its endpoint (`/api/add_note` → `add_note`), the same
/// name `form::flash_resource` derives from the function's type on the page.
pub fn form_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The sign-in page, coming back to `back` afterwards.
fn sign_in_path(back: &str) -> String {
    format!("/sign-in?next={}", request::query_escape(back))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_is_named_by_its_endpoint() {
        assert_eq!(form_name("/api/add_note"), "add_note");
    }

    #[test]
    fn the_sign_in_page_comes_back_to_the_form() {
        assert_eq!(
            sign_in_path("/cases/1?tab=a b"),
            "/sign-in?next=/cases/1%3Ftab%3Da%20b"
        );
    }
}
