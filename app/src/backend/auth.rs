//! Who is calling: sessions (server side, in the database, behind an HttpOnly cookie) and the
//! [`Caller`] every server function starts from. Signing in is `sign_in.rs`.

use super::clock::parse_timestamp;
use super::request::{self, cookie_header};
use super::state::{app_state, AppState};
use super::store::audit_log::Entry;
use super::store::sessions;
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use shared::audit::{AuditAction, AuditTarget};
use shared::policy::{authorize, Action, Actor, Resource};

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
    /// An administrator set the password: nothing but the own account until it is changed.
    pub must_change_password: bool,
    pub session_id: String,
    pub client_addr: Option<String>,
    pub now: DateTime<Utc>,
}

impl Caller {
    /// Asks the access policy; a denial becomes `NotFound` or `Forbidden`. Until a password
    /// set by an administrator is changed, only the own account may be used.
    pub fn may(&self, action: Action, resource: Resource<'_>) -> Result<(), AppError> {
        if self.must_change_password && action != Action::UseOwnAccount {
            return Err(AppError::PasswordChangeRequired);
        }
        authorize(&self.actor, action, resource).map_err(AppError::from)
    }

    /// An audit entry by this caller.
    pub fn entry<'a>(
        &'a self,
        action: AuditAction,
        target: Option<(AuditTarget, &'a str)>,
        detail: Option<&'a str>,
    ) -> Entry<'a> {
        Entry {
            actor_user_id: Some(&self.actor.user_id),
            action,
            target,
            client_addr: self.client_addr.as_deref(),
            detail,
        }
    }

    /// Writes a read's audit entry by this caller, returning once it is committed (the entry
    /// goes in before the data goes out; see `audit_writer`).
    pub async fn audit_read(
        &self,
        action: AuditAction,
        target: Option<(AuditTarget, &str)>,
        detail: Option<&str>,
    ) -> Result<(), AppError> {
        let entry = self.entry(action, target, detail);
        self.state.audit.write(self.now, &entry).await
    }
}

/// The caller of the current request (of a server function or page), or `Unauthenticated`.
pub async fn authenticate() -> Result<Caller, AppError> {
    let state = app_state()?;
    let parts = request::parts().ok_or(AppError::Unauthenticated)?;
    authenticate_request(&state, &parts).await
}

/// The caller of a request given by its parts (plain axum routes, such as the exports).
pub async fn authenticate_request(
    state: &AppState,
    parts: &http::request::Parts,
) -> Result<Caller, AppError> {
    let token = request::cookie(parts, SESSION_COOKIE).ok_or(AppError::Unauthenticated)?;
    let client_addr = request::client_addr(parts, &state.config);
    caller_for_token(state, &token, client_addr).await
}

/// The caller of the current request, if signed in (pages that also serve anonymous users).
/// Someone who opened a referral with its code is not a signed-in user: `None`, so the
/// pages for staff send them to sign in and the language they choose is only a cookie.
pub async fn current() -> Result<Option<Caller>, AppError> {
    Ok(any_caller().await?.filter(|c| c.actor.referral.is_none()))
}

/// The caller of the current request, signed in or holding a referral's code, if either.
pub async fn any_caller() -> Result<Option<Caller>, AppError> {
    match authenticate().await {
        Ok(c) => Ok(Some(c)),
        Err(AppError::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Looks up a session token, enforcing the idle and absolute timeouts.
async fn caller_for_token(
    state: &AppState,
    token: &str,
    client_addr: Option<String>,
) -> Result<Caller, AppError> {
    let now = state.clock.now();
    let session_id = session_id_of(token);
    let mut conn = state.db.pool.acquire().await?;
    let s = sessions::find(&mut conn, &session_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let (Some(created), Some(last_seen)) = (
        parse_timestamp(&s.created_at),
        parse_timestamp(&s.last_seen_at),
    ) else {
        return Err(AppError::Unauthenticated);
    };
    let idle = to_chrono(state.config.session_idle);
    let absolute = to_chrono(state.config.session_absolute);
    if now - last_seen >= idle || now - created >= absolute {
        sessions::end(&mut conn, &session_id).await?;
        return Err(AppError::Unauthenticated);
    }
    // Writing on every request would serialise all readers on SQLite; a minute's precision
    // is plenty for a 30-minute idle timeout.
    if now - last_seen >= Duration::seconds(60) {
        sessions::touch(&mut conn, &session_id, now).await?;
    }
    let areas = sessions::areas(&mut conn, &s.user_id).await?;
    Ok(Caller {
        actor: Actor {
            user_id: s.user_id,
            role: s.role,
            organisation_id: s.organisation_id,
            country: s.country,
            areas,
            referral: s.referral_id,
        },
        display_name: s.display_name,
        email: s.email,
        language: s.language,
        digits: s.digits,
        organisation_name: s.organisation_name,
        must_change_password: s.must_change_password,
        session_id,
        client_addr,
        now,
        state: state.clone(),
    })
}

pub fn to_chrono(d: std::time::Duration) -> Duration {
    Duration::from_std(d).unwrap_or(Duration::MAX)
}

/// The stored id of a session token: its SHA-256, so the table alone opens no session.
pub fn session_id_of(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
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
