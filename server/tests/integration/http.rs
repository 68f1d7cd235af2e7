//! The HTTP layer: health, security headers, cross-site refusal, pages by role, and forms
//! posted without JavaScript.

use crate::common::*;
use crate::on_both_databases;
use reqwest::StatusCode;

async fn healthz_reports_the_database(app: TestApp) {
    let res = reqwest::get(format!("{}/healthz", app.base)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["reachable"], true);
}

async fn every_response_carries_the_security_headers(app: TestApp) {
    let c = app.client();
    let (status, _, headers) = c.page("/sign-in").await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    // Every page's inline scripts carry the nonce its policy allows, and no two pages share one
    // (the not-found page comes from the fallback handler: the same must hold there).
    let mut seen = std::collections::HashSet::new();
    for path in ["/sign-in", "/sign-in", "/no-such-page"] {
        let (_, body, headers) = c.page(path).await;
        let csp = headers["content-security-policy"].to_str().unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {csp}"));
        assert!(seen.insert(nonce.to_string()), "nonce reused");
        // (Leptos leaves one empty `<script></script>` in the body; it runs nothing.)
        let scripts = body.matches("<script").count() - body.matches("<script></script>").count();
        assert!(scripts > 0, "{path}");
        assert_eq!(
            body.matches(&format!("nonce=\"{nonce}\"")).count(),
            scripts,
            "{path}: every script carries the page's nonce"
        );
    }
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cache-control"], "no-store");
    let (_, body) = c.call("current_user", &[]).await;
    assert_eq!(body, serde_json::Value::Null);
    let res = c
        .http
        .post(format!("{}/api/current_user", app.base))
        .send()
        .await
        .unwrap();
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
}

async fn a_cross_site_post_is_refused_before_it_does_anything(app: TestApp) {
    app.people().await;
    let c = app.client();
    let res = c
        .http
        .post(format!("{}/api/sign_in", app.base))
        .header("origin", "https://evil.example")
        .form(&[("email", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = c
        .http
        .post(format!("{}/api/sign_in", app.base))
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM user_session").await, 0);
}

async fn pages_send_strangers_to_sign_in_and_other_roles_get_403(app: TestApp) {
    app.people().await;
    let (status, _, headers) = app.client().page("/admin/users").await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(headers["location"], "/sign-in?next=/admin/users");

    let partner = app.signed_in(PARTNER).await;
    let (status, html, _) = partner.page("/admin/users").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("No access"));
    assert!(!html.contains(ADMIN), "no user data leaks into the refusal");

    let admin = app.signed_in(ADMIN).await;
    let (status, html, _) = admin.page("/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(PARTNER),
        "the admin sees the list, rendered on the server"
    );

    let (status, _, _) = admin.page("/cases").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "admins do not see case lists"
    );
    let (status, _, _) = admin.page("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_plain_form_post_comes_back_with_the_error_and_what_was_typed(app: TestApp) {
    app.people().await;
    let c = app.client();
    let res = c
        .post_form(
            "sign_in",
            "/sign-in",
            &[
                ("email", ADMIN),
                ("password", "wrong password here"),
                ("next", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    // Nothing is stored for someone not signed in: the error's code travels in the address.
    assert_eq!(res.headers()["location"], "/sign-in?error=bad_credentials");
    let (_, html, _) = c.page("/sign-in?error=bad_credentials").await;
    assert!(
        html.contains("The email address or password is not correct."),
        "{html}"
    );
    // What was typed is not kept anywhere (people type passwords into the email field).
    assert!(!html.contains(ADMIN) && !html.contains("wrong password here"));
    assert_eq!(app.count("SELECT COUNT(*) FROM form_flash").await, 0);
    let (_, html, _) = c.page("/sign-in").await;
    assert!(!html.contains("is not correct"));

    let res = c
        .post_form(
            "sign_in",
            "/sign-in?next=/admin/audit",
            &[
                ("email", ADMIN),
                ("password", PASSWORD),
                ("next", "/admin/audit"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()["location"], "/admin/audit");
    let (status, html, _) = c.page("/admin/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Signed in"),
        "the audit log shows the sign-in"
    );
}

async fn sign_in_never_redirects_off_the_site(app: TestApp) {
    app.people().await;
    for next in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
    ] {
        let (_, body) = app
            .client()
            .call(
                "sign_in",
                &[("email", ADMIN), ("password", PASSWORD), ("next", next)],
            )
            .await;
        assert_eq!(body, serde_json::json!("/admin"), "{next}");
    }
}

async fn field_errors_of_a_plain_post_appear_beside_their_fields(app: TestApp) {
    app.people().await;
    let admin = app.signed_in(ADMIN).await;
    let res = admin
        .post_form(
            "create_user",
            "/admin/users",
            &[
                ("email", "x@y"),
                ("display_name", "Typed Name"),
                ("role", "caseworker"),
                ("organisation_id", ""),
                ("password", "pw"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let (_, html, _) = admin.page("/admin/users").await;
    assert!(
        html.contains("value=\"Typed Name\""),
        "typed values come back"
    );
    let email_error = html.split("id=\"create_user-email-error\"").nth(1).unwrap();
    assert!(
        email_error.starts_with(" role=\"alert\" class=\"field-error\">Enter an email address"),
        "{}",
        &email_error[..200]
    );
    assert!(html.contains("Enter at least 12 characters."));
}

async fn the_language_cookie_and_profile_follow_the_switcher(app: TestApp) {
    app.people().await;
    let c = app.signed_in(CASEWORKER).await;
    let res = c
        .post_form("set_language", "/cases", &[("language", "fa-AF")])
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let (_, html, _) = c.page("/cases").await;
    assert!(
        html.contains("lang=\"fa-AF\"") && html.contains("dir=\"rtl\""),
        "{}",
        &html[..300]
    );
    let (_, me) = c.call("current_user", &[]).await;
    assert_eq!(me["language"], "fa-AF");
    // A fresh sign-in elsewhere comes back in Dari.
    let other = app.signed_in(CASEWORKER).await;
    let (_, html, _) = other.page("/cases").await;
    assert!(html.contains("lang=\"fa-AF\""));
    let (status, body) = c.call("set_language", &[("language", "klingon")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

async fn the_browser_language_is_used_before_anyone_chooses(app: TestApp) {
    let res = app
        .client()
        .http
        .get(format!("{}/sign-in", app.base))
        .header("accept", "text/html")
        .header("accept-language", "ar-IQ,ar;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(
        html.contains("lang=\"ar\"") && html.contains("dir=\"rtl\""),
        "{}",
        &html[..200]
    );
}

on_both_databases!(
    healthz_reports_the_database,
    every_response_carries_the_security_headers,
    a_cross_site_post_is_refused_before_it_does_anything,
    pages_send_strangers_to_sign_in_and_other_roles_get_403,
    a_plain_form_post_comes_back_with_the_error_and_what_was_typed,
    sign_in_never_redirects_off_the_site,
    field_errors_of_a_plain_post_appear_beside_their_fields,
    the_language_cookie_and_profile_follow_the_switcher,
    the_browser_language_is_used_before_anyone_chooses,
);
