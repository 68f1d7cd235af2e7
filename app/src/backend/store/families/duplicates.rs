//! Possible duplicates: people already registered who may be the ones being registered.

use super::list::{index_scope, scope_provinces};
use crate::backend::clock::timestamp;
use crate::backend::store::binds::{scope_condition, Binds};
use chrono::{DateTime, Utc};
use shared::family::{self, PersonKey};
use shared::names;
use shared::policy::CaseScope;
use sqlx::{AnyConnection, FromRow};

#[derive(FromRow)]
struct Candidate {
    family_id: String,
    case_number: String,
    name_local: Option<String>,
    name_latin: Option<String>,
    father_name: Option<String>,
    birth_year: Option<i64>,
    document: Option<String>,
}

/// Existing people in `scope` who may be the same as the new members: the same document
/// number, or a similar name (in either script) with the same father's name and a birth year
/// within two years. SQL narrows the field (name terms in common, birth years, documents);
/// the rule decides.
pub async fn duplicate_candidates(
    conn: &mut AnyConnection,
    scope: &CaseScope,
    people: &[PersonKey],
) -> Result<Vec<family::DuplicateCandidate>, sqlx::Error> {
    let mut found: Vec<family::DuplicateCandidate> = Vec::new();
    // The index is read inside the caller's provinces (its first columns).
    let Some((country, provinces)) = scope_provinces(scope, None) else {
        return Ok(found);
    };
    for p in people {
        let mut binds = Binds::default();
        let scope_sql = scope_condition(scope, &mut binds);
        let mut alternatives = Vec::new();
        // The person's documents, matched against anyone's; the matching number is read
        // back (`document` below) for the rule to see.
        let documents = match p.documents.is_empty() {
            true => "NULL".to_string(),
            false => {
                let list = binds.push_list(&p.documents);
                alternatives.push(format!(
                    "m.member_id IN (SELECT member_id FROM member_document WHERE number IN ({list}))"
                ));
                format!(
                    "(SELECT MIN(d.number) FROM member_document d
                      WHERE d.member_id = m.member_id AND d.number IN ({list}))"
                )
            }
        };
        // Every word of either name, its other spellings and its keys in the other script,
        // and the whole name written together.
        let mut terms: Vec<String> = Vec::new();
        for name in [&p.name_local, &p.name_latin].into_iter().flatten() {
            for w in names::search_words(name).iter().chain(&names::tokens(name)) {
                let wt = names::word_terms(w);
                for t in std::iter::once(&wt.word)
                    .chain(&wt.same_script)
                    .chain(&wt.other_script)
                {
                    if !terms.contains(t) {
                        terms.push(t.clone());
                    }
                }
            }
            terms.push(names::compact(name));
        }
        if let (false, Some(year)) = (terms.is_empty(), p.birth_year) {
            let list = binds.push_list(&terms);
            let in_scope = index_scope("t", country, &provinces, &mut binds);
            let lo = binds.push((year - 2).to_string());
            let hi = binds.push((year + 2).to_string());
            alternatives.push(format!(
                "(m.birth_year BETWEEN CAST({lo} AS BIGINT) AND CAST({hi} AS BIGINT)
                  AND m.member_id IN (SELECT t.member_id FROM name_index t WHERE {in_scope} AND t.term IN ({list})))"
            ));
        }
        if alternatives.is_empty() {
            continue;
        }
        let sql = format!(
            "SELECT m.family_id, f.case_number, m.name_local, m.name_latin, m.father_name, m.birth_year,
                    {documents} AS document
             FROM member m JOIN family f ON f.family_id = m.family_id
             WHERE {scope_sql} AND ({}) LIMIT 2000",
            alternatives.join(" OR ")
        );
        let rows: Vec<Candidate> = binds.query_as(&sql).fetch_all(&mut *conn).await?;
        for r in rows {
            let existing = PersonKey {
                name_local: r.name_local,
                name_latin: r.name_latin,
                father_name: r.father_name,
                birth_year: r.birth_year.map(|y| y as i32),
                documents: r.document.into_iter().collect(),
            };
            let Some(reason) = family::duplicate_reason(p, &existing) else {
                continue;
            };
            if found.iter().any(|c| c.family_id == r.family_id) {
                continue;
            }
            found.push(family::DuplicateCandidate {
                family_id: r.family_id,
                case_number: r.case_number,
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

/// Keeps the pairs the duplicate rules found when `family_id` was registered anyway, for the
/// supervisors' queue (each pair once, whichever way round it was found).
pub async fn remember_pairs(
    conn: &mut AnyConnection,
    family_id: &str,
    candidates: &[family::DuplicateCandidate],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for c in candidates {
        let (a, b) = ordered(family_id, &c.family_id);
        sqlx::query(
            "INSERT INTO possible_duplicate (family_id, other_id, reason, found_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (family_id, other_id) DO NOTHING",
        )
        .bind(a)
        .bind(b)
        .bind(c.reason.as_str())
        .bind(timestamp(now))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Sets a pair aside as two families. False if there is no such pair waiting.
pub async fn dismiss(
    conn: &mut AnyConnection,
    pair: (&str, &str),
    by: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let (a, b) = ordered(pair.0, pair.1);
    let r = sqlx::query(
        "UPDATE possible_duplicate SET dismissed_by = $3, dismissed_at = $4
         WHERE family_id = $1 AND other_id = $2 AND dismissed_at IS NULL",
    )
    .bind(a)
    .bind(b)
    .bind(by)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A pair is stored with the smaller id first.
fn ordered<'a>(x: &'a str, y: &'a str) -> (&'a str, &'a str) {
    if x <= y {
        (x, y)
    } else {
        (y, x)
    }
}
