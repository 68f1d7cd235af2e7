//! Families (cases) and their members: the codes they use, and the validation of what a
//! caseworker types into the registration and edit forms, field by field.

mod duplicates;
mod household;
mod member;
pub mod merge;
mod registration;
mod search;
pub mod status;
pub mod transfer;

pub use duplicates::{duplicate_reason, DuplicateCandidate, MatchReason, PersonKey};
pub use household::{household_key, validate_household, Household, HouseholdForm, RETURNED_FROM};
pub use member::{validate_member, Birth, Member, MemberForm, ADULT_AGE};
pub use registration::{validate_registration, NewFamily, RegistrationConsent, MAX_MEMBERS};
pub use search::{
    case_number, check_query, classify_query, SearchQuery, COUNT_CAP, MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
};

use crate::calendar::{self, Calendar};
use crate::field_error::FieldError;
use crate::Country;
use chrono::{Datelike, NaiveDate};

crate::code_enum! {
    /// How the family came back.
    pub enum ReturnType {
        VoluntaryAssisted = "voluntary_assisted",
        Deported = "deported",
        Spontaneous = "spontaneous",
        /// Internally displaced people going back to their area of origin (much of MoMD's
        /// caseload): they come from a province of the same country, not from abroad.
        IdpReturn = "idp_return",
    }
}

crate::code_enum! {
    /// Where a case is in its life: registered → assessed → in progress → closed.
    pub enum CaseStatus {
        Registered = "registered",
        Assessed = "assessed",
        InProgress = "in_progress",
        Closed = "closed",
    }
}

crate::code_enum! {
    pub enum Sex {
        Female = "female",
        Male = "male",
    }
}

crate::code_enum! {
    /// Relationship to the head of household.
    pub enum Relationship {
        Head = "head",
        Spouse = "spouse",
        Son = "son",
        Daughter = "daughter",
        Father = "father",
        Mother = "mother",
        Brother = "brother",
        Sister = "sister",
        Grandchild = "grandchild",
        Grandparent = "grandparent",
        OtherRelative = "other_relative",
        NotRelated = "not_related",
    }
}

crate::code_enum! {
    /// Highest level of education completed.
    pub enum Education {
        NoSchooling = "none",
        Primary = "primary",
        Secondary = "secondary",
        Vocational = "vocational",
        Higher = "higher",
        Unknown = "unknown",
    }
}

crate::code_enum! {
    pub enum DocumentType {
        /// The Afghan national identity card (paper or electronic).
        Tazkira = "tazkira",
        /// The Iraqi national identity card.
        NationalId = "national_id",
        Passport = "passport",
        /// Pakistan's Proof of Registration card, held by Afghans registered as refugees there.
        PorCard = "por_card",
        /// The Iraqi civil status identity card that the national card is replacing.
        CivilStatusId = "civil_status_id",
    }
}

impl DocumentType {
    /// The documents a person of a case in `country` may hold, in the order the form asks.
    pub fn for_country(country: Country) -> &'static [DocumentType] {
        match country {
            Country::AF => &[Self::Tazkira, Self::Passport, Self::PorCard],
            Country::IQ => &[Self::NationalId, Self::CivilStatusId, Self::Passport],
        }
    }
}

crate::code_enum! {
    /// Whether a member still lives with the family. A member who left or died stays on the
    /// record (their history is the family's) but no longer counts in its size.
    pub enum Presence {
        Present = "present",
        Departed = "departed",
        Deceased = "deceased",
    }
}

crate::code_enum! {
    /// Specific needs that change how a family is helped (and which indicators count it).
    pub enum SpecificNeed {
        UnaccompaniedMinor = "unaccompanied_minor",
        FemaleHeadedHousehold = "female_headed_household",
        OlderPerson = "older_person",
        Disability = "disability",
        ChronicIllness = "chronic_illness",
        TraffickingSurvivor = "trafficking_survivor",
    }
}

crate::code_enum! {
    /// What consent is given (or withdrawn) for.
    pub enum ConsentKind {
        /// Recording the family's data in Homeward.
        Registration = "registration",
        /// Sharing the need-to-know data with partner organisations (referrals).
        Sharing = "sharing",
    }
}

/// Oldest plausible age, for estimated ages and dates of birth.
pub const MAX_AGE: i64 = 120;

// Field readers for both the household and the member form, so they live above both.
fn choice<T>(parse: impl Fn(&str) -> Option<T>, value: &str) -> Result<T, FieldError> {
    if value.trim().is_empty() {
        Err(FieldError::Required)
    } else {
        parse(value).ok_or(FieldError::InvalidChoice)
    }
}

fn past_date(value: &str, calendar: Calendar, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let d = calendar::parse_input(value, calendar)?;
    if d > today {
        Err(FieldError::DateInFuture)
    } else if today.year() - d.year() > MAX_AGE as i32 {
        Err(FieldError::InvalidDate)
    } else {
        Ok(d)
    }
}

/// Forms that tests of every part of this module start from.
#[cfg(test)]
mod fixtures {
    use super::{HouseholdForm, MemberForm};
    use chrono::NaiveDate;

    pub(super) fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    pub(super) fn household() -> HouseholdForm {
        HouseholdForm {
            province: "AF-KAB".into(),
            district: "District 5".into(),
            address: "Near the mosque".into(),
            phone: "0701 234 567".into(),
            return_date: "2026-10-01".into(),
            returned_from: "IR".into(),
            return_type: "deported".into(),
            displaced_from: String::new(),
        }
    }

    pub(super) fn head() -> MemberForm {
        MemberForm {
            name_local: "محمد احمدی".into(),
            name_latin: "Mohammad Ahmadi".into(),
            father_name: "Abdul Karim".into(),
            sex: "male".into(),
            age: "42".into(),
            relationship: "head".into(),
            documents: [("tazkira".into(), "۱۳۹۹-۰۱۰۱-۱۲۳۴۵".into())].into(),
            ..Default::default()
        }
    }
}
