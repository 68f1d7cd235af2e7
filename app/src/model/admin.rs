//! Accounts and organisations, as the administration pages and their server functions
//! exchange them.

use serde::{Deserialize, Serialize};
use shared::organisation::OrgKind;
use shared::{Country, Role};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UserView {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: Role,
    pub organisation_id: String,
    pub organisation_code: String,
    pub organisation_name: String,
    #[cfg_attr(
        feature = "ssr",
        sqlx(try_from = "crate::backend::store::OptionalCode<shared::Country>")
    )]
    pub country: Option<Country>,
    /// Location keys (caseworkers).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub areas: Vec<String>,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::backend::store::Flag"))]
    pub active: bool,
    pub language: String,
    pub created_at: String,
    /// The account's version, sent back with an edit.
    pub version: i64,
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
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrganisationView {
    pub organisation_id: String,
    pub code: String,
    pub name: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub kind: OrgKind,
    #[cfg_attr(
        feature = "ssr",
        sqlx(try_from = "crate::backend::store::OptionalCode<shared::Country>")
    )]
    pub country: Option<Country>,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::backend::store::Flag"))]
    pub active: bool,
    pub user_count: i64,
}
