//! The five roles of SPEC.md ("The people who use it").

crate::code_enum! {
    /// The five roles of SPEC.md ("The people who use it").
    pub enum Role {
        /// Ministry caseworker, attached to provinces/governorates of one country.
        Caseworker = "caseworker",
        /// Ministry supervisor: the whole caseload of their country.
        Supervisor = "supervisor",
        /// Staff of a partner organisation: only referrals to their organisation.
        Partner = "partner",
        /// Programme staff: aggregated indicators, never personal identifiers.
        ProgrammeManager = "programme_manager",
        /// System administrator: accounts and reference data, never case contents.
        Admin = "admin",
    }
}

impl Role {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
