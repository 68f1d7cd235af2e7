//! Changing a family's record: conflicting edits, duplicates confirmed, consent withdrawn,
//! assignment, people added and edited, and the record page as the server renders it.

use crate::common::*;
use crate::families::{refs, register_ahmadi, registration, AHMADI};
use crate::on_both_databases;
use reqwest::StatusCode;
use serde_json::json;

async fn a_second_editor_gets_a_conflict_and_nothing_is_overwritten(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let first = app.signed_in(CASEWORKER).await;
    let second = app.signed_in(SUPERVISOR).await;
    let (_, loaded) = second.call("get_case", &[("family_id", &id)]).await;
    let version = loaded["version"].to_string();
    let edit = |district: &'static str, phone: &'static str, version: String| {
        vec![
            ("family_id", id.clone()),
            ("version", version),
            ("household[province]", "AF-KAB".to_string()),
            ("household[district]", district.to_string()),
            ("household[address]", "Behind the blue mosque".to_string()),
            ("household[phone]", phone.to_string()),
            ("household[return_date]", "2026-10-02".to_string()),
            ("household[returned_from]", "IR".to_string()),
            ("household[return_type]", "deported".to_string()),
        ]
    };
    let a = edit("District 9", "0701 234 567", version.clone());
    let (status, new_version) = first
        .call(
            "update_household",
            &a.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!((status, new_version), (StatusCode::OK, json!(2)));
    let b = edit("District 3", "0799 000 111", version);
    let (status, body) = second
        .call(
            "update_household",
            &b.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!((status, body), (StatusCode::CONFLICT, json!("Conflict")));
    let (_, now) = second.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(now["district"], "District 9", "the first save stands");
    assert_eq!(now["phone"], "0701 234 567");
    let change = &now["events"][0];
    assert_eq!(
        (
            change["kind"].clone(),
            change["fields"].clone(),
            change["version"].clone()
        ),
        (json!("household_edited"), json!(["district"]), json!(2))
    );
    // Saving again from the newer version goes through.
    let c = edit("District 3", "0799 000 111", "2".into());
    let (status, _) = second
        .call(
            "update_household",
            &c.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn a_possible_duplicate_is_flagged_until_confirmed_and_the_confirmation_is_recorded(
    app: TestApp,
) {
    app.people().await;
    let first = register_ahmadi(&app).await;
    let c = app.signed_in(SUPERVISOR).await;
    // The same man, spelled differently, a year older, no document.
    let again = registration(
        "AF-HER",
        &[(
            "محمد احمدي",
            "Muhammad Ahmady",
            "Abdulkarim",
            "male",
            "43",
            "head",
            "",
        )],
    );
    let (status, body) = c.call("register_family", &refs(&again)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let candidates = body["PossibleDuplicates"].as_array().expect("candidates");
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0]["family_id"], first.as_str());
    assert_eq!(candidates[0]["reason"], "SimilarPerson");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM family").await,
        1,
        "nothing saved yet"
    );
    // The same tazkira is a candidate whatever the name.
    let doc = registration(
        "AF-KAB",
        &[(
            "",
            "Someone Else",
            "",
            "male",
            "20",
            "head",
            "1399 0101 12345",
        )],
    );
    let (_, body) = c.call("register_family", &refs(&doc)).await;
    assert_eq!(body["PossibleDuplicates"][0]["reason"], "SameDocument");
    // A caseworker of another province does not learn of a case outside their areas.
    app.user("cw.herat@test.org", "caseworker", "morr", &["AF-HER"])
        .await;
    let (status, _) = app
        .signed_in("cw.herat@test.org")
        .await
        .call("register_family", &refs(&again))
        .await;
    assert_eq!(status, StatusCode::OK, "no candidate in their scope");
    // Confirmed: saved, and the check is on the timeline and in the audit log.
    let mut confirmed = again.clone();
    confirmed.push(("confirmed_distinct".into(), "yes".into()));
    let (status, id) = c.call("register_family", &refs(&confirmed)).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let (_, case) = c
        .call("get_case", &[("family_id", id.as_str().unwrap())])
        .await;
    let check = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "duplicate_check_confirmed")
        .expect("recorded");
    assert!(check["text"].as_str().unwrap().contains("AF-2026-000001"));
    assert!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'duplicate_check_confirmed'")
            .await
            >= 1
    );
}

async fn withdrawn_sharing_consent_takes_effect_at_once(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let (status, _) = c
        .call(
            "record_consent",
            &[
                ("family_id", &id),
                ("kind", "sharing"),
                ("given", "no"),
                ("given_by", "Mohammad Ahmadi"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(case["sharing_consent"], false);
    assert_eq!(case["registration_consent"], true);
    assert_eq!(case["events"][0]["kind"], "consent_withdrawn");
    let (status, body) = c
        .call(
            "record_consent",
            &[
                ("family_id", &id),
                ("kind", "gossip"),
                ("given", "maybe"),
                ("given_by", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"Invalid": {"kind": "InvalidChoice", "given": "InvalidChoice", "given_by": "Required"}})
    );
}

async fn a_supervisor_assigns_only_to_caseworkers_of_the_province(app: TestApp) {
    let people = app.people().await;
    let herat = app
        .user("cw.herat@test.org", "caseworker", "morr", &["AF-HER"])
        .await;
    let id = register_ahmadi(&app).await;
    let sup = app.signed_in(SUPERVISOR).await;
    let (_, list) = sup.call("list_assignable", &[("family_id", &id)]).await;
    assert_eq!(
        list,
        json!([{"user_id": people.caseworker, "name": "User cw.af@test.org"}])
    );
    for wrong in [
        herat.as_str(),
        people.caseworker_iq.as_str(),
        people.supervisor.as_str(),
    ] {
        let (status, body) = sup
            .call(
                "assign_case",
                &[("family_id", &id), ("version", "1"), ("user_id", wrong)],
            )
            .await;
        assert_eq!(
            (status, body),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"Invalid": {"user_id": "InvalidChoice"}})
            )
        );
    }
}

async fn people_are_added_and_edited_and_the_family_keeps_one_head(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let add = [
        ("family_id", id.as_str()),
        ("version", "1"),
        ("member[name_local]", "علی"),
        ("member[sex]", "male"),
        ("member[birth_date]", "1404-01-10"),
        ("calendar", "solar_hijri"),
        ("member[relationship]", "son"),
        ("member[needs][]", "disability"),
    ];
    let (status, v) = c.call("save_member", &add).await;
    assert_eq!((status, v), (StatusCode::OK, json!(2)));
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    let ali = &case["members"][3];
    assert_eq!(
        (ali["birth_date"].clone(), ali["needs"].clone()),
        (json!("2025-03-30"), json!(["disability"]))
    );
    // A second head is refused and nothing changes.
    let head_again = [
        ("family_id", id.as_str()),
        ("member_id", ali["member_id"].as_str().unwrap()),
        ("version", "2"),
        ("member[name_local]", "علی"),
        ("member[sex]", "male"),
        ("member[age]", "1"),
        ("member[relationship]", "head"),
    ];
    let (status, body) = c.call("save_member", &head_again).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"member[relationship]": "InvalidChoice"}})
        )
    );
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(case["version"], 2);
    assert_eq!(case["members"][3]["relationship"], "son");
    let (status, _) = c
        .call(
            "save_member",
            &[
                ("family_id", id.as_str()),
                ("member_id", "nope"),
                ("version", "2"),
                ("member[name_local]", "x y"),
                ("member[sex]", "male"),
                ("member[age]", "1"),
                ("member[relationship]", "son"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_plain_form_adds_a_person_block_without_losing_what_was_typed(app: TestApp) {
    app.people().await;
    let c = app.signed_in(CASEWORKER).await;
    let mut form = registration("AF-KAB", &AHMADI[..1]);
    form.push(("intent".into(), "add_member".into()));
    let res = c
        .post_form("register_family", "/cases/new", &refs(&form))
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()["location"], "/cases/new?members=2");
    let (_, html, _) = c.page("/cases/new?members=2").await;
    assert!(
        html.contains("value=\"Mohammad Ahmadi\""),
        "typed values come back"
    );
    assert!(
        html.contains("name=\"members[1][name_local]\""),
        "a second person block"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM family").await, 0);
}

async fn the_family_page_is_rendered_on_the_server_for_those_who_may_see_it(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let (status, html, _) = app
        .signed_in(CASEWORKER)
        .await
        .page(&format!("/cases/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("AF-2026-000001") && html.contains("Zahra Ahmadi"));
    let (status, html, _) = app
        .signed_in(CASEWORKER_IQ)
        .await
        .page(&format!("/cases/{id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("Ahmadi"), "nothing of the family leaks");
}

on_both_databases!(
    a_second_editor_gets_a_conflict_and_nothing_is_overwritten,
    a_possible_duplicate_is_flagged_until_confirmed_and_the_confirmation_is_recorded,
    withdrawn_sharing_consent_takes_effect_at_once,
    a_supervisor_assigns_only_to_caseworkers_of_the_province,
    people_are_added_and_edited_and_the_family_keeps_one_head,
    a_plain_form_adds_a_person_block_without_losing_what_was_typed,
    the_family_page_is_rendered_on_the_server_for_those_who_may_see_it,
);
