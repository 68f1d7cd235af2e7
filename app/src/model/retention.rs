//! A family's own data, as its data page, its printable summary and its JSON export show it.

use serde::{Deserialize, Serialize};
use shared::retention::ErasureReason;

/// One stored value, as it is in the database.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

impl Cell {
    /// The value as text (empty for no value).
    pub fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Integer(n) => n.to_string(),
            Cell::Real(x) => x.to_string(),
            Cell::Text(s) => s.clone(),
        }
    }
}

/// The rows one table holds about the family.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableRows {
    pub table: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Everything held about one family, table by table, as of `exported_at`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FamilyRecord {
    pub family_id: String,
    pub case_number: String,
    pub exported_at: String,
    pub exported_by: String,
    pub tables: Vec<TableRows>,
}

/// The latest request to erase the family.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureView {
    pub reason: ErasureReason,
    pub note: Option<String>,
    pub requested_by: String,
    /// The caller asked for it (and so may not decide it).
    pub requested_by_you: bool,
    pub requested_at: String,
    /// `None` while pending, else `returned` (an approved request leaves no family to show).
    pub decision: Option<String>,
    pub comment: Option<String>,
}

/// What the family's data page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyDataView {
    pub family_id: String,
    pub case_number: String,
    pub anonymised_at: Option<String>,
    pub erasure: Option<ErasureView>,
}
