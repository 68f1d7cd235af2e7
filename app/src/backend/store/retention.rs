//! What retention and a family's own data need of the database: every row held about one
//! family (its export, and what erasing it removes), the closed cases due for anonymisation
//! and what anonymising removes, erasure requests, and the audit log's own retention.

use crate::backend::clock::timestamp;
use crate::backend::db::new_id;
use crate::model::retention::{Cell, TableRows};
use chrono::{DateTime, Utc};
use shared::retention::ErasureReason;
use sqlx::{AnyConnection, AssertSqlSafe, Column, FromRow, Row};

/// What erasing a family does to the rows of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnErasure {
    Delete,
    /// The rows are kept, as the trail of what was done, with these columns emptied.
    Empty(&'static str),
}

/// A table that holds rows about a family.
pub struct FamilyTable {
    pub name: &'static str,
    /// Selects the family's rows; `$1` is the family id.
    pub rows: &'static str,
    /// The columns the family's copy shows.
    pub columns: &'static str,
    pub on_erasure: OnErasure,
}

const fn table(name: &'static str, rows: &'static str, on_erasure: OnErasure) -> FamilyTable {
    FamilyTable {
        name,
        rows,
        columns: "*",
        on_erasure,
    }
}

const OF_FAMILY: &str = "family_id = $1";

/// Everything held about a family, parents before the rows that refer to them (erasure
/// deletes in the reverse order). `name_index` is left out: it is derived from `member`, and
/// goes with it. A test fails when a table with a `family_id` column is missing here.
pub const FAMILY_TABLES: &[FamilyTable] = &[
    table("family", OF_FAMILY, OnErasure::Delete),
    table("member", OF_FAMILY, OnErasure::Delete),
    table("member_need", OF_FAMILY, OnErasure::Delete),
    table("member_document", OF_FAMILY, OnErasure::Delete),
    table("consent", OF_FAMILY, OnErasure::Delete),
    table("case_note", OF_FAMILY, OnErasure::Delete),
    table("assessment", OF_FAMILY, OnErasure::Delete),
    table("plan_item", OF_FAMILY, OnErasure::Delete),
    table("referral", OF_FAMILY, OnErasure::Delete),
    table(
        "referral_service",
        "referral_id IN (SELECT referral_id FROM referral WHERE family_id = $1)",
        OnErasure::Delete,
    ),
    // The slip's reference; the code's hash is nobody's business, not even the family's.
    FamilyTable {
        name: "referral_code",
        rows: "referral_id IN (SELECT referral_id FROM referral WHERE family_id = $1)",
        columns: "referral_id, reference, issued_at, expires_at",
        on_erasure: OnErasure::Delete,
    },
    // The documents on file, described; the files themselves are the family's to ask the
    // caseworker for, not part of this copy.
    FamilyTable {
        name: "document",
        rows: OF_FAMILY,
        columns:
            "document_id, member_id, kind, title, content_type, byte_size, uploaded_by, uploaded_at",
        on_erasure: OnErasure::Delete,
    },
    table(
        "document_share",
        "document_id IN (SELECT document_id FROM document WHERE family_id = $1)",
        OnErasure::Delete,
    ),
    table("follow_up", OF_FAMILY, OnErasure::Delete),
    table(
        "contact_attempt",
        "follow_up_id IN (SELECT follow_up_id FROM follow_up WHERE family_id = $1)",
        OnErasure::Delete,
    ),
    table("case_closure", OF_FAMILY, OnErasure::Delete),
    table("case_transfer", OF_FAMILY, OnErasure::Delete),
    table("case_event", OF_FAMILY, OnErasure::Delete),
    table(
        "possible_duplicate",
        "family_id = $1 OR other_id = $1",
        OnErasure::Delete,
    ),
    // A merge keeps a copy of the merged-away record and what undoing needs.
    table(
        "case_merge",
        "survivor_id = $1 OR merged_id = $1",
        OnErasure::Delete,
    ),
    table(
        "erasure_request",
        OF_FAMILY,
        OnErasure::Empty("note = NULL, comment = NULL"),
    ),
    // Who read and changed the record, and when: the family may know it; erasure keeps the
    // entries (ids, actions, times) and empties their details.
    // The staff's network addresses are theirs, not the family's: left out of the copy.
    FamilyTable {
        name: "audit_event",
        rows: "target_type = 'family' AND target_id = $1",
        columns:
            "audit_event_id, occurred_at, actor_user_id, action, target_type, target_id, detail",
        on_erasure: OnErasure::Empty("detail = NULL"),
    },
];

/// Every row of every table in [`FAMILY_TABLES`], columns as stored.
pub async fn family_rows(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Vec<TableRows>, sqlx::Error> {
    let mut tables = Vec::with_capacity(FAMILY_TABLES.len());
    for t in FAMILY_TABLES {
        let sql = format!(
            "SELECT {} FROM {} WHERE {} ORDER BY 1",
            t.columns, t.name, t.rows
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(family_id)
            .fetch_all(&mut *conn)
            .await?;
        let columns = rows
            .first()
            .map(|r| r.columns().iter().map(|c| c.name().to_string()).collect())
            .unwrap_or_default();
        let rows = rows
            .iter()
            .map(|r| (0..r.len()).map(|i| cell(r, i)).collect())
            .collect::<Result<_, _>>()?;
        tables.push(TableRows {
            table: t.name.to_string(),
            columns,
            rows,
        });
    }
    Ok(tables)
}

/// One column of a row, whatever its type.
fn cell(row: &sqlx::any::AnyRow, i: usize) -> Result<Cell, sqlx::Error> {
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return Ok(v.map_or(Cell::Null, Cell::Text));
    }
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return Ok(v.map_or(Cell::Null, Cell::Integer));
    }
    let v: Option<f64> = row.try_get(i)?;
    Ok(v.map_or(Cell::Null, Cell::Real))
}

/// Erases a family: every row of [`FAMILY_TABLES`] deleted, children first, except the trail
/// that says it was done, which keeps its ids and loses its details. The case must be locked.
pub async fn erase(conn: &mut AnyConnection, family_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM name_index WHERE family_id = $1")
        .bind(family_id)
        .execute(&mut *conn)
        .await?;
    for t in FAMILY_TABLES.iter().rev() {
        let sql = match t.on_erasure {
            OnErasure::Delete => format!("DELETE FROM {} WHERE {}", t.name, t.rows),
            OnErasure::Empty(set) => format!("UPDATE {} SET {set} WHERE {}", t.name, t.rows),
        };
        sqlx::query(AssertSqlSafe(sql))
            .bind(family_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// What anonymising a closed case removes: names, contacts, documents, notes and every free
/// text. The coded facts the programme indicators count (province, return, sex, year of
/// birth, needs, scores, services, statuses and dates) stay.
const ANONYMISE: &[&str] = &[
    "UPDATE family SET district = '', address = NULL, phone = NULL, phone_international = NULL,
        phone_key = NULL, head_name_local = NULL, head_name_latin = NULL, anonymised_at = $2
     WHERE family_id = $1",
    "UPDATE member SET name_local = NULL, name_latin = NULL, father_name = NULL,
        birth_date = NULL, estimated_age = NULL, occupation = NULL, skills = NULL, health = NULL,
        left_on = NULL
     WHERE family_id = $1",
    "DELETE FROM member_document WHERE family_id = $1",
    // The copy of a merged-away record and what undoing a merge needs hold personal data.
    "UPDATE case_merge SET snapshot = NULL, undo = NULL WHERE survivor_id = $1 OR merged_id = $1",
    "DELETE FROM name_index WHERE family_id = $1",
    "UPDATE consent SET given_by = '' WHERE family_id = $1",
    "DELETE FROM case_note WHERE family_id = $1",
    // Scans and photos of papers are personal data through and through.
    "DELETE FROM document WHERE family_id = $1",
    "UPDATE case_event SET detail = NULL WHERE family_id = $1",
    "UPDATE plan_item SET action = NULL WHERE family_id = $1",
    "UPDATE referral SET note = NULL, decline_reason = NULL, outcome = NULL WHERE family_id = $1",
    "UPDATE referral_service SET description = ''
     WHERE referral_id IN (SELECT referral_id FROM referral WHERE family_id = $1)",
    "UPDATE follow_up SET notes = NULL, missed_reason = NULL WHERE family_id = $1",
    "UPDATE contact_attempt SET note = ''
     WHERE follow_up_id IN (SELECT follow_up_id FROM follow_up WHERE family_id = $1)",
    "UPDATE case_closure SET note = NULL, comment = NULL WHERE family_id = $1",
    "UPDATE case_transfer SET note = NULL, comment = NULL, from_district = '', to_district = ''
     WHERE family_id = $1",
    "UPDATE erasure_request SET note = NULL, comment = NULL WHERE family_id = $1",
];

/// Anonymises a closed case (locked by the caller).
pub async fn anonymise(
    conn: &mut AnyConnection,
    family_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for sql in ANONYMISE {
        let query = sqlx::query(*sql).bind(family_id);
        // Only the first statement takes the time (PostgreSQL refuses unused parameters).
        let query = if sql.contains("$2") {
            query.bind(timestamp(now))
        } else {
            query
        };
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A closed case whose retention period has ended.
#[derive(Clone, Debug, FromRow)]
pub struct DueCase {
    pub family_id: String,
    pub case_number: String,
    pub closed_at: String,
}

/// The closed cases, closed before `closed_before`, that still hold personal data; oldest
/// closure first, at most `limit`.
pub async fn due_for_anonymisation(
    conn: &mut AnyConnection,
    closed_before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DueCase>, sqlx::Error> {
    sqlx::query_as(
        "SELECT family_id, case_number, closed_at FROM family
         WHERE status = 'closed' AND anonymised_at IS NULL AND closed_at < $1
         ORDER BY closed_at, family_id LIMIT $2",
    )
    .bind(timestamp(closed_before))
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Whether the case (locked by the caller) is still closed since before `closed_before` and
/// not anonymised: it may have been reopened since it was listed.
pub async fn still_due(
    conn: &mut AnyConnection,
    family_id: &str,
    closed_before: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT family_id FROM family WHERE family_id = $1 AND status = 'closed'
           AND anonymised_at IS NULL AND closed_at < $2",
    )
    .bind(family_id)
    .bind(timestamp(closed_before))
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Audit entries written before `before`: how many, and the time of the oldest.
pub async fn audit_due(
    conn: &mut AnyConnection,
    before: DateTime<Utc>,
) -> Result<(i64, Option<String>), sqlx::Error> {
    sqlx::query_as("SELECT COUNT(*), MIN(occurred_at) FROM audit_event WHERE occurred_at < $1")
        .bind(timestamp(before))
        .fetch_one(conn)
        .await
}

/// Deletes up to `limit` audit entries written before `before`. The number deleted.
pub async fn purge_audit(
    conn: &mut AnyConnection,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<u64, sqlx::Error> {
    let r = sqlx::query(
        "DELETE FROM audit_event WHERE audit_event_id IN (
             SELECT audit_event_id FROM audit_event WHERE occurred_at < $1 LIMIT $2)",
    )
    .bind(timestamp(before))
    .bind(limit)
    .execute(conn)
    .await?;
    Ok(r.rows_affected())
}

/// An erasure request as the family's data page shows it.
#[derive(Clone, Debug, FromRow)]
pub struct ErasureRow {
    pub erasure_request_id: String,
    #[sqlx(try_from = "String")]
    pub reason: ErasureReason,
    pub note: Option<String>,
    pub requested_by: String,
    pub requested_by_name: String,
    pub requested_at: String,
    pub decision: Option<String>,
    pub comment: Option<String>,
}

/// The family's latest erasure request (a pending one before a decided one of the same
/// moment).
pub async fn latest_erasure(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Option<ErasureRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.erasure_request_id, e.reason, e.note, e.requested_by,
                u.display_name AS requested_by_name, e.requested_at, e.decision, e.comment
         FROM erasure_request e JOIN app_user u ON u.user_id = e.requested_by
         WHERE e.family_id = $1
         ORDER BY e.requested_at DESC, (e.decision IS NULL) DESC, e.erasure_request_id LIMIT 1",
    )
    .bind(family_id)
    .fetch_optional(conn)
    .await
}

pub async fn request_erasure(
    conn: &mut AnyConnection,
    family_id: &str,
    reason: ErasureReason,
    note: Option<&str>,
    user: &str,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO erasure_request (erasure_request_id, family_id, reason, note, requested_by,
            requested_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(family_id)
    .bind(reason.as_str())
    .bind(note)
    .bind(user)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// Records the decision on a pending request; false if it was decided meanwhile.
pub async fn decide_erasure(
    conn: &mut AnyConnection,
    id: &str,
    decision: &str,
    comment: Option<&str>,
    user: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE erasure_request SET decision = $1, comment = $2, decided_by = $3, decided_at = $4
         WHERE erasure_request_id = $5 AND decision IS NULL",
    )
    .bind(decision)
    .bind(comment)
    .bind(user)
    .bind(timestamp(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}
