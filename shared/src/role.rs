//! The five roles of SPEC.md ("The people who use it").

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Ministry caseworker, attached to provinces/governorates of one country.
    Caseworker,
    /// Ministry supervisor: the whole caseload of their country.
    Supervisor,
    /// Staff of a partner organisation: only referrals to their organisation.
    Partner,
    /// Programme staff: aggregated indicators, never personal identifiers.
    ProgrammeManager,
    /// System administrator: accounts and reference data, never case contents.
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Caseworker,
        Role::Supervisor,
        Role::Partner,
        Role::ProgrammeManager,
        Role::Admin,
    ];

    /// The name used in the database, the command line and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Caseworker => "caseworker",
            Role::Supervisor => "supervisor",
            Role::Partner => "partner",
            Role::ProgrammeManager => "programme_manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// Ministry staff work on cases and belong to a ministry of one country.
    pub fn is_ministry(self) -> bool {
        matches!(self, Role::Caseworker | Role::Supervisor)
    }

    /// The path a user lands on after signing in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Caseworker => "/cases",
            Role::Supervisor => "/cases",
            Role::Partner => "/referrals",
            Role::ProgrammeManager => "/overview",
            Role::Admin => "/admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
