//! Referrals to organisations without accounts: the directory entry, the slip with its
//! reference and code (shown once), `/r` opening the referral and answering it through the
//! partner's own functions, what a code reaches (one referral, nothing else), new codes
//! voiding old ones and their sessions, expiry, and the throttle against guessing.

use crate::assessments::refs;
use crate::common::*;
use crate::referrals::{assessed_family, item, org_id, outbox};
use crate::{on_both_backends, on_both_databases};
use app::backend::db::Backend;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Through the administration: "shura", a community organisation without accounts, offers
/// housing in Kabul; whom to see there, and an address for its referrals' emails.
pub async fn shura(app: &TestApp) -> String {
    let id = app.org("shura", "partner", "AF").await;
    let admin = app.signed_in(ADMIN).await;
    let entry = |person: &str| {
        vec![
            ("organisation_id".to_string(), id.clone()),
            ("response_days".into(), "5".into()),
            ("referral_email".into(), "shura@example.org".into()),
            ("without_accounts".into(), "yes".into()),
            ("contact_person".into(), person.to_string()),
            ("contact_phone".into(), "+93 70 555 0142".into()),
            (
                "contact_address".into(),
                "Behind the blue mosque, District 5".into(),
            ),
            ("services[]".into(), "housing".into()),
            ("provinces[]".into(), "AF-KAB".into()),
        ]
    };
    // Without accounts, the slip is the family's only way there: whom to see is required.
    let mut f = entry("");
    f.push(("version".into(), app.version("organisation", &id).await));
    let (status, body) = admin.call("save_directory", &refs(&f)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["Invalid"]["contact_person"],
        json!("Required"),
        "{body}"
    );
    let mut f = entry("Haji Rahim");
    f.push(("version".into(), app.version("organisation", &id).await));
    let (status, body) = admin.call("save_directory", &refs(&f)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id
}

/// A Kabul family referred for housing to the shura, sent as a browser without JavaScript
/// does: answers (family, referral, reference, code) as the slip shows them.
pub async fn referred(app: &TestApp, cw: &Client) -> (String, String, String, String) {
    let (family, plan) = assessed_family(app).await;
    let org = org_id(app, "shura").await;
    let housing = item(&plan, "housing");
    let res = cw
        .post_form(
            "send_referral",
            &format!("/cases/{family}/refer/{housing}"),
            &[
                ("family_id", &family),
                ("plan_item_id", housing),
                ("service", "housing"),
                ("organisation_id", &org),
                ("note", "Family sleeps in a tent since return."),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let referral = to
        .strip_prefix(&format!("/cases/{family}/referrals/"))
        .and_then(|r| r.strip_suffix("/slip"))
        .unwrap_or_else(|| panic!("sent to the slip, not {to}"))
        .to_string();
    let (reference, code) = slip(cw, &to).await;
    (family, referral, reference, code.expect("the code, once"))
}

/// The slip's reference and, if it shows one, its code (digits only).
async fn slip(c: &Client, path: &str) -> (String, Option<String>) {
    let (status, html, _) = c.page(path).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<svg"), "the QR code is drawn on the server");
    let digits = |class: &str| {
        let at = html.find(&format!("class=\"{class}\">"))?;
        let rest = &html[at..];
        let start = rest.find('>')? + 1;
        let end = rest.find('<')?;
        Some(rest[start..end].replace(' ', ""))
    };
    let reference = digits("slip-reference").expect("the reference");
    assert!(
        html.contains(&format!("/r?ref={reference}")),
        "the /r address"
    );
    (reference, digits("slip-code"))
}

/// Types reference and code at `/r` as a browser without JavaScript does: answers where it
/// was sent.
pub async fn open(c: &Client, reference: &str, code: &str) -> String {
    let res = c
        .post_form(
            "open_referral",
            "/r",
            &[("reference", reference), ("code", code)],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    res.headers()["location"].to_str().unwrap().to_string()
}

async fn coded(c: &Client) -> Value {
    let (status, r) = c.call("coded_referral", &[]).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    r
}

async fn answer(c: &Client, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    c.call(endpoint, form).await
}

async fn a_family_s_slip_opens_the_referral_at_r_without_an_account(app: TestApp) {
    app.people().await;
    shura(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let (family, referral, reference, code) = referred(&app, &cw).await;
    assert_eq!(reference.len(), 8);
    assert_eq!(code.len(), 8);
    // Stored as a hash only; shown once.
    let stored: String =
        sqlx::query_scalar("SELECT code_hash FROM referral_code WHERE referral_id = $1")
            .bind(&referral)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert!(stored.starts_with("$argon2") && !stored.contains(&code));
    let slip_path = format!("/cases/{family}/referrals/{referral}/slip");
    assert_eq!(slip(&cw, &slip_path).await, (reference.clone(), None));
    // The shura's email links to /r with the reference; the code travels only on the slip.
    let emails = outbox(&app).await;
    let new = emails
        .iter()
        .find(|e| e.0 == "referral_new")
        .expect("the email");
    assert_eq!(new.1, "shura@example.org");
    assert!(new.3.contains(&format!("/r?ref={reference}")), "{}", new.3);
    // In the organisation's country's language (Dari for Afghanistan): no sign-in asked for.
    assert!(new.3.contains("به حساب کاربری نیاز نیست"), "{}", new.3);
    assert!(
        !new.3.contains(&code) && !new.3.contains("/referrals/"),
        "{}",
        new.3
    );

    // At the shura: the reference and the code, as printed (in Persian digits too).
    let shura = app.client();
    let persian: String = code
        .chars()
        .map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap()).unwrap())
        .collect();
    let (status, html, _) = shura.page("/r").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"code\""), "the form");
    assert_eq!(open(&shura, &reference, &persian).await, "/r");
    let (_, html, _) = shura.page("/r").await;
    assert!(html.contains("Mohammad Ahmadi"), "the need-to-know view");
    let r = coded(&shura).await;
    assert_eq!(r["referral_id"], json!(referral));
    assert_eq!(r["family"]["household_size"], json!(3));

    // Accept, record a service and complete: the partner's own functions, the answer back
    // to /r.
    let v = r["version"].to_string();
    let accept = [
        ("referral_id", referral.as_str()),
        ("version", &v),
        ("decision", "accept"),
    ];
    let res = shura.post_form("respond_referral", "/r", &accept).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/r");
    let service = [
        ("referral_id", referral.as_str()),
        ("delivered_on", "2026-11-01"),
        ("description", "Tent replaced by a shelter kit"),
        ("calendar", "gregorian"),
    ];
    assert_eq!(
        answer(&shura, "record_service", &service).await.0,
        StatusCode::OK
    );
    let v = coded(&shura).await["version"].to_string();
    let done = [
        ("referral_id", referral.as_str()),
        ("version", &v),
        ("outcome", "Family housed in a shelter"),
    ];
    assert_eq!(
        answer(&shura, "complete_referral", &done).await.0,
        StatusCode::OK
    );

    // The caseworker reads the outcome; the timeline names the organisation.
    let (_, html, _) = cw.page(&format!("/cases/{family}")).await;
    assert!(html.contains("Family housed in a shelter"));
    assert!(html.contains("Tent replaced by a shelter kit"));
    // Every use audited, with the client address, as the organisation's code account.
    let uses = app
        .count(
            "SELECT COUNT(*) FROM audit_event a JOIN app_user u ON u.user_id = a.actor_user_id
             WHERE u.code_access = 1 AND a.client_addr IS NOT NULL AND a.action IN
             ('referral_code_used', 'referral_viewed', 'referral_accepted', 'service_recorded',
              'referral_completed')",
        )
        .await;
    assert!(uses >= 5, "{uses}");
    // The referral has ended: the code no longer opens it (the session keeps its record).
    let again = app.client();
    assert_eq!(
        open(&again, &reference, &code).await,
        format!("/r?error=code_ended&ref={reference}")
    );
    assert_eq!(
        again
            .call(
                "open_referral",
                &[("reference", &reference), ("code", &code)]
            )
            .await
            .0,
        StatusCode::GONE
    );
    // The family's copy of its data has the slip's reference, never the code's hash.
    let sup = app.signed_in(SUPERVISOR).await;
    let (status, body, _) = sup.page(&format!("/cases/{family}/export.json")).await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&body).unwrap();
    let codes = doc["tables"]["referral_code"].as_array().unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0]["reference"], json!(reference));
    assert!(codes[0].get("code_hash").is_none() && !body.contains("argon2"));
    // The code account is nobody's: it is not listed, and no password opens it.
    let admin = app.signed_in(ADMIN).await;
    let (_, users) = admin
        .call("list_users", &[("filter[q]", "code-access")])
        .await;
    assert_eq!(users, json!([]), "{users}");
    let email: String = sqlx::query_scalar("SELECT email FROM app_user WHERE code_access = 1")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let (status, _) = app
        .client()
        .call("sign_in", &[("email", &email), ("password", "!")])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn a_code_reaches_its_referral_and_nothing_else(app: TestApp) {
    app.people().await;
    shura(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let (family, referral, reference, code) = referred(&app, &cw).await;
    let (_, other, _, _) = referred(&app, &cw).await;
    let shura = app.client();
    assert_eq!(open(&shura, &reference, &code).await, "/r");
    // Another referral to the same organisation looks exactly like one that does not exist.
    let (status, body) = shura.call("get_referral", &[("referral_id", &other)]).await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, json!("NotFound")));
    let (status, _) = shura
        .call("get_referral", &[("referral_id", &referral)])
        .await;
    assert_eq!(status, StatusCode::OK);
    let v: i64 = sqlx::query_scalar("SELECT version FROM referral WHERE referral_id = $1")
        .bind(&other)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let v = v.to_string();
    let accept = [
        ("referral_id", other.as_str()),
        ("version", &v),
        ("decision", "accept"),
    ];
    assert_eq!(
        shura.call("respond_referral", &accept).await.0,
        StatusCode::NOT_FOUND
    );
    // Nothing of the staff's: not the inbox, not a case, not one's "own account".
    assert_eq!(
        shura.call("list_incoming", &[]).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        shura.call("get_case", &[("family_id", &family)]).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        shura.call("list_cases", &[("filter[q]", "Ahmadi")]).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        shura.call("set_digits", &[("digits", "western")]).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(shura.call("current_user", &[]).await.1, Value::Null);
    // The staff's pages send a code holder to sign in, as anyone not signed in.
    for page in ["/referrals", "/cases", &format!("/cases/{family}")] {
        let (status, _, headers) = shura.page(page).await;
        let location = headers
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        assert!(status.is_redirection(), "{page}: {status}");
        assert!(
            location.unwrap_or_default().starts_with("/sign-in"),
            "{page}"
        );
    }
    // Issuing codes is the ministry's: not a partner's, not another country's.
    for who in [PARTNER, CASEWORKER_IQ, MANAGER, ADMIN] {
        let c = app.signed_in(who).await;
        let (status, _) = c
            .call(
                "reissue_referral_code",
                &[("family_id", &family), ("referral_id", &referral)],
            )
            .await;
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
            "{who}: {status}"
        );
        let (status, _) = c
            .call(
                "referral_slip",
                &[("family_id", &family), ("referral_id", &referral)],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who} referral_slip");
    }
    // A referral to an organisation with accounts has no code to issue.
    crate::referrals::directory(&app).await;
    let (family2, plan) = assessed_family(&app).await;
    let (status, plain) =
        crate::referrals::send(&app, &family2, item(&plan, "housing"), "housing", "ngo-a").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = cw
        .call(
            "reissue_referral_code",
            &[
                ("family_id", &family2),
                ("referral_id", plain.as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_new_code_voids_the_old_one_and_signs_its_holders_out(app: TestApp) {
    app.people().await;
    shura(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let (family, referral, reference, old) = referred(&app, &cw).await;
    let shura = app.client();
    assert_eq!(open(&shura, &reference, &old).await, "/r");
    let res = cw
        .post_form(
            "reissue_referral_code",
            &format!("/cases/{family}"),
            &[("family_id", &family), ("referral_id", &referral)],
        )
        .await;
    let slip_path = format!("/cases/{family}/referrals/{referral}/slip");
    assert_eq!(res.headers()["location"], slip_path.as_str());
    let (same_reference, new) = slip(&cw, &slip_path).await;
    assert_eq!(same_reference, reference, "the reference stays");
    let new = new.expect("the new code");
    assert_ne!(new, old);
    // Whoever opened it with the old code is out; the old code opens nothing.
    assert_eq!(coded(&shura).await, Value::Null);
    assert_eq!(
        shura
            .call("get_referral", &[("referral_id", &referral)])
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        open(&shura, &reference, &old).await,
        format!("/r?error=wrong_code&ref={reference}")
    );
    assert_eq!(open(&shura, &reference, &new).await, "/r");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'referral_code_issued'")
            .await,
        1
    );
    // Badly typed: the field says so, and nothing is counted against anyone.
    let (status, body) = shura
        .call("open_referral", &[("reference", "12"), ("code", "x")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"]["reference"], json!("InvalidFormat"));
    assert_eq!(body["Invalid"]["code"], json!("InvalidFormat"));
    let location = open(&app.client(), "12", "").await;
    assert_eq!(location, "/r?error=invalid&bad=code,reference");
}

async fn a_deactivated_organisation_s_code_opens_nothing(app: TestApp) {
    app.people().await;
    let shura_id = shura(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let (_, _, reference, code) = referred(&app, &cw).await;
    let holder = app.client();
    assert_eq!(open(&holder, &reference, &code).await, "/r");
    let admin = app.signed_in(ADMIN).await;
    let (status, body) = admin
        .call("deactivate_organisation", &[("organisation_id", &shura_id)])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Its open session ends, and the code opens nothing more.
    assert_eq!(coded(&holder).await, Value::Null);
    let (status, body) = app
        .client()
        .call(
            "open_referral",
            &[("reference", &reference), ("code", &code)],
        )
        .await;
    assert_eq!((status, body), (StatusCode::GONE, json!("CodeEnded")));
}

async fn a_code_stops_working_after_its_period(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.referral_code_days = 3).await;
    app.people().await;
    shura(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let (_, _, reference, code) = referred(&app, &cw).await;
    app.advance(Duration::days(2));
    assert_eq!(open(&app.client(), &reference, &code).await, "/r");
    app.advance(Duration::days(2));
    let (status, body) = app
        .client()
        .call(
            "open_referral",
            &[("reference", &reference), ("code", &code)],
        )
        .await;
    assert_eq!((status, body), (StatusCode::GONE, json!("CodeEnded")));
}

/// Five wrong codes pause a reference for everyone, ten pause an address whatever the
/// reference; parallel guesses cannot slip past the count.
async fn guessing_codes_is_stopped(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.trust_forwarded_for = true).await;
    app.people().await;
    shura(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let (_, _, reference, code) = referred(&app, &cw).await;
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    let guesser = app.client_from("10.0.0.1");
    for _ in 0..5 {
        let (status, body) = guesser
            .call(
                "open_referral",
                &[("reference", &reference), ("code", wrong)],
            )
            .await;
        assert_eq!(
            (status, body),
            (StatusCode::UNAUTHORIZED, json!("WrongCode"))
        );
    }
    // Paused for everyone, even with the right code, even from elsewhere.
    for from in ["10.0.0.1", "10.0.0.2"] {
        let (status, body) = app
            .client_from(from)
            .call(
                "open_referral",
                &[("reference", &reference), ("code", &code)],
            )
            .await;
        assert_eq!(
            (status, body),
            (StatusCode::TOO_MANY_REQUESTS, json!("LockedOut"))
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'referral_code_failed' AND client_addr = '10.0.0.1'")
            .await,
        5
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'referral_code_locked'")
            .await,
        1
    );
    // After the pause the right code works.
    app.advance(Duration::minutes(16));
    let (status, _) = app
        .client_from("10.0.0.2")
        .call(
            "open_referral",
            &[("reference", &reference), ("code", &code)],
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // One address trying many references: ten failures, then paused.
    let (_, _, reference2, code2) = referred(&app, &cw).await;
    let sprayer = app.client_from("10.0.0.9");
    for i in 0..10 {
        let guess = format!("{:08}", 40_000_000 + i);
        let (status, _) = sprayer
            .call("open_referral", &[("reference", &guess), ("code", wrong)])
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "guess {i}");
    }
    let (status, _) = sprayer
        .call(
            "open_referral",
            &[("reference", &reference2), ("code", &code2)],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the address is paused"
    );

    // Twenty guesses at once at a fresh reference: at most five are checked at all.
    let (_, _, reference3, _) = referred(&app, &cw).await;
    let tries = (0..20).map(|i| {
        let c = app.client_from(&format!("10.0.1.{i}"));
        let reference3 = reference3.clone();
        async move {
            c.call(
                "open_referral",
                &[("reference", &reference3), ("code", wrong)],
            )
            .await
            .0
        }
    });
    let statuses = futures::future::join_all(tries).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert!(checked <= 5, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

on_both_databases!(
    a_family_s_slip_opens_the_referral_at_r_without_an_account,
    a_code_reaches_its_referral_and_nothing_else,
    a_new_code_voids_the_old_one_and_signs_its_holders_out,
    a_deactivated_organisation_s_code_opens_nothing,
);

on_both_backends!(
    a_code_stops_working_after_its_period,
    guessing_codes_is_stopped
);
