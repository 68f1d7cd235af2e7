//! User accounts and their areas.

use super::binds::Binds;
use super::Flag;
use crate::backend::clock::timestamp;
use crate::backend::db::{is_unique_violation, new_id};
use crate::error::AppError;
use crate::model::admin::{UserFilter, UserView};
use chrono::{DateTime, Utc};
use shared::account::NewUser;
use shared::{FieldError, Role};
use sqlx::{AnyConnection, AssertSqlSafe, FromRow};
use std::collections::BTreeMap;

pub async fn create(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    user: &NewUser,
    organisation_id: &str,
    password_hash: &str,
    language: &str,
) -> Result<String, AppError> {
    let id = new_id();
    let r = sqlx::query(
        "INSERT INTO app_user (user_id, email, display_name, role, organisation_id, password_hash,
                               active, language, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, 1, $8, $8)",
    )
    .bind(&id)
    .bind(&user.email)
    .bind(&user.display_name)
    .bind(user.role.as_str())
    .bind(organisation_id)
    .bind(password_hash)
    .bind(language)
    .bind(timestamp(now))
    .execute(&mut *conn)
    .await;
    match r {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e, "app_user_email_key", "app_user.email") => {
            return Err(AppError::invalid("email", FieldError::AlreadyTaken));
        }
        Err(e) => return Err(e.into()),
    }
    set_areas(conn, &id, &user.areas).await?;
    Ok(id)
}

pub async fn set_areas(
    conn: &mut AnyConnection,
    user_id: &str,
    areas: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM user_area WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for a in areas {
        sqlx::query("INSERT INTO user_area (user_id, location_id) VALUES ($1, $2)")
            .bind(user_id)
            .bind(a)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

const SELECT: &str = "SELECT u.user_id, u.email, u.display_name, u.role, u.active, u.language,
        u.created_at, u.version, o.organisation_id, o.code AS organisation_code,
        o.name AS organisation_name, o.country
     FROM app_user u JOIN organisation o ON o.organisation_id = u.organisation_id";

/// Users matching the filter, with their areas (two queries, whatever the number of users).
pub async fn list(conn: &mut AnyConnection, f: &UserFilter) -> Result<Vec<UserView>, sqlx::Error> {
    let mut binds = Binds::default();
    // The account an organisation without accounts answers codes through is nobody's.
    let mut cond = vec!["u.code_access = 0".to_string()];
    if let Some(org) = f.organisation.as_deref().filter(|s| !s.is_empty()) {
        cond.push(format!("o.code = {}", binds.push(org)));
    }
    if let Some(role) = f.role.as_deref().filter(|s| !s.is_empty()) {
        cond.push(format!("u.role = {}", binds.push(role)));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let q = q.to_lowercase();
        let email = binds.contains("LOWER(u.email)", &q);
        let name = binds.contains("LOWER(u.display_name)", &q);
        cond.push(format!("({email} OR {name})"));
    }
    if !f.include_inactive {
        cond.push("u.active = 1".into());
    }
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY o.name, u.display_name LIMIT 500",
        cond.join(" AND ")
    );
    let mut users: Vec<UserView> = binds.query_as(&sql).fetch_all(&mut *conn).await?;
    let mut areas = all_areas(conn).await?;
    for u in &mut users {
        u.areas = areas.remove(&u.user_id).unwrap_or_default();
    }
    Ok(users)
}

async fn all_areas(conn: &mut AnyConnection) -> Result<BTreeMap<String, Vec<String>>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT user_id, location_id FROM user_area ORDER BY location_id")
            .fetch_all(conn)
            .await?;
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (u, l) in rows {
        map.entry(u).or_default().push(l);
    }
    Ok(map)
}

pub async fn by_id(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<UserView>, sqlx::Error> {
    let Some(mut user) =
        sqlx::query_as::<_, UserView>(AssertSqlSafe(format!("{SELECT} WHERE u.user_id = $1")))
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?
    else {
        return Ok(None);
    };
    user.areas = super::sessions::areas(conn, user_id).await?;
    Ok(Some(user))
}

/// Moves an account's version on if it is still `expected`; false means someone saved it
/// since.
pub async fn bump_version(
    conn: &mut AnyConnection,
    user_id: &str,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE app_user SET version = version + 1, updated_at = $1
         WHERE user_id = $2 AND version = $3",
    )
    .bind(timestamp(now))
    .bind(user_id)
    .bind(expected)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Activates or deactivates an account; deactivation ends its sessions at once.
pub async fn set_active(
    conn: &mut AnyConnection,
    user_id: &str,
    active: bool,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE app_user SET active = $1, updated_at = $2, version = version + 1 WHERE user_id = $3")
        .bind(i64::from(active))
        .bind(timestamp(now))
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    if !active {
        super::sessions::end_all_of(conn, user_id, None).await?;
    }
    Ok(())
}

/// Who set a password: its holder, or an administrator (then the holder must change it at
/// the next sign-in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetBy {
    Holder,
    Administrator,
}

/// Replaces a password. Every session of the account ends (whoever knew the old one is out),
/// except `keep`: the session of a user changing their own password.
pub async fn set_password(
    conn: &mut AnyConnection,
    user_id: &str,
    password_hash: &str,
    set_by: SetBy,
    now: DateTime<Utc>,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE app_user SET password_hash = $1, must_change_password = $2, updated_at = $3,
             version = version + 1
         WHERE user_id = $4",
    )
    .bind(password_hash)
    .bind(i64::from(set_by == SetBy::Administrator))
    .bind(timestamp(now))
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    super::sessions::end_all_of(conn, user_id, keep).await
}

/// The digits numbers are shown in: `local` or `western`.
pub async fn set_digits(
    conn: &mut AnyConnection,
    user_id: &str,
    digits: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE app_user SET digits = $1 WHERE user_id = $2")
        .bind(digits)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_language(
    conn: &mut AnyConnection,
    user_id: &str,
    language: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE app_user SET language = $1 WHERE user_id = $2")
        .bind(language)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The account with this email address, if any.
pub async fn id_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM app_user WHERE email = $1")
        .bind(email)
        .fetch_optional(conn)
        .await
}

/// The stored password hash of an account.
pub async fn password_hash(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM app_user WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// An active account of an active organisation, as signing in needs it.
#[derive(Clone, Debug, FromRow)]
pub struct SignInAccount {
    pub user_id: String,
    pub password_hash: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub language: String,
    #[sqlx(try_from = "Flag")]
    pub must_change_password: bool,
}

pub async fn for_sign_in(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<SignInAccount>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.user_id, u.password_hash, u.role, u.language, u.must_change_password
         FROM app_user u JOIN organisation o ON o.organisation_id = u.organisation_id
         WHERE u.email = $1 AND u.active = 1 AND o.active = 1 AND u.code_access = 0",
    )
    .bind(email)
    .fetch_optional(conn)
    .await
}
