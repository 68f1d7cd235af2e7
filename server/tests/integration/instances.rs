//! Several instances of the server on one database: nothing one of them needs is in another's
//! memory. Sessions, sign-in throttles, the outbox and the daily digests are shared through the
//! database; an instance killed while sending leaves its email to the others after the lease.

use crate::common::*;
use crate::on_both_backends;
use crate::referral_email::{free_port, smtp_transport, SmtpListener};
use app::backend::db::Backend;
use app::backend::store::outbox::{enqueue, Email};
use reqwest::StatusCode;
use server::workers::mail_round;
use std::process::{Command, Stdio};

/// A client of instance `to` holding the cookies `c` got from another (cookies are per host,
/// not per port, as behind one proxy).
fn moved(c: &Client, to: &TestApp) -> Client {
    Client {
        http: c.http.clone(),
        base: to.base.clone(),
        forwarded_for: c.forwarded_for.clone(),
    }
}

async fn queue(app: &TestApp, n: usize) {
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    for i in 0..n {
        let email = Email {
            kind: "test",
            to: "someone@partner.example",
            subject: &format!("Email {i}"),
            body: "Hello",
        };
        enqueue(&mut conn, &email, app.now()).await.unwrap();
    }
}

async fn ids(app: &TestApp, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

async fn two_instances_share_sessions_throttles_and_mail(backend: Backend) {
    let configure = |c: &mut app::backend::config::Config| c.max_failed_sign_ins = 2;
    let a = TestApp::spawn_with(backend, configure).await;
    let b = a.another_instance(configure).await;
    a.people().await;

    // A session opened on one instance works on the other, and ends on both.
    let on_a = a.signed_in(SUPERVISOR).await;
    let on_b = moved(&on_a, &b);
    assert_eq!(on_b.page("/cases").await.0, StatusCode::OK);
    assert_eq!(on_b.call("sign_out", &[]).await.0, StatusCode::OK);
    let (status, _, headers) = on_a.page("/cases").await;
    assert!(status.is_redirection(), "{status}");
    assert!(headers["location"]
        .to_str()
        .unwrap()
        .starts_with("/sign-in"));

    // Failed sign-ins are counted across instances: two wrong ones, one on each, lock the
    // third out, wherever it goes.
    let wrong = [("email", MANAGER), ("password", "not the password")];
    let anonymous = a.client();
    assert_eq!(
        anonymous.call("sign_in", &wrong).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        moved(&anonymous, &b).call("sign_in", &wrong).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        anonymous.call("sign_in", &wrong).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        moved(&anonymous, &b).call("sign_in", &wrong).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Both instances' mail workers at once: each email goes out once, and the caseworker's
    // digest of the visit due today is queued once.
    crate::follow_ups::assessed(&a).await;
    queue(&a, 30).await;
    let port = free_port();
    let listener = SmtpListener::start(port).await;
    let smtp = smtp_transport(port);
    for _ in 0..3 {
        let (x, y) = tokio::join!(mail_round(&a.state, &smtp), mail_round(&b.state, &smtp));
        x.unwrap();
        y.unwrap();
    }
    let received = listener.stop().await;
    let digests = ids(
        &a,
        "SELECT email_id FROM email_outbox WHERE kind = 'follow_up_digest'",
    )
    .await;
    assert_eq!(digests.len(), 1, "one digest a day, whichever instance");
    let all = ids(&a, "SELECT email_id FROM email_outbox").await;
    assert_eq!(all.len(), 31);
    for id in &all {
        let copies = received
            .matches(&format!("Message-ID: <{id}@homeward>"))
            .count();
        assert_eq!(copies, 1, "email {id} arrived {copies} times");
    }
}

/// A relay that accepts connections and never answers: a delivery to it hangs.
fn silent_relay() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            held.push(conn);
        }
    });
    port
}

/// The real `homeward serve` sends an email to a relay that hangs and is killed (SIGKILL) in
/// the middle; another instance leaves the email alone while the dead one's lease lasts, then
/// delivers it, once.
async fn an_instance_killed_while_sending_leaves_its_email_to_another_after_the_lease(
    backend: Backend,
) {
    let b = TestApp::spawn(backend).await;
    queue(&b, 1).await;
    let id = ids(&b, "SELECT email_id FROM email_outbox").await.remove(0);
    let relay = silent_relay();
    let mut killed = Command::new(env!("CARGO_BIN_EXE_homeward"))
        .arg("serve")
        .env("DATABASE_URL", &b.database_url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("HOMEWARD_SMTP_HOST", "127.0.0.1")
        .env("HOMEWARD_SMTP_PORT", relay.to_string())
        .env("HOMEWARD_SMTP_TLS", "none")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .expect("run homeward serve");
    let claimed =
        format!("SELECT COUNT(*) FROM email_outbox WHERE email_id = '{id}' AND attempts = 1");
    let mut waited = 0;
    while b.count(&claimed).await == 0 {
        assert!(waited < 200, "the other instance never claimed the email");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    killed.kill().unwrap();
    killed.wait().unwrap();

    let port = free_port();
    let listener = SmtpListener::start(port).await;
    let smtp = smtp_transport(port);
    // The killed instance ran on the real clock; this one's starts earlier. Still inside the
    // dead instance's lease (ten minutes from its claim), nothing is sent.
    let claimed_at = chrono::Utc::now();
    b.advance(claimed_at - b.now() + chrono::Duration::minutes(9));
    mail_round(&b.state, &smtp).await.unwrap();
    b.advance(chrono::Duration::minutes(2));
    mail_round(&b.state, &smtp).await.unwrap();
    mail_round(&b.state, &smtp).await.unwrap();
    let received = listener.stop().await;
    assert_eq!(
        received
            .matches(&format!("Message-ID: <{id}@homeward>"))
            .count(),
        1,
        "{received}"
    );
    assert_eq!(
        b.count(&format!(
            "SELECT COUNT(*) FROM email_outbox WHERE email_id = '{id}' AND sent_at IS NOT NULL AND attempts = 2"
        ))
        .await,
        1
    );
}

on_both_backends!(
    two_instances_share_sessions_throttles_and_mail,
    an_instance_killed_while_sending_leaves_its_email_to_another_after_the_lease,
);
