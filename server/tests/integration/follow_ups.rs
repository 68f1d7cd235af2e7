//! Follow-ups, work lists, the morning digest and closure — with a fixed clock (the tests
//! start on 2 November 2026 at 08:00 UTC, 12:30 in Kabul).

use crate::assessments::{answers, form, progress, refs};
use crate::common::*;
use crate::families::register_ahmadi;
use crate::on_both_databases;
use crate::referrals::{directory, item, outbox, send};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The Ahmadi family (returned 2 October 2026), assessed today.
pub async fn assessed(app: &TestApp) -> String {
    let id = register_ahmadi(app).await;
    let c = app.signed_in(CASEWORKER).await;
    let (status, body) = c
        .call(
            "record_assessment",
            &refs(&form(&id, "2026-11-02", &answers(true))),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id
}

async fn follow_ups(c: &Client, id: &str) -> Value {
    let (status, v) = c.call("case_follow_ups", &[("family_id", id)]).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

fn due_dates(v: &Value) -> Vec<String> {
    v["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["due_on"].as_str().unwrap().to_string())
        .collect()
}

async fn the_first_assessment_proposes_the_schedule_from_the_template(app: TestApp) {
    app.people().await;
    let id = assessed(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let v = follow_ups(&c, &id).await;
    assert_eq!(
        due_dates(&v),
        vec!["2026-11-02", "2027-01-02", "2027-04-02", "2027-10-02"],
        "1, 3, 6 and 12 months after the return"
    );
    assert!(v["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["status"] == "scheduled" && f["assigned_to_name"] == "User cw.af@test.org"));
    c.call(
        "record_assessment",
        &refs(&form(&id, "2026-11-02", &answers(false))),
    )
    .await;
    assert_eq!(
        due_dates(&follow_ups(&c, &id).await).len(),
        4,
        "only the first assessment proposes"
    );
}

async fn follow_ups_are_recorded_done_with_a_reassessment_or_missed_with_the_attempt(app: TestApp) {
    app.people().await;
    let id = assessed(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let v = follow_ups(&c, &id).await;
    let first = v["follow_ups"][0].clone();
    let (fid, version) = (
        first["follow_up_id"].as_str().unwrap(),
        first["version"].to_string(),
    );
    let record = |outcome: &'static str, notes: &'static str, version: String| {
        let (id, fid) = (id.clone(), fid.to_string());
        let c = &c;
        async move {
            c.call(
                "record_follow_up",
                &[
                    ("family_id", id.as_str()),
                    ("follow_up_id", &fid),
                    ("version", &version),
                    ("outcome", outcome),
                    ("notes", notes),
                ],
            )
            .await
        }
    };
    assert_eq!(
        record("missed", "", version.clone()).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"notes": "Required"}})
        )
    );
    assert_eq!(
        record(
            "missed",
            "Phone off; neighbour says they are in Jalalabad",
            version.clone()
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        record("done", "", version).await,
        (StatusCode::CONFLICT, json!("Conflict")),
        "a stale form changes nothing"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_attempt").await, 1);

    // The next one is done with a re-assessment: it feeds the progress chart.
    let second = follow_ups(&c, &id).await["follow_ups"][1]["follow_up_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut f = form(&id, "2026-11-02", &answers(false));
    f.push(("follow_up_id".into(), second.clone()));
    let (status, aid) = c.call("record_assessment", &refs(&f)).await;
    assert_eq!(status, StatusCode::OK, "{aid}");
    let v = follow_ups(&c, &id).await;
    let done = v["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["follow_up_id"] == second.as_str())
        .unwrap();
    assert_eq!(done["status"], "done");
    assert_eq!(done["assessment_id"], aid);
    assert_eq!(
        progress(&c, &id).await["assessments"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    let kinds: Vec<&str> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"follow_up_done") && kinds.contains(&"follow_up_missed"),
        "{kinds:?}"
    );
}

/// The dates on one of the caller's work lists.
async fn list(c: &Client, name: &str) -> Vec<String> {
    let (status, v) = c.call("work_list", &[("list", name)]).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["date"].as_str().unwrap().to_string())
        .collect()
}

async fn work_lists_show_what_is_due_and_who_is_behind(app: TestApp) {
    app.people().await;
    let id = assessed(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    assert_eq!(list(&cw, "today").await, vec!["2026-11-02"]);
    let (status, _) = cw
        .call(
            "schedule_follow_up",
            &[
                ("family_id", &id),
                ("kind", "phone_call"),
                ("due_on", "2026-11-06"),
                ("calendar", "gregorian"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = cw
        .call(
            "schedule_follow_up",
            &[
                ("family_id", &id),
                ("kind", "phone_call"),
                ("due_on", "2026-10-01"),
                ("calendar", "gregorian"),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"due_on": "InvalidDate"}})
        )
    );
    assert_eq!(list(&cw, "week").await, vec!["2026-11-06"]);
    app.advance(chrono::Duration::days(2));
    let cw = app.signed_in(CASEWORKER).await; // (sessions end while the clock runs)
    assert_eq!(list(&cw, "overdue").await, vec!["2026-11-02"]);
    assert!(list(&cw, "today").await.is_empty());
    let sup = app.signed_in(SUPERVISOR).await;
    let (_, v) = sup.call("work_list", &[("list", "overdue")]).await;
    assert_eq!(v["rows"].as_array().unwrap().len(), 1);
    let (_, team) = sup.call("team_caseload", &[]).await;
    let mine = team
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "User cw.af@test.org");
    assert_eq!(mine.unwrap()["overdue"], 1, "{team}");
    // Ninety days without contact since registration: lost to follow-up.
    assert!(list(&cw, "lost").await.is_empty());
    app.advance(chrono::Duration::days(90));
    let cw = app.signed_in(CASEWORKER).await;
    assert_eq!(list(&cw, "lost").await, vec!["2026-11-02"]);
    assert_eq!(follow_ups(&cw, &id).await["lost"], true);
    let other = app.signed_in(CASEWORKER_IQ).await;
    assert!(
        list(&other, "lost").await.is_empty(),
        "another country's cases are not on the list"
    );
}

async fn the_digest_goes_out_once_a_day_after_seven_local_time(app: TestApp) {
    use server::workers::mail_round;
    app.people().await;
    assessed(&app).await;
    let dir = std::env::temp_dir().join(format!("homeward-digest-{}", app.addr.port()));
    let files = app::backend::outbox::Transport::Files(dir.clone());
    let digests = |app: &TestApp| {
        let pool = app.state.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM email_outbox WHERE kind = 'follow_up_digest'",
            )
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    mail_round(&app.state, &files).await.unwrap();
    assert_eq!(digests(&app).await, 1, "12:30 in Kabul: today's digest");
    mail_round(&app.state, &files).await.unwrap();
    assert_eq!(digests(&app).await, 1, "once a day");
    // 21:00 UTC is 01:30 the next day in Kabul: too early.
    app.advance(chrono::Duration::hours(13));
    mail_round(&app.state, &files).await.unwrap();
    assert_eq!(digests(&app).await, 1);
    // 03:00 UTC is 07:30 in Kabul: the new day's digest, with yesterday's visit overdue.
    app.advance(chrono::Duration::hours(6));
    mail_round(&app.state, &files).await.unwrap();
    assert_eq!(digests(&app).await, 2);
    let mail = outbox(&app).await;
    let (_, to, _, body) = mail
        .iter()
        .rev()
        .find(|m| m.0 == "follow_up_digest")
        .unwrap();
    assert_eq!(to, CASEWORKER);
    assert!(
        body.contains("AF-2026-000001") && body.contains("/work"),
        "{body}"
    );
    assert!(!body.contains("Ahmadi"), "no names in email");
    let _ = std::fs::remove_dir_all(dir);
}

async fn closure_is_requested_approved_and_reopened(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let id = assessed(&app).await;
    let plan = progress(&app.signed_in(CASEWORKER).await, &id).await["plan"].clone();
    send(&app, &id, item(&plan, "housing"), "housing", "ngo-a").await;
    let cw = app.signed_in(CASEWORKER).await;
    let sup = app.signed_in(SUPERVISOR).await;
    assert_eq!(
        cw.call("request_closure", &[("family_id", &id)]).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"reason": "Required"}})
        )
    );
    let request = [
        ("family_id", id.as_str()),
        ("reason", "reintegrated"),
        ("note", "Both parents working; children in school"),
    ];
    assert_eq!(cw.call("request_closure", &request).await.0, StatusCode::OK);
    assert_eq!(
        cw.call("request_closure", &request).await.0,
        StatusCode::CONFLICT,
        "one pending request"
    );
    assert_eq!(
        cw.call(
            "decide_closure",
            &[("family_id", &id), ("decision", "approve")]
        )
        .await,
        (StatusCode::NOT_FOUND, json!("NotFound")),
        "a caseworker does not decide"
    );
    assert_eq!(
        sup.call(
            "decide_closure",
            &[("family_id", &id), ("decision", "return")]
        )
        .await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"comment": "Required"}})
        )
    );
    let returned = [
        ("family_id", id.as_str()),
        ("decision", "return"),
        ("comment", "Visit once more first"),
    ];
    assert_eq!(
        sup.call("decide_closure", &returned).await.0,
        StatusCode::OK
    );
    assert_eq!(
        follow_ups(&cw, &id).await["closure"]["decision"],
        "returned"
    );
    assert_eq!(cw.call("request_closure", &request).await.0, StatusCode::OK);
    assert_eq!(
        sup.call(
            "decide_closure",
            &[("family_id", &id), ("decision", "approve")]
        )
        .await
        .0,
        StatusCode::OK
    );

    // Closed: read-only, nothing pending, the partner told and out of sight.
    let (_, case) = cw.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(case["status"], "closed");
    let v = follow_ups(&cw, &id).await;
    assert!(v["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["status"] == "cancelled"));
    assert_eq!(
        cw.call("add_note", &[("family_id", &id), ("body", "Late note")])
            .await,
        (StatusCode::CONFLICT, json!("CaseClosed"))
    );
    assert_eq!(
        cw.call(
            "record_assessment",
            &refs(&form(&id, "2026-11-02", &answers(false)))
        )
        .await,
        (StatusCode::CONFLICT, json!("CaseClosed"))
    );
    let kinds: Vec<String> = outbox(&app).await.into_iter().map(|m| m.0).collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "referral_cancelled").count(),
        1
    );
    let (_, inbox) = app
        .signed_in(PARTNER)
        .await
        .call("list_incoming", &[("tab", "new")])
        .await;
    assert!(inbox["rows"].as_array().unwrap().is_empty());

    // Reopened by the supervisor, with the reason.
    assert_eq!(
        cw.call(
            "reopen_case",
            &[
                ("family_id", &id),
                ("version", &app.version("family", &id).await),
                ("reason", "Family is back")
            ]
        )
        .await,
        (StatusCode::NOT_FOUND, json!("NotFound"))
    );
    assert_eq!(
        sup.call(
            "reopen_case",
            &[
                ("family_id", &id),
                ("version", &app.version("family", &id).await),
                ("reason", "Family asked for help again")
            ]
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        cw.call("add_note", &[("family_id", &id), ("body", "Visited again")])
            .await
            .0,
        StatusCode::OK
    );
    let (_, case) = cw.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(case["status"], "in_progress");
    let kinds: Vec<&str> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for k in [
        "closure_requested",
        "closure_returned",
        "case_closed",
        "case_reopened",
    ] {
        assert!(kinds.contains(&k), "{k} on the timeline");
    }
}

/// Who may use the follow-up and closure functions on a Kabul case.
async fn follow_up_functions_against_every_role(app: TestApp) {
    app.people().await;
    app.user("cw.herat@test.org", "caseworker", "morr", &["AF-HER"])
        .await;
    let id = assessed(&app).await;
    // (email, may do casework, is a supervisor of the case)
    let roles = [
        (CASEWORKER, true, false),
        ("cw.herat@test.org", false, false),
        (SUPERVISOR, true, true),
        (CASEWORKER_IQ, false, false),
        (SUPERVISOR_IQ, false, false),
        (PARTNER, false, false),
        (MANAGER, false, false),
        (ADMIN, false, false),
    ];
    let gone = (StatusCode::NOT_FOUND, json!("NotFound"));
    for (email, casework, supervises) in roles {
        let c = app.signed_in(email).await;
        let got = c.call("case_follow_ups", &[("family_id", &id)]).await;
        assert_eq!(got.0 == StatusCode::OK, casework, "{email} case_follow_ups");
        if !casework {
            assert_eq!(got, gone);
        }
        let got = c
            .call(
                "schedule_follow_up",
                &[
                    ("family_id", &id),
                    ("kind", "home_visit"),
                    ("due_on", "2026-12-01"),
                    ("calendar", "gregorian"),
                ],
            )
            .await;
        assert_eq!(
            got.0 == StatusCode::OK,
            casework,
            "{email} schedule_follow_up"
        );
        let got = c
            .call(
                "decide_closure",
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
            assert_eq!(got, gone, "{email} decide_closure");
        }
        let got = c.call("work_list", &[("list", "today")]).await;
        let ministry = [
            CASEWORKER,
            "cw.herat@test.org",
            SUPERVISOR,
            CASEWORKER_IQ,
            SUPERVISOR_IQ,
        ]
        .contains(&email);
        assert_eq!(got.0 == StatusCode::OK, ministry, "{email} work_list");
        if !ministry {
            assert_eq!(got, (StatusCode::FORBIDDEN, json!("Forbidden")));
        }
    }
}

on_both_databases!(
    the_first_assessment_proposes_the_schedule_from_the_template,
    follow_ups_are_recorded_done_with_a_reassessment_or_missed_with_the_attempt,
    work_lists_show_what_is_due_and_who_is_behind,
    the_digest_goes_out_once_a_day_after_seven_local_time,
    closure_is_requested_approved_and_reopened,
    follow_up_functions_against_every_role,
);
