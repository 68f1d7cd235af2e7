//! Codes for referrals to organisations without accounts: issuing one (the old one void, its
//! sessions ended), carrying it once to the printed slip, and the slip's QR code. Opening a
//! referral with a code is signing in (`sign_in::sign_in_with_code`).
//!
//! The code is shown once, on the slip printed right after it is issued, and stored only as
//! an argon2 hash. It travels from the request that issued it to the slip page in a cookie of
//! the caseworker's browser that lives ten minutes and is cleared as the slip is shown: it is
//! never written to the database in the clear, nor put in a URL.

use super::clock::timestamp;
use super::password;
use super::request::{self, cookie_header};
use super::state::AppState;
use super::store::referral_codes;
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use shared::referral_code::DIGITS;
use sqlx::AnyConnection;

const SLIP_COOKIE: &str = "hw_slip";
const SLIP_COOKIE_SECONDS: i64 = 600;

/// A code just issued: the slip's reference and the code in the clear (for the slip only).
pub struct Issued {
    pub reference: String,
    pub code: String,
    pub issued_at: String,
}

/// Random digits, from the operating system's generator (not derived from any id).
fn random_digits() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..DIGITS)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

/// Issues a new code for `referral_id` (and a reference, the first time), voiding the one
/// before and ending the sessions opened with it.
pub async fn issue(
    conn: &mut AnyConnection,
    state: &AppState,
    referral_id: &str,
    issued_by: &str,
    now: DateTime<Utc>,
) -> Result<Issued, AppError> {
    let mut reference = random_digits();
    while referral_codes::reference_taken(conn, &reference).await? {
        reference = random_digits();
    }
    let code = random_digits();
    let code_hash = password::hash(&state.hashing, code.clone()).await?;
    let days = Duration::days(i64::from(state.config.referral_code_days));
    let issue = referral_codes::Issue {
        referral_id,
        reference: &reference,
        code_hash: &code_hash,
        issued_by,
        expires_at: now + days,
    };
    let reference = referral_codes::issue(conn, &issue, now).await?;
    referral_codes::end_sessions(conn, referral_id).await?;
    Ok(Issued {
        reference,
        code,
        issued_at: timestamp(now),
    })
}

/// Hands the code to the slip page that the answer redirects to. It names the referral and
/// when the code was issued, so it is shown only with the code it belongs to (not if the
/// transaction that issued it failed, or a newer code was issued since).
pub fn carry_to_slip(state: &AppState, referral_id: &str, issued: &Issued) {
    let stamp: String = issued
        .issued_at
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let value = format!("{referral_id}.{stamp}.{}", issued.code);
    let max_age = Some(SLIP_COOKIE_SECONDS);
    request::set_cookie(&cookie_header(
        SLIP_COOKIE,
        &value,
        max_age,
        state.config.secure_cookies,
    ));
}

/// The code carried to the slip of `referral_id` issued at `issued_at`, if this request has
/// it; the cookie is cleared, so the code shows once.
pub fn take_for_slip(state: &AppState, referral_id: &str, issued_at: &str) -> Option<String> {
    let parts = request::parts()?;
    let value = request::cookie(&parts, SLIP_COOKIE)?;
    request::set_cookie(&cookie_header(
        SLIP_COOKIE,
        "",
        Some(0),
        state.config.secure_cookies,
    ));
    let mut parts = value.splitn(3, '.');
    let (id, stamp, code) = (parts.next()?, parts.next()?, parts.next()?);
    let issued: String = issued_at.chars().filter(char::is_ascii_digit).collect();
    (id == referral_id && stamp == issued).then(|| code.to_string())
}

/// The address the organisation opens the referral at (the slip's QR code and the email).
pub fn open_url(public_url: &str, reference: &str) -> String {
    format!("{}/r?ref={reference}", public_url.trim_end_matches('/'))
}

/// A QR code of `text`, as an SVG element (drawn on the server: the slip needs no script).
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|_| AppError::Internal)?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // Inline in HTML: the XML declaration before the element has no place there.
    let start = svg.find("<svg").ok_or(AppError::Internal)?;
    Ok(svg[start..].to_string())
}
