//! Decisions one person may not make alone: nobody decides their own closure request; an
//! administrator who sets a password does not get a working account out of it unnoticed; a
//! second ministry for a country (whose supervisors would see all of it) cannot be made.

use crate::common::*;
use crate::follow_ups::assessed;
use crate::on_both_databases;
use crate::referrals::outbox;
use reqwest::StatusCode;
use serde_json::json;

async fn nobody_approves_their_own_closure_request(app: TestApp) {
    app.people().await;
    app.user("sup2.af@test.org", "supervisor", "morr", &[])
        .await;
    let id = assessed(&app).await;
    let sup = app.signed_in(SUPERVISOR).await;
    let request = [("family_id", id.as_str()), ("reason", "reintegrated")];
    assert_eq!(
        sup.call("request_closure", &request).await.0,
        StatusCode::OK
    );
    let approve = [("family_id", id.as_str()), ("decision", "approve")];
    assert_eq!(
        sup.call("decide_closure", &approve).await,
        (StatusCode::FORBIDDEN, json!("SecondPersonRequired"))
    );
    let (_, v) = sup.call("case_follow_ups", &[("family_id", &id)]).await;
    assert_eq!(v["closure"]["requested_by_you"], true);
    assert_eq!(v["closure"]["decision"], json!(null), "still pending");
    let other = app.signed_in("sup2.af@test.org").await;
    let (_, v) = other.call("case_follow_ups", &[("family_id", &id)]).await;
    assert_eq!(v["closure"]["requested_by_you"], false);
    assert_eq!(
        other.call("decide_closure", &approve).await.0,
        StatusCode::OK
    );
    let (_, case) = other.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(case["status"], "closed");
}

async fn a_password_set_by_an_administrator_must_be_changed_and_its_holder_is_told(app: TestApp) {
    let people = app.people().await;
    let holder = app.signed_in(SUPERVISOR).await;
    let admin = app.signed_in(ADMIN).await;
    let temporary = "temporary password 2026";
    let (status, body) = admin
        .call(
            "reset_password",
            &[("user_id", &people.supervisor), ("new_password", temporary)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        holder.call("current_user", &[]).await.1,
        json!(null),
        "the holder's sessions ended"
    );
    let mail = outbox(&app).await;
    let notice = mail
        .iter()
        .find(|m| m.0 == "password_reset")
        .expect("notice");
    assert_eq!(notice.1, SUPERVISOR, "the holder is told");

    // Whoever signs in with it goes to the account page and can do nothing else first.
    let c = app.client();
    let (status, dest) = c
        .call("sign_in", &[("email", SUPERVISOR), ("password", temporary)])
        .await;
    assert_eq!((status, dest), (StatusCode::OK, json!("/account")));
    assert_eq!(
        c.call("current_user", &[]).await.1["must_change_password"],
        true
    );
    for (endpoint, args) in [
        ("list_cases", vec![("filter[page]", "1")]),
        ("work_list", vec![]),
        ("overview", vec![]),
    ] {
        assert_eq!(
            c.call(endpoint, &args).await,
            (StatusCode::FORBIDDEN, json!("PasswordChangeRequired")),
            "{endpoint}"
        );
    }
    let mine = "the holder's own new password";
    let (status, body) = c
        .call(
            "change_password",
            &[
                ("current_password", temporary),
                ("new_password", mine),
                ("confirm_password", mine),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        c.call("list_cases", &[("filter[page]", "1")]).await.0,
        StatusCode::OK
    );

    // An administrator resets others' passwords, not their own (that takes the current one).
    assert_eq!(
        admin
            .call(
                "reset_password",
                &[("user_id", &people.admin), ("new_password", temporary)]
            )
            .await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"new_password": "OwnAccount"}})
        )
    );
}

async fn a_country_has_one_ministry(app: TestApp) {
    app.people().await;
    let admin = app.signed_in(ADMIN).await;
    let (status, body) = admin
        .call(
            "create_organisation",
            &[
                ("code", "morr-2"),
                ("name", "Another ministry"),
                ("kind", "ministry"),
                ("country", "AF"),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"country": "OneMinistryPerCountry"}})
        )
    );
    // The database holds the rule too, whoever writes.
    let err = sqlx::query(
        "INSERT INTO organisation (organisation_id, code, name, kind, country, active, created_at, updated_at)
         VALUES ('x', 'momd-2', 'Another', 'ministry', 'IQ', 1, 'now', 'now')",
    )
    .execute(&app.state.db.pool)
    .await;
    assert!(err.is_err(), "a second ministry for Iraq was stored");
    let err = server::provision::create_organisation(
        &app.state.db,
        app.now(),
        "morr-3",
        "Yet another",
        "ministry",
        "AF",
    )
    .await;
    assert!(err.is_err(), "the command line is held to it too");
}

on_both_databases!(
    nobody_approves_their_own_closure_request,
    a_password_set_by_an_administrator_must_be_changed_and_its_holder_is_told,
    a_country_has_one_ministry,
);
