//! Every read of case data leaves an audit entry, written through the pipeline before the data
//! leaves: the record, its assessments, progress, referrals, follow-ups, the forms that show
//! case data, the work list, the partner's inbox and referral view. A look-up refused because
//! the record is out of the caller's sight is recorded too, and a case-list search records
//! what was searched for. The audit log stays the administrator's.

use crate::assessments::{answers, form, refs};
use crate::common::*;
use crate::families::register_ahmadi;
use crate::on_both_databases;
use crate::referrals::{assessed_family, directory, item, send};
use app::backend::db::Backend;
use reqwest::StatusCode;
use serde_json::json;

/// The audit entries of `action` about `target`.
async fn entries(app: &TestApp, action: &str, target: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM audit_event WHERE action = '{action}' AND target_id = '{target}'"
    ))
    .await
}

async fn every_read_of_case_data_is_audited(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let (_, progress) = cw
        .call("case_progress", &[("family_id", &family), ("locale", "en")])
        .await;
    let assessment = progress["assessments"][0]["assessment_id"]
        .as_str()
        .unwrap()
        .to_string();
    let housing = item(&plan, "housing").to_string();
    let (status, referral) = send(&app, &family, &housing, "housing", "ngo-a").await;
    assert_eq!(status, StatusCode::OK);
    let referral = referral.as_str().unwrap().to_string();

    // (endpoint, arguments, audit action, record it is about)
    type Read<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let reads: Vec<Read> = vec![
        (
            "get_case",
            vec![("family_id", &family)],
            "case_viewed",
            &family,
        ),
        (
            "get_assessment",
            vec![
                ("family_id", &family),
                ("assessment_id", &assessment),
                ("locale", "en"),
            ],
            "assessment_viewed",
            &family,
        ),
        (
            "case_progress",
            vec![("family_id", &family), ("locale", "en")],
            "progress_viewed",
            &family,
        ),
        (
            "assessment_form",
            vec![("family_id", &family), ("locale", "en")],
            "assessment_form_opened",
            &family,
        ),
        (
            "case_referrals",
            vec![("family_id", &family)],
            "case_referrals_viewed",
            &family,
        ),
        (
            "case_follow_ups",
            vec![("family_id", &family)],
            "case_follow_ups_viewed",
            &family,
        ),
        (
            "refer_form",
            vec![
                ("family_id", &family),
                ("plan_item_id", &housing),
                ("locale", "en"),
            ],
            "referral_form_opened",
            &family,
        ),
    ];
    for (endpoint, args, action, target) in reads {
        let before = entries(&app, action, target).await;
        let (status, body) = cw.call(endpoint, &args).await;
        assert_eq!(status, StatusCode::OK, "{endpoint}: {body}");
        assert_eq!(
            entries(&app, action, target).await,
            before + 1,
            "{endpoint} leaves one {action} entry"
        );
    }
    let detail: String =
        sqlx::query_scalar("SELECT detail FROM audit_event WHERE action = 'assessment_viewed'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(detail, assessment, "which assessment was read");

    let before = app
        .count("SELECT COUNT(*) FROM audit_event WHERE action = 'work_list_viewed'")
        .await;
    assert_eq!(
        cw.call("work_list", &[("list", "overdue")]).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'work_list_viewed'")
            .await,
        before + 1
    );

    let partner = app.signed_in(PARTNER).await;
    assert_eq!(
        partner.call("list_incoming", &[("tab", "new")]).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'inbox_viewed'")
            .await,
        1
    );
    partner
        .call("get_referral", &[("referral_id", &referral)])
        .await;
    assert_eq!(entries(&app, "referral_viewed", &referral).await, 1);
}

async fn refused_look_ups_of_records_that_exist_are_recorded(app: TestApp) {
    let people = app.people().await;
    let family = register_ahmadi(&app).await;
    // Out of sight: another country's caseworker, a partner, an administrator. Each gets the
    // answer a missing record gets, and each attempt is on the record.
    for (who, user) in [
        (CASEWORKER_IQ, &people.caseworker_iq),
        (PARTNER, &people.partner),
    ] {
        let c = app.signed_in(who).await;
        assert_eq!(
            c.call("get_case", &[("family_id", &family)]).await,
            (StatusCode::NOT_FOUND, json!("NotFound"))
        );
        assert_eq!(
            c.call("get_case", &[("family_id", "no-such-family")]).await,
            (StatusCode::NOT_FOUND, json!("NotFound")),
            "the same answer as for a record that does not exist"
        );
        let refused = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_event WHERE action = 'access_refused'
                 AND actor_user_id = '{user}' AND target_type = 'family' AND target_id = '{family}'"
            ))
            .await;
        assert_eq!(refused, 1, "{who}'s refused look-up is recorded");
    }
    let admin = app.signed_in(ADMIN).await;
    assert_eq!(
        admin.call("get_case", &[("family_id", &family)]).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, log) = admin
        .call("list_audit_events", &[("filter[action]", "access_refused")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(log["total"], 3);
    // The log is the administrator's alone.
    for who in [CASEWORKER, SUPERVISOR, PARTNER, MANAGER] {
        let c = app.signed_in(who).await;
        assert_eq!(
            c.call("list_audit_events", &[("filter[page]", "1")])
                .await
                .0,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
}

async fn a_case_list_search_records_what_was_searched_for(app: TestApp) {
    app.people().await;
    register_ahmadi(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    for q in ["0701 234 567", "1399-0101-12345", "Ahmadi"] {
        let (status, page) = cw.call("list_cases", &[("filter[q]", q)]).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["total"], 1, "{q}");
        let detail: String = sqlx::query_scalar(
            "SELECT detail FROM audit_event WHERE action = 'case_list_viewed'
             ORDER BY audit_event_id DESC LIMIT 1",
        )
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
        assert_eq!(detail["filter"]["q"], q);
        assert_eq!(detail["results"], 1);
    }
}

async fn a_timeline_event_always_comes_with_its_audit_entry(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    c.call(
        "record_assessment",
        &refs(&form(&id, "2026-10-20", &answers(true))),
    )
    .await;
    c.call("add_note", &[("family_id", &id), ("body", "Visited today")])
        .await;
    // Every event on the timeline has an audit entry of its kind about the same family, by
    // the same person, at the same moment.
    let unmatched = app
        .count(&format!(
            "SELECT COUNT(*) FROM case_event e WHERE e.family_id = '{id}' AND NOT EXISTS (
               SELECT 1 FROM audit_event a WHERE a.target_id = e.family_id
                 AND a.actor_user_id = e.actor_user_id AND a.occurred_at = e.occurred_at)"
        ))
        .await;
    assert_eq!(unmatched, 0);
    assert!(app.count("SELECT COUNT(*) FROM case_event").await >= 4);
}

/// Reads at once: their entries are committed in groups (`audit_writer`), and each read still
/// has exactly its own, by its own reader.
async fn reads_at_once_each_leave_their_own_entry(app: TestApp) {
    app.people().await;
    let family = register_ahmadi(&app).await;
    let (cw, sup) = (
        app.signed_in(CASEWORKER).await,
        app.signed_in(SUPERVISOR).await,
    );
    let (cw, sup, family) = (&cw, &sup, family.as_str());
    let cases = (0..40).map(|_| async move { cw.call("get_case", &[("family_id", family)]).await });
    let lists = (0..40).map(|i| async move {
        let q = format!("Ahmadi {i}");
        sup.call("list_cases", &[("filter[q]", &q)]).await
    });
    let (cases, lists) = tokio::join!(
        futures::future::join_all(cases),
        futures::future::join_all(lists)
    );
    assert!(cases.iter().all(|(s, _)| *s == StatusCode::OK));
    assert!(lists.iter().all(|(s, _)| *s == StatusCode::OK));
    let by = |email: &str, action: &str| {
        format!(
            "SELECT COUNT(*) FROM audit_event a JOIN app_user u ON u.user_id = a.actor_user_id
             WHERE u.email = '{email}' AND a.action = '{action}'"
        )
    };
    assert_eq!(app.count(&by(CASEWORKER, "case_viewed")).await, 40);
    assert_eq!(app.count(&by(SUPERVISOR, "case_list_viewed")).await, 40);
    // Each search is on the record once, with what was typed.
    let searches = app
        .count("SELECT COUNT(DISTINCT detail) FROM audit_event WHERE action = 'case_list_viewed'")
        .await;
    assert_eq!(searches, 40);
}

/// A read whose audit entry cannot be written shows nothing, and reads work again once the
/// database takes entries again.
async fn a_read_whose_entry_cannot_be_written_shows_nothing(app: TestApp) {
    app.people().await;
    let family = register_ahmadi(&app).await;
    let refuse: &[&str] = match app.state.db.backend {
        Backend::Sqlite => &[
            "CREATE TRIGGER refuse_case_viewed BEFORE INSERT ON audit_event
              WHEN NEW.action = 'case_viewed' BEGIN SELECT RAISE(ABORT, 'refused'); END",
        ],
        Backend::Postgres => &[
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql
              AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$",
            "CREATE TRIGGER refuse_case_viewed BEFORE INSERT ON audit_event FOR EACH ROW
              WHEN (NEW.action = 'case_viewed') EXECUTE FUNCTION refuse()",
        ],
    };
    for sql in refuse {
        sqlx::query(*sql).execute(&app.state.db.pool).await.unwrap();
    }
    let cw = app.signed_in(CASEWORKER).await;
    let (status, body) = cw.call("get_case", &[("family_id", &family)]).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let body = body.to_string();
    assert!(
        !body.contains("Ahmadi") && !body.contains("AF-2026"),
        "{body}"
    );

    let drop_trigger = match app.state.db.backend {
        Backend::Sqlite => "DROP TRIGGER refuse_case_viewed",
        Backend::Postgres => "DROP TRIGGER refuse_case_viewed ON audit_event",
    };
    sqlx::query(drop_trigger)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let (status, body) = cw.call("get_case", &[("family_id", &family)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(entries(&app, "case_viewed", &family).await, 1);
}

on_both_databases!(
    reads_at_once_each_leave_their_own_entry,
    a_read_whose_entry_cannot_be_written_shows_nothing,
    every_read_of_case_data_is_audited,
    refused_look_ups_of_records_that_exist_are_recorded,
    a_case_list_search_records_what_was_searched_for,
    a_timeline_event_always_comes_with_its_audit_entry,
);
