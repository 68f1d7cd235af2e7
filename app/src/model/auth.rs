//! The signed-in user, as every page knows them.

use serde::{Deserialize, Serialize};
use shared::{Country, Role};

/// The signed-in user, as the pages need it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user_id: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub organisation_name: String,
    pub country: Option<Country>,
    pub areas: Vec<String>,
    pub language: String,
    /// `local` (Persian or Arabic-Indic digits, by language) or `western`.
    pub digits: String,
    /// An administrator set the password: it must be changed before anything else.
    pub must_change_password: bool,
}
