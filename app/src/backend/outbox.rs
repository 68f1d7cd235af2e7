//! The email outbox. An email is a row written in the same transaction as the change that
//! causes it, so it exists exactly when the change does. A background worker delivers due
//! rows over SMTP (or, with no SMTP configured, as `.eml` files under the data folder) and
//! retries failures with a growing delay, for as long as it takes: an SMTP outage delays
//! email, it never loses it.
//!
//! Delivery claims a row by pushing its next attempt a lease ahead (committed before sending),
//! so two workers never send the same row at once. A crash between sending and marking it
//! sent leaves the row to be tried again when the lease ends; the retry carries the same
//! `Message-ID` (and, for files, the same file name), which mail systems use to drop the
//! duplicate.
//!
//! Email bodies hold case numbers and links, never personal data; logs hold neither
//! addresses nor bodies.

use super::clock::timestamp;
use super::config::{Config, SmtpTls};
use super::db::{new_id, Db};
use chrono::{DateTime, Duration, Utc};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::{AnyConnection, Row};
use std::path::PathBuf;

/// An email to queue.
pub struct Email<'a> {
    /// What it is about (`referral_new`, …): for counting and tests, not shown.
    pub kind: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Queues an email in the caller's transaction.
pub async fn enqueue(
    conn: &mut AnyConnection,
    email: &Email<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO email_outbox (email_id, kind, to_address, subject, body, created_at,
             next_attempt_at, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $6, 0)",
    )
    .bind(new_id())
    .bind(email.kind)
    .bind(email.to)
    .bind(email.subject)
    .bind(email.body)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// How long a claimed delivery may take before another attempt may start.
const LEASE_MINUTES: i64 = 10;
/// Rows looked at per round.
const BATCH: i64 = 50;

/// The wait after the `attempts`-th failure: 1, 2, 4, … minutes, at most six hours.
pub fn backoff(attempts: i64) -> Duration {
    let minutes = 1i64 << attempts.clamp(1, 20).saturating_sub(1);
    Duration::minutes(minutes.min(6 * 60))
}

/// Where email goes.
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in this folder (the quick start, with no SMTP server).
    Files(PathBuf),
}

impl Transport {
    pub fn from_config(config: &Config) -> Result<Transport, String> {
        let Some(smtp) = &config.smtp else {
            return Ok(Transport::Files(config.data_dir.join("outbox")));
        };
        let builder = match smtp.tls {
            SmtpTls::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.as_str())
            }
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                .map_err(|e| format!("SMTP relay {}: {e}", smtp.host))?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
                .map_err(|e| format!("SMTP relay {}: {e}", smtp.host))?,
        };
        let mut builder = builder
            .port(smtp.port)
            .timeout(Some(std::time::Duration::from_secs(30)));
        if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Transport::Smtp(builder.build()))
    }
}

struct Due {
    email_id: String,
    to: String,
    subject: String,
    body: String,
    attempts: i64,
}

/// Delivers every email that is due. Answers how many were delivered.
pub async fn deliver_due(
    db: &Db,
    transport: &Transport,
    from: &str,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT email_id FROM email_outbox WHERE sent_at IS NULL AND next_attempt_at <= $1
         ORDER BY next_attempt_at LIMIT $2",
    )
    .bind(timestamp(now))
    .bind(BATCH)
    .fetch_all(&db.pool)
    .await?;
    let mut delivered = 0;
    for id in ids {
        let Some(due) = claim(db, &id, now).await? else {
            continue;
        };
        let result = send(transport, from, &due).await;
        match result {
            Ok(()) => {
                sqlx::query(
                    "UPDATE email_outbox SET sent_at = $1, last_error = NULL WHERE email_id = $2",
                )
                .bind(timestamp(now))
                .bind(&due.email_id)
                .execute(&db.pool)
                .await?;
                delivered += 1;
            }
            Err(error) => {
                tracing::warn!(email = %due.email_id, attempts = due.attempts, %error, "email not delivered; will retry");
                sqlx::query(
                    "UPDATE email_outbox SET next_attempt_at = $1, last_error = $2 WHERE email_id = $3",
                )
                .bind(timestamp(now + backoff(due.attempts)))
                .bind(error)
                .bind(&due.email_id)
                .execute(&db.pool)
                .await?;
            }
        }
    }
    Ok(delivered)
}

/// Takes a due row for this worker (or `None` if another took it first).
async fn claim(db: &Db, id: &str, now: DateTime<Utc>) -> Result<Option<Due>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let claimed = sqlx::query(
        "UPDATE email_outbox SET next_attempt_at = $1, attempts = attempts + 1
         WHERE email_id = $2 AND sent_at IS NULL AND next_attempt_at <= $3",
    )
    .bind(timestamp(now + Duration::minutes(LEASE_MINUTES)))
    .bind(id)
    .bind(timestamp(now))
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        return Ok(None);
    }
    let r = sqlx::query(
        "SELECT email_id, to_address, subject, body, attempts FROM email_outbox WHERE email_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(Due {
        email_id: r.try_get("email_id")?,
        to: r.try_get("to_address")?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        attempts: r.try_get("attempts")?,
    }))
}

/// Sends one email. The error is a short description without addresses or content.
async fn send(transport: &Transport, from: &str, due: &Due) -> Result<(), String> {
    let from: Mailbox = from
        .parse()
        .map_err(|_| "invalid sender address".to_string())?;
    let to: Mailbox = due
        .to
        .parse()
        .map_err(|_| "invalid recipient address".to_string())?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(due.subject.as_str())
        .message_id(Some(format!("<{}@homeward>", due.email_id)))
        .header(ContentType::TEXT_PLAIN)
        .body(due.body.clone())
        .map_err(|_| "email could not be built".to_string())?;
    match transport {
        Transport::Smtp(smtp) => smtp
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| smtp_error(&e)),
        Transport::Files(dir) => {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| format!("outbox folder: {}", e.kind()))?;
            // Named by the email's id: a retry after a crash rewrites the same file.
            let path = dir.join(format!("{}.eml", due.email_id));
            tokio::fs::write(&path, message.formatted())
                .await
                .map_err(|e| format!("writing the .eml file: {}", e.kind()))
        }
    }
}

/// What went wrong, without the server's reply text (which may quote addresses).
fn smtp_error(e: &lettre::transport::smtp::Error) -> String {
    let kind = if e.is_transient() {
        "temporary SMTP error"
    } else if e.is_permanent() {
        "permanent SMTP error"
    } else if e.is_timeout() {
        "SMTP timeout"
    } else {
        "SMTP connection failed"
    };
    match e.status() {
        Some(code) => format!("{kind} ({code})"),
        None => kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        let waits: Vec<i64> = (1..=12).map(|a| backoff(a).num_minutes()).collect();
        assert_eq!(&waits[..5], &[1, 2, 4, 8, 16]);
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(backoff(100).num_minutes(), 360);
        assert_eq!(backoff(0).num_minutes(), 1);
    }
}
