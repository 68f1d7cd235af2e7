//! Families (cases): registration with a duplicate check, the case list, the case record,
//! edits that detect conflicts, consent, notes and assignment. Every function goes through
//! the one pipeline (`backend::pipeline`).

mod consent;
mod household;
mod list;
mod record;
mod register;

pub use consent::{add_note, record_consent, AddNote, RecordConsent};
pub use household::{save_member, update_household, SaveMember, UpdateHousehold};
pub use list::{list_cases, list_caseworkers, ListCases, ListCaseworkers};
pub use record::{assign_case, get_case, list_assignable, AssignCase, GetCase, ListAssignable};
pub use register::{register_family, RegisterFamily};

#[cfg(feature = "ssr")]
use {
    crate::backend::auth::Caller,
    crate::error::AppError,
    shared::policy::{case_scope, CaseRef},
    shared::{Country, FieldError, FieldErrors},
};

/// The country of the caller's ministry (cases are registered there).
#[cfg(feature = "ssr")]
fn ministry_country(caller: &Caller) -> Result<Country, AppError> {
    caller
        .actor
        .country
        .filter(|_| caller.actor.role.is_ministry())
        .ok_or(AppError::Forbidden)
}

/// Checks that `province` is one the caller works in (a field error, not a denial: the caller
/// chose it on the form).
#[cfg(feature = "ssr")]
fn check_province_in_scope(
    caller: &Caller,
    country: Country,
    province: &str,
    errors: &mut FieldErrors,
) {
    if !case_scope(&caller.actor).contains(&CaseRef { country, province }) {
        errors.add(
            shared::family::household_key("province"),
            FieldError::OutsideYourAreas,
        );
    }
}

/// The input names and values of one member's fields (needs joined by commas), to give back
/// to a plain form.
#[cfg(feature = "ssr")]
fn member_values(
    m: &shared::family::MemberForm,
    key: &dyn Fn(&str) -> String,
) -> Vec<(String, String)> {
    [
        ("name_local", m.name_local.clone()),
        ("name_latin", m.name_latin.clone()),
        ("father_name", m.father_name.clone()),
        ("sex", m.sex.clone()),
        ("birth_date", m.birth_date.clone()),
        ("age", m.age.clone()),
        ("relationship", m.relationship.clone()),
        ("education", m.education.clone()),
        ("occupation", m.occupation.clone()),
        ("skills", m.skills.clone()),
        ("health", m.health.clone()),
        ("needs", m.needs.join(",")),
        ("presence", m.presence.clone()),
        ("left_on", m.left_on.clone()),
    ]
    .into_iter()
    .map(|(f, v)| (key(f), v))
    .chain(
        m.documents
            .iter()
            .map(|(kind, number)| (key(&format!("documents][{kind}")), number.clone())),
    )
    .collect()
}
