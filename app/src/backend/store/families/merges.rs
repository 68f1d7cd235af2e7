//! Merging two records of one family, and undoing it. A merge moves every row of the
//! merged-away record's history (assessments, plans, referrals, follow-ups, notes, consents,
//! closures, transfers, timeline) to the survivor, puts the people kept on the survivor and
//! everyone else on the merged-away record, copies the household parts chosen from it, and
//! closes it with `merged_into` set. What undoing needs is written down at the same moment
//! (`case_merge.undo`), row ids and all, so an undo puts back exactly what moved.

use super::{members, name_index};
use crate::backend::clock::timestamp;
use crate::backend::db::new_id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::family::merge::{MergePart, MergePlan};
use shared::family::CaseStatus;
use sqlx::{AnyConnection, AssertSqlSafe, FromRow};

/// The tables of a case's history that move with a merge, with their key column.
const HISTORY: [(&str, &str); 8] = [
    ("assessment", "assessment_id"),
    ("plan_item", "plan_item_id"),
    ("referral", "referral_id"),
    ("follow_up", "follow_up_id"),
    ("case_note", "case_note_id"),
    ("consent", "consent_id"),
    ("case_closure", "case_closure_id"),
    ("case_transfer", "case_transfer_id"),
];

/// The family columns of each part of the household a merge chooses between.
fn columns(part: MergePart) -> &'static [&'static str] {
    match part {
        MergePart::Area => &["province", "district"],
        MergePart::Address => &["address"],
        MergePart::Phone => &["phone", "phone_international", "phone_key"],
        MergePart::Return => &[
            "return_date",
            "returned_from",
            "return_type",
            "displaced_from",
        ],
        MergePart::Caseworker => &["assigned_to"],
    }
}

/// The survivor's own columns as they were before the merge (what undoing restores).
#[derive(Clone, Debug, FromRow, Serialize, Deserialize)]
struct Household {
    province: String,
    district: String,
    address: Option<String>,
    phone: Option<String>,
    phone_international: Option<String>,
    phone_key: Option<String>,
    return_date: String,
    returned_from: String,
    return_type: String,
    displaced_from: Option<String>,
    assigned_to: Option<String>,
    status: String,
    registration_consent: i64,
    sharing_consent: i64,
    last_contact_on: Option<String>,
    closed_at: Option<String>,
}

/// Everything undoing a merge needs, stored as JSON with it.
#[derive(Debug, Serialize, Deserialize)]
struct Undo {
    survivor: Household,
    /// The merged-away record's status and closing time before the merge.
    merged: (String, Option<String>),
    /// (member id, family id, position) of every person of the two records.
    members: Vec<(String, String, i64)>,
    /// (table, ids) of the history rows moved to the survivor.
    moved: Vec<(String, Vec<String>)>,
    events: Vec<i64>,
    /// (follow-up id, assignee) of the scheduled follow-ups of both records.
    follow_ups: Vec<(String, Option<String>)>,
}

async fn household(conn: &mut AnyConnection, family_id: &str) -> Result<Household, sqlx::Error> {
    sqlx::query_as(
        "SELECT province, district, address, phone, phone_international, phone_key, return_date,
             returned_from, return_type, displaced_from, assigned_to, status,
             CAST(registration_consent AS BIGINT) AS registration_consent,
             CAST(sharing_consent AS BIGINT) AS sharing_consent, last_contact_on, closed_at
         FROM family WHERE family_id = $1",
    )
    .bind(family_id)
    .fetch_one(conn)
    .await
}

fn encode<T: Serialize>(value: &T) -> Result<String, sqlx::Error> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(e.into()))
}

/// Merges `plan.merged` into `plan.survivor` (both locked by the caller, whose statuses are
/// `statuses`: survivor's, merged's). `snapshot` is the merged-away record as its page showed
/// it. Answers the merge's id.
pub async fn merge(
    conn: &mut AnyConnection,
    plan: &MergePlan,
    statuses: (CaseStatus, CaseStatus),
    snapshot: &impl Serialize,
    by: &str,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let (s, m) = (plan.survivor.as_str(), plan.merged.as_str());
    let survivor = household(conn, s).await?;
    let merged = household(conn, m).await?;
    let people: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT member_id, family_id, position FROM member WHERE family_id IN ($1, $2)
         ORDER BY CASE WHEN family_id = $1 THEN 0 ELSE 1 END, position",
    )
    .bind(s)
    .bind(m)
    .fetch_all(&mut *conn)
    .await?;
    let follow_ups: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT follow_up_id, assigned_to FROM follow_up
         WHERE family_id IN ($1, $2) AND status = 'scheduled'",
    )
    .bind(s)
    .bind(m)
    .fetch_all(&mut *conn)
    .await?;
    // The history moves whole.
    let mut moved = Vec::new();
    for (table, key) in HISTORY {
        let ids: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT {key} FROM {table} WHERE family_id = $1"
        )))
        .bind(m)
        .fetch_all(&mut *conn)
        .await?;
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE {table} SET family_id = $1 WHERE family_id = $2"
        )))
        .bind(s)
        .bind(m)
        .execute(&mut *conn)
        .await?;
        moved.push((table.to_string(), ids));
    }
    let events: Vec<i64> =
        sqlx::query_scalar("SELECT case_event_id FROM case_event WHERE family_id = $1")
            .bind(m)
            .fetch_all(&mut *conn)
            .await?;
    sqlx::query("UPDATE case_event SET family_id = $1 WHERE family_id = $2")
        .bind(s)
        .bind(m)
        .execute(&mut *conn)
        .await?;
    // The people kept, in the order chosen, on the survivor; everyone else on the record
    // kept read only, in their order.
    let mut places: Vec<(&str, &str, i64)> = Vec::new();
    for (i, id) in plan.keep.iter().enumerate() {
        places.push((id, s, i as i64 + 1));
    }
    let rest = people.iter().filter(|(id, _, _)| !plan.keep.contains(id));
    for (i, (id, _, _)) in rest.enumerate() {
        places.push((id, m, i as i64 + 1));
    }
    place_members(conn, &places, (s, m)).await?;
    // The household parts chosen from the merged-away record.
    for part in &plan.from_merged {
        for column in columns(*part) {
            sqlx::query(AssertSqlSafe(format!(
                "UPDATE family SET {column} = (SELECT o.{column} FROM family o WHERE o.family_id = $2)
                 WHERE family_id = $1"
            )))
            .bind(s)
            .bind(m)
            .execute(&mut *conn)
            .await?;
        }
    }
    // The furthest of the two statuses, the later contact, the latest word on consent.
    let status = [statuses.0, statuses.1]
        .into_iter()
        .max_by_key(|st| CaseStatus::ALL.iter().position(|x| x == st))
        .unwrap_or(statuses.0);
    let last_contact = [&survivor.last_contact_on, &merged.last_contact_on]
        .into_iter()
        .flatten()
        .max()
        .cloned();
    sqlx::query(
        "UPDATE family SET status = $2, last_contact_on = $3,
           registration_consent = COALESCE((SELECT c.given FROM consent c WHERE c.family_id = $1
               AND c.kind = 'registration' ORDER BY c.recorded_at DESC, c.consent_id DESC LIMIT 1),
               registration_consent),
           sharing_consent = COALESCE((SELECT c.given FROM consent c WHERE c.family_id = $1
               AND c.kind = 'sharing' ORDER BY c.recorded_at DESC, c.consent_id DESC LIMIT 1),
               sharing_consent)
         WHERE family_id = $1",
    )
    .bind(s)
    .bind(status.as_str())
    .bind(last_contact)
    .execute(&mut *conn)
    .await?;
    // The scheduled visits go to whoever has the case now.
    sqlx::query(
        "UPDATE follow_up SET assigned_to = (SELECT assigned_to FROM family WHERE family_id = $1)
         WHERE family_id = $1 AND status = 'scheduled'",
    )
    .bind(s)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE family SET status = 'closed', closed_at = $2, merged_into = $3 WHERE family_id = $1",
    )
    .bind(m)
    .bind(timestamp(now))
    .bind(s)
    .execute(&mut *conn)
    .await?;
    for id in [s, m] {
        members::refresh_household_summary(conn, id).await?;
        name_index::follow_family(conn, id).await?;
    }
    let undo = Undo {
        survivor,
        merged: (merged.status, merged.closed_at),
        members: people,
        moved,
        events,
        follow_ups,
    };
    let merge_id = new_id();
    sqlx::query(
        "INSERT INTO case_merge (case_merge_id, survivor_id, merged_id, merged_by, merged_at, undo,
             snapshot)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&merge_id)
    .bind(s)
    .bind(m)
    .bind(by)
    .bind(timestamp(now))
    .bind(encode(&undo)?)
    .bind(encode(snapshot)?)
    .execute(conn)
    .await?;
    Ok(merge_id)
}

/// Puts each (member, family, position) in place, and the rows derived from members with them.
async fn place_members(
    conn: &mut AnyConnection,
    places: &[(&str, &str, i64)],
    pair: (&str, &str),
) -> Result<(), sqlx::Error> {
    for (member_id, family_id, position) in places {
        sqlx::query("UPDATE member SET family_id = $2, position = $3 WHERE member_id = $1")
            .bind(*member_id)
            .bind(*family_id)
            .bind(*position)
            .execute(&mut *conn)
            .await?;
    }
    for table in ["member_need", "member_document", "name_index"] {
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE {table} SET family_id = (SELECT m.family_id FROM member m
                 WHERE m.member_id = {table}.member_id)
             WHERE family_id IN ($1, $2)"
        )))
        .bind(pair.0)
        .bind(pair.1)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Records the survivor's last timeline event once the merge is recorded: the mark that
/// anything added later stops an undo.
pub async fn mark_recorded(conn: &mut AnyConnection, merge_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE case_merge SET survivor_event_id =
             (SELECT MAX(e.case_event_id) FROM case_event e WHERE e.family_id = case_merge.survivor_id)
         WHERE case_merge_id = $1",
    )
    .bind(merge_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A merge not undone, as stored.
#[derive(Clone, Debug, FromRow)]
pub struct Stored {
    pub case_merge_id: String,
    pub survivor_id: String,
    pub merged_id: String,
    pub survivor_case_number: String,
    pub merged_case_number: String,
    pub merged_at: String,
    pub merged_by_name: String,
    /// Nothing was added to the survivor since, and the record of what moved is still held.
    #[sqlx(try_from = "crate::backend::store::Flag")]
    pub undoable: bool,
    pub snapshot: Option<String>,
}

const SELECT_STORED: &str = "SELECT c.case_merge_id, c.survivor_id, c.merged_id,
        s.case_number AS survivor_case_number, m.case_number AS merged_case_number, c.merged_at,
        u.display_name AS merged_by_name,
        CAST(CASE WHEN c.undo IS NOT NULL AND c.survivor_event_id =
            (SELECT MAX(e.case_event_id) FROM case_event e WHERE e.family_id = c.survivor_id)
            THEN 1 ELSE 0 END AS BIGINT) AS undoable,
        c.snapshot
    FROM case_merge c JOIN family s ON s.family_id = c.survivor_id
    JOIN family m ON m.family_id = c.merged_id JOIN app_user u ON u.user_id = c.merged_by
    WHERE c.undone_at IS NULL";

/// The records merged into `survivor_id` (not undone), the latest first.
pub async fn into_survivor(
    conn: &mut AnyConnection,
    survivor_id: &str,
) -> Result<Vec<Stored>, sqlx::Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT_STORED} AND c.survivor_id = $1 ORDER BY c.merged_at DESC"
    )))
    .bind(survivor_id)
    .fetch_all(conn)
    .await
}

/// The merge that took `merged_id` away (not undone), if any.
pub async fn of_merged(
    conn: &mut AnyConnection,
    merged_id: &str,
) -> Result<Option<Stored>, sqlx::Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT_STORED} AND c.merged_id = $1"
    )))
    .bind(merged_id)
    .fetch_optional(conn)
    .await
}

/// Undoes the merge `merge_id` (its two records locked by the caller): every row back where
/// it was, the survivor's household as it was, the merged-away record open again. False if
/// it is gone or was undone already.
pub async fn undo(
    conn: &mut AnyConnection,
    merge_id: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(
        "UPDATE case_merge SET undone_by = $2, undone_at = $3
         WHERE case_merge_id = $1 AND undone_at IS NULL AND undo IS NOT NULL
         RETURNING survivor_id, merged_id, undo",
    )
    .bind(merge_id)
    .bind(by)
    .bind(timestamp(now))
    .fetch_optional(&mut *conn)
    .await?;
    let Some((s, m, Some(undo))) = row else {
        return Ok(false);
    };
    let undo: Undo = serde_json::from_str(&undo).map_err(|e| sqlx::Error::Decode(e.into()))?;
    for (table, ids) in &undo.moved {
        let Some((table, key)) = HISTORY.iter().find(|(t, _)| *t == table.as_str()) else {
            continue;
        };
        for id in ids {
            sqlx::query(AssertSqlSafe(format!(
                "UPDATE {table} SET family_id = $1 WHERE {key} = $2"
            )))
            .bind(&m)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        }
    }
    for id in &undo.events {
        sqlx::query("UPDATE case_event SET family_id = $1 WHERE case_event_id = $2")
            .bind(&m)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    let places: Vec<(&str, &str, i64)> = undo
        .members
        .iter()
        .map(|(id, f, p)| (id.as_str(), f.as_str(), *p))
        .collect();
    place_members(conn, &places, (&s, &m)).await?;
    let h = &undo.survivor;
    sqlx::query(
        "UPDATE family SET province = $2, district = $3, address = $4, phone = $5,
             phone_international = $6, phone_key = $7, return_date = $8, returned_from = $9,
             return_type = $10, displaced_from = $11, assigned_to = $12, status = $13,
             registration_consent = $14, sharing_consent = $15, last_contact_on = $16,
             closed_at = $17
         WHERE family_id = $1",
    )
    .bind(&s)
    .bind(&h.province)
    .bind(&h.district)
    .bind(&h.address)
    .bind(&h.phone)
    .bind(&h.phone_international)
    .bind(&h.phone_key)
    .bind(&h.return_date)
    .bind(&h.returned_from)
    .bind(&h.return_type)
    .bind(&h.displaced_from)
    .bind(&h.assigned_to)
    .bind(&h.status)
    .bind(h.registration_consent)
    .bind(h.sharing_consent)
    .bind(&h.last_contact_on)
    .bind(&h.closed_at)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE family SET status = $2, closed_at = $3, merged_into = NULL WHERE family_id = $1",
    )
    .bind(&m)
    .bind(&undo.merged.0)
    .bind(&undo.merged.1)
    .execute(&mut *conn)
    .await?;
    for (id, assignee) in &undo.follow_ups {
        sqlx::query("UPDATE follow_up SET assigned_to = $2 WHERE follow_up_id = $1")
            .bind(id)
            .bind(assignee)
            .execute(&mut *conn)
            .await?;
    }
    for id in [&s, &m] {
        members::refresh_household_summary(conn, id).await?;
        name_index::follow_family(conn, id).await?;
    }
    Ok(true)
}

impl From<Stored> for crate::model::merges::MergeView {
    fn from(s: Stored) -> Self {
        crate::model::merges::MergeView {
            survivor_id: s.survivor_id,
            survivor_case_number: s.survivor_case_number,
            merged_id: s.merged_id,
            merged_case_number: s.merged_case_number,
            merged_at: s.merged_at,
            merged_by: s.merged_by_name,
            undoable: s.undoable,
        }
    }
}

/// Whether a closure request or a transfer waits for an answer on the case.
pub async fn pending_request(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM case_closure WHERE family_id = $1 AND decision IS NULL)
              + (SELECT COUNT(*) FROM case_transfer WHERE family_id = $1 AND decision IS NULL)",
    )
    .bind(family_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}
