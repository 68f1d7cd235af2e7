//! Transfers between provinces' teams: proposed by the sending side, accepted (and assigned)
//! or declined by a supervisor who did not propose it; the case, its scheduled follow-ups and
//! its open referrals move on acceptance, and both sides are emailed.

use crate::common::*;
use crate::families::register_ahmadi;
use crate::on_both_databases;
use crate::referrals::{assessed_family, directory, item, outbox, send, version};
use reqwest::StatusCode;
use serde_json::{json, Value};

const BALKH: &str = "cw.bal@test.org";
const BALKH_SUPERVISOR: &str = "sup.bal@test.org";
const HERAT: &str = "cw.her@test.org";

fn proposal<'a>(id: &'a str, to: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("family_id", id),
        ("to_province", to),
        ("to_district", "Mazar-i-Sharif"),
        ("reason", "family_moved"),
        (
            "note",
            "Moved in with the wife's brother; the eldest son needs school.",
        ),
    ]
}

async fn propose(c: &Client, id: &str) -> (StatusCode, Value) {
    c.call("propose_transfer", &proposal(id, "AF-BAL")).await
}

async fn decide(c: &Client, id: &str, decision: &str, user_id: &str, comment: &str) -> StatusCode {
    let form = [
        ("family_id", id),
        ("decision", decision),
        ("user_id", user_id),
        ("comment", comment),
    ];
    let (code, body) = c.call("decide_transfer", &form).await;
    assert!(code != StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    code
}

async fn field(app: &TestApp, column: &str, id: &str) -> Option<String> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {column} FROM family WHERE family_id = $1"
    )))
    .bind(id)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap()
}

async fn events(app: &TestApp, id: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM case_event WHERE family_id = $1 ORDER BY case_event_id")
        .bind(id)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

async fn sees(app: &TestApp, email: &str, id: &str) -> bool {
    let (code, body) = app
        .signed_in(email)
        .await
        .call("get_case", &[("family_id", id)])
        .await;
    assert!(
        code == StatusCode::OK || code == StatusCode::NOT_FOUND,
        "{body}"
    );
    code == StatusCode::OK
}

/// The whole way: a referred, followed-up case proposed for Balkh, accepted there and given to
/// Balkh's caseworker; everything that was in hand goes with it.
async fn an_accepted_transfer_moves_the_case_with_its_follow_ups_and_referrals(app: TestApp) {
    let people = app.people().await;
    directory(&app).await;
    let balkh = app.user(BALKH, "caseworker", "morr", &["AF-BAL"]).await;
    app.user(BALKH_SUPERVISOR, "supervisor", "morr", &[]).await;
    let (id, plan) = assessed_family(&app).await;
    let (code, referral) = send(&app, &id, item(&plan, "housing"), "housing", "ngo-a").await;
    assert_eq!(code, StatusCode::OK, "{referral}");
    let referral = referral.as_str().unwrap().to_string();
    let cw = app.signed_in(CASEWORKER).await;
    let today = app.now().date_naive().to_string();
    let visit = [
        ("family_id", id.as_str()),
        ("kind", "home_visit"),
        ("due_on", today.as_str()),
        ("calendar", "gregorian"),
    ];
    assert_eq!(
        cw.call("schedule_follow_up", &visit).await.0,
        StatusCode::OK
    );
    sqlx::query("DELETE FROM email_outbox")
        .execute(&app.state.db.pool)
        .await
        .unwrap();

    let (code, body) = propose(&cw, &id).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    // Until it is accepted the case stays where it is, with whoever had it.
    assert_eq!(
        field(&app, "province", &id).await.as_deref(),
        Some("AF-KAB")
    );
    assert!(sees(&app, CASEWORKER, &id).await);
    assert!(!sees(&app, BALKH, &id).await);
    let (_, panel) = cw.call("case_transfer", &[("family_id", &id)]).await;
    assert_eq!(panel["latest"]["to_province"], "AF-BAL");
    assert_eq!(panel["latest"]["proposed_by_you"], true);
    assert_eq!(
        (
            &panel["may_propose"],
            &panel["may_withdraw"],
            &panel["may_decide"]
        ),
        (&json!(false), &json!(true), &json!(false))
    );
    // The ministry's supervisors are told (each may answer it), by case number only.
    let mail = outbox(&app).await;
    let mut to: Vec<(&str, &str)> = mail.iter().map(|m| (m.0.as_str(), m.1.as_str())).collect();
    to.sort();
    assert_eq!(
        to,
        [
            ("transfer_proposed", SUPERVISOR),
            ("transfer_proposed", BALKH_SUPERVISOR),
        ]
    );
    assert!(mail[0].3.contains(&format!("/cases/{id}#transfer")));
    assert!(!mail[0].3.contains("Ahmadi"), "no names in email");

    // On the work list of transfers waiting, for the supervisors of the country.
    let receiving = app.signed_in(BALKH_SUPERVISOR).await;
    let (_, waiting) = receiving.call("work_list", &[("list", "transfers")]).await;
    assert_eq!(waiting["rows"][0]["family_id"], json!(id));
    assert_eq!(waiting["rows"][0]["detail"], "AF-BAL");
    let (_, panel) = receiving.call("case_transfer", &[("family_id", &id)]).await;
    assert_eq!(panel["may_decide"], true);
    assert_eq!(
        panel["receivers"],
        json!([{"user_id": balkh, "name": format!("User {BALKH}")}])
    );

    // The Kabul caseworker is not Balkh's: refused beside the field, nothing changed.
    let (code, body) = receiving
        .call(
            "decide_transfer",
            &[
                ("family_id", id.as_str()),
                ("decision", "accept"),
                ("user_id", people.caseworker.as_str()),
            ],
        )
        .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body, json!({"Invalid": {"user_id": "NotInCaseAreas"}}));
    assert_eq!(
        field(&app, "province", &id).await.as_deref(),
        Some("AF-KAB")
    );

    assert_eq!(
        decide(&receiving, &id, "accept", &balkh, "").await,
        StatusCode::OK
    );
    assert_eq!(
        field(&app, "province", &id).await.as_deref(),
        Some("AF-BAL")
    );
    assert_eq!(
        field(&app, "district", &id).await.as_deref(),
        Some("Mazar-i-Sharif")
    );
    assert_eq!(field(&app, "assigned_to", &id).await, Some(balkh.clone()));
    // The sending caseworker has lost sight of it; the receiving one has it, visits and all.
    assert!(!sees(&app, CASEWORKER, &id).await);
    assert!(sees(&app, BALKH, &id).await);
    let scheduled = app
        .count(&format!(
            "SELECT COUNT(*) FROM follow_up WHERE family_id = '{id}' AND status = 'scheduled'
             AND assigned_to = '{balkh}'"
        ))
        .await;
    assert!(scheduled >= 1);
    let bal = app.signed_in(BALKH).await;
    let (_, work) = bal.call("work_list", &[("list", "today")]).await;
    assert_eq!(work["rows"][0]["family_id"], json!(id), "{work}");
    // Searches in the new province find it by name.
    let (_, found) = bal.call("list_cases", &[("filter[q]", "Ahmadi")]).await;
    assert_eq!(found["total"], 1, "{found}");

    let kinds = events(&app, &id).await;
    let tail = &kinds[kinds.len() - 3..];
    assert_eq!(tail, ["transfer_proposed", "assigned", "transfer_accepted"]);
    for action in ["transfer_proposed", "transfer_accepted", "transfer_viewed"] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_event WHERE action = '{action}' AND target_id = '{id}'"
            ))
            .await;
        assert!(n >= 1, "{action}");
    }
    // Both sides told: the proposer (who also had the case) once, the new caseworker.
    let mail = outbox(&app).await;
    let mut sent: Vec<(&str, &str)> = mail.iter().map(|m| (m.0.as_str(), m.1.as_str())).collect();
    sent.sort();
    assert_eq!(
        sent,
        [
            ("transfer_accepted", CASEWORKER),
            ("transfer_proposed", SUPERVISOR),
            ("transfer_proposed", BALKH_SUPERVISOR),
            ("transfer_received", BALKH)
        ]
    );

    // The open referral went along: the organisation's answer reaches the new caseworker,
    // who is also the contact the partner sees.
    let p = app.signed_in(PARTNER).await;
    let (_, seen) = p.call("get_referral", &[("referral_id", &referral)]).await;
    assert_eq!(seen["caseworker"], format!("User {BALKH}"), "{seen}");
    let v = version(&p, &referral).await;
    let accept = [
        ("referral_id", referral.as_str()),
        ("version", &v),
        ("decision", "accept"),
    ];
    assert_eq!(p.call("respond_referral", &accept).await.0, StatusCode::OK);
    let mail = outbox(&app).await;
    let answer = mail.iter().find(|m| m.0 == "referral_accepted").unwrap();
    assert_eq!(answer.1, BALKH);
}

/// Declined with a reason (required), withdrawn, or overtaken by the case's closure: the case
/// stays where it was, and each end is on the timeline.
async fn a_declined_or_withdrawn_transfer_leaves_the_case_where_it_was(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let sup = app.signed_in(SUPERVISOR).await;
    assert_eq!(propose(&cw, &id).await.0, StatusCode::OK);
    let (code, body) = sup
        .call(
            "decide_transfer",
            &[("family_id", id.as_str()), ("decision", "decline")],
        )
        .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body, json!({"Invalid": {"comment": "Required"}}));
    let (code, body) = sup
        .call(
            "decide_transfer",
            &[("family_id", id.as_str()), ("decision", "maybe")],
        )
        .await;
    assert_eq!(
        (code, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"decision": "InvalidChoice"}})
        )
    );
    let why = "Balkh has no caseworker for this district yet.";
    assert_eq!(decide(&sup, &id, "decline", "", why).await, StatusCode::OK);
    app.advance(chrono::Duration::minutes(5));
    assert_eq!(
        field(&app, "province", &id).await.as_deref(),
        Some("AF-KAB")
    );
    assert!(sees(&app, CASEWORKER, &id).await);
    let (_, panel) = cw.call("case_transfer", &[("family_id", &id)]).await;
    assert_eq!(panel["latest"]["decision"], "declined");
    assert_eq!(panel["latest"]["comment"], why);
    assert_eq!(panel["may_propose"], true);
    let mail = outbox(&app).await;
    assert!(mail
        .iter()
        .any(|m| m.0 == "transfer_declined" && m.1 == CASEWORKER));
    // Nothing pending: deciding again is a conflict.
    assert_eq!(
        decide(&sup, &id, "accept", "none", "").await,
        StatusCode::CONFLICT
    );

    // Proposed again, then withdrawn by the sending side.
    assert_eq!(propose(&cw, &id).await.0, StatusCode::OK);
    let (code, _) = cw.call("withdraw_transfer", &[("family_id", &id)]).await;
    assert_eq!(code, StatusCode::OK);
    let (code, _) = cw.call("withdraw_transfer", &[("family_id", &id)]).await;
    assert_eq!(code, StatusCode::CONFLICT);
    app.advance(chrono::Duration::minutes(5));

    // Proposed once more, and the case is closed first: the transfer is withdrawn with it.
    assert_eq!(propose(&cw, &id).await.0, StatusCode::OK);
    let close = [("family_id", id.as_str()), ("reason", "moved_away")];
    assert_eq!(cw.call("request_closure", &close).await.0, StatusCode::OK);
    let approve = [("family_id", id.as_str()), ("decision", "approve")];
    assert_eq!(sup.call("decide_closure", &approve).await.0, StatusCode::OK);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_transfer WHERE family_id = '{id}' AND decision IS NULL"
        ))
        .await,
        0
    );
    let (_, panel) = cw.call("case_transfer", &[("family_id", &id)]).await;
    assert_eq!(panel["latest"]["decision"], "withdrawn");
    assert_eq!(panel["may_propose"], false);
    assert_eq!(
        propose(&cw, &id).await,
        (StatusCode::CONFLICT, json!("CaseClosed"))
    );

    let kinds = events(&app, &id).await;
    for kind in ["transfer_declined", "transfer_withdrawn"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
    assert_eq!(
        kinds.iter().filter(|k| *k == "transfer_withdrawn").count(),
        2
    );
}

/// A proposal is checked field by field, and one waits at a time.
async fn a_proposal_is_checked_and_one_waits_at_a_time(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let (code, body) = cw
        .call("propose_transfer", &[("family_id", id.as_str())])
        .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"Invalid": {"to_province": "Required", "to_district": "Required", "reason": "Required"}})
    );
    for (to, error) in [
        ("AF-KAB", "SameProvince"),
        ("IQ-BG", "OutsideCountry"),
        ("AF-XYZ", "InvalidChoice"),
    ] {
        let (code, body) = cw.call("propose_transfer", &proposal(&id, to)).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body, json!({"Invalid": {"to_province": error}}), "{to}");
    }
    let mut long = proposal(&id, "AF-BAL");
    let note = "x".repeat(2001);
    long[4] = ("note", &note);
    let (_, body) = cw.call("propose_transfer", &long).await;
    assert_eq!(
        body,
        json!({"Invalid": {"note": {"TooLong": {"max": 2000}}}})
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM case_transfer").await, 0);

    assert_eq!(propose(&cw, &id).await.0, StatusCode::OK);
    let sup = app.signed_in(SUPERVISOR).await;
    assert_eq!(propose(&sup, &id).await.0, StatusCode::CONFLICT);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_transfer").await, 1);
}

/// Who may propose, withdraw and decide: the case's caseworker and the country's supervisors
/// propose; only a supervisor who did not propose it decides. Everyone else is answered as if
/// the case did not exist.
async fn who_may_propose_and_decide_a_transfer(app: TestApp) {
    app.people().await;
    app.user(HERAT, "caseworker", "morr", &["AF-HER"]).await;
    app.user("sup2.af@test.org", "supervisor", "morr", &[])
        .await;
    let id = register_ahmadi(&app).await;
    let not_found = (StatusCode::NOT_FOUND, json!("NotFound"));
    for email in [HERAT, CASEWORKER_IQ, SUPERVISOR_IQ, PARTNER, MANAGER, ADMIN] {
        let c = app.signed_in(email).await;
        assert_eq!(propose(&c, &id).await, not_found, "{email} proposes");
        let read = c.call("case_transfer", &[("family_id", &id)]).await;
        assert_eq!(read, not_found, "{email} reads");
    }
    for (email, may) in [(CASEWORKER, true), (SUPERVISOR, true)] {
        let c = app.signed_in(email).await;
        assert_eq!(propose(&c, &id).await.0 == StatusCode::OK, may, "{email}");
        let (code, _) = c.call("withdraw_transfer", &[("family_id", &id)]).await;
        assert_eq!(code, StatusCode::OK, "{email} withdraws");
    }

    // Pending, proposed by the supervisor: neither they nor any caseworker decides it.
    let sup = app.signed_in(SUPERVISOR).await;
    assert_eq!(propose(&sup, &id).await.0, StatusCode::OK);
    let (code, body) = sup
        .call(
            "decide_transfer",
            &[
                ("family_id", id.as_str()),
                ("decision", "accept"),
                ("user_id", "none"),
            ],
        )
        .await;
    assert_eq!(
        (code, body),
        (StatusCode::FORBIDDEN, json!("SecondPersonRequired"))
    );
    let (_, panel) = sup.call("case_transfer", &[("family_id", &id)]).await;
    assert_eq!(panel["may_decide"], false);
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
        let form = [
            ("family_id", id.as_str()),
            ("decision", "accept"),
            ("user_id", "none"),
        ];
        assert_eq!(
            c.call("decide_transfer", &form).await,
            not_found,
            "{email} decides"
        );
        assert_eq!(
            c.call("withdraw_transfer", &[("family_id", &id)]).await.0 == StatusCode::OK,
            email == CASEWORKER,
            "{email} withdraws"
        );
        if email == CASEWORKER {
            assert_eq!(propose(&sup, &id).await.0, StatusCode::OK);
        }
    }
    // Anonymous callers are answered before anything is stored.
    let before = app.count("SELECT COUNT(*) FROM audit_event").await;
    for endpoint in [
        "propose_transfer",
        "withdraw_transfer",
        "decide_transfer",
        "case_transfer",
    ] {
        let code = app
            .client()
            .call(endpoint, &proposal(&id, "AF-BAL"))
            .await
            .0;
        assert_eq!(code, StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_event").await, before);

    // The other supervisor accepts, leaving it for Balkh's team to assign.
    let other = app.signed_in("sup2.af@test.org").await;
    assert_eq!(
        decide(&other, &id, "accept", "none", "").await,
        StatusCode::OK
    );
    assert_eq!(field(&app, "assigned_to", &id).await, None);
    assert_eq!(
        field(&app, "province", &id).await.as_deref(),
        Some("AF-BAL")
    );
    assert!(!sees(&app, CASEWORKER, &id).await);
    // A closed case goes nowhere.
    directory(&app).await;
    let closed = crate::anonymisation::closed_family(&app).await;
    assert_eq!(
        propose(&sup, &closed).await,
        (StatusCode::CONFLICT, json!("CaseClosed"))
    );
}

/// Two supervisors answering the same proposal at the same moment: it ends once.
async fn two_answers_at_once_end_a_transfer_once(app: TestApp) {
    app.people().await;
    let balkh = app.user(BALKH, "caseworker", "morr", &["AF-BAL"]).await;
    app.user("sup2.af@test.org", "supervisor", "morr", &[])
        .await;
    let id = register_ahmadi(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    assert_eq!(propose(&cw, &id).await.0, StatusCode::OK);
    let one = std::sync::Arc::new(app.signed_in(SUPERVISOR).await);
    let two = std::sync::Arc::new(app.signed_in("sup2.af@test.org").await);
    let mut tasks = Vec::new();
    for round in 0..6 {
        let c = if round % 2 == 0 {
            one.clone()
        } else {
            two.clone()
        };
        let (id, balkh) = (id.clone(), balkh.clone());
        tasks.push(tokio::spawn(async move {
            if round % 3 == 0 {
                decide(&c, &id, "decline", "", "Not our district.").await
            } else {
                decide(&c, &id, "accept", &balkh, "").await
            }
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
    assert_eq!(
        app.count("SELECT COUNT(*) FROM case_transfer WHERE decision IS NOT NULL")
            .await,
        1
    );
    let ended = app
        .count(&format!(
            "SELECT COUNT(*) FROM case_event WHERE family_id = '{id}'
             AND kind IN ('transfer_accepted', 'transfer_declined')"
        ))
        .await;
    assert_eq!(ended, 1);
}

on_both_databases!(
    an_accepted_transfer_moves_the_case_with_its_follow_ups_and_referrals,
    a_declined_or_withdrawn_transfer_leaves_the_case_where_it_was,
    a_proposal_is_checked_and_one_waits_at_a_time,
    who_may_propose_and_decide_a_transfer,
    two_answers_at_once_end_a_transfer_once,
);
