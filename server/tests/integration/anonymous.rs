//! Nothing is stored for a caller who has not signed in, every form endpoint takes a body no
//! bigger than its form can be, and nothing signed in is cached.

use crate::common::*;
use crate::families::{register_ahmadi, registration, AHMADI};
use crate::on_both_databases;
use reqwest::StatusCode;

/// Rows anything could have written.
async fn stored(app: &TestApp) -> i64 {
    app.count(
        "SELECT (SELECT COUNT(*) FROM form_flash) + (SELECT COUNT(*) FROM case_note)
              + (SELECT COUNT(*) FROM family) + (SELECT COUNT(*) FROM audit_event)",
    )
    .await
}

async fn plain_form_posts_without_a_session_store_nothing(app: TestApp) {
    app.people().await;
    let family = register_ahmadi(&app).await;
    let before = stored(&app).await;
    let anonymous = app.client();
    let big = "x".repeat(20_000);
    let res = anonymous
        .post_form(
            "add_note",
            &format!("/cases/{family}"),
            &[("family_id", &family), ("body", &big)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        res.headers()["location"],
        format!("/sign-in?next=/cases/{family}"),
        "sent to sign in, and back afterwards"
    );
    let mut form = registration("AF-KAB", &AHMADI);
    form.push(("intent".into(), "add_member".into()));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = anonymous
        .post_form("register_family", "/cases/new", &form)
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(res.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/sign-in"));
    assert!(res.headers().get("set-cookie").is_none(), "no flash cookie");
    // And called as a program: 401, nothing stored either.
    let (status, _) = anonymous
        .call("add_note", &[("family_id", &family), ("body", "hello")])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(stored(&app).await, before, "nothing at all was written");
}

async fn bodies_bigger_than_their_form_can_be_are_refused(app: TestApp) {
    app.people().await;
    let family = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    // A little over each endpoint's limit: the answer comes before the body is read, and
    // bodies this size are still sent whole, so the client reads the answer.
    for (endpoint, size) in [
        ("add_note", 40 * 1024),
        ("sign_in", 40 * 1024),
        ("list_cases", 40 * 1024),
        ("register_family", 520 * 1024),
    ] {
        let big = "x".repeat(size);
        let res = c
            .post(endpoint)
            .header("accept", "application/json")
            .form(&[("family_id", family.as_str()), ("body", &big)])
            .send()
            .await;
        match res {
            Ok(res) => assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "{endpoint}"),
            // The server may close the connection while the rest is still being written.
            Err(e) => assert!(e.is_request() || e.is_body(), "{endpoint}: {e}"),
        }
    }
    // Without a declared length the body is counted as it arrives.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..64)
        .map(|_| Ok(format!("body={}", "y".repeat(16 * 1024)).into_bytes()))
        .collect();
    let res = c
        .post("add_note")
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await;
    // The server answers as soon as the limit is passed, and may close the connection before
    // the rest of the body is sent.
    if let Ok(res) = res {
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM case_note").await, 0);
    // A whole note in Arabic script, at its 4,000-letter limit, still fits. (A new client: the
    // server closed the connections whose bodies it refused.)
    let note = "ب".repeat(4000);
    let (status, body) = app
        .signed_in(CASEWORKER)
        .await
        .call("add_note", &[("family_id", &family), ("body", &note)])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn nothing_signed_in_is_cached(app: TestApp) {
    app.people().await;
    let family = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let (_, _, headers) = c.page(&format!("/cases/{family}")).await;
    assert_eq!(headers["cache-control"], "no-store");
    let res = c
        .post("get_case")
        .header("accept", "application/json")
        .form(&[("family_id", family.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let res = c
        .http
        .get(format!(
            "{}/overview/export.csv?table=registrations",
            c.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
}

on_both_databases!(
    plain_form_posts_without_a_session_store_nothing,
    bodies_bigger_than_their_form_can_be_are_refused,
    nothing_signed_in_is_cached,
);
