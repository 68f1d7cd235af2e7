//! The programme indicators: a few grouped queries whose results are small (hundreds of rows
//! at most, whatever the caseload), folded into tables in Rust. Nothing here selects a name,
//! phone, document, address or birth date: only codes, counts, sums and dates of events.

use super::families::Binds;
use crate::server::db::Backend;
use chrono::NaiveDate;
use shared::location;
use shared::overview::{
    median, AgeGroup, Column, FollowUpOutcome, Label, Raw, SinceReturn, Table, TableId, Wait,
};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

use shared::family::{ReturnType, Sex, SpecificNeed};
use shared::follow_up::ClosureReason;
use shared::overview::Filter;
use shared::service::ServiceCategory;

/// What the overview is computed for.
pub struct Query<'a> {
    pub filter: &'a Filter,
    pub backend: Backend,
    /// Today's date (follow-ups due before it and not done are overdue).
    pub today: NaiveDate,
    /// Open cases last contacted before this day are lost to follow-up.
    pub lost_before: NaiveDate,
}

impl Query<'_> {
    /// The condition on `family f` of the country and province filters.
    fn families(&self, binds: &mut Binds) -> String {
        let mut parts = vec!["1 = 1".to_string()];
        if let Some(c) = self.filter.country {
            parts.push(format!("f.country = {}", binds.push(c.code())));
        }
        if let Some(p) = &self.filter.province {
            parts.push(format!("f.province = {}", binds.push(p.as_str())));
        }
        parts.join(" AND ")
    }

    /// The condition that the text date or timestamp `column` falls in the filtered year.
    fn period(&self, column: &str, binds: &mut Binds) -> String {
        match self.filter.year {
            Some(y) => format!(
                "{column} >= {} AND {column} < {}",
                binds.push(format!("{y}-01-01")),
                binds.push(format!("{}-01-01", y + 1))
            ),
            None => "1 = 1".into(),
        }
    }

    /// Whole days from the date at the start of text `earlier` to that of `later`.
    fn days_between(&self, later: &str, earlier: &str) -> String {
        match self.backend {
            Backend::Sqlite => format!(
                "CAST(julianday(SUBSTR({later}, 1, 10)) - julianday(SUBSTR({earlier}, 1, 10)) AS BIGINT)"
            ),
            Backend::Postgres => format!(
                "CAST(CAST(SUBSTR({later}, 1, 10) AS DATE) - CAST(SUBSTR({earlier}, 1, 10) AS DATE) AS BIGINT)"
            ),
        }
    }
}

/// Every table of the overview, in page order.
pub async fn tables(conn: &mut AnyConnection, q: &Query<'_>) -> Result<Vec<Table>, sqlx::Error> {
    let mut out = registrations(conn, q).await?;
    out.push(sex_age(conn, q).await?);
    out.push(needs(conn, q).await?);
    out.push(assessments(conn, q).await?);
    out.push(first_assessment(conn, q).await?);
    out.extend(referrals(conn, q).await?);
    out.push(follow_ups(conn, q).await?);
    out.push(closures(conn, q).await?);
    // In the order of `TableId`: the page's order.
    out.sort_by_key(|t| t.id);
    Ok(out)
}

/// The year of the first registration, if any.
pub async fn first_year(conn: &mut AnyConnection) -> Result<Option<i32>, sqlx::Error> {
    let first: Option<String> = sqlx::query_scalar("SELECT MIN(created_at) FROM family")
        .fetch_one(&mut *conn)
        .await?;
    Ok(first.and_then(|t| t.get(..4)?.parse().ok()))
}

fn count(row: &sqlx::any::AnyRow, column: &str) -> Result<u64, sqlx::Error> {
    Ok(row.try_get::<i64, _>(column)?.max(0) as u64)
}

fn with_total(mut rows: Vec<(Label, Vec<Raw>)>, total: Vec<Raw>) -> Vec<(Label, Vec<Raw>)> {
    rows.push((Label::Total, total));
    rows
}

/// The provinces a filter covers, in the order of the list of locations.
fn provinces(filter: &Filter) -> Vec<String> {
    location::all()
        .iter()
        .filter(|l| filter.country.is_none_or(|c| l.country == c))
        .filter(|l| filter.province.as_ref().is_none_or(|p| *p == l.key))
        .map(|l| l.key.clone())
        .collect()
}

/// Families registered: by province (families, individuals), by month, by type of return.
async fn registrations(conn: &mut AnyConnection, q: &Query<'_>) -> Result<Vec<Table>, sqlx::Error> {
    let mut binds = Binds::default();
    let sql = format!(
        "SELECT f.province, f.return_type, SUBSTR(f.created_at, 1, 7) AS month,
                COUNT(*) AS families, CAST(SUM(f.member_count) AS BIGINT) AS individuals
         FROM family f
         WHERE {} AND {}
         GROUP BY f.province, f.return_type, SUBSTR(f.created_at, 1, 7)",
        q.families(&mut binds),
        q.period("f.created_at", &mut binds)
    );
    let mut by_province: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut by_month: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_type: BTreeMap<String, u64> = BTreeMap::new();
    for row in binds.query(&sql).fetch_all(&mut *conn).await? {
        let (families, individuals) = (count(&row, "families")?, count(&row, "individuals")?);
        let p = by_province.entry(row.try_get("province")?).or_default();
        p.0 += families;
        p.1 += individuals;
        *by_month.entry(row.try_get("month")?).or_default() += families;
        *by_type.entry(row.try_get("return_type")?).or_default() += families;
    }
    let (families, individuals) = by_province
        .values()
        .fold((0, 0), |(f, i), (pf, pi)| (f + pf, i + pi));

    let province_rows = provinces(q.filter)
        .into_iter()
        .map(|key| {
            let (f, i) = by_province.get(&key).copied().unwrap_or_default();
            (Label::Location(key), vec![Raw::Count(f), Raw::Count(i)])
        })
        .collect();
    let month_rows = months(q.filter.year, &by_month)
        .into_iter()
        .map(|m| {
            let n = by_month.get(&m).copied().unwrap_or_default();
            (Label::Month(m), vec![Raw::Count(n)])
        })
        .collect();
    let type_rows = ReturnType::ALL
        .iter()
        .map(|t| {
            let n = by_type.get(t.as_str()).copied().unwrap_or_default();
            (Label::Code(t.as_str().into()), vec![Raw::Count(n)])
        })
        .collect();
    Ok(vec![
        Table::new(
            TableId::Registrations,
            vec![Column::Families, Column::Individuals],
            with_total(
                province_rows,
                vec![Raw::Count(families), Raw::Count(individuals)],
            ),
        ),
        Table::new(
            TableId::Monthly,
            vec![Column::Families],
            with_total(month_rows, vec![Raw::Count(families)]),
        ),
        Table::new(
            TableId::ReturnTypes,
            vec![Column::Families],
            with_total(type_rows, vec![Raw::Count(families)]),
        ),
    ])
}

/// The months to show: every month of the filtered year, else every month from the first
/// with a registration to the last.
fn months(year: Option<i32>, seen: &BTreeMap<String, u64>) -> Vec<String> {
    let parse = |m: &str| -> Option<(i32, i32)> {
        Some((m.get(..4)?.parse().ok()?, m.get(5..7)?.parse().ok()?))
    };
    let (first, last) = match year {
        Some(y) => ((y, 1), (y, 12)),
        None => match (
            seen.keys().next().and_then(|m| parse(m)),
            seen.keys().last().and_then(|m| parse(m)),
        ) {
            (Some(a), Some(b)) => (a, b),
            _ => return Vec::new(),
        },
    };
    let mut out = Vec::new();
    let (mut y, mut m) = first;
    while (y, m) <= last {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// Individuals by age group and sex (age this year, from the birth year).
async fn sex_age(conn: &mut AnyConnection, q: &Query<'_>) -> Result<Table, sqlx::Error> {
    let mut binds = Binds::default();
    let sql = format!(
        "SELECT m.sex, m.birth_year, COUNT(*) AS n
         FROM member m JOIN family f ON f.family_id = m.family_id
         WHERE {} AND {}
         GROUP BY m.sex, m.birth_year",
        q.families(&mut binds),
        q.period("f.created_at", &mut binds)
    );
    use chrono::Datelike;
    let this_year = q.today.year() as i64;
    let mut cells: BTreeMap<(AgeGroup, String), u64> = BTreeMap::new();
    for row in binds.query(&sql).fetch_all(&mut *conn).await? {
        let group = AgeGroup::of_age(this_year - row.try_get::<i64, _>("birth_year")?);
        *cells.entry((group, row.try_get("sex")?)).or_default() += count(&row, "n")?;
    }
    let get = |g: AgeGroup, s: Sex| cells.get(&(g, s.as_str().into())).copied().unwrap_or(0);
    let line = |f: u64, m: u64| vec![Raw::Count(f), Raw::Count(m), Raw::Count(f + m)];
    let rows: Vec<(Label, Vec<Raw>)> = AgeGroup::ALL
        .iter()
        .map(|g| {
            (
                Label::Code(g.as_str().into()),
                line(get(*g, Sex::Female), get(*g, Sex::Male)),
            )
        })
        .collect();
    let sum = |s: Sex| AgeGroup::ALL.iter().map(|g| get(*g, s)).sum::<u64>();
    Ok(Table::new(
        TableId::SexAge,
        vec![Column::Female, Column::Male, Column::Total],
        with_total(rows, line(sum(Sex::Female), sum(Sex::Male))),
    ))
}

/// Individuals with each specific need (one person may have several: no total).
async fn needs(conn: &mut AnyConnection, q: &Query<'_>) -> Result<Table, sqlx::Error> {
    let mut binds = Binds::default();
    let sql = format!(
        "SELECT n.need, COUNT(*) AS n
         FROM member_need n JOIN family f ON f.family_id = n.family_id
         WHERE {} AND {}
         GROUP BY n.need",
        q.families(&mut binds),
        q.period("f.created_at", &mut binds)
    );
    let mut by_need: BTreeMap<String, u64> = BTreeMap::new();
    for row in binds.query(&sql).fetch_all(&mut *conn).await? {
        by_need.insert(row.try_get("need")?, count(&row, "n")?);
    }
    let rows = SpecificNeed::ALL
        .iter()
        .map(|n| {
            let c = by_need.get(n.as_str()).copied().unwrap_or(0);
            (Label::Code(n.as_str().into()), vec![Raw::Count(c)])
        })
        .collect();
    Ok(Table::new(TableId::Needs, vec![Column::Individuals], rows))
}

/// Sums of one band of assessments: how many, and per score its sum and how many had it.
#[derive(Default, Clone, Copy)]
struct Scores {
    n: u64,
    sums: [f64; 4],
    counts: [u64; 4],
}

impl Scores {
    fn add(&mut self, o: &Scores) {
        self.n += o.n;
        for i in 0..4 {
            self.sums[i] += o.sums[i];
            self.counts[i] += o.counts[i];
        }
    }

    fn cells(&self) -> Vec<Raw> {
        let mut out = vec![Raw::Count(self.n)];
        out.extend((0..4).map(|i| {
            let mean = (self.counts[i] > 0).then(|| self.sums[i] / self.counts[i] as f64);
            Raw::Mean(mean, self.counts[i])
        }));
        out
    }
}

/// Assessments and their mean scores, by months from return to assessment.
async fn assessments(conn: &mut AnyConnection, q: &Query<'_>) -> Result<Table, sqlx::Error> {
    let mut binds = Binds::default();
    let months = "CAST((CAST(SUBSTR(a.assessed_on, 1, 4) AS BIGINT) - CAST(SUBSTR(f.return_date, 1, 4) AS BIGINT)) * 12
                  + CAST(SUBSTR(a.assessed_on, 6, 2) AS BIGINT) - CAST(SUBSTR(f.return_date, 6, 2) AS BIGINT) AS BIGINT)";
    let sql = format!(
        "SELECT {months} AS months, COUNT(*) AS n,
                COALESCE(SUM(a.economic), 0.0) AS s0, COUNT(a.economic) AS c0,
                COALESCE(SUM(a.social), 0.0) AS s1, COUNT(a.social) AS c1,
                COALESCE(SUM(a.psychosocial), 0.0) AS s2, COUNT(a.psychosocial) AS c2,
                COALESCE(SUM(a.composite), 0.0) AS s3, COUNT(a.composite) AS c3
         FROM assessment a JOIN family f ON f.family_id = a.family_id
         WHERE {} AND {}
         GROUP BY 1",
        q.families(&mut binds),
        q.period("a.assessed_on", &mut binds)
    );
    let mut bands: BTreeMap<SinceReturn, Scores> = BTreeMap::new();
    for row in binds.query(&sql).fetch_all(&mut *conn).await? {
        let band = SinceReturn::of_months(row.try_get::<i64, _>("months")?);
        let mut s = Scores {
            n: count(&row, "n")?,
            ..Default::default()
        };
        for i in 0..4 {
            s.sums[i] = row.try_get::<f64, _>(format!("s{i}").as_str())?;
            s.counts[i] = count(&row, &format!("c{i}"))?;
        }
        bands.entry(band).or_default().add(&s);
    }
    let mut total = Scores::default();
    let rows = SinceReturn::ALL
        .iter()
        .map(|b| {
            let s = bands.get(b).copied().unwrap_or_default();
            total.add(&s);
            (Label::Code(b.as_str().into()), s.cells())
        })
        .collect();
    Ok(Table::new(
        TableId::Assessments,
        vec![
            Column::Assessments,
            Column::Economic,
            Column::Social,
            Column::Psychosocial,
            Column::Composite,
        ],
        with_total(rows, total.cells()),
    ))
}

/// Families registered, by the time to their first assessment, and the median time.
async fn first_assessment(conn: &mut AnyConnection, q: &Query<'_>) -> Result<Table, sqlx::Error> {
    let mut binds = Binds::default();
    let sql = format!(
        "SELECT {} AS days, COUNT(*) AS n
         FROM family f
         LEFT JOIN (SELECT family_id, MIN(assessed_on) AS first_on FROM assessment GROUP BY family_id) a
                ON a.family_id = f.family_id
         WHERE {} AND {}
         GROUP BY 1",
        q.days_between("a.first_on", "f.created_at"),
        q.families(&mut binds),
        q.period("f.created_at", &mut binds)
    );
    let mut bands: BTreeMap<Wait, u64> = BTreeMap::new();
    let mut histogram = Vec::new();
    for row in binds.query(&sql).fetch_all(&mut *conn).await? {
        let days = row.try_get::<Option<i64>, _>("days")?.map(|d| d.max(0));
        let n = count(&row, "n")?;
        *bands.entry(Wait::of_days(days)).or_default() += n;
        if let Some(d) = days {
            histogram.push((d, n));
        }
    }
    let assessed: u64 = histogram.iter().map(|(_, n)| n).sum();
    let total: u64 = bands.values().sum();
    let rows = Wait::ALL
        .iter()
        .map(|w| {
            let n = bands.get(w).copied().unwrap_or(0);
            (
                Label::Code(w.as_str().into()),
                vec![Raw::Count(n), Raw::Blank],
            )
        })
        .collect();
    Ok(Table::new(
        TableId::FirstAssessment,
        vec![Column::Families, Column::MedianDays],
        with_total(
            rows,
            vec![Raw::Count(total), Raw::Median(median(&histogram), assessed)],
        ),
    ))
}

/// Referral figures of one group: by status, and days to respond of those answered.
#[derive(Default, Clone)]
struct Referrals {
    sent: u64,
    accepted: u64,
    declined: u64,
    completed: u64,
    days: Vec<(i64, u64)>,
}

impl Referrals {
    fn add(&mut self, o: &Referrals) {
        self.sent += o.sent;
        self.accepted += o.accepted;
        self.declined += o.declined;
        self.completed += o.completed;
        self.days.extend(o.days.iter().copied());
    }

    fn cells(&self) -> Vec<Raw> {
        let answered: u64 = self.days.iter().map(|(_, n)| n).sum();
        vec![
            Raw::Count(self.sent),
            Raw::Count(self.accepted),
            Raw::Ratio(self.accepted, self.accepted + self.declined),
            Raw::Median(median(&self.days), answered),
            Raw::Count(self.completed),
            Raw::Ratio(self.completed, self.accepted),
        ]
    }
}

/// Referrals sent in the period, by service category and by organisation.
async fn referrals(conn: &mut AnyConnection, q: &Query<'_>) -> Result<Vec<Table>, sqlx::Error> {
    let mut binds = Binds::default();
    let sql = format!(
        "SELECT r.service, o.name AS organisation, r.status, {} AS days, COUNT(*) AS n
         FROM referral r
         JOIN family f ON f.family_id = r.family_id
         JOIN organisation o ON o.organisation_id = r.organisation_id
         WHERE {} AND {}
         GROUP BY r.service, o.name, r.status, 4",
        q.days_between("r.responded_at", "r.sent_at"),
        q.families(&mut binds),
        q.period("r.sent_at", &mut binds)
    );
    let mut by_service: BTreeMap<String, Referrals> = BTreeMap::new();
    let mut by_org: BTreeMap<String, Referrals> = BTreeMap::new();
    for row in binds.query(&sql).fetch_all(&mut *conn).await? {
        let n = count(&row, "n")?;
        let status: String = row.try_get("status")?;
        let mut r = Referrals {
            sent: n,
            ..Default::default()
        };
        match status.as_str() {
            "accepted" => r.accepted = n,
            "completed" => {
                r.accepted = n;
                r.completed = n;
            }
            "declined" => r.declined = n,
            _ => {}
        }
        if let Some(d) = row.try_get::<Option<i64>, _>("days")? {
            r.days.push((d.max(0), n));
        }
        by_service
            .entry(row.try_get("service")?)
            .or_default()
            .add(&r);
        by_org
            .entry(row.try_get("organisation")?)
            .or_default()
            .add(&r);
    }
    let columns = vec![
        Column::Sent,
        Column::Accepted,
        Column::AcceptanceRate,
        Column::MedianDaysToRespond,
        Column::Completed,
        Column::CompletionRate,
    ];
    let mut total = Referrals::default();
    let service_rows = ServiceCategory::ALL
        .iter()
        .map(|s| {
            let r = by_service.remove(s.as_str()).unwrap_or_default();
            total.add(&r);
            (Label::Code(s.as_str().into()), r.cells())
        })
        .collect();
    let org_rows = by_org
        .into_iter()
        .map(|(name, r)| (Label::Organisation(name), r.cells()))
        .collect();
    Ok(vec![
        Table::new(
            TableId::ReferralsByService,
            columns.clone(),
            with_total(service_rows, total.cells()),
        ),
        Table::new(
            TableId::ReferralsByOrganisation,
            columns,
            with_total(org_rows, total.cells()),
        ),
    ])
}

/// Follow-ups due in the period: done on time, late, missed, overdue; and the open cases
/// lost to follow-up today.
async fn follow_ups(conn: &mut AnyConnection, q: &Query<'_>) -> Result<Table, sqlx::Error> {
    let mut binds = Binds::default();
    let today = binds.push(q.today.to_string());
    let sql = format!(
        "SELECT CASE WHEN fu.status = 'done' AND fu.done_on <= fu.due_on THEN 'on_time'
                     WHEN fu.status = 'done' THEN 'late'
                     WHEN fu.status = 'missed' THEN 'missed'
                     WHEN fu.status = 'scheduled' AND fu.due_on < {today} THEN 'overdue'
                     ELSE 'other' END AS outcome,
                COUNT(*) AS n
         FROM follow_up fu JOIN family f ON f.family_id = fu.family_id
         WHERE {} AND {}
         GROUP BY 1",
        q.families(&mut binds),
        q.period("fu.due_on", &mut binds)
    );
    let mut by_outcome: BTreeMap<String, u64> = BTreeMap::new();
    for row in binds.query(&sql).fetch_all(&mut *conn).await? {
        by_outcome.insert(row.try_get("outcome")?, count(&row, "n")?);
    }
    let mut binds = Binds::default();
    let cutoff = binds.push(q.lost_before.to_string());
    let sql = format!(
        "SELECT COUNT(*) FROM family f
         WHERE {} AND f.status <> 'closed'
           AND COALESCE(f.last_contact_on, SUBSTR(f.created_at, 1, 10)) < {cutoff}",
        q.families(&mut binds)
    );
    let lost = binds.scalar(&sql).fetch_one(&mut *conn).await?.max(0) as u64;
    by_outcome.insert(FollowUpOutcome::Lost.as_str().into(), lost);
    let rows = FollowUpOutcome::ALL
        .iter()
        .map(|o| {
            let n = by_outcome.get(o.as_str()).copied().unwrap_or(0);
            (Label::Code(o.as_str().into()), vec![Raw::Count(n)])
        })
        .collect();
    Ok(Table::new(TableId::FollowUps, vec![Column::Count], rows))
}

/// Cases closed in the period (closure approved), by reason.
async fn closures(conn: &mut AnyConnection, q: &Query<'_>) -> Result<Table, sqlx::Error> {
    let mut binds = Binds::default();
    let sql = format!(
        "SELECT c.reason, COUNT(*) AS n
         FROM case_closure c JOIN family f ON f.family_id = c.family_id
         WHERE c.decision = 'approved' AND {} AND {}
         GROUP BY c.reason",
        q.families(&mut binds),
        q.period("c.decided_at", &mut binds)
    );
    let mut by_reason: BTreeMap<String, u64> = BTreeMap::new();
    for row in binds.query(&sql).fetch_all(&mut *conn).await? {
        by_reason.insert(row.try_get("reason")?, count(&row, "n")?);
    }
    let total = by_reason.values().sum();
    let rows = ClosureReason::ALL
        .iter()
        .map(|r| {
            let n = by_reason.get(r.as_str()).copied().unwrap_or(0);
            (Label::Code(r.as_str().into()), vec![Raw::Count(n)])
        })
        .collect();
    Ok(Table::new(
        TableId::Closures,
        vec![Column::Count],
        with_total(rows, vec![Raw::Count(total)]),
    ))
}
