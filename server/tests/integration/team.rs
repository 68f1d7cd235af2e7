//! A supervisor's team: caseloads, reassigning a selection of cases in one step, and a
//! deactivated caseworker's cases handed on. Cases move with their scheduled follow-ups
//! (before, a reassigned case left them on the old caseworker's work list).

use crate::assessments::{answers, form, refs};
use crate::common::*;
use crate::families::register_ahmadi;
use crate::on_both_databases;
use reqwest::StatusCode;
use serde_json::{json, Value};

const KABUL_2: &str = "cw2.af@test.org";
const HERAT: &str = "cw.her@test.org";

/// Registered and assessed by the Kabul caseworker: its follow-up schedule is theirs.
async fn assessed(app: &TestApp, id: &str) {
    let cw = app.signed_in(CASEWORKER).await;
    let (code, body) = cw
        .call(
            "record_assessment",
            &refs(&form(id, "2026-10-20", &answers(true))),
        )
        .await;
    assert_eq!(code, StatusCode::OK, "{body}");
}

async fn scheduled_for(app: &TestApp, user: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM follow_up WHERE status = 'scheduled' AND assigned_to = '{user}'"
    ))
    .await
}

async fn assignee(app: &TestApp, id: &str) -> Option<String> {
    sqlx::query_scalar("SELECT assigned_to FROM family WHERE family_id = $1")
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// The regression: reassigning one case from its page moves its scheduled follow-ups, so they
/// leave the old caseworker's work list and reach the new one's.
async fn reassigning_a_case_moves_its_scheduled_follow_ups(app: TestApp) {
    let people = app.people().await;
    let cw2 = app.user(KABUL_2, "caseworker", "morr", &["AF-KAB"]).await;
    let id = register_ahmadi(&app).await;
    assessed(&app, &id).await;
    let scheduled = scheduled_for(&app, &people.caseworker).await;
    assert!(scheduled > 0);

    let sup = app.signed_in(SUPERVISOR).await;
    let version = app.version("family", &id).await;
    let assign = [
        ("family_id", id.as_str()),
        ("version", version.as_str()),
        ("user_id", cw2.as_str()),
    ];
    assert_eq!(sup.call("assign_case", &assign).await.0, StatusCode::OK);
    assert_eq!(scheduled_for(&app, &people.caseworker).await, 0);
    assert_eq!(scheduled_for(&app, &cw2).await, scheduled);

    // A year on, every visit is overdue: on the new caseworker's list, not the old one's.
    app.advance(chrono::Duration::days(365));
    let overdue = async |email: &str| {
        let (_, v) = app
            .signed_in(email)
            .await
            .call("work_list", &[("list", "overdue")])
            .await;
        v["rows"].as_array().unwrap().len() as i64
    };
    assert_eq!(overdue(KABUL_2).await, scheduled);
    assert_eq!(overdue(CASEWORKER).await, 0);
}

fn row<'a>(team: &'a Value, name: Option<&str>) -> &'a Value {
    team.as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"].as_str() == name)
        .unwrap_or_else(|| panic!("no row {name:?} in {team}"))
}

async fn the_team_page_counts_caseloads_and_reassigns_a_selection_all_or_nothing(app: TestApp) {
    let people = app.people().await;
    let cw2 = app.user(KABUL_2, "caseworker", "morr", &["AF-KAB"]).await;
    let herat = app
        .user(HERAT, "caseworker", "morr", &["AF-HER", "AF-KAB"])
        .await;
    let ahmadi = register_ahmadi(&app).await;
    assessed(&app, &ahmadi).await;
    let hotaki = crate::anonymisation::register_hotaki(&app).await;
    let her = app.signed_in(HERAT).await;
    let rahimi = [(
        "زهرا رحیمی",
        "Zahra Rahimi",
        "Karim Rahimi",
        "female",
        "35",
        "head",
        "",
    )];
    let (code, herat_case) = her
        .call(
            "register_family",
            &crate::families::refs(&crate::families::registration("AF-HER", &rahimi)),
        )
        .await;
    assert_eq!(code, StatusCode::OK, "{herat_case}");
    let herat_case = herat_case.as_str().unwrap().to_string();
    let cw = app.signed_in(CASEWORKER).await;
    let ask = [("family_id", hotaki.as_str()), ("reason", "moved_away")];
    assert_eq!(cw.call("request_closure", &ask).await.0, StatusCode::OK);

    let sup = app.signed_in(SUPERVISOR).await;
    let (code, team) = sup.call("team_caseload", &[]).await;
    assert_eq!(code, StatusCode::OK, "{team}");
    let mine = row(&team, Some("User cw.af@test.org"));
    assert_eq!(mine["open_cases"], 2);
    assert_eq!(mine["pending_closures"], 1);
    assert_eq!(mine["user_id"], json!(people.caseworker));
    assert_eq!(row(&team, Some("User cw2.af@test.org"))["open_cases"], 0);
    assert_eq!(row(&team, Some("User cw.her@test.org"))["open_cases"], 1);
    // Only the ministry's caseworkers; Iraq's are not on Afghanistan's team.
    assert!(!team.to_string().contains("cw.iq@test.org"), "{team}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'team_viewed'")
            .await,
        1
    );

    // The Herat case cannot go to a caseworker of Kabul only: nothing moves.
    let before = app.count("SELECT COUNT(*) FROM case_event").await;
    let mixed = [
        ("family_ids[]", ahmadi.as_str()),
        ("family_ids[]", herat_case.as_str()),
        ("user_id", cw2.as_str()),
    ];
    assert_eq!(
        sup.call("reassign_cases", &mixed).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"user_id": "NotInCaseAreas"}})
        )
    );
    assert_eq!(
        assignee(&app, &ahmadi).await,
        Some(people.caseworker.clone())
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM case_event").await, before);
    // Nobody chosen, or someone who is not a caseworker of the ministry.
    let nobody = [("user_id", cw2.as_str())];
    assert_eq!(
        sup.call("reassign_cases", &nobody).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"family_ids": "Required"}})
        )
    );
    for stranger in [
        &people.caseworker_iq,
        &people.supervisor,
        &"no-such-user".to_string(),
    ] {
        let form = [
            ("family_ids[]", ahmadi.as_str()),
            ("user_id", stranger.as_str()),
        ];
        assert_eq!(
            sup.call("reassign_cases", &form).await,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"Invalid": {"user_id": "InvalidChoice"}})
            ),
            "{stranger}"
        );
    }

    // Both Kabul cases, and the Herat one, to the caseworker who works in both provinces,
    // as a plain form from the team page (no JavaScript): one step, each case's timeline.
    let assigned = "SELECT COUNT(*) FROM case_event WHERE kind = 'assigned'";
    let assigned_before = app.count(assigned).await;
    let from = format!("/team?caseworker={}", people.caseworker);
    let response = sup
        .post_form(
            "reassign_cases",
            &from,
            &[
                ("family_ids[]", ahmadi.as_str()),
                ("family_ids[]", hotaki.as_str()),
                ("family_ids[]", herat_case.as_str()),
                ("family_ids[]", ahmadi.as_str()),
                ("user_id", herat.as_str()),
                ("from", people.caseworker.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()["location"], from.as_str());
    for id in [&ahmadi, &hotaki, &herat_case] {
        assert_eq!(assignee(&app, id).await, Some(herat.clone()));
    }
    assert_eq!(scheduled_for(&app, &people.caseworker).await, 0);
    assert!(scheduled_for(&app, &herat).await > 0);
    assert_eq!(
        app.count(assigned).await - assigned_before,
        3,
        "one event per case, the repeated id once"
    );
    let (_, body, _) = sup.page(&from).await;
    assert!(body.contains("The cases were reassigned"), "{body}");
    let (_, team) = sup.call("team_caseload", &[]).await;
    assert_eq!(row(&team, Some("User cw.af@test.org"))["open_cases"], 0);
    assert_eq!(row(&team, Some("User cw.her@test.org"))["open_cases"], 3);
    assert_eq!(
        row(&team, Some("User cw.her@test.org"))["pending_closures"],
        1
    );

    // The Kabul caseworker lost sight of nothing (same province), but the cases are no longer
    // theirs: "my cases" is empty.
    let (_, mine) = cw.call("list_cases", &[("filter[assigned]", "me")]).await;
    assert_eq!(mine["total"], 0);
}

/// Who may see the team and reassign: supervisors, in their own country. Everyone else is
/// refused, and for a case out of sight the answer is that it does not exist.
async fn only_a_supervisor_of_the_country_sees_the_team_and_reassigns(app: TestApp) {
    let people = app.people().await;
    let cw2 = app.user(KABUL_2, "caseworker", "morr", &["AF-KAB"]).await;
    let id = register_ahmadi(&app).await;
    for (email, may_see, may_reassign) in [
        (CASEWORKER, false, false),
        (SUPERVISOR, true, true),
        (CASEWORKER_IQ, false, false),
        (SUPERVISOR_IQ, true, false),
        (PARTNER, false, false),
        (MANAGER, false, false),
        (ADMIN, false, false),
    ] {
        let c = app.signed_in(email).await;
        let (code, body) = c.call("team_caseload", &[]).await;
        let expected = if may_see {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(code, expected, "{email}: {body}");
        let form = [("family_ids[]", id.as_str()), ("user_id", cw2.as_str())];
        let (code, body) = c.call("reassign_cases", &form).await;
        if may_reassign {
            assert_eq!(code, StatusCode::OK, "{email}: {body}");
            assert_eq!(body, json!(1));
        } else {
            assert_eq!(
                (code, body),
                (StatusCode::NOT_FOUND, json!("NotFound")),
                "{email}"
            );
        }
        let (code, _) = c
            .call("handover_choices", &[("user_id", &people.caseworker)])
            .await;
        let admin = email == ADMIN;
        assert_eq!(code == StatusCode::OK, admin, "{email}");
    }
    // Anonymous callers are answered before anything is stored.
    let before = app.count("SELECT COUNT(*) FROM audit_event").await;
    let form = [("family_ids[]", id.as_str()), ("user_id", cw2.as_str())];
    assert_eq!(
        app.client().call("reassign_cases", &form).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_event").await, before);
    // The Iraqi supervisor's refusal of an Afghan case is audited as one.
    assert!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'access_refused'")
            .await
            >= 1
    );
}

/// Two supervisors reassigning overlapping selections at the same moment: the steps queue on
/// the cases' locks, and every case ends with one caseworker, its follow-ups with the same.
async fn parallel_reassignments_leave_every_case_and_its_follow_ups_together(app: TestApp) {
    app.people().await;
    let cw2 = app.user(KABUL_2, "caseworker", "morr", &["AF-KAB"]).await;
    let cw3 = app
        .user("cw3.af@test.org", "caseworker", "morr", &["AF-KAB"])
        .await;
    app.user("sup2.af@test.org", "supervisor", "morr", &[])
        .await;
    let a = register_ahmadi(&app).await;
    assessed(&app, &a).await;
    let b = crate::anonymisation::register_hotaki(&app).await;
    assessed(&app, &b).await;
    let one = std::sync::Arc::new(app.signed_in(SUPERVISOR).await);
    let two = std::sync::Arc::new(app.signed_in("sup2.af@test.org").await);
    let assigned = "SELECT COUNT(*) FROM case_event WHERE kind = 'assigned'";
    let assigned_before = app.count(assigned).await;
    let mut tasks = Vec::new();
    for round in 0..6 {
        let (c, to) = if round % 2 == 0 {
            (one.clone(), cw2.clone())
        } else {
            (two.clone(), cw3.clone())
        };
        let (x, y) = if round % 3 == 0 {
            (a.clone(), b.clone())
        } else {
            (b.clone(), a.clone())
        };
        tasks.push(tokio::spawn(async move {
            let form = [
                ("family_ids[]", x.as_str()),
                ("family_ids[]", y.as_str()),
                ("user_id", to.as_str()),
            ];
            c.call("reassign_cases", &form).await.0
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM follow_up fu JOIN family f ON f.family_id = fu.family_id
             WHERE fu.status = 'scheduled' AND fu.assigned_to <> f.assigned_to"
        )
        .await,
        0
    );
    assert_eq!(app.count(assigned).await - assigned_before, 12);
}

/// Deactivating a caseworker asks where their open cases go, and takes them there with their
/// follow-ups; left to nobody, they wait on the team page for a supervisor.
async fn deactivating_a_caseworker_hands_their_cases_on(app: TestApp) {
    let people = app.people().await;
    let cw2 = app.user(KABUL_2, "caseworker", "morr", &["AF-KAB"]).await;
    let herat_only = app.user(HERAT, "caseworker", "morr", &["AF-HER"]).await;
    let id = register_ahmadi(&app).await;
    assessed(&app, &id).await;
    let admin = app.signed_in(ADMIN).await;

    let (code, choices) = admin
        .call("handover_choices", &[("user_id", &people.caseworker)])
        .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        choices,
        json!({"open_cases": 1, "successors": [{"user_id": cw2, "name": "User cw2.af@test.org"}]})
    );
    let (_, body, _) = admin
        .page(&format!("/admin/users/{}", people.caseworker))
        .await;
    assert!(
        body.contains("open cases are assigned to this caseworker"),
        "{body}"
    );

    let deactivate = async |cases_to: &str| {
        admin
            .call(
                "deactivate_user",
                &[("user_id", &people.caseworker), ("cases_to", cases_to)],
            )
            .await
    };
    for (cases_to, error) in [
        ("", "Required"),
        (herat_only.as_str(), "NotInCaseAreas"),
        (people.caseworker.as_str(), "InvalidChoice"),
        (people.supervisor.as_str(), "InvalidChoice"),
    ] {
        assert_eq!(
            deactivate(cases_to).await,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"Invalid": {"cases_to": error}})
            ),
            "{cases_to}"
        );
    }
    assert_eq!(assignee(&app, &id).await, Some(people.caseworker.clone()));
    assert_eq!(
        app.count(&format!(
            "SELECT active FROM app_user WHERE user_id = '{}'",
            people.caseworker
        ))
        .await,
        1,
        "a refused deactivation changes nothing"
    );

    // Left to nobody: the team page shows them unassigned; the supervisor assigns them.
    let version = app.version("family", &id).await;
    assert_eq!(deactivate("none").await.0, StatusCode::OK);
    assert_eq!(assignee(&app, &id).await, None);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM follow_up WHERE status = 'scheduled' AND assigned_to IS NOT NULL"
        )
        .await,
        0
    );
    assert_ne!(
        app.version("family", &id).await,
        version,
        "open forms conflict"
    );
    let sup = app.signed_in(SUPERVISOR).await;
    let (_, case) = sup.call("get_case", &[("family_id", &id)]).await;
    assert!(
        case["events"].to_string().contains("\"unassigned\""),
        "{case}"
    );
    let (_, team) = sup.call("team_caseload", &[]).await;
    assert_eq!(row(&team, None)["open_cases"], 1);
    let (_, body, _) = sup.page("/team?caseworker=none").await;
    assert!(body.contains("AF-2026-000001"), "{body}");
    // As a plain form: the "not assigned" row goes with its last case, the message stays.
    let form = [
        ("family_ids[]", id.as_str()),
        ("user_id", cw2.as_str()),
        ("from", "none"),
    ];
    let response = sup
        .post_form("reassign_cases", "/team?caseworker=none", &form)
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let (_, body, _) = sup.page("/team?caseworker=none").await;
    assert!(body.contains("The cases were reassigned"), "{body}");
    assert_eq!(assignee(&app, &id).await, Some(cw2.clone()));
    assert!(scheduled_for(&app, &cw2).await > 0);

    // A caseworker with cases handed straight to a colleague.
    let (code, _) = admin
        .call(
            "deactivate_user",
            &[("user_id", &cw2), ("cases_to", &people.caseworker)],
        )
        .await;
    assert_eq!(
        code,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the colleague is deactivated"
    );
    let (code, _) = admin
        .call("reactivate_user", &[("user_id", &people.caseworker)])
        .await;
    assert_eq!(code, StatusCode::OK);
    let (code, body) = admin
        .call(
            "deactivate_user",
            &[("user_id", &cw2), ("cases_to", &people.caseworker)],
        )
        .await;
    assert_eq!(code, StatusCode::OK, "{body}");
    assert_eq!(assignee(&app, &id).await, Some(people.caseworker.clone()));
    assert_eq!(scheduled_for(&app, &cw2).await, 0);
    // A caseworker without open cases is deactivated without being asked.
    let (code, _) = admin
        .call("deactivate_user", &[("user_id", &herat_only)])
        .await;
    assert_eq!(code, StatusCode::OK);
}

on_both_databases!(
    reassigning_a_case_moves_its_scheduled_follow_ups,
    the_team_page_counts_caseloads_and_reassigns_a_selection_all_or_nothing,
    only_a_supervisor_of_the_country_sees_the_team_and_reassigns,
    parallel_reassignments_leave_every_case_and_its_follow_ups_together,
    deactivating_a_caseworker_hands_their_cases_on,
);
