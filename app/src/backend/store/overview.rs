//! The programme indicators' facts: a few grouped queries over the whole caseload, by
//! province and year, whose results stay small whatever the number of families (see
//! `shared::overview::Cube`). Nothing here selects a name, phone, document, address or birth
//! date: only codes, counts, sums and the dates of events.

use super::binds::Binds;
use crate::backend::db::Backend;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use shared::family::{ReturnType, Sex, SpecificNeed};
use shared::follow_up::ClosureReason;
use shared::overview::{AgeGroup, Cube, Fact, FollowUpOutcome, Scores, SinceReturn};
use shared::referral::ReferralStatus;
use shared::service::ServiceCategory;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Whole days from the date at the start of text `earlier` to that of `later`.
fn days_between(backend: Backend, later: &str, earlier: &str) -> String {
    match backend {
        Backend::Sqlite => format!(
            "CAST(julianday(SUBSTR({later}, 1, 10)) - julianday(SUBSTR({earlier}, 1, 10)) AS BIGINT)"
        ),
        Backend::Postgres => format!(
            "CAST(CAST(SUBSTR({later}, 1, 10) AS DATE) - CAST(SUBSTR({earlier}, 1, 10) AS DATE) AS BIGINT)"
        ),
    }
}

fn count(row: &AnyRow, column: &str) -> Result<u64, sqlx::Error> {
    Ok(row.try_get::<i64, _>(column)?.max(0) as u64)
}

/// Sums of scores: `n` rows, and per score `s0`..`s3` its sum and `c0`..`c3` how many had one.
fn scores(row: &AnyRow) -> Result<Scores, sqlx::Error> {
    let mut s = Scores {
        n: count(row, "n")?,
        ..Default::default()
    };
    for i in 0..4 {
        s.sums[i] = row.try_get::<f64, _>(format!("s{i}").as_str())?;
        s.counts[i] = count(row, &format!("c{i}"))?;
    }
    Ok(s)
}

/// The province and the year (from the text date in column `year`) of a grouped row.
fn place(row: &AnyRow) -> Result<(String, i32), sqlx::Error> {
    let year: String = row.try_get("year")?;
    Ok((
        row.try_get("province")?,
        year.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0),
    ))
}

/// Runs a grouped query and turns its rows into facts (`key` answers `None` for a row that is
/// not a fact of this kind).
async fn facts<K, V>(
    conn: &mut AnyConnection,
    sql: &str,
    binds: Binds,
    mut key: impl FnMut(&AnyRow) -> Result<Option<K>, sqlx::Error>,
    value: impl Fn(&AnyRow) -> Result<V, sqlx::Error>,
) -> Result<Vec<Fact<K, V>>, sqlx::Error> {
    let mut out = Vec::new();
    for row in binds.query(sql).fetch_all(&mut *conn).await? {
        if let Some(k) = key(&row)? {
            let (province, year) = place(&row)?;
            out.push(Fact {
                province,
                year,
                key: k,
                value: value(&row)?,
            });
        }
    }
    Ok(out)
}

/// A code column; one that no longer parses is an error, never a row left out.
fn code<T>(
    row: &AnyRow,
    column: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, sqlx::Error> {
    let text: String = row.try_get(column)?;
    match parse(&text) {
        Some(v) => Ok(Some(v)),
        None => Err(sqlx::Error::ColumnDecode {
            index: column.to_string(),
            source: format!("unknown code `{text}`").into(),
        }),
    }
}

/// Computes the cube at `now`: follow-ups due before today and not done are overdue, open
/// cases last contacted before `lost_before` are lost to follow-up.
pub async fn cube(
    conn: &mut AnyConnection,
    backend: Backend,
    now: DateTime<Utc>,
    lost_before: NaiveDate,
) -> Result<Cube, sqlx::Error> {
    let today = now.date_naive();
    let this_year = today.year() as i64;
    let n = |row: &AnyRow| count(row, "n");

    let registrations = facts(
        conn,
        "SELECT f.province, SUBSTR(f.created_at, 1, 7) AS year, f.return_type,
                COUNT(*) AS families, CAST(SUM(f.member_count) AS BIGINT) AS individuals
         FROM family f WHERE f.merged_into IS NULL
         GROUP BY f.province, SUBSTR(f.created_at, 1, 7), f.return_type",
        Binds::default(),
        |r| {
            let month: String = r.try_get("year")?;
            Ok(code(r, "return_type", ReturnType::parse)?.map(|t| (month, t)))
        },
        |r| Ok((count(r, "families")?, count(r, "individuals")?)),
    )
    .await?;

    let people = facts(
        conn,
        "SELECT f.province, SUBSTR(f.created_at, 1, 4) AS year, m.sex, m.birth_year, COUNT(*) AS n
         FROM member m JOIN family f ON f.family_id = m.family_id
         WHERE f.merged_into IS NULL
         GROUP BY f.province, SUBSTR(f.created_at, 1, 4), m.sex, m.birth_year",
        Binds::default(),
        |r| {
            let group = AgeGroup::of_age(this_year - r.try_get::<i64, _>("birth_year")?);
            Ok(code(r, "sex", Sex::parse)?.map(|s| (group, s)))
        },
        n,
    )
    .await?;

    let needs = facts(
        conn,
        "SELECT f.province, SUBSTR(f.created_at, 1, 4) AS year, x.need, COUNT(*) AS n
         FROM member_need x JOIN family f ON f.family_id = x.family_id
         WHERE f.merged_into IS NULL
         GROUP BY f.province, SUBSTR(f.created_at, 1, 4), x.need",
        Binds::default(),
        |r| code(r, "need", SpecificNeed::parse),
        n,
    )
    .await?;

    let assessments = facts(
        conn,
        "SELECT f.province, SUBSTR(a.assessed_on, 1, 4) AS year,
                CAST((CAST(SUBSTR(a.assessed_on, 1, 4) AS BIGINT) - CAST(SUBSTR(f.return_date, 1, 4) AS BIGINT)) * 12
                     + CAST(SUBSTR(a.assessed_on, 6, 2) AS BIGINT) - CAST(SUBSTR(f.return_date, 6, 2) AS BIGINT) AS BIGINT) AS months,
                COUNT(*) AS n,
                COALESCE(SUM(a.economic), 0.0) AS s0, COUNT(a.economic) AS c0,
                COALESCE(SUM(a.social), 0.0) AS s1, COUNT(a.social) AS c1,
                COALESCE(SUM(a.psychosocial), 0.0) AS s2, COUNT(a.psychosocial) AS c2,
                COALESCE(SUM(a.composite), 0.0) AS s3, COUNT(a.composite) AS c3
         FROM assessment a JOIN family f ON f.family_id = a.family_id
         GROUP BY f.province, SUBSTR(a.assessed_on, 1, 4), 3",
        Binds::default(),
        |r| Ok(Some(SinceReturn::of_months(r.try_get::<i64, _>("months")?))),
        scores,
    )
    .await?;

    // A family's scores are those of its assessments as a whole (not of one member): the
    // first and the latest of them, ties on the day broken by when they were recorded.
    let progress = facts(
        conn,
        "WITH ranked AS (
            SELECT a.family_id, a.assessed_on, a.economic, a.social, a.psychosocial, a.composite,
                   ROW_NUMBER() OVER (PARTITION BY a.family_id
                                      ORDER BY a.assessed_on, a.created_at, a.assessment_id) AS from_first,
                   ROW_NUMBER() OVER (PARTITION BY a.family_id
                                      ORDER BY a.assessed_on DESC, a.created_at DESC, a.assessment_id DESC) AS from_last
            FROM assessment a WHERE a.member_id IS NULL)
         SELECT f.province, SUBSTR(l.assessed_on, 1, 4) AS year, COUNT(*) AS n,
                COALESCE(SUM(l.economic - e.economic), 0.0) AS s0, COUNT(l.economic - e.economic) AS c0,
                COALESCE(SUM(l.social - e.social), 0.0) AS s1, COUNT(l.social - e.social) AS c1,
                COALESCE(SUM(l.psychosocial - e.psychosocial), 0.0) AS s2,
                COUNT(l.psychosocial - e.psychosocial) AS c2,
                COALESCE(SUM(l.composite - e.composite), 0.0) AS s3, COUNT(l.composite - e.composite) AS c3
         FROM ranked e
         JOIN ranked l ON l.family_id = e.family_id AND l.from_last = 1
         JOIN family f ON f.family_id = e.family_id
         WHERE e.from_first = 1 AND l.from_first > 1 AND f.merged_into IS NULL
         GROUP BY f.province, SUBSTR(l.assessed_on, 1, 4)",
        Binds::default(),
        |_| Ok(Some(())),
        scores,
    )
    .await?;

    // Whether the first assessment is due: assessed, or registered on or before `due_by`.
    let mut binds = Binds::default();
    let due_by = binds.push(
        (today - chrono::Duration::days(shared::overview::headline::ASSESSED_WITHIN_DAYS))
            .to_string(),
    );
    let waits = facts(
        conn,
        &format!(
            "SELECT f.province, SUBSTR(f.created_at, 1, 4) AS year, {} AS days,
                    CAST(CASE WHEN a.first_on IS NOT NULL OR SUBSTR(f.created_at, 1, 10) <= {due_by}
                              THEN 1 ELSE 0 END AS BIGINT) AS due,
                    COUNT(*) AS n
             FROM family f
             LEFT JOIN (SELECT family_id, MIN(assessed_on) AS first_on FROM assessment GROUP BY family_id) a
                    ON a.family_id = f.family_id
             WHERE f.merged_into IS NULL
             GROUP BY f.province, SUBSTR(f.created_at, 1, 4), 3, 4",
            days_between(backend, "a.first_on", "f.created_at")
        ),
        binds,
        |r| {
            let due = r.try_get::<i64, _>("due")? == 1;
            Ok(Some((r.try_get::<Option<i64>, _>("days")?, due)))
        },
        n,
    )
    .await?;

    let referrals = facts(
        conn,
        &format!(
            "SELECT f.province, SUBSTR(r.sent_at, 1, 4) AS year, r.service, o.name AS organisation,
                    r.status, {} AS days, COUNT(*) AS n
             FROM referral r
             JOIN family f ON f.family_id = r.family_id
             JOIN organisation o ON o.organisation_id = r.organisation_id
             GROUP BY f.province, SUBSTR(r.sent_at, 1, 4), r.service, o.name, r.status, 6",
            days_between(backend, "r.responded_at", "r.sent_at")
        ),
        Binds::default(),
        |r| {
            let service = code(r, "service", ServiceCategory::parse)?;
            let status = code(r, "status", ReferralStatus::parse)?;
            let org: String = r.try_get("organisation")?;
            let days: Option<i64> = r.try_get("days")?;
            Ok(service.zip(status).map(|(s, st)| (s, org, st, days)))
        },
        n,
    )
    .await?;

    // What completed referrals achieved (`shared::achieved`, the same rule): the last
    // assessment of the family as a whole on or before the day the referral was sent, the
    // first on or after the day it was completed and after the day it was sent.
    let outcomes = facts(
        conn,
        "SELECT f.province, SUBSTR(r.completed_at, 1, 4) AS year, r.service, o.name AS organisation,
                COUNT(*) AS n,
                COALESCE(SUM(af.economic - bf.economic), 0.0) AS s0, COUNT(af.economic - bf.economic) AS c0,
                COALESCE(SUM(af.social - bf.social), 0.0) AS s1, COUNT(af.social - bf.social) AS c1,
                COALESCE(SUM(af.psychosocial - bf.psychosocial), 0.0) AS s2,
                COUNT(af.psychosocial - bf.psychosocial) AS c2,
                COALESCE(SUM(af.composite - bf.composite), 0.0) AS s3,
                COUNT(af.composite - bf.composite) AS c3
         FROM referral r
         JOIN family f ON f.family_id = r.family_id
         JOIN organisation o ON o.organisation_id = r.organisation_id
         JOIN assessment bf ON bf.assessment_id = (
             SELECT a.assessment_id FROM assessment a
             WHERE a.family_id = r.family_id AND a.member_id IS NULL
               AND a.assessed_on <= SUBSTR(r.sent_at, 1, 10)
             ORDER BY a.assessed_on DESC, a.created_at DESC, a.assessment_id DESC LIMIT 1)
         JOIN assessment af ON af.assessment_id = (
             SELECT a.assessment_id FROM assessment a
             WHERE a.family_id = r.family_id AND a.member_id IS NULL
               AND a.assessed_on >= SUBSTR(r.completed_at, 1, 10)
               AND a.assessed_on > SUBSTR(r.sent_at, 1, 10)
             ORDER BY a.assessed_on, a.created_at, a.assessment_id LIMIT 1)
         WHERE r.status = 'completed'
         GROUP BY f.province, SUBSTR(r.completed_at, 1, 4), r.service, o.name",
        Binds::default(),
        |r| {
            let org: String = r.try_get("organisation")?;
            Ok(code(r, "service", ServiceCategory::parse)?.map(|s| (s, org)))
        },
        scores,
    )
    .await?;

    let mut binds = Binds::default();
    let today_p = binds.push(today.to_string());
    let follow_ups = facts(
        conn,
        &format!(
            "SELECT f.province, SUBSTR(fu.due_on, 1, 4) AS year,
                CASE WHEN fu.status = 'done' AND fu.done_on <= fu.due_on THEN 'on_time'
                     WHEN fu.status = 'done' THEN 'late'
                     WHEN fu.status = 'missed' THEN 'missed'
                     WHEN fu.status = 'scheduled' AND fu.due_on < {today_p} THEN 'overdue'
                     ELSE 'other' END AS outcome,
                COUNT(*) AS n
         FROM follow_up fu JOIN family f ON f.family_id = fu.family_id
         GROUP BY f.province, SUBSTR(fu.due_on, 1, 4), 3"
        ),
        binds,
        // Computed above, not stored: 'other' (cancelled, not yet due) is no fact of this table.
        |r| Ok(FollowUpOutcome::parse(&r.try_get::<String, _>("outcome")?)),
        n,
    )
    .await?;

    let mut binds = Binds::default();
    let cutoff = binds.push(lost_before.to_string());
    let lost = facts(
        conn,
        &format!(
            "SELECT f.province, '0000' AS year, COUNT(*) AS n FROM family f
         WHERE f.status <> 'closed'
           AND COALESCE(f.last_contact_on, SUBSTR(f.created_at, 1, 10)) < {cutoff}
         GROUP BY f.province"
        ),
        binds,
        |_| Ok(Some(())),
        n,
    )
    .await?;

    let closures = facts(
        conn,
        "SELECT f.province, SUBSTR(c.decided_at, 1, 4) AS year, c.reason, COUNT(*) AS n
         FROM case_closure c JOIN family f ON f.family_id = c.family_id
         WHERE c.decision = 'approved'
         GROUP BY f.province, SUBSTR(c.decided_at, 1, 4), c.reason",
        Binds::default(),
        |r| code(r, "reason", ClosureReason::parse),
        n,
    )
    .await?;

    let first: Option<String> = sqlx::query_scalar("SELECT MIN(created_at) FROM family")
        .fetch_one(&mut *conn)
        .await?;
    Ok(Cube {
        as_of: now.format("%Y-%m-%d %H:%M").to_string(),
        first_year: first.and_then(|t| t.get(..4)?.parse().ok()),
        registrations,
        people,
        needs,
        assessments,
        progress,
        waits,
        referrals,
        outcomes,
        follow_ups,
        lost,
        closures,
        // The deployment's, set by the caller (`server::indicators`).
        secret: 0,
    })
}
