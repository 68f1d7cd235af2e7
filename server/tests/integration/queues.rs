//! The queues of `/work`: referrals waiting for an organisation's answer (an overdue answer
//! marked on the page) and closure requests waiting for a supervisor — the caseworker's own
//! cases, a supervisor's whole country, nobody else's.

use crate::common::*;
use crate::on_both_databases;
use crate::referrals::{assessed_family, directory, item, send, version};
use reqwest::StatusCode;
use serde_json::Value;

async fn queue(app: &TestApp, email: &str, list: &str) -> Vec<Value> {
    let (code, v) = app
        .signed_in(email)
        .await
        .call("work_list", &[("list", list)])
        .await;
    assert_eq!(code, StatusCode::OK, "{email}: {v}");
    v["rows"].as_array().unwrap().clone()
}

async fn referrals_and_closures_wait_in_queues_until_answered(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    let (code, referral) = send(&app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    assert_eq!(code, StatusCode::OK, "{referral}");
    let referral = referral.as_str().unwrap().to_string();

    for email in [CASEWORKER, SUPERVISOR] {
        let rows = queue(&app, email, "referrals").await;
        assert_eq!(rows.len(), 1, "{email}");
        assert_eq!(rows[0]["case_number"], "AF-2026-000001");
        assert_eq!(rows[0]["detail"], "Organisation ngo-a");
    }
    assert!(queue(&app, SUPERVISOR_IQ, "referrals").await.is_empty());
    let other = "cw2.af@test.org";
    app.user(other, "caseworker", "morr", &["AF-KAB"]).await;
    assert!(
        queue(&app, other, "referrals").await.is_empty(),
        "a colleague's cases are not in a caseworker's queue"
    );

    // Overdue: the page marks it; answered: it leaves the queue.
    app.advance(chrono::Duration::days(30));
    let cw = app.signed_in(CASEWORKER).await;
    let (_, body, _) = cw.page("/work?list=referrals").await;
    assert!(body.contains("class=\"overdue\""), "{body}");
    assert!(body.contains("Organisation ngo-a"), "{body}");
    let partner = app.signed_in(PARTNER).await;
    let v = version(&partner, &referral).await;
    let accept = [
        ("referral_id", referral.as_str()),
        ("version", v.as_str()),
        ("decision", "accept"),
    ];
    assert_eq!(
        partner.call("respond_referral", &accept).await.0,
        StatusCode::OK
    );
    assert!(queue(&app, CASEWORKER, "referrals").await.is_empty());

    // A closure request waits for a supervisor: in both queues until decided.
    let ask = [("family_id", family.as_str()), ("reason", "reintegrated")];
    assert_eq!(cw.call("request_closure", &ask).await.0, StatusCode::OK);
    for email in [CASEWORKER, SUPERVISOR] {
        let rows = queue(&app, email, "closures").await;
        assert_eq!(rows.len(), 1, "{email}");
        assert_eq!(rows[0]["detail"], "reintegrated");
    }
    let sup = app.signed_in(SUPERVISOR).await;
    let (_, body, _) = sup.page("/work?list=closures").await;
    assert!(body.contains("Reintegrated"), "{body}");
    assert!(body.contains("#closure"), "{body}");
    let approve = [("family_id", family.as_str()), ("decision", "approve")];
    assert_eq!(sup.call("decide_closure", &approve).await.0, StatusCode::OK);
    assert!(queue(&app, SUPERVISOR, "closures").await.is_empty());
}

on_both_databases!(referrals_and_closures_wait_in_queues_until_answered);
