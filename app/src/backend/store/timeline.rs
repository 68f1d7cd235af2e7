//! A case's timeline: every event, by whom, at which version of the case.

use crate::backend::clock::timestamp;
use crate::model::families::EventView;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::timeline::CaseEvent;
use sqlx::{AnyConnection, FromRow};

/// Detail of a timeline event, stored as JSON.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct EventDetail {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Appends an event to the case's timeline.
pub async fn append(
    conn: &mut AnyConnection,
    family_id: &str,
    now: DateTime<Utc>,
    actor: Option<&str>,
    event: CaseEvent,
    detail: &EventDetail,
    version: i64,
) -> Result<(), sqlx::Error> {
    let detail = serde_json::to_string(detail).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "INSERT INTO case_event (family_id, occurred_at, actor_user_id, kind, detail, version)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(family_id)
    .bind(timestamp(now))
    .bind(actor)
    .bind(event.as_str())
    .bind(detail)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct EventRow {
    occurred_at: String,
    #[sqlx(try_from = "String")]
    kind: CaseEvent,
    detail: Option<String>,
    version: Option<i64>,
    display_name: Option<String>,
}

/// The case's timeline, newest first.
pub async fn of_family(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Vec<EventView>, sqlx::Error> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.occurred_at, e.kind, e.detail, e.version, u.display_name FROM case_event e
         LEFT JOIN app_user u ON u.user_id = e.actor_user_id WHERE e.family_id = $1
         ORDER BY e.case_event_id DESC",
    )
    .bind(family_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|e| {
            let detail: EventDetail = match e.detail {
                Some(d) => serde_json::from_str(&d).map_err(|e| sqlx::Error::Decode(e.into()))?,
                None => EventDetail::default(),
            };
            Ok(EventView {
                occurred_at: e.occurred_at,
                kind: e.kind,
                actor: e.display_name,
                fields: detail.fields,
                text: detail.text,
                version: e.version,
            })
        })
        .collect()
}
