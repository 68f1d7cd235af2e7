//! The case list: the caller's scope in SQL, then the filters, the search, the order, a page.
//! A search by name reads the name index (`name_index`) instead of the families: the rarest
//! word of the search leads, inside the caller's provinces, and stops at the count's cap.

use crate::backend::db::Backend;
use crate::backend::store::binds::{scope_condition, Binds};
use crate::model::families::{CaseFilter, CasePage, CaseSummary};
use chrono::NaiveDate;
use shared::family::{self, CaseStatus, SearchQuery, SpecificNeed};
use shared::names::{self, Match, WordTerms};
use shared::policy::CaseScope;
use shared::{location, Country};
use sqlx::{AnyConnection, FromRow};
use std::collections::{BTreeMap, HashMap};

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

/// The scope, the province, the filters and a search by number as SQL conditions on
/// `family f`.
fn conditions(
    scope: &CaseScope,
    f: &CaseFilter,
    caller_id: &str,
    return_from: Option<NaiveDate>,
    return_to: Option<NaiveDate>,
    binds: &mut Binds,
) -> Vec<String> {
    let mut cond = vec![scope_condition(scope, binds)];
    if let Some(p) = f.province.as_deref().filter(|p| !p.is_empty()) {
        cond.push(format!("f.province = {}", binds.push(p)));
    }
    cond.extend(filter_conditions(
        f,
        caller_id,
        return_from,
        return_to,
        binds,
    ));
    match f.q.as_deref().and_then(family::classify_query) {
        Some(SearchQuery::CaseNumber(n)) if n.contains('-') => {
            // The number of a record merged into another finds the survivor.
            let n = binds.push(n);
            cond.push(format!(
                "(f.case_number = {n} OR f.family_id IN
                    (SELECT m.merged_into FROM family m WHERE m.case_number = {n}))"
            ));
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
        // Names are searched through the name index (`list_by_name`).
        Some(SearchQuery::Name(_)) | None => {}
    }
    cond
}

/// The filters other than scope, province and search, as SQL conditions on `family f`.
fn filter_conditions(
    f: &CaseFilter,
    caller_id: &str,
    return_from: Option<NaiveDate>,
    return_to: Option<NaiveDate>,
    binds: &mut Binds,
) -> Vec<String> {
    let mut cond = Vec::new();
    match f.status.as_deref().map(str::trim) {
        // Every status but closed: a caseload, as the team page counts it.
        Some(CaseFilter::OPEN) => cond.push("f.status <> 'closed'".into()),
        Some(s) => {
            if let Some(s) = CaseStatus::parse(s) {
                cond.push(format!("f.status = {}", binds.push(s.as_str())));
            }
        }
        None => {}
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
    if let Some(SearchQuery::Name(words)) = f.q.as_deref().and_then(family::classify_query) {
        return list_by_name(conn, scope, f, caller_id, (return_from, return_to), &words).await;
    }
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
    let order = order_by(f.sort.as_deref());
    let cases = match scope {
        // Several provinces and none chosen: one ordered index range per province, each
        // stopping after the pages up to this one, merged. One `province IN (…)` range is in
        // province order, so every case of those provinces was read and sorted first: this
        // made a caseworker's own list five times slower than a supervisor's whole country.
        CaseScope::Areas(c, areas)
            if areas.len() > 1 && f.province.as_deref().unwrap_or("").is_empty() =>
        {
            let mut page_binds = Binds::default();
            let branches = areas
                .iter()
                .enumerate()
                .map(|(i, area)| {
                    let one = CaseScope::Areas(*c, vec![area.clone()]);
                    let cond =
                        conditions(&one, f, caller_id, return_from, return_to, &mut page_binds);
                    format!(
                        "SELECT family_id FROM (SELECT f.family_id FROM family f WHERE {}
                         ORDER BY {order} LIMIT {}) b{i}",
                        cond.join(" AND "),
                        page * PAGE_SIZE
                    )
                })
                .collect::<Vec<_>>();
            let page_sql = format!("f.family_id IN ({})", branches.join(" UNION ALL "));
            summaries(conn, &page_binds, &page_sql, order, page).await?
        }
        _ => summaries(conn, &binds, &where_sql, order, page).await?,
    };
    Ok(CasePage {
        cases,
        total,
        at_least: false,
        page,
        page_size: PAGE_SIZE,
    })
}

/// A page of case summaries with their needs: the families matching `where_sql`, in `order`.
async fn summaries(
    conn: &mut AnyConnection,
    binds: &Binds,
    where_sql: &str,
    order: &str,
    page: i64,
) -> Result<Vec<CaseSummary>, sqlx::Error> {
    let sql = format!(
        "SELECT f.family_id, f.case_number, f.head_name_local, f.head_name_latin, f.province,
                f.district, f.status, f.member_count, f.return_date, f.updated_at,
                u.display_name AS assigned_to_name
         FROM family f LEFT JOIN app_user u ON u.user_id = f.assigned_to
         WHERE {where_sql} ORDER BY {order} LIMIT {PAGE_SIZE} OFFSET {}",
        (page - 1) * PAGE_SIZE
    );
    let mut cases: Vec<CaseSummary> = binds.query_as(&sql).fetch_all(&mut *conn).await?;
    let ids: Vec<&str> = cases.iter().map(|c| c.family_id.as_str()).collect();
    let mut needs = needs_of(conn, &ids).await?;
    for c in &mut cases {
        c.needs = needs.remove(&c.family_id).unwrap_or_default();
    }
    Ok(cases)
}

/// The most index rows a name search reads: enough for the count's cap with a family
/// matched through two members or two terms.
const NAME_ROWS: i64 = 2 * (family::COUNT_CAP + 1);
/// The most rows of the lead word read when other words must be checked too. Each costs an
/// index probe per other word (5 to 15 µs measured at 120,000 families on either database),
/// so two common words with few people bearing both stay a few milliseconds; the page then
/// says "at least" and asks for a narrower search.
const LEAD_ROWS: i64 = 500;

/// The provinces a search may look in: the caller's scope, narrowed to the province filter.
/// `None` when the scope holds nothing.
pub(super) fn scope_provinces(
    scope: &CaseScope,
    province: Option<&str>,
) -> Option<(Country, Vec<String>)> {
    let (country, mut provinces) = match scope {
        CaseScope::Nothing => return None,
        CaseScope::Areas(c, areas) => (*c, areas.clone()),
        CaseScope::Country(c) => (
            *c,
            location::of_country(*c).map(|l| l.key.clone()).collect(),
        ),
    };
    if let Some(p) = province.filter(|p| !p.is_empty()) {
        provinces.retain(|q| q == p);
    }
    (!provinces.is_empty()).then_some((country, provinces))
}

/// The SQL conditions on `{alias}.term` of the terms `w` finds, in the same script or in
/// the other: one per index range (the prefix; the whole terms), to be read as separate
/// index scans. An OR of them would be one bitmap of every match on PostgreSQL, read to the
/// end before the first row is returned.
fn term_ranges(
    alias: &str,
    w: &WordTerms,
    same: bool,
    other: bool,
    binds: &mut Binds,
) -> Vec<String> {
    let mut ranges = Vec::new();
    let mut exact: Vec<&String> = Vec::new();
    if same {
        let (lo, hi) = (
            binds.push(w.word.as_str()),
            binds.push(w.prefix_end.as_str()),
        );
        ranges.push(format!("{alias}.term >= {lo} AND {alias}.term < {hi}"));
        exact.extend(&w.same_script);
    }
    if other {
        exact.extend(&w.other_script);
    }
    if !exact.is_empty() {
        ranges.push(format!("{alias}.term IN ({})", binds.push_list(&exact)));
    }
    ranges
}

/// The condition on `{alias}` of `name_index` that keeps these provinces: the first columns
/// of its key, so every search is a few ranges inside the caller's scope.
pub(super) fn index_scope(
    alias: &str,
    country: Country,
    provinces: &[String],
    binds: &mut Binds,
) -> String {
    format!(
        "{alias}.country = {} AND {alias}.province IN ({})",
        binds.push(country.code()),
        binds.push_list(provinces)
    )
}

/// The index rows of `w` in these provinces, as a query: one branch per index range.
fn word_rows(
    country: Country,
    provinces: &[String],
    w: &WordTerms,
    (same, other): (bool, bool),
    binds: &mut Binds,
) -> String {
    term_ranges("t", w, same, other, binds)
        .into_iter()
        .map(|range| {
            format!(
                "SELECT t.family_id, t.term, t.member_id FROM name_index t
                 WHERE {} AND {range}",
                index_scope("t", country, provinces, binds)
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// A page of the cases whose members' names match every word: the rarest word's matches in
/// the caller's provinces, in the script typed first, then in the other script, each family
/// checked for the other words (at most `LEAD_ROWS` rows of it then, else `NAME_ROWS`).
/// Ranked: every word matched exactly, then by prefix or spelling, then across scripts
/// (unless a sort was chosen).
async fn list_by_name(
    conn: &mut AnyConnection,
    scope: &CaseScope,
    f: &CaseFilter,
    caller_id: &str,
    (return_from, return_to): (Option<NaiveDate>, Option<NaiveDate>),
    words: &[String],
) -> Result<CasePage, sqlx::Error> {
    let page = f.page.unwrap_or(1).clamp(1, MAX_PAGE);
    let empty = CasePage {
        cases: Vec::new(),
        total: 0,
        at_least: false,
        page,
        page_size: PAGE_SIZE,
    };
    let Some((country, provinces)) = scope_provinces(scope, f.province.as_deref()) else {
        return Ok(empty);
    };
    let words: Vec<WordTerms> = words.iter().map(|w| names::word_terms(w)).collect();
    let (lead, lead_rows) = rarest(conn, country, &provinces, &words).await?;
    // With other words to check, the lead word's rows are read up to `LEAD_ROWS` whatever
    // the other words make of them: two common words with few people bearing both would
    // otherwise mean checking every bearer of the one for the other.
    let budgeted = words.len() > 1;

    // Found families in the order found, with how well the lead word matched each.
    let mut found: Vec<(String, Match)> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    let mut rows_read = 0;
    for same_script in [true, false] {
        let w = &words[lead];
        if !same_script && w.other_script.is_empty() || rows_read >= NAME_ROWS {
            continue;
        }
        let mut binds = Binds::default();
        let lead_sql = word_rows(
            country,
            &provinces,
            w,
            (same_script, !same_script),
            &mut binds,
        );
        let mut cond = Vec::new();
        for (_, other) in words.iter().enumerate().filter(|(i, _)| *i != lead) {
            let exists = term_ranges("u", other, true, true, &mut binds)
                .into_iter()
                .map(|range| {
                    format!(
                        "EXISTS (SELECT 1 FROM name_index u WHERE u.family_id = t.family_id AND {range})"
                    )
                })
                .collect::<Vec<_>>();
            cond.push(format!("({})", exists.join(" OR ")));
        }
        // The other filters need the family row; without them the index answers alone.
        let filters = filter_conditions(f, caller_id, return_from, return_to, &mut binds);
        let join = if filters.is_empty() {
            ""
        } else {
            "JOIN family f ON f.family_id = t.family_id"
        };
        cond.extend(filters);
        let (from, limit) = if budgeted {
            (format!("({lead_sql} LIMIT {LEAD_ROWS}) t"), String::new())
        } else {
            (
                format!("({lead_sql}) t"),
                format!("LIMIT {}", NAME_ROWS - rows_read),
            )
        };
        let conditions = if cond.is_empty() {
            "1 = 1".to_string()
        } else {
            cond.join(" AND ")
        };
        // The rows found, and how many index rows were read for them (the second pass keeps
        // only those its names confirm).
        let (rows, read): (Vec<(String, String)>, usize) = if same_script {
            // The rows come back joined into one text value ("id term,id term,…"; terms have
            // no spaces or commas): sqlx hands SQLite rows over one at a time between
            // threads, which cost 30 ms for the 2,000 rows of a common name, and the query 1.
            let agg = Backend::of_connection(conn).string_agg();
            let sql = format!(
                "SELECT {agg}(x.family_id || ' ' || x.term, ',') FROM
                 (SELECT t.family_id, t.term FROM {from} {join} WHERE {conditions} {limit}) x"
            );
            let joined: Option<String> = binds
                .query_as::<(Option<String>,)>(&sql)
                .fetch_one(&mut *conn)
                .await?
                .0;
            let rows: Vec<_> = joined
                .unwrap_or_default()
                .split(',')
                .filter_map(|row| row.split_once(' '))
                .map(|(id, term)| (id.to_string(), term.to_string()))
                .collect();
            let read = rows.len();
            (rows, read)
        } else {
            // A key shared across scripts is checked against the name it came from: the loose
            // key of a Latin name (Mohammad, mhmd) is also محمود's.
            let sql = format!(
                "SELECT t.family_id, t.term, m.name_local, m.name_latin FROM {from}
                 JOIN member m ON m.member_id = t.member_id {join} WHERE {conditions} {limit}"
            );
            let rows: Vec<(String, String, Option<String>, Option<String>)> =
                binds.query_as(&sql).fetch_all(&mut *conn).await?;
            let read = rows.len();
            let mut other = names::OtherScript::new(&w.word);
            let confirmed = rows
                .into_iter()
                .filter(|(_, _, local, latin)| {
                    [local, latin]
                        .into_iter()
                        .flatten()
                        .any(|name| other.in_name(name))
                })
                .map(|(family_id, term, _, _)| (family_id, term))
                .collect();
            (confirmed, read)
        };
        rows_read += read as i64;
        for (family_id, term) in rows {
            let grade = w.grade(&term);
            match position.get(&family_id) {
                Some(&i) => found[i].1 = found[i].1.min(grade),
                None => {
                    position.insert(family_id.clone(), found.len());
                    found.push((family_id, grade));
                }
            }
        }
    }
    // One word: reading every row allowed means more than the cap (a row per match or two).
    // Several: if the lead word has more rows than were read, what was found is a lower
    // bound, and the page says "at least" and asks for a narrower search.
    let (total, at_least) = if budgeted {
        let stopped = lead_rows >= LEAD_ROWS;
        ((found.len() as i64).min(family::COUNT_CAP + 1), stopped)
    } else if rows_read >= NAME_ROWS {
        (family::COUNT_CAP + 1, false)
    } else {
        ((found.len() as i64).min(family::COUNT_CAP + 1), false)
    };
    found.sort_by_key(|(_, grade)| *grade);

    let mut binds = Binds::default();
    let cases = match f.sort.as_deref().filter(|s| !s.is_empty()) {
        Some(sort) => {
            let ids: Vec<String> = found
                .iter()
                .map(|(id, _)| binds.push(id.as_str()))
                .collect();
            if ids.is_empty() {
                Vec::new()
            } else {
                let where_sql = format!("f.family_id IN ({})", ids.join(", "));
                summaries(conn, &binds, &where_sql, order_by(Some(sort)), page).await?
            }
        }
        None => {
            let start = ((page - 1) * PAGE_SIZE) as usize;
            let ids: Vec<&str> = found
                .iter()
                .skip(start)
                .take(PAGE_SIZE as usize)
                .map(|(id, _)| id.as_str())
                .collect();
            if ids.is_empty() {
                Vec::new()
            } else {
                let list: Vec<String> = ids.iter().map(|id| binds.push(*id)).collect();
                let where_sql = format!("f.family_id IN ({})", list.join(", "));
                let mut cases = summaries(conn, &binds, &where_sql, "f.family_id", 1).await?;
                cases.sort_by_key(|c| ids.iter().position(|id| *id == c.family_id));
                cases
            }
        }
    };
    Ok(CasePage {
        cases,
        total,
        at_least,
        page,
        page_size: PAGE_SIZE,
    })
}

/// Which word of a search to lead with, and its rows: the one with the fewest index rows in
/// these provinces, counted up to `LEAD_ROWS`; among words that common, the longest (a family name
/// is usually longer, and rarer, than a given name).
async fn rarest(
    conn: &mut AnyConnection,
    country: Country,
    provinces: &[String],
    words: &[WordTerms],
) -> Result<(usize, i64), sqlx::Error> {
    if words.len() < 2 {
        return Ok((0, 0));
    }
    let mut best = (0, i64::MAX, 0);
    for (i, w) in words.iter().enumerate() {
        let mut binds = Binds::default();
        let rows = word_rows(country, provinces, w, (true, true), &mut binds);
        let sql = format!("SELECT COUNT(*) FROM ({rows} LIMIT {LEAD_ROWS}) capped");
        let n = binds.scalar(&sql).fetch_one(&mut *conn).await?;
        let length = w.word.chars().count();
        if n < best.1 || n == best.1 && length > best.2 {
            best = (i, n, length);
        }
    }
    Ok((best.0, best.1))
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
    let list = binds.push_list(ids);
    let sql = format!(
        "SELECT DISTINCT family_id, need FROM member_need WHERE family_id IN ({list}) ORDER BY need"
    );
    let rows: Vec<NeedRow> = binds.query_as(&sql).fetch_all(conn).await?;
    for r in rows {
        map.entry(r.family_id).or_default().push(r.need);
    }
    Ok(map)
}
