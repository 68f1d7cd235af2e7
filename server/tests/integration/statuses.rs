//! A case's status follows the one table of `shared::family::status`: registered → assessed
//! (an assessment) → in progress (a plan item confirmed, or a referral sent) → closed, and a
//! reopened case returns to the status its history earns.

use crate::common::*;
use crate::families::register_ahmadi;
use crate::on_both_databases;
use crate::referrals::{assessed_family, item, send};
use reqwest::StatusCode;
use serde_json::json;

async fn status(app: &TestApp, id: &str) -> String {
    let c = app.signed_in(SUPERVISOR).await;
    let (_, case) = c.call("get_case", &[("family_id", id)]).await;
    case["status"].as_str().unwrap().to_string()
}

/// Asked by the caseworker, approved by the supervisor.
async fn close(app: &TestApp, id: &str) {
    let cw = app.signed_in(CASEWORKER).await;
    let ask = [("family_id", id), ("reason", "reintegrated")];
    assert_eq!(cw.call("request_closure", &ask).await.0, StatusCode::OK);
    let sup = app.signed_in(SUPERVISOR).await;
    let approve = [("family_id", id), ("decision", "approve")];
    assert_eq!(sup.call("decide_closure", &approve).await.0, StatusCode::OK);
}

async fn reopen(app: &TestApp, id: &str) {
    let sup = app.signed_in(SUPERVISOR).await;
    let version = app.version("family", id).await;
    let form = [
        ("family_id", id),
        ("version", version.as_str()),
        ("reason", "The family came back to the office"),
    ];
    assert_eq!(sup.call("reopen_case", &form).await.0, StatusCode::OK);
}

async fn a_referral_sent_puts_the_case_in_progress(app: TestApp) {
    app.people().await;
    crate::referrals::directory(&app).await;
    let (id, plan) = assessed_family(&app).await;
    assert_eq!(status(&app, &id).await, "assessed");
    let (code, body) = send(&app, &id, item(&plan, "housing"), "housing", "ngo-a").await;
    assert_eq!(code, StatusCode::OK, "{body}");
    assert_eq!(status(&app, &id).await, "in_progress");
    // A second referral changes nothing more; closing and reopening return it there.
    close(&app, &id).await;
    assert_eq!(status(&app, &id).await, "closed");
    reopen(&app, &id).await;
    assert_eq!(status(&app, &id).await, "in_progress");
}

async fn a_reopened_case_returns_to_what_its_history_earns_not_to_in_progress(app: TestApp) {
    app.people().await;
    let registered = register_ahmadi(&app).await;
    close(&app, &registered).await;
    reopen(&app, &registered).await;
    assert_eq!(status(&app, &registered).await, "registered");

    let cw = app.signed_in(CASEWORKER).await;
    let form = crate::assessments::form(
        &registered,
        "2026-10-20",
        &crate::assessments::answers(true),
    );
    let (code, _) = cw
        .call("record_assessment", &crate::assessments::refs(&form))
        .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(status(&app, &registered).await, "assessed");
    close(&app, &registered).await;
    reopen(&app, &registered).await;
    assert_eq!(status(&app, &registered).await, "assessed");
    // The timeline tells the story; the status filter finds it where it is.
    let (_, page) = cw
        .call("list_cases", &[("filter[status]", "assessed")])
        .await;
    assert_eq!(page["total"], json!(1));
    let (_, page) = cw.call("list_cases", &[("filter[status]", "open")]).await;
    assert_eq!(page["total"], json!(1));
    close(&app, &registered).await;
    let (_, page) = cw.call("list_cases", &[("filter[status]", "open")]).await;
    assert_eq!(page["total"], json!(0));
}

on_both_databases!(
    a_referral_sent_puts_the_case_in_progress,
    a_reopened_case_returns_to_what_its_history_earns_not_to_in_progress,
);
