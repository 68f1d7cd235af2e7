//! The name search index (`name_index`): the terms each member's names are found by
//! (`shared::names::index_terms`), kept in step with every member change and with the
//! family's province (`bulk::rebuild_name_index_if_pending` rebuilds it after a migration).

use shared::family::Member;
use shared::names;
use sqlx::{AnyConnection, AssertSqlSafe};

/// The terms a member is found by: those of their name in each script.
pub fn member_terms(name_local: Option<&str>, name_latin: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in [name_local, name_latin].into_iter().flatten() {
        for t in names::index_terms(name) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// Replaces a member's terms, under the family's country and province: one statement.
pub async fn write_member(
    conn: &mut AnyConnection,
    family_id: &str,
    member_id: &str,
    m: &Member,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM name_index WHERE member_id = $1")
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    let terms = member_terms(m.name_local.as_deref(), m.name_latin.as_deref());
    if terms.is_empty() {
        return Ok(());
    }
    let values = (0..terms.len())
        .map(|i| format!("(${})", i + 3))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO name_index (country, province, term, member_id, family_id)
         SELECT f.country, f.province, v.column1, $1, f.family_id
         FROM family f CROSS JOIN (VALUES {values}) v WHERE f.family_id = $2"
    );
    let mut q = sqlx::query(AssertSqlSafe(sql))
        .bind(member_id)
        .bind(family_id);
    for t in terms {
        q = q.bind(t);
    }
    q.execute(conn).await?;
    Ok(())
}

/// Moves a family's terms to its current province (after the household moved).
pub async fn follow_family(conn: &mut AnyConnection, family_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE name_index SET province = (SELECT province FROM family WHERE family_id = $1)
         WHERE family_id = $1",
    )
    .bind(family_id)
    .execute(conn)
    .await?;
    Ok(())
}
