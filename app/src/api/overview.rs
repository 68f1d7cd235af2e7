//! The programme overview: aggregated indicators for programme managers (both countries) and
//! supervisors (their own), never a record of a family. The small-count rule is applied in
//! `shared::overview` before anything leaves the server, for every role alike.

use crate::error::AppError;
use crate::model::overview::Overview;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::backend::auth::Caller,
    crate::backend::pipeline,
    shared::policy::{indicator_scope, Action},
};

/// The indicators under a filter (`country`, `province`, `year` as in the page's URL).
#[server(endpoint = "overview")]
pub async fn get_overview(
    #[server(default)] country: String,
    #[server(default)] province: String,
    #[server(default)] year: String,
) -> Result<Overview, AppError> {
    // Aggregates only, with no personal data: viewing them is not audited (exporting is).
    pipeline::system(Action::ViewIndicators)
        .read(None, async |r| {
            overview_for(r.caller, &country, &province, &year).await
        })
        .await
}

/// The overview `caller` (already allowed to view or export indicators) may see under a
/// filter.
#[cfg(feature = "ssr")]
pub async fn overview_for(
    caller: &Caller,
    country: &str,
    province: &str,
    year: &str,
) -> Result<Overview, AppError> {
    use chrono::Datelike;
    let scope = indicator_scope(&caller.actor).ok_or(AppError::Forbidden)?;
    let filter = shared::overview::parse_filter(country, province, year, scope);
    let cube = caller.state.indicators.get(&caller.state).await?;
    let this_year = caller.now.year();
    Ok(Overview {
        tables: cube.tables(&filter),
        filter,
        country_scope: scope,
        as_of: cube.as_of.clone(),
        years: (cube.first_year.unwrap_or(this_year)..=this_year)
            .rev()
            .collect(),
    })
}
