//! Finding people by name across scripts (issue 12): a Latin spelling finds the name
//! registered in Arabic script and back, the script typed ranks first, prefixes find names
//! while typing, the index stays inside the caller's provinces and follows a family that
//! moves, the duplicate check at registration compares across scripts, and the index is
//! rebuilt from the members after a migration asks for it.

use crate::common::*;
use crate::families::{refs, registration};
use crate::on_both_databases;
use reqwest::StatusCode;
use serde_json::{json, Value};

type Person<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

/// Registers a family of one as the Kabul supervisor; answers its id.
async fn register(app: &TestApp, province: &str, person: Person<'_>) -> String {
    let (status, id) = app
        .signed_in(SUPERVISOR)
        .await
        .call("register_family", &refs(&registration(province, &[person])))
        .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    id.as_str().expect("an id, not duplicates").to_string()
}

/// The ids found by a search, in the order listed, and the total.
async fn search(app: &TestApp, email: &str, filter: &[(&str, &str)]) -> (Vec<String>, Value) {
    let (status, page) = app.signed_in(email).await.call("list_cases", filter).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let ids = page["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["family_id"].as_str().unwrap().to_string())
        .collect();
    (ids, page["total"].clone())
}

async fn a_name_is_found_in_either_script_and_the_script_typed_ranks_first(app: TestApp) {
    app.people().await;
    let arabic = register(
        &app,
        "AF-KAB",
        ("محمد کریمی", "", "احمد", "male", "41", "head", ""),
    )
    .await;
    let latin = register(
        &app,
        "AF-KAB",
        ("", "Mohammad Karimi", "Rahim", "male", "30", "head", ""),
    )
    .await;
    let mahmoud = register(
        &app,
        "AF-KAB",
        ("محمود کریمی", "", "نادر", "male", "52", "head", ""),
    )
    .await;
    let herat = register(
        &app,
        "AF-HER",
        ("", "Muhammad Karimi", "Yusuf", "male", "25", "head", ""),
    )
    .await;

    // Latin finds the Latin spellings first, then the name in Arabic script; never محمود.
    let (ids, total) = search(&app, SUPERVISOR, &[("filter[q]", "Mohammad Karimi")]).await;
    assert_eq!(total, 3);
    assert_eq!(ids[2], arabic, "the other script last: {ids:?}");
    assert!(ids[..2].contains(&latin) && ids[..2].contains(&herat));
    assert!(!ids.contains(&mahmoud));
    // Arabic script finds its own script first, then the Latin names.
    let (ids, total) = search(&app, SUPERVISOR, &[("filter[q]", "محمد کریمی")]).await;
    assert_eq!((total, ids[0].as_str()), (json!(3), arabic.as_str()));
    let (ids, _) = search(&app, SUPERVISOR, &[("filter[q]", "محمود")]).await;
    assert_eq!(ids, [mahmoud.as_str()]);
    // While typing: a prefix finds the names it begins, in the script typed.
    let (ids, _) = search(&app, SUPERVISOR, &[("filter[q]", "moh")]).await;
    assert_eq!(ids, [latin.as_str()]);
    let (_, total) = search(&app, SUPERVISOR, &[("filter[q]", "کری")]).await;
    assert_eq!(total, 2, "کریمی twice in Arabic script");
    // A caseworker of Kabul finds nothing in Herat, whatever the script.
    let (ids, total) = search(&app, CASEWORKER, &[("filter[q]", "Karimi")]).await;
    assert_eq!(total, 3);
    assert!(!ids.contains(&herat));
    // Filters and sorting apply to what the search found.
    let (ids, _) = search(
        &app,
        SUPERVISOR,
        &[("filter[q]", "karimi"), ("filter[province]", "AF-HER")],
    )
    .await;
    assert_eq!(ids, [herat.as_str()]);
    let (ids, _) = search(
        &app,
        SUPERVISOR,
        &[("filter[q]", "karimi"), ("filter[status]", "closed")],
    )
    .await;
    assert!(ids.is_empty());
    let (ids, total) = search(
        &app,
        SUPERVISOR,
        &[("filter[q]", "karimi"), ("filter[sort]", "case_number")],
    )
    .await;
    assert_eq!(total, 4);
    assert_eq!(
        ids,
        [herat.clone(), mahmoud, latin, arabic],
        "newest case number first"
    );

    // The family in Herat moves to Kabul: its names move with it.
    let version = app.version("family", &herat).await;
    let (status, body) = app
        .signed_in(SUPERVISOR)
        .await
        .call(
            "update_household",
            &[
                ("family_id", herat.as_str()),
                ("version", version.as_str()),
                ("household[province]", "AF-KAB"),
                ("household[district]", "District 3"),
                ("household[return_date]", "2026-10-02"),
                ("household[returned_from]", "IR"),
                ("household[return_type]", "deported"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (ids, _) = search(&app, CASEWORKER, &[("filter[q]", "Muhammad")]).await;
    assert!(ids.contains(&herat), "found in Kabul now");
}

async fn registration_warns_of_the_same_person_registered_in_the_other_script(app: TestApp) {
    app.people().await;
    let existing = register(
        &app,
        "AF-KAB",
        ("محمد کریمی", "", "احمد", "male", "41", "head", ""),
    )
    .await;
    let (status, body) = app
        .signed_in(CASEWORKER)
        .await
        .call(
            "register_family",
            &refs(&registration(
                "AF-KAB",
                &[("", "Mohammad Karimi", "Ahmad", "male", "41", "head", "")],
            )),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let candidates = body["PossibleDuplicates"].as_array().expect("candidates");
    assert_eq!(candidates.len(), 1, "{body}");
    assert_eq!(candidates[0]["family_id"], existing.as_str());
    assert_eq!(candidates[0]["reason"], "SimilarPerson");
    // Another man of that name, with another father, is not flagged.
    let (_, body) = app
        .signed_in(CASEWORKER)
        .await
        .call(
            "register_family",
            &refs(&registration(
                "AF-KAB",
                &[("", "Mohammad Karimi", "Nader", "male", "41", "head", "")],
            )),
        )
        .await;
    assert!(body.is_string(), "registered: {body}");
}

async fn the_index_is_rebuilt_from_the_members_when_a_migration_asks(app: TestApp) {
    app.people().await;
    let id = register(
        &app,
        "AF-KAB",
        ("محمد کریمی", "", "احمد", "male", "41", "head", ""),
    )
    .await;
    let db = &app.state.db;
    sqlx::query("DELETE FROM name_index")
        .execute(&db.pool)
        .await
        .unwrap();
    let (_, total) = search(&app, SUPERVISOR, &[("filter[q]", "Mohammad")]).await;
    assert_eq!(total, 0, "the index is what search reads");
    sqlx::query("INSERT INTO pending_rebuild (what) VALUES ('name_index')")
        .execute(&db.pool)
        .await
        .unwrap();
    app::backend::store::bulk::rebuild_name_index_if_pending(db)
        .await
        .unwrap();
    let (ids, _) = search(&app, SUPERVISOR, &[("filter[q]", "Mohammad")]).await;
    assert_eq!(ids, [id]);
    assert_eq!(app.count("SELECT COUNT(*) FROM pending_rebuild").await, 0);
}

on_both_databases!(
    a_name_is_found_in_either_script_and_the_script_typed_ranks_first,
    registration_warns_of_the_same_person_registered_in_the_other_script,
    the_index_is_rebuilt_from_the_members_when_a_migration_asks,
);
