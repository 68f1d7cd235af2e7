//! The programme overview, as its page and exports receive it.

use serde::{Deserialize, Serialize};
use shared::overview::{Filter, Headline, Table};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// The filter as applied: kept to the caller's country, unknown values dropped.
    pub filter: Filter,
    /// `None` when the caller may see both countries.
    pub country_scope: Option<shared::Country>,
    /// The few figures read first, beside the year before.
    pub headline: Headline,
    pub tables: Vec<Table>,
    /// When the figures were computed (UTC, `YYYY-MM-DD HH:MM`).
    pub as_of: String,
    /// The years the period filter offers, newest first.
    pub years: Vec<i32>,
}
