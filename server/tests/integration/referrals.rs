//! Referrals: the directory, sending, the partner's answer, services and completion, what a
//! partner may see and when they lose it, and the email each step queues. Its delivery is
//! `referral_email.rs`.

use crate::assessments::{answers, form, progress, refs};
use crate::common::*;
use crate::families::{register_ahmadi, registration, AHMADI};
use crate::on_both_databases;
use reqwest::StatusCode;
use serde_json::{json, Value};

pub async fn org_id(app: &TestApp, code: &str) -> String {
    sqlx::query_scalar("SELECT organisation_id FROM organisation WHERE code = $1")
        .bind(code)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// Through the administration: partner A offers housing and livelihood in Kabul, partner B
/// livelihood only.
pub async fn directory(app: &TestApp) {
    let admin = app.signed_in(ADMIN).await;
    for (code, services) in [
        ("ngo-a", vec!["housing", "livelihood"]),
        ("ngo-b", vec!["livelihood"]),
    ] {
        let id = org_id(app, code).await;
        let version = app.version("organisation", &id).await;
        let mut f = vec![
            ("organisation_id".to_string(), id),
            ("version".into(), version),
            ("referral_email".into(), format!("referrals@{code}.example")),
            ("response_days".into(), "5".into()),
            ("provinces[]".into(), "AF-KAB".into()),
        ];
        f.extend(
            services
                .into_iter()
                .map(|s| ("services[]".to_string(), s.to_string())),
        );
        let (status, body) = admin.call("save_directory", &refs(&f)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

/// A registered, assessed Kabul family; answers (family id, plan item id of each need).
pub async fn assessed_family(app: &TestApp) -> (String, Value) {
    let id = register_ahmadi(app).await;
    let c = app.signed_in(CASEWORKER).await;
    let (status, _) = c
        .call(
            "record_assessment",
            &refs(&form(&id, "2026-10-20", &answers(true))),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let plan = progress(&c, &id).await["plan"].clone();
    // The assessment also scheduled follow-ups, whose morning digest would join the emails
    // counted here; follow_ups.rs tests it.
    sqlx::query("DELETE FROM follow_up")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    (id, plan)
}

pub fn item<'a>(plan: &'a Value, need: &str) -> &'a str {
    plan.as_array()
        .unwrap()
        .iter()
        .find(|p| p["need"] == need)
        .unwrap()["plan_item_id"]
        .as_str()
        .unwrap()
}

pub async fn send(
    app: &TestApp,
    family: &str,
    plan_item: &str,
    service: &str,
    org: &str,
) -> (StatusCode, Value) {
    let c = app.signed_in(CASEWORKER).await;
    let org = org_id(app, org).await;
    c.call(
        "send_referral",
        &[
            ("family_id", family),
            ("plan_item_id", plan_item),
            ("service", service),
            ("organisation_id", &org),
            (
                "note",
                "Family sleeps in a tent since return; please visit.",
            ),
        ],
    )
    .await
}

/// A housing referral of a newly assessed family to ngo-a, which accepts it, records
/// `service` (a description) if given, and completes it with `outcome`. Answers (family,
/// referral).
pub async fn completed_referral(
    app: &TestApp,
    service: Option<&str>,
    outcome: &str,
) -> (String, String) {
    let (family, plan) = assessed_family(app).await;
    let (status, r) = send(app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let r = r.as_str().unwrap().to_string();
    accept_and_complete(app, &r, service, outcome).await;
    (family, r)
}

/// Partner A accepts referral `r`, records `service` (a description) if given, and completes
/// it with `outcome`.
pub async fn accept_and_complete(app: &TestApp, r: &str, service: Option<&str>, outcome: &str) {
    let p = app.signed_in(PARTNER).await;
    let v = version(&p, r).await;
    let accept = [("referral_id", r), ("version", &v), ("decision", "accept")];
    assert_eq!(p.call("respond_referral", &accept).await.0, StatusCode::OK);
    if let Some(description) = service {
        let service = [
            ("referral_id", r),
            ("delivered_on", "2026-11-01"),
            ("description", description),
            ("calendar", "gregorian"),
        ];
        assert_eq!(p.call("record_service", &service).await.0, StatusCode::OK);
    }
    let v = version(&p, r).await;
    let done = [("referral_id", r), ("version", &v), ("outcome", outcome)];
    let (status, body) = p.call("complete_referral", &done).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

pub async fn outbox(app: &TestApp) -> Vec<(String, String, String, String)> {
    use sqlx::Row;
    sqlx::query(
        "SELECT kind, to_address, subject, body FROM email_outbox ORDER BY created_at, kind",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.get("kind"),
            r.get("to_address"),
            r.get("subject"),
            r.get("body"),
        )
    })
    .collect()
}

pub async fn version(c: &Client, referral: &str) -> String {
    let (_, r) = c.call("get_referral", &[("referral_id", referral)]).await;
    r["version"].to_string()
}

async fn a_referral_goes_to_the_partner_and_its_outcome_comes_back(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let (status, options) = cw
        .call(
            "refer_form",
            &[
                ("family_id", &family),
                ("plan_item_id", item(&plan, "housing")),
                ("locale", "en"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{options}");
    assert_eq!(options["service"], "housing");
    assert_eq!(
        options["providers"].as_array().unwrap().len(),
        1,
        "only partner A offers housing in Kabul"
    );
    let (status, referral) = send(&app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    assert_eq!(status, StatusCode::OK, "{referral}");
    let referral = referral.as_str().unwrap().to_string();

    // The organisation is told by email: the case number and a link, nothing personal.
    let mail = outbox(&app).await;
    assert_eq!(mail.len(), 1);
    let (kind, to, subject, body) = &mail[0];
    assert_eq!(
        (kind.as_str(), to.as_str()),
        ("referral_new", "referrals@ngo-a.example")
    );
    assert!(subject.contains("AF-2026-000001"), "{subject}");
    assert!(body.contains(&format!("/referrals/{referral}")));
    for personal in ["Ahmadi", "احمدی", "0701", "tent", "Kabul", "1399"] {
        assert!(
            !body.contains(personal) && !subject.contains(personal),
            "{personal} in the email"
        );
    }

    // The partner finds it in the inbox and opens the need-to-know view.
    let partner = app.signed_in(PARTNER).await;
    let (_, inbox) = partner.call("list_incoming", &[("tab", "new")]).await;
    assert_eq!(inbox["rows"].as_array().unwrap().len(), 1);
    assert_eq!(
        inbox["counts"],
        json!([
            ["new", 1],
            ["accepted", 0],
            ["overdue", 0],
            ["completed", 0]
        ])
    );
    let (status, view) = partner
        .call(
            "get_referral",
            &[("referral_id", &referral), ("locale", "en")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["family"]["household_size"], 3);
    assert_eq!(view["need_label"], "Housing");
    assert_eq!(
        view["note"],
        "Family sleeps in a tent since return; please visit."
    );
    assert_eq!(
        view["family"]["people"][0],
        json!(["محمد احمدی", "Mohammad Ahmadi"])
    );
    let text = view.to_string();
    for hidden in [
        "1399",
        "Abdul Karim",
        "scores",
        "answers",
        "needs",
        "consent",
        "notes",
        "father",
    ] {
        assert!(
            !text.contains(hidden),
            "{hidden} is not the partner's to see: {text}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'referral_viewed'")
            .await,
        1
    );

    // Accept, record a service, complete (a minute apart).
    app.advance(chrono::Duration::minutes(1));
    let v = version(&partner, &referral).await;
    let (status, body) = partner
        .call(
            "respond_referral",
            &[
                ("referral_id", &referral),
                ("version", &v),
                ("decision", "accept"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = partner
        .call(
            "record_service",
            &[
                ("referral_id", &referral),
                ("delivered_on", "2026-11-01"),
                ("description", "Shelter kit delivered"),
                ("calendar", "gregorian"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = partner
        .call(
            "record_service",
            &[
                ("referral_id", &referral),
                ("delivered_on", "2030-01-01"),
                ("description", ""),
                ("calendar", "gregorian"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"Invalid": {"delivered_on": "DateInFuture", "description": "Required"}})
    );
    app.advance(chrono::Duration::minutes(1));
    let v = version(&partner, &referral).await;
    let (status, body) = partner
        .call(
            "complete_referral",
            &[
                ("referral_id", &referral),
                ("version", &v),
                ("outcome", "Family moved into a repaired house"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The caseworker sees the outcome on the family page and was told by email each time.
    let (_, refs_) = cw.call("case_referrals", &[("family_id", &family)]).await;
    assert_eq!(refs_[0]["status"], "completed");
    assert_eq!(refs_[0]["outcome"], "Family moved into a repaired house");
    assert_eq!(
        refs_[0]["services"],
        json!([["2026-11-01", "Shelter kit delivered"]])
    );
    let kinds: Vec<String> = outbox(&app).await.into_iter().map(|m| m.0).collect();
    assert_eq!(
        kinds,
        vec!["referral_new", "referral_accepted", "referral_completed"]
    );
    assert!(outbox(&app).await[1].1 == CASEWORKER);
    let (_, case) = cw.call("get_case", &[("family_id", &family)]).await;
    let events: Vec<&str> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        &events[..4],
        &[
            "referral_completed",
            "service_recorded",
            "referral_accepted",
            "referral_sent"
        ]
    );
}

async fn a_partner_sees_only_referrals_to_its_own_organisation(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    let (_, referral) = send(&app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    let referral = referral.as_str().unwrap();
    let b = app.signed_in(PARTNER_B).await;
    let hidden = b.call("get_referral", &[("referral_id", referral)]).await;
    let missing = b
        .call(
            "get_referral",
            &[("referral_id", "00000000-0000-0000-0000-000000000000")],
        )
        .await;
    assert_eq!(hidden, (StatusCode::NOT_FOUND, json!("NotFound")));
    assert_eq!(
        hidden, missing,
        "another organisation's referral looks like none"
    );
    let (_, inbox) = b.call("list_incoming", &[("tab", "new")]).await;
    assert!(inbox["rows"].as_array().unwrap().is_empty());
    for partner in [PARTNER, PARTNER_B] {
        let c = app.signed_in(partner).await;
        for (endpoint, args) in [
            ("get_case", vec![("family_id", family.as_str())]),
            ("case_referrals", vec![("family_id", family.as_str())]),
            (
                "case_progress",
                vec![("family_id", family.as_str()), ("locale", "en")],
            ),
        ] {
            assert_eq!(
                c.call(endpoint, &args).await,
                (StatusCode::NOT_FOUND, json!("NotFound")),
                "{partner} {endpoint}: the case record is never a partner's"
            );
        }
    }
}

async fn a_family_without_sharing_consent_cannot_be_referred(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let mut f = registration("AF-KAB", &AHMADI);
    f.retain(|(k, _)| k != "consent_sharing");
    let (status, id) = c.call("register_family", &refs(&f)).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_str().unwrap().to_string();
    c.call(
        "record_assessment",
        &refs(&form(&id, "2026-10-20", &answers(true))),
    )
    .await;
    let plan = progress(&c, &id).await["plan"].clone();
    assert_eq!(
        send(&app, &id, item(&plan, "housing"), "housing", "ngo-a").await,
        (StatusCode::UNPROCESSABLE_ENTITY, json!("NoSharingConsent"))
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM referral").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM email_outbox").await, 0);
}

async fn only_an_organisation_offering_the_service_there_can_be_chosen(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    assert_eq!(
        send(&app, &family, item(&plan, "housing"), "housing", "ngo-b").await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"organisation_id": "InvalidChoice"}})
        )
    );
    let admin = app.signed_in(ADMIN).await;
    let (status, body) = admin
        .call(
            "save_directory",
            &[
                ("organisation_id", &org_id(&app, "ngo-b").await),
                (
                    "version",
                    &app.version("organisation", &org_id(&app, "ngo-b").await)
                        .await,
                ),
                ("referral_email", "not an address"),
                ("response_days", "0"),
                ("services[]", "housing"),
                ("provinces[]", "IQ-BG"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"Invalid": {
            "referral_email": "InvalidEmail",
            "response_days": {"OutOfRange": {"min": 1, "max": 60}},
            "provinces": "OutsideCountry",
        }})
    );
}

/// Who may use each referral function: every role, in scope and out.
async fn referral_functions_against_every_role(app: TestApp) {
    app.people().await;
    app.user("cw.herat@test.org", "caseworker", "morr", &["AF-HER"])
        .await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    let (_, referral) = send(&app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    let referral = referral.as_str().unwrap().to_string();
    let gone = (StatusCode::NOT_FOUND, json!("NotFound"));
    // (email, may refer and follow the case's referrals, may answer the referral)
    let roles = [
        (CASEWORKER, true, false),
        ("cw.herat@test.org", false, false),
        (SUPERVISOR, true, false),
        (CASEWORKER_IQ, false, false),
        (SUPERVISOR_IQ, false, false),
        (PARTNER, false, true),
        (PARTNER_B, false, false),
        (MANAGER, false, false),
        (ADMIN, false, false),
    ];
    for (email, casework, answers_it) in roles {
        let c = app.signed_in(email).await;
        let case_side = [
            (
                "refer_form",
                vec![
                    ("family_id", family.as_str()),
                    ("plan_item_id", item(&plan, "housing")),
                ],
            ),
            ("case_referrals", vec![("family_id", family.as_str())]),
        ];
        for (endpoint, args) in case_side {
            let got = c.call(endpoint, &args).await;
            if casework {
                assert_eq!(got.0, StatusCode::OK, "{email} {endpoint}");
            } else {
                assert_eq!(got, gone, "{email} {endpoint}");
            }
        }
        let got = c.call("get_referral", &[("referral_id", &referral)]).await;
        if answers_it {
            assert_eq!(got.0, StatusCode::OK, "{email}");
        } else {
            assert_eq!(got, gone, "{email} get_referral");
        }
        let inbox = c.call("list_incoming", &[]).await;
        let is_partner = email == PARTNER || email == PARTNER_B;
        assert_eq!(
            inbox.0 == StatusCode::OK,
            is_partner,
            "{email} list_incoming"
        );
        if !is_partner {
            assert_eq!(inbox, (StatusCode::FORBIDDEN, json!("Forbidden")));
        }
        let directory = c
            .call(
                "get_directory",
                &[("organisation_id", &org_id(&app, "ngo-a").await)],
            )
            .await;
        assert_eq!(
            directory.0 == StatusCode::OK,
            email == ADMIN,
            "{email} get_directory"
        );
    }
}

on_both_databases!(
    a_referral_goes_to_the_partner_and_its_outcome_comes_back,
    a_partner_sees_only_referrals_to_its_own_organisation,
    a_family_without_sharing_consent_cannot_be_referred,
    only_an_organisation_offering_the_service_there_can_be_chosen,
    referral_functions_against_every_role,
);
