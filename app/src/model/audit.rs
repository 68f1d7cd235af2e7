//! The audit log, as the administrator's page reads it.

use serde::{Deserialize, Serialize};
use shared::audit::AuditAction;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEventView {
    pub id: i64,
    pub occurred_at: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub action: AuditAction,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub client_addr: Option<String>,
    pub detail: Option<String>,
    pub actor_email: Option<String>,
    pub actor_name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub action: Option<String>,
    /// Part of the actor's email address.
    pub actor: Option<String>,
    /// Exact id of the record acted on.
    pub target: Option<String>,
    /// First day (`YYYY-MM-DD`, UTC).
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    pub page: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEventView>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}
