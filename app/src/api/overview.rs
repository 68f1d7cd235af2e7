//! The programme overview: aggregated indicators for programme managers (both countries) and
//! supervisors (their own), never a record of a family. The small-count rule is applied in
//! `shared::overview` before anything leaves the server, for every role alike.

use crate::error::AppError;
use crate::model::overview::Overview;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {crate::backend::overview::overview_for, crate::backend::pipeline, shared::policy::Action};

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
