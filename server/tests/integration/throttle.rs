//! Sign-in throttling: failures are counted before the password is checked, per account and
//! client address, with a higher ceiling for the account from anywhere; only a few hashes run
//! at once; changing one's password is held to the same rules; what was typed is not kept.

use crate::common::*;
use crate::{on_both_backends, on_both_databases};
use app::backend::db::Backend;
use reqwest::StatusCode;
use serde_json::json;

async fn sign_in(c: &Client, email: &str, password: &str) -> (StatusCode, serde_json::Value) {
    c.call("sign_in", &[("email", email), ("password", password)])
        .await
}

async fn a_stranger_cannot_lock_a_colleague_out_of_their_own_office(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.trust_forwarded_for = true).await;
    app.people().await;
    let stranger = app.client_from("203.0.113.66");
    for _ in 0..5 {
        let (status, _) = sign_in(&stranger, CASEWORKER, "a guess a guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        sign_in(&stranger, CASEWORKER, PASSWORD).await,
        (StatusCode::TOO_MANY_REQUESTS, json!("LockedOut")),
        "the stranger's address is locked out of the account"
    );
    let office = app.client_from("10.1.2.3");
    assert_eq!(
        sign_in(&office, CASEWORKER, PASSWORD).await.0,
        StatusCode::OK,
        "the colleague signs in from their own office"
    );
}

async fn guessing_from_many_addresses_locks_the_account_everywhere(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.trust_forwarded_for = true;
        c.max_failed_sign_ins_per_account = 12;
    })
    .await;
    app.people().await;
    for i in 0..12 {
        let c = app.client_from(&format!("198.51.100.{i}"));
        assert_eq!(
            sign_in(&c, CASEWORKER, "a guess a guess").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let fresh = app.client_from("10.9.9.9");
    assert_eq!(
        sign_in(&fresh, CASEWORKER, PASSWORD).await,
        (StatusCode::TOO_MANY_REQUESTS, json!("LockedOut")),
        "past the account-wide ceiling, every address waits"
    );
    app.advance(chrono::Duration::minutes(16));
    assert_eq!(
        sign_in(&fresh, CASEWORKER, PASSWORD).await.0,
        StatusCode::OK
    );
}

async fn parallel_guesses_are_counted_before_any_is_checked(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.max_concurrent_hashes = 32).await;
    app.people().await;
    let guesses = (0..15).map(|i| {
        let c = app.client();
        async move { sign_in(&c, CASEWORKER, &format!("parallel guess {i}")).await }
    });
    let answers = futures::future::join_all(guesses).await;
    let verified = app
        .count("SELECT COUNT(*) FROM audit_event WHERE action = 'sign_in_failed'")
        .await;
    assert!(
        verified <= 5,
        "{verified} of 15 parallel guesses were checked"
    );
    let locked = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(locked as i64, 15 - verified, "{answers:?}");
    assert_eq!(
        sign_in(&app.client(), CASEWORKER, PASSWORD).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn sign_ins_beyond_the_hashing_capacity_are_answered_busy_at_once(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.max_concurrent_hashes = 1).await;
    app.people().await;
    let attempts = (0..20).map(|i| {
        let c = app.client();
        async move { sign_in(&c, &format!("nobody{i}@test.org"), "some password here").await }
    });
    let answers = futures::future::join_all(attempts).await;
    let busy = answers
        .iter()
        .filter(|a| **a == (StatusCode::TOO_MANY_REQUESTS, json!("Busy")))
        .count();
    assert!(busy > 0, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|(s, _)| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS),
        "{answers:?}"
    );
    // A busy answer counts nothing: the attempt was never made.
    let failures = app
        .count("SELECT COUNT(*) FROM audit_event WHERE action = 'sign_in_failed'")
        .await;
    assert_eq!(failures as usize, answers.len() - busy);
}

async fn changing_a_password_is_throttled_like_signing_in(app: TestApp) {
    app.people().await;
    let c = app.signed_in(PARTNER).await;
    let new = "a brand new long password";
    let change = |current: &'static str| {
        let c = &c;
        async move {
            c.call(
                "change_password",
                &[
                    ("current_password", current),
                    ("new_password", new),
                    ("confirm_password", new),
                ],
            )
            .await
        }
    };
    for _ in 0..5 {
        assert_eq!(
            change("not my password").await,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"Invalid": {"current_password": "WrongPassword"}})
            )
        );
    }
    assert_eq!(
        change(PASSWORD).await,
        (StatusCode::TOO_MANY_REQUESTS, json!("LockedOut")),
        "a stolen session cannot guess the current password without end"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'password_change_failed'")
            .await,
        5
    );
    app.advance(chrono::Duration::minutes(16));
    let c = app.signed_in(PARTNER).await;
    let (status, _) = c
        .call(
            "change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn what_was_typed_into_a_failed_sign_in_is_not_kept(app: TestApp) {
    app.people().await;
    let c = app.client();
    sign_in(&c, "ghost@test.org", "whatever it was").await;
    sign_in(&c, "MySecretPassw0rd", "whatever it was").await;
    let targets: Vec<String> = sqlx::query_scalar(
        "SELECT target_id FROM audit_event WHERE action = 'sign_in_failed' ORDER BY audit_event_id",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(targets, vec!["g…@test.org", "m…"]);
    let keys: Vec<String> = sqlx::query_scalar("SELECT throttle_key FROM sign_in_throttle")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    assert!(!keys.is_empty());
    for k in keys {
        assert!(
            !k.contains("ghost") && !k.to_lowercase().contains("secret"),
            "{k}"
        );
    }
}

on_both_backends!(
    a_stranger_cannot_lock_a_colleague_out_of_their_own_office,
    guessing_from_many_addresses_locks_the_account_everywhere,
    parallel_guesses_are_counted_before_any_is_checked,
    sign_ins_beyond_the_hashing_capacity_are_answered_busy_at_once,
);

on_both_databases!(
    changing_a_password_is_throttled_like_signing_in,
    what_was_typed_into_a_failed_sign_in_is_not_kept,
);
