//! Merging two records of one family: a supervisor compares them, chooses the survivor, the
//! value of each part of the household and the people to keep; the whole history ends on the
//! survivor, the other record is kept as it was (read only, its number finds the survivor),
//! and the merge can be undone while nothing has been added since. Pairs the duplicate rules
//! found at registration wait on the supervisors' queue.

use crate::common::*;
use crate::families::{registration, AHMADI};
use crate::on_both_databases;
use crate::referrals::{assessed_family, directory, item, send};
use reqwest::StatusCode;
use serde_json::{json, Value};

const HERAT: &str = "cw.her@test.org";

/// The Ahmadi family registered a second time, at the border, with a newborn and another
/// address, confirmed as distinct by the caseworker: answers its id.
pub async fn second_registration(app: &TestApp) -> String {
    let mut people = AHMADI.to_vec();
    people.push(("", "Baby Ahmadi", "Mohammad Ahmadi", "male", "0", "son", ""));
    let mut form = registration("AF-KAB", &people);
    for (k, v) in form.iter_mut() {
        if k == "household[address]" {
            *v = "Torkham reception centre, tent 14".into();
        }
    }
    let c = app.signed_in(CASEWORKER).await;
    let (code, body) = c
        .call("register_family", &crate::families::refs(&form))
        .await;
    assert_eq!(code, StatusCode::CONFLICT, "{body}");
    form.push(("confirmed_distinct".into(), "yes".into()));
    let (code, id) = c
        .call("register_family", &crate::families::refs(&form))
        .await;
    assert_eq!(code, StatusCode::OK, "{id}");
    id.as_str().unwrap().to_string()
}

async fn case(app: &TestApp, email: &str, id: &str) -> (StatusCode, Value) {
    app.signed_in(email)
        .await
        .call("get_case", &[("family_id", id)])
        .await
}

async fn column(app: &TestApp, column: &str, id: &str) -> Option<String> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {column} FROM family WHERE family_id = $1"
    )))
    .bind(id)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap()
}

async fn rows(app: &TestApp, table: &str, id: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM {table} WHERE family_id = '{id}'"
    ))
    .await
}

fn ids(members: &Value) -> Vec<String> {
    members
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member_id"].as_str().unwrap().to_string())
        .collect()
}

/// The merge form: `survivor` keeps its number; the parts are the survivor's but those in
/// `from_other`; `keep` are member ids.
fn merge_form(
    first: (&str, &str),
    second: (&str, &str),
    survivor: &str,
    other_parts: &[&str],
    keep: &[String],
) -> Vec<(String, String)> {
    let other = if survivor == first.0 {
        second.0
    } else {
        first.0
    };
    let mut f: Vec<(String, String)> = vec![
        ("family_id".into(), first.0.into()),
        ("version".into(), first.1.into()),
        ("other_id".into(), second.0.into()),
        ("other_version".into(), second.1.into()),
        ("survivor".into(), survivor.into()),
    ];
    for part in ["area", "address", "phone", "return_details", "caseworker"] {
        let from = if other_parts.contains(&part) {
            other
        } else {
            survivor
        };
        f.push((part.into(), from.into()));
    }
    for k in keep {
        f.push(("members[]".into(), k.clone()));
    }
    f
}

async fn merge(app: &TestApp, email: &str, form: &[(String, String)]) -> (StatusCode, Value) {
    app.signed_in(email)
        .await
        .call("merge_cases", &crate::families::refs(form))
        .await
}

/// A registered pair, compared: (first id, second id, comparison).
async fn pair(app: &TestApp) -> (String, String, Value) {
    let (first, _) = assessed_family(app).await;
    let second = second_registration(app).await;
    let number: String = column(app, "case_number", &first).await.unwrap();
    let sup = app.signed_in(SUPERVISOR).await;
    let (code, cmp) = sup
        .call(
            "compare_cases",
            &[
                ("family_id", second.as_str()),
                ("other", &number.to_lowercase()),
            ],
        )
        .await;
    assert_eq!(code, StatusCode::OK, "{cmp}");
    (first, second, cmp)
}

pub fn form_of(cmp: &Value, other_parts: &[&str]) -> Vec<(String, String)> {
    let first = cmp["first"]["family_id"].as_str().unwrap();
    let second = cmp["second"]["family_id"].as_str().unwrap();
    let versions = (
        cmp["first"]["version"].to_string(),
        cmp["second"]["version"].to_string(),
    );
    let keep: Vec<String> = cmp["keep"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    merge_form(
        (first, &versions.0),
        (second, &versions.1),
        first,
        other_parts,
        &keep,
    )
}

/// The whole way: the duplicate found at registration is on the queue; merged, everything of
/// both records is on the survivor; the merged-away record stays as it was; undone, each
/// record is as it was before.
async fn a_merge_moves_both_histories_onto_one_case_and_undo_puts_them_back(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let (first, plan) = assessed_family(&app).await;
    let (code, _) = send(&app, &first, item(&plan, "housing"), "housing", "ngo-a").await;
    assert_eq!(code, StatusCode::OK);
    let second = second_registration(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let note = [
        ("family_id", second.as_str()),
        ("body", "Registered again at Torkham"),
    ];
    assert_eq!(cw.call("add_note", &note).await.0, StatusCode::OK);
    let visit = [
        ("family_id", second.as_str()),
        ("kind", "home_visit"),
        ("due_on", "2026-12-20"),
        ("calendar", "gregorian"),
    ];
    assert_eq!(
        cw.call("schedule_follow_up", &visit).await.0,
        StatusCode::OK
    );
    let numbers = (
        column(&app, "case_number", &first).await.unwrap(),
        column(&app, "case_number", &second).await.unwrap(),
    );

    // The pair waits on the supervisors' queue, not on the caseworker's.
    let sup = app.signed_in(SUPERVISOR).await;
    let (_, queue) = sup.call("work_list", &[("list", "duplicates")]).await;
    let rows_ = queue["rows"].as_array().unwrap();
    assert_eq!(rows_.len(), 1, "{queue}");
    let pair: Vec<&str> = [&rows_[0]["family_id"], &rows_[0]["other_family_id"]]
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(pair.contains(&first.as_str()) && pair.contains(&second.as_str()));
    let (_, mine) = cw.call("work_list", &[("list", "duplicates")]).await;
    assert_eq!(mine["rows"], json!([]));

    // Compared: the first registered leads; its people are proposed, and of the second only
    // the newborn, whom nobody of the first matches.
    let (code, cmp) = sup
        .call(
            "compare_cases",
            &[
                ("family_id", second.as_str()),
                ("other", numbers.0.as_str()),
            ],
        )
        .await;
    assert_eq!(code, StatusCode::OK, "{cmp}");
    assert_eq!(cmp["first"]["family_id"], json!(first));
    let first_people = ids(&cmp["first"]["members"]);
    let second_people = ids(&cmp["second"]["members"]);
    let mut proposed = first_people.clone();
    proposed.push(second_people[3].clone());
    assert_eq!(cmp["keep"], json!(proposed));

    let (code, body) = merge(&app, SUPERVISOR, &form_of(&cmp, &["address"])).await;
    assert_eq!(code, StatusCode::OK, "{body}");

    // One case with both histories.
    let (_, survivor) = case(&app, CASEWORKER, &first).await;
    assert_eq!(survivor["members"].as_array().unwrap().len(), 4);
    assert_eq!(survivor["address"], "Torkham reception centre, tent 14");
    assert_eq!(survivor["phone"], "0701 234 567");
    assert_eq!(survivor["notes"].as_array().unwrap().len(), 1);
    assert_eq!(survivor["status"], "in_progress");
    let size = format!("SELECT member_count FROM family WHERE family_id = '{first}'");
    assert_eq!(app.count(&size).await, 4);
    let kinds: Vec<&str> = survivor["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds[0], "cases_merged");
    assert_eq!(kinds.iter().filter(|k| **k == "registered").count(), 2);
    assert_eq!(
        survivor["merges"][0]["merged_case_number"],
        json!(numbers.1)
    );
    assert_eq!(survivor["merges"][0]["undoable"], true);
    assert_eq!(rows(&app, "follow_up", &second).await, 0);
    assert_eq!(rows(&app, "case_note", &second).await, 0);
    assert_eq!(rows(&app, "referral", &first).await, 1);
    // The visit scheduled on the second record is the survivor's caseworker's.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM follow_up WHERE family_id = '{first}' AND status = 'scheduled'
               AND assigned_to = (SELECT assigned_to FROM family WHERE family_id = '{first}')"
        ))
        .await,
        rows(&app, "follow_up", &first).await
    );

    // The merged-away record: read only, shown as it was, its number finds the survivor.
    let (code, kept) = case(&app, CASEWORKER, &second).await;
    assert_eq!(code, StatusCode::OK, "{kept}");
    assert_eq!(kept["merged_into"], json!(first));
    assert_eq!(kept["merged"]["survivor_case_number"], json!(numbers.0));
    assert_eq!(kept["members"].as_array().unwrap().len(), 4);
    assert_eq!(kept["notes"][0]["body"], "Registered again at Torkham");
    assert_eq!(kept["events"][0]["kind"], "merged_into");
    assert_eq!(
        cw.call("add_note", &note).await,
        (StatusCode::CONFLICT, json!("CaseMerged"))
    );
    let (_, found) = cw
        .call("list_cases", &[("filter[q]", numbers.1.as_str())])
        .await;
    assert_eq!(found["cases"][0]["family_id"], json!(first), "{found}");
    assert_eq!(found["total"], 1);
    let (_, queue) = sup.call("work_list", &[("list", "duplicates")]).await;
    assert_eq!(queue["rows"], json!([]));
    let audited = app
        .count("SELECT COUNT(*) FROM audit_event WHERE action = 'cases_merged'")
        .await;
    assert_eq!(audited, 2);

    // Undone: each record as it was.
    let undo = [
        ("family_id", first.as_str()),
        ("merged_id", second.as_str()),
    ];
    let (code, body) = sup.call("undo_merge", &undo).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let (_, a) = case(&app, CASEWORKER, &first).await;
    let (_, b) = case(&app, CASEWORKER, &second).await;
    assert_eq!(ids(&a["members"]), first_people);
    assert_eq!(ids(&b["members"]), second_people);
    assert_eq!(a["address"], "Behind the blue mosque");
    assert_eq!(
        (&a["status"], &b["status"]),
        (&json!("in_progress"), &json!("registered"))
    );
    assert_eq!(b["merged_into"], Value::Null);
    assert_eq!(a["merges"], json!([]));
    assert_eq!(b["notes"][0]["body"], "Registered again at Torkham");
    assert_eq!(rows(&app, "follow_up", &second).await, 1);
    assert_eq!(rows(&app, "assessment", &second).await, 0);
    assert_eq!(rows(&app, "assessment", &first).await, 1);
    assert_eq!(a["events"][0]["kind"], "merge_undone");
    assert_eq!(b["events"][0]["kind"], "merge_undone");
    assert_eq!(
        b["events"].as_array().unwrap().last().unwrap()["kind"],
        "registered"
    );
    assert_ne!(sup.call("undo_merge", &undo).await.0, StatusCode::OK);

    // Merged again, then a note on the survivor: the merge stays.
    let (_, cmp) = sup
        .call(
            "compare_cases",
            &[("family_id", first.as_str()), ("other", second.as_str())],
        )
        .await;
    assert_eq!(
        merge(&app, SUPERVISOR, &form_of(&cmp, &[])).await.0,
        StatusCode::OK
    );
    let note = [
        ("family_id", first.as_str()),
        ("body", "Visited after the merge"),
    ];
    assert_eq!(cw.call("add_note", &note).await.0, StatusCode::OK);
    let (_, a) = case(&app, SUPERVISOR, &first).await;
    assert_eq!(a["merges"][0]["undoable"], false);
    assert_eq!(
        sup.call("undo_merge", &undo).await,
        (StatusCode::CONFLICT, json!("Conflict"))
    );
}

/// Each choice is checked; a stale comparison, a pending request, a closed or merged-away
/// record stop a merge before anything moves.
async fn a_merge_is_checked_before_anything_moves(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let (first, second, cmp) = pair(&app).await;
    let before = app.count("SELECT COUNT(*) FROM case_event").await;
    let heads = {
        let mut f = form_of(&cmp, &[]);
        let head = ids(&cmp["second"]["members"])[0].clone();
        f.push(("members[]".into(), head));
        f
    };
    assert_eq!(
        merge(&app, SUPERVISOR, &heads).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"members": "OneHead"}})
        )
    );
    let mut wrong = form_of(&cmp, &[]);
    for (k, v) in wrong.iter_mut() {
        match k.as_str() {
            "survivor" => *v = "somebody-else".into(),
            "phone" => *v = String::new(),
            "members[]" => *v = "not-a-member".into(),
            _ => {}
        }
    }
    assert_eq!(
        merge(&app, SUPERVISOR, &wrong).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"members": "InvalidChoice", "phone": "Required", "survivor": "InvalidChoice"}})
        )
    );
    // With itself.
    let mut itself = form_of(&cmp, &[]);
    itself[2].1 = first.clone();
    assert_eq!(
        merge(&app, SUPERVISOR, &itself).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Someone saved either record since the comparison.
    let cw = app.signed_in(CASEWORKER).await;
    let note = [
        ("family_id", second.as_str()),
        ("body", "Called the family"),
    ];
    assert_eq!(cw.call("add_note", &note).await.0, StatusCode::OK);
    let bump = format!("UPDATE family SET version = version + 1 WHERE family_id = '{second}'");
    sqlx::query(sqlx::AssertSqlSafe(bump))
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        merge(&app, SUPERVISOR, &form_of(&cmp, &[])).await,
        (StatusCode::CONFLICT, json!("Conflict"))
    );
    // A merge always names the versions it was shown: without them it is not read.
    let mut unversioned = form_of(&cmp, &[]);
    unversioned.retain(|(k, _)| !k.ends_with("version"));
    assert_eq!(
        merge(&app, SUPERVISOR, &unversioned).await.0,
        StatusCode::BAD_REQUEST
    );
    // A closure waits for an answer on one of them.
    let request = [
        ("family_id", second.as_str()),
        ("reason", "duplicate"),
        ("note", "Registered twice"),
    ];
    assert_eq!(cw.call("request_closure", &request).await.0, StatusCode::OK);
    let (_, cmp2) = app
        .signed_in(SUPERVISOR)
        .await
        .call(
            "compare_cases",
            &[("family_id", first.as_str()), ("other", second.as_str())],
        )
        .await;
    assert_eq!(
        merge(&app, SUPERVISOR, &form_of(&cmp2, &[])).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"survivor": "PendingRequest"}})
        )
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM case_event WHERE kind IN ('cases_merged', 'merged_into')")
            .await,
        0
    );
    assert!(app.count("SELECT COUNT(*) FROM case_event").await > before);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_merge").await, 0);
    // A closed case is not compared (a merged-away one neither: `who_may_merge`), nor a
    // number that names no case.
    let close = format!("UPDATE family SET status = 'closed' WHERE family_id = '{second}'");
    sqlx::query(sqlx::AssertSqlSafe(close))
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let closed = second.clone();
    let sup = app.signed_in(SUPERVISOR).await;
    assert_eq!(
        sup.call(
            "compare_cases",
            &[("family_id", first.as_str()), ("other", closed.as_str())]
        )
        .await,
        (StatusCode::CONFLICT, json!("CaseClosed"))
    );
    // A record of the other country is answered as one that does not exist.
    let iraqi = app.signed_in(CASEWORKER_IQ).await;
    let mut form = registration("IQ-BG", &AHMADI[..1]);
    form.retain(|(k, _)| !k.contains("documents"));
    let (code, iraqi_id) = iraqi
        .call("register_family", &crate::families::refs(&form))
        .await;
    assert_eq!(code, StatusCode::OK, "{iraqi_id}");
    let iraqi_id = iraqi_id.as_str().unwrap().to_string();
    let iraqi_number = column(&app, "case_number", &iraqi_id).await.unwrap();
    for other in ["AF-2099-000001", iraqi_number.as_str(), iraqi_id.as_str()] {
        assert_eq!(
            sup.call(
                "compare_cases",
                &[("family_id", first.as_str()), ("other", other)]
            )
            .await,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"Invalid": {"other": "InvalidChoice"}})
            ),
            "{other}"
        );
    }
}

/// The role × action matrix of the four endpoints: only a supervisor of the case's country
/// compares, merges, undoes and sets aside; everyone else is answered as for a missing case.
async fn who_may_merge(app: TestApp) {
    app.people().await;
    directory(&app).await;
    app.user(HERAT, "caseworker", "morr", &["AF-HER"]).await;
    let (first, second, cmp) = pair(&app).await;
    let not_found = (StatusCode::NOT_FOUND, json!("NotFound"));
    let compare = [("family_id", first.as_str()), ("other", second.as_str())];
    let undo = [
        ("family_id", first.as_str()),
        ("merged_id", second.as_str()),
    ];
    let dismiss = [("family_id", first.as_str()), ("other_id", second.as_str())];
    let form = form_of(&cmp, &[]);
    for email in [
        CASEWORKER,
        HERAT,
        CASEWORKER_IQ,
        SUPERVISOR_IQ,
        PARTNER,
        MANAGER,
        ADMIN,
    ] {
        let c = app.signed_in(email).await;
        assert_eq!(
            c.call("compare_cases", &compare).await,
            not_found,
            "{email} compares"
        );
        assert_eq!(merge(&app, email, &form).await, not_found, "{email} merges");
        assert_eq!(
            c.call("undo_merge", &undo).await,
            not_found,
            "{email} undoes"
        );
        assert_eq!(
            c.call("dismiss_duplicate", &dismiss).await,
            not_found,
            "{email} dismisses"
        );
    }
    // Anonymous callers are answered before anything is stored.
    let before = app.count("SELECT COUNT(*) FROM audit_event").await;
    for endpoint in [
        "compare_cases",
        "merge_cases",
        "undo_merge",
        "dismiss_duplicate",
    ] {
        let code = app
            .client()
            .call(endpoint, &crate::families::refs(&form))
            .await
            .0;
        assert_eq!(code, StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_event").await, before);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_merge").await, 0);
    // The supervisor: compared (audited as a read), merged, undone.
    let sup = app.signed_in(SUPERVISOR).await;
    assert_eq!(sup.call("compare_cases", &compare).await.0, StatusCode::OK);
    assert!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'merge_compared'")
            .await
            >= 2
    );
    assert_eq!(merge(&app, SUPERVISOR, &form).await.0, StatusCode::OK);
    // Nothing but reading and undoing is done with the merged-away record.
    assert_eq!(
        sup.call(
            "compare_cases",
            &[("family_id", second.as_str()), ("other", first.as_str())]
        )
        .await,
        (StatusCode::CONFLICT, json!("CaseMerged"))
    );
    assert_eq!(sup.call("undo_merge", &undo).await.0, StatusCode::OK);
    // Set aside: off the queue, on both timelines; not twice.
    assert_eq!(
        sup.call("dismiss_duplicate", &dismiss).await.0,
        StatusCode::OK
    );
    let (_, queue) = sup.call("work_list", &[("list", "duplicates")]).await;
    assert_eq!(queue["rows"], json!([]));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM case_event WHERE kind = 'duplicate_dismissed'")
            .await,
        2
    );
    assert_eq!(sup.call("dismiss_duplicate", &dismiss).await, not_found);
}

/// Two supervisors merging the same pair at the same moment: it is merged once.
async fn two_merges_at_once_merge_once(app: TestApp) {
    app.people().await;
    directory(&app).await;
    app.user("sup2.af@test.org", "supervisor", "morr", &[])
        .await;
    let (_, _, cmp) = pair(&app).await;
    let form = std::sync::Arc::new(form_of(&cmp, &["phone"]));
    let one = std::sync::Arc::new(app.signed_in(SUPERVISOR).await);
    let two = std::sync::Arc::new(app.signed_in("sup2.af@test.org").await);
    let mut tasks = Vec::new();
    for round in 0..6 {
        let c = if round % 2 == 0 {
            one.clone()
        } else {
            two.clone()
        };
        let form = form.clone();
        tasks.push(tokio::spawn(async move {
            c.call("merge_cases", &crate::families::refs(&form)).await.0
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::OK => ok += 1,
            code => assert_eq!(code, StatusCode::CONFLICT),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_merge").await, 1);
}

on_both_databases!(
    a_merge_moves_both_histories_onto_one_case_and_undo_puts_them_back,
    a_merge_is_checked_before_anything_moves,
    who_may_merge,
    two_merges_at_once_merge_once,
);
