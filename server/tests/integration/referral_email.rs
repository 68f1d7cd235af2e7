//! The email referrals queue: delivered through an SMTP outage and a restart exactly once,
//! and one reminder for a referral nobody answered.

use crate::common::*;
use crate::on_both_databases;
use crate::referrals::{assessed_family, directory, item, outbox, send};

/// A TCP port nothing listens on yet, for a listener started later. Taken below Linux's
/// ephemeral range (which port 0 draws from, as every test server does) and never twice in
/// this process, so no other test can take it in between.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let base = 20_000 + (std::process::id() % 5_000) as u16;
    loop {
        let port = base + NEXT.fetch_add(1, Ordering::Relaxed);
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

pub fn smtp_transport(port: u16) -> app::backend::outbox::Transport {
    let mut config = app::backend::config::Config::new("sqlite::memory:", std::env::temp_dir());
    config.smtp = Some(app::backend::config::Smtp {
        host: "127.0.0.1".into(),
        port,
        username: None,
        password: None,
        tls: app::backend::config::SmtpTls::None,
    });
    app::backend::outbox::Transport::from_config(&config).unwrap()
}

/// A real SMTP listener (Debian's python3-aiosmtpd) printing what it receives.
pub struct SmtpListener {
    child: tokio::process::Child,
}

impl SmtpListener {
    pub async fn start(port: u16) -> SmtpListener {
        let child = tokio::process::Command::new("/usr/bin/python3")
            .args([
                "-u",
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("python3-aiosmtpd is installed (scripts/setup.sh --test)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return SmtpListener { child };
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the SMTP listener did not start");
    }

    /// Stops the listener and answers everything it printed.
    pub async fn stop(mut self) -> String {
        use tokio::io::AsyncReadExt;
        let _ = self.child.start_kill();
        let mut out = String::new();
        if let Some(mut stdout) = self.child.stdout.take() {
            let _ = stdout.read_to_string(&mut out).await;
        }
        out
    }
}

async fn email_survives_an_smtp_outage_and_a_restart_and_goes_out_once(app: TestApp) {
    use server::workers::mail_round;
    app.people().await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    send(&app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    send(
        &app,
        &family,
        item(&plan, "income_sources"),
        "livelihood",
        "ngo-b",
    )
    .await;

    // The SMTP server is down: nothing is lost, the emails wait with a growing delay.
    let port = free_port();
    let down = smtp_transport(port);
    assert_eq!(mail_round(&app.state, &down).await.unwrap(), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL AND attempts = 1 AND last_error IS NOT NULL").await, 2);
    assert_eq!(
        mail_round(&app.state, &down).await.unwrap(),
        0,
        "not retried before the delay"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_outbox WHERE attempts = 1")
            .await,
        2
    );

    // It comes back; the server restarted meanwhile (a new transport, the same database).
    let listener = SmtpListener::start(port).await;
    app.advance(chrono::Duration::minutes(2));
    let up = smtp_transport(port);
    // Two workers at once still send each email once.
    let (a, b) = tokio::join!(mail_round(&app.state, &up), mail_round(&app.state, &up));
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    assert_eq!(
        mail_round(&app.state, &up).await.unwrap(),
        0,
        "nothing is sent twice"
    );
    let received = listener.stop().await;
    // Each email arrived once, under the Message-ID made from its outbox row (a retry after a
    // crash would carry the same one).
    let ids: Vec<String> = sqlx::query_scalar("SELECT email_id FROM email_outbox")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    for id in ids {
        assert_eq!(
            received
                .matches(&format!("Message-ID: <{id}@homeward>"))
                .count(),
            1,
            "{received}"
        );
    }
    for to in ["To: referrals@ngo-a.example", "To: referrals@ngo-b.example"] {
        assert_eq!(received.matches(to).count(), 1, "{received}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NOT NULL")
            .await,
        2
    );
}

async fn an_unanswered_referral_is_reminded_once(app: TestApp) {
    use server::workers::mail_round;
    app.people().await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    send(&app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    let dir = std::env::temp_dir().join(format!("homeward-eml-{}", app.addr.port()));
    let files = app::backend::outbox::Transport::Files(dir.clone());
    assert_eq!(mail_round(&app.state, &files).await.unwrap(), 1);
    app.advance(chrono::Duration::days(4));
    assert_eq!(
        mail_round(&app.state, &files).await.unwrap(),
        0,
        "not overdue yet"
    );
    app.advance(chrono::Duration::days(2));
    assert_eq!(
        mail_round(&app.state, &files).await.unwrap(),
        1,
        "the reminder"
    );
    let partner = app.signed_in(PARTNER).await;
    let (_, inbox) = partner.call("list_incoming", &[("tab", "overdue")]).await;
    assert_eq!(inbox["rows"].as_array().unwrap().len(), 1);
    app.advance(chrono::Duration::days(1));
    assert_eq!(mail_round(&app.state, &files).await.unwrap(), 0, "once");
    let kinds: Vec<String> = outbox(&app).await.into_iter().map(|m| m.0).collect();
    assert_eq!(kinds, vec!["referral_new", "referral_overdue"]);
    let emls: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(emls.len(), 2, "one .eml file per email");
    let _ = std::fs::remove_dir_all(dir);
}

on_both_databases!(
    email_survives_an_smtp_outage_and_a_restart_and_goes_out_once,
    an_unanswered_referral_is_reminded_once,
);
