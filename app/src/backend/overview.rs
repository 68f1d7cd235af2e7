//! The programme overview a caller may see: their scope of countries, the filter kept to it,
//! the tables folded from the indicators' cube.

use super::auth::Caller;
use crate::error::AppError;
use crate::model::overview::Overview;
use shared::policy::indicator_scope;

/// The overview `caller` (already allowed to view or export indicators) may see under a
/// filter.
pub async fn overview_for(
    caller: &Caller,
    country: &str,
    province: &str,
    year: &str,
) -> Result<Overview, AppError> {
    use chrono::Datelike;
    let scope = indicator_scope(&caller.actor).ok_or(AppError::Forbidden)?;
    let filter = shared::overview::parse_filter(country, province, year, scope);
    let state = &caller.state;
    let kept = state
        .indicators
        .get(&state.db, &state.config, &state.clock)
        .await?;
    let cube = &kept.cube;
    let this_year = caller.now.year();
    let folded = kept.folded(&filter);
    Ok(Overview {
        tables: folded.tables.clone(),
        headline: folded.headline.clone(),
        filter,
        country_scope: scope,
        as_of: cube.as_of.clone(),
        years: (cube.first_year.unwrap_or(this_year)..=this_year)
            .rev()
            .collect(),
    })
}
