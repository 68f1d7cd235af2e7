//! The printed pages: the case summary for the paper file (without notes marked internal),
//! read through the family page's own audited functions and only by those who may read the
//! case.

use crate::common::*;
use crate::families::register_ahmadi;
use crate::on_both_databases;
use reqwest::StatusCode;

async fn the_case_summary_leaves_internal_notes_out(app: TestApp) {
    app.people().await;
    let family = register_ahmadi(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let note = |body: &'static str, internal: &'static str| {
        vec![
            ("family_id", family.clone()),
            ("body", body.to_string()),
            ("internal", internal.to_string()),
        ]
    };
    for (body, internal) in [
        ("Visited the family at home.", ""),
        ("Father mentioned debts to a smuggler.", "yes"),
    ] {
        let form = note(body, internal);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(cw.call("add_note", &form).await.0, StatusCode::OK);
    }
    // The family page has both, the internal one marked.
    let (_, page, _) = cw.page(&format!("/cases/{family}")).await;
    assert!(page.contains("Visited the family at home."));
    assert!(page.contains("Father mentioned debts to a smuggler."));
    let tag = page
        .find("class=\"tag\"")
        .map(|i| &page[i..i + 40])
        .unwrap_or_default();
    assert!(tag.contains("Internal"), "{tag}");
    assert!(page.contains(&format!("/cases/{family}/print")));
    // The summary has the household, the people and the consent, and not the internal note.
    let (status, summary, _) = cw.page(&format!("/cases/{family}/print")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(summary.contains("Case summary"));
    assert!(summary.contains("Mohammad Ahmadi") && summary.contains("Fatima Ahmadi"));
    assert!(summary.contains("Behind the blue mosque"));
    assert!(summary.contains("Visited the family at home."));
    assert!(
        !summary.contains("debts to a smuggler"),
        "an internal note was printed"
    );
    assert!(
        !summary.contains("name=\"body\""),
        "no forms on the summary"
    );
    // Read through the audited functions: the summary is on the case's audit trail.
    let reads = app
        .count("SELECT COUNT(*) FROM audit_event WHERE action = 'case_viewed'")
        .await;
    assert!(reads >= 2, "{reads}");
    // Out of sight: the other country's caseworker, a partner, the programme, the admin.
    for who in [CASEWORKER_IQ, PARTNER, MANAGER, ADMIN] {
        let c = app.signed_in(who).await;
        let (_, html, _) = c.page(&format!("/cases/{family}/print")).await;
        assert!(!html.contains("Mohammad Ahmadi"), "{who} read the summary");
    }
}

on_both_databases!(the_case_summary_leaves_internal_notes_out);
