//! Administration: organisations and user accounts. Admins only; never case contents.

use crate::error::AppError;
use crate::model::admin::{OrganisationView, UserFilter, UserView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{
    audit,
    auth::{self, Caller},
    password, respond,
    store::{organisations, users},
};
#[cfg(feature = "ssr")]
use shared::policy::{Action, Resource};
#[cfg(feature = "ssr")]
use shared::FieldError;

/// Authenticates and checks that the caller may do `action` (an administration function).
#[cfg(feature = "ssr")]
async fn admin(action: Action) -> Result<Caller, AppError> {
    let caller = auth::authenticate().await?;
    caller.may(action, Resource::System)?;
    Ok(caller)
}

#[server(endpoint = "list_users")]
pub async fn list_users(filter: UserFilter) -> Result<Vec<UserView>, AppError> {
    let caller = admin(Action::ManageUsers).await?;
    Ok(users::list(&caller.state.db, &filter).await?)
}

#[server(endpoint = "get_user")]
pub async fn get_user(user_id: String) -> Result<UserView, AppError> {
    let caller = admin(Action::ManageUsers).await?;
    let mut conn = caller.state.db.pool.acquire().await?;
    users::by_id(&mut conn, &user_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Creates an account in an organisation. The role must fit the organisation's kind; a
/// caseworker needs areas in the ministry's country. Answers the new user's id.
#[server(endpoint = "create_user")]
pub async fn create_user(
    email: String,
    display_name: String,
    role: String,
    organisation_id: String,
    #[server(default)] areas: Vec<String>,
    password: String,
) -> Result<String, AppError> {
    let result = async {
        let caller = admin(Action::ManageUsers).await?;
        let db = &caller.state.db;
        let org = organisations::by_id(&mut *db.pool.acquire().await?, &organisation_id).await?;
        let new = shared::account::validate_new_user(
            &email,
            &display_name,
            &role,
            &areas,
            &password,
            org.as_ref().map(|o| (o.kind, o.country)),
        )?;
        let hash = password::hash(password).await?;
        let mut tx = db.begin().await?;
        let id = users::create(&mut tx, caller.now, &new, &organisation_id, &hash, "en").await?;
        let mut entry = caller.entry("user_created", Some("user"), Some(&id));
        entry.detail = Some(new.role.as_str());
        audit::record(&mut tx, caller.now, entry).await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/admin/users/{id}"));
        Ok(id)
    }
    .await;
    let areas_typed = areas.join(",");
    respond::finish(
        "create_user",
        &[
            ("email", &email),
            ("display_name", &display_name),
            ("role", &role),
            ("organisation_id", &organisation_id),
            ("areas", &areas_typed),
        ],
        result,
    )
    .await
}

/// Deactivates an account: it can no longer sign in, and its sessions end now.
#[server(endpoint = "deactivate_user")]
pub async fn deactivate_user(user_id: String) -> Result<(), AppError> {
    let result = set_user_active(&user_id, false).await;
    respond::finish("deactivate_user", &[], result).await
}

#[server(endpoint = "reactivate_user")]
pub async fn reactivate_user(user_id: String) -> Result<(), AppError> {
    let result = set_user_active(&user_id, true).await;
    respond::finish("reactivate_user", &[], result).await
}

#[cfg(feature = "ssr")]
async fn set_user_active(user_id: &str, active: bool) -> Result<(), AppError> {
    let caller = admin(Action::ManageUsers).await?;
    if user_id == caller.actor.user_id && !active {
        return Err(AppError::invalid("user_id", FieldError::OwnAccount));
    }
    let mut tx = caller.state.db.begin().await?;
    users::by_id(&mut tx, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    users::set_active(&mut tx, user_id, active, caller.now).await?;
    let action = if active {
        "user_reactivated"
    } else {
        "user_deactivated"
    };
    audit::record(
        &mut tx,
        caller.now,
        caller.entry(action, Some("user"), Some(user_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password chosen by the administrator (to hand over in person); the account's
/// sessions end and its sign-in lock is lifted.
#[server(endpoint = "reset_password")]
pub async fn reset_password(user_id: String, new_password: String) -> Result<(), AppError> {
    let result = async {
        let caller = admin(Action::ManageUsers).await?;
        shared::account::check_password(&new_password)
            .map_err(|e| AppError::invalid("new_password", e))?;
        let db = &caller.state.db;
        let user = users::by_id(&mut *db.pool.acquire().await?, &user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let hash = password::hash(new_password).await?;
        let mut tx = db.begin().await?;
        users::set_password(&mut tx, &user_id, &hash, caller.now, None).await?;
        sqlx::query("DELETE FROM sign_in_throttle WHERE email_key = $1")
            .bind(&user.email)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            caller.now,
            caller.entry("password_reset", Some("user"), Some(&user_id)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    respond::finish("reset_password", &[], result).await
}

/// Replaces a caseworker's provinces/governorates.
#[server(endpoint = "set_user_areas")]
pub async fn set_user_areas(
    user_id: String,
    #[server(default)] areas: Vec<String>,
) -> Result<(), AppError> {
    let result = async {
        let caller = admin(Action::ManageUsers).await?;
        let mut tx = caller.state.db.begin().await?;
        let user = users::by_id(&mut tx, &user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let keys = shared::account::validate_areas(user.role, user.country, &areas)
            .map_err(|e| AppError::invalid("areas", e))?;
        users::set_areas(&mut tx, &user_id, &keys).await?;
        sqlx::query(
            "UPDATE app_user SET version = version + 1, updated_at = $1 WHERE user_id = $2",
        )
        .bind(crate::backend::clock::timestamp(caller.now))
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
        let detail = keys.join(",");
        let mut entry = caller.entry("user_areas_changed", Some("user"), Some(&user_id));
        entry.detail = Some(&detail);
        audit::record(&mut tx, caller.now, entry).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    respond::finish("set_user_areas", &[], result).await
}

#[server(endpoint = "list_organisations")]
pub async fn list_organisations() -> Result<Vec<OrganisationView>, AppError> {
    let caller = admin(Action::ManageOrganisations).await?;
    Ok(organisations::list(&caller.state.db).await?)
}

/// Creates an organisation. Answers its id.
#[server(endpoint = "create_organisation")]
pub async fn create_organisation(
    code: String,
    name: String,
    kind: String,
    #[server(default)] country: String,
) -> Result<String, AppError> {
    let result = async {
        let caller = admin(Action::ManageOrganisations).await?;
        let org = shared::organisation::validate_new_organisation(&code, &name, &kind, &country)?;
        let mut tx = caller.state.db.begin().await?;
        let id = organisations::create(&mut tx, caller.now, &org).await?;
        let mut entry = caller.entry("organisation_created", Some("organisation"), Some(&id));
        entry.detail = Some(&org.code);
        audit::record(&mut tx, caller.now, entry).await?;
        tx.commit().await?;
        Ok(id)
    }
    .await;
    respond::finish(
        "create_organisation",
        &[
            ("code", &code),
            ("name", &name),
            ("kind", &kind),
            ("country", &country),
        ],
        result,
    )
    .await
}

#[server(endpoint = "deactivate_organisation")]
pub async fn deactivate_organisation(organisation_id: String) -> Result<(), AppError> {
    let result = set_organisation_active(&organisation_id, false).await;
    respond::finish("deactivate_organisation", &[], result).await
}

#[server(endpoint = "reactivate_organisation")]
pub async fn reactivate_organisation(organisation_id: String) -> Result<(), AppError> {
    let result = set_organisation_active(&organisation_id, true).await;
    respond::finish("reactivate_organisation", &[], result).await
}

#[cfg(feature = "ssr")]
async fn set_organisation_active(id: &str, active: bool) -> Result<(), AppError> {
    let caller = admin(Action::ManageOrganisations).await?;
    let mut tx = caller.state.db.begin().await?;
    let org = organisations::by_id(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    // The built-in organisations (and the caller's own) stay active: deactivating them would
    // lock out a ministry or the administrator.
    let own: Option<String> =
        sqlx::query_scalar("SELECT organisation_id FROM app_user WHERE user_id = $1")
            .bind(&caller.actor.user_id)
            .fetch_optional(&mut *tx)
            .await?;
    let protected =
        organisations::BUILT_IN.iter().any(|b| b.0 == org.code) || own.as_deref() == Some(id);
    if !active && protected {
        return Err(AppError::invalid("organisation_id", FieldError::OwnAccount));
    }
    organisations::set_active(&mut tx, id, active, caller.now).await?;
    let action = if active {
        "organisation_reactivated"
    } else {
        "organisation_deactivated"
    };
    audit::record(
        &mut tx,
        caller.now,
        caller.entry(action, Some("organisation"), Some(id)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
