//! The case list: only what the caller may see, search by number, name (either script,
//! spelling variants) and phone, filters, sorting and pages together.

use crate::common::*;
use crate::families::{refs, register_ahmadi, registration};
use crate::on_both_databases;
use reqwest::StatusCode;
use serde_json::json;

async fn the_case_list_shows_only_what_the_caller_may_see(app: TestApp) {
    app.people().await;
    app.user("cw.herat@test.org", "caseworker", "morr", &["AF-HER"])
        .await;
    register_ahmadi(&app).await;
    app.signed_in(SUPERVISOR)
        .await
        .call(
            "register_family",
            &refs(&registration(
                "AF-HER",
                &[("", "Gul Bibi", "", "female", "60", "head", "")],
            )),
        )
        .await;
    app.signed_in(SUPERVISOR_IQ)
        .await
        .call(
            "register_family",
            &refs(&registration(
                "IQ-BG",
                &[("علي حسن", "Ali Hassan", "حسن", "male", "50", "head", "")],
            )),
        )
        .await;
    let total = |email: &'static str| {
        let app = &app;
        async move {
            let (status, page) = app
                .signed_in(email)
                .await
                .call("list_cases", &[("filter[page]", "1")])
                .await;
            (status, page["total"].clone())
        }
    };
    assert_eq!(total(CASEWORKER).await, (StatusCode::OK, json!(1)));
    assert_eq!(total("cw.herat@test.org").await, (StatusCode::OK, json!(1)));
    assert_eq!(total(SUPERVISOR).await, (StatusCode::OK, json!(2)));
    assert_eq!(total(SUPERVISOR_IQ).await, (StatusCode::OK, json!(1)));
    assert_eq!(total(CASEWORKER_IQ).await, (StatusCode::OK, json!(1)));
    for email in [PARTNER, MANAGER, ADMIN] {
        assert_eq!(
            total(email).await,
            (StatusCode::FORBIDDEN, json!(null)),
            "{email}"
        );
    }
    // The caseworkers offered in the "assigned to" filter are the caller's ministry's.
    let (_, workers) = app
        .signed_in(SUPERVISOR)
        .await
        .call("list_caseworkers", &[])
        .await;
    let names: Vec<&str> = workers
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["User cw.af@test.org", "User cw.herat@test.org"]);
    let (_, workers) = app
        .signed_in(CASEWORKER_IQ)
        .await
        .call("list_caseworkers", &[])
        .await;
    assert_eq!(workers.as_array().unwrap().len(), 1);
    for email in [PARTNER, MANAGER, ADMIN] {
        let (status, _) = app
            .signed_in(email)
            .await
            .call("list_caseworkers", &[])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
    }
    // A search cannot reach past the scope either.
    let (_, page) = app
        .signed_in(CASEWORKER)
        .await
        .call("list_cases", &[("filter[q]", "Gul Bibi")])
        .await;
    assert_eq!(page["total"], 0);
    let (_, page) = app
        .signed_in(SUPERVISOR)
        .await
        .call("list_cases", &[("filter[q]", "Ali Hassan")])
        .await;
    assert_eq!(page["total"], 0);
}

async fn search_finds_cases_by_number_spelling_variants_and_phone(app: TestApp) {
    app.people().await;
    register_ahmadi(&app).await;
    let c = app.signed_in(SUPERVISOR).await;
    for (q, found) in [
        ("AF-2026-000001", 1),
        ("af-2026-1", 1),
        ("1", 1),
        ("محمد احمدي", 1), // Arabic yeh for the Persian one
        ("احمدى", 1),      // alef maksura
        ("مُحَمَّد", 1),       // with diacritics
        ("Muhammad", 1),   // another transliteration
        ("ahmad", 1),      // a prefix
        ("zahra", 1),      // another member
        ("+93 70 123 4567", 1),
        ("0701234567", 1),
        ("۱۳۹۹-۰۱۰۱-۱۲۳۴۵", 1), // the tazkira number in Persian digits
        ("Rahimi", 0),
        ("AF-2026-000002", 0),
    ] {
        let (status, page) = c.call("list_cases", &[("filter[q]", q)]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["total"], found, "search {q:?}");
    }
}

async fn filters_sort_and_pages_work_together(app: TestApp) {
    let people = app.people().await;
    let sup = app.signed_in(SUPERVISOR).await;
    for i in 0..30 {
        let province = if i % 3 == 0 { "AF-HER" } else { "AF-KAB" };
        let name = format!("Family Member{i}");
        let mut form = registration(
            province,
            &[("", name.as_str(), "", "female", "70", "head", "")],
        );
        form.retain(|(k, _)| k != "household[return_date]");
        form.push((
            "household[return_date]".into(),
            format!("2026-0{}-15", 1 + i % 9),
        ));
        if i % 5 == 0 {
            form.push(("members[0][needs][]".into(), "older_person".into()));
        }
        let (status, body) = sup.call("register_family", &refs(&form)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, page) = sup
        .call("list_cases", &[("filter[province]", "AF-HER")])
        .await;
    assert_eq!(page["total"], 10);
    let (_, page) = sup
        .call("list_cases", &[("filter[need]", "older_person")])
        .await;
    assert_eq!(page["total"], 6);
    assert_eq!(page["cases"][0]["needs"], json!(["older_person"]));
    let (_, page) = sup
        .call(
            "list_cases",
            &[
                ("filter[returned_after]", "2026-03-01"),
                ("filter[returned_before]", "2026-04-30"),
                ("filter[calendar]", "gregorian"),
            ],
        )
        .await;
    assert_eq!(page["total"], 7, "March and April");
    // The same range typed in the Solar Hijri calendar (10 Hut 1404 to 10 Sawr 1405).
    let (_, page) = sup
        .call(
            "list_cases",
            &[
                ("filter[returned_after]", "1404-12-10"),
                ("filter[returned_before]", "1405-02-10"),
                ("filter[calendar]", "solar_hijri"),
            ],
        )
        .await;
    assert_eq!(page["total"], 7);
    let (status, body) = sup
        .call(
            "list_cases",
            &[
                ("filter[returned_after]", "1405-13-01"),
                ("filter[calendar]", "solar_hijri"),
            ],
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"Invalid": {"returned_after": "InvalidDate"}})
        )
    );
    let (_, page) = sup
        .call(
            "list_cases",
            &[("filter[status]", "registered"), ("filter[page]", "2")],
        )
        .await;
    assert_eq!(
        (
            page["total"].clone(),
            page["cases"].as_array().unwrap().len()
        ),
        (json!(30), 5)
    );
    let (_, page) = sup
        .call("list_cases", &[("filter[sort]", "case_number")])
        .await;
    assert_eq!(page["cases"][0]["case_number"], "AF-2026-000030");
    let (_, page) = sup
        .call("list_cases", &[("filter[assigned]", "none")])
        .await;
    assert_eq!(
        page["total"], 30,
        "a supervisor's registrations are unassigned"
    );
    let (_, first) = sup
        .call("list_cases", &[("filter[sort]", "case_number")])
        .await;
    let id = first["cases"][0]["family_id"].as_str().unwrap().to_string();
    let (status, _) = sup
        .call(
            "assign_case",
            &[
                ("family_id", &id),
                ("version", &app.version("family", &id).await),
                ("user_id", &people.caseworker),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = sup
        .call("list_cases", &[("filter[assigned]", &people.caseworker)])
        .await;
    assert_eq!(page["total"], 1);
    let (_, page) = app
        .signed_in(CASEWORKER)
        .await
        .call("list_cases", &[("filter[assigned]", "me")])
        .await;
    assert_eq!(page["total"], 1);
}

on_both_databases!(
    the_case_list_shows_only_what_the_caller_may_see,
    search_finds_cases_by_number_spelling_variants_and_phone,
    filters_sort_and_pages_work_together,
);
