//! Building and running the application: database, migrations, reference data, the listener.
//! Tests build it the same way on port 0 with a fresh database.

use crate::env_config::Settings;
use crate::{router, workers};
use app::backend::audit_writer::AuditWriter;
use app::backend::clock::Clock;
use app::backend::db::{Backend, Db};
use app::backend::password::Hashing;
use app::backend::store::{bulk, locations, organisations};
use app::backend::AppState;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub struct Application {
    pub state: AppState,
    pub addr: SocketAddr,
    listener: TcpListener,
}

/// Opens the database, creating the SQLite file's folder if needed, and brings the schema and
/// reference data (locations, built-in organisations) up to date.
pub async fn prepare_database(settings: &Settings, clock: &Clock) -> Result<Db, BoxError> {
    let url = &settings.config.database_url;
    if let Some(path) = Backend::sqlite_file(url) {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
    }
    let db = Db::connect(url).await?;
    db.migrate().await?;
    bulk::rebuild_name_index_if_pending(&db).await?;
    locations::sync(&db).await?;
    organisations::ensure_built_in(&db, clock.now())
        .await
        .map_err(|e| format!("creating the built-in organisations: {e}"))?;
    Ok(db)
}

impl Application {
    pub async fn build(settings: Settings, clock: Clock) -> Result<Application, BoxError> {
        let db = prepare_database(&settings, &clock).await?;
        let listener = TcpListener::bind(settings.site_addr).await?;
        let addr = listener.local_addr()?;
        let leptos_options = LeptosOptions::builder()
            .output_name("homeward")
            .site_root(settings.site_root.as_str())
            .site_pkg_dir("pkg")
            // The release build lists its hashed file names beside the binary; without that
            // list (tests, a bare `cargo build`) pages link the plain names.
            .hash_files(true)
            .site_addr(addr)
            .build();
        let state = AppState {
            leptos_options,
            audit: AuditWriter::start(&db),
            db,
            hashing: Hashing::new(settings.config.max_concurrent_hashes),
            config: Arc::new(settings.config),
            clock,
            indicators: Default::default(),
            metrics: Default::default(),
        };
        Ok(Application {
            state,
            addr,
            listener,
        })
    }

    /// Serves until Ctrl-C or SIGTERM, with the background workers running. Then stops
    /// gracefully: no new connections; the requests in flight are answered, and the workers
    /// finish their round (the email being sent is sent), for at most [`GRACE`] each.
    pub async fn run(self) -> std::io::Result<()> {
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let workers = workers::spawn(self.state.clone(), stopping);
        let service =
            router::router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        let result = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await;
        let _ = stop.send(true);
        for mut worker in workers {
            if tokio::time::timeout(GRACE, &mut worker).await.is_err() {
                tracing::warn!("a background worker did not finish in time; stopped");
                worker.abort();
            }
        }
        result
    }
}

/// How long stopping waits for a background worker's round (an SMTP delivery times out after
/// 30 seconds).
const GRACE: std::time::Duration = std::time::Duration::from_secs(35);

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
