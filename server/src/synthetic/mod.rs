//! Realistic synthetic families for benchmarks and demos: both countries, names in both
//! scripts (with the spelling variants real data has), households of one to nine people,
//! documents, phones, specific needs, statuses and what happened to them since. Deterministic
//! for a given seed. The rows go in through `app::backend::store::bulk`.

mod history;
mod households;
mod names;

use app::backend::db::Db;
use app::backend::store::{bulk, bulk::GeneratedFamily, organisations};
use chrono::{DateTime, Datelike, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use shared::{names as name_rules, Country};
use std::collections::HashMap;

/// What to generate.
pub struct Plan {
    pub families: usize,
    pub seed: u64,
    /// Only these provinces (location keys), each assigned to the given caseworker; `None`
    /// spreads families over every province of both countries, unassigned.
    pub areas: Option<Vec<(String, Option<String>)>>,
    /// The user recorded as registering them.
    pub created_by: Option<String>,
    /// The statuses to draw from (repeats weight them).
    pub statuses: &'static [&'static str],
}

/// Status mix of a caseload some years into a programme.
pub const MIXED_STATUSES: &[&str] = &[
    "registered",
    "registered",
    "assessed",
    "in_progress",
    "in_progress",
    "closed",
];

/// Who the history is recorded by, per country: a ministry account and partner organisations.
pub(crate) struct Actors {
    author: String,
    pub(crate) partners: Vec<String>,
}

pub(crate) fn pick<T: Copy>(rng: &mut StdRng, list: &[T]) -> T {
    list[rng.gen_range(0..list.len())]
}

/// The account that records the history of each country's families (the plan's registering
/// user, else the first ministry account, else an inactive one made for the purpose) and the
/// partner organisations referrals go to (those of the country, else three made for it).
async fn actors(
    db: &Db,
    plan: &Plan,
    now: DateTime<Utc>,
) -> Result<HashMap<Country, Actors>, sqlx::Error> {
    let mut out = HashMap::new();
    for country in Country::ALL {
        let mut conn = db.pool.acquire().await?;
        let ministry = organisations::ministry_of(&mut conn, country)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        drop(conn);
        let author = match (
            plan.created_by.clone(),
            bulk::first_user_of(db, &ministry).await?,
        ) {
            (Some(u), _) | (None, Some(u)) => u,
            (None, None) => bulk::insert_placeholder_author(db, &ministry, country, now).await?,
        };
        let mut partners = bulk::partners_of(db, country).await?;
        for n in partners.len() + 1..=3 {
            partners.push(bulk::insert_generated_partner(db, country, n, now).await?);
        }
        out.insert(country, Actors { author, partners });
    }
    Ok(out)
}

/// Generates and inserts `plan.families` families. Answers how many people were created.
pub async fn generate(db: &Db, plan: &Plan, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let today = now.date_naive();
    let all: Vec<(String, Option<String>)> = match &plan.areas {
        Some(a) => a.clone(),
        None => shared::location::all()
            .iter()
            .map(|l| (l.key.clone(), None))
            .collect(),
    };
    let mut next_number: std::collections::BTreeMap<(Country, i32), i64> = Default::default();
    for country in Country::ALL {
        for year in (today.year() - 3)..=today.year() {
            let last = bulk::last_case_number(db, country, year).await?;
            next_number.insert((country, year), last);
        }
    }
    let actors = actors(db, plan, now).await?;
    let authors: HashMap<Country, String> =
        actors.iter().map(|(c, a)| (*c, a.author.clone())).collect();
    let mut people = 0;
    let mut done = 0;
    while done < plan.families {
        let batch = (plan.families - done).min(400);
        let mut families = Vec::with_capacity(batch);
        for _ in 0..batch {
            let (province, assigned_to) = all[rng.gen_range(0..all.len())].clone();
            let country = shared::location::by_key(&province)
                .map(|l| l.country)
                .unwrap_or(Country::AF);
            let created = now - Duration::minutes(rng.gen_range(0..(3 * 365 * 24 * 60)));
            let year = created.year();
            let n = next_number.entry((country, year)).or_insert(0);
            *n += 1;
            let return_date = created.date_naive() - Duration::days(rng.gen_range(0..120));
            let phone = rng.gen_bool(0.8).then(|| match country {
                Country::AF => format!("07{:08}", rng.gen_range(0..100_000_000u64)),
                Country::IQ => format!("077{:08}", rng.gen_range(0..100_000_000u64)),
            });
            let members = households::household(&mut rng, country, created.date_naive());
            people += members.len();
            let status = pick(&mut rng, plan.statuses);
            let history = history::history(
                &mut rng,
                status,
                created,
                return_date,
                now,
                &actors[&country],
            );
            families.push(GeneratedFamily {
                id: uuid::Uuid::new_v4().to_string(),
                case_number: shared::family::case_number(country, year, *n),
                case_seq: *n,
                country,
                district: format!("District {}", rng.gen_range(1..16)),
                phone_international: phone
                    .as_deref()
                    .and_then(|p| name_rules::international_phone(p, country)),
                phone,
                province,
                assigned_to,
                return_date,
                returned_from: match country {
                    Country::AF => pick(
                        &mut rng,
                        &["IR", "IR", "IR", "PK", "PK", "TR", "DE", "GR", "AT", "SE"],
                    ),
                    Country::IQ => pick(
                        &mut rng,
                        &["TR", "DE", "SY", "JO", "LB", "GB", "SE", "NL", "BE", "XX"],
                    ),
                },
                return_type: pick(&mut rng, &["voluntary_assisted", "deported", "spontaneous"]),
                status,
                sharing: rng.gen_bool(0.9),
                created,
                members,
                history,
            });
        }
        bulk::insert_families(db, &families, plan.created_by.as_deref(), &authors).await?;
        done += batch;
    }
    bulk::set_last_case_numbers(db, &next_number).await?;
    bulk::analyze(db).await?;
    Ok(people)
}
