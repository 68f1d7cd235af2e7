//! Administration: every admin server function against every role, and what admins change.

use crate::common::*;
use crate::on_both_databases;
use reqwest::StatusCode;
use serde_json::json;

/// Every administration endpoint with arguments that would succeed for an admin.
fn admin_calls(p: &People, org_id: &str) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    vec![
        ("list_users", vec![("filter[q]", String::new())]),
        ("get_user", vec![("user_id", p.caseworker.clone())]),
        (
            "create_user",
            vec![
                ("email", "new.person@test.org".into()),
                ("display_name", "New Person".into()),
                ("role", "supervisor".into()),
                ("organisation_id", org_id.into()),
                ("password", "a long enough password".into()),
            ],
        ),
        ("deactivate_user", vec![("user_id", p.partner_b.clone())]),
        ("reactivate_user", vec![("user_id", p.partner_b.clone())]),
        (
            "reset_password",
            vec![
                ("user_id", p.partner_b.clone()),
                ("new_password", "another long password".into()),
            ],
        ),
        (
            "set_user_areas",
            vec![
                ("user_id", p.caseworker.clone()),
                ("version", "1".into()),
                ("areas[]", "AF-HER".into()),
            ],
        ),
        ("list_organisations", vec![]),
        (
            "create_organisation",
            vec![
                ("code", "ngo-new".into()),
                ("name", "New NGO".into()),
                ("kind", "partner".into()),
                ("country", "IQ".into()),
            ],
        ),
        ("list_audit_events", vec![("filter[page]", "1".into())]),
    ]
}

async fn morr_id(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT organisation_id FROM organisation WHERE code = 'morr'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn no_role_but_admin_may_call_any_administration_function(app: TestApp) {
    let people = app.people().await;
    let morr = morr_id(&app).await;
    let anonymous = app.client();
    let audit_before = app.count("SELECT COUNT(*) FROM audit_event").await;
    for (endpoint, args) in admin_calls(&people, &morr) {
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = anonymous.call(endpoint, &args).await;
        assert_eq!(
            (status, body),
            (StatusCode::UNAUTHORIZED, json!("Unauthenticated")),
            "anonymous {endpoint}"
        );
        for email in [
            CASEWORKER,
            SUPERVISOR,
            CASEWORKER_IQ,
            SUPERVISOR_IQ,
            PARTNER,
            MANAGER,
        ] {
            let c = app.signed_in(email).await;
            let (status, body) = c.call(endpoint, &args).await;
            assert_eq!(
                (status, body),
                (StatusCode::FORBIDDEN, json!("Forbidden")),
                "{email} {endpoint}"
            );
        }
    }
    // Nothing was changed by the refused calls (only their sign-ins were recorded).
    assert_eq!(
        app.count("SELECT COUNT(*) FROM app_user WHERE email = 'new.person@test.org'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisation WHERE code = 'ngo-new'")
            .await,
        0
    );
    let changes = app
        .count("SELECT COUNT(*) FROM audit_event WHERE action NOT IN ('sign_in')")
        .await;
    assert_eq!(changes, audit_before);

    let admin = app.signed_in(ADMIN).await;
    for (endpoint, args) in admin_calls(&people, &morr) {
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = admin.call(endpoint, &args).await;
        assert_eq!(status, StatusCode::OK, "admin {endpoint}: {body}");
    }
}

async fn an_admin_creates_an_organisation_and_an_account_that_can_sign_in(app: TestApp) {
    app.people().await;
    let admin = app.signed_in(ADMIN).await;
    let (status, org_id) = admin
        .call(
            "create_organisation",
            &[
                ("code", "Kabul-CBO"),
                ("name", "Kabul Community Organisation"),
                ("kind", "partner"),
                ("country", "AF"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{org_id}");
    let org_id = org_id.as_str().unwrap().to_string();
    let (status, user_id) = admin
        .call(
            "create_user",
            &[
                ("email", " Nadia@CBO.example "),
                ("display_name", "Nadia Rahimi"),
                ("role", "partner"),
                ("organisation_id", &org_id),
                ("password", "twelve chars ok"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{user_id}");
    let (status, _) = app
        .client()
        .call(
            "sign_in",
            &[
                ("email", "nadia@cbo.example"),
                ("password", "twelve chars ok"),
            ],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the new account signs in with its normalised email"
    );

    let (_, user) = admin
        .call("get_user", &[("user_id", user_id.as_str().unwrap())])
        .await;
    assert_eq!(user["organisation_code"], "kabul-cbo");
    assert_eq!(user["email"], "nadia@cbo.example");

    let (_, page) = admin
        .call("list_audit_events", &[("filter[action]", "user_created")])
        .await;
    let event = &page["events"][0];
    assert_eq!(event["actor_email"], ADMIN);
    assert_eq!(event["target_id"], user_id);
    assert_eq!(event["client_addr"], "127.0.0.1");
    let (_, page) = admin
        .call(
            "list_audit_events",
            &[
                ("filter[action]", "organisation_created"),
                ("filter[actor]", "admin@"),
            ],
        )
        .await;
    assert_eq!(page["total"], 1);
}

async fn a_new_account_gets_every_field_error_at_once(app: TestApp) {
    app.people().await;
    let admin = app.signed_in(ADMIN).await;
    let (status, body) = admin
        .call(
            "create_user",
            &[
                ("email", "not-an-email"),
                ("display_name", ""),
                ("role", "wizard"),
                ("organisation_id", "nope"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"Invalid": {
            "email": "InvalidEmail",
            "display_name": "Required",
            "role": "InvalidChoice",
            "organisation": "InvalidChoice",
            "password": {"TooShort": {"min": 12}}
        }})
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM app_user").await,
        8,
        "nothing saved"
    );
}

async fn roles_must_fit_organisations_and_areas_the_country(app: TestApp) {
    app.people().await;
    let admin = app.signed_in(ADMIN).await;
    let morr = morr_id(&app).await;
    let ngo: String =
        sqlx::query_scalar("SELECT organisation_id FROM organisation WHERE code = 'ngo-a'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    let base = |email: &'static str, role: &'static str, org: String| {
        vec![
            ("email", email.to_string()),
            ("display_name", "Someone Else".to_string()),
            ("role", role.to_string()),
            ("organisation_id", org),
            ("password", "a long enough password".to_string()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| {
        v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
    };

    let args = base("x1@test.org", "caseworker", ngo.clone());
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, body) = admin.call("create_user", &args).await;
    assert_eq!(
        body,
        json!({"Invalid": {"role": "RoleDoesNotFitOrganisation"}})
    );

    let mut args = as_refs(&base("x2@test.org", "caseworker", morr.clone()));
    args.push(("areas[]", "IQ-BG".into()));
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, body) = admin.call("create_user", &args).await;
    assert_eq!(
        body,
        json!({"Invalid": {"areas": "OutsideCountry"}}),
        "a MoRR caseworker cannot work in Baghdad"
    );

    let args = base("x3@test.org", "caseworker", morr.clone());
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, body) = admin.call("create_user", &args).await;
    assert_eq!(
        body,
        json!({"Invalid": {"areas": "Required"}}),
        "a caseworker needs areas"
    );

    let args = base(CASEWORKER, "supervisor", morr.clone());
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, body) = admin.call("create_user", &args).await;
    assert_eq!(body, json!({"Invalid": {"email": "AlreadyTaken"}}));
}

async fn area_changes_are_saved_checked_and_audited(app: TestApp) {
    let people = app.people().await;
    let admin = app.signed_in(ADMIN).await;
    let (status, _) = admin
        .call(
            "set_user_areas",
            &[
                ("user_id", &people.caseworker),
                (
                    "version",
                    &app.version("app_user", &people.caseworker).await,
                ),
                ("areas[]", "AF-HER"),
                ("areas[]", "AF-BAL"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, user) = admin
        .call("get_user", &[("user_id", &people.caseworker)])
        .await;
    assert_eq!(user["areas"], json!(["AF-BAL", "AF-HER"]));
    let (_, me) = app
        .signed_in(CASEWORKER)
        .await
        .call("current_user", &[])
        .await;
    assert_eq!(me["areas"], json!(["AF-BAL", "AF-HER"]));

    let (status, body) = admin
        .call(
            "set_user_areas",
            &[
                ("user_id", &people.caseworker),
                (
                    "version",
                    &app.version("app_user", &people.caseworker).await,
                ),
                ("areas[]", "IQ-BG"),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"areas": "OutsideCountry"}})
        )
    );
    let (_, body) = admin
        .call(
            "set_user_areas",
            &[
                ("user_id", &people.supervisor),
                (
                    "version",
                    &app.version("app_user", &people.supervisor).await,
                ),
                ("areas[]", "AF-KAB"),
            ],
        )
        .await;
    assert_eq!(
        body,
        json!({"Invalid": {"areas": "InvalidChoice"}}),
        "supervisors have no areas"
    );
    let (status, _) = admin
        .call(
            "set_user_areas",
            &[
                ("user_id", "no-such-user"),
                ("version", "1"),
                ("areas[]", "AF-KAB"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'user_areas_changed'")
            .await,
        1
    );
}

async fn a_password_reset_ends_sessions_and_lifts_the_lock(app: TestApp) {
    let people = app.people().await;
    let partner = app.signed_in(PARTNER).await;
    for _ in 0..5 {
        app.client()
            .call(
                "sign_in",
                &[("email", PARTNER), ("password", "guess guess guess")],
            )
            .await;
    }
    let admin = app.signed_in(ADMIN).await;
    let (status, body) = admin
        .call(
            "reset_password",
            &[("user_id", &people.partner), ("new_password", "short")],
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"new_password": {"TooShort": {"min": 12}}}})
        )
    );
    let (status, _) = admin
        .call(
            "reset_password",
            &[
                ("user_id", &people.partner),
                ("new_password", "handed over in person"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(partner.call("current_user", &[]).await.1, json!(null));
    let (status, _) = app
        .client()
        .call(
            "sign_in",
            &[("email", PARTNER), ("password", "handed over in person")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn admins_cannot_lock_themselves_or_the_ministries_out(app: TestApp) {
    let people = app.people().await;
    let admin = app.signed_in(ADMIN).await;
    let (status, body) = admin
        .call("deactivate_user", &[("user_id", &people.admin)])
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"user_id": "OwnAccount"}})
        )
    );
    let morr = morr_id(&app).await;
    let (status, _) = admin
        .call("deactivate_organisation", &[("organisation_id", &morr)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn deactivating_an_organisation_signs_out_its_staff(app: TestApp) {
    app.people().await;
    let partner = app.signed_in(PARTNER).await;
    let admin = app.signed_in(ADMIN).await;
    let ngo: String =
        sqlx::query_scalar("SELECT organisation_id FROM organisation WHERE code = 'ngo-a'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    let (status, _) = admin
        .call("deactivate_organisation", &[("organisation_id", &ngo)])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(partner.call("current_user", &[]).await.1, json!(null));
    let (status, _) = app
        .client()
        .call("sign_in", &[("email", PARTNER), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, orgs) = admin.call("list_organisations", &[]).await;
    let ngo_view = orgs
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "ngo-a")
        .unwrap();
    assert_eq!(ngo_view["active"], false);
    let (status, _) = admin
        .call("reactivate_organisation", &[("organisation_id", &ngo)])
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .client()
        .call("sign_in", &[("email", PARTNER), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn user_lists_filter_by_role_organisation_and_text(app: TestApp) {
    app.people().await;
    let admin = app.signed_in(ADMIN).await;
    let emails = |v: serde_json::Value| {
        let mut e: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["email"].as_str().unwrap().to_string())
            .collect();
        e.sort();
        e
    };
    let (_, v) = admin
        .call("list_users", &[("filter[role]", "supervisor")])
        .await;
    assert_eq!(emails(v), vec![SUPERVISOR, SUPERVISOR_IQ]);
    let (_, v) = admin
        .call("list_users", &[("filter[organisation]", "momd")])
        .await;
    assert_eq!(emails(v), vec![CASEWORKER_IQ, SUPERVISOR_IQ]);
    let (_, v) = admin.call("list_users", &[("filter[q]", "PARTNER.")]).await;
    assert_eq!(emails(v), vec![PARTNER, PARTNER_B]);
}

on_both_databases!(
    no_role_but_admin_may_call_any_administration_function,
    an_admin_creates_an_organisation_and_an_account_that_can_sign_in,
    a_new_account_gets_every_field_error_at_once,
    roles_must_fit_organisations_and_areas_the_country,
    area_changes_are_saved_checked_and_audited,
    a_password_reset_ends_sessions_and_lifts_the_lock,
    admins_cannot_lock_themselves_or_the_ministries_out,
    deactivating_an_organisation_signs_out_its_staff,
    user_lists_filter_by_role_organisation_and_text,
);
