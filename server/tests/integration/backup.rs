//! `homeward backup` while the server runs, and `homeward restore` into an empty database:
//! every row of every table comes back.

use crate::cli::homeward_with;
use crate::common::*;
use crate::on_both_databases;
use app::backend::db::Backend;
use reqwest::StatusCode;
use sqlx::{AnyConnection, Connection};
use std::collections::BTreeMap;

/// Tables the fixture leaves empty, and why that is right.
const EMPTY_BY_DESIGN: &[&str] = &[
    // A flag row that exists only between a bulk load and the index rebuild after it.
    "pending_rebuild",
];

/// Every kind of record: generated families with their history (assessments, plans,
/// referrals, follow-ups, closures), and through the pages' own functions a referral answered,
/// served and completed, a follow-up missed with its attempt, a note, emails queued and
/// delivered with a digest, a referral opened with its code, sessions, a sign-in throttle counter, a form's flash.
async fn every_kind_of_record(app: &TestApp) {
    app.people().await;
    crate::referrals::directory(app).await;
    let service = Some("Shelter kit delivered");
    let (family, _) = crate::referrals::completed_referral(app, service, "Housed").await;
    // A referral to an organisation without accounts, opened at /r with its code.
    crate::coded::shura(app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let (coded_family, coded, reference, code) = crate::coded::referred(app, &cw).await;
    assert_eq!(
        crate::coded::open(&app.client(), &reference, &code).await,
        "/r"
    );
    // A document on file (a blob / bytea), shared with that referral.
    let document = crate::documents::uploaded(app, &cw, &coded_family).await;
    let share = [
        ("family_id", coded_family.as_str()),
        ("document_id", document.as_str()),
        ("referral_id", coded.as_str()),
        ("share", "yes"),
    ];
    assert_eq!(cw.call("share_document", &share).await.0, StatusCode::OK);

    // An erasure asked for and still pending (an approved one would leave nothing to
    // compare).
    let sup = app.signed_in(SUPERVISOR).await;
    let erase = [
        ("family_id", family.as_str()),
        ("reason", "registered_in_error"),
    ];
    assert_eq!(sup.call("request_erasure", &erase).await.0, StatusCode::OK);

    let c = app.signed_in(CASEWORKER).await;
    let note = [("family_id", family.as_str()), ("body", "Called the elder")];
    assert_eq!(c.call("add_note", &note).await.0, StatusCode::OK);
    // A transfer proposed and still waiting.
    let transfer = [
        ("family_id", family.as_str()),
        ("to_province", "AF-BAL"),
        ("to_district", "Mazar-i-Sharif"),
        ("reason", "family_moved"),
    ];
    assert_eq!(
        c.call("propose_transfer", &transfer).await.0,
        StatusCode::OK
    );
    // The same family registered twice more, and those two records merged: possible
    // duplicates, a merge with its copy of the merged-away record.
    let again = crate::merges::second_registration(app).await;
    let third = crate::merges::second_registration(app).await;
    let compare = [("family_id", again.as_str()), ("other", third.as_str())];
    let (status, cmp) = sup.call("compare_cases", &compare).await;
    assert_eq!(status, StatusCode::OK, "{cmp}");
    let form = crate::merges::form_of(&cmp, &["phone"]);
    let (status, body) = sup.call("merge_cases", &crate::families::refs(&form)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let followed = family.as_str();
    let visit = [
        ("family_id", followed),
        ("kind", "phone_call"),
        ("due_on", "2026-11-02"),
        ("calendar", "gregorian"),
    ];
    let (status, body) = c.call("schedule_follow_up", &visit).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Delivers the referral's emails and the morning digest of the visit due today.
    let dir = std::env::temp_dir().join(format!("homeward-backup-mail-{}", app.addr.port()));
    let files = app::backend::outbox::Transport::Files(dir.clone());
    server::workers::mail_round(&app.state, &files)
        .await
        .unwrap();
    let _ = std::fs::remove_dir_all(dir);
    let (_, v) = c.call("case_follow_ups", &[("family_id", followed)]).await;
    let first = &v["follow_ups"][0];
    let (fid, fv) = (
        first["follow_up_id"].as_str().unwrap(),
        first["version"].to_string(),
    );
    let mut missed = vec![
        ("family_id", followed),
        ("follow_up_id", fid),
        ("version", fv.as_str()),
        ("outcome", "missed"),
        ("notes", ""),
    ];
    // Without JavaScript, the error goes back to the form in a flash.
    let res = c
        .post_form("record_follow_up", &format!("/cases/{followed}"), &missed)
        .await;
    assert!(res.status().is_redirection());
    missed[4].1 = "Phone off";
    assert_eq!(c.call("record_follow_up", &missed).await.0, StatusCode::OK);

    let wrong = [("email", CASEWORKER), ("password", "wrong")];
    assert_eq!(
        app.client().call("sign_in", &wrong).await.0,
        StatusCode::UNAUTHORIZED
    );

    let plan = server::synthetic::Plan {
        families: 60,
        seed: 7,
        areas: None,
        created_by: None,
        statuses: server::synthetic::MIXED_STATUSES,
    };
    server::synthetic::generate(&app.state.db, &plan, app.now())
        .await
        .unwrap();
}

/// Every table of the application, each as its rows in a fixed order, every value as text.
pub async fn all_rows(url: &str) -> BTreeMap<String, Vec<Vec<Option<String>>>> {
    let mut conn = AnyConnection::connect(url).await.unwrap();
    let backend = Backend::of_connection(&conn);
    let tables: Vec<String> = sqlx::query_scalar(match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'"
        }
    })
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for table in tables {
        let columns: Vec<String> = match backend {
            Backend::Sqlite => sqlx::query_scalar("SELECT name FROM pragma_table_info($1)"),
            Backend::Postgres => sqlx::query_scalar(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
            ),
        }
        .bind(&table)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        // Blobs as hex on SQLite (their bytes need not be text); PostgreSQL's cast of
        // `bytea` to text is hex already.
        let list: Vec<String> = columns
            .iter()
            .map(|c| match backend {
                Backend::Sqlite => format!(
                    "CASE WHEN typeof(\"{c}\") = 'blob' THEN hex(\"{c}\") ELSE CAST(\"{c}\" AS TEXT) END"
                ),
                Backend::Postgres => format!("CAST(\"{c}\" AS TEXT)"),
            })
            .collect();
        let order: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
        let sql = format!(
            "SELECT {} FROM \"{table}\" ORDER BY {}",
            list.join(", "),
            order.join(", ")
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        let rows = rows
            .iter()
            .map(|r| {
                (0..columns.len())
                    .map(|i| sqlx::Row::get::<Option<String>, _>(r, i))
                    .collect()
            })
            .collect();
        out.insert(table, rows);
    }
    conn.close().await.unwrap();
    out
}

fn backup_file(app: &TestApp) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("homeward-backup-{}.bak", app.addr.port()))
}

async fn run(args: Vec<String>, url: String, path: Option<&str>) -> (bool, String) {
    let path = path.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = path.iter().map(|p| ("PATH", p.as_str())).collect();
        homeward_with(&url, &args, None, &env)
    })
    .await
    .unwrap()
}

async fn a_backup_taken_while_serving_restores_every_row_of_every_table(app: TestApp) {
    every_kind_of_record(&app).await;
    let original = all_rows(&app.database_url).await;
    let empty: Vec<&String> = original
        .iter()
        .filter(|(t, rows)| rows.is_empty() && !EMPTY_BY_DESIGN.contains(&t.as_str()))
        .map(|(t, _)| t)
        .collect();
    assert!(empty.is_empty(), "the fixture leaves empty: {empty:?}");

    let file = backup_file(&app);
    let file_arg = file.display().to_string();
    // Requests keep coming while the backup is taken.
    let busy = {
        let c = app.signed_in(SUPERVISOR).await;
        tokio::spawn(async move {
            for _ in 0..20 {
                let (status, _, _) = c.page("/cases").await;
                assert_eq!(status, StatusCode::OK);
            }
        })
    };
    if app.state.db.backend == Backend::Postgres {
        let (ok, out) = run(
            vec!["backup".into(), file_arg.clone()],
            app.database_url.clone(),
            Some("/nonexistent"),
        )
        .await;
        assert!(
            !ok && out.contains("pg_dump was not found on PATH"),
            "{out}"
        );
    }
    let (ok, out) = run(
        vec!["backup".into(), file_arg.clone()],
        app.database_url.clone(),
        None,
    )
    .await;
    assert!(ok, "{out}");
    assert!(out.contains("Backed up to"), "{out}");
    busy.await.unwrap();

    let (ok, out) = run(
        vec!["backup".into(), file_arg.clone()],
        app.database_url.clone(),
        None,
    )
    .await;
    assert!(!ok && out.contains("already exists"), "{out}");

    let target = ScratchDatabase::new(app.state.db.backend).await;
    let (ok, out) = run(
        vec!["restore".into(), file_arg.clone()],
        target.url.clone(),
        None,
    )
    .await;
    assert!(ok, "{out}");
    let restored = all_rows(&target.url).await;
    let after = all_rows(&app.database_url).await;
    assert_eq!(
        restored.keys().collect::<Vec<_>>(),
        original.keys().collect::<Vec<_>>()
    );
    for (table, rows) in &restored {
        let (before, after) = (&original[table], &after[table]);
        if before == after {
            assert_eq!(rows, before, "table {table} differs after the restore");
            continue;
        }
        // Changed by the reads during the backup (their audit entries, the reader's session):
        // the backup holds a moment in between, so every row the reads left alone is there,
        // and nothing that was never in the database.
        for row in before.iter().filter(|r| after.contains(r)) {
            assert!(
                rows.contains(row),
                "{table}: a row is missing after the restore"
            );
        }
        for row in rows {
            assert!(
                before.contains(row) || after.contains(row),
                "{table}: the restore has a row that never was"
            );
        }
    }

    // A second restore into the now full database is refused and changes nothing.
    let (ok, out) = run(vec!["restore".into(), file_arg], target.url.clone(), None).await;
    assert!(!ok && out.contains("not empty"), "{out}");
    let _ = std::fs::remove_file(&file);
}

on_both_databases!(a_backup_taken_while_serving_restores_every_row_of_every_table);
