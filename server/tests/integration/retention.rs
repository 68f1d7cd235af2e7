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
    crate::referrals::completed_referral(app, None, "Shelter kit delivered").await
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

/// What a partner still sees of a referral: its own record (reference, status, outcome), and
/// nothing of the family.
async fn record_only(c: &Client, referral: &str, status: &str) {
    let (code, view) = c.call("get_referral", &[("referral_id", referral)]).await;
    assert_eq!(code, StatusCode::OK, "{view}");
    assert_eq!(view["status"], status);
    assert_eq!(view["family"], json!(null), "no personal data: {view}");
    assert_eq!(view["note"], json!(null), "the caseworker's note goes too");
    for personal in ["Ahmadi", "احمدی", "0701", "District 8", "tent"] {
        assert!(!view.to_string().contains(personal), "{personal} in {view}");
    }
}

async fn a_partner_loses_sight_of_the_family_after_cancel_decline_or_withdrawn_consent(
    app: TestApp,
) {
    app.people().await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let a = app.signed_in(PARTNER).await;
    let gone = (StatusCode::NOT_FOUND, json!("NotFound"));

    // Cancelled by the caseworker.
    let (_, r1) = send(&app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    let r1 = r1.as_str().unwrap().to_string();
    assert_eq!(
        a.call("get_referral", &[("referral_id", &r1)]).await.0,
        StatusCode::OK
    );
    let (_, list) = cw.call("case_referrals", &[("family_id", &family)]).await;
    let v = list[0]["version"].to_string();
    let (status, _) = cw
        .call(
            "cancel_referral",
            &[
                ("family_id", &family),
                ("referral_id", &r1),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    record_only(&a, &r1, "cancelled").await;
    let v = (v.parse::<i64>().unwrap() + 1).to_string();
    assert_eq!(
        a.call(
            "respond_referral",
            &[
                ("referral_id", &r1),
                ("version", &v),
                ("decision", "accept")
            ]
        )
        .await,
        gone
    );

    // Declined by the partner, with its reason; the caseworker refers again elsewhere.
    let (_, r2) = send(
        &app,
        &family,
        item(&plan, "income_sources"),
        "livelihood",
        "ngo-a",
    )
    .await;
    let r2 = r2.as_str().unwrap().to_string();
    let v = version(&a, &r2).await;
    let (status, body) = a
        .call(
            "respond_referral",
            &[
                ("referral_id", &r2),
                ("version", &v),
                ("decision", "decline"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"reason": "Required"}})
        )
    );
    let (status, _) = a
        .call(
            "respond_referral",
            &[
                ("referral_id", &r2),
                ("version", &v),
                ("decision", "decline"),
                ("reason", "No places until spring"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    record_only(&a, &r2, "declined").await;
    let (_, list) = cw.call("case_referrals", &[("family_id", &family)]).await;
    assert_eq!(list[0]["decline_reason"], "No places until spring");
    let (status, r3) = send(
        &app,
        &family,
        item(&plan, "income_sources"),
        "livelihood",
        "ngo-b",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "re-referred after a decline");
    let r3 = r3.as_str().unwrap().to_string();
    let b = app.signed_in(PARTNER_B).await;
    assert_eq!(
        b.call("get_referral", &[("referral_id", &r3)]).await.0,
        StatusCode::OK
    );

    // The family withdraws its consent to sharing: every partner loses sight at once.
    let (status, _) = cw
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
    assert_eq!(status, StatusCode::OK);
    record_only(&b, &r3, "sent").await;
    let v = version(&b, &r3).await;
    assert_eq!(
        b.call(
            "respond_referral",
            &[
                ("referral_id", &r3),
                ("version", &v),
                ("decision", "accept")
            ]
        )
        .await,
        gone,
        "nothing more can be done with it"
    );
    let (_, inbox) = b.call("list_incoming", &[("tab", "new")]).await;
    assert!(inbox["rows"].as_array().unwrap().is_empty());
    assert_eq!(
        send(
            &app,
            &family,
            item(&plan, "distress"),
            "livelihood",
            "ngo-b"
        )
        .await,
        (StatusCode::UNPROCESSABLE_ENTITY, json!("NoSharingConsent"))
    );
}

on_both_databases!(
    a_partner_loses_sight_of_the_family_after_cancel_decline_or_withdrawn_consent,
    a_completed_referral_keeps_its_outcome_but_not_the_people_after_thirty_days,
    closing_the_case_starts_the_period_for_open_referrals_too,
    withdrawn_consent_ends_sight_at_once_even_on_a_closed_case,
);
