//! Accounts and organisations, as the administration pages and their server functions exchange them.

use serde::{Deserialize, Serialize};
use shared::organisation::OrgKind;
use shared::{Country, Role};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: String,
    pub organisation_code: String,
    pub organisation_name: String,
    pub country: Option<Country>,
    /// Location keys (caseworkers).
    pub areas: Vec<String>,
    pub active: bool,
    pub language: String,
    pub created_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFilter {
    /// Organisation code.
    pub organisation: Option<String>,
    pub role: Option<String>,
    /// Part of a name or email address.
    pub q: Option<String>,
    #[serde(default)]
    pub include_inactive: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationView {
    pub organisation_id: String,
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub country: Option<Country>,
    pub active: bool,
    pub user_count: i64,
}
