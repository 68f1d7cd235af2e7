//! Sign-in, lockout, session expiry and sign-out.

use crate::common::*;
use crate::on_both_databases;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;

async fn signing_in_opens_a_session_that_knows_the_user(app: TestApp) {
    app.people().await;
    let c = app.client();
    let (status, body) = c.call("current_user", &[]).await;
    assert_eq!((status, body), (StatusCode::OK, json!(null)));

    let (status, body) = c
        .call("sign_in", &[("email", CASEWORKER), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!("/cases"), "a caseworker lands on their cases");

    let (_, me) = c.call("current_user", &[]).await;
    assert_eq!(me["email"], CASEWORKER);
    assert_eq!(me["role"], "caseworker");
    assert_eq!(me["areas"], json!(["AF-KAB"]));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'sign_in'")
            .await,
        1
    );
}

async fn each_role_lands_on_its_own_home(app: TestApp) {
    app.people().await;
    for (email, home) in [
        (CASEWORKER, "/cases"),
        (SUPERVISOR, "/cases"),
        (PARTNER, "/referrals"),
        (MANAGER, "/overview"),
        (ADMIN, "/admin"),
    ] {
        let (_, body) = app
            .client()
            .call("sign_in", &[("email", email), ("password", PASSWORD)])
            .await;
        assert_eq!(body, json!(home), "{email}");
    }
}

async fn a_wrong_password_and_an_unknown_email_get_the_same_answer(app: TestApp) {
    app.people().await;
    let c = app.client();
    let wrong = c
        .call(
            "sign_in",
            &[("email", CASEWORKER), ("password", "not the password")],
        )
        .await;
    let unknown = c
        .call(
            "sign_in",
            &[("email", "nobody@test.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(wrong.0, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong, unknown);
    assert_eq!(wrong.1, json!("BadCredentials"));
    let (_, me) = c.call("current_user", &[]).await;
    assert_eq!(me, json!(null));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'sign_in_failed'")
            .await,
        2
    );
}

async fn the_sixth_attempt_is_locked_out_for_fifteen_minutes(app: TestApp) {
    app.people().await;
    let c = app.client();
    for _ in 0..5 {
        let (status, _) = c
            .call(
                "sign_in",
                &[("email", CASEWORKER), ("password", "guess guess guess")],
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused now.
    let (status, body) = c
        .call("sign_in", &[("email", CASEWORKER), ("password", PASSWORD)])
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::TOO_MANY_REQUESTS, json!("LockedOut"))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'sign_in_locked'")
            .await,
        1
    );

    app.advance(Duration::minutes(14));
    let (status, _) = c
        .call("sign_in", &[("email", CASEWORKER), ("password", PASSWORD)])
        .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "still locked after 14 minutes"
    );

    app.advance(Duration::minutes(2));
    let (status, _) = c
        .call("sign_in", &[("email", CASEWORKER), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::OK, "open again after 15 minutes");
}

async fn an_unknown_email_is_locked_out_just_like_a_real_one(app: TestApp) {
    let c = app.client();
    for _ in 0..5 {
        c.call(
            "sign_in",
            &[
                ("email", "ghost@test.org"),
                ("password", "guess guess guess"),
            ],
        )
        .await;
    }
    let (status, body) = c
        .call(
            "sign_in",
            &[("email", "ghost@test.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::TOO_MANY_REQUESTS, json!("LockedOut"))
    );
}

async fn failures_spread_over_more_than_the_window_do_not_lock(app: TestApp) {
    app.people().await;
    let c = app.client();
    for _ in 0..4 {
        c.call(
            "sign_in",
            &[("email", CASEWORKER), ("password", "guess guess guess")],
        )
        .await;
    }
    app.advance(Duration::minutes(20));
    c.call(
        "sign_in",
        &[("email", CASEWORKER), ("password", "guess guess guess")],
    )
    .await;
    let (status, _) = c
        .call("sign_in", &[("email", CASEWORKER), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn an_idle_session_ends_after_thirty_minutes(app: TestApp) {
    app.people().await;
    let c = app.signed_in(SUPERVISOR).await;
    app.advance(Duration::minutes(20));
    let (_, me) = c.call("current_user", &[]).await;
    assert_eq!(me["email"], SUPERVISOR, "20 minutes idle is fine");
    app.advance(Duration::minutes(20));
    let (_, me) = c.call("current_user", &[]).await;
    assert_eq!(
        me["email"], SUPERVISOR,
        "activity 20 minutes ago keeps it alive"
    );
    app.advance(Duration::minutes(31));
    let (_, me) = c.call("current_user", &[]).await;
    assert_eq!(me, json!(null), "31 minutes idle ends it");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM user_session").await,
        0,
        "and the row is gone"
    );
}

async fn a_busy_session_still_ends_after_twelve_hours(app: TestApp) {
    app.people().await;
    let c = app.signed_in(SUPERVISOR).await;
    for _ in 0..(12 * 4 - 1) {
        app.advance(Duration::minutes(15));
        let (_, me) = c.call("current_user", &[]).await;
        assert_eq!(me["email"], SUPERVISOR);
    }
    app.advance(Duration::minutes(15));
    let (_, me) = c.call("current_user", &[]).await;
    assert_eq!(me, json!(null));
}

async fn signing_out_deletes_the_session_so_the_old_cookie_is_worthless(app: TestApp) {
    app.people().await;
    let c = app.client();
    let res = c
        .http
        .post(format!("{}/api/sign_in", c.base))
        .form(&[("email", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("hw_session="))
        .expect("session cookie")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let token = cookie.split(';').next().unwrap().to_string();

    let (status, _) = c.call("sign_out", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM user_session").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'sign_out'")
            .await,
        1
    );

    // Replaying the old cookie gets nothing.
    let replay = reqwest::Client::new()
        .post(format!("{}/api/list_users", c.base))
        .header("cookie", token)
        .form(&[("filter[q]", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}

async fn a_deactivated_user_is_signed_out_and_cannot_sign_in(app: TestApp) {
    let people = app.people().await;
    let caseworker = app.signed_in(CASEWORKER).await;
    let admin = app.signed_in(ADMIN).await;
    let (status, _) = admin
        .call("deactivate_user", &[("user_id", &people.caseworker)])
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, me) = caseworker.call("current_user", &[]).await;
    assert_eq!(me, json!(null));
    let (status, _) = app
        .client()
        .call("sign_in", &[("email", CASEWORKER), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn changing_ones_password_needs_the_current_one_and_signs_out_other_sessions(app: TestApp) {
    app.people().await;
    let here = app.signed_in(PARTNER).await;
    let elsewhere = app.signed_in(PARTNER).await;
    let (status, body) = here
        .call(
            "change_password",
            &[
                ("current_password", "wrong"),
                ("new_password", "short"),
                ("confirm_password", "other"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"Invalid": {"current_password": "WrongPassword", "new_password": {"TooShort": {"min": 12}}, "confirm_password": "DoesNotMatch"}})
    );
    let new = "a brand new long password";
    let (status, _) = here
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
    assert_eq!(
        here.call("current_user", &[]).await.1["email"],
        PARTNER,
        "this session continues"
    );
    assert_eq!(
        elsewhere.call("current_user", &[]).await.1,
        json!(null),
        "the other one ended"
    );
    let (status, _) = app
        .client()
        .call("sign_in", &[("email", PARTNER), ("password", new)])
        .await;
    assert_eq!(status, StatusCode::OK);
}

on_both_databases!(
    signing_in_opens_a_session_that_knows_the_user,
    each_role_lands_on_its_own_home,
    a_wrong_password_and_an_unknown_email_get_the_same_answer,
    the_sixth_attempt_is_locked_out_for_fifteen_minutes,
    an_unknown_email_is_locked_out_just_like_a_real_one,
    failures_spread_over_more_than_the_window_do_not_lock,
    an_idle_session_ends_after_thirty_minutes,
    a_busy_session_still_ends_after_twelve_hours,
    signing_out_deletes_the_session_so_the_old_cookie_is_worthless,
    a_deactivated_user_is_signed_out_and_cannot_sign_in,
    changing_ones_password_needs_the_current_one_and_signs_out_other_sessions,
);
