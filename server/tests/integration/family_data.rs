//! A family's own data: a supervisor exports everything held about it (JSON and the printable
//! summary), audited; its erasure is asked by one supervisor and carried out by another, and
//! leaves only the trail's ids.

use crate::anonymisation::closed_family;
use crate::common::*;
use crate::on_both_databases;
use crate::referrals::directory;
use app::backend::db::Backend;
use app::backend::store::retention::{OnErasure, FAMILY_TABLES};
use reqwest::StatusCode;
use serde_json::{json, Value};

const SUPERVISOR_2: &str = "sup2.af@test.org";

/// How many rows each table of the record holds about `family`.
async fn rows_per_table(app: &TestApp, family: &str) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for t in FAMILY_TABLES {
        let sql = format!("SELECT COUNT(*) FROM {} WHERE {}", t.name, t.rows);
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(family)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        counts.push((t.name, n));
    }
    counts
}

/// Every table with a `family_id` column.
async fn tables_about_families(app: &TestApp) -> Vec<String> {
    let sql = match app.state.db.backend {
        Backend::Sqlite => {
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p
             WHERE m.type = 'table' AND p.name = 'family_id' ORDER BY m.name"
        }
        Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND column_name = 'family_id'
             ORDER BY table_name"
        }
    };
    sqlx::query_scalar(sql)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

async fn a_supervisor_exports_everything_held_about_a_family(app: TestApp) {
    let people = app.people().await;
    directory(&app).await;
    let family = closed_family(&app).await;

    // Every table that holds rows about a family is in the record (name_index is derived
    // from the members, and goes with them).
    let listed: Vec<&str> = FAMILY_TABLES.iter().map(|t| t.name).collect();
    for table in tables_about_families(&app).await {
        assert!(
            table == "name_index" || listed.contains(&table.as_str()),
            "{table} holds rows about a family but is not in FAMILY_TABLES"
        );
    }

    let sup = app.signed_in(SUPERVISOR).await;
    let (status, body, headers) = sup.page(&format!("/cases/{family}/export.json")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["content-type"], "application/json");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"homeward-AF-2026-"),
        "{disposition}"
    );
    assert_eq!(headers["cache-control"], "no-store");
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["family_id"], json!(family));
    for (table, n) in rows_per_table(&app, &family).await {
        let rows = doc["tables"][table].as_array().unwrap();
        // The export's own audit entry is written as it is served: one more than counted.
        let expected = if table == "audit_event" { n - 1 } else { n };
        assert_eq!(rows.len() as i64, expected, "{table}");
        // The Ahmadis have no specific needs, nobody asked for their erasure, they were
        // registered once (no duplicate, nothing merged), and referred to an organisation with
        // accounts (no code: `coded.rs` exports one); they brought no papers (`documents.rs`
        // exports some).
        let none = [
            "member_need",
            "erasure_request",
            "possible_duplicate",
            "case_merge",
            "referral_code",
            "document",
            "document_share",
        ];
        if !none.contains(&table) {
            assert!(n > 0, "the fixture leaves {table} empty");
        }
    }
    // Values keep their types: text, numbers, nothing.
    let head = doc["tables"]["member"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["position"] == json!(0))
        .unwrap();
    assert_eq!(head["name_latin"], json!("Mohammad Ahmadi"));
    let entry = &doc["tables"]["audit_event"][0];
    assert!(entry["action"].is_string() && entry.get("client_addr").is_none());
    assert_eq!(head["birth_date"], Value::Null);
    for text in [
        "Uncle Rahim helps",
        "Housed with his cousin in Paghman",
        "Shelter kit handed to Abdul Karim",
        "Phone off; at his brother's in Jalalabad",
        "Karim works at the bakery",
        "1399010112345",
    ] {
        assert!(body.contains(text), "{text} missing from the export");
    }

    // The printable summary shows the same, and says when and by whom it was made.
    let (status, page, _) = sup.page(&format!("/cases/{family}/summary")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Everything held about the family"));
    assert!(page.contains("Uncle Rahim helps"));
    assert!(page.contains("Who opened or changed the record"));
    let (status, page, _) = sup.page(&format!("/cases/{family}/data")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Download (JSON)"));

    // Each copy is audited, with how it was made.
    let exports: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT detail, actor_user_id FROM audit_event WHERE action = 'family_exported'
         AND target_id = $1 ORDER BY audit_event_id",
    )
    .bind(&family)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    let supervisor = people.supervisor;
    assert_eq!(
        exports,
        vec![
            ("json".to_string(), Some(supervisor.clone())),
            ("summary".to_string(), Some(supervisor))
        ]
    );

    // Nobody else gets it, not even the caseworker of the case; strangers are asked to sign in.
    for email in [CASEWORKER, SUPERVISOR_IQ, PARTNER, MANAGER, ADMIN] {
        let c = app.signed_in(email).await;
        let (status, _, _) = c.page(&format!("/cases/{family}/export.json")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{email}");
    }
    let (status, _, _) = app
        .client()
        .page(&format!("/cases/{family}/export.json"))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = sup.page("/cases/no-such-family/export.json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn erasure_needs_a_second_supervisor_and_leaves_only_the_trail(app: TestApp) {
    app.people().await;
    let supervisor_2 = app.user(SUPERVISOR_2, "supervisor", "morr", &[]).await;
    directory(&app).await;
    let family = closed_family(&app).await;
    let partner_referral: String =
        sqlx::query_scalar("SELECT referral_id FROM referral WHERE family_id = $1")
            .bind(&family)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    let other = crate::anonymisation::register_hotaki(&app).await;
    let other_before = crate::backup::all_rows(&app.database_url).await;
    let other_rows = |all: &std::collections::BTreeMap<String, Vec<Vec<Option<String>>>>| {
        all.iter()
            .map(|(t, rows)| {
                let kept: Vec<_> = rows
                    .iter()
                    .filter(|r| r.iter().any(|v| v.as_deref() == Some(other.as_str())))
                    .cloned()
                    .collect();
                (t.clone(), kept)
            })
            .collect::<Vec<_>>()
    };

    let sup = app.signed_in(SUPERVISOR).await;
    let sup2 = app.signed_in(SUPERVISOR_2).await;
    let cw = app.signed_in(CASEWORKER).await;
    assert_eq!(
        sup.call("request_erasure", &[("family_id", &family)]).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"reason": "Required"}})
        )
    );
    let request = [
        ("family_id", family.as_str()),
        ("reason", "family_request"),
        ("note", "Mr Ahmadi asked in person on 3 March"),
    ];
    assert_eq!(
        cw.call("request_erasure", &request).await,
        (StatusCode::NOT_FOUND, json!("NotFound")),
        "a caseworker cannot ask"
    );
    assert_eq!(
        sup.call("request_erasure", &request).await.0,
        StatusCode::OK
    );
    assert_eq!(
        sup.call("request_erasure", &request).await,
        (StatusCode::CONFLICT, json!("Conflict")),
        "one pending request"
    );
    let approve = [("family_id", family.as_str()), ("decision", "approve")];
    assert_eq!(
        sup.call("decide_erasure", &approve).await,
        (StatusCode::FORBIDDEN, json!("SecondPersonRequired")),
        "nobody decides their own request"
    );
    let (_, data) = sup2.call("family_data", &[("family_id", &family)]).await;
    assert_eq!(data["erasure"]["reason"], json!("family_request"));
    assert_eq!(data["erasure"]["requested_by_you"], json!(false));
    let give_back = [("family_id", family.as_str()), ("decision", "return")];
    assert_eq!(
        sup2.call("decide_erasure", &give_back).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"comment": "Required"}})
        )
    );
    let give_back = [
        ("family_id", family.as_str()),
        ("decision", "return"),
        ("comment", "Needs the signed request form"),
    ];
    assert_eq!(
        sup2.call("decide_erasure", &give_back).await.0,
        StatusCode::OK
    );
    let (_, data) = sup.call("family_data", &[("family_id", &family)]).await;
    assert_eq!(data["erasure"]["decision"], json!("returned"));

    // Asked again, approved by the other supervisor: without JavaScript, to the case list.
    assert_eq!(
        sup.call("request_erasure", &request).await.0,
        StatusCode::OK
    );
    let res = sup2
        .post_form("decide_erasure", &format!("/cases/{family}/data"), &approve)
        .await;
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"], "/cases");

    // Nothing of the family is left but the trail: the requests (codes and times) and the
    // audit entries (ids, actions and times).
    for (table, n) in rows_per_table(&app, &family).await {
        let kept = FAMILY_TABLES
            .iter()
            .find(|t| t.name == table)
            .is_some_and(|t| t.on_erasure != OnErasure::Delete);
        assert_eq!(n > 0, kept, "{table}: {n} rows left");
    }
    let kept = app
        .count(&format!(
            "SELECT COUNT(*) FROM erasure_request WHERE family_id = '{family}'
             AND note IS NULL AND comment IS NULL"
        ))
        .await;
    assert_eq!(kept, 2);
    let with_detail = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE target_id = '{family}' AND detail IS NOT NULL"
        ))
        .await;
    assert_eq!(with_detail, 0);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM name_index WHERE family_id = '{family}'"
        ))
        .await,
        0
    );
    let erased_by: Option<String> = sqlx::query_scalar(
        "SELECT actor_user_id FROM audit_event WHERE action = 'family_erased' AND target_id = $1",
    )
    .bind(&family)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(erased_by, Some(supervisor_2));

    // The family is gone for everyone, exactly as if it had never been.
    assert_eq!(
        sup.call("get_case", &[("family_id", &family)]).await,
        (StatusCode::NOT_FOUND, json!("NotFound"))
    );
    let partner = app.signed_in(PARTNER).await;
    assert_eq!(
        partner
            .call("get_referral", &[("referral_id", &partner_referral)])
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // The other family is untouched.
    let after = crate::backup::all_rows(&app.database_url).await;
    assert_eq!(other_rows(&after), other_rows(&other_before));
}

/// An open case is erased too: the organisation still working on its referral is told the
/// referral is cancelled (by case number: the only thing left of the family in that email).
async fn erasing_a_family_with_an_open_referral_tells_the_organisation(app: TestApp) {
    app.people().await;
    app.user(SUPERVISOR_2, "supervisor", "morr", &[]).await;
    directory(&app).await;
    let (family, plan) = crate::referrals::assessed_family(&app).await;
    let (status, r) = crate::referrals::send(
        &app,
        &family,
        crate::referrals::item(&plan, "housing"),
        "housing",
        "ngo-a",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let request = [
        ("family_id", family.as_str()),
        ("reason", "registered_in_error"),
    ];
    let sup = app.signed_in(SUPERVISOR).await;
    assert_eq!(
        sup.call("request_erasure", &request).await.0,
        StatusCode::OK
    );
    let approve = [("family_id", family.as_str()), ("decision", "approve")];
    let sup2 = app.signed_in(SUPERVISOR_2).await;
    assert_eq!(
        sup2.call("decide_erasure", &approve).await.0,
        StatusCode::OK
    );
    let kinds: Vec<String> = crate::referrals::outbox(&app)
        .await
        .into_iter()
        .map(|(kind, to, _, _)| format!("{kind} {to}"))
        .collect();
    assert!(
        kinds.iter().any(|k| k.starts_with("referral_cancelled ")),
        "{kinds:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM referral").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM family").await, 0);
}

/// Who may use the family-data functions on a Kabul case.
async fn family_data_functions_against_every_role(app: TestApp) {
    app.people().await;
    app.user("cw.herat@test.org", "caseworker", "morr", &["AF-HER"])
        .await;
    let id = crate::families::register_ahmadi(&app).await;
    let roles = [
        CASEWORKER,
        "cw.herat@test.org",
        SUPERVISOR,
        CASEWORKER_IQ,
        SUPERVISOR_IQ,
        PARTNER,
        MANAGER,
        ADMIN,
    ];
    let gone = (StatusCode::NOT_FOUND, json!("NotFound"));
    for email in roles {
        let c = app.signed_in(email).await;
        let supervises = email == SUPERVISOR;
        for endpoint in ["family_data", "export_family"] {
            let got = c.call(endpoint, &[("family_id", &id)]).await;
            if supervises {
                assert_eq!(got.0, StatusCode::OK, "{email} {endpoint}");
            } else {
                assert_eq!(got, gone, "{email} {endpoint}");
            }
        }
        let got = c
            .call(
                "request_erasure",
                &[("family_id", &id), ("reason", "on a whim")],
            )
            .await;
        if supervises {
            assert_eq!(got.0, StatusCode::UNPROCESSABLE_ENTITY, "{email}");
        } else {
            assert_eq!(got, gone, "{email} request_erasure");
        }
        let got = c
            .call(
                "decide_erasure",
                &[("family_id", &id), ("decision", "approve")],
            )
            .await;
        if supervises {
            assert_eq!(
                got,
                (StatusCode::CONFLICT, json!("Conflict")),
                "nothing pending"
            );
        } else {
            assert_eq!(got, gone, "{email} decide_erasure");
        }
        let (status, _, _) = c.page(&format!("/cases/{id}/data")).await;
        // The page is for supervisors; another country's gets the same answer as for a
        // family that does not exist.
        let page_allowed = match email {
            SUPERVISOR => StatusCode::OK,
            SUPERVISOR_IQ => StatusCode::NOT_FOUND,
            _ => StatusCode::FORBIDDEN,
        };
        assert_eq!(status, page_allowed, "{email} /cases/:id/data");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM erasure_request").await,
        0,
        "nothing was asked"
    );
}

on_both_databases!(
    a_supervisor_exports_everything_held_about_a_family,
    erasure_needs_a_second_supervisor_and_leaves_only_the_trail,
    erasing_a_family_with_an_open_referral_tells_the_organisation,
    family_data_functions_against_every_role,
);
