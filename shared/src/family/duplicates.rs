//! Duplicate detection: what is compared of a person, and when two people may be one.

use super::member::Member;
use crate::names;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a duplicate check compares of a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonKey {
    pub name_local: Option<String>,
    pub name_latin: Option<String>,
    pub father_name: Option<String>,
    pub birth_year: Option<i32>,
    /// The person's identity document numbers (normalised), of any type.
    pub documents: Vec<String>,
}

impl PersonKey {
    pub fn of(m: &Member, recorded: NaiveDate) -> PersonKey {
        PersonKey {
            name_local: m.name_local.clone(),
            name_latin: m.name_latin.clone(),
            father_name: m.father_name.clone(),
            birth_year: Some(m.birth.year(recorded)),
            documents: m.documents.iter().map(|(_, n)| n.clone()).collect(),
        }
    }
}

/// Why an existing person may be the same as a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MatchReason {
    /// The same identity document number.
    SameDocument,
    /// A similar name, the same father's name, and a birth year within two years.
    SimilarPerson,
}

impl MatchReason {
    /// The code stored with a possible duplicate.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchReason::SameDocument => "same_document",
            MatchReason::SimilarPerson => "similar_person",
        }
    }

    pub fn parse(code: &str) -> Option<MatchReason> {
        [MatchReason::SameDocument, MatchReason::SimilarPerson]
            .into_iter()
            .find(|r| r.as_str() == code)
    }
}

/// Whether `existing` may be the same person as `new`: the same document number, or a similar
/// name (in either script, or across scripts) with the same father's name and a birth year within two years.
pub fn duplicate_reason(new: &PersonKey, existing: &PersonKey) -> Option<MatchReason> {
    if new.documents.iter().any(|d| existing.documents.contains(d)) {
        return Some(MatchReason::SameDocument);
    }
    // Either name against either: a name registered in Latin only is compared with one in
    // Arabic script through the keys the scripts share.
    let name = [&new.name_local, &new.name_latin]
        .into_iter()
        .flatten()
        .any(|a| {
            [&existing.name_local, &existing.name_latin]
                .into_iter()
                .flatten()
                .any(|b| names::similar(a, b))
        });
    let father = match (&new.father_name, &existing.father_name) {
        (Some(a), Some(b)) => names::similar(a, b),
        // Without a father's name on either side the other two must carry the match.
        _ => false,
    };
    let years = match (new.birth_year, existing.birth_year) {
        (Some(a), Some(b)) => (a - b).abs() <= 2,
        _ => false,
    };
    (name && father && years).then_some(MatchReason::SimilarPerson)
}

/// An existing case that may be the family being registered (shown before saving).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateCandidate {
    pub family_id: String,
    pub case_number: String,
    /// The name of the matching member (the caller may see this case).
    pub name: String,
    pub reason: MatchReason,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_the_same_document_or_a_similar_person() {
        let base = PersonKey {
            name_local: Some("محمد احمدی".into()),
            name_latin: Some("Mohammad Ahmadi".into()),
            father_name: Some("Abdul Karim".into()),
            birth_year: Some(1984),
            documents: vec!["1399010112345".into()],
        };
        let variant = PersonKey {
            name_local: Some("محمد احمدي".into()),
            name_latin: None,
            father_name: Some("Abdulkarim".into()),
            birth_year: Some(1986),
            documents: vec![],
        };
        assert_eq!(
            duplicate_reason(&variant, &base),
            Some(MatchReason::SimilarPerson)
        );
        let older = PersonKey {
            birth_year: Some(1980),
            ..variant.clone()
        };
        assert_eq!(
            duplicate_reason(&older, &base),
            None,
            "more than two years apart"
        );
        let other_father = PersonKey {
            father_name: Some("Ghulam Sakhi".into()),
            ..variant.clone()
        };
        assert_eq!(duplicate_reason(&other_father, &base), None);
        let same_doc = PersonKey {
            name_local: Some("زهرا".into()),
            name_latin: None,
            father_name: None,
            birth_year: None,
            // Any of the person's documents: here a passport beside the tazkira.
            documents: vec!["P123456".into(), "1399010112345".into()],
        };
        assert_eq!(
            duplicate_reason(&same_doc, &base),
            Some(MatchReason::SameDocument)
        );
    }
}
