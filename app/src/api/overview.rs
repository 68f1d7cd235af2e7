//! The programme overview: aggregated indicators for programme managers (both countries) and
//! supervisors (their own), never a record of a family. The small-count rule is applied in
//! `shared::overview` before anything leaves the server, for every role alike.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::overview::{Filter, Table};

#[cfg(feature = "ssr")]
use crate::server::{auth::Caller, store::overview as store};
#[cfg(feature = "ssr")]
use shared::policy::{indicator_scope, Action, Resource};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// The filter as applied: kept to the caller's country, unknown values dropped.
    pub filter: Filter,
    /// `None` when the caller may see both countries.
    pub country_scope: Option<shared::Country>,
    pub tables: Vec<Table>,
    /// When the figures were computed (UTC, `YYYY-MM-DD HH:MM`).
    pub as_of: String,
    /// The years the period filter offers, newest first.
    pub years: Vec<i32>,
}

/// The indicators under a filter (`country`, `province`, `year` as in the page's URL).
#[server(endpoint = "overview")]
pub async fn get_overview(
    #[server(default)] country: String,
    #[server(default)] province: String,
    #[server(default)] year: String,
) -> Result<Overview, AppError> {
    let caller = crate::server::auth::authenticate().await?;
    overview_for(&caller, &country, &province, &year, Action::ViewIndicators).await
}

/// The overview `caller` may see under a filter; `action` is viewing or exporting.
#[cfg(feature = "ssr")]
pub async fn overview_for(
    caller: &Caller,
    country: &str,
    province: &str,
    year: &str,
    action: Action,
) -> Result<Overview, AppError> {
    use chrono::Datelike;
    caller.may(action, Resource::System)?;
    let scope = indicator_scope(&caller.actor).ok_or(AppError::Forbidden)?;
    let filter = shared::overview::parse_filter(country, province, year, scope);
    let today = match caller.actor.country {
        Some(c) => shared::follow_up::local_today(caller.now, c),
        None => caller.now.date_naive(),
    };
    let lost_before = today - chrono::Duration::days(caller.state.config.lost_after_days);
    let query = store::Query {
        filter: &filter,
        backend: caller.state.db.backend,
        today,
        lost_before,
    };
    let mut conn = caller.state.db.pool.acquire().await?;
    let tables = store::tables(&mut conn, &query).await?;
    let first_year = store::first_year(&mut conn).await?.unwrap_or(today.year());
    Ok(Overview {
        filter,
        country_scope: scope,
        tables,
        as_of: caller.now.format("%Y-%m-%d %H:%M").to_string(),
        years: (first_year..=today.year()).rev().collect(),
    })
}
