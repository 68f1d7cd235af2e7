//! Assessments and the reintegration plan.

use crate::backend::clock::timestamp;
use crate::backend::db::new_id;
use chrono::{DateTime, NaiveDate, Utc};
use shared::assessment::{Answers, Need, Scores};
use shared::plan::{PlanItemChange, PlanStatus};
use shared::service::ServiceCategory;

use sqlx::{AnyConnection, FromRow};

/// How long after the assessment a proposed plan item is due, until the caseworker sets it.
const PROPOSED_TARGET_DAYS: i64 = 30;

/// A new assessment, as validated and scored.
pub struct NewAssessment<'a> {
    pub family_id: &'a str,
    pub member_id: Option<&'a str>,
    pub instrument_version: u32,
    pub assessed_on: NaiveDate,
    pub scores: Scores,
    pub answers: &'a Answers,
}

pub async fn insert(
    conn: &mut AnyConnection,
    a: &NewAssessment<'_>,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO assessment (assessment_id, family_id, member_id, instrument_version, assessed_on,
             economic, social, psychosocial, composite, answers, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(a.family_id)
    .bind(a.member_id)
    .bind(i64::from(a.instrument_version))
    .bind(a.assessed_on.to_string())
    .bind(a.scores.economic)
    .bind(a.scores.social)
    .bind(a.scores.psychosocial)
    .bind(a.scores.composite)
    .bind(serde_json::to_string(a.answers).unwrap_or_default())
    .bind(user_id)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// Proposes a plan item for each need that has no open item yet (a need found again in a
/// later assessment keeps its item). Answers how many were proposed.
pub async fn propose_plan(
    conn: &mut AnyConnection,
    family_id: &str,
    assessment_id: &str,
    needs: &[Need],
    assessed_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let open: Vec<String> = sqlx::query_scalar(
        "SELECT need FROM plan_item
         WHERE family_id = $1 AND status IN ('proposed', 'planned', 'in_progress')",
    )
    .bind(family_id)
    .fetch_all(&mut *conn)
    .await?;
    let target = assessed_on + chrono::Duration::days(PROPOSED_TARGET_DAYS);
    let mut proposed = 0;
    for need in needs.iter().filter(|n| !open.contains(&n.indicator)) {
        sqlx::query(
            "INSERT INTO plan_item (plan_item_id, family_id, assessment_id, need, service, action,
                 target_date, status, version, created_at, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, NULL, $6, 'proposed', 1, $7, $7, NULL)",
        )
        .bind(new_id())
        .bind(family_id)
        .bind(assessment_id)
        .bind(&need.indicator)
        .bind(need.service.as_str())
        .bind(target.to_string())
        .bind(timestamp(now))
        .execute(&mut *conn)
        .await?;
        proposed += 1;
    }
    Ok(proposed)
}

/// An assessment as stored.
#[derive(Clone, Debug)]
pub struct Stored {
    pub assessment_id: String,
    pub member_id: Option<String>,
    pub member_name: Option<String>,
    pub instrument_version: u32,
    pub assessed_on: String,
    pub scores: Scores,
    pub answers: Answers,
    pub created_by_name: Option<String>,
    pub created_at: String,
}

#[derive(FromRow)]
struct StoredRow {
    assessment_id: String,
    member_id: Option<String>,
    member_name: Option<String>,
    instrument_version: i64,
    assessed_on: String,
    economic: Option<f64>,
    social: Option<f64>,
    psychosocial: Option<f64>,
    composite: Option<f64>,
    answers: String,
    created_by_name: Option<String>,
    created_at: String,
}

impl TryFrom<StoredRow> for Stored {
    type Error = sqlx::Error;

    fn try_from(r: StoredRow) -> Result<Stored, sqlx::Error> {
        Ok(Stored {
            assessment_id: r.assessment_id,
            member_id: r.member_id,
            member_name: r.member_name,
            instrument_version: u32::try_from(r.instrument_version)
                .map_err(|e| sqlx::Error::Decode(e.into()))?,
            assessed_on: r.assessed_on,
            scores: Scores {
                economic: r.economic,
                social: r.social,
                psychosocial: r.psychosocial,
                composite: r.composite,
            },
            answers: serde_json::from_str(&r.answers).map_err(|e| sqlx::Error::Decode(e.into()))?,
            created_by_name: r.created_by_name,
            created_at: r.created_at,
        })
    }
}

const SELECT: &str = "SELECT a.assessment_id, a.member_id, a.instrument_version, a.assessed_on,
        a.economic, a.social, a.psychosocial, a.composite, a.answers, a.created_at,
        u.display_name AS created_by_name,
        COALESCE(m.name_local, m.name_latin) AS member_name
     FROM assessment a
     LEFT JOIN app_user u ON u.user_id = a.created_by
     LEFT JOIN member m ON m.member_id = a.member_id";

/// The family's assessments, oldest first (the order of the progress chart).
pub async fn list(conn: &mut AnyConnection, family_id: &str) -> Result<Vec<Stored>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE a.family_id = $1 ORDER BY a.assessed_on, a.created_at");
    sqlx::query_as::<_, StoredRow>(sqlx::AssertSqlSafe(sql))
        .bind(family_id)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(Stored::try_from)
        .collect()
}

/// One assessment of the family (`None` if it is not one of this family's).
pub async fn get(
    conn: &mut AnyConnection,
    family_id: &str,
    assessment_id: &str,
) -> Result<Option<Stored>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE a.family_id = $1 AND a.assessment_id = $2");
    sqlx::query_as::<_, StoredRow>(sqlx::AssertSqlSafe(sql))
        .bind(family_id)
        .bind(assessment_id)
        .fetch_optional(conn)
        .await?
        .map(Stored::try_from)
        .transpose()
}

/// A plan item as stored.
#[derive(Clone, Debug, FromRow)]
pub struct PlanItem {
    pub plan_item_id: String,
    pub need: String,
    #[sqlx(try_from = "String")]
    pub service: ServiceCategory,
    pub action: Option<String>,
    pub target_date: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: PlanStatus,
    pub version: i64,
    pub updated_at: String,
}

/// The family's plan: open items first, then by when they were proposed.
pub async fn plan(conn: &mut AnyConnection, family_id: &str) -> Result<Vec<PlanItem>, sqlx::Error> {
    sqlx::query_as(
        "SELECT plan_item_id, need, service, action, target_date, status, version, updated_at
         FROM plan_item WHERE family_id = $1
         ORDER BY CASE WHEN status IN ('done', 'cancelled') THEN 1 ELSE 0 END, created_at, need",
    )
    .bind(family_id)
    .fetch_all(conn)
    .await
}

/// Saves one plan item if it is this family's and still at `change.version`. False means it
/// changed since (or is not this family's): the caller answers with a conflict.
pub async fn update_plan_item(
    conn: &mut AnyConnection,
    family_id: &str,
    change: &PlanItemChange,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE plan_item SET action = $1, service = $2, target_date = $3, status = $4,
             version = version + 1, updated_at = $5, updated_by = $6
         WHERE plan_item_id = $7 AND family_id = $8 AND version = $9",
    )
    .bind(change.action.as_deref())
    .bind(change.service.as_str())
    .bind(change.target_date.map(|d| d.to_string()))
    .bind(change.status.as_str())
    .bind(timestamp(now))
    .bind(user_id)
    .bind(&change.id)
    .bind(family_id)
    .bind(change.version)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}
