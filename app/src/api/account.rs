//! The signed-in user's own account: language and password.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth, password, request, respond, store::users};
#[cfg(feature = "ssr")]
use shared::policy::{Action, Resource};
#[cfg(feature = "ssr")]
use shared::FieldError;

/// The language tags the interface speaks.
pub const LANGUAGES: [&str; 4] = ["en", "fa-AF", "ps", "ar"];

/// Switches the interface language (a cookie, and the profile when signed in). Works signed
/// out too, on the sign-in page.
#[server(endpoint = "set_language")]
pub async fn set_language(language: String) -> Result<(), AppError> {
    let result = async {
        let language = LANGUAGES
            .into_iter()
            .find(|l| *l == language)
            .ok_or(AppError::invalid("language", FieldError::InvalidChoice))?;
        request::set_cookie(&request::language_cookie(language));
        if let Some(caller) = auth::current().await? {
            caller.may(Action::UseOwnAccount, Resource::System)?;
            let mut conn = caller.state.db.pool.acquire().await?;
            users::set_language(&mut conn, &caller.actor.user_id, language).await?;
        }
        Ok(())
    }
    .await;
    respond::finish("set_language", &[], result).await
}

/// Chooses the digits numbers and dates are shown in: `local` or `western`.
#[server(endpoint = "set_digits")]
pub async fn set_digits(digits: String) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        caller.may(Action::UseOwnAccount, Resource::System)?;
        if !matches!(digits.as_str(), "local" | "western") {
            return Err(AppError::invalid("digits", FieldError::InvalidChoice));
        }
        sqlx::query("UPDATE app_user SET digits = $1 WHERE user_id = $2")
            .bind(&digits)
            .bind(&caller.actor.user_id)
            .execute(&caller.state.db.pool)
            .await?;
        Ok(())
    }
    .await;
    respond::finish("set_digits", &[], result).await
}

/// Changes the caller's password after checking the current one. Other sessions of the
/// account end; this one continues.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        caller.may(Action::UseOwnAccount, Resource::System)?;
        let mut errors = shared::FieldErrors::new();
        errors.take(
            "new_password",
            shared::account::check_password(&new_password),
        );
        if new_password != confirm_password {
            errors.add("confirm_password", FieldError::DoesNotMatch);
        }
        let db = &caller.state.db;
        let stored =
            users::password_hash(&mut *db.pool.acquire().await?, &caller.actor.user_id).await?;
        if !password::verify(current_password, stored).await {
            errors.add("current_password", FieldError::WrongPassword);
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let hash = password::hash(new_password).await?;
        let mut tx = db.begin().await?;
        let keep = Some(caller.session_id.as_str());
        users::set_password(&mut tx, &caller.actor.user_id, &hash, caller.now, keep).await?;
        crate::backend::audit::record(
            &mut tx,
            caller.now,
            caller.entry(
                "password_changed",
                Some("user"),
                Some(&caller.actor.user_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    respond::finish("change_password", &[], result).await
}
