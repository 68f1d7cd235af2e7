//! What a plain form post (no JavaScript) leaves for the page it is redirected back to.

use crate::error::AppError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a plain form post left for the page it was redirected back to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub error: Option<AppError>,
    /// Values as typed, to put back into the inputs (never passwords).
    pub values: BTreeMap<String, String>,
    /// The post succeeded (to show "Saved").
    pub done: bool,
}
