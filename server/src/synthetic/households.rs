//! Generated households: a head, a spouse, children and sometimes an older relative, with
//! ages, documents, education and specific needs as a caseload has them.

use super::names::*;
use super::pick;
use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::Rng;
use shared::family::{
    Birth, DocumentType, Education, Member, Presence, Relationship, Sex, SpecificNeed,
};
use shared::Country;

/// What every member of one household shares.
#[derive(Clone, Copy)]
struct Household {
    country: Country,
    family: Name,
    today: NaiveDate,
}

fn person(
    rng: &mut StdRng,
    home: &Household,
    sex: Sex,
    father: Name,
    age: i64,
    relationship: Relationship,
) -> Member {
    let Household {
        country,
        family,
        today,
    } = *home;
    let given = match (country, sex) {
        (Country::AF, Sex::Male) => pick(rng, &AF_MEN),
        (Country::AF, Sex::Female) => pick(rng, &AF_WOMEN),
        (Country::IQ, Sex::Male) => pick(rng, &IQ_MEN),
        (Country::IQ, Sex::Female) => pick(rng, &IQ_WOMEN),
    };
    let (local, latin) = variant(
        rng,
        &format!("{} {}", given.0, family.0),
        &format!("{} {}", given.1, family.1),
    );
    let birth = if rng.gen_bool(0.4) {
        let d = today - Duration::days(age * 365 + rng.gen_range(0..365));
        Birth::Date(d)
    } else {
        Birth::EstimatedAge(age)
    };
    let mut needs = Vec::new();
    if age >= 60 && rng.gen_bool(0.6) {
        needs.push(SpecificNeed::OlderPerson);
    }
    if rng.gen_bool(0.05) {
        needs.push(SpecificNeed::Disability);
    }
    if rng.gen_bool(0.06) {
        needs.push(SpecificNeed::ChronicIllness);
    }
    if rng.gen_bool(0.004) {
        needs.push(SpecificNeed::TraffickingSurvivor);
    }
    let document = (age >= 16 && rng.gen_bool(0.7)).then(|| {
        let kind = match country {
            Country::AF => DocumentType::Tazkira,
            Country::IQ => DocumentType::NationalId,
        };
        (
            kind,
            format!(
                "{}{:09}",
                1390 + rng.gen_range(0..15),
                rng.gen_range(0..1_000_000_000u64)
            ),
        )
    });
    Member {
        name_local: Some(local),
        name_latin: Some(latin).filter(|_| rng.gen_bool(0.85)),
        father_name: Some(format!("{} {}", father.0, family.0)),
        sex,
        birth,
        relationship,
        education: pick(rng, Education::ALL),
        occupation: None,
        skills: None,
        health: None,
        needs,
        documents: document.into_iter().collect(),
        presence: Presence::Present,
        left_on: None,
    }
}

pub fn household(rng: &mut StdRng, country: Country, today: NaiveDate) -> Vec<Member> {
    let family = match country {
        Country::AF => pick(rng, &AF_FAMILY),
        Country::IQ => pick(rng, &IQ_FAMILY),
    };
    let men = match country {
        Country::AF => &AF_MEN[..],
        Country::IQ => &IQ_MEN[..],
    };
    let grandfather = pick(rng, men);
    let single = rng.gen_bool(0.18);
    let female_head = !single && rng.gen_bool(0.12);
    let head_sex = if female_head || (single && rng.gen_bool(0.2)) {
        Sex::Female
    } else {
        Sex::Male
    };
    let head_age = if single && rng.gen_bool(0.15) {
        rng.gen_range(14..18)
    } else {
        rng.gen_range(19..75)
    };
    let home = Household {
        country,
        family,
        today,
    };
    let mut head = person(
        rng,
        &home,
        head_sex,
        grandfather,
        head_age,
        Relationship::Head,
    );
    if single && head_age < 18 {
        head.needs.push(SpecificNeed::UnaccompaniedMinor);
    }
    if female_head {
        head.needs.push(SpecificNeed::FemaleHeadedHousehold);
    }
    let head_given = (
        head.name_local
            .clone()
            .unwrap_or_default()
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_string(),
        head.name_latin
            .clone()
            .unwrap_or_default()
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_string(),
    );
    let mut members = vec![head];
    if single {
        return members;
    }
    if !female_head {
        let spouse_age = (head_age - rng.gen_range(0..8)).max(18);
        let in_laws = pick(rng, men);
        members.push(person(
            rng,
            &home,
            Sex::Female,
            in_laws,
            spouse_age,
            Relationship::Spouse,
        ));
    }
    let children = rng.gen_range(0..7);
    let father: Name = (leak(head_given.0), leak(head_given.1));
    for _ in 0..children {
        let sex = if rng.gen_bool(0.5) {
            Sex::Male
        } else {
            Sex::Female
        };
        let rel = if sex == Sex::Male {
            Relationship::Son
        } else {
            Relationship::Daughter
        };
        let age = rng.gen_range(0..(head_age - 17).clamp(1, 25));
        members.push(person(rng, &home, sex, father, age, rel));
    }
    members
}

/// A name made at run time, kept for the rest of the run: names of heads become fathers'
/// names of children (a few thousand distinct strings).
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}
