//! The programme overview: the figures against the database (counts under five hidden, the
//! others rounded to a multiple of five), the small-count rule on every table, who may see
//! which country, and the CSV and Excel exports. What the overview must never give away is
//! `overview_safety.rs`.

use crate::common::*;
use crate::{on_both_backends, on_both_databases};
use reqwest::StatusCode;
use serde_json::Value;
use server::synthetic::{generate, Plan, MIXED_STATUSES};

use std::io::Read;

/// 400 families over every province of both countries, with their assessments, follow-ups,
/// referrals and closures: enough for some figures to show and many to be small.
pub async fn caseload(app: &TestApp) {
    app.people().await;
    let plan = Plan {
        families: 400,
        seed: 7,
        areas: None,
        created_by: None,
        statuses: MIXED_STATUSES,
    };
    generate(&app.state.db, &plan, app.now()).await.unwrap();
}

pub async fn overview(c: &Client, filter: &[(&str, &str)]) -> Value {
    let (status, v) = c.call("overview", filter).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

fn table<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no table {id}"))
}

/// The count of a cell, `None` when it reads "<5"; panics on other cells.
pub fn count(cell: &Value) -> Option<i64> {
    if cell == "Small" {
        return None;
    }
    Some(
        cell["Count"]
            .as_i64()
            .unwrap_or_else(|| panic!("not a count: {cell}")),
    )
}

/// A figure as published against the database's count: a true count under 5 (zero
/// included) reads "<5"; a count shown is a multiple of 5, at least 5 and at most 4 away
/// from the true one. A count of five or more may be hidden too (beside a small one).
fn assert_published(cell: &Value, truth: i64, what: &str) {
    if let Some(n) = count(cell) {
        assert!(truth >= 5, "{what}: {truth} in the database, {n} shown");
        assert!(
            n >= 5 && n % 5 == 0 && (n - truth).abs() <= 4,
            "{what}: {truth} in the database, {n} shown"
        );
    }
}

/// A total of the whole caseload: shown, and within the rounding of the database's count.
fn assert_total(cell: &Value, truth: i64, what: &str) {
    assert!(count(cell).is_some(), "{what}: {truth} hidden");
    assert_published(cell, truth, what);
}

/// The cells of the Total row.
fn total_row(t: &Value) -> &Vec<Value> {
    let last = t["rows"].as_array().unwrap().last().unwrap();
    assert_eq!(last["label"], "Total");
    last["cells"].as_array().unwrap()
}

/// Every count shown is a multiple of 5, at least 5; where cells add up to a total, no line
/// has exactly one hidden cell (it could be recovered by subtraction).
fn assert_small_count_rule(v: &Value) {
    for t in v["tables"].as_array().unwrap() {
        let rows = t["rows"].as_array().unwrap();
        let cells = |r: &Value| r["cells"].as_array().unwrap().clone();
        for r in rows {
            for c in cells(r) {
                if let Some(n) = c.get("Count").and_then(Value::as_i64) {
                    assert!(n >= 5 && n % 5 == 0, "{} shows {n}", t["id"]);
                }
            }
        }
        let is_count = |c: &Value| c == "Small" || c.get("Count").is_some();
        let columns = t["columns"].as_array().unwrap().len();
        // A total alone (a table with no row to add up) is no line: nothing to subtract.
        if rows.len() > 1 && rows.last().is_some_and(|r| r["label"] == "Total") {
            for col in 0..columns {
                let line: Vec<Value> = rows.iter().map(|r| cells(r)[col].clone()).collect();
                if line.iter().all(is_count) {
                    let hidden = line.iter().filter(|c| *c == "Small").count();
                    assert_ne!(hidden, 1, "{} column {col}: {line:?}", t["id"]);
                }
            }
        }
        if t["columns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "total")
        {
            for r in rows {
                let hidden = cells(r).iter().filter(|c| *c == "Small").count();
                assert_ne!(hidden, 1, "{} row {}", t["id"], r["label"]);
            }
        }
        // A rate, mean or median is a number or withheld; never a count in disguise.
        for r in rows {
            for c in cells(r) {
                for (k, range) in [
                    ("Rate", 0.0..=1.0),
                    ("Score", 0.0..=1.0),
                    ("Change", -1.0..=1.0),
                ] {
                    if let Some(x) = c.get(k).and_then(Value::as_f64) {
                        assert!(range.contains(&x), "{k} {x}");
                    }
                }
            }
        }
    }
}

async fn figures_are_the_database_s_rounded_and_small_counts_hidden(app: TestApp) {
    caseload(&app).await;
    let pm = app.signed_in(MANAGER).await;
    let v = overview(&pm, &[]).await;
    assert_small_count_rule(&v);
    assert_eq!(v["filter"]["country"], Value::Null);
    assert_eq!(v["country_scope"], Value::Null, "both countries");
    assert_eq!(
        overview(&pm, &[]).await["tables"],
        v["tables"],
        "the same question, the same figures"
    );

    let families = app.count("SELECT COUNT(*) FROM family").await;
    let people = app.count("SELECT COUNT(*) FROM member").await;
    let registrations = table(&v, "registrations");
    assert_total(&total_row(registrations)[0], families, "families");
    assert_total(&total_row(registrations)[1], people, "individuals");
    assert_eq!(
        registrations["rows"].as_array().unwrap().len(),
        shared::location::all().len() + 1,
        "every province and governorate, then the total"
    );
    let sex_age = total_row(table(&v, "sex_age"));
    assert_total(&sex_age[2], people, "individuals by sex");
    let females = app
        .count("SELECT COUNT(*) FROM member WHERE sex = 'female'")
        .await;
    assert_total(&sex_age[0], females, "females");
    let sent = app.count("SELECT COUNT(*) FROM referral").await;
    assert!(sent >= 5, "the generator made referrals");
    let referrals = total_row(table(&v, "referrals_by_service"));
    assert_total(&referrals[0], sent, "referrals");
    // A rate is of the rounded counts: completed (shown) of accepted (shown).
    if let (Some(done), Some(accepted), Some(rate)) = (
        count(&referrals[4]),
        count(&referrals[1]),
        referrals[5]["Rate"].as_f64(),
    ) {
        assert_eq!(rate, done as f64 / accepted as f64);
    }
    let assessments = app.count("SELECT COUNT(*) FROM assessment").await;
    assert_total(
        &total_row(table(&v, "assessments"))[0],
        assessments,
        "assessments",
    );
    let closed = app
        .count("SELECT COUNT(*) FROM case_closure WHERE decision = 'approved'")
        .await;
    assert_total(&total_row(table(&v, "closures"))[0], closed, "closures");
    // The families of the months, of the types of return and of the provinces are the same
    // facts: the same figure in every table.
    for id in ["monthly", "return_types"] {
        assert_eq!(
            total_row(table(&v, id))[0],
            total_row(registrations)[0],
            "{id}"
        );
    }
    // Some figures are small with 400 families spread over 53 provinces, and they are hidden;
    // every province's figure is the database's, rounded, and some differ from it.
    let small = registrations["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["cells"][0] == "Small")
        .count();
    assert!(small >= 2, "some provinces have fewer than five families");
    let mut rounded = 0;
    for r in registrations["rows"].as_array().unwrap() {
        if let Some(key) = r["label"]["Location"].as_str() {
            let sql = format!("SELECT COUNT(*) FROM family WHERE province = '{key}'");
            let truth = app.count(&sql).await;
            assert_published(&r["cells"][0], truth, key);
            rounded += usize::from(count(&r["cells"][0]).is_some_and(|n| n != truth));
        }
    }
    assert!(rounded >= 1, "no figure was rounded");

    // One governorate, one year: figures of that governorate registered in that year.
    let (province, year) = ("IQ-BG", "2026");
    let v = overview(
        &pm,
        &[("country", ""), ("province", province), ("year", year)],
    )
    .await;
    assert_small_count_rule(&v);
    assert_eq!(
        v["filter"]["country"], "IQ",
        "the governorate gives the country"
    );
    assert_eq!(v["filter"]["province"], province);
    assert_eq!(v["filter"]["year"], 2026);
    let expected = app
        .count(
            "SELECT COUNT(*) FROM family WHERE province = 'IQ-BG'
             AND created_at >= '2026-01-01' AND created_at < '2027-01-01'",
        )
        .await;
    assert_published(
        &total_row(table(&v, "registrations"))[0],
        expected,
        "Baghdad 2026",
    );
    let again = overview(
        &pm,
        &[("country", ""), ("province", province), ("year", year)],
    )
    .await;
    assert_eq!(
        again["tables"], v["tables"],
        "the same question, the same figures"
    );
    assert_eq!(
        table(&v, "monthly")["rows"].as_array().unwrap().len(),
        13,
        "twelve months and the total"
    );
}

async fn who_sees_which_country(app: TestApp) {
    caseload(&app).await;
    // A supervisor sees their own country whatever the URL asks for.
    let sup = app.signed_in(SUPERVISOR_IQ).await;
    let v = overview(&sup, &[("country", "AF"), ("province", "AF-KAB")]).await;
    assert_eq!(v["filter"]["country"], "IQ");
    assert_eq!(v["filter"]["province"], Value::Null);
    assert_eq!(v["country_scope"], "IQ");
    let iraq = app
        .count("SELECT COUNT(*) FROM family WHERE country = 'IQ'")
        .await;
    assert_total(&total_row(table(&v, "registrations"))[0], iraq, "Iraq");
    assert!(table(&v, "registrations")["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["label"] == "Total"
            || r["label"]["Location"].as_str().unwrap().starts_with("IQ-")));

    // Caseworkers, partners and administrators get no indicators, nor exports.
    for who in [CASEWORKER, PARTNER, ADMIN] {
        let c = app.signed_in(who).await;
        let (status, _) = c.call("overview", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
        let (status, _, _) = c.page("/overview/export.xlsx").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
        let (status, _, _) = c.page("/overview").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }
    // Nobody signed in: nothing.
    let anonymous = app.client();
    let (status, _) = anonymous.call("overview", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = anonymous
        .page("/overview/export.csv?table=registrations")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

pub async fn get_bytes(
    c: &Client,
    path: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let res = c
        .http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    (status, headers, res.bytes().await.unwrap().to_vec())
}

/// The text of every part of an Excel file (sheets, shared strings, workbook).
pub fn xlsx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut out = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().is_ok_and(|n| n.ends_with(".xml")) {
            f.read_to_string(&mut out).unwrap();
        }
    }
    out
}

async fn exports_carry_the_filters_and_the_same_figures(app: TestApp) {
    caseload(&app).await;
    let pm = app.signed_in(MANAGER).await;
    let filter = "country=AF&province=AF-KAB&year=2026";
    let v = overview(
        &pm,
        &[("country", "AF"), ("province", "AF-KAB"), ("year", "2026")],
    )
    .await;

    let (status, headers, body) = get_bytes(
        &pm,
        &format!("/overview/export.csv?table=registrations&{filter}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("homeward-overview-registrations-af-af-kab-2026-2026-11-02.csv"));
    let csv = String::from_utf8(body).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Registrations by province or governorate");
    assert_eq!(lines[1], "Extracted on 2026-11-02 08:00 (UTC)");
    assert_eq!(
        lines[2],
        "Filters: Country: Afghanistan · Province or governorate: Kabul · Year: 2026"
    );
    let note = "To protect the people counted, counts under 5 read “<5” and every other count \
                is rounded to a multiple of 5, up or down, the same way every time; totals may \
                therefore differ a little from the sum of their parts.";
    assert_eq!(lines[3], format!("\"{note}\""), "quoted: it has commas");
    assert_eq!(lines[5], ",Families,Individuals");
    let total = lines.last().unwrap();
    let cell = |c: &Value| match count(c) {
        Some(n) => n.to_string(),
        None => "<5".into(),
    };
    let t = total_row(table(&v, "registrations"));
    assert_eq!(*total, format!("Total,{},{}", cell(&t[0]), cell(&t[1])));

    // The workbook of every table: one sheet each, the filters above the figures.
    let (status, headers, body) = get_bytes(&pm, &format!("/overview/export.xlsx?{filter}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    let text = xlsx_text(&body);
    for id in [
        "registrations",
        "monthly",
        "referrals_by_service",
        "closures",
    ] {
        assert!(text.contains(&format!("name=\"{id}\"")), "sheet {id}");
    }
    assert!(text
        .contains("Filters: Country: Afghanistan · Province or governorate: Kabul · Year: 2026"));
    assert!(text.contains("Extracted on 2026-11-02 08:00 (UTC)"));
    assert!(text.contains("every other count is rounded to a multiple of 5"));

    // Unknown tables are not found; every download is in the audit log.
    let (status, _, _) = get_bytes(&pm, "/overview/export.csv?table=names").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'export_indicators'")
            .await,
        2
    );
}

/// With a refresh interval, the figures come from the kept cube: requests at once before the
/// first is ready get the same figures, later ones answer from it until the next refresh,
/// whatever was registered since, and each filter's tables are the same every time.
async fn figures_are_kept_between_refreshes(backend: app::backend::db::Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.overview_refresh = Some(std::time::Duration::from_secs(3600));
    })
    .await;
    caseload(&app).await;
    let pm = app.signed_in(MANAGER).await;
    let pm = &pm;
    let filters: [&[(&str, &str)]; 3] = [&[], &[("country", "AF")], &[("year", "2026")]];
    let first = futures::future::join_all(
        (0..12).map(|i| async move { overview(pm, filters[i % 3]).await }),
    )
    .await;
    for (i, v) in first.iter().enumerate() {
        assert_eq!(v, &first[i % 3], "one cube for every request");
    }
    crate::families::register_ahmadi(&app).await;
    for (i, filter) in filters.iter().enumerate() {
        assert_eq!(
            overview(pm, filter).await,
            first[i],
            "kept until the refresh"
        );
    }
    app.advance(chrono::Duration::hours(1));
    let pm = app.signed_in(MANAGER).await;
    let pm = &pm;
    assert_eq!(overview(pm, &[]).await["as_of"], first[0]["as_of"]);
    app.state
        .indicators
        .refresh(&app.state.db, &app.state.config, &app.state.clock)
        .await
        .unwrap();
    assert_ne!(overview(pm, &[]).await["as_of"], first[0]["as_of"]);
}

/// The headline figure of `measure`.
fn figure<'a>(v: &'a Value, measure: &str) -> &'a Value {
    v["headline"]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["measure"] == measure)
        .unwrap_or_else(|| panic!("no figure {measure}"))
}

/// A rate or mean as released against its truth: shown (and near it) only when both sides
/// (`part`, `rest`) reach five; else withheld.
fn assert_rate(cell: &Value, part: usize, rest: usize, what: &str) {
    if part >= 5 && rest >= 5 {
        let r = cell["Rate"]
            .as_f64()
            .unwrap_or_else(|| panic!("{what}: {cell}"));
        let truth = part as f64 / (part + rest) as f64;
        // Of rounded counts: each at most four off.
        assert!((r - truth).abs() < 0.2, "{what}: {r} for {truth}");
    } else {
        assert_eq!(cell, "Withheld", "{what}: {part} of {}", part + rest);
    }
}

async fn headline_figures_are_the_database_s(app: TestApp) {
    use chrono::Datelike;
    caseload(&app).await;
    let pm = app.signed_in(MANAGER).await;
    let v = overview(&pm, &[]).await;
    let now = app.now();
    let (year, month) = (now.year(), now.month());
    assert_eq!(
        v["headline"]["year"], year,
        "over all years: the year under way"
    );
    assert_eq!(v["headline"]["through_month"], month);

    // Every family: when registered, its first assessment, and its family assessments.
    let families: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT f.family_id, f.created_at, (SELECT MIN(a.assessed_on) FROM assessment a
                                            WHERE a.family_id = f.family_id)
         FROM family f",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    let date = |t: &str| chrono::NaiveDate::parse_from_str(&t[..10], "%Y-%m-%d").unwrap();
    let of_year = |y: i32, through: Option<u32>| {
        families
            .iter()
            .filter(move |(_, created, _)| {
                let d = date(created);
                d.year() == y && through.is_none_or(|m| d.month() <= m)
            })
            .collect::<Vec<_>>()
    };

    // Registrations: the year so far, against the same months a year earlier.
    let registered = figure(&v, "registered");
    assert_total(
        &registered["value"],
        of_year(year, None).len() as i64,
        "registered",
    );
    assert_published(
        &registered["previous"],
        of_year(year - 1, Some(month)).len() as i64,
        "registered a year earlier, the same months",
    );
    assert_eq!(
        registered["value"],
        overview(&pm, &[("year", &year.to_string())]).await["tables"][0]["rows"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()["cells"][0],
        "the same facts as the year's table, the same figure"
    );

    // Assessed within 30 days, of the families registered in the year whose assessment is
    // due: assessed, or registered 30 days ago or more.
    let due_by = now.date_naive() - chrono::Duration::days(30);
    for (y, cell) in [(year, "value"), (year - 1, "previous")] {
        let due: Vec<_> = of_year(y, None)
            .into_iter()
            .filter(|(_, created, first)| first.is_some() || date(created) <= due_by)
            .collect();
        let timely = due
            .iter()
            .filter(|(_, created, first)| {
                first
                    .as_deref()
                    .is_some_and(|f| (date(f) - date(created)).num_days() <= 30)
            })
            .count();
        assert_rate(
            &figure(&v, "assessed_within_30_days")[cell],
            timely,
            due.len() - timely,
            &format!("assessed within 30 days in {y}"),
        );
    }

    // The mean change of the composite score, first to latest assessment of the family as a
    // whole, of families whose latest was in the year.
    let assessments: Vec<(String, String, String, String, Option<f64>)> = sqlx::query_as(
        "SELECT family_id, assessed_on, created_at, assessment_id, composite FROM assessment
         WHERE member_id IS NULL",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    let mut by_family: std::collections::BTreeMap<&str, Vec<_>> = Default::default();
    for a in &assessments {
        by_family.entry(a.0.as_str()).or_default().push(a);
    }
    let mut changes: Vec<(i32, f64)> = Vec::new();
    for list in by_family.values_mut() {
        list.sort_by(|a, b| (&a.1, &a.2, &a.3).cmp(&(&b.1, &b.2, &b.3)));
        if let [first, .., last] = list.as_slice() {
            if let (Some(a), Some(b)) = (first.4, last.4) {
                changes.push((date(&last.1).year(), b - a));
            }
        }
    }
    let this_year: Vec<f64> = changes
        .iter()
        .filter(|c| c.0 == year)
        .map(|c| c.1)
        .collect();
    assert!(
        this_year.len() >= 5,
        "the generator reassessed families this year"
    );
    let mean = this_year.iter().sum::<f64>() / this_year.len() as f64;
    let shown = figure(&v, "score_change")["value"]["Score"]
        .as_f64()
        .unwrap();
    assert!((shown - mean).abs() <= 0.005 + 1e-9, "{shown} for {mean}");

    // Lost to follow-up is of today: no earlier figure.
    assert_eq!(figure(&v, "lost_to_follow_up")["previous"], Value::Null);

    // A past year is compared whole.
    let v = overview(&pm, &[("year", &(year - 1).to_string())]).await;
    assert_eq!(v["headline"]["year"], year - 1);
    assert_eq!(v["headline"]["through_month"], Value::Null);
    assert_published(
        &figure(&v, "registered")["previous"],
        of_year(year - 2, None).len() as i64,
        "registered two years before",
    );

    // The page shows them first, with the sections to jump to, and folds away the
    // provinces with nothing to show.
    let (status, html, _) = pm.page("/overview").await;
    assert_eq!(status, StatusCode::OK);
    for needle in [
        "At a glance",
        "id=\"figure-registered\"",
        "href=\"#section-referrals\"",
        "id=\"section-referrals\"",
        "class=\"folded\"",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    assert!(html.find("figure-registered") < html.find("table-registrations"));
}

on_both_backends!(figures_are_kept_between_refreshes);

on_both_databases!(
    figures_are_the_database_s_rounded_and_small_counts_hidden,
    headline_figures_are_the_database_s,
    who_sees_which_country,
    exports_carry_the_filters_and_the_same_figures,
);
