//! Signing in and out, and proving one's password again, under the throttle:
//!
//! - every attempt is counted as a failure *before* the slow hash is checked (a right password
//!   takes it back), so parallel guesses cannot all pass the check before any is counted;
//! - counters are kept per account *and* client address (locked after
//!   `Config::max_failed_sign_ins`), so a stranger cannot lock a colleague out of their own
//!   office, and per account from anywhere, with a higher ceiling
//!   (`Config::max_failed_sign_ins_per_account`) against guessing from many addresses;
//! - at most a few hashes run at once (`password::Hashing`); the rest are answered `Busy`
//!   at once, before anything is counted.
//!
//! Every outcome is audited; what was typed into the email field is never stored as typed
//! (people type passwords there): counters are keyed by its SHA-256, and the audit log keeps
//! it masked when it names no account.

use super::auth::{session_id_of, to_chrono, Caller};
use super::clock::parse_timestamp;
use super::config::Config;
use super::metrics::SignInOutcome;
use super::password;
use super::state::AppState;
use super::store::audit_log::{self, Entry};
use super::store::{referral_codes, sessions, throttle, users};
use crate::error::AppError;

use rand::RngCore;
use sha2::{Digest, Sha256};
use shared::audit::{masked_email, AuditAction, AuditTarget};
use shared::{referral_code, Role};

/// The two counters an attempt is counted against, each with the failures it allows: the
/// narrow one (an account from one address; for a referral's code, the reference) is
/// forgiven by a right answer, the wide one (the account from anywhere; for codes, the
/// client address across references) only loses the one failure.
struct Keys {
    pair: (String, i64),
    account: (String, i64),
}

impl Keys {
    fn of(account_hash: &str, client_addr: Option<&str>, config: &Config) -> Keys {
        let addr = client_addr.unwrap_or("unknown");
        Keys {
            pair: (
                format!("pair:{account_hash}:{addr}"),
                config.max_failed_sign_ins,
            ),
            account: (
                format!("account:{account_hash}"),
                config.max_failed_sign_ins_per_account,
            ),
        }
    }

    fn of_code(reference: &str, client_addr: Option<&str>) -> Keys {
        let addr = client_addr.unwrap_or("unknown");
        Keys {
            pair: (
                format!("code-reference:{reference}"),
                referral_code::MAX_TRIES_PER_REFERENCE,
            ),
            account: (
                format!("code-address:{addr}"),
                referral_code::MAX_TRIES_PER_ADDRESS,
            ),
        }
    }
}

/// The hash an account's counters are keyed by: of the address as typed, normalised.
fn account_hash(email_key: &str) -> String {
    hex::encode(Sha256::digest(email_key.as_bytes()))
}

fn email_key(typed: &str) -> String {
    shared::account::parse_email(typed)
        .unwrap_or_else(|_| typed.trim().to_lowercase())
        .chars()
        .take(254)
        .collect()
}

/// Who an attempt is recorded against in the audit log.
struct Attempt<'a> {
    actor: Option<&'a str>,
    target: (AuditTarget, &'a str),
    client_addr: Option<&'a str>,
    /// The entries of a wrong password (or code), of a counter locking, and of an attempt
    /// refused while locked.
    failure: AuditAction,
    locked: AuditAction,
    refused: AuditAction,
}

impl Attempt<'_> {
    fn entry(&self, action: AuditAction, detail: Option<&'static str>) -> Entry<'_> {
        Entry {
            actor_user_id: self.actor,
            action,
            target: Some(self.target),
            client_addr: self.client_addr,
            detail,
        }
    }
}

/// Checks `password` against `stored` under the throttle: `Ok(true)` right (the caller then
/// calls [`forgive`] in its own transaction), `Ok(false)` wrong (counted and audited), or
/// `LockedOut`.
async fn throttled_check(
    state: &AppState,
    keys: &Keys,
    permit: tokio::sync::OwnedSemaphorePermit,
    password: String,
    stored: Option<String>,
    attempt: &Attempt<'_>,
) -> Result<bool, AppError> {
    let now = state.clock.now();
    let lockout = to_chrono(state.config.lockout);
    let window_start = now - lockout;
    let ((pair_key, pair_max), (account_key, account_max)) = (&keys.pair, &keys.account);

    let mut tx = state.db.begin().await?;
    let pair = throttle::count_attempt(&mut tx, pair_key, now, window_start).await?;
    let account = throttle::count_attempt(&mut tx, account_key, now, window_start).await?;
    let pair_over = pair.failures > *pair_max;
    let account_over = account.failures > *account_max;
    if pair.locked_at(now) || account.locked_at(now) || pair_over || account_over {
        if pair_over && !pair.locked_at(now) {
            throttle::lock(&mut tx, pair_key, now + lockout).await?;
        }
        if account_over && !account.locked_at(now) {
            throttle::lock(&mut tx, account_key, now + lockout).await?;
        }
        let entry = attempt.entry(attempt.refused, None);
        audit_log::record(&mut tx, now, &entry).await?;
        tx.commit().await?;
        state.metrics.sign_in(SignInOutcome::Locked);
        return Err(AppError::LockedOut);
    }
    tx.commit().await?;

    if password::verify(&permit, password, stored).await {
        return Ok(true);
    }
    drop(permit);
    state.metrics.sign_in(SignInOutcome::Failed);
    let mut tx = state.db.begin().await?;
    audit_log::record(&mut tx, now, &attempt.entry(attempt.failure, None)).await?;
    if pair.failures >= *pair_max {
        throttle::lock(&mut tx, pair_key, now + lockout).await?;
        audit_log::record(&mut tx, now, &attempt.entry(attempt.locked, None)).await?;
    }
    if account.failures >= *account_max {
        throttle::lock(&mut tx, account_key, now + lockout).await?;
        let entry = attempt.entry(attempt.locked, Some("account"));
        audit_log::record(&mut tx, now, &entry).await?;
    }
    tx.commit().await?;
    Ok(false)
}

/// A turn at hashing a password, or `Busy` (counted) when too many run already.
fn hashing_permit(state: &AppState) -> Result<tokio::sync::OwnedSemaphorePermit, AppError> {
    let permit = state.hashing.permit();
    if permit.is_err() {
        state.metrics.sign_in(SignInOutcome::Busy);
    }
    permit
}

/// Takes back the failure counted for an attempt whose password was right.
async fn forgive(conn: &mut sqlx::AnyConnection, keys: &Keys) -> Result<(), sqlx::Error> {
    throttle::clear(conn, &keys.pair.0).await?;
    throttle::forgive_one(conn, &keys.account.0).await
}

/// A successful sign-in: the session token for the cookie and who signed in.
pub struct SignedIn {
    pub token: String,
    pub role: Role,
    pub language: String,
    pub must_change_password: bool,
}

/// Checks email and password and opens a session. The errors never tell whether the email
/// address has an account.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: String,
    client_addr: Option<&str>,
) -> Result<SignedIn, AppError> {
    let permit = hashing_permit(state)?;
    let email_key = email_key(email);
    let hash = account_hash(&email_key);
    let keys = Keys::of(&hash, client_addr, &state.config);
    let user = {
        let mut conn = state.db.pool.acquire().await?;
        users::for_sign_in(&mut conn, &email_key).await?
    };
    // Failures are recorded against the account, or the address typed, masked, if none has it.
    let target = match &user {
        Some(u) => (AuditTarget::User, u.user_id.clone()),
        None => (AuditTarget::Email, masked_email(&email_key)),
    };
    let attempt = Attempt {
        actor: None,
        target: (target.0, &target.1),
        client_addr,
        failure: AuditAction::SignInFailed,
        locked: AuditAction::SignInLocked,
        refused: AuditAction::SignInRefusedLocked,
    };
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    if !throttled_check(state, &keys, permit, password, stored, &attempt).await? {
        return Err(AppError::BadCredentials);
    }
    let Some(user) = user else {
        return Err(AppError::BadCredentials);
    };
    let now = state.clock.now();
    let token = new_token();
    let mut tx = state.db.begin().await?;
    forgive(&mut tx, &keys).await?;
    sessions::open(
        &mut tx,
        &session_id_of(&token),
        &user.user_id,
        now,
        client_addr,
    )
    .await?;
    let entry = Entry {
        actor_user_id: Some(&user.user_id),
        ..attempt.entry(AuditAction::SignIn, None)
    };
    audit_log::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    Ok(SignedIn {
        token,
        role: user.role,
        language: user.language,
        must_change_password: user.must_change_password,
    })
}

/// Opens a referral to an organisation without accounts with the reference and code on its
/// slip (`/r`), under the same throttle as signing in: five wrong codes for a reference, or
/// ten from one address whatever the reference, pause it for the lockout period. A right code
/// opens a session of the organisation's code account that reaches that referral alone.
/// Wrong reference and wrong code get the same answer. A right code of a referral that has
/// ended, or whose code expired, is `CodeEnded`.
pub async fn sign_in_with_code(
    state: &AppState,
    reference: &str,
    code: &str,
    client_addr: Option<&str>,
) -> Result<String, AppError> {
    let mut errors = shared::FieldErrors::new();
    let reference = errors.take(
        "reference",
        referral_code::normalise(reference).ok_or(shared::FieldError::InvalidFormat),
    );
    let code = errors.take(
        "code",
        referral_code::normalise(code).ok_or(shared::FieldError::InvalidFormat),
    );
    let (Some(reference), Some(code)) = (reference, code) else {
        return Err(AppError::Invalid(errors));
    };
    let permit = hashing_permit(state)?;
    let keys = Keys::of_code(&reference, client_addr);
    let coded = {
        let mut conn = state.db.pool.acquire().await?;
        referral_codes::by_reference(&mut conn, &reference).await?
    };
    let target = coded.as_ref().map(|c| c.referral_id.clone());
    let attempt = Attempt {
        actor: None,
        // A reference that names nothing is recorded as such, never as typed.
        target: (AuditTarget::Referral, target.as_deref().unwrap_or("-")),
        client_addr,
        failure: AuditAction::ReferralCodeFailed,
        locked: AuditAction::ReferralCodeLocked,
        refused: AuditAction::ReferralCodeRefusedLocked,
    };
    let stored = coded.as_ref().map(|c| c.code_hash.clone());
    if !throttled_check(state, &keys, permit, code, stored, &attempt).await? {
        return Err(AppError::WrongCode);
    }
    let Some(coded) = coded else {
        return Err(AppError::WrongCode);
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    forgive(&mut tx, &keys).await?;
    let open = shared::referral::ReferralStatus::parse(&coded.status).is_some_and(|s| s.is_open())
        && coded.sharing_consent
        && coded.without_accounts
        && coded.organisation_active;
    let unexpired = parse_timestamp(&coded.expires_at).is_some_and(|t| now < t);
    if !(open && unexpired) {
        let entry = attempt.entry(AuditAction::ReferralCodeRefusedEnded, None);
        audit_log::record(&mut tx, now, &entry).await?;
        tx.commit().await?;
        return Err(AppError::CodeEnded);
    }
    let user_id = referral_codes::code_account(
        &mut tx,
        &coded.organisation_id,
        &coded.organisation_name,
        now,
    )
    .await?;
    let token = new_token();
    let session_id = session_id_of(&token);
    let referral_id = &coded.referral_id;
    referral_codes::open_session(
        &mut tx,
        &session_id,
        &user_id,
        referral_id,
        now,
        client_addr,
    )
    .await?;
    let entry = Entry {
        actor_user_id: Some(&user_id),
        ..attempt.entry(AuditAction::ReferralCodeUsed, None)
    };
    audit_log::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    Ok(token)
}

/// Checks the caller's own password again (before changing it), under the same throttle as
/// signing in. A wrong one is `Invalid` (the caller names the field).
pub async fn prove_password(caller: &Caller, password: String) -> Result<(), AppError> {
    let state = &caller.state;
    let permit = hashing_permit(state)?;
    let keys = Keys::of(
        &account_hash(&email_key(&caller.email)),
        caller.client_addr.as_deref(),
        &state.config,
    );
    let stored = {
        let mut conn = state.db.pool.acquire().await?;
        users::password_hash(&mut conn, &caller.actor.user_id).await?
    };
    let attempt = Attempt {
        actor: Some(&caller.actor.user_id),
        target: (AuditTarget::User, &caller.actor.user_id),
        client_addr: caller.client_addr.as_deref(),
        failure: AuditAction::PasswordChangeFailed,
        locked: AuditAction::SignInLocked,
        refused: AuditAction::SignInRefusedLocked,
    };
    if !throttled_check(state, &keys, permit, password, stored, &attempt).await? {
        return Err(AppError::Invalid(shared::FieldErrors::new()));
    }
    let mut conn = state.db.pool.acquire().await?;
    forgive(&mut conn, &keys).await?;
    Ok(())
}

/// Lifts every lock and counter of the account with this address (a new password was set).
pub async fn lift_locks(conn: &mut sqlx::AnyConnection, email: &str) -> Result<(), sqlx::Error> {
    throttle::clear_account(conn, &account_hash(&email_key(email))).await
}

/// Ends the caller's session (the row is deleted: the cookie is worthless afterwards).
pub async fn sign_out(caller: &Caller) -> Result<(), AppError> {
    let mut tx = caller.state.db.begin().await?;
    sessions::end(&mut tx, &caller.session_id).await?;
    let entry = caller.entry(
        AuditAction::SignOut,
        Some((AuditTarget::User, &caller.actor.user_id)),
        None,
    );
    audit_log::record(&mut tx, caller.now, &entry).await?;
    tx.commit().await?;
    Ok(())
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}
