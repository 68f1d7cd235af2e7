//! The one access policy. Every server function asks [`authorize`] before it touches data, and
//! every list query filters with [`case_scope`] (which [`authorize`] itself uses), so what a
//! user may open and what a user is shown in lists cannot drift apart.
//!
//! Denials about a record are [`Denied::NotFound`]: a record the caller may not see must look
//! exactly like one that does not exist. Denials of whole functions (a partner opening the
//! administration) are [`Denied::Forbidden`].

use crate::{Country, Role};
use serde::{Deserialize, Serialize};

/// Who is asking: the signed-in user, as loaded for this request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: String,
    pub role: Role,
    pub organisation_id: String,
    /// The country of the user's ministry (or partner organisation, if it has one).
    pub country: Option<Country>,
    /// Location keys a caseworker is assigned to.
    pub areas: Vec<String>,
    /// Set when the session was opened with a referral's reference and code (an organisation
    /// without accounts, at `/r`): that one referral, as its organisation would see it, and
    /// nothing else at all.
    pub referral: Option<String>,
}

/// Everything a user can ask to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    // Own account: profile, language, password.
    UseOwnAccount,
    // Administration.
    ManageUsers,
    ManageOrganisations,
    ManageServiceCatalogue,
    ViewAuditLog,
    // Cases (ministry staff).
    ListCases,
    RegisterCase,
    ViewCase,
    EditCase,
    RecordConsent,
    /// Withdrawing consent: also on a closed case, where it takes effect at once.
    WithdrawConsent,
    Assess,
    ManagePlan,
    SendReferral,
    CancelReferral,
    ScheduleFollowUp,
    RecordFollowUp,
    RequestClosure,
    /// Proposing to move a case to another province's team (or withdrawing the proposal).
    ProposeTransfer,
    AssignCase,
    ApproveClosure,
    /// Accepting (and assigning) or declining a proposed transfer.
    DecideTransfer,
    /// Merging two records of one family, undoing a merge, and setting aside a pair the
    /// system thought might be one family.
    MergeCases,
    ReopenCase,
    ViewTeamWorkload,
    /// Everything held about one family, for the family (JSON and a printable summary).
    ExportFamily,
    /// Erasing a family on its request: asked by one supervisor, decided by another.
    RequestErasure,
    DecideErasure,
    // Referrals (partner organisations).
    ListIncomingReferrals,
    ViewReferral,
    RespondToReferral,
    RecordService,
    // Programme indicators.
    ViewIndicators,
    ExportIndicators,
}

impl Action {
    pub const ALL: [Action; 34] = [
        Action::UseOwnAccount,
        Action::ManageUsers,
        Action::ManageOrganisations,
        Action::ManageServiceCatalogue,
        Action::ViewAuditLog,
        Action::ListCases,
        Action::RegisterCase,
        Action::ViewCase,
        Action::EditCase,
        Action::RecordConsent,
        Action::WithdrawConsent,
        Action::Assess,
        Action::ManagePlan,
        Action::SendReferral,
        Action::CancelReferral,
        Action::ScheduleFollowUp,
        Action::RecordFollowUp,
        Action::RequestClosure,
        Action::ProposeTransfer,
        Action::AssignCase,
        Action::ApproveClosure,
        Action::DecideTransfer,
        Action::MergeCases,
        Action::ReopenCase,
        Action::ViewTeamWorkload,
        Action::ExportFamily,
        Action::RequestErasure,
        Action::DecideErasure,
        Action::ListIncomingReferrals,
        Action::ViewReferral,
        Action::RespondToReferral,
        Action::RecordService,
        Action::ViewIndicators,
        Action::ExportIndicators,
    ];
}

/// A case record, as far as access is concerned: where the family returned to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseRef<'a> {
    pub country: Country,
    /// Location key of the province/governorate of return.
    pub province: &'a str,
}

/// A referral, as far as a partner's access is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReferralRef<'a> {
    pub referral_id: &'a str,
    pub to_organisation_id: &'a str,
    /// Sent or accepted, with the family's consent to sharing standing: the partner may act on
    /// it. Otherwise the partner keeps only its record of the referral (reference, outcome);
    /// what it still sees of the family is `referral::partner_sees_people`.
    pub open: bool,
}

/// What an action is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource<'a> {
    /// Functions not about one record: administration, lists, indicators.
    System,
    Case(CaseRef<'a>),
    Referral(ReferralRef<'a>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The record is out of the caller's sight: answer as if it did not exist.
    #[error("not found")]
    NotFound,
    /// The caller's role may not use this function at all.
    #[error("forbidden")]
    Forbidden,
}

/// Which cases a user may see: the filter every case query applies in SQL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseScope {
    Nothing,
    Country(Country),
    /// Cases of one country whose province of return is one of these location keys.
    Areas(Country, Vec<String>),
}

impl CaseScope {
    pub fn contains(&self, case: &CaseRef<'_>) -> bool {
        match self {
            CaseScope::Nothing => false,
            CaseScope::Country(c) => *c == case.country,
            CaseScope::Areas(c, areas) => {
                *c == case.country && areas.iter().any(|a| a == case.province)
            }
        }
    }
}

/// The cases an actor may see: a supervisor their country, a caseworker their country's cases
/// in their assigned areas, everyone else none.
pub fn case_scope(actor: &Actor) -> CaseScope {
    match (actor.role, actor.country) {
        (Role::Supervisor, Some(c)) => CaseScope::Country(c),
        (Role::Caseworker, Some(c)) => CaseScope::Areas(c, actor.areas.clone()),
        _ => CaseScope::Nothing,
    }
}

/// Which countries' aggregated indicators an actor may see: `Some(None)` both, `Some(Some(c))`
/// one country (a supervisor's own), `None` none.
pub fn indicator_scope(actor: &Actor) -> Option<Option<Country>> {
    match actor.role {
        Role::ProgrammeManager => Some(None),
        Role::Supervisor => actor.country.map(Some),
        _ => None,
    }
}

/// Case actions a caseworker may take on cases in scope; a supervisor may take all of these too.
const CASEWORK: [Action; 13] = [
    Action::RegisterCase,
    Action::ViewCase,
    Action::EditCase,
    Action::RecordConsent,
    Action::WithdrawConsent,
    Action::Assess,
    Action::ManagePlan,
    Action::SendReferral,
    Action::CancelReferral,
    Action::ScheduleFollowUp,
    Action::RecordFollowUp,
    Action::RequestClosure,
    Action::ProposeTransfer,
];

/// Case actions reserved to supervisors.
const SUPERVISION: [Action; 8] = [
    Action::AssignCase,
    Action::ApproveClosure,
    Action::DecideTransfer,
    Action::MergeCases,
    Action::ReopenCase,
    Action::ExportFamily,
    Action::RequestErasure,
    Action::DecideErasure,
];

/// What a family may ask of its record whatever became of the case: a copy of everything
/// held about it, and its erasure.
const FAMILY_REQUESTS: [Action; 3] = [
    Action::ExportFamily,
    Action::RequestErasure,
    Action::DecideErasure,
];

/// What may still be done with a closed case: read it, withdraw consent (which must take
/// effect on closed cases too), (a supervisor) reopen it, and the family's requests.
/// Everything else answers that the case is closed.
pub fn allowed_on_closed_case(action: Action) -> bool {
    matches!(
        action,
        Action::ViewCase | Action::WithdrawConsent | Action::ReopenCase
    ) || FAMILY_REQUESTS.contains(&action)
}

/// What may be done with a record merged into another: read it as it was, give the family
/// its copy, and (a supervisor) undo the merge. Its people and history live on the survivor.
pub fn allowed_on_merged_case(action: Action) -> bool {
    matches!(
        action,
        Action::ViewCase | Action::ExportFamily | Action::MergeCases
    )
}

/// What may be done with a case anonymised after its retention period: read what is left,
/// and the family's requests. It cannot be reopened: there is nobody left to work with.
pub fn allowed_on_anonymised_case(action: Action) -> bool {
    action == Action::ViewCase || FAMILY_REQUESTS.contains(&action)
}

/// A decision that needs a second person (approving a closure, a transfer, an erasure) is
/// never made by the person who asked for it.
pub fn second_person(actor: &Actor, requested_by: &str) -> Result<(), Denied> {
    if actor.user_id == requested_by {
        Err(Denied::Forbidden)
    } else {
        Ok(())
    }
}

/// Decides whether `actor` may do `action` on `resource`.
pub fn authorize(actor: &Actor, action: Action, resource: Resource<'_>) -> Result<(), Denied> {
    let within_code = match (&actor.referral, resource) {
        (None, _) => true,
        (Some(only), Resource::Referral(r)) => r.referral_id == only,
        (Some(_), _) => false,
    };
    let allowed = within_code
        && match resource {
            Resource::System => system_allowed(actor, action),
            Resource::Case(case) => {
                let role_may = match actor.role {
                    Role::Caseworker => CASEWORK.contains(&action),
                    Role::Supervisor => CASEWORK.contains(&action) || SUPERVISION.contains(&action),
                    _ => false,
                };
                role_may && case_scope(actor).contains(&case)
            }
            Resource::Referral(r) => {
                actor.role == Role::Partner
                    && r.to_organisation_id == actor.organisation_id
                    && match action {
                        Action::ViewReferral => true,
                        Action::RespondToReferral | Action::RecordService => r.open,
                        _ => false,
                    }
            }
        };
    match (allowed, resource) {
        (true, _) => Ok(()),
        (false, Resource::System) => Err(Denied::Forbidden),
        (false, _) => Err(Denied::NotFound),
    }
}

fn system_allowed(actor: &Actor, action: Action) -> bool {
    use Action::*;
    match action {
        UseOwnAccount => true,
        ManageUsers | ManageOrganisations | ManageServiceCatalogue | ViewAuditLog => {
            actor.role == Role::Admin
        }
        // Registration is asked again with the province chosen, once the form is read.
        ListCases | RegisterCase => actor.role.is_ministry() && actor.country.is_some(),
        ViewTeamWorkload => actor.role == Role::Supervisor && actor.country.is_some(),
        ListIncomingReferrals => actor.role == Role::Partner,
        ViewIndicators | ExportIndicators => indicator_scope(actor).is_some(),
        // Everything else is about one record and is asked with that record.
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    fn actor(role: Role) -> Actor {
        let (org, country) = match role {
            Role::Caseworker | Role::Supervisor => ("morr", Some(Country::AF)),
            Role::Partner => ("ngo-a", Some(Country::AF)),
            Role::ProgrammeManager => ("programme", None),
            Role::Admin => ("morr", Some(Country::AF)),
        };
        Actor {
            user_id: format!("u-{role}"),
            role,
            organisation_id: org.into(),
            country,
            areas: if role == Role::Caseworker {
                vec!["AF-KAB".into()]
            } else {
                vec![]
            },
            referral: None,
        }
    }

    /// The resources each action is tried against, named for the matrix below.
    fn resources() -> Vec<(&'static str, Resource<'static>)> {
        vec![
            ("system", Resource::System),
            (
                "case in area",
                Resource::Case(CaseRef {
                    country: Country::AF,
                    province: "AF-KAB",
                }),
            ),
            (
                "case other province",
                Resource::Case(CaseRef {
                    country: Country::AF,
                    province: "AF-HER",
                }),
            ),
            (
                "case other country",
                Resource::Case(CaseRef {
                    country: Country::IQ,
                    province: "IQ-BG",
                }),
            ),
            (
                "referral to own org",
                Resource::Referral(ReferralRef {
                    referral_id: "r-1",
                    to_organisation_id: "ngo-a",
                    open: true,
                }),
            ),
            (
                "referral to own org, ended",
                Resource::Referral(ReferralRef {
                    referral_id: "r-1",
                    to_organisation_id: "ngo-a",
                    open: false,
                }),
            ),
            (
                "another referral to own org",
                Resource::Referral(ReferralRef {
                    referral_id: "r-2",
                    to_organisation_id: "ngo-a",
                    open: true,
                }),
            ),
            (
                "referral to other org",
                Resource::Referral(ReferralRef {
                    referral_id: "r-3",
                    to_organisation_id: "ngo-b",
                    open: true,
                }),
            ),
        ]
    }

    /// The whole matrix, written out: which (role, action, resource) are allowed.
    fn expected(role: Role, action: Action, resource: &str) -> bool {
        let casework = CASEWORK.contains(&action);
        let supervision = SUPERVISION.contains(&action);
        match (role, resource) {
            (_, "system") if action == UseOwnAccount => true,
            (Role::Admin, "system") => matches!(
                action,
                ManageUsers | ManageOrganisations | ManageServiceCatalogue | ViewAuditLog
            ),
            (Role::Caseworker, "system") => matches!(action, ListCases | RegisterCase),
            (Role::Caseworker, "case in area") => casework,
            (Role::Supervisor, "system") => matches!(
                action,
                ListCases | RegisterCase | ViewTeamWorkload | ViewIndicators | ExportIndicators
            ),
            (Role::Supervisor, "case in area" | "case other province") => casework || supervision,
            (Role::Partner, "system") => action == ListIncomingReferrals,
            (Role::Partner, "referral to own org" | "another referral to own org") => {
                matches!(action, ViewReferral | RespondToReferral | RecordService)
            }
            (Role::Partner, "referral to own org, ended") => action == ViewReferral,
            (Role::ProgrammeManager, "system") => {
                matches!(action, ViewIndicators | ExportIndicators)
            }
            _ => false,
        }
    }

    #[test]
    fn every_role_against_every_action_in_scope_and_out() {
        let mut checked = 0;
        for &role in Role::ALL {
            let a = actor(role);
            for action in Action::ALL {
                for (name, resource) in resources() {
                    let got = authorize(&a, action, resource);
                    let want = expected(role, action, name);
                    assert_eq!(got.is_ok(), want, "{role} {action:?} on {name}: {got:?}");
                    if let Err(d) = got {
                        let expected_denial = if name == "system" {
                            Denied::Forbidden
                        } else {
                            Denied::NotFound
                        };
                        assert_eq!(d, expected_denial, "{role} {action:?} on {name}");
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 5 * Action::ALL.len() * 8);
    }

    #[test]
    fn a_code_reaches_its_referral_and_nothing_else() {
        // Whatever role the account behind a code had, the code confines it to one referral.
        for &role in Role::ALL {
            let a = Actor {
                referral: Some("r-1".into()),
                ..actor(role)
            };
            for action in Action::ALL {
                for (name, resource) in resources() {
                    let got = authorize(&a, action, resource);
                    let want = role == Role::Partner
                        && match name {
                            "referral to own org" => {
                                matches!(action, ViewReferral | RespondToReferral | RecordService)
                            }
                            "referral to own org, ended" => action == ViewReferral,
                            _ => false,
                        };
                    assert_eq!(got.is_ok(), want, "code {role} {action:?} on {name}");
                    if let Err(d) = got {
                        let denial = match name {
                            "system" => Denied::Forbidden,
                            _ => Denied::NotFound,
                        };
                        assert_eq!(d, denial, "code {role} {action:?} on {name}");
                    }
                }
            }
        }
    }

    #[test]
    fn ministry_users_never_see_the_other_country() {
        let mut sup = actor(Role::Supervisor);
        sup.country = Some(Country::IQ);
        let afghan_case = Resource::Case(CaseRef {
            country: Country::AF,
            province: "AF-KAB",
        });
        for action in Action::ALL {
            assert!(authorize(&sup, action, afghan_case).is_err(), "{action:?}");
        }
    }

    #[test]
    fn a_ministry_user_without_a_country_sees_nothing() {
        let mut cw = actor(Role::Caseworker);
        cw.country = None;
        assert_eq!(case_scope(&cw), CaseScope::Nothing);
        assert_eq!(
            authorize(&cw, ListCases, Resource::System),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn nobody_decides_their_own_request() {
        let sup = actor(Role::Supervisor);
        assert_eq!(second_person(&sup, &sup.user_id), Err(Denied::Forbidden));
        assert_eq!(second_person(&sup, "u-caseworker"), Ok(()));
    }

    #[test]
    fn on_a_closed_case_only_reading_withdrawing_consent_and_reopening_remain() {
        let open: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|a| allowed_on_closed_case(*a))
            .collect();
        assert_eq!(
            open,
            vec![
                ViewCase,
                WithdrawConsent,
                ReopenCase,
                ExportFamily,
                RequestErasure,
                DecideErasure
            ]
        );
    }

    #[test]
    fn a_merged_away_record_can_be_read_exported_and_unmerged_only() {
        let open: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|a| allowed_on_merged_case(*a))
            .collect();
        assert_eq!(open, vec![ViewCase, MergeCases, ExportFamily]);
        // Merging itself is a supervisor's, as every decision about a case's identity.
        assert!(SUPERVISION.contains(&MergeCases) && !CASEWORK.contains(&MergeCases));
    }

    #[test]
    fn an_anonymised_case_can_be_read_exported_and_erased_only() {
        let open: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|a| allowed_on_anonymised_case(*a))
            .collect();
        assert_eq!(
            open,
            vec![ViewCase, ExportFamily, RequestErasure, DecideErasure]
        );
        assert!(open.iter().all(|a| allowed_on_closed_case(*a)));
    }

    #[test]
    fn scopes() {
        assert_eq!(
            case_scope(&actor(Role::Supervisor)),
            CaseScope::Country(Country::AF)
        );
        assert_eq!(
            case_scope(&actor(Role::Caseworker)),
            CaseScope::Areas(Country::AF, vec!["AF-KAB".into()])
        );
        for r in [Role::Partner, Role::ProgrammeManager, Role::Admin] {
            assert_eq!(case_scope(&actor(r)), CaseScope::Nothing);
        }
        assert_eq!(indicator_scope(&actor(Role::ProgrammeManager)), Some(None));
        assert_eq!(
            indicator_scope(&actor(Role::Supervisor)),
            Some(Some(Country::AF))
        );
        assert_eq!(indicator_scope(&actor(Role::Caseworker)), None);
    }
}
