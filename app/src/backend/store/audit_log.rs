//! The audit log: who did what, to what, when, from where. Entries are written in the same
//! transaction as the change they record, so there is never a change without its entry (or
//! the reverse); reads of case data write theirs before the data leaves.

use super::binds::Binds;
use crate::backend::clock::timestamp;
use crate::model::audit::{AuditEventView, AuditFilter, AuditPage};
use chrono::{DateTime, Utc};
use shared::audit::{AuditAction, AuditTarget};
use sqlx::AnyConnection;

pub const PAGE_SIZE: i64 = 50;
/// The last page anyone can ask for (a bigger number would overflow the offset).
pub const MAX_PAGE: i64 = 100_000;

/// One entry. `detail` is a short machine-readable note (ids, codes, filters).
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub actor_user_id: Option<&'a str>,
    pub action: AuditAction,
    pub target: Option<(AuditTarget, &'a str)>,
    pub client_addr: Option<&'a str>,
    pub detail: Option<&'a str>,
}

impl<'a> Entry<'a> {
    /// An entry with no signed-in actor (sign-in attempts).
    pub fn anonymous(action: AuditAction, client_addr: Option<&'a str>) -> Self {
        Entry {
            actor_user_id: None,
            action,
            target: None,
            client_addr,
            detail: None,
        }
    }
}

pub async fn record(
    conn: &mut AnyConnection,
    at: DateTime<Utc>,
    e: &Entry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_event (occurred_at, actor_user_id, action, target_type, target_id, client_addr, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(timestamp(at))
    .bind(e.actor_user_id)
    .bind(e.action.as_str())
    .bind(e.target.map(|(t, _)| t.as_str()))
    .bind(e.target.map(|(_, id)| id))
    .bind(e.client_addr)
    .bind(e.detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// A page of the log, newest first.
pub async fn list(conn: &mut AnyConnection, f: &AuditFilter) -> Result<AuditPage, sqlx::Error> {
    let mut binds = Binds::default();
    let mut cond = vec!["1 = 1".to_string()];
    if let Some(a) = f.action.as_deref().and_then(AuditAction::parse) {
        cond.push(format!("e.action = {}", binds.push(a.as_str())));
    }
    if let Some(actor) = f.actor.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        cond.push(binds.contains("LOWER(u.email)", &actor.to_lowercase()));
    }
    if let Some(t) = f.target.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        cond.push(format!("e.target_id = {}", binds.push(t)));
    }
    if let Some(from) = f.from.as_deref().filter(|s| !s.is_empty()) {
        cond.push(format!("e.occurred_at >= {}", binds.push(from)));
    }
    if let Some(to) = f.to.as_deref().filter(|s| !s.is_empty()) {
        // Inclusive of the whole day named.
        cond.push(format!(
            "e.occurred_at < {}",
            binds.push(format!("{to}T99"))
        ));
    }
    let from = format!(
        " FROM audit_event e LEFT JOIN app_user u ON u.user_id = e.actor_user_id WHERE {}",
        cond.join(" AND ")
    );
    let total = binds
        .scalar(&format!("SELECT COUNT(*){from}"))
        .fetch_one(&mut *conn)
        .await?;
    let page = f.page.unwrap_or(1).clamp(1, MAX_PAGE);
    let sql = format!(
        "SELECT e.audit_event_id AS id, e.occurred_at, e.action, e.target_type, e.target_id,
                e.client_addr, e.detail, u.email AS actor_email, u.display_name AS actor_name
         {from} ORDER BY e.audit_event_id DESC LIMIT {PAGE_SIZE} OFFSET {}",
        (page - 1) * PAGE_SIZE
    );
    let events: Vec<AuditEventView> = binds.query_as(&sql).fetch_all(conn).await?;
    Ok(AuditPage {
        events,
        total,
        page,
        page_size: PAGE_SIZE,
    })
}
