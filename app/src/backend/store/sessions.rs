//! Sessions: who a session token belongs to, their timeouts, and ending them.

use super::{Flag, OptionalCode};
use crate::backend::clock::timestamp;
use chrono::{DateTime, Utc};
use shared::{Country, Role};
use sqlx::{AnyConnection, FromRow};

/// A session with its user, as the row says.
#[derive(Clone, Debug, FromRow)]
pub struct SessionUser {
    pub user_id: String,
    pub created_at: String,
    pub last_seen_at: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub organisation_id: String,
    pub display_name: String,
    pub email: String,
    pub language: String,
    pub digits: String,
    #[sqlx(try_from = "OptionalCode<Country>")]
    pub country: Option<Country>,
    pub organisation_name: String,
    #[sqlx(try_from = "Flag")]
    pub must_change_password: bool,
    /// Opened with this referral's code: it reaches that referral alone.
    pub referral_id: Option<String>,
}

/// The active user of an active organisation a session belongs to.
pub async fn find(
    conn: &mut AnyConnection,
    session_id: &str,
) -> Result<Option<SessionUser>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.user_id, s.created_at, s.last_seen_at, u.role, u.organisation_id, u.display_name,
                u.email, u.language, u.digits, o.country, o.name AS organisation_name,
                u.must_change_password, s.referral_id
         FROM user_session s
         JOIN app_user u ON u.user_id = s.user_id
         JOIN organisation o ON o.organisation_id = u.organisation_id
         WHERE s.session_id = $1 AND u.active = 1 AND o.active = 1",
    )
    .bind(session_id)
    .fetch_optional(conn)
    .await
}

/// The areas (location keys) of a user.
pub async fn areas(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT location_id FROM user_area WHERE user_id = $1 ORDER BY location_id")
        .bind(user_id)
        .fetch_all(conn)
        .await
}

pub async fn open(
    conn: &mut AnyConnection,
    session_id: &str,
    user_id: &str,
    now: DateTime<Utc>,
    client_addr: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO user_session (session_id, user_id, created_at, last_seen_at, client_addr)
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(session_id)
    .bind(user_id)
    .bind(timestamp(now))
    .bind(client_addr)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn touch(
    conn: &mut AnyConnection,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE user_session SET last_seen_at = $1 WHERE session_id = $2")
        .bind(timestamp(now))
        .bind(session_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn end(conn: &mut AnyConnection, session_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM user_session WHERE session_id = $1")
        .bind(session_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of an account but `keep` (the session of a user changing their own
/// password).
pub async fn end_all_of(
    conn: &mut AnyConnection,
    user_id: &str,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM user_session WHERE user_id = $1 AND session_id <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes sessions past their idle or absolute timeout.
pub async fn sweep(
    conn: &mut AnyConnection,
    idle_since: DateTime<Utc>,
    created_before: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM user_session WHERE last_seen_at < $1 OR created_at < $2")
        .bind(timestamp(idle_since))
        .bind(timestamp(created_before))
        .execute(conn)
        .await?;
    Ok(r.rows_affected())
}
