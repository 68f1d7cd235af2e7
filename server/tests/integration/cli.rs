//! The operator's commands, run as the real `homeward` binary.

use crate::common::*;
use crate::on_both_databases;
use reqwest::StatusCode;
use std::io::Write;
use std::process::{Command, Stdio};

fn homeward(database_url: &str, args: &[&str], stdin: Option<&str>) -> (bool, String) {
    homeward_with(database_url, args, stdin, &[])
}

pub fn homeward_with(
    database_url: &str,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_homeward"))
        .args(args)
        .envs(env.iter().copied())
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run homeward");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

async fn an_operator_provisions_an_organisation_and_a_caseworker_from_the_command_line(
    app: TestApp,
) {
    let url = app.database_url.clone();
    let (ok, out) = tokio::task::spawn_blocking(move || {
        let (ok, out) = homeward(&url, &["migrate"], None);
        assert!(ok, "{out}");
        let r = homeward(
            &url,
            &[
                "create-org",
                "--code",
                "drc-herat",
                "--name",
                "Herat Returnee Support",
                "--kind",
                "partner",
                "--country",
                "AF",
            ],
            None,
        );
        assert!(r.0, "{}", r.1);
        homeward(
            &url,
            &[
                "create-user",
                "--email",
                "cw.herat@morr.example",
                "--name",
                "Herat Caseworker",
                "--role",
                "caseworker",
                "--org",
                "morr",
                "--area",
                "AF-HER",
                "--area",
                "Farah",
            ],
            Some("a strong enough password\n"),
        )
    })
    .await
    .unwrap();
    assert!(ok, "{out}");
    let (status, _) = app
        .client()
        .call(
            "sign_in",
            &[
                ("email", "cw.herat@morr.example"),
                ("password", "a strong enough password"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let areas: Vec<String> = sqlx::query_scalar(
        "SELECT a.location_id FROM user_area a JOIN app_user u ON u.user_id = a.user_id
         WHERE u.email = 'cw.herat@morr.example' ORDER BY a.location_id",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(areas, vec!["AF-FRA", "AF-HER"]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisation WHERE code = 'drc-herat'")
            .await,
        1
    );
}

async fn the_command_line_refuses_bad_input_with_a_clear_message(app: TestApp) {
    let url = app.database_url.clone();
    let results = tokio::task::spawn_blocking(move || {
        vec![
            homeward(
                &url,
                &[
                    "create-user",
                    "--email",
                    "x@morr.example",
                    "--name",
                    "X Person",
                    "--role",
                    "caseworker",
                    "--org",
                    "morr",
                    "--area",
                    "Baghdad",
                ],
                Some("a strong enough password"),
            ),
            homeward(
                &url,
                &[
                    "create-user",
                    "--email",
                    "y@morr.example",
                    "--name",
                    "Y Person",
                    "--role",
                    "supervisor",
                    "--org",
                    "morr",
                ],
                Some("short"),
            ),
            homeward(
                &url,
                &[
                    "create-user",
                    "--email",
                    "z@morr.example",
                    "--name",
                    "Z Person",
                    "--role",
                    "supervisor",
                    "--org",
                    "nope",
                ],
                Some("a strong enough password"),
            ),
            homeward(
                &url,
                &[
                    "create-org",
                    "--code",
                    "m2",
                    "--name",
                    "Ministry two",
                    "--kind",
                    "ministry",
                ],
                None,
            ),
        ]
    })
    .await
    .unwrap();
    let expected = [
        "areas: OutsideCountry",
        "password: TooShort",
        "no organisation with code \"nope\"",
        "country: Required",
    ];
    for ((ok, out), want) in results.iter().zip(expected) {
        assert!(!ok, "{out}");
        assert!(out.contains(want), "{out} should mention {want}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM app_user").await, 0);
}

/// The demo accounts' password is published: they are not created on a server others can
/// reach unless the operator says so.
async fn demo_data_is_refused_on_an_address_others_can_reach(app: TestApp) {
    let url = app.database_url.clone();
    let (ok, out) = tokio::task::spawn_blocking(move || {
        homeward_with(
            &url,
            &["serve", "--demo"],
            None,
            &[("LEPTOS_SITE_ADDR", "0.0.0.0:0")],
        )
    })
    .await
    .unwrap();
    assert!(!ok, "{out}");
    assert!(out.contains("--demo-on-network"), "{out}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM app_user WHERE email LIKE '%demo.homeward.org'")
            .await,
        0
    );
}

on_both_databases!(
    an_operator_provisions_an_organisation_and_a_caseworker_from_the_command_line,
    the_command_line_refuses_bad_input_with_a_clear_message,
    demo_data_is_refused_on_an_address_others_can_reach,
);
