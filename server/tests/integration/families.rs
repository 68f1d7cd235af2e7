//! Families: registration and case numbers, bad input, and who may do what with a case, in
//! scope and out. The list is `case_list.rs`; changes to a record are `family_edits.rs`.

use crate::common::*;
use crate::on_both_databases;
use reqwest::StatusCode;
use serde_json::json;

/// A registration form's fields: a household in `province` and the given members
/// (local name, Latin name, father, sex, age, relationship, document number).
pub fn registration(
    province: &str,
    members: &[(&str, &str, &str, &str, &str, &str, &str)],
) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = vec![
        ("household[province]".into(), province.into()),
        ("household[district]".into(), "District 8".into()),
        ("household[address]".into(), "Behind the blue mosque".into()),
        ("household[phone]".into(), "0701 234 567".into()),
        ("household[return_date]".into(), "2026-10-02".into()),
        ("household[returned_from]".into(), "IR".into()),
        ("household[return_type]".into(), "deported".into()),
        ("consent_registration".into(), "yes".into()),
        ("consent_sharing".into(), "yes".into()),
        ("consent_given_by".into(), "The head of household".into()),
        ("calendar".into(), "gregorian".into()),
    ];
    for (i, (local, latin, father, sex, age, rel, doc)) in members.iter().enumerate() {
        let k = |field: &str| format!("members[{i}][{field}]");
        f.push((k("name_local"), local.to_string()));
        f.push((k("name_latin"), latin.to_string()));
        f.push((k("father_name"), father.to_string()));
        f.push((k("sex"), sex.to_string()));
        f.push((k("age"), age.to_string()));
        f.push((k("relationship"), rel.to_string()));
        if !doc.is_empty() {
            f.push((k("documents][tazkira"), doc.to_string()));
        }
    }
    f
}

pub const AHMADI: [(&str, &str, &str, &str, &str, &str, &str); 3] = [
    (
        "محمد احمدی",
        "Mohammad Ahmadi",
        "Abdul Karim",
        "male",
        "42",
        "head",
        "1399-0101-12345",
    ),
    (
        "فاطمه احمدی",
        "Fatima Ahmadi",
        "Ghulam Sakhi",
        "female",
        "38",
        "spouse",
        "",
    ),
    (
        "زهرا",
        "Zahra Ahmadi",
        "Mohammad Ahmadi",
        "female",
        "9",
        "daughter",
        "",
    ),
];

pub fn refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

/// Registers the Ahmadi family in Kabul as the Kabul caseworker; answers its id. A test that
/// needs several families registers it again, confirmed as another family.
pub async fn register_ahmadi(app: &TestApp) -> String {
    let c = app.signed_in(CASEWORKER).await;
    let mut form = registration("AF-KAB", &AHMADI);
    let before = app.count("SELECT COUNT(*) FROM family").await;
    if before > 0 {
        form.push(("confirmed_distinct".into(), "yes".into()));
    }
    let (status, id) = c.call("register_family", &refs(&form)).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    id.as_str().unwrap().to_string()
}

async fn a_caseworker_registers_a_family_of_three_and_reads_it_back(app: TestApp) {
    app.people().await;
    let id = register_ahmadi(&app).await;
    let c = app.signed_in(CASEWORKER).await;
    let (status, case) = c.call("get_case", &[("family_id", &id)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(case["case_number"], "AF-2026-000001");
    assert_eq!(case["status"], "registered");
    assert_eq!(case["province"], "AF-KAB");
    assert_eq!(case["members"].as_array().unwrap().len(), 3);
    assert_eq!(
        case["members"][0]["documents"],
        json!([["tazkira", "1399010112345"]])
    );
    assert_eq!(
        case["assigned_to_name"], "User cw.af@test.org",
        "a caseworker's registration is theirs"
    );
    assert_eq!(case["sharing_consent"], true);
    assert_eq!(case["consents"].as_array().unwrap().len(), 2);
    let kinds: Vec<&str> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["assigned", "registered"]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'case_registered'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'case_viewed'")
            .await,
        1
    );
    assert!(
        !id.chars().all(|c| c.is_ascii_digit()),
        "ids in URLs are opaque"
    );
}

/// A server function, its form fields, and whether the role may call it.
type Call<'a> = (&'a str, Vec<(&'a str, String)>, bool);

async fn case_numbers_stay_unique_under_concurrent_registrations(app: TestApp) {
    app.people().await;
    let clients = [
        app.signed_in(CASEWORKER).await,
        app.signed_in(SUPERVISOR).await,
        app.signed_in(CASEWORKER).await,
    ];
    let mut tasks = Vec::new();
    for i in 0..18 {
        let c = &clients[i % clients.len()];
        let name = format!("Person Number{i}");
        let members = [("", name.as_str(), "", "male", "30", "head", "")];
        let form = registration("AF-KAB", &members);
        tasks.push(async move { c.call("register_family", &refs(&form)).await });
    }
    // join_all polls every request at once: they overlap on the server.
    let results = futures::future::join_all(tasks).await;
    for (status, body) in &results {
        assert_eq!(*status, StatusCode::OK, "{body}");
    }
    let mut numbers: Vec<String> =
        sqlx::query_scalar("SELECT case_number FROM family ORDER BY case_number")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
    numbers.dedup();
    let expected: Vec<String> = (1..=18).map(|n| format!("AF-2026-{n:06}")).collect();
    assert_eq!(numbers, expected);
}

async fn bad_input_is_answered_field_by_field_and_nothing_is_saved(app: TestApp) {
    app.people().await;
    let c = app.signed_in(CASEWORKER).await;
    let mut form = registration("AF-KAB", &[("", "", "", "x", "", "son", "")]);
    form.retain(|(k, _)| k != "consent_registration" && k != "household[district]");
    form.push(("household[district]".into(), "".into()));
    let (status, body) = c.call("register_family", &refs(&form)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = &body["Invalid"];
    assert_eq!(errors["household[district]"], "Required");
    assert_eq!(errors["members[0][name_local]"], "Required");
    assert_eq!(errors["members[0][sex]"], "InvalidChoice");
    assert_eq!(errors["members[0][birth_date]"], "Required");
    assert_eq!(
        errors["members[0][relationship]"], "Required",
        "a family needs a head"
    );
    assert_eq!(errors["consent_registration"], "Required");
    assert_eq!(app.count("SELECT COUNT(*) FROM family").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM member").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM case_number_counter").await,
        0
    );
}

async fn registering_outside_ones_areas_or_country_is_refused_on_the_province(app: TestApp) {
    app.people().await;
    let c = app.signed_in(CASEWORKER).await;
    let (_, body) = c
        .call("register_family", &refs(&registration("AF-HER", &AHMADI)))
        .await;
    assert_eq!(
        body,
        json!({"Invalid": {"household[province]": "OutsideYourAreas"}})
    );
    let (_, body) = c
        .call("register_family", &refs(&registration("IQ-BG", &AHMADI)))
        .await;
    assert_eq!(
        body,
        json!({"Invalid": {"household[province]": "OutsideCountry"}})
    );
    // A supervisor registers anywhere in their country.
    let (status, _) = app
        .signed_in(SUPERVISOR)
        .await
        .call("register_family", &refs(&registration("AF-HER", &AHMADI)))
        .await;
    assert_eq!(status, StatusCode::OK);
    for email in [PARTNER, MANAGER, ADMIN] {
        let (status, body) = app
            .signed_in(email)
            .await
            .call("register_family", &refs(&registration("AF-KAB", &AHMADI)))
            .await;
        assert_eq!(
            (status, body),
            (StatusCode::FORBIDDEN, json!("Forbidden")),
            "{email}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM family").await, 1);
}

/// Who may do what to a Kabul case: every case function against every role.
async fn every_case_function_against_every_role_in_scope_and_out(app: TestApp) {
    let people = app.people().await;
    app.user("cw.herat@test.org", "caseworker", "morr", &["AF-HER"])
        .await;
    let id = register_ahmadi(&app).await;
    let (_, case) = app
        .signed_in(CASEWORKER)
        .await
        .call("get_case", &[("family_id", &id)])
        .await;
    let member_id = case["members"][0]["member_id"]
        .as_str()
        .unwrap()
        .to_string();

    // (email, may see and edit, may assign)
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
    for (email, may, may_assign) in roles {
        let c = app.signed_in(email).await;
        let supervisor = app.signed_in(SUPERVISOR).await;
        let version = || async {
            let (_, v) = supervisor.call("get_case", &[("family_id", &id)]).await;
            v["version"].to_string()
        };
        let calls: Vec<Call> = vec![
            ("get_case", vec![("family_id", id.clone())], may),
            (
                "update_household",
                vec![
                    ("family_id", id.clone()),
                    ("version", "VERSION".into()),
                    ("household[province]", "AF-KAB".into()),
                    ("household[district]", format!("District of {email}")),
                    ("household[return_date]", "2026-10-02".into()),
                    ("household[returned_from]", "IR".into()),
                    ("household[return_type]", "deported".into()),
                ],
                may,
            ),
            (
                "save_member",
                vec![
                    ("family_id", id.clone()),
                    ("member_id", member_id.clone()),
                    ("version", "VERSION".into()),
                    ("member[name_latin]", "Mohammad Ahmadi".into()),
                    ("member[sex]", "male".into()),
                    ("member[age]", "42".into()),
                    ("member[relationship]", "head".into()),
                ],
                may,
            ),
            (
                "record_consent",
                vec![
                    ("family_id", id.clone()),
                    ("kind", "sharing".into()),
                    ("given", "yes".into()),
                    ("given_by", "Head".into()),
                ],
                may,
            ),
            (
                "add_note",
                vec![
                    ("family_id", id.clone()),
                    ("body", format!("Visited by {email}")),
                ],
                may,
            ),
            (
                "list_assignable",
                vec![("family_id", id.clone())],
                may_assign,
            ),
            (
                "assign_case",
                vec![
                    ("family_id", id.clone()),
                    ("version", "VERSION".into()),
                    ("user_id", people.caseworker.clone()),
                ],
                may_assign,
            ),
        ];
        for (endpoint, args, allowed) in calls {
            // The version of the case right now (earlier calls of this loop changed it).
            let current = version().await;
            let args: Vec<(&str, String)> = args
                .into_iter()
                .map(|(k, v)| (k, if v == "VERSION" { current.clone() } else { v }))
                .collect();
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, body) = c.call(endpoint, &args).await;
            if allowed {
                assert_eq!(status, StatusCode::OK, "{email} {endpoint}: {body}");
            } else {
                // Out of sight is indistinguishable from missing.
                assert_eq!(
                    (status, body.clone()),
                    (StatusCode::NOT_FOUND, json!("NotFound")),
                    "{email} {endpoint}"
                );
                let args_missing: Vec<(&str, &str)> = args
                    .iter()
                    .map(|(k, v)| {
                        if *k == "family_id" {
                            (*k, "00000000-0000-0000-0000-000000000000")
                        } else {
                            (*k, *v)
                        }
                    })
                    .collect();
                let missing = c.call(endpoint, &args_missing).await;
                if status != StatusCode::FORBIDDEN {
                    assert_eq!(
                        missing,
                        (status, body),
                        "{email} {endpoint}: missing and hidden look alike"
                    );
                }
            }
        }
    }
    // Nothing of the refused calls reached the record.
    let (_, case) = app
        .signed_in(SUPERVISOR)
        .await
        .call("get_case", &[("family_id", &id)])
        .await;
    let notes: Vec<&str> = case["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["body"].as_str().unwrap())
        .collect();
    let mut notes = notes;
    notes.sort();
    assert_eq!(
        notes,
        vec![
            format!("Visited by {CASEWORKER}"),
            format!("Visited by {SUPERVISOR}")
        ]
    );
}

on_both_databases!(
    a_caseworker_registers_a_family_of_three_and_reads_it_back,
    case_numbers_stay_unique_under_concurrent_registrations,
    bad_input_is_answered_field_by_field_and_nothing_is_saved,
    registering_outside_ones_areas_or_country_is_refused_on_the_province,
    every_case_function_against_every_role_in_scope_and_out,
);
