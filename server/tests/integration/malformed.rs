//! Malformed input everywhere: generated bodies (missing, extra and empty fields, wrong types,
//! huge strings, invalid UTF-8, impossible dates in both calendars, unknown codes, ids of the
//! wrong shape or of real records with a stale version) posted to every server function as
//! every role, as a script would and as a form without JavaScript: every request is answered,
//! never with a 5xx, and nothing is written.

use crate::backup::all_rows;
use crate::common::*;
use crate::on_both_databases;
use reqwest::StatusCode;

/// Every field name the forms post, and the nested ones of structured arguments.
const FIELDS: &[&str] = &[
    "action",
    "actor",
    "areas[]",
    "assessed_on",
    "body",
    "calendar",
    "code",
    "comment",
    "confirm_password",
    "confirmed_distinct",
    "consent_given_by",
    "consent_registration",
    "consent_sharing",
    "country",
    "current_password",
    "decision",
    "delivered_on",
    "description",
    "digits",
    "display_name",
    "due_on",
    "email",
    "family_id",
    "follow_up_id",
    "from",
    "given",
    "given_by",
    "household[address]",
    "household[district]",
    "household[phone]",
    "household[province]",
    "household[return_date]",
    "household[return_type]",
    "household[returned_from]",
    "include_inactive",
    "intent",
    "kind",
    "language",
    "member_id",
    "name",
    "new_password",
    "next",
    "note",
    "notes",
    "organisation",
    "organisation_id",
    "outcome",
    "password",
    "plan_item_id",
    "province",
    "provinces[]",
    "q",
    "reason",
    "referral_email",
    "referral_id",
    "response_days",
    "returned_after",
    "returned_before",
    "role",
    "service",
    "services[]",
    "target",
    "to",
    "user_id",
    "version",
    "viewport",
    "year",
    "locale",
    "case_number",
    "assessment_id",
    "decline_reason",
    "must_change_password",
    "overdue",
    "filter[page]",
    "filter[q]",
    "filter[status]",
    "filter[province]",
    "filter[sort]",
    "filter[returned_after]",
    "member[name_local]",
    "member[name_latin]",
    "member[sex]",
    "member[age]",
    "member[birth_date]",
    "member[relationship]",
    "member[needs][]",
    "members[0][name_local]",
    "members[0][sex]",
    "members[0][age]",
    "items[0][id]",
    "items[0][status]",
    "items[0][target_date]",
    "items[0][version]",
    "answers[housing]",
    "dimension[psychosocial]",
    "other",
    "other_id",
    "other_version",
    "survivor",
    "area",
    "address",
    "phone",
    "return_details",
    "caseworker",
    "merged_id",
];

fn is_date(field: &str) -> bool {
    [
        "_on",
        "date",
        "returned_",
        "_after",
        "_before",
        "from",
        "to",
    ]
    .iter()
    .any(|s| field.contains(s))
}

/// Form encoding of one name or value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The bodies sent to each function: (what it is, content type, bytes).
fn bodies(real: &Real) -> Vec<(String, &'static str, Vec<u8>)> {
    const FORM: &str = "application/x-www-form-urlencoded";
    let form = |what: &str, value: &dyn Fn(&str) -> String| {
        let body = FIELDS
            .iter()
            .map(|f| format!("{}={}", encode(f), encode(&value(f))))
            .collect::<Vec<_>>()
            .join("&");
        (what.to_string(), FORM, body.into_bytes())
    };
    // Long, but under the 32 KB a request body may have (larger ones are refused with 413
    // before they are read, anonymous.rs).
    let long = "x".repeat(250);
    let huge = "ب".repeat(1_100);
    vec![
        ("nothing".into(), FORM, Vec::new()),
        (
            "only unknown fields".into(),
            FORM,
            b"zz=1&__proto__=x".to_vec(),
        ),
        (
            "json instead of a form".into(),
            "application/json",
            br#"{"family_id":5,"version":[1]}"#.to_vec(),
        ),
        (
            "invalid UTF-8".into(),
            FORM,
            b"family_id=%FF%FE&version=\xff\xfe&body=\xc3\x28".to_vec(),
        ),
        (
            "a body that is not a form".into(),
            FORM,
            b"=&&==%%%zz%".to_vec(),
        ),
        form("every field empty", &|_| String::new()),
        form("SQL in every field", &|_| {
            "x' OR '1'='1'; DROP TABLE family; --".into()
        }),
        form("numbers out of range", &|_| {
            "-99999999999999999999999".into()
        }),
        form("unknown codes", &|f| {
            if f == "calendar" {
                "lunar".into()
            } else {
                "zzz_unknown".into()
            }
        }),
        form("impossible Gregorian dates", &|f| {
            if f == "calendar" {
                "gregorian".into()
            } else if is_date(f) {
                "2026-02-30".into()
            } else {
                "1".into()
            }
        }),
        form("impossible solar Hijri dates", &|f| {
            if f == "calendar" {
                "solar_hijri".into()
            } else if is_date(f) {
                "1405-13-40".into()
            } else {
                "1".into()
            }
        }),
        form("Eastern Arabic digits and far years", &|f| {
            if is_date(f) {
                "٢٠٢٦-١١-٠٢".into()
            } else if f == "version" {
                "99999-01-01".into()
            } else {
                "٣".into()
            }
        }),
        form("ids of the wrong shape", &|f| {
            if f.ends_with("_id") || f.ends_with("[id]") {
                "../../etc/passwd".into()
            } else {
                "1".into()
            }
        }),
        form("real ids, a stale version, nothing else", &|f| match f {
            "family_id" => real.family.clone(),
            "referral_id" => real.referral.clone(),
            "follow_up_id" => real.follow_up.clone(),
            "version" | "items[0][version]" => "0".into(),
            _ => String::new(),
        }),
        form("a NUL in every field", &|_| "zzz\u{0}".into()),
        form("long strings in every field", &|_| long.clone()),
        form("huge names and texts", &|f| match f {
            "name" | "display_name" | "member[name_local]" | "body" => huge.clone(),
            _ => String::new(),
        }),
        // Shapes that deserialize, so the request gets past decoding to the checks behind
        // it: access, the record's version, validation. Sent last: its text is valid, so some
        // functions do what they are asked (a note "zzz" is a note).
        form(PLAUSIBLE, &|f| match f {
            "family_id" => real.family.clone(),
            "referral_id" => real.referral.clone(),
            "follow_up_id" => real.follow_up.clone(),
            "version" | "items[0][version]" => "1".into(),
            "calendar" => "gregorian".into(),
            "include_inactive"
            | "consent_registration"
            | "consent_sharing"
            | "confirmed_distinct"
            | "must_change_password"
            | "overdue"
            | "given" => "true".into(),
            "year" | "response_days" | "filter[page]" | "member[age]" | "members[0][age]" => {
                "7".into()
            }
            f if is_date(f) => "2026-11-02".into(),
            _ => "zzz".into(),
        }),
    ]
}

/// The one body whose requests may do what they ask.
const PLAUSIBLE: &str = "plausible shapes, wrong content";

/// Ids of records in the fixture.
struct Real {
    family: String,
    referral: String,
    follow_up: String,
}

async fn every_function_answers_malformed_input_without_error_or_write_as_every_role(app: TestApp) {
    use crate::referrals::{assessed_family, directory, item, send};
    app.people().await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    let (_, referral) = send(&app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    let c = app.signed_in(CASEWORKER).await;
    let visit = [
        ("family_id", family.as_str()),
        ("kind", "phone_call"),
        ("due_on", "2026-11-06"),
        ("calendar", "gregorian"),
    ];
    assert_eq!(c.call("schedule_follow_up", &visit).await.0, StatusCode::OK);
    let follow_up: String = sqlx::query_scalar("SELECT follow_up_id FROM follow_up")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let real = Real {
        family,
        referral: referral.as_str().unwrap().to_string(),
        follow_up,
    };
    let bodies = bodies(&real);
    // Signing out would end the session the rest of the role's requests use: it goes last.
    let mut endpoints: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    endpoints.sort_by_key(|p| (p.ends_with("/sign_out"), *p));
    assert!(endpoints.len() > 40, "{endpoints:?}");

    let before = all_rows(&app.database_url).await;
    let mut seen = std::collections::BTreeMap::new();
    for (what, content_type, body) in &bodies {
        if what == PLAUSIBLE {
            // Every other body has been sent: none of them wrote anything. (What may stay
            // behind: audit entries, the sessions of the sign-ins, throttle counters, and the
            // flashes that carry errors back to forms.)
            let after = all_rows(&app.database_url).await;
            for (table, rows) in &before {
                let ignored = [
                    "audit_event",
                    "user_session",
                    "sign_in_throttle",
                    "form_flash",
                ];
                if ignored.contains(&table.as_str()) {
                    continue;
                }
                let new: Vec<_> = after[table].iter().filter(|r| !rows.contains(r)).collect();
                let gone: Vec<_> = rows.iter().filter(|r| !after[table].contains(r)).collect();
                assert!(
                    new.is_empty() && gone.is_empty(),
                    "table {table} was written: {new:?} instead of {gone:?}"
                );
            }
        }
        for role in ROLES {
            let client = match role {
                Some(email) => app.signed_in(email).await,
                None => app.client(),
            };
            for endpoint in &endpoints {
                for accept in ["application/json", "text/html"] {
                    let res = client
                        .http
                        .post(format!("{}{endpoint}", app.base))
                        .header("content-type", *content_type)
                        .header("accept", accept)
                        .body(body.clone())
                        .send()
                        .await
                        .unwrap_or_else(|e| {
                            panic!("{endpoint} as {role:?}, {what}: no answer ({e})")
                        });
                    let status = res.status();
                    let text = res.text().await.unwrap_or_default();
                    assert!(
                        !status.is_server_error(),
                        "{endpoint} as {role:?}, {what}, accept {accept}: {status} {text}"
                    );
                    *seen.entry(status.as_u16()).or_insert(0) += 1;
                }
            }
        }
    }
    // Pages and exports with queries and ids of the wrong shape.
    let family = &real.family;
    let pages = [
        "/cases?q=%00".to_string(),
        "/cases/%00".to_string(),
        "/cases?filter[page]=-1&filter[sort]=zzz&filter[status]=%FF%FE".to_string(),
        "/cases?returned_after=1405-13-40&calendar=solar_hijri".to_string(),
        "/cases/../../etc/passwd".to_string(),
        format!("/cases/{family}/assess?version=zzz"),
        format!("/cases/{family}x"),
        "/referrals?tab=zzz&page=99999999999999999999".to_string(),
        "/overview?year=-1&province=zzz".to_string(),
        "/overview/export.csv?year=zzz&province=%FF".to_string(),
        "/overview/export.xlsx?from=2026-02-30".to_string(),
        "/admin/users?role=zzz&q=%E0%A4".to_string(),
    ];
    for role in ROLES {
        let client = match role {
            Some(email) => app.signed_in(email).await,
            None => app.client(),
        };
        for page in &pages {
            let (status, html, _) = client.page(page).await;
            assert!(
                !status.is_server_error(),
                "{page} as {role:?}: {status} {html}"
            );
        }
    }

    // The bodies reach every layer: decoding (400), sign-in (401), the role (403), the
    // record (404), its version (409) and validation (422).
    for status in [400, 401, 403, 404, 409, 422] {
        assert!(seen.contains_key(&status), "no {status} among {seen:?}");
    }
}

/// Anonymous, and one account of each role (both countries' caseworkers).
const ROLES: [Option<&str>; 7] = [
    None,
    Some(CASEWORKER),
    Some(SUPERVISOR),
    Some(CASEWORKER_IQ),
    Some(PARTNER),
    Some(MANAGER),
    Some(ADMIN),
];

on_both_databases!(every_function_answers_malformed_input_without_error_or_write_as_every_role);
