//! Who is calling: sessions (server side, in the database, behind an HttpOnly cookie), sign-in
//! with lockout, sign-out, and the [`Caller`] every server function starts from.

use super::audit::{self, Entry};
use super::clock::{parse_timestamp, timestamp};
use super::password;
use super::request::{self, cookie_header};
use super::state::{app_state, AppState};
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use shared::policy::{authorize, Action, Actor, Resource};
use shared::{Country, Role};
use sqlx::Row;

pub const SESSION_COOKIE: &str = "hw_session";

/// The signed-in user making this request, with what every server function needs.
#[derive(Clone, Debug)]
pub struct Caller {
    pub state: AppState,
    pub actor: Actor,
    pub display_name: String,
    pub email: String,
    pub language: String,
    pub digits: String,
    pub organisation_name: String,
    pub session_id: String,
    pub client_addr: Option<String>,
    pub now: DateTime<Utc>,
}

impl Caller {
    /// Asks the access policy; a denial becomes `NotFound` or `Forbidden`.
    pub fn may(&self, action: Action, resource: Resource<'_>) -> Result<(), AppError> {
        authorize(&self.actor, action, resource).map_err(AppError::from)
    }

    /// An audit entry by this caller.
    pub fn entry<'a>(
        &'a self,
        action: &'a str,
        target_type: Option<&'a str>,
        target_id: Option<&'a str>,
    ) -> Entry<'a> {
        Entry {
            actor_user_id: Some(&self.actor.user_id),
            action,
            target_type,
            target_id,
            client_addr: self.client_addr.as_deref(),
            detail: None,
        }
    }
}

/// The caller of the current request, or `Unauthenticated`.
pub async fn authenticate() -> Result<Caller, AppError> {
    let state = app_state()?;
    let parts = request::parts().ok_or(AppError::Unauthenticated)?;
    let token = request::cookie(&parts, SESSION_COOKIE).ok_or(AppError::Unauthenticated)?;
    let client_addr = request::client_addr(&parts, &state.config);
    caller_for_token(&state, &token, client_addr).await
}

/// The caller of the current request, if signed in (pages that also serve anonymous users).
pub async fn current() -> Result<Option<Caller>, AppError> {
    match authenticate().await {
        Ok(c) => Ok(Some(c)),
        Err(AppError::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Looks up a session token, enforcing the idle and absolute timeouts.
pub async fn caller_for_token(
    state: &AppState,
    token: &str,
    client_addr: Option<String>,
) -> Result<Caller, AppError> {
    let now = state.clock.now();
    let session_id = session_id_of(token);
    let row = sqlx::query(
        "SELECT s.user_id, s.created_at, s.last_seen_at, u.role, u.organisation_id, u.display_name,
                u.email, u.language, u.digits, o.country, o.name AS organisation_name
         FROM user_session s
         JOIN app_user u ON u.user_id = s.user_id
         JOIN organisation o ON o.organisation_id = u.organisation_id
         WHERE s.session_id = $1 AND u.active = 1 AND o.active = 1",
    )
    .bind(&session_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(AppError::Unauthenticated)?;

    let created = parse_timestamp(&row.try_get::<String, _>("created_at")?);
    let last_seen = parse_timestamp(&row.try_get::<String, _>("last_seen_at")?);
    let (Some(created), Some(last_seen)) = (created, last_seen) else {
        return Err(AppError::Unauthenticated);
    };
    let idle = to_chrono(state.config.session_idle);
    let absolute = to_chrono(state.config.session_absolute);
    if now - last_seen >= idle || now - created >= absolute {
        sqlx::query("DELETE FROM user_session WHERE session_id = $1")
            .bind(&session_id)
            .execute(&state.db.pool)
            .await?;
        return Err(AppError::Unauthenticated);
    }
    // Writing on every request would serialise all readers on SQLite; a minute's precision
    // is plenty for a 30-minute idle timeout.
    if now - last_seen >= Duration::seconds(60) {
        sqlx::query("UPDATE user_session SET last_seen_at = $1 WHERE session_id = $2")
            .bind(timestamp(now))
            .bind(&session_id)
            .execute(&state.db.pool)
            .await?;
    }

    let user_id: String = row.try_get("user_id")?;
    let role = Role::parse(&row.try_get::<String, _>("role")?).ok_or(AppError::Internal)?;
    let country: Option<String> = row.try_get("country")?;
    let areas: Vec<String> = sqlx::query_scalar(
        "SELECT location_id FROM user_area WHERE user_id = $1 ORDER BY location_id",
    )
    .bind(&user_id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(Caller {
        actor: Actor {
            user_id,
            role,
            organisation_id: row.try_get("organisation_id")?,
            country: country.as_deref().and_then(Country::parse),
            areas,
        },
        display_name: row.try_get("display_name")?,
        email: row.try_get("email")?,
        language: row.try_get("language")?,
        digits: row.try_get("digits")?,
        organisation_name: row.try_get("organisation_name")?,
        session_id,
        client_addr,
        now,
        state: state.clone(),
    })
}

fn to_chrono(d: std::time::Duration) -> Duration {
    Duration::from_std(d).unwrap_or(Duration::MAX)
}

/// The stored id of a session token: its SHA-256, so the table alone opens no session.
pub fn session_id_of(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A successful sign-in: the session token for the cookie and who signed in.
pub struct SignedIn {
    pub token: String,
    pub user_id: String,
    pub role: Role,
    pub language: String,
}

/// Checks email and password, applying the lockout, and opens a session. Every outcome is
/// audited. The errors never tell whether the email address has an account.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: String,
    client_addr: Option<&str>,
) -> Result<SignedIn, AppError> {
    let now = state.clock.now();
    let email_key: String = shared::account::parse_email(email)
        .unwrap_or_else(|_| email.trim().to_lowercase())
        .chars()
        .take(254)
        .collect();
    let db = &state.db;

    let locked_until: Option<String> =
        sqlx::query_scalar("SELECT locked_until FROM sign_in_throttle WHERE email_key = $1")
            .bind(&email_key)
            .fetch_optional(&db.pool)
            .await?
            .flatten();
    if locked_until
        .and_then(|t| parse_timestamp(&t))
        .is_some_and(|t| t > now)
    {
        let mut tx = db.begin().await?;
        audit::record(
            &mut tx,
            now,
            Entry {
                action: "sign_in_refused_locked",
                target_type: Some("email"),
                target_id: Some(&email_key),
                client_addr,
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        return Err(AppError::LockedOut);
    }

    let user = sqlx::query(
        "SELECT u.user_id, u.password_hash, u.role, u.language
         FROM app_user u JOIN organisation o ON o.organisation_id = u.organisation_id
         WHERE u.email = $1 AND u.active = 1 AND o.active = 1",
    )
    .bind(&email_key)
    .fetch_optional(&db.pool)
    .await?;
    let stored_hash = match &user {
        Some(row) => Some(row.try_get::<String, _>("password_hash")?),
        None => None,
    };
    let ok = password::verify(password, stored_hash).await;

    let mut tx = db.begin().await?;
    let user = match (ok, user) {
        (true, Some(user)) => user,
        (_, user) => {
            let window_start = timestamp(now - to_chrono(state.config.lockout));
            let failures: i64 = sqlx::query_scalar(
                "INSERT INTO sign_in_throttle (email_key, failures, last_failure_at, locked_until)
                 VALUES ($1, 1, $2, NULL)
                 ON CONFLICT (email_key) DO UPDATE SET
                   failures = CASE WHEN sign_in_throttle.last_failure_at < $3 THEN 1
                                   ELSE sign_in_throttle.failures + 1 END,
                   last_failure_at = $2
                 RETURNING failures",
            )
            .bind(&email_key)
            .bind(timestamp(now))
            .bind(&window_start)
            .fetch_one(&mut *tx)
            .await?;
            let user_id: Option<String> = match &user {
                Some(u) => Some(u.try_get("user_id")?),
                None => None,
            };
            // Failures are recorded against the account, or the address typed if there is none.
            let failure = |action| Entry {
                action,
                target_type: Some(if user_id.is_some() { "user" } else { "email" }),
                target_id: Some(user_id.as_deref().unwrap_or(&email_key)),
                client_addr,
                ..Default::default()
            };
            audit::record(&mut tx, now, failure("sign_in_failed")).await?;
            if failures >= state.config.max_failed_sign_ins {
                sqlx::query(
                    "UPDATE sign_in_throttle SET locked_until = $1, failures = 0 WHERE email_key = $2",
                )
                .bind(timestamp(now + to_chrono(state.config.lockout)))
                .bind(&email_key)
                .execute(&mut *tx)
                .await?;
                audit::record(&mut tx, now, failure("sign_in_locked")).await?;
            }
            tx.commit().await?;
            return Err(AppError::BadCredentials);
        }
    };

    let user_id: String = user.try_get("user_id")?;
    let role = Role::parse(&user.try_get::<String, _>("role")?).ok_or(AppError::Internal)?;
    let language: String = user.try_get("language")?;
    let token = new_token();
    sqlx::query("DELETE FROM sign_in_throttle WHERE email_key = $1")
        .bind(&email_key)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO user_session (session_id, user_id, created_at, last_seen_at, client_addr)
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(session_id_of(&token))
    .bind(&user_id)
    .bind(timestamp(now))
    .bind(client_addr)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        now,
        Entry {
            actor_user_id: Some(&user_id),
            action: "sign_in",
            target_type: Some("user"),
            target_id: Some(&user_id),
            client_addr,
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(SignedIn {
        token,
        user_id,
        role,
        language,
    })
}

/// Ends the caller's session (the row is deleted: the cookie is worthless afterwards).
pub async fn sign_out(caller: &Caller) -> Result<(), AppError> {
    let mut tx = caller.state.db.begin().await?;
    sqlx::query("DELETE FROM user_session WHERE session_id = $1")
        .bind(&caller.session_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        caller.now,
        caller.entry("sign_out", Some("user"), Some(&caller.actor.user_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The `Set-Cookie` value that carries a new session token.
pub fn session_cookie(state: &AppState, token: &str) -> String {
    // No Max-Age: the cookie ends with the browser; the server ends the session sooner.
    cookie_header(SESSION_COOKIE, token, None, state.config.secure_cookies)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(state: &AppState) -> String {
    cookie_header(SESSION_COOKIE, "", Some(0), state.config.secure_cookies)
}
