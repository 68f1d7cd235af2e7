//! The reference and code of a referral to an organisation without accounts (the code as a
//! hash only), the account its people act through, and the sessions opened with a code.

use super::Flag;
use crate::backend::clock::timestamp;
use crate::backend::db::new_id;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// Whether a reference is taken already (a new one is drawn until it is not).
pub async fn reference_taken(
    conn: &mut AnyConnection,
    reference: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM referral_code WHERE reference = $1")
        .bind(reference)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// A new code of a referral (`code_hash`), replacing any before it: the reference stays the
/// one it had (`reference` is used for a first code only). Answers the reference.
pub struct Issue<'a> {
    pub referral_id: &'a str,
    pub reference: &'a str,
    pub code_hash: &'a str,
    pub issued_by: &'a str,
    pub expires_at: DateTime<Utc>,
}

pub async fn issue(
    conn: &mut AnyConnection,
    i: &Issue<'_>,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO referral_code (referral_id, reference, code_hash, issued_by, issued_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (referral_id) DO UPDATE SET code_hash = $3, issued_by = $4,
             issued_at = $5, expires_at = $6
         RETURNING reference",
    )
    .bind(i.referral_id)
    .bind(i.reference)
    .bind(i.code_hash)
    .bind(i.issued_by)
    .bind(timestamp(now))
    .bind(timestamp(i.expires_at))
    .fetch_one(conn)
    .await
}

/// What opening a referral with its code needs to know.
#[derive(Clone, Debug, FromRow)]
pub struct Coded {
    pub referral_id: String,
    pub code_hash: String,
    pub expires_at: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub status: String,
    #[sqlx(try_from = "Flag")]
    pub sharing_consent: bool,
    #[sqlx(try_from = "Flag")]
    pub without_accounts: bool,
    /// The organisation is active (a deactivated one opens nothing).
    #[sqlx(try_from = "Flag")]
    pub organisation_active: bool,
}

pub async fn by_reference(
    conn: &mut AnyConnection,
    reference: &str,
) -> Result<Option<Coded>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.referral_id, c.code_hash, c.expires_at, r.organisation_id,
                o.name AS organisation_name, r.status, f.sharing_consent, o.without_accounts,
                o.active AS organisation_active
         FROM referral_code c
         JOIN referral r ON r.referral_id = c.referral_id
         JOIN family f ON f.family_id = r.family_id
         JOIN organisation o ON o.organisation_id = r.organisation_id
         WHERE c.reference = $1",
    )
    .bind(reference)
    .fetch_optional(conn)
    .await
}

/// The account the people of `organisation_id` act through with a code, made the first time
/// it is needed. Its password hash is no hash at all ("!"), so no password ever matches it.
pub async fn code_account(
    conn: &mut AnyConnection,
    organisation_id: &str,
    organisation_name: &str,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    sqlx::query(
        "INSERT INTO app_user (user_id, email, display_name, role, organisation_id, password_hash,
             active, language, code_access, created_at, updated_at)
         VALUES ($1, $2, $3, 'partner', $4, '!', 1, 'en', 1, $5, $5)
         ON CONFLICT DO NOTHING",
    )
    .bind(new_id())
    // Not an address anyone can receive mail at, nor type into the sign-in form usefully.
    .bind(format!("code-access+{organisation_id}@homeward.invalid"))
    .bind(organisation_name)
    .bind(organisation_id)
    .bind(timestamp(now))
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar(
        "SELECT user_id FROM app_user WHERE organisation_id = $1 AND code_access = 1",
    )
    .bind(organisation_id)
    .fetch_one(conn)
    .await
}

/// Opens a session of the code account that reaches `referral_id` alone.
pub async fn open_session(
    conn: &mut AnyConnection,
    session_id: &str,
    user_id: &str,
    referral_id: &str,
    now: DateTime<Utc>,
    client_addr: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO user_session (session_id, user_id, created_at, last_seen_at, client_addr, referral_id)
         VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(session_id)
    .bind(user_id)
    .bind(timestamp(now))
    .bind(client_addr)
    .bind(referral_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every session opened with a code of `referral_id` (a new code was issued).
pub async fn end_sessions(conn: &mut AnyConnection, referral_id: &str) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM user_session WHERE referral_id = $1")
        .bind(referral_id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected())
}
