//! Retention: closed cases anonymised once their period after closure has ended (by the
//! worker, or `homeward retention`, whose `--dry-run` lists what would go and changes
//! nothing), keeping what the indicators count; audit entries deleted after theirs.

use crate::backup::all_rows;
use crate::cli::homeward_with;
use crate::common::*;
use crate::on_both_backends;
use crate::referrals::directory;
use app::backend::db::Backend;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Days after closure before a case is anonymised, in these tests.
const DAYS: u32 = 90;

/// A Kabul family with something in every free-text field: a referral answered, served and
/// completed with an outcome, a note, a follow-up missed with its contact attempt, a transfer
/// proposed with a note and declined with a reason, and a closure requested with a note and
/// approved. Answers its id.
pub async fn closed_family(app: &TestApp) -> String {
    let (family, _) = crate::referrals::completed_referral(
        app,
        Some("Shelter kit handed to Abdul Karim"),
        "Housed with his cousin in Paghman",
    )
    .await;

    let c = app.signed_in(CASEWORKER).await;
    let note = [
        ("family_id", family.as_str()),
        ("body", "Uncle Rahim helps"),
    ];
    assert_eq!(c.call("add_note", &note).await.0, StatusCode::OK);
    let visit = [
        ("family_id", family.as_str()),
        ("kind", "phone_call"),
        ("due_on", "2026-11-02"),
        ("calendar", "gregorian"),
    ];
    assert_eq!(c.call("schedule_follow_up", &visit).await.0, StatusCode::OK);
    let (_, v) = c.call("case_follow_ups", &[("family_id", &family)]).await;
    let first = &v["follow_ups"][0];
    let (fid, fv) = (
        first["follow_up_id"].as_str().unwrap(),
        first["version"].to_string(),
    );
    let missed = [
        ("family_id", family.as_str()),
        ("follow_up_id", fid),
        ("version", fv.as_str()),
        ("outcome", "missed"),
        ("notes", "Phone off; at his brother's in Jalalabad"),
    ];
    assert_eq!(c.call("record_follow_up", &missed).await.0, StatusCode::OK);
    let transfer = [
        ("family_id", family.as_str()),
        ("to_province", "AF-BAL"),
        ("to_district", "Dehdadi"),
        ("reason", "joined_relatives"),
        ("note", "Karim's uncle has land near Dehdadi"),
    ];
    assert_eq!(
        c.call("propose_transfer", &transfer).await.0,
        StatusCode::OK
    );
    let decline = [
        ("family_id", family.as_str()),
        ("decision", "decline"),
        ("comment", "Karim stays in Kabul for the bakery"),
    ];
    let sup = app.signed_in(SUPERVISOR).await;
    assert_eq!(
        sup.call("decide_transfer", &decline).await.0,
        StatusCode::OK
    );
    let request = [
        ("family_id", family.as_str()),
        ("reason", "reintegrated"),
        ("note", "Karim works at the bakery"),
    ];
    assert_eq!(c.call("request_closure", &request).await.0, StatusCode::OK);
    let sup = app.signed_in(SUPERVISOR).await;
    let approve = [("family_id", family.as_str()), ("decision", "approve")];
    assert_eq!(sup.call("decide_closure", &approve).await.0, StatusCode::OK);
    family
}

/// The columns anonymisation empties, as SQL over one family (`$1`) counting the values
/// still there. Each must count more than nothing before, and nothing after.
const PERSONAL: &[(&str, &str)] = &[
    ("address, phone, names", "SELECT COUNT(*) FROM family WHERE family_id = $1 AND (address IS NOT NULL OR phone IS NOT NULL OR head_name_local IS NOT NULL OR head_name_latin IS NOT NULL OR district <> '')"),
    ("member names", "SELECT COUNT(*) FROM member WHERE family_id = $1 AND (name_local IS NOT NULL OR name_latin IS NOT NULL OR father_name IS NOT NULL OR birth_date IS NOT NULL OR estimated_age IS NOT NULL)"),
    ("documents", "SELECT COUNT(*) FROM member_document WHERE family_id = $1"),
    ("name index", "SELECT COUNT(*) FROM name_index WHERE family_id = $1"),
    ("consent given by", "SELECT COUNT(*) FROM consent WHERE family_id = $1 AND given_by <> ''"),
    ("notes", "SELECT COUNT(*) FROM case_note WHERE family_id = $1"),
    ("timeline texts", "SELECT COUNT(*) FROM case_event WHERE family_id = $1 AND detail IS NOT NULL AND kind <> 'anonymised'"),
    ("referral outcome", "SELECT COUNT(*) FROM referral WHERE family_id = $1 AND outcome IS NOT NULL"),
    ("services", "SELECT COUNT(*) FROM referral_service s JOIN referral r ON r.referral_id = s.referral_id WHERE r.family_id = $1 AND s.description <> ''"),
    ("follow-up notes", "SELECT COUNT(*) FROM follow_up WHERE family_id = $1 AND (notes IS NOT NULL OR missed_reason IS NOT NULL)"),
    ("contact attempts", "SELECT COUNT(*) FROM contact_attempt a JOIN follow_up f ON f.follow_up_id = a.follow_up_id WHERE f.family_id = $1 AND a.note <> ''"),
    ("closure note", "SELECT COUNT(*) FROM case_closure WHERE family_id = $1 AND note IS NOT NULL"),
    ("transfer note", "SELECT COUNT(*) FROM case_transfer WHERE family_id = $1 AND (note IS NOT NULL OR comment IS NOT NULL OR to_district <> '' OR from_district <> '')"),
];

async fn personal_left(app: &TestApp, family: &str) -> Vec<(&'static str, i64)> {
    let mut left = Vec::new();
    for (what, sql) in PERSONAL {
        let n: i64 = sqlx::query_scalar(*sql)
            .bind(family)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        left.push((*what, n));
    }
    left
}

/// The programme indicators (without the time they were computed at).
async fn indicators(app: &TestApp) -> Value {
    let (status, mut v) = app.signed_in(MANAGER).await.call("overview", &[]).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v.as_object_mut().unwrap().remove("as_of");
    v
}

async fn closed_cases_are_anonymised_after_their_period_keeping_the_indicators(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.anonymise_closed_after_days = Some(DAYS);
        c.audit_retention_days = None;
    })
    .await;
    app.people().await;
    directory(&app).await;
    let old = closed_family(&app).await;
    let old_number: String =
        sqlx::query_scalar("SELECT case_number FROM family WHERE family_id = $1")
            .bind(&old)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    let plan = server::synthetic::Plan {
        families: 40,
        seed: 3,
        areas: None,
        created_by: None,
        statuses: server::synthetic::MIXED_STATUSES,
    };
    server::synthetic::generate(&app.state.db, &plan, app.now())
        .await
        .unwrap();
    app.advance(Duration::days(i64::from(DAYS) - 30));
    // Closed 30 days before the end of the period: not due yet.
    let recent = register_hotaki(&app).await;
    close(&app, &recent).await;
    app.advance(Duration::days(31));

    let before = personal_left(&app, &old).await;
    assert!(before.iter().all(|(_, n)| *n > 0), "{before:?}");
    let recent_before = personal_left(&app, &recent).await;

    // The dry run lists the due cases, and changes nothing.
    let due = app::backend::retention::due(&app.state.db, &app.state.config, app.now())
        .await
        .unwrap();
    let listed: Vec<&str> = due.cases.iter().map(|c| c.family_id.as_str()).collect();
    assert!(listed.contains(&old.as_str()));
    assert!(!listed.contains(&recent.as_str()));
    let rows = all_rows(&app.database_url).await;
    let report = homeward_with(
        &app.database_url,
        &["retention", "--dry-run"],
        None,
        &[
            ("HOMEWARD_ANONYMISE_AFTER_DAYS", "0"),
            ("HOMEWARD_AUDIT_RETENTION_DAYS", "0"),
        ],
    );
    assert!(report.0, "{}", report.1);
    assert!(report.1.contains(&old_number), "{}", report.1);
    assert!(report.1.contains("Nothing was changed"), "{}", report.1);
    assert_eq!(
        all_rows(&app.database_url).await,
        rows,
        "a dry run changed data"
    );

    let indicators_before = indicators(&app).await;
    let done = server::workers::retention_round(&app.state).await.unwrap();
    assert_eq!(done.anonymised, due.cases.len());
    assert!(done.anonymised >= 1);
    for case in &due.cases {
        let left = personal_left(&app, &case.family_id).await;
        assert!(
            left.iter().all(|(_, n)| *n == 0),
            "{}: {left:?}",
            case.case_number
        );
    }
    assert_eq!(personal_left(&app, &recent).await, recent_before);
    assert_eq!(
        indicators(&app).await,
        indicators_before,
        "the indicators count what anonymisation keeps"
    );
    // A second round finds nothing more.
    let again = server::workers::retention_round(&app.state).await.unwrap();
    assert_eq!(again.anonymised, 0);

    // What is left can be read, says what happened, and cannot be worked on or reopened.
    let sup = app.signed_in(SUPERVISOR).await;
    let (status, case) = sup.call("get_case", &[("family_id", &old)]).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert!(case["anonymised_at"].is_string());
    assert!(case["members"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["name_local"].is_null() && m["name_latin"].is_null()));
    assert_eq!(case["events"][0]["kind"], json!("anonymised"));
    assert!(case["events"][0]["actor"].is_null());
    let version = case["version"].to_string();
    let reopen = [
        ("family_id", old.as_str()),
        ("version", version.as_str()),
        ("reason", "The family came back"),
    ];
    assert_eq!(
        sup.call("reopen_case", &reopen).await,
        (StatusCode::CONFLICT, json!("CaseAnonymised"))
    );
    let (status, page, _) = sup.page(&format!("/cases/{old}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Anonymised on"), "the family page says so");
    let audited = app
        .count("SELECT COUNT(*) FROM audit_event WHERE action = 'case_anonymised' AND actor_user_id IS NULL")
        .await;
    assert_eq!(audited, done.anonymised as i64);
    // Searching by the name finds nothing any more.
    let (status, list) = sup.call("list_cases", &[("filter[q]", "Ahmadi")]).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(
        !list["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["family_id"] == json!(old)),
        "{list}"
    );
}

/// Registers a one-person family in Kabul; answers its id.
pub async fn register_hotaki(app: &TestApp) -> String {
    use crate::families::{refs, registration};
    let nasrin = [(
        "نسرین هوتکی",
        "Nasrin Hotaki",
        "Gul Hotaki",
        "female",
        "38",
        "head",
        "",
    )];
    let c = app.signed_in(CASEWORKER).await;
    let (status, id) = c
        .call("register_family", &refs(&registration("AF-KAB", &nasrin)))
        .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    id.as_str().unwrap().to_string()
}

/// The Kabul family `id`, closed (asked by the caseworker, approved by the supervisor).
async fn close(app: &TestApp, id: &str) {
    let c = app.signed_in(CASEWORKER).await;
    let request = [("family_id", id), ("reason", "moved_away"), ("note", "")];
    assert_eq!(c.call("request_closure", &request).await.0, StatusCode::OK);
    let sup = app.signed_in(SUPERVISOR).await;
    let approve = [("family_id", id), ("decision", "approve")];
    assert_eq!(sup.call("decide_closure", &approve).await.0, StatusCode::OK);
}

async fn the_command_line_anonymises_and_audit_entries_go_after_their_period(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.anonymise_closed_after_days = None;
        c.audit_retention_days = None;
    })
    .await;
    app.people().await;
    directory(&app).await;
    let family = closed_family(&app).await;
    let entries = app.count("SELECT COUNT(*) FROM audit_event").await;
    assert!(entries > 10);
    // The command line's clock is the real one: everything here is older than 0 days.
    let env = [
        ("HOMEWARD_ANONYMISE_AFTER_DAYS", "0"),
        ("HOMEWARD_AUDIT_RETENTION_DAYS", "never"),
    ];
    let (ok, out) = homeward_with(&app.database_url, &["retention"], None, &env);
    assert!(ok, "{out}");
    assert!(out.contains("Anonymised 1 closed cases"), "{out}");
    assert!(personal_left(&app, &family)
        .await
        .iter()
        .all(|(_, n)| *n == 0));

    // Audit entries: a dry run counts, a run deletes, and says so in an entry of its own.
    let env = [
        ("HOMEWARD_ANONYMISE_AFTER_DAYS", "never"),
        ("HOMEWARD_AUDIT_RETENTION_DAYS", "0"),
    ];
    let all = app.count("SELECT COUNT(*) FROM audit_event").await;
    let (ok, out) = homeward_with(&app.database_url, &["retention", "--dry-run"], None, &env);
    assert!(ok, "{out}");
    assert!(
        out.contains("Audit entries that would be deleted (written before"),
        "{out}"
    );
    assert!(out.contains(&format!("): {all}, the oldest of")), "{out}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_event").await, all);
    let (ok, out) = homeward_with(&app.database_url, &["retention"], None, &env);
    assert!(ok, "{out}");
    assert!(
        out.contains(&format!("deleted {all} audit entries")),
        "{out}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action <> 'audit_purged'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'audit_purged'")
            .await,
        1
    );
    let (ok, out) = homeward_with(
        &app.database_url,
        &["retention"],
        None,
        &[("HOMEWARD_AUDIT_RETENTION_DAYS", "soon")],
    );
    assert!(!ok);
    assert!(
        out.contains("HOMEWARD_AUDIT_RETENTION_DAYS: a number of days or never"),
        "{out}"
    );
}

on_both_backends!(
    closed_cases_are_anonymised_after_their_period_keeping_the_indicators,
    the_command_line_anonymises_and_audit_entries_go_after_their_period,
);
