//! The state every request can reach: configuration, database, clock.

use super::audit_writer::AuditWriter;
use super::clock::Clock;
use super::config::Config;
use super::db::Db;
use super::indicators::CubeCache;
use super::metrics::Metrics;
use super::password::Hashing;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use std::sync::Arc;

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
    /// The programme indicators, kept between requests.
    pub indicators: CubeCache,
    /// The password hashes this instance may run at once.
    pub hashing: Hashing,
    /// Where reads write their audit entries.
    pub audit: AuditWriter,
    /// This instance's counters, for `/metrics`.
    pub metrics: Metrics,
}

/// The state, from the context leptos_axum provides to server functions and page renders.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the context");
        AppError::Internal
    })
}
