//! What operators rely on: `/metrics` behind its token, JSON logs with a request id and no
//! personal data, and a stop that answers the requests in flight.

use crate::common::*;
use crate::on_both_backends;
use crate::on_both_databases;
use app::backend::db::Backend;
use reqwest::StatusCode;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

const TOKEN: &str = "scrape-token-for-tests-0123456789";

async fn scrape(app: &TestApp, token: Option<&str>) -> (StatusCode, String) {
    let mut req = reqwest::Client::new().get(format!("{}/metrics", app.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// The value of the sample `line_start` (a name with its labels), 0 when absent.
fn sample(text: &str, line_start: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(line_start)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

async fn metrics_count_requests_sign_in_refusals_and_the_outbox_for_whoever_has_the_token(
    backend: Backend,
) {
    let app = TestApp::spawn_with(backend, |c| {
        c.metrics_token = Some(TOKEN.into());
        c.max_failed_sign_ins = 2;
    })
    .await;
    app.people().await;
    assert_eq!(scrape(&app, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        scrape(&app, Some("wrong")).await.0,
        StatusCode::UNAUTHORIZED
    );

    let anonymous = app.client();
    let wrong = [("email", CASEWORKER), ("password", "not the password")];
    for _ in 0..3 {
        anonymous.call("sign_in", &wrong).await;
    }
    let c = app.signed_in(SUPERVISOR).await;
    for _ in 0..2 {
        assert_eq!(c.page("/cases").await.0, StatusCode::OK);
    }
    assert_eq!(c.page("/no/such/page").await.0, StatusCode::NOT_FOUND);
    // An email waiting: queued by the supervisor's own action would do as well; the row is
    // what the gauge reads.
    sqlx::query(
        "INSERT INTO email_outbox (email_id, kind, to_address, subject, body, created_at,
             next_attempt_at, attempts)
         VALUES ('e1', 'test', 'a@b.example', 's', 'b', '2026-11-02T07:00:00.000000Z',
             '2026-11-02T07:00:00.000000Z', 0)",
    )
    .execute(&app.state.db.pool)
    .await
    .unwrap();

    let (status, text) = scrape(&app, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    // The text format: comments, or a name, optional labels and a number.
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (series, value) = line.rsplit_once(' ').unwrap();
        assert!(value.parse::<f64>().is_ok(), "{line}");
        let name = series.split('{').next().unwrap();
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{line}"
        );
    }
    let requests = |route: &str, method: &str, status: u16| {
        sample(
            &text,
            &format!(
                "homeward_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}}"
            ),
        )
    };
    assert_eq!(requests("/cases", "GET", 200), 2.0, "{text}");
    assert_eq!(requests("/api/sign_in", "POST", 401), 2.0, "{text}");
    assert_eq!(requests("/api/sign_in", "POST", 429), 1.0, "{text}");
    assert_eq!(requests("(unmatched)", "GET", 404), 1.0, "{text}");
    assert_eq!(
        sample(
            &text,
            "homeward_http_request_duration_seconds_count{route=\"/cases\"}"
        ),
        2.0
    );
    assert_eq!(
        sample(&text, "homeward_sign_in_refusals_total{outcome=\"failed\"}"),
        2.0
    );
    assert_eq!(
        sample(&text, "homeward_sign_in_refusals_total{outcome=\"locked\"}"),
        1.0
    );
    assert_eq!(sample(&text, "homeward_outbox_backlog"), 1.0);
    assert_eq!(
        sample(&text, "homeward_outbox_oldest_age_seconds"),
        3600.0,
        "queued at 07:00, scraped at 08:00"
    );
    assert!(sample(&text, "homeward_db_pool_max_connections") >= 1.0);
    assert!(text.contains("homeward_db_pool_connections "));
    // No personal data, no path with an id: only route templates.
    assert!(!text.contains(CASEWORKER) && !text.contains("/no/such"));
}

async fn without_a_token_there_are_no_metrics(app: TestApp) {
    assert_eq!(scrape(&app, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(scrape(&app, Some("")).await.0, StatusCode::NOT_FOUND);
}

/// The `homeward serve` binary on `url`, logging JSON; answers the child and its address.
fn serve(url: &str) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_homeward"))
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("HOMEWARD_LOG_FORMAT", "json")
        .env("RUST_LOG", "info,sqlx=error")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run homeward serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = lines
        .find_map(|l| {
            l.ok()?
                .strip_prefix("Homeward is listening on http://")
                .map(str::to_string)
        })
        .expect("the server says where it listens");
    (child, addr)
}

/// SIGTERM arrives while a sign-in is still being sent (half its body is in): the server
/// stops taking connections, answers that request in full, and exits cleanly. Its log is
/// JSON, one line per request with the id the answer carries, and holds no email address,
/// password or path.
async fn a_stop_answers_the_request_in_flight_and_the_log_is_json_without_personal_data(
    app: TestApp,
) {
    app.people().await;
    let url = app.database_url.clone();
    tokio::task::spawn_blocking(move || {
        let (mut child, addr) = serve(&url);
        let body = format!(
            "email={}&password={}",
            "cw.af%40test.org", "correct+horse+battery+staple"
        );
        let (first, rest) = body.split_at(10);
        let mut conn = TcpStream::connect(&addr).unwrap();
        write!(
            conn,
            "POST /api/sign_in HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{first}",
            body.len()
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(300));
        // SAFETY: kill sends a signal to the child this test started.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            TcpStream::connect(&addr).is_err(),
            "a stopping server takes no new connections"
        );
        conn.write_all(rest.as_bytes()).unwrap();
        let mut answer = String::new();
        conn.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let id = answer
            .lines()
            .find_map(|l| l.strip_prefix("x-request-id: "))
            .expect("the answer names its request id")
            .trim()
            .to_string();

        let status = child.wait().unwrap();
        assert!(status.success(), "exit status {status}");
        let mut log = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut log)
            .unwrap();
        let lines: Vec<serde_json::Value> = log
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l:?} in {log}")))
            .collect();
        let answered = lines
            .iter()
            .find(|l| l["span"]["id"] == id.as_str())
            .unwrap_or_else(|| panic!("no line of request {id} in {log}"));
        assert_eq!(answered["fields"]["route"], "/api/sign_in", "{answered}");
        assert_eq!(answered["fields"]["status"], 200, "{answered}");
        assert!(!log.contains("cw.af") && !log.contains("horse"), "{log}");
    })
    .await
    .unwrap();
}

on_both_backends!(metrics_count_requests_sign_in_refusals_and_the_outbox_for_whoever_has_the_token);
on_both_databases!(
    without_a_token_there_are_no_metrics,
    a_stop_answers_the_request_in_flight_and_the_log_is_json_without_personal_data,
);
