//! Follow-ups, work lists and closure, as the pages and their server functions exchange them.

use serde::{Deserialize, Serialize};
use shared::follow_up::{ClosureReason, FollowUpKind, FollowUpStatus, WorkList};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpView {
    pub follow_up_id: String,
    pub kind: FollowUpKind,
    pub due_on: String,
    pub assigned_to_name: Option<String>,
    pub status: FollowUpStatus,
    pub notes: Option<String>,
    pub missed_reason: Option<String>,
    pub done_on: Option<String>,
    pub assessment_id: Option<String>,
    pub overdue: bool,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureView {
    pub reason: ClosureReason,
    pub note: Option<String>,
    pub requested_by: String,
    /// The caller asked for it (and so may not decide it).
    pub requested_by_you: bool,
    pub requested_at: String,
    /// `None` while pending, else `approved` or `returned`.
    pub decision: Option<String>,
    pub comment: Option<String>,
}

/// The follow-ups of a case, its latest closure request, and whether it is lost to follow-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpsOfCase {
    pub follow_ups: Vec<FollowUpView>,
    pub closure: Option<ClosureView>,
    pub lost: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkRow {
    pub family_id: String,
    pub case_number: String,
    pub follow_up_id: Option<String>,
    pub kind: Option<FollowUpKind>,
    pub date: String,
    pub assigned_to_name: Option<String>,
    /// A referral's organisation; a closure request's reason (its code); the other case
    /// number of a possible duplicate.
    pub detail: Option<String>,
    /// The other case of a possible duplicate.
    pub other_family_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkListView {
    pub list: WorkList,
    pub today: String,
    pub rows: Vec<WorkRow>,
}
