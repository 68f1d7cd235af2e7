//! A whole registration: household, members with one head, and consent, validated together.

use super::household::{validate_household, Household, HouseholdForm};
use super::member::{validate_member, Member, MemberForm};
use super::{Presence, Relationship};
use crate::calendar::Calendar;
use crate::field_error::{text, FieldError, FieldErrors};
use crate::Country;
use chrono::NaiveDate;

/// The most people a family record may hold.
pub const MAX_MEMBERS: usize = 30;

/// Consent as recorded at registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationConsent {
    /// Who gave it (usually the head of household), as they named themselves.
    pub given_by: String,
    pub sharing: bool,
}

/// A validated new family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFamily {
    pub household: Household,
    pub members: Vec<Member>,
    pub consent: RegistrationConsent,
}

/// Validates a whole registration: household, every member (exactly one of whom is the head),
/// and consent to registration (without which nothing is recorded).
#[allow(clippy::too_many_arguments)]
pub fn validate_registration(
    household: &HouseholdForm,
    members: &[MemberForm],
    consent_registration: bool,
    consent_sharing: bool,
    consent_given_by: &str,
    country: Country,
    calendar: Calendar,
    today: NaiveDate,
) -> Result<NewFamily, FieldErrors> {
    let mut errors = FieldErrors::new();
    let household = validate_household(household, country, calendar, today, &mut errors);
    if members.is_empty() {
        errors.add("members", FieldError::Required);
    } else if members.len() > MAX_MEMBERS {
        errors.add(
            "members",
            FieldError::OutOfRange {
                min: 1,
                max: MAX_MEMBERS as i64,
            },
        );
    }
    let valid: Vec<Option<Member>> = members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let key = |field: &str| format!("members[{i}][{field}]");
            let member = validate_member(m, key, calendar, today, &mut errors);
            // A family is registered with the people who came back; who leaves or dies
            // later is recorded on the member afterwards.
            match member {
                Some(m) if m.presence != Presence::Present => {
                    errors.add(key("presence"), FieldError::InvalidChoice);
                    None
                }
                m => m,
            }
        })
        .collect();
    let heads = members
        .iter()
        .filter(|m| Relationship::parse(&m.relationship) == Some(Relationship::Head))
        .count();
    if !members.is_empty() && heads != 1 {
        let field = if heads == 0 {
            "members[0][relationship]".to_string()
        } else {
            "members".to_string()
        };
        errors.add(
            field,
            if heads == 0 {
                FieldError::Required
            } else {
                FieldError::InvalidChoice
            },
        );
    }
    if !consent_registration {
        errors.add("consent_registration", FieldError::Required);
    }
    let given_by = errors.take("consent_given_by", text(consent_given_by, 2, 100));
    errors.finish(|| NewFamily {
        household: household.expect("no errors"),
        members: valid.into_iter().map(|m| m.expect("no errors")).collect(),
        consent: RegistrationConsent {
            given_by: given_by.expect("no errors"),
            sharing: consent_sharing,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::fixtures::{head, household, today};
    use crate::family::{Birth, DocumentType, SpecificNeed};

    #[test]
    fn a_complete_registration_is_valid() {
        let child = MemberForm {
            name_local: "زهرا".into(),
            sex: "female".into(),
            birth_date: "2015-03-02".into(),
            relationship: "daughter".into(),
            needs: vec!["disability".into()],
            ..Default::default()
        };
        let f = validate_registration(
            &household(),
            &[head(), child],
            true,
            true,
            "Mohammad",
            Country::AF,
            Calendar::Gregorian,
            today(),
        )
        .unwrap();
        assert_eq!(
            f.household.phone_international.as_deref(),
            Some("93701234567")
        );
        assert_eq!(
            f.members[0].documents,
            vec![(DocumentType::Tazkira, "1399010112345".into())]
        );
        assert_eq!(f.members[0].birth, Birth::EstimatedAge(42));
        assert_eq!(f.members[1].needs, vec![SpecificNeed::Disability]);
        assert!(f.consent.sharing);
    }

    #[test]
    fn every_error_is_reported_under_its_input_name() {
        let bad_member = MemberForm {
            sex: "x".into(),
            age: "200".into(),
            relationship: "head".into(),
            ..Default::default()
        };
        let mut h = household();
        h.province = "IQ-BG".into();
        h.return_date = "2030-01-01".into();
        h.phone = "12".into();
        let e = validate_registration(
            &h,
            &[bad_member],
            false,
            false,
            "",
            Country::AF,
            Calendar::Gregorian,
            today(),
        )
        .unwrap_err();
        assert_eq!(
            e.get("household[province]"),
            Some(&FieldError::OutsideCountry)
        );
        assert_eq!(
            e.get("household[return_date]"),
            Some(&FieldError::DateInFuture)
        );
        assert_eq!(e.get("household[phone]"), Some(&FieldError::InvalidFormat));
        assert_eq!(e.get("members[0][name_local]"), Some(&FieldError::Required));
        assert_eq!(e.get("members[0][sex]"), Some(&FieldError::InvalidChoice));
        assert_eq!(
            e.get("members[0][age]"),
            Some(&FieldError::OutOfRange { min: 0, max: 120 })
        );
        assert_eq!(e.get("consent_registration"), Some(&FieldError::Required));
        assert_eq!(e.get("consent_given_by"), Some(&FieldError::Required));
    }

    #[test]
    fn a_family_has_exactly_one_head() {
        let mut second = head();
        second.name_latin = "Ali Ahmadi".into();
        let e = validate_registration(
            &household(),
            &[head(), second],
            true,
            false,
            "Mohammad",
            Country::AF,
            Calendar::Gregorian,
            today(),
        )
        .unwrap_err();
        assert_eq!(e.get("members"), Some(&FieldError::InvalidChoice));
        let mut nobody = head();
        nobody.relationship = "son".into();
        let e = validate_registration(
            &household(),
            &[nobody],
            true,
            false,
            "Mohammad",
            Country::AF,
            Calendar::Gregorian,
            today(),
        )
        .unwrap_err();
        assert_eq!(
            e.get("members[0][relationship]"),
            Some(&FieldError::Required)
        );
        let e = validate_registration(
            &household(),
            &[],
            true,
            false,
            "Mohammad",
            Country::AF,
            Calendar::Gregorian,
            today(),
        )
        .unwrap_err();
        assert_eq!(e.get("members"), Some(&FieldError::Required));
    }

    #[test]
    fn dates_are_read_in_the_forms_calendar_and_any_digits() {
        let mut h = household();
        h.return_date = "۱۴۰۵/۰۷/۱۰".into();
        let f = validate_registration(
            &h,
            &[head()],
            true,
            false,
            "Mohammad",
            Country::AF,
            Calendar::SolarHijri,
            today(),
        )
        .unwrap();
        assert_eq!(
            f.household.return_date,
            NaiveDate::from_ymd_opt(2026, 10, 2).unwrap()
        );
    }
}
