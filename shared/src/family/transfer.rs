//! Moving a case to another province's team when the family moves: the sending side proposes
//! (where to, why, a handover note), a supervisor who did not propose it accepts and assigns
//! it, or declines with a reason; until then the case stays where it is.

use crate::field_error::{optional_text, text, FieldError, FieldErrors};
use crate::{location, Country};
use serde::{Deserialize, Serialize};

crate::code_enum! {
    /// Why the family moved.
    pub enum TransferReason {
        FamilyMoved = "family_moved",
        JoinedRelatives = "joined_relatives",
        Livelihood = "livelihood",
        Security = "security",
        Other = "other",
    }
}

crate::code_enum! {
    /// How a proposal ended: accepted by the receiving side, declined by it, or withdrawn by
    /// the sending side (also when the case is closed first).
    pub enum TransferDecision {
        Accepted = "accepted",
        Declined = "declined",
        Withdrawn = "withdrawn",
    }
}

/// The proposal form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    pub to_province: String,
    #[serde(default)]
    pub to_district: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

/// A valid proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    pub to_province: String,
    pub to_district: String,
    pub reason: TransferReason,
    pub note: Option<String>,
}

/// Checks a proposal for a case of `country` now in `province`: the new province is another
/// one of the same country (a ministry's cases stay in its country), the district is named
/// as on the household form, the reason is one of the list, the note is not a book.
pub fn validate_transfer(
    f: &TransferForm,
    country: Country,
    province: &str,
) -> Result<Transfer, FieldErrors> {
    let mut errors = FieldErrors::new();
    let to_province = errors.take(
        "to_province",
        match location::by_key(f.to_province.trim()) {
            None if f.to_province.trim().is_empty() => Err(FieldError::Required),
            None => Err(FieldError::InvalidChoice),
            Some(l) if l.country != country => Err(FieldError::OutsideCountry),
            Some(l) if l.key == province => Err(FieldError::SameProvince),
            Some(l) => Ok(l.key.clone()),
        },
    );
    let to_district = errors.take("to_district", text(&f.to_district, 2, 100));
    let reason = errors.take(
        "reason",
        match f.reason.trim() {
            "" => Err(FieldError::Required),
            r => TransferReason::parse(r).ok_or(FieldError::InvalidChoice),
        },
    );
    let note = errors.take("note", optional_text(&f.note, 2000));
    match (to_province, to_district, reason, note) {
        (Some(to_province), Some(to_district), Some(reason), Some(note)) if errors.is_empty() => {
            Ok(Transfer {
                to_province,
                to_district,
                reason,
                note,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(to: &str, district: &str, reason: &str) -> TransferForm {
        TransferForm {
            to_province: to.into(),
            to_district: district.into(),
            reason: reason.into(),
            note: "Moved in with the wife's family.".into(),
        }
    }

    #[test]
    fn a_move_to_another_province_of_the_country_is_a_proposal() {
        let t = validate_transfer(
            &form(" AF-BAL ", "Mazar-i-Sharif", "family_moved"),
            Country::AF,
            "AF-KAB",
        )
        .unwrap();
        assert_eq!(t.to_province, "AF-BAL");
        assert_eq!(t.reason, TransferReason::FamilyMoved);
        assert_eq!(t.note.as_deref(), Some("Moved in with the wife's family."));
    }

    #[test]
    fn each_field_answers_for_itself() {
        let errors = |f: TransferForm| validate_transfer(&f, Country::AF, "AF-KAB").unwrap_err();
        let e = errors(form("", "", ""));
        assert_eq!(e.get("to_province"), Some(&FieldError::Required));
        assert_eq!(e.get("to_district"), Some(&FieldError::Required));
        assert_eq!(e.get("reason"), Some(&FieldError::Required));
        let e = errors(form("AF-KAB", "Paghman", "security"));
        assert_eq!(e.get("to_province"), Some(&FieldError::SameProvince));
        let e = errors(form("IQ-BG", "Karkh", "security"));
        assert_eq!(e.get("to_province"), Some(&FieldError::OutsideCountry));
        let e = errors(form("XX-YY", "Karkh", "bored"));
        assert_eq!(e.get("to_province"), Some(&FieldError::InvalidChoice));
        assert_eq!(e.get("reason"), Some(&FieldError::InvalidChoice));
        let mut long = form("AF-BAL", "Balkh", "other");
        long.note = "x".repeat(2001);
        assert_eq!(
            errors(long).get("note"),
            Some(&FieldError::TooLong { max: 2000 })
        );
    }
}
