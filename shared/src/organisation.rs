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
