//! Members of a family: their rows, needs, documents and (through `name_index`) the terms
//! they are found by.

use super::name_index;
use crate::backend::clock::timestamp;
use crate::backend::db::new_id;
use chrono::{DateTime, NaiveDate, Utc};
use shared::family::{Birth, Member, Presence};
use sqlx::{AnyConnection, AssertSqlSafe};

/// How a member's age is stored: a date of birth, or an estimated age.
pub fn birth_columns(birth: &Birth) -> (Option<String>, Option<i64>) {
    match birth {
        Birth::Date(d) => (Some(d.to_string()), None),
        Birth::EstimatedAge(a) => (None, Some(*a)),
    }
}

/// Inserts a member with its needs, document and search words.
pub(super) async fn insert_member(
    conn: &mut AnyConnection,
    family_id: &str,
    position: i64,
    m: &Member,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let member_id = new_id();
    let (birth_date, estimated_age) = birth_columns(&m.birth);
    sqlx::query(
        "INSERT INTO member (member_id, family_id, position, name_local, name_latin, father_name, sex,
                             birth_date, estimated_age, age_recorded_on, birth_year, relationship,
                             education, occupation, skills, health, presence, left_on, created_at,
                             updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $18, $19,
                 $17, $17)",
    )
    .bind(&member_id)
    .bind(family_id)
    .bind(position)
    .bind(m.name_local.as_deref())
    .bind(m.name_latin.as_deref())
    .bind(m.father_name.as_deref())
    .bind(m.sex.as_str())
    .bind(birth_date)
    .bind(estimated_age)
    .bind(today.to_string())
    .bind(i64::from(m.birth.year(today)))
    .bind(m.relationship.as_str())
    .bind(m.education.as_str())
    .bind(m.occupation.as_deref())
    .bind(m.skills.as_deref())
    .bind(m.health.as_deref())
    .bind(timestamp(now))
    .bind(m.presence.as_str())
    .bind(m.left_on.map(|d| d.to_string()))
    .execute(&mut *conn)
    .await?;
    write_member_details(conn, family_id, &member_id, m).await?;
    Ok(member_id)
}

/// (Re)writes a member's needs, document and search terms.
async fn write_member_details(
    conn: &mut AnyConnection,
    family_id: &str,
    member_id: &str,
    m: &Member,
) -> Result<(), sqlx::Error> {
    for table in ["member_need", "member_document"] {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE member_id = $1"
        )))
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    }
    for need in &m.needs {
        sqlx::query("INSERT INTO member_need (member_id, family_id, need) VALUES ($1, $2, $3)")
            .bind(member_id)
            .bind(family_id)
            .bind(need.as_str())
            .execute(&mut *conn)
            .await?;
    }
    for (kind, number) in &m.documents {
        sqlx::query("INSERT INTO member_document (member_id, family_id, document_type, number) VALUES ($1, $2, $3, $4)")
            .bind(member_id)
            .bind(family_id)
            .bind(kind.as_str())
            .bind(number)
            .execute(&mut *conn)
            .await?;
    }
    name_index::write_member(conn, family_id, member_id, m).await?;
    Ok(())
}

/// Replaces a member's fields, keeping the day an estimated age was recorded unless the
/// estimate changed.
pub async fn update_member(
    conn: &mut AnyConnection,
    family_id: &str,
    member_id: &str,
    m: &Member,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let (birth_date, estimated_age) = birth_columns(&m.birth);
    let r = sqlx::query(
        "UPDATE member SET name_local = $1, name_latin = $2, father_name = $3, sex = $4, birth_date = $5,
                estimated_age = $6,
                age_recorded_on = CASE WHEN estimated_age = $6 THEN age_recorded_on ELSE $7 END,
                birth_year = $8, relationship = $9, education = $10, occupation = $11, skills = $12,
                health = $13, updated_at = $14, presence = $17, left_on = $18
         WHERE member_id = $15 AND family_id = $16",
    )
    .bind(m.name_local.as_deref())
    .bind(m.name_latin.as_deref())
    .bind(m.father_name.as_deref())
    .bind(m.sex.as_str())
    .bind(birth_date)
    .bind(estimated_age)
    .bind(today.to_string())
    .bind(i64::from(m.birth.year(today)))
    .bind(m.relationship.as_str())
    .bind(m.education.as_str())
    .bind(m.occupation.as_deref())
    .bind(m.skills.as_deref())
    .bind(m.health.as_deref())
    .bind(timestamp(now))
    .bind(member_id)
    .bind(family_id)
    .bind(m.presence.as_str())
    .bind(m.left_on.map(|d| d.to_string()))
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    write_member_details(conn, family_id, member_id, m).await?;
    Ok(true)
}

/// Adds a member at the end of the family.
pub async fn add_member(
    conn: &mut AnyConnection,
    family_id: &str,
    m: &Member,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let position: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM member WHERE family_id = $1",
    )
    .bind(family_id)
    .fetch_one(&mut *conn)
    .await?;
    insert_member(conn, family_id, position, m, today, now).await
}

/// How the household's heads stand after a member change. Only the people living with the
/// family count: a head who left or died keeps the relationship on their record.
#[derive(Debug, PartialEq, Eq)]
pub enum Heads {
    /// One head among the people present: the change stands.
    One,
    /// Several heads present, or none when nobody who was head has left.
    NotOne,
    /// The head has left or died and nobody present has become the head.
    Absent,
}

/// Copies the present head's names and the number of members still present onto the family
/// row (for lists), and tells whether exactly one person present is the head.
pub async fn refresh_household_summary(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Heads, sqlx::Error> {
    let (present, absent): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN presence = 'present' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN presence = 'present' THEN 0 ELSE 1 END), 0)
         FROM member WHERE family_id = $1 AND relationship = 'head'",
    )
    .bind(family_id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE family SET
           member_count = (SELECT COUNT(*) FROM member WHERE family_id = $1 AND presence = 'present'),
           head_name_local = (SELECT name_local FROM member WHERE family_id = $1 AND relationship = 'head' AND presence = 'present' ORDER BY position LIMIT 1),
           head_name_latin = (SELECT name_latin FROM member WHERE family_id = $1 AND relationship = 'head' AND presence = 'present' ORDER BY position LIMIT 1)
         WHERE family_id = $1",
    )
    .bind(family_id)
    .execute(conn)
    .await?;
    Ok(match (present, absent) {
        (1, _) => Heads::One,
        (0, 1..) => Heads::Absent,
        _ => Heads::NotOne,
    })
}

/// A member as the edit form compares it (to list what changed).
pub async fn member_exists(
    conn: &mut AnyConnection,
    family_id: &str,
    member_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM member WHERE family_id = $1 AND member_id = $2")
            .bind(family_id)
            .bind(member_id)
            .fetch_one(conn)
            .await?;
    Ok(n == 1)
}

/// Makes a member who lives with the family its head (when the head left or died), and
/// answers their name (`None`: no such member present).
pub async fn make_head(
    conn: &mut AnyConnection,
    family_id: &str,
    member_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE member SET relationship = 'head'
         WHERE family_id = $1 AND member_id = $2 AND presence = 'present'
         RETURNING COALESCE(name_local, name_latin, '')",
    )
    .bind(family_id)
    .bind(member_id)
    .fetch_optional(conn)
    .await
}

/// Whether a member of the family lives with it (`None`: no such member).
pub async fn presence(
    conn: &mut AnyConnection,
    family_id: &str,
    member_id: &str,
) -> Result<Option<Presence>, sqlx::Error> {
    let code: Option<String> =
        sqlx::query_scalar("SELECT presence FROM member WHERE family_id = $1 AND member_id = $2")
            .bind(family_id)
            .bind(member_id)
            .fetch_optional(conn)
            .await?;
    Ok(code.as_deref().and_then(Presence::parse))
}

/// How many members a family has.
pub async fn count(conn: &mut AnyConnection, family_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM member WHERE family_id = $1")
        .bind(family_id)
        .fetch_one(conn)
        .await
}
