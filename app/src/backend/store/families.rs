//! Families, members, consent, notes and the timeline. Every query that lists cases takes the
//! caller's `CaseScope` and applies it in SQL.

use crate::backend::clock::timestamp;
use crate::backend::db::{new_id, Db};
use crate::error::AppError;
use crate::model::families::{
    CaseFilter, CasePage, CaseSummary, ConsentView, EventView, FamilyView, MemberView, NoteView,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use shared::family::{
    self, Birth, CaseStatus, ConsentKind, DocumentType, Education, Household, Member, NewFamily,
    PersonKey, Relationship, ReturnType, SearchQuery, Sex, SpecificNeed,
};
use shared::names;
use shared::policy::CaseScope;
use shared::Country;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::BTreeMap;

pub const PAGE_SIZE: i64 = 25;

/// Parameters bound to a dynamically assembled query, in order ($1, $2, …).
#[derive(Default)]
pub struct Binds(Vec<String>);

impl Binds {
    /// Adds a value and returns its placeholder.
    pub fn push(&mut self, v: impl Into<String>) -> String {
        self.0.push(v.into());
        format!("${}", self.0.len())
    }

    pub fn query<'q>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for b in &self.0 {
            q = q.bind(b.as_str());
        }
        q
    }

    pub fn scalar<'q>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::QueryScalar<'q, sqlx::Any, i64, sqlx::any::AnyArguments> {
        let mut q = sqlx::query_scalar(AssertSqlSafe(sql));
        for b in &self.0 {
            q = q.bind(b.as_str());
        }
        q
    }
}

/// The SQL condition on `family f` that keeps only cases in `scope`.
pub fn scope_condition(scope: &CaseScope, binds: &mut Binds) -> String {
    match scope {
        CaseScope::Nothing => "1 = 0".into(),
        CaseScope::Country(c) => format!("f.country = {}", binds.push(c.code())),
        CaseScope::Areas(c, areas) if areas.is_empty() => {
            let _ = c;
            "1 = 0".into()
        }
        CaseScope::Areas(c, areas) => {
            let country = binds.push(c.code());
            let list = areas
                .iter()
                .map(|a| binds.push(a.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            format!("f.country = {country} AND f.province IN ({list})")
        }
    }
}

/// Gives the next case number of `country` for `year` and its sequence number, inside the
/// caller's transaction.
pub async fn next_case_number(
    conn: &mut AnyConnection,
    country: Country,
    year: i32,
) -> Result<(String, i64), sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO case_number_counter (country, year, last_value) VALUES ($1, $2, 1)
         ON CONFLICT (country, year) DO UPDATE SET last_value = case_number_counter.last_value + 1
         RETURNING last_value",
    )
    .bind(country.code())
    .bind(i64::from(year))
    .fetch_one(conn)
    .await?;
    Ok((family::case_number(country, year, n), n))
}

/// Detail of a timeline event, stored as JSON.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct EventDetail {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Appends an event to the case's timeline.
pub async fn record_event(
    conn: &mut AnyConnection,
    family_id: &str,
    now: DateTime<Utc>,
    actor: Option<&str>,
    kind: &str,
    detail: &EventDetail,
    version: i64,
) -> Result<(), sqlx::Error> {
    let detail = serde_json::to_string(detail).unwrap_or_default();
    sqlx::query(
        "INSERT INTO case_event (family_id, occurred_at, actor_user_id, kind, detail, version)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(family_id)
    .bind(timestamp(now))
    .bind(actor)
    .bind(kind)
    .bind(detail)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(())
}

/// The words a member is found by: normalised words and compact forms of their names, and the
/// Latin skeletons (marked `~`) that make Mohammad find Muhammad.
pub fn search_tokens(m: &Member) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |t: String| {
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    };
    for name in [&m.name_local, &m.name_latin].into_iter().flatten() {
        for t in names::tokens(name) {
            let skeleton = names::latin_skeleton(&t);
            if skeleton != t && !skeleton.is_empty() {
                add(format!("~{skeleton}"));
            }
            add(t);
        }
        let compact = names::compact(name);
        add(compact);
    }
    out
}

/// How a member's age is stored: a date of birth, or an estimated age.
pub fn birth_columns(birth: &Birth) -> (Option<String>, Option<i64>) {
    match birth {
        Birth::Date(d) => (Some(d.to_string()), None),
        Birth::EstimatedAge(a) => (None, Some(*a)),
    }
}

/// Inserts a member with its needs, document and search words.
async fn insert_member(
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
                             education, occupation, skills, health, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)",
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
    .execute(&mut *conn)
    .await?;
    write_member_details(conn, family_id, &member_id, m).await?;
    Ok(member_id)
}

/// (Re)writes a member's needs, document and search words.
async fn write_member_details(
    conn: &mut AnyConnection,
    family_id: &str,
    member_id: &str,
    m: &Member,
) -> Result<(), sqlx::Error> {
    for table in ["member_need", "member_document", "name_token"] {
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
    if let Some((kind, number)) = &m.document {
        sqlx::query("INSERT INTO member_document (member_id, family_id, document_type, number) VALUES ($1, $2, $3, $4)")
            .bind(member_id)
            .bind(family_id)
            .bind(kind.as_str())
            .bind(number)
            .execute(&mut *conn)
            .await?;
    }
    for token in search_tokens(m) {
        sqlx::query("INSERT INTO name_token (token, member_id, family_id) VALUES ($1, $2, $3)")
            .bind(token)
            .bind(member_id)
            .bind(family_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Registers a family in the caller's transaction: case number, household, members, consent
/// and the first timeline entry. Answers (family id, case number).
pub async fn insert_family(
    conn: &mut AnyConnection,
    f: &NewFamily,
    actor: &str,
    assigned_to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(String, String), AppError> {
    let today = now.date_naive();
    let h = &f.household;
    let family_id = new_id();
    let (case_number, case_seq) =
        next_case_number(conn, h.country, chrono::Datelike::year(&today)).await?;
    let head = f
        .members
        .iter()
        .find(|m| m.relationship == Relationship::Head)
        .ok_or(AppError::Internal)?;
    sqlx::query(
        "INSERT INTO family (family_id, case_number, case_seq, country, province, district, address, phone,
                             phone_international, phone_key, return_date, returned_from, return_type,
                             status, assigned_to, head_name_local, head_name_latin, member_count,
                             registration_consent, sharing_consent, version, created_by, created_at, updated_at)
         VALUES ($1, $2, $20, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'registered', $13, $14, $15, $16,
                 1, $17, 1, $18, $19, $19)",
    )
    .bind(&family_id)
    .bind(&case_number)
    .bind(h.country.code())
    .bind(&h.province)
    .bind(&h.district)
    .bind(h.address.as_deref())
    .bind(h.phone.as_deref())
    .bind(h.phone_international.as_deref())
    .bind(h.phone.as_deref().map(names::phone_search_key))
    .bind(h.return_date.to_string())
    .bind(&h.returned_from)
    .bind(h.return_type.as_str())
    .bind(assigned_to)
    .bind(head.name_local.as_deref())
    .bind(head.name_latin.as_deref())
    .bind(f.members.len() as i64)
    .bind(i64::from(f.consent.sharing))
    .bind(actor)
    .bind(timestamp(now))
    .bind(case_seq)
    .execute(&mut *conn)
    .await?;
    for (i, m) in f.members.iter().enumerate() {
        insert_member(conn, &family_id, i as i64, m, today, now).await?;
    }
    insert_consent(
        conn,
        &family_id,
        ConsentKind::Registration,
        true,
        &f.consent.given_by,
        actor,
        now,
    )
    .await?;
    insert_consent(
        conn,
        &family_id,
        ConsentKind::Sharing,
        f.consent.sharing,
        &f.consent.given_by,
        actor,
        now,
    )
    .await?;
    record_event(
        conn,
        &family_id,
        now,
        Some(actor),
        "registered",
        &EventDetail::default(),
        1,
    )
    .await?;
    if let Some(a) = assigned_to {
        let name: Option<String> =
            sqlx::query_scalar("SELECT display_name FROM app_user WHERE user_id = $1")
                .bind(a)
                .fetch_optional(&mut *conn)
                .await?;
        let detail = EventDetail {
            text: name,
            ..Default::default()
        };
        record_event(conn, &family_id, now, Some(actor), "assigned", &detail, 1).await?;
    }
    Ok((family_id, case_number))
}

async fn insert_consent(
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

/// What access and edits need of a case: where it is, its version and status.
#[derive(Clone, Debug)]
pub struct FamilyRef {
    pub family_id: String,
    pub case_number: String,
    pub country: Country,
    pub province: String,
    pub version: i64,
    pub status: CaseStatus,
    pub sharing_consent: bool,
    pub assigned_to: Option<String>,
}

pub async fn family_ref(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Option<FamilyRef>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT family_id, case_number, country, province, version, status, sharing_consent, assigned_to
         FROM family WHERE family_id = $1",
    )
    .bind(family_id)
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let country: String = r.try_get("country")?;
    let status: String = r.try_get("status")?;
    Ok(Some(FamilyRef {
        family_id: r.try_get("family_id")?,
        case_number: r.try_get("case_number")?,
        country: Country::parse(&country).unwrap_or(Country::AF),
        province: r.try_get("province")?,
        version: r.try_get("version")?,
        status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Registered),
        sharing_consent: r.try_get::<i64, _>("sharing_consent")? != 0,
        assigned_to: r.try_get("assigned_to")?,
    }))
}

/// Bumps the version if it is still `expected`: the optimistic lock of every edit. False means
/// someone else saved first.
pub async fn bump_version(
    conn: &mut AnyConnection,
    family_id: &str,
    expected: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE family SET version = version + 1, updated_at = $1 WHERE family_id = $2 AND version = $3")
        .bind(timestamp(now))
        .bind(family_id)
        .bind(expected)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Replaces the household fields (the version was checked and bumped by the caller).
pub async fn update_household(
    conn: &mut AnyConnection,
    family_id: &str,
    h: &Household,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE family SET province = $1, district = $2, address = $3, phone = $4, phone_international = $5,
                phone_key = $6, return_date = $7, returned_from = $8, return_type = $9
         WHERE family_id = $10",
    )
    .bind(&h.province)
    .bind(&h.district)
    .bind(h.address.as_deref())
    .bind(h.phone.as_deref())
    .bind(h.phone_international.as_deref())
    .bind(h.phone.as_deref().map(names::phone_search_key))
    .bind(h.return_date.to_string())
    .bind(&h.returned_from)
    .bind(h.return_type.as_str())
    .bind(family_id)
    .execute(conn)
    .await?;
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
                health = $13, updated_at = $14
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

/// Copies the head's names and the member count onto the family row (for lists), and checks
/// there is exactly one head.
pub async fn refresh_household_summary(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<i64, sqlx::Error> {
    let heads: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM member WHERE family_id = $1 AND relationship = 'head'",
    )
    .bind(family_id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE family SET
           member_count = (SELECT COUNT(*) FROM member WHERE family_id = $1),
           head_name_local = (SELECT name_local FROM member WHERE family_id = $1 AND relationship = 'head' ORDER BY position LIMIT 1),
           head_name_latin = (SELECT name_latin FROM member WHERE family_id = $1 AND relationship = 'head' ORDER BY position LIMIT 1)
         WHERE family_id = $1",
    )
    .bind(family_id)
    .execute(conn)
    .await?;
    Ok(heads)
}

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

pub async fn add_note(
    conn: &mut AnyConnection,
    family_id: &str,
    body: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO case_note (case_note_id, family_id, author_user_id, created_at, body) VALUES ($1, $2, $3, $4, $5)")
        .bind(new_id())
        .bind(family_id)
        .bind(actor)
        .bind(timestamp(now))
        .bind(body)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_assignee(
    conn: &mut AnyConnection,
    family_id: &str,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE family SET assigned_to = $1 WHERE family_id = $2")
        .bind(user_id)
        .bind(family_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Active caseworkers of `organisation_id` whose areas include `province`: who a case there may
/// be assigned to. (id, name)
pub async fn assignable_caseworkers(
    conn: &mut AnyConnection,
    organisation_id: &str,
    province: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.user_id, u.display_name FROM app_user u
         JOIN user_area a ON a.user_id = u.user_id AND a.location_id = $2
         WHERE u.organisation_id = $1 AND u.role = 'caseworker' AND u.active = 1
         ORDER BY u.display_name",
    )
    .bind(organisation_id)
    .bind(province)
    .fetch_all(conn)
    .await
}

/// Caseworkers of an organisation (for the "assigned to" filter). (id, name)
pub async fn caseworkers_of(
    db: &Db,
    organisation_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, display_name FROM app_user
         WHERE organisation_id = $1 AND role = 'caseworker' ORDER BY display_name",
    )
    .bind(organisation_id)
    .fetch_all(&db.pool)
    .await
}

/// Existing people in `scope` who may be the same as the new members: the same document
/// number, or a similar name with the same father's name and a birth year within two years.
/// SQL narrows the field (shared name words, birth years, documents); the rule decides.
pub async fn duplicate_candidates(
    conn: &mut AnyConnection,
    scope: &CaseScope,
    people: &[PersonKey],
) -> Result<Vec<family::DuplicateCandidate>, sqlx::Error> {
    let mut found: Vec<family::DuplicateCandidate> = Vec::new();
    for p in people {
        let mut binds = Binds::default();
        let scope_sql = scope_condition(scope, &mut binds);
        let mut alternatives = Vec::new();
        if let Some(doc) = &p.document_number {
            alternatives.push(format!(
                "m.member_id IN (SELECT member_id FROM member_document WHERE number = {})",
                binds.push(doc.as_str())
            ));
        }
        let mut words: Vec<String> = Vec::new();
        for name in [&p.name_local, &p.name_latin].into_iter().flatten() {
            for t in names::tokens(name) {
                let skeleton = names::latin_skeleton(&t);
                if skeleton != t && !skeleton.is_empty() {
                    words.push(format!("~{skeleton}"));
                }
                words.push(t);
            }
            words.push(names::compact(name));
        }
        if let (false, Some(year)) = (words.is_empty(), p.birth_year) {
            let list = words
                .iter()
                .map(|w| binds.push(w.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            let lo = binds.push((year - 2).to_string());
            let hi = binds.push((year + 2).to_string());
            alternatives.push(format!(
                "(m.birth_year BETWEEN CAST({lo} AS BIGINT) AND CAST({hi} AS BIGINT)
                  AND m.member_id IN (SELECT member_id FROM name_token WHERE token IN ({list})))"
            ));
        }
        if alternatives.is_empty() {
            continue;
        }
        let sql = format!(
            "SELECT m.family_id, f.case_number, m.name_local, m.name_latin, m.father_name, m.birth_year,
                    (SELECT MIN(d.number) FROM member_document d WHERE d.member_id = m.member_id) AS document
             FROM member m JOIN family f ON f.family_id = m.family_id
             WHERE {scope_sql} AND ({}) LIMIT 2000",
            alternatives.join(" OR ")
        );
        let rows = binds.query(&sql).fetch_all(&mut *conn).await?;
        for r in rows {
            let existing = PersonKey {
                name_local: r.try_get("name_local")?,
                name_latin: r.try_get("name_latin")?,
                father_name: r.try_get("father_name")?,
                birth_year: r.try_get::<Option<i64>, _>("birth_year")?.map(|y| y as i32),
                document_number: r.try_get("document")?,
            };
            let Some(reason) = family::duplicate_reason(p, &existing) else {
                continue;
            };
            let family_id: String = r.try_get("family_id")?;
            if found.iter().any(|c| c.family_id == family_id) {
                continue;
            }
            found.push(family::DuplicateCandidate {
                family_id,
                case_number: r.try_get("case_number")?,
                name: existing
                    .name_local
                    .or(existing.name_latin)
                    .unwrap_or_default(),
                reason,
            });
        }
    }
    Ok(found)
}

/// Sort orders of the case list.
fn order_by(sort: Option<&str>) -> &'static str {
    match sort {
        Some("case_number") => "f.case_number DESC",
        Some("return_date") => "f.return_date DESC, f.case_number DESC",
        Some("name") => "COALESCE(f.head_name_latin, f.head_name_local), f.case_number",
        _ => "f.updated_at DESC, f.case_number DESC",
    }
}

/// A page of the case list: `scope` in SQL, then the filters and the search.
pub async fn list(
    db: &Db,
    scope: &CaseScope,
    f: &CaseFilter,
    caller_id: &str,
    return_from: Option<NaiveDate>,
    return_to: Option<NaiveDate>,
) -> Result<CasePage, sqlx::Error> {
    let mut binds = Binds::default();
    let mut cond = vec![scope_condition(scope, &mut binds)];
    if let Some(s) = f.status.as_deref().and_then(CaseStatus::parse) {
        cond.push(format!("f.status = {}", binds.push(s.as_str())));
    }
    if let Some(p) = f.province.as_deref().filter(|p| !p.is_empty()) {
        cond.push(format!("f.province = {}", binds.push(p)));
    }
    match f.assigned.as_deref() {
        Some("me") => cond.push(format!("f.assigned_to = {}", binds.push(caller_id))),
        Some("none") => cond.push("f.assigned_to IS NULL".into()),
        Some(id) if !id.is_empty() => cond.push(format!("f.assigned_to = {}", binds.push(id))),
        _ => {}
    }
    if let Some(d) = return_from {
        cond.push(format!("f.return_date >= {}", binds.push(d.to_string())));
    }
    if let Some(d) = return_to {
        cond.push(format!("f.return_date <= {}", binds.push(d.to_string())));
    }
    if let Some(n) = f.need.as_deref().and_then(SpecificNeed::parse) {
        cond.push(format!(
            "EXISTS (SELECT 1 FROM member_need n WHERE n.family_id = f.family_id AND n.need = {})",
            binds.push(n.as_str())
        ));
    }
    match f.q.as_deref().and_then(family::classify_query) {
        Some(SearchQuery::CaseNumber(n)) if n.contains('-') => {
            cond.push(format!("f.case_number = {}", binds.push(n)));
        }
        Some(SearchQuery::CaseNumber(n)) => {
            // The number part alone (`123`): every year's case with that number.
            let seq = binds.push(n.parse::<i64>().unwrap_or(0).to_string());
            cond.push(format!("f.case_seq = CAST({seq} AS BIGINT)"));
        }
        Some(SearchQuery::Digits(d)) => {
            // A UNION of two index lookups (an OR across tables would scan every family).
            let phone = binds.push(names::phone_search_key(&d));
            let doc = binds.push(d);
            cond.push(format!(
                "f.family_id IN (SELECT family_id FROM family WHERE phone_key = {phone}
                                 UNION SELECT family_id FROM member_document WHERE number = {doc})"
            ));
        }
        Some(SearchQuery::Name(words)) => {
            // Every word must match a word of some member (by prefix, or Latin skeleton).
            for w in words {
                let lo = binds.push(w.clone());
                let hi = binds.push(format!("{w}\u{10FFFF}"));
                let skeleton = names::latin_skeleton(&w);
                let sk = binds.push(format!("~{skeleton}"));
                cond.push(format!(
                    "f.family_id IN (SELECT family_id FROM name_token WHERE (token >= {lo} AND token < {hi}) OR token = {sk})"
                ));
            }
        }
        None => {}
    }
    let where_sql = cond.join(" AND ");
    let total = binds
        .scalar(&format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM family f WHERE {where_sql} LIMIT {}) capped",
            family::COUNT_CAP + 1
        ))
        .fetch_one(&db.pool)
        .await?;
    let page = f.page.unwrap_or(1).clamp(1, 100_000);
    let sql = format!(
        "SELECT f.family_id, f.case_number, f.head_name_local, f.head_name_latin, f.province, f.district,
                f.status, f.member_count, f.return_date, f.updated_at, u.display_name AS assigned_name
         FROM family f LEFT JOIN app_user u ON u.user_id = f.assigned_to
         WHERE {where_sql} ORDER BY {} LIMIT {PAGE_SIZE} OFFSET {}",
        order_by(f.sort.as_deref()),
        (page - 1) * PAGE_SIZE
    );
    let rows = binds.query(&sql).fetch_all(&db.pool).await?;
    let ids: Vec<String> = rows
        .iter()
        .filter_map(|r| r.try_get("family_id").ok())
        .collect();
    let mut needs = needs_of(db, &ids).await?;
    let cases = rows
        .iter()
        .map(|r| {
            let id: String = r.try_get("family_id")?;
            let status: String = r.try_get("status")?;
            Ok(CaseSummary {
                needs: needs.remove(&id).unwrap_or_default(),
                family_id: id,
                case_number: r.try_get("case_number")?,
                head_name_local: r.try_get("head_name_local")?,
                head_name_latin: r.try_get("head_name_latin")?,
                province: r.try_get("province")?,
                district: r.try_get("district")?,
                status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Registered),
                member_count: r.try_get("member_count")?,
                return_date: r.try_get("return_date")?,
                updated_at: r.try_get("updated_at")?,
                assigned_to_name: r.try_get("assigned_name")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(CasePage {
        cases,
        total,
        page,
        page_size: PAGE_SIZE,
    })
}

/// The specific needs present in each of these families.
async fn needs_of(
    db: &Db,
    ids: &[String],
) -> Result<BTreeMap<String, Vec<SpecificNeed>>, sqlx::Error> {
    let mut map: BTreeMap<String, Vec<SpecificNeed>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    let mut binds = Binds::default();
    let list = ids
        .iter()
        .map(|i| binds.push(i.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT DISTINCT family_id, need FROM member_need WHERE family_id IN ({list}) ORDER BY need");
    for r in binds.query(&sql).fetch_all(&db.pool).await? {
        let id: String = r.try_get("family_id")?;
        let need: String = r.try_get("need")?;
        if let Some(n) = SpecificNeed::parse(&need) {
            map.entry(id).or_default().push(n);
        }
    }
    Ok(map)
}

fn member_from_row(r: &AnyRow) -> Result<MemberView, sqlx::Error> {
    let parse = |col: &str| -> Result<String, sqlx::Error> { r.try_get(col) };
    Ok(MemberView {
        member_id: parse("member_id")?,
        position: r.try_get("position")?,
        name_local: r.try_get("name_local")?,
        name_latin: r.try_get("name_latin")?,
        father_name: r.try_get("father_name")?,
        sex: Sex::parse(&parse("sex")?).unwrap_or(Sex::Female),
        birth_date: r.try_get("birth_date")?,
        estimated_age: r.try_get("estimated_age")?,
        age_recorded_on: parse("age_recorded_on")?,
        relationship: Relationship::parse(&parse("relationship")?)
            .unwrap_or(Relationship::OtherRelative),
        education: Education::parse(&parse("education")?).unwrap_or(Education::Unknown),
        occupation: r.try_get("occupation")?,
        skills: r.try_get("skills")?,
        health: r.try_get("health")?,
        needs: Vec::new(),
        documents: Vec::new(),
    })
}

/// The whole case record, as the family page shows it.
pub async fn get(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Option<FamilyView>, sqlx::Error> {
    let Some(r) = sqlx::query(
        "SELECT f.*, u.display_name AS assigned_name FROM family f
         LEFT JOIN app_user u ON u.user_id = f.assigned_to WHERE f.family_id = $1",
    )
    .bind(family_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let text = |col: &str| -> Result<String, sqlx::Error> { r.try_get(col) };
    let mut members: Vec<MemberView> =
        sqlx::query("SELECT * FROM member WHERE family_id = $1 ORDER BY position")
            .bind(family_id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(member_from_row)
            .collect::<Result<_, _>>()?;
    let needs: Vec<(String, String)> = sqlx::query_as(
        "SELECT member_id, need FROM member_need WHERE family_id = $1 ORDER BY need",
    )
    .bind(family_id)
    .fetch_all(&mut *conn)
    .await?;
    let docs: Vec<(String, String, String)> =
        sqlx::query_as("SELECT member_id, document_type, number FROM member_document WHERE family_id = $1 ORDER BY document_type")
            .bind(family_id)
            .fetch_all(&mut *conn)
            .await?;
    for m in &mut members {
        m.needs = needs
            .iter()
            .filter(|(id, _)| *id == m.member_id)
            .filter_map(|(_, n)| SpecificNeed::parse(n))
            .collect();
        m.documents = docs
            .iter()
            .filter(|(id, _, _)| *id == m.member_id)
            .filter_map(|(_, t, n)| DocumentType::parse(t).map(|t| (t, n.clone())))
            .collect();
    }
    let consents = sqlx::query(
        "SELECT c.kind, c.given, c.given_by, c.recorded_at, u.display_name FROM consent c
         LEFT JOIN app_user u ON u.user_id = c.recorded_by WHERE c.family_id = $1 ORDER BY c.recorded_at, c.consent_id",
    )
    .bind(family_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|c| {
        let kind: String = c.try_get("kind")?;
        Ok(ConsentView {
            kind: ConsentKind::parse(&kind).unwrap_or(ConsentKind::Registration),
            given: c.try_get::<i64, _>("given")? != 0,
            given_by: c.try_get("given_by")?,
            recorded_at: c.try_get("recorded_at")?,
            recorded_by: c.try_get("display_name")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let notes = sqlx::query(
        "SELECT n.created_at, n.body, u.display_name FROM case_note n
         LEFT JOIN app_user u ON u.user_id = n.author_user_id WHERE n.family_id = $1 ORDER BY n.created_at DESC",
    )
    .bind(family_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|n| Ok(NoteView { created_at: n.try_get("created_at")?, body: n.try_get("body")?, author: n.try_get("display_name")? }))
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let events = sqlx::query(
        "SELECT e.occurred_at, e.kind, e.detail, e.version, u.display_name FROM case_event e
         LEFT JOIN app_user u ON u.user_id = e.actor_user_id WHERE e.family_id = $1 ORDER BY e.case_event_id DESC",
    )
    .bind(family_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|e| {
        let detail: Option<String> = e.try_get("detail")?;
        let detail: EventDetail = detail.and_then(|d| serde_json::from_str(&d).ok()).unwrap_or_default();
        Ok(EventView {
            occurred_at: e.try_get("occurred_at")?,
            kind: e.try_get("kind")?,
            actor: e.try_get("display_name")?,
            fields: detail.fields,
            text: detail.text,
            version: e.try_get("version")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let country = text("country")?;
    let status = text("status")?;
    let return_type = text("return_type")?;
    Ok(Some(FamilyView {
        family_id: text("family_id")?,
        case_number: text("case_number")?,
        country: Country::parse(&country).unwrap_or(Country::AF),
        province: text("province")?,
        district: text("district")?,
        address: r.try_get("address")?,
        phone: r.try_get("phone")?,
        return_date: text("return_date")?,
        returned_from: text("returned_from")?,
        return_type: ReturnType::parse(&return_type).unwrap_or(ReturnType::Spontaneous),
        status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Registered),
        assigned_to: r.try_get("assigned_to")?,
        assigned_to_name: r.try_get("assigned_name")?,
        registration_consent: r.try_get::<i64, _>("registration_consent")? != 0,
        sharing_consent: r.try_get::<i64, _>("sharing_consent")? != 0,
        version: r.try_get("version")?,
        created_at: text("created_at")?,
        updated_at: text("updated_at")?,
        members,
        consents,
        notes,
        events,
    }))
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
