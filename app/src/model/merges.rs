//! Merging two records of one family, as the comparison page and the family page show it.

use super::families::FamilyView;
use serde::{Deserialize, Serialize};

/// A merge not undone: which record went into which, when, by whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeView {
    pub survivor_id: String,
    pub survivor_case_number: String,
    pub merged_id: String,
    pub merged_case_number: String,
    pub merged_at: String,
    pub merged_by: String,
    /// Nothing has been added to the survivor since: a supervisor may undo it.
    pub undoable: bool,
}

/// Two records side by side before a merge: the one registered first is `first`, the
/// survivor the form proposes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeComparison {
    pub first: FamilyView,
    pub second: FamilyView,
    /// The people the form proposes to keep: everyone of the first record, and those of the
    /// second whom the duplicate rules match with nobody of the first.
    pub keep: Vec<String>,
}
