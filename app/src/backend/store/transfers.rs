//! Transfers of cases between provinces' teams: the proposal, how it ended, and who is told.

use crate::backend::clock::timestamp;
use crate::backend::db::new_id;
use chrono::{DateTime, Utc};
use shared::family::transfer::{Transfer, TransferDecision, TransferReason};
use sqlx::{AnyConnection, FromRow};

/// A transfer as stored, with the names the page shows.
#[derive(Clone, Debug, FromRow)]
pub struct Stored {
    pub case_transfer_id: String,
    pub from_province: String,
    pub from_district: String,
    pub to_province: String,
    pub to_district: String,
    #[sqlx(try_from = "String")]
    pub reason: TransferReason,
    pub note: Option<String>,
    pub proposed_by: String,
    pub proposed_by_name: String,
    pub proposed_at: String,
    #[sqlx(try_from = "super::OptionalCode<TransferDecision>")]
    pub decision: Option<TransferDecision>,
    pub comment: Option<String>,
}

/// The case's latest transfer: the pending one, else the one that ended last.
pub async fn latest(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Option<Stored>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.case_transfer_id, t.from_province, t.from_district, t.to_province,
             t.to_district, t.reason, t.note, t.proposed_by, u.display_name AS proposed_by_name, t.proposed_at,
             t.decision, t.comment
         FROM case_transfer t JOIN app_user u ON u.user_id = t.proposed_by
         WHERE t.family_id = $1
         ORDER BY CASE WHEN t.decision IS NULL THEN 0 ELSE 1 END,
             COALESCE(t.decided_at, t.proposed_at) DESC, t.proposed_at DESC LIMIT 1",
    )
    .bind(family_id)
    .fetch_optional(conn)
    .await
}

/// The case's pending proposal, if any.
pub async fn pending(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Option<Stored>, sqlx::Error> {
    Ok(latest(conn, family_id)
        .await?
        .filter(|t| t.decision.is_none()))
}

/// Records a proposal to move the case from where it is now (`from`: province, district).
pub async fn propose(
    conn: &mut AnyConnection,
    family_id: &str,
    from: (&str, &str),
    t: &Transfer,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_transfer (case_transfer_id, family_id, from_province, from_district,
             to_province, to_district, reason, note, proposed_by, proposed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new_id())
    .bind(family_id)
    .bind(from.0)
    .bind(from.1)
    .bind(&t.to_province)
    .bind(&t.to_district)
    .bind(t.reason.as_str())
    .bind(t.note.as_deref())
    .bind(user_id)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// How a pending proposal ended.
pub struct Decision<'a> {
    pub decision: TransferDecision,
    pub comment: Option<&'a str>,
    pub assigned_to: Option<&'a str>,
    pub by: &'a str,
}

/// Ends the pending proposal `transfer_id`. False if it is not pending any more.
pub async fn decide(
    conn: &mut AnyConnection,
    transfer_id: &str,
    d: &Decision<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE case_transfer SET decision = $1, comment = $2, assigned_to = $3,
             decided_by = $4, decided_at = $5
         WHERE case_transfer_id = $6 AND decision IS NULL",
    )
    .bind(d.decision.as_str())
    .bind(d.comment)
    .bind(d.assigned_to)
    .bind(d.by)
    .bind(timestamp(now))
    .bind(transfer_id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Whom a proposal is announced to: the ministry's active supervisors (each sees the whole
/// country, so each may answer it). (id, email, language)
pub async fn supervisors(
    conn: &mut AnyConnection,
    organisation_id: &str,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, email, language FROM app_user
         WHERE organisation_id = $1 AND role = 'supervisor' AND active = 1 ORDER BY email",
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await
}
