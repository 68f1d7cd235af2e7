//! A supervisor's team page: the caseload of each caseworker.

use serde::{Deserialize, Serialize};

/// One caseworker's caseload (or, with no `user_id`, the open cases assigned to nobody).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caseload {
    pub user_id: Option<String>,
    pub name: Option<String>,
    /// False for a deactivated account whose cases were not handed on.
    pub active: bool,
    pub open_cases: i64,
    /// Scheduled follow-ups due today or in the six days after.
    pub due_this_week: i64,
    pub overdue: i64,
    /// Closure requests waiting for a supervisor.
    pub pending_closures: i64,
}

/// Where a deactivated caseworker's open cases go: the choices the administrator is offered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    pub open_cases: i64,
    /// Active caseworkers of the ministry who work in the province of every one of the cases.
    pub successors: Vec<super::families::Caseworker>,
}

/// The `cases_to` value that leaves the cases assigned to nobody, for a supervisor to assign.
pub const UNASSIGNED: &str = "none";
