//! A case's transfer to another province's team, as its panel on the family page shows it.

use super::families::Caseworker;
use serde::{Deserialize, Serialize};
use shared::family::transfer::{TransferDecision, TransferReason};

/// The case's latest transfer proposal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferView {
    pub from_province: String,
    pub to_province: String,
    pub to_district: String,
    pub reason: TransferReason,
    pub note: Option<String>,
    pub proposed_by: String,
    /// The caller proposed it (and so may not accept or decline it).
    pub proposed_by_you: bool,
    pub proposed_at: String,
    /// `None` while pending.
    pub decision: Option<TransferDecision>,
    /// Why it was declined.
    pub comment: Option<String>,
}

/// What the transfer panel shows the caller, and what they may do there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferPanel {
    pub latest: Option<TransferView>,
    /// May propose one (nothing pending, the case open, the caller on its sending side).
    pub may_propose: bool,
    /// May withdraw the pending proposal: the sending side (whoever proposed it, the case's
    /// caseworkers), not a supervisor who may decide it instead.
    pub may_withdraw: bool,
    /// May accept or decline the pending proposal: a supervisor who did not propose it.
    pub may_decide: bool,
    /// Whom an accepting supervisor may give the case to: the ministry's caseworkers of the
    /// new province.
    pub receivers: Vec<Caseworker>,
}
