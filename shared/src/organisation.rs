//! Organisations: the ministries, partner NGOs and community organisations, and the programme.

use crate::field_error::{text, FieldError, FieldErrors};
use crate::Country;

crate::code_enum! {
    pub enum OrgKind {
        /// MoRR (Afghanistan) or MoMD (Iraq), or one of their departments.
        Ministry = "ministry",
        /// An NGO or community-based organisation that receives referrals.
        Partner = "partner",
        /// The donor-funded programme.
        Programme = "programme",
    }
}

/// Whom the family and the caseworker deal with at an organisation without accounts: it
/// answers referrals at `/r` with a referral's code, and the slip the family carries names
/// this person, phone and address.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    pub person: String,
    pub phone: String,
    pub address: String,
}

/// Validates the contact of an organisation without accounts: all three are needed, since
/// the slip is the family's only way there.
pub fn validate_contact(person: &str, phone: &str, address: &str) -> Result<Contact, FieldErrors> {
    let mut e = FieldErrors::new();
    let person = e.take("contact_person", text(person, 2, 120));
    let phone = e.take("contact_phone", phone_text(phone));
    let address = e.take("contact_address", text(address, 5, 300));
    e.finish(|| Contact {
        person: person.unwrap(),
        phone: phone.unwrap(),
        address: address.unwrap(),
    })
}

/// A phone number as written for people to dial: digits (any style), spaces, `+`, dashes and
/// brackets, with 7 to 15 digits.
fn phone_text(s: &str) -> Result<String, FieldError> {
    let t = text(s, 1, 40)?;
    let allowed = t.chars().all(|c| {
        crate::digits::digit_value(c).is_some() || matches!(c, ' ' | '+' | '-' | '(' | ')')
    });
    let digits = t
        .chars()
        .filter(|c| crate::digits::digit_value(*c).is_some())
        .count();
    match (allowed, digits) {
        (true, 7..=15) => Ok(t),
        _ => Err(FieldError::InvalidFormat),
    }
}

/// A short organisation code (`morr`, `momd`, `programme`, `nrc-kabul`): lowercase letters,
/// digits and dashes, 2 to 32 characters, starting with a letter or digit.
pub fn parse_code(s: &str) -> Result<String, FieldError> {
    let c = s.trim().to_ascii_lowercase();
    if c.is_empty() {
        return Err(FieldError::Required);
    }
    let ok_chars = c
        .chars()
        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
    if !ok_chars || c.starts_with('-') {
        return Err(FieldError::InvalidFormat);
    }
    match c.len() {
        0..=1 => Err(FieldError::TooShort { min: 2 }),
        33.. => Err(FieldError::TooLong { max: 32 }),
        _ => Ok(c),
    }
}

/// A validated new organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrganisation {
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub country: Option<Country>,
}

/// Validates the fields of a new organisation. A ministry works in exactly one country; the
/// programme spans both, so it has none; a partner may be tied to one country or not.
pub fn validate_new_organisation(
    code: &str,
    name: &str,
    kind: &str,
    country: &str,
) -> Result<NewOrganisation, FieldErrors> {
    let mut e = FieldErrors::new();
    let code = e.take("code", parse_code(code));
    let name = e.take("name", text(name, 2, 120));
    let kind = e.take(
        "kind",
        OrgKind::parse(kind).ok_or(FieldError::InvalidChoice),
    );
    let country = match country.trim() {
        "" => None,
        c => e.take(
            "country",
            Country::parse(c).ok_or(FieldError::InvalidChoice),
        ),
    };
    match (kind, country) {
        (Some(OrgKind::Ministry), None) => e.add("country", FieldError::Required),
        (Some(OrgKind::Programme), Some(_)) => e.add("country", FieldError::InvalidChoice),
        _ => {}
    }
    e.finish(|| NewOrganisation {
        code: code.unwrap(),
        name: name.unwrap(),
        kind: kind.unwrap(),
        country,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_without_accounts_needs_whom_to_ask_for() {
        let c = validate_contact(
            " Fatima Ahmadi ",
            "+93 70 123 4567",
            "Behind the mosque, Jalalabad",
        );
        assert_eq!(c.unwrap().person, "Fatima Ahmadi");
        let e = validate_contact("", "12", "").unwrap_err();
        assert_eq!(e.get("contact_person"), Some(&FieldError::Required));
        assert_eq!(e.get("contact_phone"), Some(&FieldError::InvalidFormat));
        assert_eq!(e.get("contact_address"), Some(&FieldError::Required));
        assert!(validate_contact("Ali", "۰۷۰۱۲۳۴۵۶۷", "Kabul, district 5").is_ok());
        assert!(validate_contact("Ali", "0701234567; drop", "Kabul, district 5").is_err());
    }

    #[test]
    fn codes() {
        assert_eq!(parse_code(" MoRR "), Ok("morr".into()));
        assert_eq!(parse_code("nrc-kabul"), Ok("nrc-kabul".into()));
        assert_eq!(parse_code("x"), Err(FieldError::TooShort { min: 2 }));
        assert_eq!(parse_code("-ab"), Err(FieldError::InvalidFormat));
        assert_eq!(parse_code("a b"), Err(FieldError::InvalidFormat));
        assert_eq!(parse_code(""), Err(FieldError::Required));
    }

    #[test]
    fn a_ministry_needs_a_country_and_the_programme_has_none() {
        let e = validate_new_organisation("morr", "MoRR", "ministry", "").unwrap_err();
        assert_eq!(e.get("country"), Some(&FieldError::Required));
        let e = validate_new_organisation("prog", "Programme", "programme", "AF").unwrap_err();
        assert_eq!(e.get("country"), Some(&FieldError::InvalidChoice));
        let ok = validate_new_organisation("nrc", "NRC", "partner", "").unwrap();
        assert_eq!(ok.country, None);
    }
}
