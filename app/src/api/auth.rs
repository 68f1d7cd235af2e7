//! Signing in and out, and who is signed in. These serve callers who are not signed in yet,
//! so they are the only server functions outside the pipeline; they store nothing for such a
//! caller but the throttle's counters and the audit log's record of the attempt.

use crate::error::AppError;
use crate::model::auth::Me;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth, request, sign_in as signing, state::app_state};

/// Signs in with email and password. Answers the path to go to: `next` if it is a local path,
/// else the role's home (or the account page, when an administrator set the password and it
/// must be changed first). Too many failures for an account from one address lock it there
/// for 15 minutes. A plain form post is redirected: on success to that path, on failure back
/// to the sign-in page with the error's code (nothing typed is kept).
#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    #[server(default)] next: String,
) -> Result<String, AppError> {
    let result: Result<String, AppError> = async {
        let state = app_state()?;
        let parts = request::parts().ok_or(AppError::Internal)?;
        let addr = request::client_addr(&parts, &state.config);
        let signed = signing::sign_in(&state, &email, password, addr.as_deref()).await?;
        request::set_cookie(&auth::session_cookie(&state, &signed.token));
        request::set_cookie(&request::language_cookie(&signed.language));
        let dest = if signed.must_change_password {
            "/account".to_string()
        } else {
            request::safe_local_path(&next)
                .filter(|p| !p.starts_with("/sign-in"))
                .unwrap_or_else(|| signed.role.home_path().to_string())
        };
        Ok(dest)
    }
    .await;
    if request::parts().is_some_and(|p| request::is_plain_form_post(&p)) {
        match &result {
            Ok(dest) => leptos_axum::redirect(dest),
            Err(e) => {
                let mut back = format!("/sign-in?error={}", e.code());
                if let Some(next) = request::safe_local_path(&next) {
                    back.push_str(&format!("&next={}", request::query_escape(&next)));
                }
                leptos_axum::redirect(&back);
            }
        }
    }
    result
}

/// Ends the caller's session and removes its cookie. Someone who opened a referral with its
/// code goes back to `/r`, everyone else to the sign-in page.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = app_state()?;
    let caller = auth::any_caller().await?;
    if let Some(caller) = &caller {
        signing::sign_out(caller).await?;
    }
    request::set_cookie(&auth::clear_session_cookie(&state));
    match caller.is_some_and(|c| c.actor.referral.is_some()) {
        true => leptos_axum::redirect("/r"),
        false => leptos_axum::redirect("/sign-in"),
    }
    Ok(())
}

/// The signed-in user, or `None`.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    Ok(auth::current().await?.map(|c| Me {
        user_id: c.actor.user_id,
        display_name: c.display_name,
        email: c.email,
        role: c.actor.role,
        organisation_name: c.organisation_name,
        country: c.actor.country,
        areas: c.actor.areas,
        language: c.language,
        digits: c.digits,
        must_change_password: c.must_change_password,
    }))
}
