//! The case list: the caller's scope in SQL, then the filters, the search, the order, a page.

use crate::backend::store::binds::{scope_condition, Binds};
use crate::model::families::{CaseFilter, CasePage, CaseSummary};
use chrono::NaiveDate;
use shared::family::{self, CaseStatus, SearchQuery, SpecificNeed};
use shared::names;
use shared::policy::CaseScope;
use sqlx::{AnyConnection, FromRow};
use std::collections::BTreeMap;

pub const PAGE_SIZE: i64 = 25;
/// The last page anyone can ask for.
pub const MAX_PAGE: i64 = 100_000;

/// Sort orders of the case list.
fn order_by(sort: Option<&str>) -> &'static str {
    match sort {
        Some("case_number") => "f.case_number DESC",
        Some("return_date") => "f.return_date DESC, f.case_number DESC",
        Some("name") => "COALESCE(f.head_name_latin, f.head_name_local), f.case_number",
        _ => "f.updated_at DESC, f.case_number DESC",
    }
}

/// The filters as SQL conditions on `family f`, after the scope.
fn conditions(
    scope: &CaseScope,
    f: &CaseFilter,
    caller_id: &str,
    return_from: Option<NaiveDate>,
    return_to: Option<NaiveDate>,
    binds: &mut Binds,
) -> Vec<String> {
    let mut cond = vec![scope_condition(scope, binds)];
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
    cond
}

/// A page of the case list: `scope` in SQL, then the filters and the search.
pub async fn list(
    conn: &mut AnyConnection,
    scope: &CaseScope,
    f: &CaseFilter,
    caller_id: &str,
    return_from: Option<NaiveDate>,
    return_to: Option<NaiveDate>,
) -> Result<CasePage, sqlx::Error> {
    let mut binds = Binds::default();
    let where_sql =
        conditions(scope, f, caller_id, return_from, return_to, &mut binds).join(" AND ");
    let total = binds
        .scalar(&format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM family f WHERE {where_sql} LIMIT {}) capped",
            family::COUNT_CAP + 1
        ))
        .fetch_one(&mut *conn)
        .await?;
    let page = f.page.unwrap_or(1).clamp(1, MAX_PAGE);
    let sql = format!(
        "SELECT f.family_id, f.case_number, f.head_name_local, f.head_name_latin, f.province,
                f.district, f.status, f.member_count, f.return_date, f.updated_at,
                u.display_name AS assigned_to_name
         FROM family f LEFT JOIN app_user u ON u.user_id = f.assigned_to
         WHERE {where_sql} ORDER BY {} LIMIT {PAGE_SIZE} OFFSET {}",
        order_by(f.sort.as_deref()),
        (page - 1) * PAGE_SIZE
    );
    let mut cases: Vec<CaseSummary> = binds.query_as(&sql).fetch_all(&mut *conn).await?;
    let ids: Vec<&str> = cases.iter().map(|c| c.family_id.as_str()).collect();
    let mut needs = needs_of(conn, &ids).await?;
    for c in &mut cases {
        c.needs = needs.remove(&c.family_id).unwrap_or_default();
    }
    Ok(CasePage {
        cases,
        total,
        page,
        page_size: PAGE_SIZE,
    })
}

#[derive(FromRow)]
struct NeedRow {
    family_id: String,
    #[sqlx(try_from = "String")]
    need: SpecificNeed,
}

/// The specific needs present in each of these families.
async fn needs_of(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> Result<BTreeMap<String, Vec<SpecificNeed>>, sqlx::Error> {
    let mut map: BTreeMap<String, Vec<SpecificNeed>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    let mut binds = Binds::default();
    let list = ids
        .iter()
        .map(|i| binds.push(*i))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT DISTINCT family_id, need FROM member_need WHERE family_id IN ({list}) ORDER BY need"
    );
    let rows: Vec<NeedRow> = binds.query_as(&sql).fetch_all(conn).await?;
    for r in rows {
        map.entry(r.family_id).or_default().push(r.need);
    }
    Ok(map)
}
