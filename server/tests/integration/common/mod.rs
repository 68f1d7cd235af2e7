//! The test harness: the real application (router, middleware, server functions, database)
//! on port 0 and a fresh database per test, SQLite or PostgreSQL; an HTTP client that keeps
//! cookies like a browser; fixtures with one account per role.
#![allow(dead_code)]

use app::backend::clock::Clock;
use app::backend::config::Config;
use app::backend::db::Backend;
use app::backend::AppState;
use chrono::{DateTime, Duration, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::Value;
use server::env_config::Settings;
use server::Application;
use std::net::SocketAddr;

pub const PASSWORD: &str = "correct horse battery staple";

/// Runs a test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    $crate::common::within_time_limit(async {
                        super::$name($crate::common::TestApp::spawn(app::backend::db::Backend::Sqlite).await).await
                    }).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    $crate::common::within_time_limit(async {
                        super::$name($crate::common::TestApp::spawn(app::backend::db::Backend::Postgres).await).await
                    }).await
                }
            }
        )*
    };
}

/// Runs a test body once on SQLite and once on PostgreSQL, handing it the backend: for tests
/// that start the application themselves with a configuration of their own
/// (`TestApp::spawn_with`).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    $crate::common::within_time_limit(super::$name(app::backend::db::Backend::Sqlite)).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    $crate::common::within_time_limit(super::$name(app::backend::db::Backend::Postgres)).await
                }
            }
        )*
    };
}

/// Fails a test that has not finished after five minutes (they take seconds), so a test
/// that waits forever is named in the report instead of stalling the whole run.
pub async fn within_time_limit(test: impl std::future::Future<Output = ()>) {
    tokio::time::timeout(std::time::Duration::from_secs(300), test)
        .await
        .expect("the test did not finish within five minutes");
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub base: String,
    pub database_url: String,
    cleanup: Option<Cleanup>,
    server: tokio::task::JoinHandle<()>,
}

enum Cleanup {
    SqliteFile(std::path::PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

/// The PostgreSQL server tests create their databases on (`TEST_POSTGRES_URL`).
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A fixed start for the test clock: tests move it forward explicitly.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap()
}

/// A new, empty database (a SQLite file not yet created, or a PostgreSQL database without
/// tables): its URL, and what removes it.
async fn fresh_database(backend: Backend) -> (String, Cleanup) {
    let id = uuid_like();
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("homeward-test-{id}.db"));
            (
                format!("sqlite://{}", path.display()),
                Cleanup::SqliteFile(path),
            )
        }
        Backend::Postgres => {
            let admin_url = postgres_admin_url();
            let name = format!("homeward_test_{id}");
            sqlx::any::install_default_drivers();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
                .await
                .unwrap_or_else(|e| {
                    panic!("PostgreSQL is not reachable at {admin_url} ({e}); run the tests with scripts/test.sh, which starts it")
                });
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let url = match admin_url.rsplit_once('/') {
                Some((server, _)) => format!("{server}/{name}"),
                None => panic!("TEST_POSTGRES_URL must end with /database"),
            };
            (url, Cleanup::PostgresDatabase { admin_url, name })
        }
    }
}

/// A database of a test's own beside its application's (for a restore, a second instance),
/// removed when dropped. Nothing may hold a connection to it by then.
pub struct ScratchDatabase {
    pub url: String,
    cleanup: Option<Cleanup>,
}

impl ScratchDatabase {
    pub async fn new(backend: Backend) -> ScratchDatabase {
        let (url, cleanup) = fresh_database(backend).await;
        ScratchDatabase {
            url,
            cleanup: Some(cleanup),
        }
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if let Some(cleanup) = self.cleanup.take() {
            cleanup.run(None);
        }
    }
}

impl Cleanup {
    /// Removes the database, after closing `pool` if the application still holds one.
    fn run(self, pool: Option<sqlx::AnyPool>) {
        match self {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                // Drop runs outside async; a short-lived runtime on another thread does the work.
                // `block_in_place` hands this worker's queued tasks to another thread while it
                // waits: blocking it outright could strand the very task that still holds a
                // connection `close` waits for (a hang seen once in a full run).
                let drop_database = move || {
                    std::thread::spawn(move || {
                        let rt = tokio::runtime::Builder::new_current_thread()
                            .enable_all()
                            .build()
                            .unwrap();
                        rt.block_on(async move {
                            if let Some(pool) = pool {
                                let _ = tokio::time::timeout(
                                    std::time::Duration::from_secs(10),
                                    pool.close(),
                                )
                                .await;
                            }
                            if let Ok(mut conn) =
                                <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await
                            {
                                let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                )))
                                .execute(&mut conn)
                                .await;
                            }
                        });
                    })
                    .join()
                };
                let _ = tokio::task::block_in_place(drop_database);
            }
        }
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, |_| {}).await
    }

    /// A fresh database and application, with `configure` applied to the test configuration.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> TestApp {
        let (database_url, cleanup) = fresh_database(backend).await;
        TestApp::start(database_url, Some(cleanup), configure).await
    }

    /// A second instance of the application on this one's database (several instances behind
    /// one proxy), with a clock of its own starting at the same time. The first one removes
    /// the database.
    pub async fn another_instance(&self, configure: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::start(self.database_url.clone(), None, configure).await
    }

    async fn start(
        database_url: String,
        cleanup: Option<Cleanup>,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        let mut config = Config::new(database_url.clone(), std::env::temp_dir());
        config.public_url = "http://127.0.0.1".into();
        // Tests deliver email themselves (`workers::mail_round`), at moments they choose.
        config.outbox_interval = None;
        config.overview_refresh = None;
        configure(&mut config);
        let settings = Settings {
            config,
            site_addr: "127.0.0.1:0".parse().unwrap(),
            site_root: "target/site".into(),
        };
        let app = Application::build(settings, Clock::manual(start_time()))
            .await
            .expect("application builds");
        let addr = app.addr;
        let state = app.state.clone();
        let server = tokio::spawn(async move {
            let _ = app.run().await;
        });
        TestApp {
            addr,
            state,
            base: format!("http://{addr}"),
            database_url,
            cleanup,
            server,
        }
    }

    pub fn advance(&self, by: Duration) {
        self.state.clock.advance(by);
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.state.clock.now()
    }

    /// A browser-like client: keeps cookies, follows no redirects (tests look at them).
    pub fn client(&self) -> Client {
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                // A request takes well under a second; one left unanswered fails its test
                // within a minute, naming what was asked.
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .unwrap(),
            base: self.base.clone(),
            forwarded_for: None,
        }
    }

    /// A client whose requests a trusted proxy says come from `addr` (`X-Forwarded-For`; the
    /// application must trust it: `Config::trust_forwarded_for`).
    pub fn client_from(&self, addr: &str) -> Client {
        Client {
            forwarded_for: Some(addr.to_string()),
            ..self.client()
        }
    }

    /// Creates an organisation through the same code the command line uses.
    pub async fn org(&self, code: &str, kind: &str, country: &str) -> String {
        server::provision::create_organisation(
            &self.state.db,
            self.now(),
            code,
            &format!("Organisation {code}"),
            kind,
            country,
        )
        .await
        .expect("organisation created")
    }

    /// Creates an account with [`PASSWORD`].
    pub async fn user(&self, email: &str, role: &str, org: &str, areas: &[&str]) -> String {
        let areas: Vec<String> = areas.iter().map(|s| s.to_string()).collect();
        server::provision::create_user(
            &self.state.db,
            self.now(),
            email,
            &format!("User {email}"),
            role,
            org,
            &areas,
            PASSWORD.to_string(),
            "en",
        )
        .await
        .expect("user created")
    }

    /// One account per role: caseworker (Kabul) and supervisor of MoRR, a caseworker of MoMD
    /// (Baghdad), a partner, a programme manager and an admin.
    pub async fn people(&self) -> People {
        self.org("ngo-a", "partner", "AF").await;
        self.org("ngo-b", "partner", "AF").await;
        People {
            caseworker: self
                .user("cw.af@test.org", "caseworker", "morr", &["AF-KAB"])
                .await,
            supervisor: self
                .user("sup.af@test.org", "supervisor", "morr", &[])
                .await,
            caseworker_iq: self
                .user("cw.iq@test.org", "caseworker", "momd", &["IQ-BG"])
                .await,
            supervisor_iq: self
                .user("sup.iq@test.org", "supervisor", "momd", &[])
                .await,
            partner: self
                .user("partner.a@test.org", "partner", "ngo-a", &[])
                .await,
            partner_b: self
                .user("partner.b@test.org", "partner", "ngo-b", &[])
                .await,
            manager: self
                .user("pm@test.org", "programme_manager", "programme", &[])
                .await,
            admin: self.user("admin@test.org", "admin", "programme", &[]).await,
        }
    }

    /// A client signed in as `email`.
    pub async fn signed_in(&self, email: &str) -> Client {
        let c = self.client();
        let (status, body) = c
            .call("sign_in", &[("email", email), ("password", PASSWORD)])
            .await;
        assert_eq!(status, StatusCode::OK, "sign in as {email}: {body}");
        c
    }

    /// The stored version of a record (`family`, `app_user`, `organisation`), as a form
    /// sends it.
    pub async fn version(&self, table: &str, id: &str) -> String {
        let key = match table {
            "family" => "family_id",
            "app_user" => "user_id",
            "organisation" => "organisation_id",
            other => panic!("no version kept for {other}"),
        };
        self.count(&format!("SELECT version FROM {table} WHERE {key} = '{id}'"))
            .await
            .to_string()
    }

    /// Rows of a query, as text (for assertions on what was stored).
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.state.db.pool)
            .await
            .unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        if let Some(cleanup) = self.cleanup.take() {
            cleanup.run(Some(self.state.db.pool.clone()));
        }
    }
}

fn uuid_like() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

pub struct People {
    pub caseworker: String,
    pub supervisor: String,
    pub caseworker_iq: String,
    pub supervisor_iq: String,
    pub partner: String,
    pub partner_b: String,
    pub manager: String,
    pub admin: String,
}

/// Emails of the fixture accounts, by role name.
pub const CASEWORKER: &str = "cw.af@test.org";
pub const SUPERVISOR: &str = "sup.af@test.org";
pub const CASEWORKER_IQ: &str = "cw.iq@test.org";
pub const SUPERVISOR_IQ: &str = "sup.iq@test.org";
pub const PARTNER: &str = "partner.a@test.org";
pub const PARTNER_B: &str = "partner.b@test.org";
pub const MANAGER: &str = "pm@test.org";
pub const ADMIN: &str = "admin@test.org";

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub forwarded_for: Option<String>,
}

impl Client {
    /// Calls a server function the way a hydrated page does (form-encoded, JSON back).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let res = self
            .post(endpoint)
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST /api/{endpoint}: {e}"));
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, body)
    }

    /// Submits a form the way a browser without JavaScript does.
    pub async fn post_form(
        &self,
        endpoint: &str,
        from_page: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.post(endpoint)
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", format!("{}{from_page}", self.base))
            .header("origin", self.base.clone())
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// A POST to a server function, from this client's address.
    pub fn post(&self, endpoint: &str) -> reqwest::RequestBuilder {
        let b = self.http.post(format!("{}/api/{endpoint}", self.base));
        match &self.forwarded_for {
            Some(a) => b.header("x-forwarded-for", a),
            None => b,
        }
    }

    /// Loads a page as a browser does; returns status and HTML.
    pub async fn page(&self, path: &str) -> (StatusCode, String, reqwest::header::HeaderMap) {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = res.status();
        let headers = res.headers().clone();
        (status, res.text().await.unwrap_or_default(), headers)
    }
}
