//! Reading the audit log (writing is `server::audit`).

use crate::backend::db::Db;
use crate::model::audit::{AuditEventView, AuditFilter, AuditPage};
use sqlx::{AssertSqlSafe, Row};

pub const PAGE_SIZE: i64 = 50;

pub async fn list(db: &Db, f: &AuditFilter) -> Result<AuditPage, sqlx::Error> {
    let mut conditions = String::from(" WHERE 1 = 1");
    let mut binds: Vec<String> = Vec::new();
    let mut add = |cond: &str, value: String, binds: &mut Vec<String>| {
        binds.push(value);
        conditions.push_str(&cond.replace("$?", &format!("${}", binds.len())));
    };
    if let Some(a) = f.action.as_deref().filter(|s| !s.is_empty()) {
        add(" AND e.action = $?", a.to_string(), &mut binds);
    }
    if let Some(actor) = f.actor.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        add(
            " AND LOWER(u.email) LIKE $?",
            format!("%{}%", actor.to_lowercase()),
            &mut binds,
        );
    }
    if let Some(t) = f.target.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        add(" AND e.target_id = $?", t.to_string(), &mut binds);
    }
    if let Some(from) = f.from.as_deref().filter(|s| !s.is_empty()) {
        add(" AND e.occurred_at >= $?", from.to_string(), &mut binds);
    }
    if let Some(to) = f.to.as_deref().filter(|s| !s.is_empty()) {
        // Inclusive of the whole day named.
        add(" AND e.occurred_at < $?", format!("{to}T99"), &mut binds);
    }
    let from = " FROM audit_event e LEFT JOIN app_user u ON u.user_id = e.actor_user_id";
    let total_sql = format!("SELECT COUNT(*){from}{conditions}");
    let mut total_q = sqlx::query_scalar::<_, i64>(AssertSqlSafe(total_sql));
    for b in &binds {
        total_q = total_q.bind(b);
    }
    let total = total_q.fetch_one(&db.pool).await?;

    let page = f.page.unwrap_or(1).max(1);
    let sql = format!(
        "SELECT e.audit_event_id, e.occurred_at, e.action, e.target_type, e.target_id,
                e.client_addr, e.detail, u.email AS actor_email, u.display_name AS actor_name
         {from}{conditions} ORDER BY e.audit_event_id DESC LIMIT {PAGE_SIZE} OFFSET {}",
        (page - 1) * PAGE_SIZE
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for b in &binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(&db.pool).await?;
    let events = rows
        .iter()
        .map(|r| {
            Ok(AuditEventView {
                id: r.try_get("audit_event_id")?,
                occurred_at: r.try_get("occurred_at")?,
                action: r.try_get("action")?,
                target_type: r.try_get("target_type")?,
                target_id: r.try_get("target_id")?,
                client_addr: r.try_get("client_addr")?,
                detail: r.try_get("detail")?,
                actor_email: r.try_get("actor_email")?,
                actor_name: r.try_get("actor_name")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(AuditPage {
        events,
        total,
        page,
        page_size: PAGE_SIZE,
    })
}
