//! Consent: who gave it, when, for what; withdrawal takes effect on the family at once.

use crate::backend::clock::timestamp;
use crate::backend::db::new_id;
use chrono::{DateTime, Utc};
use shared::family::ConsentKind;
use sqlx::{AnyConnection, AssertSqlSafe};

/// Records consent given or withdrawn; sharing consent takes effect at once on the family.
pub async fn record_consent(
    conn: &mut AnyConnection,
    family_id: &str,
    kind: ConsentKind,
    given: bool,
    given_by: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    insert_consent(conn, family_id, kind, given, given_by, actor, now).await?;
    let column = match kind {
        ConsentKind::Registration => "registration_consent",
        ConsentKind::Sharing => "sharing_consent",
    };
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE family SET {column} = $1 WHERE family_id = $2"
    )))
    .bind(i64::from(given))
    .bind(family_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn insert_consent(
    conn: &mut AnyConnection,
    family_id: &str,
    kind: ConsentKind,
    given: bool,
    given_by: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consent (consent_id, family_id, kind, given, given_by, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(family_id)
    .bind(kind.as_str())
    .bind(i64::from(given))
    .bind(given_by)
    .bind(actor)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(())
}
