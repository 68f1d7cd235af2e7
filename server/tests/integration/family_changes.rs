//! A family that changes: people who leave or die (and who heads the household then), a
//! newborn added, several identity documents per person, the return of internally displaced
//! people, closure as a duplicate — and the SQLite migration that made room for them.

use crate::common::*;
use crate::families::{refs, register_ahmadi, registration};
use crate::on_both_databases;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Saves a member with `fields` (`member[...]` and others) over its required ones.
async fn save(
    c: &Client,
    id: &str,
    member: &Value,
    version: i64,
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let version = version.to_string();
    let mut form = vec![
        ("family_id", id),
        ("member_id", member["member_id"].as_str().unwrap()),
        ("version", version.as_str()),
        ("member[name_local]", member["name_local"].as_str().unwrap()),
        ("member[sex]", member["sex"].as_str().unwrap()),
        (
            "member[relationship]",
            member["relationship"].as_str().unwrap(),
        ),
        ("calendar", "gregorian"),
    ];
    let age = member["estimated_age"].to_string();
    form.push(("member[age]", age.as_str()));
    form.extend_from_slice(fields);
    c.call("save_member", &form).await
}

async fn people_leave_or_die_and_stay_on_the_record_out_of_the_household_size(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    let (head, spouse, daughter) = (
        case["members"][0].clone(),
        case["members"][1].clone(),
        case["members"][2].clone(),
    );
    let size = format!("SELECT member_count FROM family WHERE family_id = '{id}'");

    // Leaving needs the day; a day in the future is refused.
    let (status, body) = save(&c, &id, &daughter, 1, &[("member[presence]", "departed")]).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"member[left_on]": "Required"}})
        )
    );
    let left = [
        ("member[presence]", "departed"),
        ("member[left_on]", "2026-10-20"),
    ];
    assert_eq!(
        save(&c, &id, &daughter, 1, &left).await,
        (StatusCode::OK, json!(2))
    );
    assert_eq!(
        app.count(&size).await,
        2,
        "the household counts who lives in it"
    );

    // The head cannot die without someone to head the household next.
    let died = [
        ("member[presence]", "deceased"),
        ("member[left_on]", "2026-10-25"),
    ];
    assert_eq!(
        save(&c, &id, &head, 2, &died).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"new_head": "HeadMustBePresent"}})
        )
    );
    // Nor hand it to someone who is no longer there.
    let to_daughter = [
        died.as_slice(),
        &[("new_head", daughter["member_id"].as_str().unwrap())],
    ]
    .concat();
    assert_eq!(
        save(&c, &id, &head, 2, &to_daughter).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"new_head": "InvalidChoice"}})
        )
    );
    assert_eq!(app.version("family", &id).await, "2", "nothing half-saved");
    let to_spouse = [
        died.as_slice(),
        &[("new_head", spouse["member_id"].as_str().unwrap())],
    ]
    .concat();
    assert_eq!(
        save(&c, &id, &head, 2, &to_spouse).await,
        (StatusCode::OK, json!(3))
    );
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    let m = &case["members"];
    assert_eq!(
        (m[0]["presence"].clone(), m[0]["left_on"].clone()),
        (json!("deceased"), json!("2026-10-25"))
    );
    assert_eq!(m[1]["relationship"], "head");
    assert_eq!(m[2]["presence"], "departed");
    let kinds: Vec<&str> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["member_died", "member_edited", "member_departed"]);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM family WHERE family_id = '{id}'
             AND member_count = 1 AND head_name_latin = 'Fatima Ahmadi'"
        ))
        .await,
        1,
        "the list shows the new head"
    );

    // A baby born since the return is added to the household.
    let newborn = [
        ("family_id", id.as_str()),
        ("version", "3"),
        ("member[name_local]", "مریم"),
        ("member[sex]", "female"),
        ("member[birth_date]", "2026-10-30"),
        ("member[relationship]", "grandchild"),
        ("calendar", "gregorian"),
    ];
    assert_eq!(
        c.call("save_member", &newborn).await,
        (StatusCode::OK, json!(4))
    );
    assert_eq!(app.count(&size).await, 2);
    // Registration records the people who came back, not who left before.
    let mut form = registration(
        "AF-KAB",
        &[("یوسف", "Yusuf", "Ali", "male", "30", "head", "")],
    );
    form.push(("members[0][presence]".into(), "deceased".into()));
    form.push(("members[0][left_on]".into(), "2026-10-01".into()));
    let (status, body) = c.call("register_family", &refs(&form)).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"members[0][presence]": "InvalidChoice"}})
        )
    );
}

async fn a_person_holds_several_documents_and_any_of_them_finds_a_duplicate(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    let head = case["members"][0].clone();
    let docs = [
        ("member[documents][tazkira]", "1399-0101-12345"),
        ("member[documents][passport]", "p 0123 456"),
        ("member[documents][por_card]", ""),
    ];
    assert_eq!(
        save(&c, &id, &head, 1, &docs).await,
        (StatusCode::OK, json!(2))
    );
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(
        case["members"][0]["documents"],
        json!([["passport", "P0123456"], ["tazkira", "1399010112345"]])
    );
    let bad = [("member[documents][ration_card]", "12")];
    assert_eq!(
        save(&c, &id, &head, 2, &bad).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"member[documents][ration_card]": "InvalidChoice"}})
        )
    );

    // Another name, the same passport: the registration stops at the possible duplicate.
    let mut other = registration(
        "AF-KAB",
        &[("کریم", "Karim", "Nabi", "male", "50", "head", "")],
    );
    other.push(("members[0][documents][passport]".into(), "P0123456".into()));
    let (status, body) = c.call("register_family", &refs(&other)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let found = &body["PossibleDuplicates"][0];
    assert_eq!(
        (found["family_id"].as_str(), found["reason"].as_str()),
        (Some(id.as_str()), Some("SameDocument"))
    );
}

async fn internally_displaced_families_come_back_from_a_province_of_their_country(app: TestApp) {
    app.people().await;
    let c = app.signed_in(CASEWORKER).await;
    let idp = |displaced_from: &str, returned_from: &str| {
        let mut f = registration(
            "AF-KAB",
            &[("نصیر", "Nasir Hotak", "Gul", "male", "35", "head", "")],
        );
        for (k, v) in f.iter_mut() {
            match k.as_str() {
                "household[return_type]" => *v = "idp_return".into(),
                "household[returned_from]" => *v = returned_from.into(),
                _ => {}
            }
        }
        f.push(("household[displaced_from]".into(), displaced_from.into()));
        f
    };
    let (status, body) = c.call("register_family", &refs(&idp("", ""))).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"household[displaced_from]": "Required"}})
        )
    );
    let (status, body) = c.call("register_family", &refs(&idp("AF-HER", "IR"))).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"household[returned_from]": "NotForThisReturn"}})
        )
    );
    let (status, id) = c.call("register_family", &refs(&idp("AF-HER", ""))).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_str().unwrap().to_string();
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(
        (
            case["return_type"].clone(),
            case["displaced_from"].clone(),
            case["returned_from"].clone()
        ),
        (json!("idp_return"), json!("AF-HER"), json!("AF"))
    );
    // The page says where they were displaced to.
    let (_, page, _) = c.page(&format!("/cases/{id}")).await;
    assert!(
        page.contains("Province / governorate of displacement"),
        "{page}"
    );
    assert!(page.contains("Herat"));

    // Edited into a return from abroad, the province of displacement must go.
    let edit = |displaced_from: &'static str| {
        vec![
            ("family_id", id.clone()),
            ("version", "1".to_string()),
            ("household[province]", "AF-KAB".to_string()),
            ("household[district]", "District 8".to_string()),
            ("household[address]", "Behind the blue mosque".to_string()),
            ("household[phone]", "0701 234 567".to_string()),
            ("household[return_date]", "2026-10-02".to_string()),
            ("household[returned_from]", "PK".to_string()),
            ("household[return_type]", "deported".to_string()),
            ("household[displaced_from]", displaced_from.to_string()),
        ]
    };
    let (status, body) = c.call("update_household", &refs_of(&edit("AF-HER"))).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"household[displaced_from]": "NotForThisReturn"}})
        )
    );
    assert_eq!(
        c.call("update_household", &refs_of(&edit(""))).await,
        (StatusCode::OK, json!(2))
    );
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(case["displaced_from"], Value::Null);
    assert_eq!(
        case["events"][0]["fields"],
        json!(["returned_from", "return_type", "displaced_from"])
    );
}

fn refs_of<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn a_case_registered_twice_is_closed_as_a_duplicate(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let request = [("family_id", id.as_str()), ("reason", "duplicate")];
    assert_eq!(c.call("request_closure", &request).await.0, StatusCode::OK);
    let sup = app.signed_in(SUPERVISOR).await;
    let approve = [("family_id", id.as_str()), ("decision", "approve")];
    assert_eq!(sup.call("decide_closure", &approve).await.0, StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM case_closure WHERE reason = 'duplicate' AND decision = 'approved'")
            .await,
        1
    );
    let id2 = register_ahmadi_again(&app).await;
    let unknown = [("family_id", id2.as_str()), ("reason", "merged")];
    assert_eq!(
        c.call("request_closure", &unknown).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let error = [
        ("family_id", id2.as_str()),
        ("reason", "registered_in_error"),
    ];
    assert_eq!(c.call("request_closure", &error).await.0, StatusCode::OK);
}

/// A second family (another head, no document) for the closure test.
async fn register_ahmadi_again(app: &TestApp) -> String {
    let c = app.signed_in(CASEWORKER).await;
    let f = registration(
        "AF-KAB",
        &[("رحیم", "Rahim Safi", "Aziz", "male", "60", "head", "")],
    );
    let (status, id) = c.call("register_family", &refs(&f)).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    id.as_str().unwrap().to_string()
}

on_both_databases!(
    people_leave_or_die_and_stay_on_the_record_out_of_the_household_size,
    a_person_holds_several_documents_and_any_of_them_finds_a_duplicate,
    internally_displaced_families_come_back_from_a_province_of_their_country,
    a_case_registered_twice_is_closed_as_a_duplicate,
);

/// SQLite rebuilds `family`, `case_closure` and `member_document` to drop their CHECK
/// constraints (migration 0012). A database holding cases before it keeps every row, every
/// reference between them, and enforces foreign keys afterwards.
#[tokio::test]
async fn the_sqlite_rebuild_keeps_every_case_and_its_references() {
    use app::backend::db::Db;
    let path = std::env::temp_dir().join(format!("homeward-migration-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let db = Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let migrator = sqlx::migrate!("../migrations/sqlite");
    migrator.run_to(11, &db.pool).await.unwrap();
    for sql in [
        "INSERT INTO location (location_id, country, name_en, name_local) SELECT 'AF-KAB', 'AF', 'Kabul', 'کابل' WHERE NOT EXISTS (SELECT 1 FROM location WHERE location_id = 'AF-KAB')",
        "INSERT INTO family (family_id, case_number, case_seq, country, province, district, return_date,
             returned_from, return_type, status, member_count, registration_consent, sharing_consent,
             version, created_at, updated_at, last_contact_on)
         VALUES ('f1', 'AF-2026-000001', 1, 'AF', 'AF-KAB', 'District 8', '2026-10-02', 'IR',
             'deported', 'registered', 1, 1, 1, 3, '2026-10-03T08:00:00Z', '2026-10-04T08:00:00Z', '2026-10-04')",
        "INSERT INTO member (member_id, family_id, position, name_local, sex, estimated_age,
             age_recorded_on, birth_year, relationship, education, created_at, updated_at)
         VALUES ('m1', 'f1', 0, 'محمد', 'male', 42, '2026-10-03', 1984, 'head', 'unknown',
             '2026-10-03T08:00:00Z', '2026-10-03T08:00:00Z')",
        "INSERT INTO member_document (member_id, family_id, document_type, number)
         VALUES ('m1', 'f1', 'tazkira', '1399010112345')",
        "INSERT INTO case_note (case_note_id, family_id, created_at, body)
         VALUES ('n1', 'f1', '2026-10-03T08:00:00Z', 'First visit')",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    db.migrate().await.unwrap();

    let one = |sql: &'static str| {
        let pool = db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
        }
    };
    assert_eq!(
        one(
            "SELECT COUNT(*) FROM family WHERE family_id = 'f1' AND version = 3
             AND last_contact_on = '2026-10-04' AND displaced_from IS NULL"
        )
        .await,
        1
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM member WHERE presence = 'present'").await,
        1
    );
    assert_eq!(one("SELECT COUNT(*) FROM member_document").await, 1);
    assert_eq!(one("SELECT COUNT(*) FROM case_note").await, 1);
    assert_eq!(
        one("SELECT COUNT(*) FROM pragma_foreign_key_check").await,
        0
    );
    // The new codes are accepted, and references are enforced again.
    sqlx::query("UPDATE family SET return_type = 'idp_return', displaced_from = 'AF-KAB'")
        .execute(&db.pool)
        .await
        .unwrap();
    let orphan = sqlx::query(
        "INSERT INTO case_note (case_note_id, family_id, created_at, body)
         VALUES ('n2', 'nobody', '2026-10-03T08:00:00Z', 'x')",
    )
    .execute(&db.pool)
    .await;
    assert!(orphan.is_err(), "foreign keys are on again");
    // Deleting the family still cascades to what hangs from it.
    sqlx::query("DELETE FROM family")
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(one("SELECT COUNT(*) FROM member").await, 0);
    assert_eq!(one("SELECT COUNT(*) FROM case_note").await, 0);
    db.pool.close().await;
    let _ = std::fs::remove_file(&path);
}
