//! The whole case record, as the family page shows it: household, members with their needs
//! and documents, consent history, notes and timeline.

use crate::backend::store::timeline;
use crate::model::families::{FamilyView, MemberView, NoteView};
use shared::family::{DocumentType, SpecificNeed};
use sqlx::{AnyConnection, FromRow};

#[derive(FromRow)]
struct NeedRow {
    member_id: String,
    #[sqlx(try_from = "String")]
    need: SpecificNeed,
}

#[derive(FromRow)]
struct DocumentRow {
    member_id: String,
    #[sqlx(try_from = "String")]
    document_type: DocumentType,
    number: String,
}

/// The members of a family, in order, with their needs and documents.
pub async fn members(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Vec<MemberView>, sqlx::Error> {
    let mut members: Vec<MemberView> =
        sqlx::query_as("SELECT * FROM member WHERE family_id = $1 ORDER BY position")
            .bind(family_id)
            .fetch_all(&mut *conn)
            .await?;
    let needs: Vec<NeedRow> = sqlx::query_as(
        "SELECT member_id, need FROM member_need WHERE family_id = $1 ORDER BY need",
    )
    .bind(family_id)
    .fetch_all(&mut *conn)
    .await?;
    let docs: Vec<DocumentRow> = sqlx::query_as(
        "SELECT member_id, document_type, number FROM member_document WHERE family_id = $1
         ORDER BY document_type, number",
    )
    .bind(family_id)
    .fetch_all(&mut *conn)
    .await?;
    for m in &mut members {
        m.needs = needs
            .iter()
            .filter(|n| n.member_id == m.member_id)
            .map(|n| n.need)
            .collect();
        m.documents = docs
            .iter()
            .filter(|d| d.member_id == m.member_id)
            .map(|d| (d.document_type, d.number.clone()))
            .collect();
    }
    Ok(members)
}

/// The whole case record.
pub async fn get(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Option<FamilyView>, sqlx::Error> {
    let Some(mut view) = sqlx::query_as::<_, FamilyView>(
        "SELECT f.*, u.display_name AS assigned_to_name FROM family f
         LEFT JOIN app_user u ON u.user_id = f.assigned_to WHERE f.family_id = $1",
    )
    .bind(family_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    view.members = members(conn, family_id).await?;
    view.consents = sqlx::query_as(
        "SELECT c.kind, c.given, c.given_by, c.recorded_at, u.display_name AS recorded_by
         FROM consent c LEFT JOIN app_user u ON u.user_id = c.recorded_by
         WHERE c.family_id = $1 ORDER BY c.recorded_at, c.consent_id",
    )
    .bind(family_id)
    .fetch_all(&mut *conn)
    .await?;
    view.notes = sqlx::query_as::<_, NoteView>(
        "SELECT n.created_at, n.body, u.display_name AS author, n.internal FROM case_note n
         LEFT JOIN app_user u ON u.user_id = n.author_user_id WHERE n.family_id = $1
         ORDER BY n.created_at DESC",
    )
    .bind(family_id)
    .fetch_all(&mut *conn)
    .await?;
    view.events = timeline::of_family(conn, family_id).await?;
    Ok(Some(view))
}
