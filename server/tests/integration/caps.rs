//! Input that would cost more than it is worth is refused with a clear field error, before it
//! reaches the database: long searches, page numbers past the end of the numbers, a family
//! past its size, a second open referral of one need; typed wildcards match only themselves.

use crate::common::*;
use crate::families::{register_ahmadi, registration};
use crate::on_both_databases;
use crate::referrals::{assessed_family, directory, item, send};
use reqwest::StatusCode;
use serde_json::json;

async fn searches_are_capped_in_length_and_words(app: TestApp) {
    app.people().await;
    register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let long = "Mohammad ".repeat(12);
    assert_eq!(
        c.call("list_cases", &[("filter[q]", long.trim())]).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"q": {"TooLong": {"max": 100}}}})
        )
    );
    let many = "a b c d e f g h i j";
    assert_eq!(
        c.call("list_cases", &[("filter[q]", many)]).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"q": {"TooManyWords": {"max": 8}}}})
        )
    );
    // Ten thousand words used to reach the database's bind limit (a 500).
    let huge = "w ".repeat(10_000);
    assert_eq!(
        c.call("list_cases", &[("filter[q]", &huge)]).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, page) = c
        .call("list_cases", &[("filter[q]", "Mohammad Ahmadi")])
        .await;
    assert_eq!((status, page["total"].clone()), (StatusCode::OK, json!(1)));
}

async fn page_numbers_past_the_end_are_answered_not_overflowed(app: TestApp) {
    app.people().await;
    let admin = app.signed_in(ADMIN).await;
    for page in ["9223372036854775807", "-9223372036854775808", "0"] {
        let (status, body) = admin
            .call("list_audit_events", &[("filter[page]", page)])
            .await;
        assert_eq!(status, StatusCode::OK, "page {page}: {body}");
    }
    let c = app.signed_in(CASEWORKER).await;
    let (status, _) = c
        .call("list_cases", &[("filter[page]", "9223372036854775807")])
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn a_family_holds_thirty_people_however_they_are_added(app: TestApp) {
    app.people().await;
    let c = app.signed_in(CASEWORKER).await;
    let ages: Vec<String> = (0..30).map(|i| (i + 1).to_string()).collect();
    let members: Vec<(&str, &str, &str, &str, &str, &str, &str)> = ages
        .iter()
        .enumerate()
        .map(|(i, age)| {
            (
                "کریم",
                "Karim Zadran",
                "Nabi",
                "male",
                age.as_str(),
                if i == 0 { "head" } else { "son" },
                "",
            )
        })
        .collect();
    let form = registration("AF-KAB", &members);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, id) = c.call("register_family", &form).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_str().unwrap().to_string();
    let add = [
        ("family_id", id.as_str()),
        ("version", "1"),
        ("member[name_local]", "علی"),
        ("member[sex]", "male"),
        ("member[age]", "1"),
        ("member[relationship]", "son"),
    ];
    assert_eq!(
        c.call("save_member", &add).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"members": {"OutOfRange": {"min": 1, "max": 30}}}})
        )
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM member WHERE family_id = '{id}'"
        ))
        .await,
        30
    );
}

async fn a_need_has_one_open_referral_at_a_time(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    let housing = item(&plan, "housing");
    assert_eq!(
        send(&app, &family, housing, "housing", "ngo-a").await.0,
        StatusCode::OK
    );
    assert_eq!(
        send(&app, &family, housing, "housing", "ngo-a").await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"plan_item_id": "AlreadyReferred"}})
        )
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM referral").await, 1);
}

async fn typed_wildcards_match_only_themselves(app: TestApp) {
    app.people().await;
    let admin = app.signed_in(ADMIN).await;
    for q in ["%", "_", "%@%"] {
        let (status, users) = admin.call("list_users", &[("filter[q]", q)]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(users, json!([]), "{q} matched every account");
        let (_, log) = admin
            .call("list_audit_events", &[("filter[actor]", q)])
            .await;
        assert_eq!(log["total"], 0, "{q} matched every actor");
    }
    let (_, users) = admin.call("list_users", &[("filter[q]", "cw.af")]).await;
    assert_eq!(users.as_array().unwrap().len(), 1);
}

on_both_databases!(
    searches_are_capped_in_length_and_words,
    page_numbers_past_the_end_are_answered_not_overflowed,
    a_family_holds_thirty_people_however_they_are_added,
    a_need_has_one_open_referral_at_a_time,
    typed_wildcards_match_only_themselves,
);
