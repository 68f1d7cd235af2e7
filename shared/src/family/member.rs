//! One member of a family: the form, their age ([`Birth`]), and the validation of the form.

use super::{
    choice, past_date, DocumentType, Education, Presence, Relationship, Sex, SpecificNeed, MAX_AGE,
};
use crate::calendar::Calendar;
use crate::digits::to_western;
use crate::field_error::{optional_text, FieldError, FieldErrors};
use crate::names;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Age below which a person is a minor.
pub const ADULT_AGE: i64 = 18;

/// One member as typed into a form (every value is text, as a browser sends it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    pub name_local: String,
    #[serde(default)]
    pub name_latin: String,
    #[serde(default)]
    pub father_name: String,
    #[serde(default)]
    pub sex: String,
    /// Date of birth, in the calendar of the form.
    #[serde(default)]
    pub birth_date: String,
    /// Estimated age in years, when the date of birth is not known.
    #[serde(default)]
    pub age: String,
    #[serde(default)]
    pub relationship: String,
    #[serde(default)]
    pub education: String,
    #[serde(default)]
    pub occupation: String,
    #[serde(default)]
    pub skills: String,
    #[serde(default)]
    pub health: String,
    #[serde(default)]
    pub needs: Vec<String>,
    /// Identity document numbers by document type (`documents[tazkira]`); an empty number
    /// means the person does not hold that document.
    #[serde(default)]
    pub documents: BTreeMap<String, String>,
    /// Whether the member still lives with the family (empty: present).
    #[serde(default)]
    pub presence: String,
    /// The day a member left or died, in the calendar of the form.
    #[serde(default)]
    pub left_on: String,
}

/// How old someone is known to be: a date of birth, or an age estimated on a given day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Birth {
    Date(NaiveDate),
    /// Estimated age in years; the birth year is counted from the day it was recorded.
    EstimatedAge(i64),
}

impl Birth {
    /// The year of birth (exact, or estimated from the age on `recorded`).
    pub fn year(&self, recorded: NaiveDate) -> i32 {
        match self {
            Birth::Date(d) => d.year(),
            Birth::EstimatedAge(age) => recorded.year() - *age as i32,
        }
    }

    /// Age in whole years on `today`.
    pub fn age_on(&self, today: NaiveDate, recorded: NaiveDate) -> i64 {
        match self {
            Birth::Date(d) => {
                let mut age = i64::from(today.year() - d.year());
                if (today.month(), today.day()) < (d.month(), d.day()) {
                    age -= 1;
                }
                age.max(0)
            }
            Birth::EstimatedAge(age) => age + i64::from(today.year() - recorded.year()),
        }
    }
}

/// A validated member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub name_local: Option<String>,
    pub name_latin: Option<String>,
    pub father_name: Option<String>,
    pub sex: Sex,
    pub birth: Birth,
    pub relationship: Relationship,
    pub education: Education,
    pub occupation: Option<String>,
    pub skills: Option<String>,
    pub health: Option<String>,
    pub needs: Vec<SpecificNeed>,
    /// At most one number per document type, in the order of the types.
    pub documents: Vec<(DocumentType, String)>,
    pub presence: Presence,
    /// The day a member who is no longer present left or died.
    pub left_on: Option<NaiveDate>,
}

impl Member {
    /// The name to show: in the local script where there is one.
    pub fn display_name(&self) -> &str {
        self.name_local
            .as_deref()
            .or(self.name_latin.as_deref())
            .unwrap_or_default()
    }
}

/// Validates one member; errors are recorded under `key(field)`, the name of the form's input
/// (`members[0][name_local]` on the registration form, `name_local` on the member form).
pub fn validate_member(
    f: &MemberForm,
    key: impl Fn(&str) -> String,
    calendar: Calendar,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> Option<Member> {
    let before = errors.0.len();
    let name_local = errors.take(&key("name_local"), optional_text(&f.name_local, 100));
    let name_latin = errors.take(&key("name_latin"), optional_text(&f.name_latin, 100));
    if matches!((&name_local, &name_latin), (Some(None), Some(None))) {
        errors.add(key("name_local"), FieldError::Required);
    }
    let father_name = errors.take(&key("father_name"), optional_text(&f.father_name, 100));
    let sex = errors.take(&key("sex"), choice(Sex::parse, &f.sex));
    let birth = match (f.birth_date.trim(), f.age.trim()) {
        ("", "") => {
            errors.add(key("birth_date"), FieldError::Required);
            None
        }
        ("", age) => errors.take(
            &key("age"),
            to_western(age)
                .parse::<i64>()
                .map_err(|_| FieldError::NotANumber)
                .and_then(|a| {
                    if (0..=MAX_AGE).contains(&a) {
                        Ok(Birth::EstimatedAge(a))
                    } else {
                        Err(FieldError::OutOfRange {
                            min: 0,
                            max: MAX_AGE,
                        })
                    }
                }),
        ),
        (date, _) => errors.take(
            &key("birth_date"),
            past_date(date, calendar, today).map(Birth::Date),
        ),
    };
    let relationship = errors.take(
        &key("relationship"),
        choice(Relationship::parse, &f.relationship),
    );
    let education = match f.education.trim() {
        "" => Some(Education::Unknown),
        e => errors.take(
            &key("education"),
            Education::parse(e).ok_or(FieldError::InvalidChoice),
        ),
    };
    let occupation = errors.take(&key("occupation"), optional_text(&f.occupation, 100));
    let skills = errors.take(&key("skills"), optional_text(&f.skills, 300));
    let health = errors.take(&key("health"), optional_text(&f.health, 500));
    let mut needs = Vec::new();
    for n in &f.needs {
        match SpecificNeed::parse(n) {
            Some(n) if !needs.contains(&n) => needs.push(n),
            Some(_) => {}
            None => errors.add(key("needs"), FieldError::InvalidChoice),
        }
    }
    if let Some(b) = &birth {
        if needs.contains(&SpecificNeed::UnaccompaniedMinor) && b.age_on(today, today) >= ADULT_AGE
        {
            errors.add(
                key("needs"),
                FieldError::OutOfRange {
                    min: 0,
                    max: ADULT_AGE - 1,
                },
            );
        }
    }
    let mut documents = Vec::new();
    for (kind, number) in &f.documents {
        let field = key(&format!("documents][{kind}"));
        let number = names::normalize_document_number(number);
        match DocumentType::parse(kind) {
            _ if number.is_empty() => {}
            None => errors.add(field, FieldError::InvalidChoice),
            Some(_) if number.len() > 40 => errors.add(field, FieldError::TooLong { max: 40 }),
            Some(kind) => documents.push((kind, number)),
        }
    }
    documents.sort();
    let presence = match f.presence.trim() {
        "" => Some(Presence::Present),
        p => errors.take(
            &key("presence"),
            Presence::parse(p).ok_or(FieldError::InvalidChoice),
        ),
    };
    let left_on = match presence {
        Some(Presence::Present) | None => Some(None),
        Some(_) => errors
            .take(&key("left_on"), past_date(&f.left_on, calendar, today))
            .and_then(|d| {
                // Nobody leaves or dies before they are born.
                match &birth {
                    Some(Birth::Date(born)) if d < *born => {
                        errors.add(key("left_on"), FieldError::InvalidDate);
                        None
                    }
                    _ => Some(Some(d)),
                }
            }),
    };
    if errors.0.len() > before {
        return None;
    }
    Some(Member {
        name_local: name_local?,
        name_latin: name_latin?,
        father_name: father_name?,
        sex: sex?,
        birth: birth?,
        relationship: relationship?,
        education: education?,
        occupation: occupation?,
        skills: skills?,
        health: health?,
        needs,
        documents,
        presence: presence?,
        left_on: left_on?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::fixtures::{head, today};

    #[test]
    fn an_unaccompanied_minor_must_be_a_minor() {
        let mut m = head();
        m.needs = vec!["unaccompanied_minor".into()];
        let mut e = FieldErrors::new();
        assert!(
            validate_member(&m, str::to_string, Calendar::Gregorian, today(), &mut e).is_none()
        );
        assert_eq!(
            e.get("needs"),
            Some(&FieldError::OutOfRange { min: 0, max: 17 })
        );
    }

    fn member_key(f: &str) -> String {
        format!("member[{f}]")
    }

    #[test]
    fn a_person_holds_several_documents_one_number_each() {
        let mut m = head();
        m.documents.insert("passport".into(), " p 123-456 ".into());
        m.documents.insert("por_card".into(), String::new());
        let mut e = FieldErrors::new();
        let v = validate_member(&m, member_key, Calendar::Gregorian, today(), &mut e).unwrap();
        assert_eq!(
            v.documents,
            vec![
                (DocumentType::Tazkira, "1399010112345".into()),
                (DocumentType::Passport, "P123456".into()),
            ]
        );
        m.documents.insert("driving_licence".into(), "123".into());
        m.documents.insert("passport".into(), "9".repeat(41));
        assert!(validate_member(&m, member_key, Calendar::Gregorian, today(), &mut e).is_none());
        assert_eq!(
            e.get("member[documents][driving_licence]"),
            Some(&FieldError::InvalidChoice)
        );
        assert_eq!(
            e.get("member[documents][passport]"),
            Some(&FieldError::TooLong { max: 40 })
        );
    }

    #[test]
    fn a_member_who_left_or_died_has_a_date_not_before_their_birth() {
        let mut m = head();
        m.presence = "deceased".into();
        let mut e = FieldErrors::new();
        assert!(validate_member(&m, member_key, Calendar::Gregorian, today(), &mut e).is_none());
        assert_eq!(e.get("member[left_on]"), Some(&FieldError::Required));

        m.age = String::new();
        m.birth_date = "2000-05-01".into();
        m.left_on = "1999-01-01".into();
        let mut e = FieldErrors::new();
        assert!(validate_member(&m, member_key, Calendar::Gregorian, today(), &mut e).is_none());
        assert_eq!(e.get("member[left_on]"), Some(&FieldError::InvalidDate));

        m.left_on = "2026-11-20".into();
        let v = validate_member(&m, member_key, Calendar::Gregorian, today(), &mut e).unwrap();
        assert_eq!(v.presence, Presence::Deceased);
        assert_eq!(v.left_on, NaiveDate::from_ymd_opt(2026, 11, 20));

        // A date typed for someone present is not kept.
        m.presence = String::new();
        let v = validate_member(&m, member_key, Calendar::Gregorian, today(), &mut e).unwrap();
        assert_eq!((v.presence, v.left_on), (Presence::Present, None));

        m.presence = "emigrated".into();
        assert!(validate_member(&m, member_key, Calendar::Gregorian, today(), &mut e).is_none());
        assert_eq!(e.get("member[presence]"), Some(&FieldError::InvalidChoice));
    }

    #[test]
    fn ages_count_from_the_date_of_birth_or_the_estimate() {
        let d = Birth::Date(NaiveDate::from_ymd_opt(2008, 12, 1).unwrap());
        assert_eq!(d.age_on(today(), today()), 17);
        assert_eq!(d.year(today()), 2008);
        let e = Birth::EstimatedAge(40);
        assert_eq!(e.year(NaiveDate::from_ymd_opt(2020, 5, 1).unwrap()), 1980);
        assert_eq!(
            e.age_on(today(), NaiveDate::from_ymd_opt(2020, 5, 1).unwrap()),
            46
        );
    }
}
