//! Signing in and out, and who is signed in.

use crate::error::AppError;
use crate::model::auth::Me;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth, request, respond, state::app_state};

/// Signs in with email and password. Answers the path to go to: `next` if it is a local path,
/// else the role's home. After 5 failures for an address, it is locked for 15 minutes.
#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    #[server(default)] next: String,
) -> Result<String, AppError> {
    let result = async {
        let state = app_state()?;
        let parts = request::parts().ok_or(AppError::Internal)?;
        let addr = request::client_addr(&parts, &state.config);
        let signed = auth::sign_in(&state, &email, password, addr.as_deref()).await?;
        request::set_cookie(&auth::session_cookie(&state, &signed.token));
        request::set_cookie(&crate::backend::request::language_cookie(&signed.language));
        let dest = request::safe_local_path(&next)
            .filter(|p| !p.starts_with("/sign-in"))
            .unwrap_or_else(|| signed.role.home_path().to_string());
        respond::redirect_plain_post(&dest);
        Ok(dest)
    }
    .await;
    respond::finish("sign_in", &[("email", &email), ("next", &next)], result).await
}

/// Ends the caller's session and removes its cookie.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let result = async {
        let state = app_state()?;
        if let Some(caller) = auth::current().await? {
            auth::sign_out(&caller).await?;
        }
        request::set_cookie(&auth::clear_session_cookie(&state));
        leptos_axum::redirect("/sign-in");
        Ok(())
    }
    .await;
    respond::finish("sign_out", &[], result).await
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
    }))
}
