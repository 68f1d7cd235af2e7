//! Bulk inserts of generated caseloads (`homeward generate`, the demo families): 100,000
//! families (about half a million people) in minutes, not hours. The search terms are the
//! ones registration writes (`families::name_index::member_terms`). Here: who records the
//! generated history, case number counters, statistics; the families themselves are
//! `families.rs`, the rebuilt name index `name_index.rs`.

mod families;
mod name_index;
mod rows;

pub use families::{insert_families, GeneratedFamily, GeneratedReferral, History};
pub use name_index::rebuild_name_index_if_pending;

use crate::backend::clock::timestamp;
use crate::backend::db::{Backend, Db};
use chrono::{DateTime, Utc};
use shared::Country;

/// The first account of an organisation, by email (who records a country's generated
/// history when the plan names nobody).
pub async fn first_user_of(db: &Db, organisation_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM app_user WHERE organisation_id = $1 ORDER BY email LIMIT 1",
    )
    .bind(organisation_id)
    .fetch_optional(&db.pool)
    .await
}

/// An inactive account that cannot sign in, to record generated history by.
pub async fn insert_placeholder_author(
    db: &Db,
    organisation_id: &str,
    country: Country,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO app_user (user_id, email, display_name, role, organisation_id,
             password_hash, active, created_at, updated_at)
         VALUES ($1, $2, 'Generated data', 'caseworker', $3, '!', 0, $4, $4)",
    )
    .bind(&id)
    .bind(format!(
        "generated.{}@synthetic.invalid",
        country.code().to_lowercase()
    ))
    .bind(organisation_id)
    .bind(timestamp(now))
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// The partner organisations of a country.
pub async fn partners_of(db: &Db, country: Country) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT organisation_id FROM organisation WHERE kind = 'partner' AND country = $1
         ORDER BY code",
    )
    .bind(country.code())
    .fetch_all(&db.pool)
    .await
}

/// A partner organisation for generated referrals to go to (the `n`th of a country).
pub async fn insert_generated_partner(
    db: &Db,
    country: Country,
    n: usize,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO organisation (organisation_id, code, name, kind, country, created_at, updated_at)
         VALUES ($1, $2, $3, 'partner', $4, $5, $5)",
    )
    .bind(&id)
    .bind(format!("generated-{}-{n}", country.code().to_lowercase()))
    .bind(format!("Partner {n} ({})", country.code()))
    .bind(country.code())
    .bind(timestamp(now))
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// The last case number given of a country in a year (0 if none).
pub async fn last_case_number(db: &Db, country: Country, year: i32) -> Result<i64, sqlx::Error> {
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT last_value FROM case_number_counter WHERE country = $1 AND year = $2",
    )
    .bind(country.code())
    .bind(i64::from(year))
    .fetch_optional(&db.pool)
    .await?;
    Ok(last.unwrap_or(0))
}

/// Moves the case number counters on past the numbers generated.
pub async fn set_last_case_numbers(
    db: &Db,
    last: &std::collections::BTreeMap<(Country, i32), i64>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    for ((country, year), last) in last {
        if *last == 0 {
            continue;
        }
        sqlx::query(
            "INSERT INTO case_number_counter (country, year, last_value) VALUES ($1, $2, $3)
             ON CONFLICT (country, year) DO UPDATE SET last_value = excluded.last_value",
        )
        .bind(country.code())
        .bind(i64::from(*year))
        .bind(*last)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Fresh statistics after a bulk load, so the query planners know how selective the indexes
/// are (and on PostgreSQL a visibility map, so indexes can answer without visiting the
/// table).
pub async fn analyze(db: &Db) -> Result<(), sqlx::Error> {
    let sql = match db.backend {
        Backend::Sqlite => "ANALYZE",
        Backend::Postgres => "VACUUM (ANALYZE)",
    };
    sqlx::query(sql).execute(&db.pool).await?;
    Ok(())
}
