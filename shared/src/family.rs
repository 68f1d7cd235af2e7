//! Families (cases) and their members: the codes they use, and the validation of what a
//! caseworker types into the registration and edit forms, field by field.

use crate::calendar::{self, Calendar};
use crate::digits::to_western;
use crate::field_error::{optional_text, text, FieldError, FieldErrors};
use crate::names;
use crate::{location, Country};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

crate::code_enum! {
    /// How the family came back.
    pub enum ReturnType {
        VoluntaryAssisted = "voluntary_assisted",
        Deported = "deported",
        Spontaneous = "spontaneous",
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

/// Countries people commonly return from (ISO 3166-1 alpha-2), and "other".
pub const RETURNED_FROM: [&str; 18] = [
    "IR", "PK", "TR", "DE", "GR", "AT", "SE", "GB", "FR", "IT", "NL", "BE", "NO", "SY", "JO", "LB",
    "RU", "XX",
];

/// Case lists count matches up to this many: "more than a thousand" is as useful as the
/// exact number, and a search for a common name would otherwise count tens of thousands.
pub const COUNT_CAP: i64 = 1000;

/// The most people a family record may hold.
pub const MAX_MEMBERS: usize = 30;
/// Oldest plausible age, for estimated ages and dates of birth.
pub const MAX_AGE: i64 = 120;
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
    #[serde(default)]
    pub document_type: String,
    #[serde(default)]
    pub document_number: String,
}

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
    pub document: Option<(DocumentType, String)>,
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
    pub returned_from: String,
    pub return_type: ReturnType,
}

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
    let returned_from = errors.take(
        &household_key("returned_from"),
        choice(
            |s| {
                RETURNED_FROM
                    .iter()
                    .find(|c| **c == s.trim())
                    .map(|c| c.to_string())
            },
            &f.returned_from,
        ),
    );
    let return_type = errors.take(
        &household_key("return_type"),
        choice(ReturnType::parse, &f.return_type),
    );
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
    })
}

/// The form input name of a household field.
pub fn household_key(field: &str) -> String {
    format!("household[{field}]")
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
    let document = match (f.document_type.trim(), f.document_number.trim()) {
        ("", "") => Some(None),
        ("", _) => {
            errors.add(key("document_type"), FieldError::Required);
            None
        }
        (t, n) => {
            let kind = errors.take(
                &key("document_type"),
                DocumentType::parse(t).ok_or(FieldError::InvalidChoice),
            );
            let number = names::normalize_document_number(n);
            let number = errors.take(
                &key("document_number"),
                if number.is_empty() {
                    Err(FieldError::Required)
                } else if number.len() > 40 {
                    Err(FieldError::TooLong { max: 40 })
                } else {
                    Ok(number)
                },
            );
            kind.zip(number).map(Some)
        }
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
        document: document?,
    })
}

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
            validate_member(m, key, calendar, today, &mut errors)
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

/// What a duplicate check compares of a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonKey {
    pub name_local: Option<String>,
    pub name_latin: Option<String>,
    pub father_name: Option<String>,
    pub birth_year: Option<i32>,
    pub document_number: Option<String>,
}

impl PersonKey {
    pub fn of(m: &Member, recorded: NaiveDate) -> PersonKey {
        PersonKey {
            name_local: m.name_local.clone(),
            name_latin: m.name_latin.clone(),
            father_name: m.father_name.clone(),
            birth_year: Some(m.birth.year(recorded)),
            document_number: m.document.as_ref().map(|(_, n)| n.clone()),
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

/// Whether `existing` may be the same person as `new`: the same document number, or a similar
/// name (in either script) with the same father's name and a birth year within two years.
pub fn duplicate_reason(new: &PersonKey, existing: &PersonKey) -> Option<MatchReason> {
    if let (Some(a), Some(b)) = (&new.document_number, &existing.document_number) {
        if a == b {
            return Some(MatchReason::SameDocument);
        }
    }
    let similar_name = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => names::similar(a, b),
        _ => false,
    };
    let name = similar_name(&new.name_local, &existing.name_local)
        || similar_name(&new.name_latin, &existing.name_latin);
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

/// What the case-list search box was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchQuery {
    /// A case number (`AF-2026-000123`), or the number part of one (`123`).
    CaseNumber(String),
    /// Digits: a phone number or an identity document number.
    Digits(String),
    /// Words of a name, normalised.
    Name(Vec<String>),
}

/// The longest search text accepted, in characters, and the most words of a name searched:
/// each word is a lookup of its own, so a search of thousands of words would cost the
/// database more than any page is worth.
pub const MAX_QUERY_CHARS: u32 = 100;
pub const MAX_QUERY_WORDS: usize = 8;

/// Checks the length of a search before it is classified.
pub fn check_query(q: &str) -> Result<(), FieldError> {
    if q.chars().count() > MAX_QUERY_CHARS as usize {
        return Err(FieldError::TooLong {
            max: MAX_QUERY_CHARS,
        });
    }
    if q.split_whitespace().count() > MAX_QUERY_WORDS {
        return Err(FieldError::TooManyWords {
            max: MAX_QUERY_WORDS as u32,
        });
    }
    Ok(())
}

/// Classifies a search: case numbers, long runs of digits (phones, documents), or names.
pub fn classify_query(q: &str) -> Option<SearchQuery> {
    let western = to_western(q.trim());
    if western.is_empty() {
        return None;
    }
    let upper = western.to_ascii_uppercase();
    let parts: Vec<&str> = upper.split('-').collect();
    if parts.len() == 3
        && Country::parse(parts[0]).is_some()
        && parts[1].len() == 4
        && parts[1].chars().all(|c| c.is_ascii_digit())
        && parts[2].chars().all(|c| c.is_ascii_digit())
        && !parts[2].is_empty()
    {
        let n: u64 = parts[2].parse().ok()?;
        return Some(SearchQuery::CaseNumber(format!(
            "{}-{}-{n:06}",
            parts[0], parts[1]
        )));
    }
    let digits: String = western.chars().filter(|c| c.is_ascii_digit()).collect();
    let only_digits_and_separators = western
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '/' | '.'));
    // Up to six digits are the number part of a case number (000123); more are a phone or
    // document number.
    if only_digits_and_separators && digits.len() > 6 {
        return Some(SearchQuery::Digits(digits));
    }
    if only_digits_and_separators && !digits.is_empty() {
        return Some(SearchQuery::CaseNumber(
            digits.trim_start_matches('0').to_string(),
        ));
    }
    let words = names::tokens(&western);
    (!words.is_empty()).then_some(SearchQuery::Name(words))
}

/// The case number of the `n`th case of `country` registered in `year`: `AF-2026-000123`.
/// `n` is also stored alone (`case_seq`), so that searching `123` finds it without a scan.
pub fn case_number(country: Country, year: i32, n: i64) -> String {
    format!("{}-{year:04}-{n:06}", country.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_capped_in_length_and_words() {
        assert_eq!(check_query("Mohammad Karimi"), Ok(()));
        assert_eq!(
            check_query(&"a".repeat(101)),
            Err(FieldError::TooLong { max: 100 })
        );
        assert_eq!(
            check_query("a b c d e f g h i"),
            Err(FieldError::TooManyWords { max: 8 })
        );
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn household() -> HouseholdForm {
        HouseholdForm {
            province: "AF-KAB".into(),
            district: "District 5".into(),
            address: "Near the mosque".into(),
            phone: "0701 234 567".into(),
            return_date: "2026-10-01".into(),
            returned_from: "IR".into(),
            return_type: "deported".into(),
        }
    }

    fn head() -> MemberForm {
        MemberForm {
            name_local: "محمد احمدی".into(),
            name_latin: "Mohammad Ahmadi".into(),
            father_name: "Abdul Karim".into(),
            sex: "male".into(),
            age: "42".into(),
            relationship: "head".into(),
            document_type: "tazkira".into(),
            document_number: "۱۳۹۹-۰۱۰۱-۱۲۳۴۵".into(),
            ..Default::default()
        }
    }

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
            f.members[0].document,
            Some((DocumentType::Tazkira, "1399010112345".into()))
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

    #[test]
    fn a_document_number_needs_its_type() {
        let mut m = head();
        m.document_type = String::new();
        let mut e = FieldErrors::new();
        assert!(
            validate_member(&m, str::to_string, Calendar::Gregorian, today(), &mut e).is_none()
        );
        assert_eq!(e.get("document_type"), Some(&FieldError::Required));
    }

    #[test]
    fn duplicates_are_the_same_document_or_a_similar_person() {
        let base = PersonKey {
            name_local: Some("محمد احمدی".into()),
            name_latin: Some("Mohammad Ahmadi".into()),
            father_name: Some("Abdul Karim".into()),
            birth_year: Some(1984),
            document_number: Some("1399010112345".into()),
        };
        let variant = PersonKey {
            name_local: Some("محمد احمدي".into()),
            name_latin: None,
            father_name: Some("Abdulkarim".into()),
            birth_year: Some(1986),
            document_number: None,
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
            document_number: Some("1399010112345".into()),
        };
        assert_eq!(
            duplicate_reason(&same_doc, &base),
            Some(MatchReason::SameDocument)
        );
    }

    #[test]
    fn searches_are_classified() {
        assert_eq!(
            classify_query("af-2026-123"),
            Some(SearchQuery::CaseNumber("AF-2026-000123".into()))
        );
        assert_eq!(
            classify_query("۱۲۳"),
            Some(SearchQuery::CaseNumber("123".into()))
        );
        assert_eq!(
            classify_query("+93 70 123 4567"),
            Some(SearchQuery::Digits("93701234567".into()))
        );
        assert_eq!(
            classify_query("Mohammad  Ahmadi"),
            Some(SearchQuery::Name(vec!["mohammad".into(), "ahmadi".into()]))
        );
        assert_eq!(classify_query("  "), None);
        assert_eq!(case_number(Country::IQ, 2026, 45), "IQ-2026-000045");
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
