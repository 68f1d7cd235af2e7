//! Merging two records of one family (registered twice, at two border points): which record
//! survives, whose value each part of the household keeps, and which people stay on it. The
//! merged-away record is kept as it was, read only; the merge can be undone while nothing has
//! been added to the survivor since.

use super::{Presence, Relationship};
use crate::field_error::{FieldError, FieldErrors};

crate::code_enum! {
    /// The parts of the household a merge chooses between. Each is taken whole from one
    /// record: the fields of a part depend on each other (a district belongs to its province,
    /// a province of displacement to an internal return).
    pub enum MergePart {
        /// Province and district.
        Area = "area",
        Address = "address",
        Phone = "phone",
        /// Return date, type, and where from.
        Return = "return_details",
        /// Whom the case is assigned to.
        Caseworker = "caseworker",
    }
}

/// One of the two records, as far as choosing is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeSide {
    pub family_id: String,
    /// (member id, relationship, presence) of each person on it.
    pub members: Vec<(String, Relationship, Presence)>,
}

/// The merge form as typed: family ids for the survivor and for each part, member ids kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeForm {
    pub survivor: String,
    /// (part code, family id whose value is kept).
    pub parts: Vec<(String, String)>,
    pub members: Vec<String>,
}

/// A merge as decided: `survivor` keeps its number and receives everything of `merged`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergePlan {
    pub survivor: String,
    pub merged: String,
    /// The parts whose value comes from the merged-away record.
    pub from_merged: Vec<MergePart>,
    /// The people the survivor keeps, from either record, in the order chosen.
    pub keep: Vec<String>,
}

/// Checks a merge form against the two records `a` and `b`: the survivor is one of them,
/// every part names one of them, the people kept are theirs (at least one), and exactly one
/// of those living with the family is its head.
pub fn validate_merge(
    form: &MergeForm,
    a: &MergeSide,
    b: &MergeSide,
) -> Result<MergePlan, FieldErrors> {
    let mut errors = FieldErrors::new();
    let which = |id: &str| -> Result<bool, FieldError> {
        match id.trim() {
            "" => Err(FieldError::Required),
            id if id == a.family_id => Ok(true),
            id if id == b.family_id => Ok(false),
            _ => Err(FieldError::InvalidChoice),
        }
    };
    let survivor_is_a = errors.take("survivor", which(&form.survivor));
    let mut from_a = Vec::new();
    for part in MergePart::ALL {
        let typed = form
            .parts
            .iter()
            .find(|(code, _)| MergePart::parse(code) == Some(*part))
            .map(|(_, id)| id.as_str())
            .unwrap_or("");
        if let Some(is_a) = errors.take(part.as_str(), which(typed)) {
            from_a.push((*part, is_a));
        }
    }
    let everyone: Vec<&(String, Relationship, Presence)> =
        a.members.iter().chain(&b.members).collect();
    let mut keep: Vec<String> = Vec::new();
    for id in &form.members {
        let id = id.trim();
        if id.is_empty() || keep.iter().any(|k| k == id) {
            continue;
        }
        if everyone.iter().any(|(m, _, _)| m == id) {
            keep.push(id.to_string());
        } else {
            errors.add("members", FieldError::InvalidChoice);
        }
    }
    if keep.is_empty() && errors.get("members").is_none() {
        errors.add("members", FieldError::Required);
    }
    let heads = everyone
        .iter()
        .filter(|(id, r, p)| {
            keep.contains(id) && *r == Relationship::Head && *p == Presence::Present
        })
        .count();
    if !keep.is_empty() && heads != 1 && errors.get("members").is_none() {
        errors.add("members", FieldError::OneHead);
    }
    errors.finish(|| {
        let survivor_is_a = survivor_is_a.expect("no errors");
        let (survivor, merged) = match survivor_is_a {
            true => (a.family_id.clone(), b.family_id.clone()),
            false => (b.family_id.clone(), a.family_id.clone()),
        };
        MergePlan {
            survivor,
            merged,
            from_merged: from_a
                .into_iter()
                .filter(|(_, is_a)| *is_a != survivor_is_a)
                .map(|(part, _)| part)
                .collect(),
            keep,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(id: &str, members: &[(&str, Relationship)]) -> MergeSide {
        MergeSide {
            family_id: id.into(),
            members: members
                .iter()
                .map(|(m, r)| (m.to_string(), *r, Presence::Present))
                .collect(),
        }
    }

    fn pair() -> (MergeSide, MergeSide) {
        (
            side(
                "fa",
                &[("a1", Relationship::Head), ("a2", Relationship::Spouse)],
            ),
            side(
                "fb",
                &[("b1", Relationship::Head), ("b2", Relationship::Son)],
            ),
        )
    }

    fn form(survivor: &str, parts: &[(&str, &str)], members: &[&str]) -> MergeForm {
        MergeForm {
            survivor: survivor.into(),
            parts: parts
                .iter()
                .map(|(p, id)| (p.to_string(), id.to_string()))
                .collect(),
            members: members.iter().map(|m| m.to_string()).collect(),
        }
    }

    const ALL_A: [(&str, &str); 5] = [
        ("area", "fa"),
        ("address", "fa"),
        ("phone", "fa"),
        ("return_details", "fa"),
        ("caseworker", "fa"),
    ];

    #[test]
    fn the_survivor_keeps_its_own_values_unless_the_other_is_chosen() {
        let (a, b) = pair();
        let mut parts = ALL_A.to_vec();
        parts[2] = ("phone", "fb");
        let plan = validate_merge(&form("fa", &parts, &["a1", "a2", "b2"]), &a, &b).unwrap();
        assert_eq!((plan.survivor.as_str(), plan.merged.as_str()), ("fa", "fb"));
        assert_eq!(plan.from_merged, vec![MergePart::Phone]);
        assert_eq!(plan.keep, vec!["a1", "a2", "b2"]);
        // The other way round, the same choices are the merged-away record's but the phone.
        let plan = validate_merge(&form("fb", &parts, &["b1"]), &a, &b).unwrap();
        assert_eq!(plan.survivor, "fb");
        assert_eq!(plan.from_merged.len(), 4);
        assert!(!plan.from_merged.contains(&MergePart::Phone));
    }

    #[test]
    fn every_choice_names_one_of_the_two_records() {
        let (a, b) = pair();
        let e = validate_merge(&form("fc", &ALL_A[..4], &["a1", "zz"]), &a, &b).unwrap_err();
        assert_eq!(e.get("survivor"), Some(&FieldError::InvalidChoice));
        assert_eq!(e.get("caseworker"), Some(&FieldError::Required));
        assert_eq!(e.get("members"), Some(&FieldError::InvalidChoice));
        let e = validate_merge(&form("", &ALL_A, &[]), &a, &b).unwrap_err();
        assert_eq!(e.get("survivor"), Some(&FieldError::Required));
        assert_eq!(e.get("members"), Some(&FieldError::Required));
    }

    #[test]
    fn exactly_one_head_living_with_the_family_is_kept() {
        let (a, mut b) = pair();
        let two = validate_merge(&form("fa", &ALL_A, &["a1", "b1"]), &a, &b).unwrap_err();
        assert_eq!(two.get("members"), Some(&FieldError::OneHead));
        let none = validate_merge(&form("fa", &ALL_A, &["a2", "b2"]), &a, &b).unwrap_err();
        assert_eq!(none.get("members"), Some(&FieldError::OneHead));
        // A head who died does not head the merged household.
        b.members[0].2 = Presence::Deceased;
        let plan = validate_merge(&form("fa", &ALL_A, &["a1", "b1", "a1"]), &a, &b).unwrap();
        assert_eq!(plan.keep, vec!["a1", "b1"]);
    }
}
