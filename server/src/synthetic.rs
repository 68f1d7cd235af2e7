//! Realistic synthetic families for benchmarks and demos: both countries, names in both
//! scripts (with the spelling variants real data has), households of one to nine people,
//! documents, phones, specific needs and statuses. Deterministic for a given seed.
//!
//! Rows are inserted in batches of multi-row statements: 100,000 families (about half a
//! million people) take minutes, not hours. The search index is filled with the same words
//! registration writes (`search_tokens`).

use app::backend::clock::timestamp;
use app::backend::db::Db;
use app::backend::store::families::{birth_columns, search_tokens};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use shared::family::{Birth, DocumentType, Education, Member, Relationship, Sex, SpecificNeed};
use shared::service::ServiceCategory;
use shared::{names, Country};
use sqlx::AssertSqlSafe;

/// (local script, Latin letters)
type Name = (&'static str, &'static str);

const AF_MEN: [Name; 24] = [
    ("محمد", "Mohammad"),
    ("احمد", "Ahmad"),
    ("علی", "Ali"),
    ("عبدالله", "Abdullah"),
    ("حمید", "Hamid"),
    ("کریم", "Karim"),
    ("نبی", "Nabi"),
    ("رحیم", "Rahim"),
    ("جاوید", "Jawid"),
    ("فرید", "Farid"),
    ("نوید", "Navid"),
    ("شفیق", "Shafiq"),
    ("ذبیح الله", "Zabihullah"),
    ("نجیب", "Najib"),
    ("بشیر", "Bashir"),
    ("قادر", "Qader"),
    ("ولی", "Wali"),
    ("سلیم", "Salim"),
    ("یوسف", "Yousuf"),
    ("امین", "Amin"),
    ("غلام سخی", "Ghulam Sakhi"),
    ("عبدالکریم", "Abdul Karim"),
    ("نورالله", "Noorullah"),
    ("داود", "Dawood"),
];
const AF_WOMEN: [Name; 18] = [
    ("فاطمه", "Fatima"),
    ("مریم", "Maryam"),
    ("زهرا", "Zahra"),
    ("گل بی بی", "Gul Bibi"),
    ("شکیلا", "Shakila"),
    ("نسرین", "Nasrin"),
    ("پروین", "Parwin"),
    ("ملالی", "Malalai"),
    ("زرغونه", "Zarghona"),
    ("فریبا", "Fariba"),
    ("لیلا", "Laila"),
    ("سیما", "Sima"),
    ("حلیمه", "Halima"),
    ("نادیه", "Nadia"),
    ("رقیه", "Roqia"),
    ("شبنم", "Shabnam"),
    ("مینا", "Mina"),
    ("هما", "Homa"),
];
const AF_FAMILY: [Name; 18] = [
    ("احمدی", "Ahmadi"),
    ("کریمی", "Karimi"),
    ("رحیمی", "Rahimi"),
    ("حیدری", "Haidari"),
    ("نوری", "Noori"),
    ("صدیقی", "Sediqi"),
    ("امیری", "Amiri"),
    ("محمدی", "Mohammadi"),
    ("عزیزی", "Azizi"),
    ("یوسفزی", "Yousufzai"),
    ("پوپلزی", "Popalzai"),
    ("هاشمی", "Hashimi"),
    ("سلطانی", "Sultani"),
    ("وردک", "Wardak"),
    ("نظری", "Nazari"),
    ("قریشی", "Qureshi"),
    ("صافی", "Safi"),
    ("مومند", "Momand"),
];
const IQ_MEN: [Name; 20] = [
    ("علي", "Ali"),
    ("حسن", "Hassan"),
    ("حسين", "Hussein"),
    ("محمد", "Mohammed"),
    ("أحمد", "Ahmed"),
    ("عمر", "Omar"),
    ("مصطفى", "Mustafa"),
    ("كريم", "Karim"),
    ("عباس", "Abbas"),
    ("جاسم", "Jasim"),
    ("حيدر", "Haider"),
    ("يوسف", "Yousif"),
    ("إبراهيم", "Ibrahim"),
    ("سالم", "Salim"),
    ("خالد", "Khalid"),
    ("رائد", "Raed"),
    ("زيد", "Zaid"),
    ("مهدي", "Mahdi"),
    ("قاسم", "Qasim"),
    ("ياسر", "Yasir"),
];
const IQ_WOMEN: [Name; 15] = [
    ("زينب", "Zainab"),
    ("فاطمة", "Fatima"),
    ("مريم", "Maryam"),
    ("نور", "Noor"),
    ("سارة", "Sara"),
    ("هدى", "Huda"),
    ("رنا", "Rana"),
    ("سجى", "Saja"),
    ("آية", "Aya"),
    ("دعاء", "Duaa"),
    ("رقية", "Ruqaya"),
    ("شيماء", "Shaimaa"),
    ("إيمان", "Iman"),
    ("حنان", "Hanan"),
    ("ليلى", "Layla"),
];
const IQ_FAMILY: [Name; 15] = [
    ("الجبوري", "Al-Jubouri"),
    ("العبيدي", "Al-Obaidi"),
    ("الدليمي", "Al-Dulaimi"),
    ("التميمي", "Al-Tamimi"),
    ("الزبيدي", "Al-Zubaidi"),
    ("الربيعي", "Al-Rubaie"),
    ("الساعدي", "Al-Saadi"),
    ("الخفاجي", "Al-Khafaji"),
    ("الشمري", "Al-Shammari"),
    ("الموسوي", "Al-Mousawi"),
    ("الحسيني", "Al-Husseini"),
    ("الكعبي", "Al-Kaabi"),
    ("العزاوي", "Al-Azzawi"),
    ("البياتي", "Al-Bayati"),
    ("الطائي", "Al-Taie"),
];

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

struct Family {
    id: String,
    case_number: String,
    case_seq: i64,
    country: Country,
    province: String,
    assigned_to: Option<String>,
    district: String,
    phone: Option<String>,
    phone_international: Option<String>,
    return_date: NaiveDate,
    returned_from: &'static str,
    return_type: &'static str,
    status: &'static str,
    sharing: bool,
    created: DateTime<Utc>,
    members: Vec<Member>,
    history: History,
}

/// What happened to a family after registration, by its status: assessments, the follow-up
/// schedule (past visits done, missed or overdue), referrals and their answers, closure.
#[derive(Default)]
struct History {
    /// (date, economic, social, psychosocial)
    assessments: Vec<(NaiveDate, f64, f64, f64)>,
    /// (due, status, done on)
    follow_ups: Vec<(NaiveDate, &'static str, Option<NaiveDate>)>,
    referrals: Vec<Referral>,
    /// (reason, decided at)
    closure: Option<(&'static str, DateTime<Utc>)>,
    last_contact: Option<NaiveDate>,
}

/// (organisation, service, status, sent, answered)
type Referral = (
    String,
    &'static str,
    &'static str,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

/// Who the history is recorded by, per country: a ministry account and partner organisations.
struct Actors {
    author: String,
    partners: Vec<String>,
}

fn pick<T: Copy>(rng: &mut StdRng, list: &[T]) -> T {
    list[rng.gen_range(0..list.len())]
}

/// A name as a clerk might type it: sometimes with Arabic-keyboard letters or a variant
/// transliteration, as real records have.
fn variant(rng: &mut StdRng, local: &str, latin: &str) -> (String, String) {
    let mut local = local.to_string();
    let mut latin = latin.to_string();
    if rng.gen_bool(0.15) {
        local = local.replace('ی', "ي").replace('ک', "ك");
    }
    if rng.gen_bool(0.15) {
        latin = latin
            .replace("Mohammad", "Muhammad")
            .replace("ou", "u")
            .replace("Ah", "Ahm");
    }
    (local, latin)
}

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
        document,
    }
}

fn household(rng: &mut StdRng, country: Country, today: NaiveDate) -> Vec<Member> {
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

/// Names of heads become fathers' names of children; a few thousand distinct strings.
/// The history of a family of `status`, registered at `created`, as of `now`.
fn history(
    rng: &mut StdRng,
    status: &str,
    created: DateTime<Utc>,
    return_date: NaiveDate,
    now: DateTime<Utc>,
    actors: &Actors,
) -> History {
    let mut h = History::default();
    let today = now.date_naive();
    if status == "registered" {
        return h;
    }
    // Scores start low and improve with time since return, with noise.
    let score = |rng: &mut StdRng, months: f64| {
        (0.35 + months * 0.015 + rng.gen_range(-0.15..0.15)).clamp(0.0, 1.0)
    };
    let first = (created + Duration::days(rng.gen_range(0..45)))
        .date_naive()
        .min(today);
    let mut on = first;
    for _ in 0..rng.gen_range(1..=3) {
        if on > today {
            break;
        }
        let months = (on - return_date).num_days() as f64 / 30.4;
        h.assessments.push((
            on,
            score(rng, months),
            score(rng, months),
            score(rng, months),
        ));
        on += Duration::days(rng.gen_range(90..200));
    }
    for months in [1, 3, 6, 12] {
        let due = return_date + Duration::days(months * 30) + Duration::days(rng.gen_range(0..5));
        let (status, done_on) = if due >= today || status == "closed" && rng.gen_bool(0.3) {
            if due >= today {
                ("scheduled", None)
            } else {
                ("cancelled", None)
            }
        } else {
            match rng.gen_range(0..10) {
                0..=5 => ("done", Some(due - Duration::days(rng.gen_range(0..3)))),
                6 | 7 => (
                    "done",
                    Some((due + Duration::days(rng.gen_range(1..20))).min(today)),
                ),
                8 => ("missed", None),
                _ => ("scheduled", None),
            }
        };
        if let Some(d) = done_on {
            h.last_contact = h.last_contact.max(Some(d));
        }
        h.follow_ups.push((due, status, done_on));
    }
    if status == "in_progress" || status == "closed" {
        for _ in 0..rng.gen_range(1..=2) {
            let sent = first.and_hms_opt(10, 0, 0).unwrap().and_utc()
                + Duration::days(rng.gen_range(1..20));
            if sent > now {
                break;
            }
            let org = actors.partners[rng.gen_range(0..actors.partners.len())].clone();
            let service = pick(rng, ServiceCategory::ALL).as_str();
            let answered = (sent + Duration::hours(rng.gen_range(2..(10 * 24)))).min(now);
            let (status, answered) = match rng.gen_range(0..20) {
                0..=7 => ("completed", Some(answered)),
                8..=13 => ("accepted", Some(answered)),
                14..=16 => ("declined", Some(answered)),
                _ => ("sent", None),
            };
            h.referrals.push((org, service, status, sent, answered));
        }
    }
    if status == "closed" {
        let decided = (created + Duration::days(rng.gen_range(150..400))).min(now);
        let reason = pick(
            rng,
            &[
                "reintegrated",
                "reintegrated",
                "reintegrated",
                "re_migrated",
                "moved_away",
                "lost_contact",
                "declined_services",
            ],
        );
        h.closure = Some((reason, decided));
    }
    h
}

/// The account that records the history of each country's families (the plan's registering
/// user, else the first ministry account, else an inactive one made for the purpose) and the
/// partner organisations referrals go to (those of the country, else three made for it).
async fn actors(
    db: &Db,
    plan: &Plan,
    now: DateTime<Utc>,
) -> Result<std::collections::HashMap<Country, Actors>, sqlx::Error> {
    let mut out = std::collections::HashMap::new();
    let now = timestamp(now);
    for country in Country::ALL {
        let ministry: String = sqlx::query_scalar(
            "SELECT organisation_id FROM organisation WHERE kind = 'ministry' AND country = $1
             ORDER BY code LIMIT 1",
        )
        .bind(country.code())
        .fetch_one(&db.pool)
        .await?;
        let existing: Option<String> = sqlx::query_scalar(
            "SELECT u.user_id FROM app_user u WHERE u.organisation_id = $1
             ORDER BY u.email LIMIT 1",
        )
        .bind(&ministry)
        .fetch_optional(&db.pool)
        .await?;
        let author = match (plan.created_by.clone(), existing) {
            (Some(u), _) | (None, Some(u)) => u,
            (None, None) => {
                let id = uuid::Uuid::new_v4().to_string();
                sqlx::query(
                    "INSERT INTO app_user (user_id, email, display_name, role, organisation_id,
                         password_hash, active, created_at, updated_at)
                     VALUES ($1, $2, $3, 'caseworker', $4, '!', 0, $5, $5)",
                )
                .bind(&id)
                .bind(format!(
                    "generated.{}@synthetic.invalid",
                    country.code().to_lowercase()
                ))
                .bind("Generated data")
                .bind(&ministry)
                .bind(&now)
                .execute(&db.pool)
                .await?;
                id
            }
        };
        let mut partners: Vec<String> = sqlx::query_scalar(
            "SELECT organisation_id FROM organisation WHERE kind = 'partner' AND country = $1",
        )
        .bind(country.code())
        .fetch_all(&db.pool)
        .await?;
        for i in partners.len()..3 {
            let id = uuid::Uuid::new_v4().to_string();
            sqlx::query(
                "INSERT INTO organisation (organisation_id, code, name, kind, country, created_at, updated_at)
                 VALUES ($1, $2, $3, 'partner', $4, $5, $5)",
            )
            .bind(&id)
            .bind(format!("generated-{}-{}", country.code().to_lowercase(), i + 1))
            .bind(format!("Partner {} ({})", i + 1, country.code()))
            .bind(country.code())
            .bind(&now)
            .execute(&db.pool)
            .await?;
            partners.push(id);
        }
        out.insert(country, Actors { author, partners });
    }
    Ok(out)
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
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
            let last: Option<i64> = sqlx::query_scalar(
                "SELECT last_value FROM case_number_counter WHERE country = $1 AND year = $2",
            )
            .bind(country.code())
            .bind(i64::from(year))
            .fetch_optional(&db.pool)
            .await?;
            next_number.insert((country, year), last.unwrap_or(0));
        }
    }
    let actors = actors(db, plan, now).await?;
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
            let members = household(&mut rng, country, created.date_naive());
            people += members.len();
            let status = pick(&mut rng, plan.statuses);
            let history = history(
                &mut rng,
                status,
                created,
                return_date,
                now,
                &actors[&country],
            );
            families.push(Family {
                id: uuid::Uuid::new_v4().to_string(),
                case_number: shared::family::case_number(country, year, *n),
                case_seq: *n,
                country,
                district: format!("District {}", rng.gen_range(1..16)),
                phone_international: phone
                    .as_deref()
                    .and_then(|p| names::international_phone(p, country)),
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
        insert_batch(db, &families, plan.created_by.as_deref(), &actors).await?;
        done += batch;
    }
    let mut tx = db.begin().await?;
    for ((country, year), last) in next_number {
        if last == 0 {
            continue;
        }
        sqlx::query(
            "INSERT INTO case_number_counter (country, year, last_value) VALUES ($1, $2, $3)
             ON CONFLICT (country, year) DO UPDATE SET last_value = excluded.last_value",
        )
        .bind(country.code())
        .bind(i64::from(year))
        .bind(last)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    // Fresh statistics, so the query planners know how selective the indexes are (and on
    // PostgreSQL a visibility map, so indexes can answer without visiting the table).
    let analyze = match db.backend {
        app::backend::db::Backend::Sqlite => "ANALYZE",
        app::backend::db::Backend::Postgres => "VACUUM (ANALYZE)",
    };
    sqlx::query(analyze).execute(&db.pool).await?;
    Ok(people)
}

/// Multi-row INSERTs of one table, in chunks under both databases' parameter limits.
async fn insert_rows(
    tx: &mut sqlx::AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<(), sqlx::Error> {
    // A few hundred rows per statement: bigger statements only cost SQLite more to parse.
    let per_chunk = (3_000 / columns.len()).max(1);
    for chunk in rows.chunks(per_chunk) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..columns.len() {
                if c > 0 {
                    sql.push_str(", ");
                }
                n += 1;
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for row in chunk {
            for v in row {
                q = match v {
                    Value::Text(s) => q.bind(s.clone()),
                    Value::OptText(s) => q.bind(s.clone()),
                    Value::Int(i) => q.bind(*i),
                    Value::OptInt(i) => q.bind(*i),
                    Value::Real(r) => q.bind(*r),
                };
            }
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

enum Value {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
    Real(f64),
}

fn t(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

async fn insert_batch(
    db: &Db,
    families: &[Family],
    created_by: Option<&str>,
    actors: &std::collections::HashMap<Country, Actors>,
) -> Result<(), sqlx::Error> {
    let mut assessment_rows = Vec::new();
    let mut follow_up_rows = Vec::new();
    let mut referral_rows = Vec::new();
    let mut closure_rows = Vec::new();
    let mut family_rows = Vec::new();
    let mut member_rows = Vec::new();
    let mut need_rows = Vec::new();
    let mut doc_rows = Vec::new();
    let mut token_rows = Vec::new();
    let mut consent_rows = Vec::new();
    let mut event_rows = Vec::new();
    for f in families {
        let ts = timestamp(f.created);
        let head = &f.members[0];
        family_rows.push(vec![
            t(&f.id),
            t(&f.case_number),
            Value::Int(f.case_seq),
            t(f.country.code()),
            t(&f.province),
            t(&f.district),
            Value::OptText(None),
            Value::OptText(f.phone.clone()),
            Value::OptText(f.phone_international.clone()),
            Value::OptText(f.phone.as_deref().map(names::phone_search_key)),
            t(f.return_date.to_string()),
            t(f.returned_from),
            t(f.return_type),
            t(f.status),
            Value::OptText(f.assigned_to.clone()),
            Value::OptText(head.name_local.clone()),
            Value::OptText(head.name_latin.clone()),
            Value::Int(f.members.len() as i64),
            Value::Int(1),
            Value::Int(i64::from(f.sharing)),
            Value::Int(1),
            Value::OptText(created_by.map(str::to_string)),
            t(&ts),
            t(&ts),
            Value::OptText(f.history.last_contact.map(|d| d.to_string())),
        ]);
        let author = &actors[&f.country].author;
        for (on, e, so, ps) in &f.history.assessments {
            assessment_rows.push(vec![
                t(uuid::Uuid::new_v4().to_string()),
                t(&f.id),
                Value::Int(1),
                t(on.to_string()),
                Value::Real(*e),
                Value::Real(*so),
                Value::Real(*ps),
                Value::Real((e + so + ps) / 3.0),
                t("{}"),
                t(author),
                t(timestamp(on.and_hms_opt(9, 0, 0).unwrap().and_utc())),
            ]);
        }
        for (i, (due, status, done_on)) in f.history.follow_ups.iter().enumerate() {
            follow_up_rows.push(vec![
                t(uuid::Uuid::new_v4().to_string()),
                t(&f.id),
                t(if i % 2 == 0 {
                    "home_visit"
                } else {
                    "phone_call"
                }),
                t(due.to_string()),
                Value::OptText(f.assigned_to.clone()),
                t(*status),
                Value::OptText(done_on.map(|d| d.to_string())),
                Value::Int(1),
                t(&ts),
                t(&ts),
            ]);
        }
        for (org, service, status, sent, answered) in &f.history.referrals {
            let answered = answered.map(timestamp);
            referral_rows.push(vec![
                t(uuid::Uuid::new_v4().to_string()),
                t(&f.id),
                t(org),
                t(*service),
                t(*status),
                t(author),
                t(timestamp(*sent)),
                t(timestamp(*sent + Duration::days(5))),
                Value::OptText(answered.clone()),
                Value::OptText(if *status == "completed" {
                    answered
                } else {
                    None
                }),
                Value::Int(1),
            ]);
        }
        if let Some((reason, decided)) = f.history.closure {
            closure_rows.push(vec![
                t(uuid::Uuid::new_v4().to_string()),
                t(&f.id),
                t(reason),
                t(author),
                t(timestamp(decided - Duration::days(3))),
                t("approved"),
                t(author),
                t(timestamp(decided)),
            ]);
        }
        for (i, m) in f.members.iter().enumerate() {
            let member_id = uuid::Uuid::new_v4().to_string();
            let recorded = f.created.date_naive();
            let (birth_date, estimated_age) = birth_columns(&m.birth);
            member_rows.push(vec![
                t(&member_id),
                t(&f.id),
                Value::Int(i as i64),
                Value::OptText(m.name_local.clone()),
                Value::OptText(m.name_latin.clone()),
                Value::OptText(m.father_name.clone()),
                t(m.sex.as_str()),
                Value::OptText(birth_date),
                Value::OptInt(estimated_age),
                t(recorded.to_string()),
                Value::Int(i64::from(m.birth.year(recorded))),
                t(m.relationship.as_str()),
                t(m.education.as_str()),
                t(&ts),
                t(&ts),
            ]);
            for n in &m.needs {
                need_rows.push(vec![t(&member_id), t(&f.id), t(n.as_str())]);
            }
            if let Some((kind, number)) = &m.document {
                doc_rows.push(vec![t(&member_id), t(&f.id), t(kind.as_str()), t(number)]);
            }
            for token in search_tokens(m) {
                token_rows.push(vec![t(token), t(&member_id), t(&f.id)]);
            }
        }
        for kind in ["registration", "sharing"] {
            let given = kind == "registration" || f.sharing;
            consent_rows.push(vec![
                t(uuid::Uuid::new_v4().to_string()),
                t(&f.id),
                t(kind),
                Value::Int(i64::from(given)),
                Value::OptText(head.name_latin.clone().or(head.name_local.clone())),
                Value::OptText(created_by.map(str::to_string)),
                t(&ts),
            ]);
        }
        event_rows.push(vec![
            t(&f.id),
            t(&ts),
            Value::OptText(created_by.map(str::to_string)),
            t("registered"),
            t("{}"),
            Value::Int(1),
        ]);
    }
    let mut tx = db.begin().await?;
    insert_rows(
        &mut tx,
        "family",
        &[
            "family_id",
            "case_number",
            "case_seq",
            "country",
            "province",
            "district",
            "address",
            "phone",
            "phone_international",
            "phone_key",
            "return_date",
            "returned_from",
            "return_type",
            "status",
            "assigned_to",
            "head_name_local",
            "head_name_latin",
            "member_count",
            "registration_consent",
            "sharing_consent",
            "version",
            "created_by",
            "created_at",
            "updated_at",
            "last_contact_on",
        ],
        family_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "assessment",
        &[
            "assessment_id",
            "family_id",
            "instrument_version",
            "assessed_on",
            "economic",
            "social",
            "psychosocial",
            "composite",
            "answers",
            "created_by",
            "created_at",
        ],
        assessment_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "follow_up",
        &[
            "follow_up_id",
            "family_id",
            "kind",
            "due_on",
            "assigned_to",
            "status",
            "done_on",
            "version",
            "created_at",
            "updated_at",
        ],
        follow_up_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "referral",
        &[
            "referral_id",
            "family_id",
            "organisation_id",
            "service",
            "status",
            "sent_by",
            "sent_at",
            "due_at",
            "responded_at",
            "completed_at",
            "version",
        ],
        referral_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "case_closure",
        &[
            "case_closure_id",
            "family_id",
            "reason",
            "requested_by",
            "requested_at",
            "decision",
            "decided_by",
            "decided_at",
        ],
        closure_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "member",
        &[
            "member_id",
            "family_id",
            "position",
            "name_local",
            "name_latin",
            "father_name",
            "sex",
            "birth_date",
            "estimated_age",
            "age_recorded_on",
            "birth_year",
            "relationship",
            "education",
            "created_at",
            "updated_at",
        ],
        member_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "member_need",
        &["member_id", "family_id", "need"],
        need_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "member_document",
        &["member_id", "family_id", "document_type", "number"],
        doc_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "name_token",
        &["token", "member_id", "family_id"],
        token_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "consent",
        &[
            "consent_id",
            "family_id",
            "kind",
            "given",
            "given_by",
            "recorded_by",
            "recorded_at",
        ],
        consent_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "case_event",
        &[
            "family_id",
            "occurred_at",
            "actor_user_id",
            "kind",
            "detail",
            "version",
        ],
        event_rows,
    )
    .await?;
    tx.commit().await
}
