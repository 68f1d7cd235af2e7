//! The name index rebuilt from the members, after a migration that changed its terms.

use super::rows::{insert_rows, t};
use crate::backend::db::Db;
use crate::backend::store::families::name_index::member_terms;

#[derive(sqlx::FromRow)]
struct MemberNames {
    member_id: String,
    family_id: String,
    country: String,
    province: String,
    name_local: Option<String>,
    name_latin: Option<String>,
}

/// Fills the index from the members if a migration asked for it (`pending_rebuild`), in one
/// transaction, before the server serves: a search never sees half an index.
pub async fn rebuild_name_index_if_pending(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let pending: Option<String> =
        sqlx::query_scalar("SELECT what FROM pending_rebuild WHERE what = 'name_index'")
            .fetch_optional(&mut *tx)
            .await?;
    if pending.is_none() {
        return Ok(());
    }
    sqlx::query("DELETE FROM name_index")
        .execute(&mut *tx)
        .await?;
    let members: Vec<MemberNames> = sqlx::query_as(
        "SELECT m.member_id, m.family_id, f.country, f.province, m.name_local, m.name_latin
         FROM member m JOIN family f ON f.family_id = m.family_id",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut rows = Vec::new();
    for m in members {
        for term in member_terms(m.name_local.as_deref(), m.name_latin.as_deref()) {
            rows.push(vec![
                t(&m.country),
                t(&m.province),
                t(term),
                t(&m.member_id),
                t(&m.family_id),
            ]);
        }
    }
    insert_rows(
        &mut tx,
        "name_index",
        &["country", "province", "term", "member_id", "family_id"],
        rows,
    )
    .await?;
    sqlx::query("DELETE FROM pending_rebuild WHERE what = 'name_index'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}
