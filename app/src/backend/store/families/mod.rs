//! Families (cases): the row every access check and edit starts from, the household, notes
//! and assignment. Every query that lists cases takes the caller's `CaseScope` and applies it
//! in SQL. Members, consent, registration, duplicates, the list and the whole record have
//! files of their own.

pub mod consent;
pub mod duplicates;
pub mod list;
pub mod members;
pub mod merges;
pub mod name_index;
pub mod record;
pub mod register;

use super::binds::Binds;
use super::Flag;
use crate::backend::clock::timestamp;
use crate::backend::db::{new_id, Backend, Db};
use chrono::{DateTime, Utc};
use shared::family::status::{self, Step};
use shared::family::{CaseStatus, Household};
use shared::names;
use shared::Country;
use sqlx::{AnyConnection, AssertSqlSafe, FromRow};

/// What access and edits need of a case: where it is, its version and status.
#[derive(Clone, Debug, FromRow)]
pub struct FamilyRef {
    pub family_id: String,
    pub case_number: String,
    #[sqlx(try_from = "String")]
    pub country: Country,
    pub province: String,
    pub version: i64,
    #[sqlx(try_from = "String")]
    pub status: CaseStatus,
    #[sqlx(try_from = "Flag")]
    pub sharing_consent: bool,
    pub assigned_to: Option<String>,
    /// When the retention worker anonymised the closed case.
    pub anonymised_at: Option<String>,
    /// The record this one was merged into (it is kept read only).
    pub merged_into: Option<String>,
}

const SELECT_REF: &str = "SELECT family_id, case_number, country, province, version, status,
        sharing_consent, assigned_to, anonymised_at, merged_into FROM family WHERE family_id = $1";

pub async fn family_ref(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Option<FamilyRef>, sqlx::Error> {
    sqlx::query_as(SELECT_REF)
        .bind(family_id)
        .fetch_optional(conn)
        .await
}

/// A case by its id or by its number as typed (any case of letters, spaces around).
pub async fn by_id_or_number(
    conn: &mut AnyConnection,
    typed: &str,
) -> Result<Option<FamilyRef>, sqlx::Error> {
    let sql = SELECT_REF.replace("family_id = $1", "family_id = $1 OR case_number = $2");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(typed.trim())
        .bind(typed.trim().to_uppercase())
        .fetch_optional(conn)
        .await
}

/// Loads a case and locks its row until the transaction ends (`FOR UPDATE` on PostgreSQL;
/// SQLite's `BEGIN IMMEDIATE` holds the whole database already): writers of one case queue
/// behind each other, and each sees what the one before it committed.
pub async fn lock(
    conn: &mut AnyConnection,
    backend: Backend,
    family_id: &str,
) -> Result<Option<FamilyRef>, sqlx::Error> {
    let sql = format!("{SELECT_REF}{}", Db::for_update_of(backend));
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(family_id)
        .fetch_optional(conn)
        .await
}

/// Bumps the version if it is still `expected`: the optimistic lock of every edit. False means
/// someone else saved first.
pub async fn bump_version(
    conn: &mut AnyConnection,
    family_id: &str,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE family SET version = version + 1, updated_at = $1
         WHERE family_id = $2 AND version = $3",
    )
    .bind(timestamp(now))
    .bind(family_id)
    .bind(expected)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Replaces the household fields (the version was checked and bumped by the caller).
pub async fn update_household(
    conn: &mut AnyConnection,
    family_id: &str,
    h: &Household,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE family SET province = $1, district = $2, address = $3, phone = $4, phone_international = $5,
                phone_key = $6, return_date = $7, returned_from = $8, return_type = $9,
                displaced_from = $11
         WHERE family_id = $10",
    )
    .bind(&h.province)
    .bind(&h.district)
    .bind(h.address.as_deref())
    .bind(h.phone.as_deref())
    .bind(h.phone_international.as_deref())
    .bind(h.phone.as_deref().map(names::phone_search_key))
    .bind(h.return_date.to_string())
    .bind(&h.returned_from)
    .bind(h.return_type.as_str())
    .bind(family_id)
    .bind(h.displaced_from.as_deref())
    .execute(&mut *conn)
    .await?;
    name_index::follow_family(conn, family_id).await
}

pub async fn add_note(
    conn: &mut AnyConnection,
    family_id: &str,
    body: &str,
    internal: bool,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO case_note (case_note_id, family_id, author_user_id, created_at, body, internal) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(new_id())
        .bind(family_id)
        .bind(actor)
        .bind(timestamp(now))
        .bind(body)
        .bind(i64::from(internal))
        .execute(conn)
        .await?;
    Ok(())
}

/// Assigns a case to `user_id` (or to nobody, for a supervisor to assign), with its scheduled
/// follow-ups: the work lists read those, so they must move with the case.
pub async fn assign(
    conn: &mut AnyConnection,
    family_id: &str,
    user_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    for sql in [
        "UPDATE family SET assigned_to = $1 WHERE family_id = $2",
        "UPDATE follow_up SET assigned_to = $1 WHERE family_id = $2 AND status = 'scheduled'",
    ] {
        sqlx::query(sql)
            .bind(user_id)
            .bind(family_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Active caseworkers of `organisation_id` whose areas include `province`: who a case there may
/// be assigned to. (id, name)
pub async fn assignable_caseworkers(
    conn: &mut AnyConnection,
    organisation_id: &str,
    province: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.user_id, u.display_name FROM app_user u
         JOIN user_area a ON a.user_id = u.user_id AND a.location_id = $2
         WHERE u.organisation_id = $1 AND u.role = 'caseworker' AND u.active = 1
         ORDER BY u.display_name",
    )
    .bind(organisation_id)
    .bind(province)
    .fetch_all(conn)
    .await
}

/// Caseworkers of an organisation (for the "assigned to" filter). (id, name)
pub async fn caseworkers_of(
    conn: &mut AnyConnection,
    organisation_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, display_name FROM app_user
         WHERE organisation_id = $1 AND role = 'caseworker' ORDER BY display_name",
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await
}

/// Where a family lives and how to reach it (what a partner needs to know).
#[derive(Clone, Debug, FromRow)]
pub struct Contact {
    pub district: String,
    pub address: Option<String>,
    pub phone: Option<String>,
}

pub async fn contact(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Option<Contact>, sqlx::Error> {
    sqlx::query_as("SELECT district, address, phone FROM family WHERE family_id = $1")
        .bind(family_id)
        .fetch_optional(conn)
        .await
}

/// Moves a case in `from` on by `step`, as the one table of `shared::family::status` says:
/// closing records when (a partner's retention of the people of its referrals counts from
/// then), reopening clears it and returns the case to the status its history earns. The new
/// status, if it changed.
pub async fn advance(
    conn: &mut AnyConnection,
    family_id: &str,
    from: CaseStatus,
    step: Step,
    now: DateTime<Utc>,
) -> Result<Option<CaseStatus>, sqlx::Error> {
    let to = if step == Step::Reopened && from == CaseStatus::Closed {
        let (assessed, started) = history(&mut *conn, family_id).await?;
        Some(status::reopened(assessed, started))
    } else {
        status::next(from, step)
    };
    let Some(to) = to else { return Ok(None) };
    let closed_at = (to == CaseStatus::Closed).then(|| timestamp(now));
    sqlx::query("UPDATE family SET status = $1, closed_at = $2 WHERE family_id = $3")
        .bind(to.as_str())
        .bind(closed_at)
        .bind(family_id)
        .execute(conn)
        .await?;
    Ok(Some(to))
}

/// What a case has been through, as the status table counts it: (assessed, work started —
/// a plan item confirmed or a referral sent).
pub async fn history(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<(bool, bool), sqlx::Error> {
    let (assessed, started): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM assessment WHERE family_id = $1),
                (SELECT COUNT(*) FROM plan_item WHERE family_id = $1
                   AND status IN ('planned', 'in_progress', 'done'))
                + (SELECT COUNT(*) FROM referral WHERE family_id = $1)",
    )
    .bind(family_id)
    .fetch_one(conn)
    .await?;
    Ok((assessed > 0, started > 0))
}

/// How many families there are (all countries).
pub async fn count(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM family")
        .fetch_one(conn)
        .await
}

/// The families assigned to `user` in any of `provinces`.
pub async fn assigned_in(
    conn: &mut AnyConnection,
    user: &str,
    provinces: &[&str],
) -> Result<Vec<String>, sqlx::Error> {
    let mut binds = Binds::default();
    let user = binds.push(user);
    let list = provinces
        .iter()
        .map(|p| binds.push(*p))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT family_id FROM family WHERE assigned_to = {user} AND province IN ({list})
         ORDER BY case_number"
    );
    let mut q = sqlx::query_scalar(AssertSqlSafe(sql));
    for b in binds.values() {
        q = q.bind(b);
    }
    q.fetch_all(conn).await
}

/// Moves a case to another province and district (an accepted transfer), its name-index
/// terms with it so that searches in the new province find it.
pub async fn relocate(
    conn: &mut AnyConnection,
    family_id: &str,
    province: &str,
    district: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE family SET province = $1, district = $2 WHERE family_id = $3")
        .bind(province)
        .bind(district)
        .bind(family_id)
        .execute(&mut *conn)
        .await?;
    name_index::follow_family(conn, family_id).await
}
