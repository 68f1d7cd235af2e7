//! The household: what a family gave of where it lives and how it came back, and its validation.

use super::{choice, past_date, ReturnType};
use crate::calendar::Calendar;
use crate::field_error::{optional_text, text, FieldError, FieldErrors};
use crate::{location, names, Country};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Countries people commonly return from (ISO 3166-1 alpha-2), and "other".
pub const RETURNED_FROM: [&str; 18] = [
    "IR", "PK", "TR", "DE", "GR", "AT", "SE", "GB", "FR", "IT", "NL", "BE", "NO", "SY", "JO", "LB",
    "RU", "XX",
];

/// The household as typed into a form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdForm {
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub return_date: String,
    #[serde(default)]
    pub returned_from: String,
    #[serde(default)]
    pub return_type: String,
    /// For the return of internally displaced people: the province/governorate they were
    /// displaced to (where they come back from).
    #[serde(default)]
    pub displaced_from: String,
}

/// A validated household (the family record without its members).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Household {
    pub country: Country,
    /// Location key of the province/governorate of return.
    pub province: String,
    pub district: String,
    pub address: Option<String>,
    /// The phone number as typed (trimmed).
    pub phone: Option<String>,
    /// International form without `+`, for search and messaging.
    pub phone_international: Option<String>,
    pub return_date: NaiveDate,
    /// The country returned from; for internally displaced people, their own country.
    pub returned_from: String,
    pub return_type: ReturnType,
    /// Location key of the province/governorate of displacement (internally displaced only).
    pub displaced_from: Option<String>,
}

/// Validates the household fields for a case of `country` (the country of the caller's
/// ministry), recording errors under `household[field]`, the names of the form's inputs.
/// `today` is the server's date: dates of return cannot be in the future.
pub fn validate_household(
    f: &HouseholdForm,
    country: Country,
    calendar: Calendar,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> Option<Household> {
    let province = errors.take(
        &household_key("province"),
        match location::by_key(f.province.trim()) {
            None if f.province.trim().is_empty() => Err(FieldError::Required),
            None => Err(FieldError::InvalidChoice),
            Some(l) if l.country != country => Err(FieldError::OutsideCountry),
            Some(l) => Ok(l.key.clone()),
        },
    );
    let district = errors.take(&household_key("district"), text(&f.district, 2, 100));
    let address = errors.take(&household_key("address"), optional_text(&f.address, 300));
    let phone = errors.take(
        &household_key("phone"),
        match f.phone.trim() {
            "" => Ok(None),
            p => names::international_phone(p, country)
                .map(|i| Some((p.to_string(), i)))
                .ok_or(FieldError::InvalidFormat),
        },
    );
    let return_date = errors.take(
        &household_key("return_date"),
        past_date(&f.return_date, calendar, today),
    );
    let return_type = errors.take(
        &household_key("return_type"),
        choice(ReturnType::parse, &f.return_type),
    );
    // Internally displaced people come back from a province of their own country; everyone
    // else from abroad. The field that does not apply must be left empty.
    let displaced = return_type == Some(ReturnType::IdpReturn);
    let returned_from = match (displaced, f.returned_from.trim()) {
        (true, "") => Some(country.code().to_string()),
        (true, _) => {
            errors.add(household_key("returned_from"), FieldError::NotForThisReturn);
            None
        }
        (false, from) => errors.take(
            &household_key("returned_from"),
            choice(
                |s| {
                    RETURNED_FROM
                        .iter()
                        .find(|c| **c == s)
                        .map(|c| c.to_string())
                },
                from,
            ),
        ),
    };
    let displaced_from = match (displaced, f.displaced_from.trim()) {
        (false, "") => Some(None),
        (false, _) => {
            errors.add(
                household_key("displaced_from"),
                FieldError::NotForThisReturn,
            );
            None
        }
        (true, key) => errors.take(
            &household_key("displaced_from"),
            match location::by_key(key) {
                None if key.is_empty() => Err(FieldError::Required),
                None => Err(FieldError::InvalidChoice),
                Some(l) if l.country != country => Err(FieldError::OutsideCountry),
                Some(l) => Ok(Some(l.key.clone())),
            },
        ),
    };
    let (phone, phone_international) = match phone.flatten() {
        Some((typed, international)) => (Some(typed), Some(international)),
        None => (None, None),
    };
    Some(Household {
        country,
        province: province?,
        district: district?,
        address: address?,
        phone,
        phone_international,
        return_date: return_date?,
        returned_from: returned_from?,
        return_type: return_type?,
        displaced_from: displaced_from?,
    })
}

/// The form input name of a household field.
pub fn household_key(field: &str) -> String {
    format!("household[{field}]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::fixtures::{household, today};

    fn check(f: &HouseholdForm, country: Country) -> (Option<Household>, FieldErrors) {
        let mut e = FieldErrors::new();
        let h = validate_household(f, country, Calendar::Gregorian, today(), &mut e);
        (h, e)
    }

    #[test]
    fn internally_displaced_people_come_back_from_a_province_of_their_country() {
        let mut f = household();
        f.return_type = "idp_return".into();
        f.returned_from = String::new();
        let (_, e) = check(&f, Country::AF);
        assert_eq!(
            e.get("household[displaced_from]"),
            Some(&FieldError::Required)
        );

        f.displaced_from = "IQ-AN".into();
        let (_, e) = check(&f, Country::AF);
        assert_eq!(
            e.get("household[displaced_from]"),
            Some(&FieldError::OutsideCountry)
        );

        f.displaced_from = "AF-HER".into();
        let h = check(&f, Country::AF).0.unwrap();
        assert_eq!(h.return_type, ReturnType::IdpReturn);
        assert_eq!(h.displaced_from.as_deref(), Some("AF-HER"));
        assert_eq!(h.returned_from, "AF");

        // A country abroad does not apply to them.
        f.returned_from = "IR".into();
        let (_, e) = check(&f, Country::AF);
        assert_eq!(
            e.get("household[returned_from]"),
            Some(&FieldError::NotForThisReturn)
        );
    }

    #[test]
    fn a_province_of_displacement_is_only_for_internally_displaced_people() {
        let mut f = household();
        let h = check(&f, Country::AF).0.unwrap();
        assert_eq!((h.returned_from.as_str(), h.displaced_from), ("IR", None));
        f.displaced_from = "AF-HER".into();
        let (_, e) = check(&f, Country::AF);
        assert_eq!(
            e.get("household[displaced_from]"),
            Some(&FieldError::NotForThisReturn)
        );
    }
}
