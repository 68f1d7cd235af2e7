//! Validation errors, field by field. They carry codes, not sentences: the UI turns each into a
//! message in the user's language beside the field it concerns.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What is wrong with one field's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldError {
    Required,
    TooShort {
        min: u32,
    },
    TooLong {
        max: u32,
    },
    /// More words than a search takes.
    TooManyWords {
        max: u32,
    },
    InvalidEmail,
    /// Not one of the allowed values (a tampered select, an unknown code).
    InvalidChoice,
    InvalidFormat,
    InvalidDate,
    DateInFuture,
    NotANumber,
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// Unique already (an email address, an organisation code).
    AlreadyTaken,
    /// A place outside the country of the organisation or case.
    OutsideCountry,
    /// A province/governorate the user is not assigned to.
    OutsideYourAreas,
    /// The role does not fit the organisation's kind (a caseworker of an NGO).
    RoleDoesNotFitOrganisation,
    /// An administrator may not deactivate their own account (nobody would be left to undo it).
    OwnAccount,
    /// The current password given is wrong.
    WrongPassword,
    /// Two fields that must match do not (a new password and its confirmation).
    DoesNotMatch,
    /// The need already has an open referral: cancel or finish it before referring again.
    AlreadyReferred,
    /// The country has its ministry already: a second one's supervisors would see its cases.
    OneMinistryPerCountry,
    /// More items chosen than one step takes (cases to reassign).
    TooManyChosen {
        max: u32,
    },
    /// The caseworker chosen does not work in the province of every case to be handed over.
    NotInCaseAreas,
    /// A case moved to the province it is already in.
    SameProvince,
    /// A field that does not apply to the type of return chosen (a country abroad for
    /// internally displaced people, a province of displacement for anyone else).
    NotForThisReturn,
    /// The head of household must live with the family: another member becomes the head
    /// before the head is marked departed or deceased.
    HeadMustBePresent,
    /// A household keeps exactly one head among the people living with it (a merge chose
    /// none, or both records' heads).
    OneHead,
    /// A closure or transfer waits for an answer on one of the records: it is answered before
    /// the records are merged.
    PendingRequest,
    /// A file bigger than an upload takes.
    FileTooLarge {
        max_mb: u32,
    },
    /// A file that is not a PDF, JPEG, PNG or WebP (by its content, whatever its name).
    FileTypeNotAllowed,
    /// A file whose name says another type than its content (a PNG named `.pdf`).
    FileNameMismatch,
    /// An image that cannot be read (damaged, or too large to open).
    FileUnreadable,
}

/// Errors keyed by field name (the `name` of the form input).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error; the first error found for a field is the one shown.
    pub fn add(&mut self, field: impl Into<String>, error: FieldError) {
        self.0.entry(field.into()).or_insert(error);
    }

    pub fn single(field: impl Into<String>, error: FieldError) -> Self {
        let mut e = Self::new();
        e.add(field, error);
        e
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps the result of parsing one field, recording its error under `field`.
    pub fn take<T>(&mut self, field: &str, parsed: Result<T, FieldError>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e);
                None
            }
        }
    }

    /// `Ok(value)` when no error was recorded.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

/// Trims `s` and checks its length in characters (not bytes: names are often not Latin).
pub fn text(s: &str, min: u32, max: u32) -> Result<String, FieldError> {
    let t = s.trim();
    let n = t.chars().count() as u32;
    if n == 0 && min > 0 {
        Err(FieldError::Required)
    } else if n < min {
        Err(FieldError::TooShort { min })
    } else if n > max {
        Err(FieldError::TooLong { max })
    } else {
        Ok(t.to_string())
    }
}

/// Like [`text`] but an empty value is `None`.
pub fn optional_text(s: &str, max: u32) -> Result<Option<String>, FieldError> {
    let t = text(s, 0, max)?;
    Ok((!t.is_empty()).then_some(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_error_for_a_field_wins() {
        let mut e = FieldErrors::new();
        e.add("email", FieldError::Required);
        e.add("email", FieldError::InvalidEmail);
        assert_eq!(e.get("email"), Some(&FieldError::Required));
        assert!(e.finish(|| ()).is_err());
    }

    #[test]
    fn text_counts_characters_not_bytes() {
        assert_eq!(text("  احمد  ", 1, 4), Ok("احمد".to_string()));
        assert_eq!(text("احمدی", 1, 4), Err(FieldError::TooLong { max: 4 }));
        assert_eq!(text("   ", 1, 4), Err(FieldError::Required));
        assert_eq!(optional_text(" ", 4), Ok(None));
    }
}
