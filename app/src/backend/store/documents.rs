//! Documents on file (the files themselves, as SQLite blobs or PostgreSQL `bytea`) and the
//! referrals each is shared with.

use super::Flag;
use crate::backend::clock::timestamp;
use crate::backend::db::new_id;
use chrono::{DateTime, Utc};
use shared::document::DocumentKind;
use sqlx::{AnyConnection, FromRow};

pub struct NewDocument<'a> {
    pub family_id: &'a str,
    pub member_id: Option<&'a str>,
    pub kind: DocumentKind,
    pub title: Option<&'a str>,
    pub content_type: &'a str,
    pub content: &'a [u8],
    pub thumbnail: Option<&'a [u8]>,
    pub uploaded_by: &'a str,
}

pub async fn insert(
    conn: &mut AnyConnection,
    d: &NewDocument<'_>,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO document (document_id, family_id, member_id, kind, title, content_type,
             byte_size, content, thumbnail, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(d.family_id)
    .bind(d.member_id)
    .bind(d.kind.as_str())
    .bind(d.title)
    .bind(d.content_type)
    .bind(d.content.len() as i64)
    .bind(d.content)
    .bind(d.thumbnail)
    .bind(d.uploaded_by)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// A document without its file.
#[derive(Clone, Debug, FromRow)]
pub struct DocumentRow {
    pub document_id: String,
    pub member_id: Option<String>,
    #[sqlx(try_from = "String")]
    pub kind: DocumentKind,
    pub title: Option<String>,
    pub content_type: String,
    pub byte_size: i64,
    #[sqlx(try_from = "Flag")]
    pub has_thumbnail: bool,
    pub uploaded_by_name: Option<String>,
    pub uploaded_at: String,
}

const SELECT: &str = "SELECT d.document_id, d.member_id, d.kind, d.title, d.content_type,
        d.byte_size, CASE WHEN d.thumbnail IS NULL THEN 0 ELSE 1 END AS has_thumbnail,
        u.display_name AS uploaded_by_name, d.uploaded_at
     FROM document d LEFT JOIN app_user u ON u.user_id = d.uploaded_by";

/// A family's documents, newest first.
pub async fn of_family(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Vec<DocumentRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE d.family_id = $1 ORDER BY d.uploaded_at DESC, d.document_id");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(family_id)
        .fetch_all(conn)
        .await
}

/// The documents shared with a referral, newest first.
pub async fn shared_with(
    conn: &mut AnyConnection,
    referral_id: &str,
) -> Result<Vec<DocumentRow>, sqlx::Error> {
    let sql = format!(
        "{SELECT} JOIN document_share s ON s.document_id = d.document_id
         WHERE s.referral_id = $1 ORDER BY d.uploaded_at DESC, d.document_id"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(referral_id)
        .fetch_all(conn)
        .await
}

/// Which of a family's documents are shared with which referral: (document, referral).
pub async fn shares_of_family(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.document_id, s.referral_id FROM document_share s
         JOIN document d ON d.document_id = s.document_id
         WHERE d.family_id = $1 ORDER BY s.shared_at",
    )
    .bind(family_id)
    .fetch_all(conn)
    .await
}

/// A file as stored, or its thumbnail.
#[derive(Clone, Debug, FromRow)]
pub struct File {
    pub content_type: String,
    #[sqlx(try_from = "String")]
    pub kind: DocumentKind,
    pub bytes: Vec<u8>,
}

/// The file of a family's document (or its thumbnail, if it has one).
pub async fn file(
    conn: &mut AnyConnection,
    family_id: &str,
    document_id: &str,
    thumbnail: bool,
) -> Result<Option<File>, sqlx::Error> {
    let column = if thumbnail { "thumbnail" } else { "content" };
    let sql = format!(
        "SELECT content_type, kind, {column} AS bytes FROM document
         WHERE family_id = $1 AND document_id = $2 AND {column} IS NOT NULL"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(family_id)
        .bind(document_id)
        .fetch_optional(conn)
        .await
}

/// The family a document shared with `referral_id` belongs to, if it is shared with it.
pub async fn family_if_shared(
    conn: &mut AnyConnection,
    referral_id: &str,
    document_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT d.family_id FROM document d
         JOIN document_share s ON s.document_id = d.document_id
         WHERE s.referral_id = $1 AND d.document_id = $2",
    )
    .bind(referral_id)
    .bind(document_id)
    .fetch_optional(conn)
    .await
}

/// Whether `document_id` is one of the family's documents.
pub async fn belongs(
    conn: &mut AnyConnection,
    family_id: &str,
    document_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM document WHERE family_id = $1 AND document_id = $2",
    )
    .bind(family_id)
    .bind(document_id)
    .fetch_one(conn)
    .await?;
    Ok(n == 1)
}

/// Shares a document with a referral; false if it was already.
pub async fn share(
    conn: &mut AnyConnection,
    document_id: &str,
    referral_id: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO document_share (document_id, referral_id, shared_by, shared_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(document_id)
    .bind(referral_id)
    .bind(by)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Stops sharing a document with a referral; false if it was not shared.
pub async fn unshare(
    conn: &mut AnyConnection,
    document_id: &str,
    referral_id: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM document_share WHERE document_id = $1 AND referral_id = $2")
        .bind(document_id)
        .bind(referral_id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Deletes a family's document and its shares; false if there was none.
pub async fn delete(
    conn: &mut AnyConnection,
    family_id: &str,
    document_id: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM document WHERE family_id = $1 AND document_id = $2")
        .bind(family_id)
        .bind(document_id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}
