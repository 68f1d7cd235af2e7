//! What the programme overview must never give away: a count between 1 and 4, however the
//! answers to different filters are set against each other; a returnee's name, phone,
//! document number, address or date of birth, in any answer or export; and a cell that a
//! spreadsheet would run as a formula.

use crate::common::*;
use crate::on_both_databases;
use crate::overview::{caseload, count, get_bytes, overview, xlsx_text};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Every count cell of an answer, by (table, row, column).
fn count_cells(v: &Value) -> BTreeMap<(String, String, usize), Value> {
    let mut out = BTreeMap::new();
    for t in v["tables"].as_array().unwrap() {
        for r in t["rows"].as_array().unwrap() {
            for (c, cell) in r["cells"].as_array().unwrap().iter().enumerate() {
                if cell == "Small" || cell.get("Count").is_some() {
                    let id = t["id"].as_str().unwrap().to_string();
                    out.insert((id, r["label"].to_string(), c), cell.clone());
                }
            }
        }
    }
    out
}

/// What an attacker gets by taking the shown parts from a shown whole, when some part is
/// hidden (else nothing hidden is given back): `None` otherwise.
fn differenced(whole: &Value, parts: &[Option<&Value>]) -> Option<i64> {
    let whole = count(whole)?;
    if !parts.iter().any(|p| p.is_some_and(|c| c == "Small")) {
        return None;
    }
    Some(whole - parts.iter().filter_map(|p| p.and_then(count)).sum::<i64>())
}

/// The attacks of the issue, on every count of every table: all years minus each year (for
/// both countries, each country, each province), a country minus each of its provinces and
/// both countries minus each (in every period). None gives back a count between 1 and 4;
/// where the truth is easily known (families), the attacks do meet hidden counts that add up
/// to 1-4 (without rounding, the difference would be exactly that).
async fn differencing_answers_gives_back_no_small_count(app: TestApp) {
    caseload(&app).await;
    let pm = app.signed_in(MANAGER).await;
    let years: Vec<String> = overview(&pm, &[]).await["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.to_string())
        .collect();
    let periods: Vec<&str> = std::iter::once("")
        .chain(years.iter().map(String::as_str))
        .collect();
    let mut places: Vec<(&str, &str)> = vec![("", ""), ("AF", ""), ("IQ", "")];
    places.extend(shared::location::all().iter().map(|l| ("", l.key.as_str())));
    let mut answers = HashMap::new();
    for &(country, province) in &places {
        for &year in &periods {
            let filter = [("country", country), ("province", province), ("year", year)];
            let v = overview(&pm, &filter).await;
            answers.insert((country, province, year), count_cells(&v));
        }
    }
    // Families by province and year, as the database has them.
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT province, SUBSTR(created_at, 1, 4), COUNT(*) FROM family
         GROUP BY province, SUBSTR(created_at, 1, 4)",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    let families: HashMap<(String, String), i64> =
        rows.into_iter().map(|(p, y, n)| ((p, y), n)).collect();
    let truth = |p: &str, y: &str| -> i64 {
        if y.is_empty() {
            years
                .iter()
                .map(|y| families.get(&(p.into(), y.clone())).copied().unwrap_or(0))
                .sum()
        } else {
            families.get(&(p.into(), y.into())).copied().unwrap_or(0)
        }
    };
    let total_families = ("registrations".to_string(), "\"Total\"".to_string(), 0usize);
    let (mut attacks, mut small) = (0, 0);

    // All years minus each year.
    for &(country, province) in &places {
        for (cell, whole) in &answers[&(country, province, "")] {
            let parts: Vec<Option<&Value>> = periods[1..]
                .iter()
                .map(|y| answers[&(country, province, *y)].get(cell))
                .collect();
            let Some(got) = differenced(whole, &parts) else {
                continue;
            };
            attacks += 1;
            assert!(
                !(1..5).contains(&got),
                "{cell:?} of {country}{province}: all years minus each gives {got}"
            );
            if !province.is_empty() && *cell == total_families {
                let hidden: i64 = periods[1..]
                    .iter()
                    .zip(&parts)
                    .filter(|(_, c)| c.is_some_and(|c| c == "Small"))
                    .map(|(y, _)| truth(province, y))
                    .sum();
                small += usize::from((1..5).contains(&hidden));
            }
        }
    }
    // A country minus its provinces; both countries minus each.
    for &year in &periods {
        for country in [shared::Country::AF, shared::Country::IQ] {
            let code = country.code();
            let provinces: Vec<&str> = shared::location::of_country(country)
                .map(|l| l.key.as_str())
                .collect();
            for (cell, whole) in &answers[&(code, "", year)] {
                let parts: Vec<Option<&Value>> = provinces
                    .iter()
                    .map(|p| answers[&("", *p, year)].get(cell))
                    .collect();
                let Some(got) = differenced(whole, &parts) else {
                    continue;
                };
                attacks += 1;
                assert!(
                    !(1..5).contains(&got),
                    "{cell:?} of {code} {year}: the country minus its provinces gives {got}"
                );
                if *cell == total_families {
                    let hidden: i64 = provinces
                        .iter()
                        .zip(&parts)
                        .filter(|(_, c)| c.is_some_and(|c| c == "Small"))
                        .map(|(p, _)| truth(p, year))
                        .sum();
                    small += usize::from((1..5).contains(&hidden));
                }
            }
        }
        for (cell, whole) in &answers[&("", "", year)] {
            let parts: Vec<Option<&Value>> = ["AF", "IQ"]
                .iter()
                .map(|c| answers[&(*c, "", year)].get(cell))
                .collect();
            if let Some(got) = differenced(whole, &parts) {
                attacks += 1;
                assert!(
                    !(1..5).contains(&got),
                    "{cell:?} {year}: both minus one gives {got}"
                );
            }
        }
    }
    assert!(attacks >= 100, "only {attacks} differences to try");
    assert!(
        small >= 1,
        "no attack met hidden families adding up to 1-4: the test would not see a leak"
    );
}

/// Every name, phone number, document number, address and date of birth in the database.
async fn identifiers(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT name_local FROM member WHERE name_local IS NOT NULL",
        "SELECT name_latin FROM member WHERE name_latin IS NOT NULL",
        "SELECT father_name FROM member WHERE father_name IS NOT NULL",
        "SELECT birth_date FROM member WHERE birth_date IS NOT NULL",
        "SELECT number FROM member_document",
        "SELECT phone FROM family WHERE phone IS NOT NULL",
        "SELECT phone_international FROM family WHERE phone_international IS NOT NULL",
        "SELECT address FROM family WHERE address IS NOT NULL",
        "SELECT case_number FROM family",
    ] {
        let values: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
        out.extend(values);
    }
    out.sort();
    out.dedup();
    out
}

async fn a_programme_manager_never_receives_an_identifier(app: TestApp) {
    caseload(&app).await;
    let ids = identifiers(&app).await;
    assert!(
        ids.len() > 1000,
        "names, phones, documents and birth dates to look for"
    );
    let pm = app.signed_in(MANAGER).await;
    let filters = [
        "",
        "country=AF",
        "country=IQ&year=2026",
        "province=AF-KAB&year=2025",
        "province=IQ-BG",
    ];
    let mut responses: Vec<(String, String)> = Vec::new();
    for f in filters {
        let form: Vec<(&str, &str)> = f
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').unwrap())
            .collect();
        let (_, v) = pm.call("overview", &form).await;
        responses.push((format!("overview {f}"), v.to_string()));
        let (status, html, _) = pm.page(&format!("/overview?{f}")).await;
        assert_eq!(status, StatusCode::OK);
        responses.push((format!("page {f}"), html));
        let (_, _, xlsx) = get_bytes(&pm, &format!("/overview/export.xlsx?{f}")).await;
        responses.push((format!("xlsx {f}"), xlsx_text(&xlsx)));
        for t in v["tables"].as_array().unwrap() {
            let id = t["id"].as_str().unwrap();
            let (_, _, csv) = get_bytes(&pm, &format!("/overview/export.csv?table={id}&{f}")).await;
            responses.push((format!("csv {id} {f}"), String::from_utf8(csv).unwrap()));
        }
    }
    for (what, text) in &responses {
        for id in &ids {
            assert!(!text.contains(id.as_str()), "{what} contains {id}");
        }
    }
}

/// An organisation's name is typed by an administrator; in a CSV export it must stay text,
/// not become a formula in the programme manager's spreadsheet.
async fn exported_names_never_become_spreadsheet_formulas(app: TestApp) {
    caseload(&app).await;
    let name = "=HYPERLINK(\"http://evil.example\",\"Open\")";
    sqlx::query("UPDATE organisation SET name = $1 WHERE kind = 'partner'")
        .bind(name)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let pm = app.signed_in(MANAGER).await;
    let (status, _, csv) =
        get_bytes(&pm, "/overview/export.csv?table=referrals_by_organisation").await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("HYPERLINK"), "the name is exported: {csv}");
    for line in csv.lines() {
        let first = line.trim_start_matches('\u{feff}').trim_start_matches('"');
        assert!(
            !first.starts_with(['=', '+', '-', '@']),
            "a cell a spreadsheet would run: {line}"
        );
    }
}

on_both_databases!(
    differencing_answers_gives_back_no_small_count,
    a_programme_manager_never_receives_an_identifier,
    exported_names_never_become_spreadsheet_formulas,
);
