//! A supervisor's team: each caseworker's caseload, counted over the cases in the
//! supervisor's scope (in SQL, as every case query), and who the cases may be handed to.

use super::binds::{scope_condition, Binds};
use super::Flag;
use crate::model::team::Caseload;
use chrono::NaiveDate;
use shared::policy::CaseScope;
use sqlx::{AnyConnection, FromRow};
use std::collections::BTreeMap;

#[derive(FromRow)]
struct Count {
    user_id: Option<String>,
    a: i64,
    b: i64,
}

/// The caseload of every caseworker of `organisation_id` (active ones even without cases,
/// deactivated ones while cases remain with them) and of the cases assigned to nobody, over
/// the open cases in `scope`. "This week" is today and the six days after it.
pub async fn caseloads(
    conn: &mut AnyConnection,
    scope: &CaseScope,
    organisation_id: &str,
    today: NaiveDate,
) -> Result<Vec<Caseload>, sqlx::Error> {
    let mut rows: BTreeMap<Option<String>, Caseload> = BTreeMap::new();
    let people: Vec<(String, String, Flag)> = sqlx::query_as(
        "SELECT user_id, display_name, active FROM app_user
         WHERE organisation_id = $1 AND role = 'caseworker'",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;

    let mut binds = Binds::default();
    let scope_sql = scope_condition(scope, &mut binds);
    let cases = format!(
        "SELECT f.assigned_to AS user_id, COUNT(*) AS a,
             COUNT(CASE WHEN EXISTS (SELECT 1 FROM case_closure c
                 WHERE c.family_id = f.family_id AND c.decision IS NULL) THEN 1 END) AS b
         FROM family f WHERE {scope_sql} AND f.status <> 'closed' GROUP BY f.assigned_to"
    );
    let case_counts: Vec<Count> = binds.query_as(&cases).fetch_all(&mut *conn).await?;

    let mut binds = Binds::default();
    let scope_sql = scope_condition(scope, &mut binds);
    let (today, week_end) = (
        binds.push(today.to_string()),
        binds.push((today + chrono::Duration::days(6)).to_string()),
    );
    let follow_ups = format!(
        "SELECT fu.assigned_to AS user_id,
             COUNT(CASE WHEN fu.due_on >= {today} AND fu.due_on <= {week_end} THEN 1 END) AS a,
             COUNT(CASE WHEN fu.due_on < {today} THEN 1 END) AS b
         FROM follow_up fu JOIN family f ON f.family_id = fu.family_id
         WHERE {scope_sql} AND fu.status = 'scheduled' GROUP BY fu.assigned_to"
    );
    let follow_up_counts: Vec<Count> = binds.query_as(&follow_ups).fetch_all(&mut *conn).await?;

    for c in case_counts {
        let row = rows.entry(c.user_id).or_default();
        row.open_cases = c.a;
        row.pending_closures = c.b;
    }
    for c in follow_up_counts {
        let row = rows.entry(c.user_id).or_default();
        row.due_this_week = c.a;
        row.overdue = c.b;
    }
    let names: BTreeMap<String, (String, bool)> = people
        .into_iter()
        .map(|(id, name, active)| (id, (name, active.0)))
        .collect();
    for (id, (_, active)) in &names {
        if *active {
            rows.entry(Some(id.clone())).or_default();
        }
    }
    let mut out: Vec<Caseload> = rows
        .into_iter()
        // Work of someone outside the ministry cannot be in scope; a stale id is dropped.
        .filter_map(|(user_id, mut row)| {
            if let Some(id) = &user_id {
                let (name, active) = names.get(id)?;
                row.name = Some(name.clone());
                row.active = *active;
            }
            row.user_id = user_id;
            Some(row)
        })
        .collect();
    // Caseworkers by name; the unassigned cases last.
    out.sort_by(|a, b| (a.user_id.is_none(), &a.name).cmp(&(b.user_id.is_none(), &b.name)));
    Ok(out)
}

/// The open cases assigned to `user_id` (ids and provinces): what deactivating the account
/// hands on.
pub async fn open_cases_of(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT family_id, province FROM family
         WHERE assigned_to = $1 AND status <> 'closed' ORDER BY family_id",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// Active caseworkers of `organisation_id` who work in every one of `provinces` (all of them,
/// for none): who a set of cases may be handed to. (id, name)
pub async fn caseworkers_covering(
    conn: &mut AnyConnection,
    organisation_id: &str,
    provinces: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let mut provinces = provinces.to_vec();
    provinces.sort_unstable();
    provinces.dedup();
    let mut binds = Binds::default();
    let org = binds.push(organisation_id);
    let covers = if provinces.is_empty() {
        String::new()
    } else {
        let list = binds.push_list(&provinces);
        let n = provinces.len();
        format!(
            "AND (SELECT COUNT(DISTINCT a.location_id) FROM user_area a
                  WHERE a.user_id = u.user_id AND a.location_id IN ({list})) = {n}"
        )
    };
    let sql = format!(
        "SELECT u.user_id, u.display_name FROM app_user u
         WHERE u.organisation_id = {org} AND u.role = 'caseworker' AND u.active = 1 {covers}
         ORDER BY u.display_name"
    );
    binds.query_as(&sql).fetch_all(conn).await
}
