//! How long a partner sees the people behind a referral: while it is open; for the retention
//! period after it was completed or its case closed; never after a withdrawn consent, which
//! can be withdrawn on a closed case too and takes effect at once.

use crate::common::*;
use crate::on_both_databases;
use crate::referrals::{assessed_family, directory, item, send, version};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A referral to ngo-a, accepted and completed by its partner. Answers (family, referral).
async fn completed_referral(app: &TestApp) -> (String, String) {
    let (family, plan) = assessed_family(app).await;
    let (status, r) = send(app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let r = r.as_str().unwrap().to_string();
    let p = app.signed_in(PARTNER).await;
    let v = version(&p, &r).await;
    p.call(
        "respond_referral",
        &[("referral_id", &r), ("version", &v), ("decision", "accept")],
    )
    .await;
    let v = version(&p, &r).await;
    let (status, body) = p
        .call(
            "complete_referral",
            &[
                ("referral_id", &r),
                ("version", &v),
                ("outcome", "Shelter kit delivered"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (family, r)
}

async fn partner_view(app: &TestApp, referral: &str) -> Value {
    let (status, v) = app
        .signed_in(PARTNER)
        .await
        .call("get_referral", &[("referral_id", referral)])
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

async fn a_completed_referral_keeps_its_outcome_but_not_the_people_after_thirty_days(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let (_, r) = completed_referral(&app).await;
    app.advance(Duration::days(29));
    let v = partner_view(&app, &r).await;
    assert_eq!(
        v["family"]["people"][0][1], "Mohammad Ahmadi",
        "still in the period"
    );
    app.advance(Duration::days(2));
    let v = partner_view(&app, &r).await;
    assert_eq!(v["family"], json!(null));
    assert_eq!(v["outcome"], "Shelter kit delivered", "the record stays");
    assert_eq!(v["case_number"], "AF-2026-000001");
    for personal in ["Ahmadi", "احمدی", "0701", "District 8", "tent"] {
        assert!(!v.to_string().contains(personal), "{personal}: {v}");
    }
}

async fn closing_the_case_starts_the_period_for_open_referrals_too(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    let (_, r) = send(&app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    let r = r.as_str().unwrap().to_string();
    let cw = app.signed_in(CASEWORKER).await;
    cw.call(
        "request_closure",
        &[("family_id", &family), ("reason", "moved_away")],
    )
    .await;
    let sup = app.signed_in(SUPERVISOR).await;
    let (status, body) = sup
        .call(
            "decide_closure",
            &[("family_id", &family), ("decision", "approve")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The closure cancelled the referral: the partner keeps its record, not the people.
    let v = partner_view(&app, &r).await;
    assert_eq!(v["status"], "cancelled");
    assert_eq!(v["family"], json!(null));
}

async fn withdrawn_consent_ends_sight_at_once_even_on_a_closed_case(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let (family, r) = completed_referral(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    cw.call(
        "request_closure",
        &[("family_id", &family), ("reason", "reintegrated")],
    )
    .await;
    let sup = app.signed_in(SUPERVISOR).await;
    sup.call(
        "decide_closure",
        &[("family_id", &family), ("decision", "approve")],
    )
    .await;
    assert_ne!(
        partner_view(&app, &r).await["family"],
        json!(null),
        "within the period after completion"
    );
    // Giving consent is a change to a closed case; withdrawing it is not refused.
    assert_eq!(
        cw.call(
            "record_consent",
            &[
                ("family_id", &family),
                ("kind", "sharing"),
                ("given", "yes"),
                ("given_by", "Head of household"),
            ],
        )
        .await,
        (StatusCode::CONFLICT, json!("CaseClosed"))
    );
    let (status, body) = cw
        .call(
            "record_consent",
            &[
                ("family_id", &family),
                ("kind", "sharing"),
                ("given", "no"),
                ("given_by", "Head of household"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(partner_view(&app, &r).await["family"], json!(null));
    let (_, case) = cw.call("get_case", &[("family_id", &family)]).await;
    assert_eq!(case["sharing_consent"], false);
    assert_eq!(case["events"][0]["kind"], "consent_withdrawn");
}

on_both_databases!(
    a_completed_referral_keeps_its_outcome_but_not_the_people_after_thirty_days,
    closing_the_case_starts_the_period_for_open_referrals_too,
    withdrawn_consent_ends_sight_at_once_even_on_a_closed_case,
);
