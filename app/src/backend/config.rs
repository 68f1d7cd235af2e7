//! Runtime configuration, read by the `homeward` binary from the environment (see README).

use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Where SQLite databases, `.eml` files and backups are written.
    pub data_dir: PathBuf,
    /// The address people reach the site at, for links in emails (`https://homeward.example`).
    pub public_url: String,
    /// Mark cookies `Secure`. On when `public_url` is https; can be forced on.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    /// Sessions end after this long without a request.
    pub session_idle: Duration,
    /// Sessions end this long after sign-in, however active.
    pub session_absolute: Duration,
    /// Failed sign-ins allowed for an account from one client address before that address is
    /// locked out of it.
    pub max_failed_sign_ins: i64,
    /// Failed sign-ins allowed for an account from all addresses before it is locked for all.
    pub max_failed_sign_ins_per_account: i64,
    /// Password hashes one instance runs at once; more sign-ins at once are answered "busy".
    pub max_concurrent_hashes: usize,
    /// How long a partner keeps seeing the people of a referral after it was completed or
    /// its case closed (declined and cancelled referrals, and a withdrawn consent, end it at
    /// once).
    pub partner_retention: Duration,
    /// Days a referral's code works after it was issued (unless the referral ends first).
    pub referral_code_days: u32,
    /// How long an account stays locked after too many failures.
    pub lockout: Duration,
    /// Where email goes; `None` writes each email as an `.eml` file under `data_dir/outbox`.
    pub smtp: Option<Smtp>,
    /// The sender of every email.
    pub mail_from: String,
    /// How often the outbox worker looks for email to deliver; `None` runs no worker (tests
    /// drive deliveries themselves).
    pub outbox_interval: Option<Duration>,
    /// Months after the return date of the monitoring schedule proposed at the first
    /// assessment.
    pub follow_up_months: Vec<u32>,
    /// Days without contact after which a case is flagged lost to follow-up.
    pub lost_after_days: i64,
    /// How often the programme indicators are recomputed; `None` computes them for every
    /// request (tests, which look at figures right after changing data).
    pub overview_refresh: Option<Duration>,
    /// Mixed into the keys that round the programme indicators' counts
    /// (`shared::overview::perturb`), so that the roundings cannot be worked out from the
    /// source code and guessed counts. Keep it private, and the same from one start to the
    /// next: a new value gives new roundings of the same figures to compare. Zero by default.
    pub overview_secret: u64,
    /// The bearer token `/metrics` asks for; `None` leaves `/metrics` off.
    pub metrics_token: Option<String>,
    /// Days after closure before a closed case is anonymised; `None`: never.
    pub anonymise_closed_after_days: Option<u32>,
    /// Days an audit entry is kept; `None`: for ever.
    pub audit_retention_days: Option<u32>,
}

/// An SMTP relay.
#[derive(Clone, Debug)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    pub tls: SmtpTls,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text (a relay on the same host or network only).
    None,
    /// Upgrade with STARTTLS (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl Config {
    /// Defaults for a database URL: the values SPEC and the foundation issue name.
    pub fn new(database_url: impl Into<String>, data_dir: impl Into<PathBuf>) -> Self {
        Config {
            database_url: database_url.into(),
            data_dir: data_dir.into(),
            public_url: "http://127.0.0.1:3000".into(),
            secure_cookies: false,
            trust_forwarded_for: false,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 60 * 60),
            max_failed_sign_ins: 5,
            max_failed_sign_ins_per_account: 25,
            max_concurrent_hashes: super::password::MAX_CONCURRENT_HASHES,
            partner_retention: Duration::from_secs(30 * 24 * 60 * 60),
            referral_code_days: shared::referral_code::DEFAULT_VALID_DAYS,
            lockout: Duration::from_secs(15 * 60),
            smtp: None,
            mail_from: "Homeward <no-reply@homeward.invalid>".into(),
            outbox_interval: Some(Duration::from_secs(5)),
            follow_up_months: shared::follow_up::DEFAULT_TEMPLATE.to_vec(),
            lost_after_days: shared::follow_up::DEFAULT_LOST_AFTER_DAYS,
            overview_refresh: Some(Duration::from_secs(300)),
            overview_secret: 0,
            metrics_token: None,
            anonymise_closed_after_days: Some(shared::retention::DEFAULT_ANONYMISE_AFTER_DAYS),
            audit_retention_days: Some(shared::retention::DEFAULT_AUDIT_DAYS),
        }
    }
}
