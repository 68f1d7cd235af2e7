//! User accounts and their areas.

use crate::backend::clock::timestamp;
use crate::backend::db::{is_unique_violation, new_id, Db};
use crate::error::AppError;
use crate::model::admin::{UserFilter, UserView};
use chrono::{DateTime, Utc};
use shared::account::NewUser;
use shared::{Country, FieldError, Role};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
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
        u.created_at, o.organisation_id, o.code AS organisation_code, o.name AS organisation_name,
        o.country
     FROM app_user u JOIN organisation o ON o.organisation_id = u.organisation_id";

fn from_row(
    r: &AnyRow,
    areas: &mut BTreeMap<String, Vec<String>>,
) -> Result<UserView, sqlx::Error> {
    let user_id: String = r.try_get("user_id")?;
    let role: String = r.try_get("role")?;
    let country: Option<String> = r.try_get("country")?;
    Ok(UserView {
        areas: areas.remove(&user_id).unwrap_or_default(),
        user_id,
        email: r.try_get("email")?,
        display_name: r.try_get("display_name")?,
        role: Role::parse(&role).unwrap_or(Role::Partner),
        active: r.try_get::<i64, _>("active")? != 0,
        language: r.try_get("language")?,
        created_at: r.try_get("created_at")?,
        organisation_id: r.try_get("organisation_id")?,
        organisation_code: r.try_get("organisation_code")?,
        organisation_name: r.try_get("organisation_name")?,
        country: country.as_deref().and_then(Country::parse),
    })
}

/// Users matching the filter, with their areas (two queries, whatever the number of users).
pub async fn list(db: &Db, f: &UserFilter) -> Result<Vec<UserView>, sqlx::Error> {
    let mut sql = format!("{SELECT} WHERE 1 = 1");
    let mut binds: Vec<String> = Vec::new();
    if let Some(org) = f.organisation.as_deref().filter(|s| !s.is_empty()) {
        binds.push(org.to_string());
        sql.push_str(&format!(" AND o.code = ${}", binds.len()));
    }
    if let Some(role) = f.role.as_deref().filter(|s| !s.is_empty()) {
        binds.push(role.to_string());
        sql.push_str(&format!(" AND u.role = ${}", binds.len()));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        binds.push(format!("%{}%", q.to_lowercase()));
        let n = binds.len();
        sql.push_str(&format!(
            " AND (LOWER(u.email) LIKE ${n} OR LOWER(u.display_name) LIKE ${n})"
        ));
    }
    if !f.include_inactive {
        sql.push_str(" AND u.active = 1");
    }
    sql.push_str(" ORDER BY o.name, u.display_name LIMIT 500");
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for b in &binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(&db.pool).await?;
    let mut areas = all_areas(db).await?;
    rows.iter().map(|r| from_row(r, &mut areas)).collect()
}

async fn all_areas(db: &Db) -> Result<BTreeMap<String, Vec<String>>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT user_id, location_id FROM user_area ORDER BY location_id")
            .fetch_all(&db.pool)
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
    let Some(row) = sqlx::query(AssertSqlSafe(format!("{SELECT} WHERE u.user_id = $1")))
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let areas: Vec<String> = sqlx::query_scalar(
        "SELECT location_id FROM user_area WHERE user_id = $1 ORDER BY location_id",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut map = BTreeMap::from([(user_id.to_string(), areas)]);
    from_row(&row, &mut map).map(Some)
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
        end_sessions(conn, user_id).await?;
    }
    Ok(())
}

/// Replaces a password. Every session of the account ends (whoever knew the old one is out),
/// except `keep`: the session of a user changing their own password.
pub async fn set_password(
    conn: &mut AnyConnection,
    user_id: &str,
    password_hash: &str,
    now: DateTime<Utc>,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE app_user SET password_hash = $1, updated_at = $2, version = version + 1 WHERE user_id = $3",
    )
    .bind(password_hash)
    .bind(timestamp(now))
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM user_session WHERE user_id = $1 AND session_id <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn end_sessions(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM user_session WHERE user_id = $1")
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
