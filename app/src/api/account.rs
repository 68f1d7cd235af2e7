//! The signed-in user's own account: language, digits and password.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::backend::pipeline::{self, Form},
    crate::backend::store::{users, users::SetBy},
    crate::backend::{auth, password, request},
    shared::audit::{AuditAction, AuditTarget},
    shared::policy::Action,
    shared::FieldError,
};

/// The language tags the interface speaks.
pub const LANGUAGES: [&str; 4] = ["en", "fa-AF", "ps", "ar"];

/// Switches the interface language: a cookie, and the profile when signed in. Works signed
/// out too, on the sign-in page (then only the cookie is set: nothing is stored).
#[server(endpoint = "set_language")]
pub async fn set_language(language: String) -> Result<(), AppError> {
    let language = LANGUAGES
        .into_iter()
        .find(|l| *l == language)
        .ok_or(AppError::invalid("language", FieldError::InvalidChoice))?;
    request::set_cookie(&request::language_cookie(language));
    if auth::current().await?.is_none() {
        request::redirect_plain_post_back();
        return Ok(());
    }
    pipeline::system(Action::UseOwnAccount)
        .write(async |s| {
            let user = s.caller.actor.user_id.clone();
            users::set_language(s.conn(), &user, language).await?;
            Ok(s.unaudited(()))
        })
        .await
}

/// Chooses the digits numbers and dates are shown in: `local` or `western`.
#[server(endpoint = "set_digits")]
pub async fn set_digits(digits: String) -> Result<(), AppError> {
    pipeline::system(Action::UseOwnAccount)
        .write(async |s| {
            if !matches!(digits.as_str(), "local" | "western") {
                return Err(AppError::invalid("digits", FieldError::InvalidChoice));
            }
            let user = s.caller.actor.user_id.clone();
            users::set_digits(s.conn(), &user, &digits).await?;
            Ok(s.unaudited(()))
        })
        .await
}

/// Changes the caller's password after checking the current one (under the same throttle as
/// signing in). Other sessions of the account end; this one continues.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let mut errors = shared::FieldErrors::new();
    errors.take(
        "new_password",
        shared::account::check_password(&new_password),
    );
    if new_password != confirm_password {
        errors.add("confirm_password", FieldError::DoesNotMatch);
    }
    pipeline::system(Action::UseOwnAccount)
        .prove_password(current_password, "current_password", errors)
        .form(Form::new())
        .write(async |s| {
            let hash = password::hash(&s.caller.state.hashing, new_password.clone()).await?;
            let (user, session, now) = (
                s.caller.actor.user_id.clone(),
                s.caller.session_id.clone(),
                s.now(),
            );
            users::set_password(s.conn(), &user, &hash, SetBy::Holder, now, Some(&session)).await?;
            let target = Some((AuditTarget::User, user.as_str()));
            s.record((), AuditAction::PasswordChanged, target, None)
                .await
        })
        .await
}
