//! Checks of the translation catalogues: every key in every language, the same `{{ values }}`,
//! and real translations (no English left in Dari, Pashto or Arabic).

use serde_json::Value;

const CATALOGUES: [(&str, &str); 4] = [
    ("en", include_str!("../locales/en.json")),
    ("fa-AF", include_str!("../locales/fa-AF.json")),
    ("ps", include_str!("../locales/ps.json")),
    ("ar", include_str!("../locales/ar.json")),
];

/// Keys whose translation may contain Latin letters, and what may be Latin in them.
const LATIN_ALLOWED: [(&str, &[&str]); 13] = [
    ("app_name", &["Homeward"]),
    ("emails.password_reset_subject", &["Homeward"]),
    ("field_errors.one_ministry_per_country", &["Homeward"]),
    ("emails.referral_new_body", &["Homeward"]),
    ("emails.transfer_proposed_body", &["Homeward"]),
    ("emails.transfer_received_body", &["Homeward"]),
    ("emails.footer", &["Homeward"]),
    ("emails.digest_intro", &["Homeward"]),
    ("admin.audit.when", &["UTC"]),
    ("field_errors.invalid_email", &["name@example.org"]),
    ("admin.organisations.code_hint", &["nrc-kabul"]),
    ("family_data.download_json", &["JSON"]),
    ("family_data.print_hint", &["Ctrl+P", "PDF"]),
];

fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        other => panic!("{prefix}: expected text, found {other}"),
    }
}

fn entries(json: &str) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(json).expect("catalogue is valid JSON");
    let mut out = Vec::new();
    flatten("", &v, &mut out);
    out.sort();
    out
}

fn placeholders(s: &str) -> Vec<String> {
    let mut found: Vec<String> = s
        .split("{{")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once("}}")
                .map(|(name, _)| name.trim().to_string())
        })
        .collect();
    found.sort();
    found
}

fn without_placeholders(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some((before, after)) = rest.split_once("{{") {
        out.push_str(before);
        rest = after.split_once("}}").map(|(_, a)| a).unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[test]
fn every_language_has_every_key_with_the_same_placeholders() {
    let english = entries(CATALOGUES[0].1);
    for (lang, json) in &CATALOGUES[1..] {
        let other = entries(json);
        let keys = |e: &[(String, String)]| e.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        let (en_keys, other_keys) = (keys(&english), keys(&other));
        let missing: Vec<_> = en_keys.iter().filter(|k| !other_keys.contains(k)).collect();
        let extra: Vec<_> = other_keys.iter().filter(|k| !en_keys.contains(k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{lang}: missing {missing:?}, extra {extra:?}"
        );
        for ((key, en), (_, tr)) in english.iter().zip(&other) {
            assert_eq!(placeholders(en), placeholders(tr), "{lang} {key}");
        }
    }
}

#[test]
fn translations_are_not_english_left_in_place() {
    let english = entries(CATALOGUES[0].1);
    for (lang, json) in &CATALOGUES[1..] {
        for ((key, en), (_, tr)) in english.iter().zip(entries(json)) {
            let mut text = without_placeholders(&tr);
            if let Some((_, allowed)) = LATIN_ALLOWED.iter().find(|(k, _)| k == key) {
                for a in *allowed {
                    text = text.replace(a, "");
                }
            } else {
                assert!(
                    // Placeholders and punctuation alone have nothing to translate.
                    tr != *en || !without_placeholders(en).chars().any(char::is_alphabetic),
                    "{lang} {key}: still English: {tr}"
                );
            }
            assert!(
                !text.chars().any(|c| c.is_ascii_alphabetic()),
                "{lang} {key}: Latin letters in {tr:?}"
            );
        }
    }
}

#[test]
fn dari_uses_persian_letters_and_pashto_its_own() {
    let dari = CATALOGUES[1].1;
    assert!(
        !dari.contains('\u{064A}') && !dari.contains('\u{0643}'),
        "Arabic yeh/kaf in Dari"
    );
    let pashto = CATALOGUES[2].1;
    assert!(
        !pashto.contains('\u{06AF}'),
        "Persian gaf in Pashto (ګ is the Pashto letter)"
    );
}
