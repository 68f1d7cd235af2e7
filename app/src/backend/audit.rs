//! The audit log: who did what, to what, when, from where. Written in the same transaction as
//! the change it records, so there is never a change without its entry (or the reverse).

use super::clock::timestamp;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

/// One entry. `detail` is a short machine-readable note (never a returnee's personal data).
#[derive(Clone, Debug, Default)]
pub struct Entry<'a> {
    pub actor_user_id: Option<&'a str>,
    pub action: &'a str,
    pub target_type: Option<&'a str>,
    pub target_id: Option<&'a str>,
    pub client_addr: Option<&'a str>,
    pub detail: Option<&'a str>,
}

pub async fn record(
    conn: &mut AnyConnection,
    at: DateTime<Utc>,
    e: Entry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_event (occurred_at, actor_user_id, action, target_type, target_id, client_addr, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(timestamp(at))
    .bind(e.actor_user_id)
    .bind(e.action)
    .bind(e.target_type)
    .bind(e.target_id)
    .bind(e.client_addr)
    .bind(e.detail)
    .execute(conn)
    .await?;
    Ok(())
}
