//! What completed referrals achieved: the family's scores before and after a referral on the
//! family page, and the overview's tables of mean changes, which are the same rule
//! (`shared::achieved`) in SQL.

use crate::assessments::{answers, expected, form, refs};
use crate::common::*;
use crate::on_both_databases;
use crate::overview::{caseload, count, overview};
use crate::referrals::{accept_and_complete, assessed_family, directory, item, send};
use reqwest::StatusCode;
use serde_json::Value;
use shared::achieved::{across, Assessed};
use shared::assessment::Scores;
use std::collections::BTreeMap;

async fn referrals_of(c: &Client, family: &str) -> Value {
    let (status, v) = c.call("case_referrals", &[("family_id", family)]).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

async fn a_completed_referral_shows_the_change_once_the_family_is_reassessed(app: TestApp) {
    app.people().await;
    directory(&app).await;
    // Assessed (low) on 20 October, referred today, completed three weeks later.
    let (family, plan) = assessed_family(&app).await;
    let (status, r) = send(&app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let r = r.as_str().unwrap().to_string();
    app.advance(chrono::Duration::days(21));
    accept_and_complete(&app, &r, None, "Tent replaced by a rented room.").await;

    // Not reassessed yet: nothing to show, and the page says what it waits for.
    let cw = app.signed_in(CASEWORKER).await;
    let listed = referrals_of(&cw, &family).await;
    assert_eq!(listed[0]["status"], "completed");
    assert_eq!(listed[0]["achieved"], Value::Null);
    let (_, html, _) = cw.page(&format!("/cases/{family}")).await;
    assert!(
        html.contains("once the family has been assessed both before"),
        "pending note"
    );

    // Reassessed today, better: before is 20 October's, after today's.
    let today = app.now().date_naive().to_string();
    let (status, body) = cw
        .call(
            "record_assessment",
            &refs(&form(&family, &today, &answers(false))),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listed = referrals_of(&cw, &family).await;
    let a = &listed[0]["achieved"];
    assert_eq!(a["before_on"], "2026-10-20");
    assert_eq!(a["after_on"], today.as_str());
    let (low, high) = (
        expected(&answers(true)).scores,
        expected(&answers(false)).scores,
    );
    for (k, before, after) in [
        ("economic", low.economic, high.economic),
        ("psychosocial", low.psychosocial, high.psychosocial),
        ("composite", low.composite, high.composite),
    ] {
        assert_eq!(a["before"][k].as_f64(), before, "{k}");
        assert_eq!(a["after"][k].as_f64(), after, "{k}");
    }
    assert!(high.composite > low.composite);
    let (_, html, _) = cw.page(&format!("/cases/{family}")).await;
    assert!(
        html.contains("What it achieved:"),
        "the scores beside the referral"
    );
    let change = format!("{:+.2}", high.composite.unwrap() - low.composite.unwrap());
    assert!(html.contains(&change), "{change}");
}

/// Every completed referral of the caseload through the rule of the family page, summed by
/// service: (how many compared, per score the sum of changes and how many had one).
async fn by_the_rule(app: &TestApp) -> BTreeMap<String, (u64, [f64; 4], [u64; 4])> {
    type Stored = (
        String,
        String,
        String,
        String,
        Option<f64>,
        Option<f64>,
        Option<f64>,
        Option<f64>,
    );
    let assessments: Vec<Stored> = sqlx::query_as(
        "SELECT family_id, assessment_id, assessed_on, created_at, economic, social, psychosocial,
                    composite
             FROM assessment WHERE member_id IS NULL",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    let mut of_family: BTreeMap<&str, Vec<Assessed>> = BTreeMap::new();
    for a in &assessments {
        of_family.entry(a.0.as_str()).or_default().push(Assessed {
            assessment_id: &a.1,
            assessed_on: &a.2,
            recorded_at: &a.3,
            scores: Scores {
                economic: a.4,
                social: a.5,
                psychosocial: a.6,
                composite: a.7,
            },
        });
    }
    let referrals: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT family_id, service, sent_at, completed_at FROM referral WHERE status = 'completed'",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    let mut out: BTreeMap<String, (u64, [f64; 4], [u64; 4])> = BTreeMap::new();
    for (family, service, sent, done) in referrals {
        let list = of_family
            .get(family.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        if let Some(a) = across(&sent, &done, list) {
            let c = a.change();
            let e = out.entry(service).or_default();
            e.0 += 1;
            for (i, d) in [c.economic, c.social, c.psychosocial, c.composite]
                .into_iter()
                .enumerate()
            {
                if let Some(d) = d {
                    e.1[i] += d;
                    e.2[i] += 1;
                }
            }
        }
    }
    out
}

async fn the_overview_s_outcomes_are_the_family_page_s_rule(app: TestApp) {
    caseload(&app).await;
    let truth = by_the_rule(&app).await;
    let compared: u64 = truth.values().map(|t| t.0).sum();
    assert!(
        compared >= 20,
        "the generator reassessed families after completed referrals"
    );
    let pm = app.signed_in(MANAGER).await;
    let v = overview(&pm, &[]).await;
    let table = v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "outcomes_by_service")
        .unwrap();
    let mut shown = 0;
    for row in table["rows"].as_array().unwrap() {
        let cells = row["cells"].as_array().unwrap();
        let (n, sums, counts) = match row["label"]["Code"].as_str() {
            Some(service) => truth.get(service).copied().unwrap_or_default(),
            None => {
                assert_eq!(row["label"], "Total");
                truth.values().fold((0, [0.0; 4], [0; 4]), |mut acc, t| {
                    acc.0 += t.0;
                    for i in 0..4 {
                        acc.1[i] += t.1[i];
                        acc.2[i] += t.2[i];
                    }
                    acc
                })
            }
        };
        if let Some(c) = count(&cells[0]) {
            assert!(
                n >= 5 && (c - n as i64).abs() <= 4 && c % 5 == 0,
                "{row}: {n}"
            );
        }
        if n < 5 {
            assert_eq!(cells[0], "Small", "{row}");
        }
        for i in 0..4 {
            if counts[i] >= 5 {
                let d = cells[i + 1]["Change"]
                    .as_f64()
                    .unwrap_or_else(|| panic!("{row}"));
                let mean = sums[i] / counts[i] as f64;
                assert!((d - mean).abs() <= 0.005 + 1e-9, "{row}: {d} for {mean}");
                shown += 1;
            } else {
                assert_eq!(cells[i + 1], "Withheld", "{row}");
            }
        }
    }
    assert!(shown >= 4, "some changes are shown");
}

on_both_databases!(
    a_completed_referral_shows_the_change_once_the_family_is_reassessed,
    the_overview_s_outcomes_are_the_family_page_s_rule,
);
