//! Registration: case numbers, and a new family with its members and consent.

use super::consent::insert_consent;
use super::members::insert_member;
use crate::backend::clock::timestamp;
use crate::backend::db::new_id;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use shared::family::{self, ConsentKind, NewFamily, Relationship};
use shared::names;
use shared::Country;
use sqlx::AnyConnection;

/// Gives the next case number of `country` for `year` and its sequence number, inside the
/// caller's transaction.
pub async fn next_case_number(
    conn: &mut AnyConnection,
    country: Country,
    year: i32,
) -> Result<(String, i64), sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO case_number_counter (country, year, last_value) VALUES ($1, $2, 1)
         ON CONFLICT (country, year) DO UPDATE SET last_value = case_number_counter.last_value + 1
         RETURNING last_value",
    )
    .bind(country.code())
    .bind(i64::from(year))
    .fetch_one(conn)
    .await?;
    Ok((family::case_number(country, year, n), n))
}

/// Registers a family in the caller's transaction: case number, household, members and
/// consent (the pipeline writes its timeline). Answers (family id, case number).
pub async fn insert_family(
    conn: &mut AnyConnection,
    f: &NewFamily,
    actor: &str,
    assigned_to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(String, String), AppError> {
    let today = now.date_naive();
    let h = &f.household;
    let family_id = new_id();
    let (case_number, case_seq) =
        next_case_number(conn, h.country, chrono::Datelike::year(&today)).await?;
    let head = f
        .members
        .iter()
        .find(|m| m.relationship == Relationship::Head)
        .ok_or(AppError::Internal)?;
    sqlx::query(
        "INSERT INTO family (family_id, case_number, case_seq, country, province, district, address, phone,
                             phone_international, phone_key, return_date, returned_from, return_type,
                             displaced_from, status, assigned_to, head_name_local, head_name_latin, member_count,
                             registration_consent, sharing_consent, version, created_by, created_at, updated_at)
         VALUES ($1, $2, $20, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $21, 'registered', $13, $14, $15, $16,
                 1, $17, 1, $18, $19, $19)",
    )
    .bind(&family_id)
    .bind(&case_number)
    .bind(h.country.code())
    .bind(&h.province)
    .bind(&h.district)
    .bind(h.address.as_deref())
    .bind(h.phone.as_deref())
    .bind(h.phone_international.as_deref())
    .bind(h.phone.as_deref().map(names::phone_search_key))
    .bind(h.return_date.to_string())
    .bind(&h.returned_from)
    .bind(h.return_type.as_str())
    .bind(assigned_to)
    .bind(head.name_local.as_deref())
    .bind(head.name_latin.as_deref())
    // Everyone registered is present (validate_registration refuses anyone else).
    .bind(f.members.len() as i64)
    .bind(i64::from(f.consent.sharing))
    .bind(actor)
    .bind(timestamp(now))
    .bind(case_seq)
    .bind(h.displaced_from.as_deref())
    .execute(&mut *conn)
    .await?;
    for (i, m) in f.members.iter().enumerate() {
        insert_member(conn, &family_id, i as i64, m, today, now).await?;
    }
    insert_consent(
        conn,
        &family_id,
        ConsentKind::Registration,
        true,
        &f.consent.given_by,
        actor,
        now,
    )
    .await?;
    insert_consent(
        conn,
        &family_id,
        ConsentKind::Sharing,
        f.consent.sharing,
        &f.consent.given_by,
        actor,
        now,
    )
    .await?;
    Ok((family_id, case_number))
}
