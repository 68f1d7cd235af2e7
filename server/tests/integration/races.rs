//! Pairs of requests that must not pass each other, sent at the same moment: under the
//! pipeline's row lock and version check the second one sees what the first committed, and
//! answers a conflict (or that the case is closed) instead of overwriting it. Run on both
//! databases; PostgreSQL, with row locks and real concurrency, is where they used to slip.

use crate::assessments::{answers, form as assessment_form, refs};
use crate::common::*;
use crate::families::{register_ahmadi, registration, AHMADI};
use crate::on_both_databases;
use crate::referrals::{directory, item, send, version};
use reqwest::StatusCode;
use serde_json::Value;

const ROUNDS: usize = 4;

/// A family of one, different in each round (its head's age apart from the others', so the
/// duplicate check lets it through), registered and assessed. Answers its id.
async fn family_of_round(app: &TestApp, round: usize, assess: bool) -> String {
    let age = (20 + 6 * round).to_string();
    let head = [(
        "محمد رحیمی",
        "Mohammad Rahimi",
        "Abdul Wahid",
        "male",
        age.as_str(),
        "head",
        "",
    )];
    let c = app.signed_in(CASEWORKER).await;
    let form = registration("AF-KAB", &head);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, id) = c.call("register_family", &form).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_str().unwrap().to_string();
    if assess {
        let form = assessment_form(&id, "2026-11-02", &answers(true));
        let (status, body) = c.call("record_assessment", &refs(&form)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    id
}

/// The kinds of a case's timeline, oldest first.
async fn timeline(c: &Client, family: &str) -> Vec<String> {
    let (_, case) = c.call("get_case", &[("family_id", family)]).await;
    let mut kinds: Vec<String> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    kinds.reverse();
    kinds
}

fn position(kinds: &[String], kind: &str) -> Option<usize> {
    kinds.iter().position(|k| k == kind)
}

async fn two_closure_requests_at_once_leave_one_pending(app: TestApp) {
    app.people().await;
    for round in 0..ROUNDS {
        let id = family_of_round(&app, round, false).await;
        let (a, b) = (
            app.signed_in(CASEWORKER).await,
            app.signed_in(CASEWORKER).await,
        );
        let request = [("family_id", id.as_str()), ("reason", "reintegrated")];
        let (ra, rb) = tokio::join!(
            a.call("request_closure", &request),
            b.call("request_closure", &request)
        );
        let mut statuses = [ra.0, rb.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "{ra:?} {rb:?}"
        );
        let pending = app
            .count(&format!(
                "SELECT COUNT(*) FROM case_closure WHERE family_id = '{id}' AND decision IS NULL"
            ))
            .await;
        assert_eq!(pending, 1);
    }
}

async fn an_edit_never_lands_on_a_case_being_closed(app: TestApp) {
    app.people().await;
    let sup = app.signed_in(SUPERVISOR).await;
    for round in 0..ROUNDS {
        let id = family_of_round(&app, round, true).await;
        let cw = app.signed_in(CASEWORKER).await;
        cw.call(
            "request_closure",
            &[("family_id", &id), ("reason", "moved_away")],
        )
        .await;
        let version = app.version("family", &id).await;
        let mut edit: Vec<(String, String)> = registration("AF-KAB", &AHMADI)
            .into_iter()
            .filter(|(k, _)| k.starts_with("household["))
            .collect();
        edit.push(("family_id".into(), id.clone()));
        edit.push(("version".into(), version));
        edit.push(("calendar".into(), "gregorian".into()));
        edit.retain(|(k, _)| k != "household[district]");
        edit.push(("household[district]".into(), "District 9".into()));
        let edit: Vec<(&str, &str)> = edit.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let approve = [("family_id", id.as_str()), ("decision", "approve")];
        let (e, a) = tokio::join!(
            cw.call("update_household", &edit),
            sup.call("decide_closure", &approve)
        );
        assert_eq!(a.0, StatusCode::OK, "{a:?}");
        let kinds = timeline(&sup, &id).await;
        let closed = position(&kinds, "case_closed").expect("closed");
        match e.0 {
            StatusCode::OK => {
                let edited = position(&kinds, "household_edited").expect("edited");
                assert!(edited < closed, "the edit came first: {kinds:?}");
            }
            _ => {
                assert_eq!(e.1, Value::from("CaseClosed"), "{e:?}");
                assert_eq!(position(&kinds, "household_edited"), None);
            }
        }
    }
}

async fn no_service_is_recorded_on_a_cancelled_referral(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let partner = app.signed_in(PARTNER).await;
    let cw = app.signed_in(CASEWORKER).await;
    for round in 0..ROUNDS {
        let family = family_of_round(&app, round, true).await;
        let plan = crate::assessments::progress(&cw, &family).await["plan"].clone();
        let (_, r) = send(&app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
        let r = r.as_str().unwrap().to_string();
        let v = version(&partner, &r).await;
        partner
            .call(
                "respond_referral",
                &[("referral_id", &r), ("version", &v), ("decision", "accept")],
            )
            .await;
        let v = version(&partner, &r).await;
        let service = [
            ("referral_id", r.as_str()),
            ("delivered_on", "2026-11-01"),
            ("description", "Tent and blankets"),
        ];
        let cancel = [
            ("family_id", family.as_str()),
            ("referral_id", r.as_str()),
            ("version", v.as_str()),
        ];
        let (s, c) = tokio::join!(
            partner.call("record_service", &service),
            cw.call("cancel_referral", &cancel)
        );
        assert_eq!(c.0, StatusCode::OK, "{c:?}");
        let kinds = timeline(&cw, &family).await;
        let cancelled = position(&kinds, "referral_cancelled").expect("cancelled");
        match s.0 {
            StatusCode::OK => {
                let served = position(&kinds, "service_recorded").expect("recorded");
                assert!(served < cancelled, "{kinds:?}");
            }
            other => {
                assert!(
                    other == StatusCode::NOT_FOUND || other == StatusCode::CONFLICT,
                    "{s:?}"
                );
                assert_eq!(
                    app.count(&format!(
                        "SELECT COUNT(*) FROM referral_service WHERE referral_id = '{r}'"
                    ))
                    .await,
                    0
                );
            }
        }
    }
}

async fn stale_forms_change_nothing(app: TestApp) {
    let people = app.people().await;
    let id = register_ahmadi(&app).await;
    let sup = app.signed_in(SUPERVISOR).await;
    let stale = app.version("family", &id).await;
    let assign = [
        ("family_id", id.as_str()),
        ("version", stale.as_str()),
        ("user_id", people.caseworker.as_str()),
    ];
    assert_eq!(sup.call("assign_case", &assign).await.0, StatusCode::OK);
    assert_eq!(
        sup.call("assign_case", &assign).await,
        (StatusCode::CONFLICT, Value::from("Conflict")),
        "an assignment from a form loaded before the last one"
    );
    // Two administrators editing the same account's areas, or the same directory entry.
    let admin = app.signed_in(ADMIN).await;
    let v = app.version("app_user", &people.caseworker).await;
    let areas = |area: &'static str| {
        [
            ("user_id", people.caseworker.as_str()),
            ("version", v.as_str()),
            ("areas[]", area),
        ]
    };
    let (herat, balkh) = (areas("AF-HER"), areas("AF-BAL"));
    let (a, b) = tokio::join!(
        admin.call("set_user_areas", &herat),
        admin.call("set_user_areas", &balkh)
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let org: String =
        sqlx::query_scalar("SELECT organisation_id FROM organisation WHERE code = 'ngo-a'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    let v = app.version("organisation", &org).await;
    let entry = |email: &'static str| {
        [
            ("organisation_id", org.as_str()),
            ("version", v.as_str()),
            ("referral_email", email),
            ("response_days", "5"),
        ]
    };
    let (first, second) = (entry("a@ngo-a.example"), entry("b@ngo-a.example"));
    let (a, b) = tokio::join!(
        admin.call("save_directory", &first),
        admin.call("save_directory", &second)
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
}

on_both_databases!(
    two_closure_requests_at_once_leave_one_pending,
    an_edit_never_lands_on_a_case_being_closed,
    no_service_is_recorded_on_a_cancelled_referral,
    stale_forms_change_nothing,
);
