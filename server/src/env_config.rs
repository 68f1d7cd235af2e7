//! Configuration from environment variables (all documented in the README).

use app::backend::config::{Config, Smtp, SmtpTls};
use std::env;
use std::net::SocketAddr;

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Settings {
    pub config: Config,
    pub site_addr: SocketAddr,
    /// Where cargo-leptos put the compiled site (`pkg/` with the wasm, js and css).
    pub site_root: String,
}

fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn flag(name: &str) -> Option<bool> {
    var(name).map(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "on"
        )
    })
}

/// The SMTP relay, if `HOMEWARD_SMTP_HOST` is set.
fn smtp() -> Result<Option<Smtp>, String> {
    let Some(host) = var("HOMEWARD_SMTP_HOST") else {
        return Ok(None);
    };
    let tls = match var("HOMEWARD_SMTP_TLS").as_deref().unwrap_or("starttls") {
        "none" => SmtpTls::None,
        "starttls" => SmtpTls::StartTls,
        "tls" => SmtpTls::Tls,
        other => {
            return Err(format!(
                "HOMEWARD_SMTP_TLS: {other} (none, starttls or tls)"
            ))
        }
    };
    let default_port = match tls {
        SmtpTls::None => 25,
        SmtpTls::StartTls => 587,
        SmtpTls::Tls => 465,
    };
    let port = match var("HOMEWARD_SMTP_PORT") {
        Some(p) => p.parse().map_err(|e| format!("HOMEWARD_SMTP_PORT: {e}"))?,
        None => default_port,
    };
    Ok(Some(Smtp {
        host,
        port,
        username: var("HOMEWARD_SMTP_USERNAME"),
        password: var("HOMEWARD_SMTP_PASSWORD"),
        tls,
    }))
}

impl Settings {
    pub fn from_env() -> Result<Settings, String> {
        let data_dir = var("HOMEWARD_DATA_DIR").unwrap_or_else(|| "data".into());
        let database_url =
            var("DATABASE_URL").unwrap_or_else(|| format!("sqlite://{data_dir}/homeward.db"));
        let site_addr: SocketAddr = var("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| format!("LEPTOS_SITE_ADDR: {e}"))?;
        let site_root = var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into());
        let mut config = Config::new(database_url, data_dir);
        config.public_url =
            var("HOMEWARD_PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}"));
        config.secure_cookies =
            flag("HOMEWARD_SECURE_COOKIES").unwrap_or(config.public_url.starts_with("https://"));
        config.trust_forwarded_for = flag("HOMEWARD_TRUST_FORWARDED_FOR").unwrap_or(false);
        config.smtp = smtp()?;
        if let Some(months) = var("HOMEWARD_FOLLOW_UP_MONTHS") {
            config.follow_up_months = shared::follow_up::parse_template(&months)
                .ok_or("HOMEWARD_FOLLOW_UP_MONTHS: months after return, e.g. 1,3,6,12")?;
        }
        if let Some(days) = var("HOMEWARD_LOST_AFTER_DAYS") {
            config.lost_after_days = days
                .parse()
                .map_err(|e| format!("HOMEWARD_LOST_AFTER_DAYS: {e}"))?;
        }
        if let Some(secs) = var("HOMEWARD_OVERVIEW_REFRESH_SECS") {
            let secs: u64 = secs
                .parse()
                .map_err(|e| format!("HOMEWARD_OVERVIEW_REFRESH_SECS: {e}"))?;
            config.overview_refresh = (secs > 0).then(|| std::time::Duration::from_secs(secs));
        }
        if let Some(secret) = var("HOMEWARD_OVERVIEW_SECRET") {
            let mut h = shared::overview::perturb::Fnv::default();
            h.text(&secret);
            config.overview_secret = h.finish();
        }
        if let Some(days) = var("HOMEWARD_PARTNER_RETENTION_DAYS") {
            let days: u64 = days
                .parse()
                .map_err(|e| format!("HOMEWARD_PARTNER_RETENTION_DAYS: {e}"))?;
            config.partner_retention = std::time::Duration::from_secs(days * 24 * 60 * 60);
        }
        if let Some(days) = var("HOMEWARD_REFERRAL_CODE_DAYS") {
            config.referral_code_days = days
                .parse()
                .ok()
                .filter(|d| *d > 0)
                .ok_or("HOMEWARD_REFERRAL_CODE_DAYS: a number of days, at least 1")?;
        }
        if let Some(n) = var("HOMEWARD_MAX_FAILED_SIGN_INS_PER_ACCOUNT") {
            config.max_failed_sign_ins_per_account = n
                .parse()
                .map_err(|e| format!("HOMEWARD_MAX_FAILED_SIGN_INS_PER_ACCOUNT: {e}"))?;
        }
        if let Some(n) = var("HOMEWARD_MAX_CONCURRENT_HASHES") {
            config.max_concurrent_hashes = n
                .parse()
                .map_err(|e| format!("HOMEWARD_MAX_CONCURRENT_HASHES: {e}"))?;
        }
        config.metrics_token = var("HOMEWARD_METRICS_TOKEN");
        if let Some(days) = var("HOMEWARD_ANONYMISE_AFTER_DAYS") {
            config.anonymise_closed_after_days =
                days_or_never("HOMEWARD_ANONYMISE_AFTER_DAYS", &days)?;
        }
        if let Some(days) = var("HOMEWARD_AUDIT_RETENTION_DAYS") {
            config.audit_retention_days = days_or_never("HOMEWARD_AUDIT_RETENTION_DAYS", &days)?;
        }
        if let Some(from) = var("HOMEWARD_MAIL_FROM") {
            config.mail_from = from;
        }
        Ok(Settings {
            config,
            site_addr,
            site_root,
        })
    }
}

/// A number of days, or `never`.
fn days_or_never(name: &str, value: &str) -> Result<Option<u32>, String> {
    match value.trim() {
        "never" => Ok(None),
        days => days
            .parse()
            .map(Some)
            .map_err(|e| format!("{name}: a number of days or never ({e})")),
    }
}
