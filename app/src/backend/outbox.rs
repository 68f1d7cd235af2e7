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

use super::config::{Config, SmtpTls};
use super::db::Db;
use chrono::{DateTime, Duration, Utc};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

use super::store::outbox::{self as store, Due};

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

/// Delivers every email that is due. Answers how many were delivered.
pub async fn deliver_due(
    db: &Db,
    transport: &Transport,
    from: &str,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let mut delivered = 0;
    for id in store::due(db, now, BATCH).await? {
        let lease = now + Duration::minutes(LEASE_MINUTES);
        let Some(due) = store::claim(db, &id, now, lease).await? else {
            continue;
        };
        match send(transport, from, &due).await {
            Ok(()) => {
                store::mark_sent(db, &due.email_id, now).await?;
                delivered += 1;
            }
            Err(error) => {
                tracing::warn!(email = %due.email_id, attempts = due.attempts, %error, "email not delivered; will retry");
                store::mark_failed(db, &due.email_id, now + backoff(due.attempts), &error).await?;
            }
        }
    }
    Ok(delivered)
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
