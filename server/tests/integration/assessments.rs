//! Assessments and the reintegration plan: scoring and storing with the instrument version,
//! the plan proposed from needs, conflict-checked plan edits, the no-JavaScript flow, and
//! who may do each, in scope and out.

use crate::common::*;
use crate::families::register_ahmadi;
use crate::on_both_databases;
use reqwest::StatusCode;
use serde_json::{json, Value};
use shared::assessment::{self, Answers};

/// Answers to one question per dimension at least. `low` answers reveal needs: no income,
/// makeshift shelter, distress most days.
pub fn answers(low: bool) -> Vec<(String, String)> {
    let pick = |worse: &str, better: &str| if low { worse } else { better }.to_string();
    vec![
        ("income_sources".into(), pick("none", "several")),
        ("food_security".into(), pick("sometimes_not", "enough")),
        ("housing".into(), pick("no_shelter", "adequate_rented")),
        ("education_access".into(), "not_applicable".into()),
        ("identity_documents".into(), "all".into()),
        ("distress".into(), pick("most_days", "not_at_all")),
        ("belonging".into(), "somewhat".into()),
    ]
}

pub fn form(family_id: &str, date: &str, answers: &[(String, String)]) -> Vec<(String, String)> {
    let mut f = vec![
        ("family_id".to_string(), family_id.to_string()),
        ("assessed_on".into(), date.into()),
        ("calendar".into(), "gregorian".into()),
    ];
    f.extend(
        answers
            .iter()
            .map(|(k, v)| (assessment::answer_key(k), v.clone())),
    );
    f
}

pub fn refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

pub fn expected(answers: &[(String, String)]) -> assessment::Outcome {
    let a: Answers = answers.iter().cloned().collect();
    assessment::score(assessment::instrument(1).unwrap(), &a)
}

fn close(v: &Value, x: Option<f64>) -> bool {
    match (v.as_f64(), x) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        (None, None) => v.is_null(),
        _ => false,
    }
}

pub async fn progress(c: &Client, id: &str) -> Value {
    let (status, p) = c
        .call("case_progress", &[("family_id", id), ("locale", "en")])
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    p
}

async fn an_assessment_is_scored_stored_with_its_version_and_proposes_the_plan(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let low = answers(true);
    let (status, aid) = c
        .call("record_assessment", &refs(&form(&id, "2026-10-20", &low)))
        .await;
    assert_eq!(status, StatusCode::OK, "{aid}");
    let aid = aid.as_str().unwrap().to_string();

    let (status, r) = c
        .call(
            "get_assessment",
            &[
                ("family_id", &id),
                ("assessment_id", &aid),
                ("locale", "en"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let want = expected(&low);
    let s = &r["row"]["scores"];
    assert!(close(&s["economic"], want.scores.economic), "{s}");
    assert!(close(&s["social"], want.scores.social), "{s}");
    assert!(close(&s["psychosocial"], want.scores.psychosocial), "{s}");
    assert!(close(&s["composite"], want.scores.composite), "{s}");
    assert_eq!(r["row"]["instrument_version"], 1);
    let needs: Vec<&str> = r["needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["need"].as_str().unwrap())
        .collect();
    assert_eq!(needs, vec!["income_sources", "housing", "distress"]);
    assert_eq!(r["needs"][1]["label"], "Housing");
    assert_eq!(r["needs"][1]["service"], "housing");
    assert_eq!(r["answers"].as_array().unwrap().len(), low.len());

    // The plan holds one proposed item per need, due a month after the assessment.
    let p = progress(&c, &id).await;
    let plan = p["plan"].as_array().unwrap();
    assert_eq!(plan.len(), 3);
    assert!(plan.iter().all(|i| i["status"] == "proposed"));
    assert!(plan.iter().all(|i| i["target_date"] == "2026-11-19"));

    // The first assessment moves the case to "assessed", on the timeline and in the audit log.
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(case["status"], "assessed");
    assert_eq!(case["events"][0]["kind"], "assessed");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'assessment_recorded'")
            .await,
        1
    );

    // A second, better assessment: two points over time, no duplicate plan items.
    let mut better = answers(false);
    better[0].1 = "none".into();
    let (status, _) = c
        .call(
            "record_assessment",
            &refs(&form(&id, "2026-11-01", &better)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let p = progress(&c, &id).await;
    let rows = p["assessments"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["assessed_on"], "2026-10-20");
    assert_eq!(rows[1]["assessed_on"], "2026-11-01");
    assert!(
        rows[1]["scores"]["composite"].as_f64() > rows[0]["scores"]["composite"].as_f64(),
        "progress shows"
    );
    assert_eq!(
        p["plan"].as_array().unwrap().len(),
        3,
        "income is still open"
    );
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(case["status"], "assessed");
}

async fn bad_answers_are_refused_field_by_field_and_nothing_is_saved(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let mut bad = answers(true);
    for (k, v) in bad.iter_mut() {
        if k == "housing" {
            *v = "palace".into();
        }
    }
    bad.retain(|(k, _)| k != "distress" && k != "belonging");
    let mut f = form(&id, "2030-01-01", &bad);
    f.push(("member_id".into(), "not-a-member".into()));
    let (status, body) = c.call("record_assessment", &refs(&f)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body,
        json!({"Invalid": {
            "answers[housing]": "InvalidChoice",
            "assessed_on": "DateInFuture",
            "member_id": "InvalidChoice",
        }})
    );
    bad.retain(|(k, _)| k != "housing");
    let (status, body) = c
        .call("record_assessment", &refs(&form(&id, "2026-10-20", &bad)))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"Invalid": {"dimension[psychosocial]": "Required"}}),
        "every dimension needs an answer"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM assessment").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM plan_item").await, 0);
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(case["status"], "registered");
}

async fn an_individual_members_assessment_is_kept_apart_from_the_familys(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let (_, case) = c.call("get_case", &[("family_id", &id)]).await;
    let zahra = case["members"][2]["member_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut f = form(&id, "2026-10-20", &answers(false));
    f.push(("member_id".into(), zahra));
    let (status, _) = c.call("record_assessment", &refs(&f)).await;
    assert_eq!(status, StatusCode::OK);
    let p = progress(&c, &id).await;
    assert_eq!(p["assessments"][0]["member_name"], "زهرا");
}

/// Stored scores are what was computed when the assessment was taken: reading never
/// recomputes them (a later instrument version with other weights changes nothing).
async fn recorded_scores_are_shown_as_recorded(app: TestApp) {
    let people = app.people().await;
    let id = register_ahmadi(&app).await;
    sqlx::query(
        "INSERT INTO assessment (assessment_id, family_id, member_id, instrument_version,
             assessed_on, economic, social, psychosocial, composite, answers, created_by, created_at)
         VALUES ('old', $1, NULL, 1, '2026-09-01', 0.25, 0.5, 0.75, 0.5,
             '{\"income_sources\":\"several\"}', $2, '2026-09-01T08:00:00.000000Z')",
    )
    .bind(&id)
    .bind(&people.caseworker)
    .execute(&app.state.db.pool)
    .await
    .unwrap();
    let c = app.signed_in(CASEWORKER).await;
    let p = progress(&c, &id).await;
    let s = &p["assessments"][0]["scores"];
    assert_eq!(
        (&s["economic"], &s["composite"]),
        (&json!(0.25), &json!(0.5))
    );
}

async fn the_plan_is_confirmed_and_a_stale_edit_changes_nothing(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    c.call(
        "record_assessment",
        &refs(&form(&id, "2026-10-20", &answers(true))),
    )
    .await;
    let plan = progress(&c, &id).await["plan"].clone();
    let item = |i: usize, status: &str, action: &str, date: &str, version: &Value| {
        let k = |f: &str| shared::plan::item_key(i, f);
        vec![
            (
                k("id"),
                plan[i]["plan_item_id"].as_str().unwrap().to_string(),
            ),
            (k("version"), version.to_string()),
            (k("action"), action.to_string()),
            (
                k("service"),
                plan[i]["service"].as_str().unwrap().to_string(),
            ),
            (k("target_date"), date.to_string()),
            (k("status"), status.to_string()),
        ]
    };
    let with = |items: Vec<Vec<(String, String)>>| {
        let mut f = vec![
            ("family_id".to_string(), id.clone()),
            ("calendar".into(), "gregorian".into()),
        ];
        f.extend(items.into_iter().flatten());
        f
    };
    // Confirming without an action or date is refused beside the fields.
    let (status, body) = c
        .call(
            "save_plan",
            &refs(&with(vec![item(0, "planned", "", "", &plan[0]["version"])])),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"Invalid": {"items[0][action]": "Required", "items[0][target_date]": "Required"}})
    );
    let first = with(vec![
        item(
            0,
            "planned",
            "Cash for work, district council",
            "2026-12-15",
            &plan[0]["version"],
        ),
        item(
            1,
            "in_progress",
            "Shelter kit and rent support",
            "2026-11-30",
            &plan[1]["version"],
        ),
    ]);
    let case_status = async || c.call("get_case", &[("family_id", &id)]).await.1["status"].clone();
    assert_eq!(case_status().await, "assessed");
    let (status, body) = c.call("save_plan", &refs(&first)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Confirming the plan starts the work: the case is in progress.
    assert_eq!(case_status().await, "in_progress");
    let saved = progress(&c, &id).await["plan"].clone();
    assert_eq!(saved[0]["status"], "planned");
    assert_eq!(saved[0]["action"], "Cash for work, district council");
    assert_eq!(saved[0]["version"], 2);
    assert_eq!(saved[1]["target_date"], "2026-11-30");
    assert_eq!(saved[2]["status"], "proposed", "untouched items stay");

    // The same form sent again carries old versions: a conflict, and nothing is written,
    // not even the item that was not stale.
    let stale = with(vec![
        item(2, "cancelled", "", "", &saved[2]["version"]),
        item(0, "done", "Finished", "", &plan[0]["version"]),
    ]);
    let (status, body) = c.call("save_plan", &refs(&stale)).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, json!("Conflict")));
    let after = progress(&c, &id).await["plan"].clone();
    assert_eq!(after, saved);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM case_event WHERE kind = 'plan_updated'")
            .await,
        1
    );
}

async fn a_plain_form_assessment_goes_to_its_result_page(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let (status, html, _) = c.page(&format!("/cases/{id}/assess")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("name=\"answers[housing]\"")
            && html.contains("Where does the household live?")
    );
    let bad = form(&id, "", &answers(true));
    let res = c
        .post_form(
            "record_assessment",
            &format!("/cases/{id}/assess"),
            &refs(&bad),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let (_, html, _) = c.page(&format!("/cases/{id}/assess")).await;
    assert!(html.contains("aria-invalid=\"true\""), "the date is marked");
    assert!(
        html.contains("value=\"no_shelter\" checked"),
        "the answers given come back: {}",
        html.len()
    );
    let res = c
        .post_form(
            "record_assessment",
            &format!("/cases/{id}/assess"),
            &refs(&form(&id, "2026-10-20", &answers(true))),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with(&format!("/cases/{id}/assessments/")), "{to}");
    let (status, html, _) = c.page(&to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Needs found") && html.contains("Housing and shelter"));
    let (_, html, _) = c.page(&format!("/cases/{id}")).await;
    assert!(
        html.contains("<svg") && html.contains("series-composite"),
        "the chart is on the page"
    );
}

/// Who may assess and plan a Kabul case: every function against every role.
async fn assessment_functions_against_every_role_in_scope_and_out(app: TestApp) {
    app.people().await;
    app.user("cw.herat@test.org", "caseworker", "morr", &["AF-HER"])
        .await;
    let id = register_ahmadi(&app).await;
    let owner = app.signed_in(CASEWORKER).await;
    let (_, aid) = owner
        .call(
            "record_assessment",
            &refs(&form(&id, "2026-10-20", &answers(true))),
        )
        .await;
    let aid = aid.as_str().unwrap().to_string();
    let roles = [
        (CASEWORKER, true),
        ("cw.herat@test.org", false),
        (SUPERVISOR, true),
        (CASEWORKER_IQ, false),
        (SUPERVISOR_IQ, false),
        (PARTNER, false),
        (MANAGER, false),
        (ADMIN, false),
    ];
    for (email, may) in roles {
        let c = app.signed_in(email).await;
        let plan = progress(&owner, &id).await["plan"].clone();
        let calls: Vec<(&str, Vec<(String, String)>)> = vec![
            (
                "assessment_form",
                vec![
                    ("family_id".into(), id.clone()),
                    ("locale".into(), "en".into()),
                ],
            ),
            (
                "record_assessment",
                form(&id, "2026-10-21", &answers(false)),
            ),
            (
                "get_assessment",
                vec![
                    ("family_id".into(), id.clone()),
                    ("assessment_id".into(), aid.clone()),
                    ("locale".into(), "en".into()),
                ],
            ),
            (
                "case_progress",
                vec![
                    ("family_id".into(), id.clone()),
                    ("locale".into(), "en".into()),
                ],
            ),
            (
                "save_plan",
                vec![
                    ("family_id".into(), id.clone()),
                    (
                        "items[0][id]".into(),
                        plan[0]["plan_item_id"].as_str().unwrap().into(),
                    ),
                    ("items[0][version]".into(), plan[0]["version"].to_string()),
                    ("items[0][service]".into(), "livelihood".into()),
                    ("items[0][status]".into(), "proposed".into()),
                ],
            ),
        ];
        for (endpoint, args) in calls {
            let (status, body) = c.call(endpoint, &refs(&args)).await;
            if may {
                assert_eq!(status, StatusCode::OK, "{email} {endpoint}: {body}");
            } else {
                assert_eq!(
                    (status, body),
                    (StatusCode::NOT_FOUND, json!("NotFound")),
                    "{email} {endpoint}: out of sight looks like missing"
                );
            }
        }
    }
    // Nobody without access changed anything: only the owner's and the supervisor's assessments.
    assert_eq!(app.count("SELECT COUNT(*) FROM assessment").await, 3);
}

on_both_databases!(
    an_assessment_is_scored_stored_with_its_version_and_proposes_the_plan,
    bad_answers_are_refused_field_by_field_and_nothing_is_saved,
    an_individual_members_assessment_is_kept_apart_from_the_familys,
    recorded_scores_are_shown_as_recorded,
    the_plan_is_confirmed_and_a_stale_edit_changes_nothing,
    a_plain_form_assessment_goes_to_its_result_page,
    assessment_functions_against_every_role_in_scope_and_out,
);
