//! Programme indicators as managers see them: tables of aggregates, their groupings, and the
//! small-count rule that keeps an aggregate from pointing at a family.
//!
//! The rule: a count below [`SMALL_COUNT`] is never shown (it reads "<5"), and neither can it be
//! worked out from what is shown. Where cells add up to a total in the same table (a "line": a
//! column above its total row, or a row beside its total column), a line never has exactly one
//! hidden cell, because total minus the others would give it back; a second cell is hidden with
//! it (complementary suppression), and the hidden cells of a line with its total shown never
//! add up to between one and four. Rates, means and medians over fewer than five are withheld,
//! and a rate is shown only when neither its part nor the rest is small, so it cannot be
//! multiplied back into a small count either.

use crate::family::{ReturnType, Sex, SpecificNeed};
use crate::follow_up::ClosureReason;
use crate::referral::ReferralStatus;
use crate::service::ServiceCategory;
use crate::Country;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// Counts below this are shown as "<5".
pub const SMALL_COUNT: u64 = 5;

crate::code_enum! {
    /// Age groups of individuals (age this year, from the birth year).
    pub enum AgeGroup {
        Under5 = "0_4",
        Child = "5_17",
        Adult = "18_59",
        Older = "60_plus",
    }
}

impl AgeGroup {
    pub fn of_age(age: i64) -> AgeGroup {
        match age {
            ..=4 => AgeGroup::Under5,
            5..=17 => AgeGroup::Child,
            18..=59 => AgeGroup::Adult,
            _ => AgeGroup::Older,
        }
    }
}

crate::code_enum! {
    /// Months from return to an assessment.
    pub enum SinceReturn {
        UpTo3 = "0_3",
        UpTo6 = "4_6",
        UpTo12 = "7_12",
        UpTo24 = "13_24",
        Over24 = "25_plus",
    }
}

impl SinceReturn {
    pub fn of_months(months: i64) -> SinceReturn {
        match months {
            ..=3 => SinceReturn::UpTo3,
            4..=6 => SinceReturn::UpTo6,
            7..=12 => SinceReturn::UpTo12,
            13..=24 => SinceReturn::UpTo24,
            _ => SinceReturn::Over24,
        }
    }
}

crate::code_enum! {
    /// Days from registration to the first assessment.
    pub enum Wait {
        Week = "0_7",
        Month = "8_30",
        Quarter = "31_90",
        Longer = "91_plus",
        NotYet = "not_yet",
    }
}

impl Wait {
    pub fn of_days(days: Option<i64>) -> Wait {
        match days {
            None => Wait::NotYet,
            Some(..=7) => Wait::Week,
            Some(8..=30) => Wait::Month,
            Some(31..=90) => Wait::Quarter,
            Some(_) => Wait::Longer,
        }
    }
}

crate::code_enum! {
    /// How the follow-ups of the period went, and the cases lost to follow-up.
    pub enum FollowUpOutcome {
        OnTime = "on_time",
        Late = "late",
        Missed = "missed",
        Overdue = "overdue",
        Lost = "lost",
    }
}

crate::code_enum! {
    /// The tables of the overview, in the order the page shows them.
    pub enum TableId {
        Registrations = "registrations",
        Monthly = "monthly",
        SexAge = "sex_age",
        Needs = "needs",
        ReturnTypes = "return_types",
        Assessments = "assessments",
        FirstAssessment = "first_assessment",
        ReferralsByService = "referrals_by_service",
        ReferralsByOrganisation = "referrals_by_organisation",
        FollowUps = "follow_ups",
        Closures = "closures",
    }
}

crate::code_enum! {
    /// Column headings.
    pub enum Column {
        Families = "families",
        Individuals = "individuals",
        Female = "female",
        Male = "male",
        Total = "total",
        Count = "count",
        Assessments = "assessments",
        Economic = "economic",
        Social = "social",
        Psychosocial = "psychosocial",
        Composite = "composite",
        Sent = "sent",
        Accepted = "accepted",
        AcceptanceRate = "acceptance_rate",
        MedianDaysToRespond = "median_days_to_respond",
        Completed = "completed",
        CompletionRate = "completion_rate",
        MedianDays = "median_days",
    }
}

/// What a row is about. Codes are translated by the interface, by table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Label {
    /// A province or governorate (location key).
    Location(String),
    /// A code of the table's grouping (sex, need, service category, …).
    Code(String),
    /// A month, `YYYY-MM`.
    Month(String),
    /// An organisation's name (organisations are not people).
    Organisation(String),
    Total,
}

/// A value as it may be shown.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Count(u64),
    /// A count below five, or hidden so that one below five cannot be worked out: "<5".
    Small,
    /// A mean score, 0–1.
    Score(f64),
    /// A proportion, 0–1.
    Rate(f64),
    Days(f64),
    /// A rate, mean or median over too few to show.
    Withheld,
    /// Nothing belongs here.
    Blank,
}

/// A value as computed, before the small-count rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Raw {
    Count(u64),
    /// A mean over `n` values (`None` when none had one).
    Mean(Option<f64>, u64),
    /// `part` of `whole`.
    Ratio(u64, u64),
    /// A median over `n` values.
    Median(Option<f64>, u64),
    Blank,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub label: Label,
    pub cells: Vec<Cell>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub id: TableId,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl Table {
    /// Applies the small-count rule to computed rows. Lines are found from the shape: when
    /// the last row is [`Label::Total`], each column of counts adds up to it; when the last
    /// column is [`Column::Total`], each row's other counts add up to it ([`suppress`] takes
    /// the last cell of a line as its total).
    pub fn new(id: TableId, columns: Vec<Column>, raw: Vec<(Label, Vec<Raw>)>) -> Table {
        let counts: Vec<Vec<Option<u64>>> = raw
            .iter()
            .map(|(_, cells)| {
                cells
                    .iter()
                    .map(|c| match c {
                        Raw::Count(n) => Some(*n),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let mut lines = Vec::new();
        if raw.last().is_some_and(|(l, _)| *l == Label::Total) {
            for c in 0..columns.len() {
                let line: Line = (0..raw.len())
                    .filter(|&r| counts[r].get(c).copied().flatten().is_some())
                    .map(|r| (r, c))
                    .collect();
                if line.len() > 1 {
                    lines.push(line);
                }
            }
        }
        if columns.last() == Some(&Column::Total) {
            for (r, row) in counts.iter().enumerate() {
                let line: Line = (0..row.len())
                    .filter(|&c| row[c].is_some())
                    .map(|c| (r, c))
                    .collect();
                if line.len() > 1 {
                    lines.push(line);
                }
            }
        }
        let hidden = suppress(&counts, &lines);
        let rows = raw
            .into_iter()
            .enumerate()
            .map(|(r, (label, cells))| Row {
                label,
                cells: cells
                    .into_iter()
                    .enumerate()
                    .map(|(c, raw)| shown(raw, hidden[r][c]))
                    .collect(),
            })
            .collect();
        Table { id, columns, rows }
    }
}

fn shown(raw: Raw, hidden: bool) -> Cell {
    match raw {
        Raw::Count(_) if hidden => Cell::Small,
        Raw::Count(n) => Cell::Count(n),
        Raw::Mean(Some(m), n) if n >= SMALL_COUNT => Cell::Score(m),
        Raw::Median(Some(m), n) if n >= SMALL_COUNT => Cell::Days(m),
        Raw::Ratio(part, whole)
            if part >= SMALL_COUNT && whole.saturating_sub(part) >= SMALL_COUNT =>
        {
            Cell::Rate(part as f64 / whole as f64)
        }
        Raw::Blank => Cell::Blank,
        Raw::Mean(..) | Raw::Median(..) | Raw::Ratio(..) => Cell::Withheld,
    }
}

/// Cells (row, column) that add up to the last of them, the total.
pub type Line = Vec<(usize, usize)>;

/// Which counts to hide. Each line lists cells that add up to its last cell, the total.
/// First every count below [`SMALL_COUNT`]; then, until nothing changes, in every line:
/// - exactly one hidden cell would be given away by subtraction: the smallest shown cell
///   goes with it;
/// - with the total shown, the hidden parts add up to what the total minus the shown parts
///   says: when that is between 1 and 4, the smallest shown part goes too (or, if none is
///   left, the total).
pub fn suppress(counts: &[Vec<Option<u64>>], lines: &[Line]) -> Vec<Vec<bool>> {
    let mut hidden: Vec<Vec<bool>> = counts
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| c.is_some_and(|n| n < SMALL_COUNT))
                .collect()
        })
        .collect();
    let value = |(r, c): (usize, usize)| counts[r][c].unwrap_or(0);
    loop {
        let mut changed = false;
        for line in lines {
            let Some((&total, parts)) = line.split_last() else {
                continue;
            };
            let is_hidden = |&&(r, c): &&(usize, usize)| hidden[r][c];
            let n_hidden = line.iter().filter(is_hidden).count();
            let hidden_sum: u64 = parts.iter().filter(is_hidden).map(|&p| value(p)).sum();
            let small_sum = !hidden[total.0][total.1] && (1..SMALL_COUNT).contains(&hidden_sum);
            if n_hidden != 1 && !small_sum {
                continue;
            }
            let partner = parts
                .iter()
                .filter(|&&(r, c)| !hidden[r][c] && (n_hidden == 1 || value((r, c)) > 0))
                .min_by_key(|&&p| value(p))
                .or((n_hidden == 1 || small_sum)
                    .then_some(&total)
                    .filter(|&&(r, c)| !hidden[r][c]));
            if let Some(&(r, c)) = partner {
                hidden[r][c] = true;
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// The median of values given as (value, how many times), sorted or not.
pub fn median(histogram: &[(i64, u64)]) -> Option<f64> {
    let mut h: Vec<(i64, u64)> = histogram.iter().copied().filter(|(_, n)| *n > 0).collect();
    h.sort();
    let total: u64 = h.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    // The values at positions lower and upper (0-based) of the sorted list.
    let at = |pos: u64| {
        let mut seen = 0;
        for (v, n) in &h {
            seen += n;
            if pos < seen {
                return *v;
            }
        }
        h.last().map(|(v, _)| *v).unwrap_or_default()
    };
    let (lower, upper) = (at((total - 1) / 2), at(total / 2));
    Some((lower + upper) as f64 / 2.0)
}

/// What the overview is filtered to; each value also in the page's URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub country: Option<Country>,
    /// A location key of the country.
    pub province: Option<String>,
    /// A calendar year: registrations, assessments, referrals, follow-ups and closures dated in it.
    pub year: Option<i32>,
}

impl Filter {
    /// The filter as the query string of the page and the exports (`country=AF&year=2026`).
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = self.country {
            parts.push(format!("country={}", c.code()));
        }
        if let Some(p) = &self.province {
            parts.push(format!("province={p}"));
        }
        if let Some(y) = self.year {
            parts.push(format!("year={y}"));
        }
        parts.join("&")
    }
}

/// Reads a filter from form values, keeping it to what the caller may see: `scope` is
/// `None` for both countries or `Some(c)` for one. A province outside the country is dropped.
pub fn parse_filter(country: &str, province: &str, year: &str, scope: Option<Country>) -> Filter {
    let country = scope.or_else(|| Country::parse(country.trim()));
    let province = crate::location::by_key(province.trim())
        .filter(|l| country.is_none_or(|c| l.country == c))
        .map(|l| l.key.clone());
    let country = country.or_else(|| {
        province
            .as_deref()
            .and_then(crate::location::by_key)
            .map(|l| l.country)
    });
    let year = crate::digits::to_western(year.trim())
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    Filter {
        country,
        province,
        year,
    }
}

/// One grouped row of the caseload: the province, the year of the event counted, what is
/// counted (`key`) and the figures (`value`).
#[derive(Clone, Debug, PartialEq)]
pub struct Fact<K, V> {
    pub province: String,
    pub year: i32,
    pub key: K,
    pub value: V,
}

/// Sums of assessments: how many, and per score (economic, social, psychosocial, composite)
/// its sum and how many had one.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    pub n: u64,
    pub sums: [f64; 4],
    pub counts: [u64; 4],
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

/// The referral figures of one group.
#[derive(Clone, Debug, Default)]
struct Referrals {
    sent: u64,
    accepted: u64,
    declined: u64,
    completed: u64,
    /// Days to respond of those answered, as (days, how many).
    days: Vec<(i64, u64)>,
}

impl Referrals {
    fn add(&mut self, status: ReferralStatus, days: Option<i64>, n: u64) {
        self.sent += n;
        match status {
            ReferralStatus::Accepted => self.accepted += n,
            ReferralStatus::Completed => {
                self.accepted += n;
                self.completed += n;
            }
            ReferralStatus::Declined => self.declined += n,
            ReferralStatus::Sent | ReferralStatus::Cancelled => {}
        }
        if let Some(d) = days {
            self.days.push((d.max(0), n));
        }
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

/// Referrals alike in service, organisation (its name), status and days to respond (`None`:
/// not answered).
pub type ReferralGroup = (ServiceCategory, String, ReferralStatus, Option<i64>);

/// The whole caseload as grouped facts, by province and year: everything the tables are made
/// of. The database computes it with a few grouped queries (its size depends on the number
/// of provinces, years and categories, not on the number of families); the tables of any
/// filter are then folded from it in memory.
#[derive(Clone, Debug, Default)]
pub struct Cube {
    /// When it was computed (UTC, `YYYY-MM-DD HH:MM`).
    pub as_of: String,
    /// The year of the first registration.
    pub first_year: Option<i32>,
    /// (month of registration `YYYY-MM`, type of return) → (families, individuals).
    pub registrations: Vec<Fact<(String, ReturnType), (u64, u64)>>,
    /// Individuals by (age group, sex); the year is that of registration.
    pub people: Vec<Fact<(AgeGroup, Sex), u64>>,
    /// Individuals with a specific need; the year is that of registration.
    pub needs: Vec<Fact<SpecificNeed, u64>>,
    /// Assessments by months since return; the year is that of the assessment.
    pub assessments: Vec<Fact<SinceReturn, Scores>>,
    /// Families by days from registration to first assessment (`None`: not yet).
    pub waits: Vec<Fact<Option<i64>, u64>>,
    /// Referrals by their group; the year they were sent.
    pub referrals: Vec<Fact<ReferralGroup, u64>>,
    /// Follow-ups by outcome; the year they were due.
    pub follow_ups: Vec<Fact<FollowUpOutcome, u64>>,
    /// Open cases lost to follow-up when the cube was computed (not filtered by year).
    pub lost: Vec<Fact<(), u64>>,
    /// Closures approved, by reason; the year of approval.
    pub closures: Vec<Fact<ClosureReason, u64>>,
}

/// The provinces a filter covers, in the order of the list of locations.
fn provinces(filter: &Filter) -> Vec<&'static str> {
    crate::location::all()
        .iter()
        .filter(|l| filter.country.is_none_or(|c| l.country == c))
        .filter(|l| filter.province.as_ref().is_none_or(|p| *p == l.key))
        .map(|l| l.key.as_str())
        .collect()
}

fn with_total(mut rows: Vec<(Label, Vec<Raw>)>, total: Vec<Raw>) -> Vec<(Label, Vec<Raw>)> {
    rows.push((Label::Total, total));
    rows
}

/// Every month of `year`, else every month from the first seen to the last.
fn months(year: Option<i32>, seen: &BTreeMap<String, u64>) -> Vec<String> {
    let parse = |m: &str| -> Option<(i32, i32)> {
        Some((m.get(..4)?.parse().ok()?, m.get(5..7)?.parse().ok()?))
    };
    let (first, last) = match year {
        Some(y) => ((y, 1), (y, 12)),
        None => match (
            seen.keys().next().and_then(|m| parse(m)),
            seen.keys().next_back().and_then(|m| parse(m)),
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

/// One count per code of a grouping, zero where none was seen, in the grouping's order.
fn count_rows<K: Copy + Ord>(
    all: &[K],
    code: fn(K) -> &'static str,
    seen: &BTreeMap<K, u64>,
) -> Vec<(Label, Vec<Raw>)> {
    all.iter()
        .map(|k| {
            let n = seen.get(k).copied().unwrap_or(0);
            (Label::Code(code(*k).into()), vec![Raw::Count(n)])
        })
        .collect()
}

impl Cube {
    /// The tables of the overview under `filter`, in page order.
    pub fn tables(&self, filter: &Filter) -> Vec<Table> {
        let provinces = provinces(filter);
        let place: HashSet<&str> = provinces.iter().copied().collect();
        let in_place = |p: &str| place.contains(p);
        let in_year = |y: i32| filter.year.is_none_or(|f| f == y);
        fn sum<K: Ord + Clone, V: Copy + Default + std::ops::AddAssign>(
            facts: impl Iterator<Item = (K, V)>,
        ) -> BTreeMap<K, V> {
            let mut out = BTreeMap::new();
            for (k, v) in facts {
                *out.entry(k).or_default() += v;
            }
            out
        }
        macro_rules! kept {
            ($facts:expr) => {
                $facts
                    .iter()
                    .filter(|f| in_place(&f.province) && in_year(f.year))
            };
        }

        // Registrations: by province, by month, by type of return.
        let mut by_province: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        let mut by_month: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_type: BTreeMap<ReturnType, u64> = BTreeMap::new();
        for f in kept!(self.registrations) {
            let p = by_province.entry(f.province.as_str()).or_default();
            p.0 += f.value.0;
            p.1 += f.value.1;
            *by_month.entry(f.key.0.clone()).or_default() += f.value.0;
            *by_type.entry(f.key.1).or_default() += f.value.0;
        }
        let (families, individuals) = by_province
            .values()
            .fold((0, 0), |(f, i), (pf, pi)| (f + pf, i + pi));
        let province_rows = provinces
            .iter()
            .map(|key| {
                let (f, i) = by_province.get(key).copied().unwrap_or_default();
                (
                    Label::Location(key.to_string()),
                    vec![Raw::Count(f), Raw::Count(i)],
                )
            })
            .collect();
        let month_rows = months(filter.year, &by_month)
            .into_iter()
            .map(|m| {
                let n = by_month.get(&m).copied().unwrap_or_default();
                (Label::Month(m), vec![Raw::Count(n)])
            })
            .collect();

        // Individuals by age group and sex.
        let people = sum(kept!(self.people).map(|f| (f.key, f.value)));
        let get = |g: AgeGroup, s: Sex| people.get(&(g, s)).copied().unwrap_or(0);
        let line = |f: u64, m: u64| vec![Raw::Count(f), Raw::Count(m), Raw::Count(f + m)];
        let age_rows = AgeGroup::ALL
            .iter()
            .map(|g| {
                (
                    Label::Code(g.as_str().into()),
                    line(get(*g, Sex::Female), get(*g, Sex::Male)),
                )
            })
            .collect();
        let total_of = |s: Sex| AgeGroup::ALL.iter().map(|g| get(*g, s)).sum::<u64>();

        // Assessments by months since return.
        let mut bands: BTreeMap<SinceReturn, Scores> = BTreeMap::new();
        for f in kept!(self.assessments) {
            bands.entry(f.key).or_default().add(&f.value);
        }
        let mut all_scores = Scores::default();
        let band_rows = SinceReturn::ALL
            .iter()
            .map(|b| {
                let s = bands.get(b).copied().unwrap_or_default();
                all_scores.add(&s);
                (Label::Code(b.as_str().into()), s.cells())
            })
            .collect();

        // Time to the first assessment.
        let mut waits: BTreeMap<Wait, u64> = BTreeMap::new();
        let mut histogram = Vec::new();
        for f in kept!(self.waits) {
            let days = f.key.map(|d| d.max(0));
            *waits.entry(Wait::of_days(days)).or_default() += f.value;
            if let Some(d) = days {
                histogram.push((d, f.value));
            }
        }
        let assessed: u64 = histogram.iter().map(|(_, n)| n).sum();
        let waited: u64 = waits.values().sum();
        let wait_rows = Wait::ALL
            .iter()
            .map(|w| {
                let n = waits.get(w).copied().unwrap_or(0);
                (
                    Label::Code(w.as_str().into()),
                    vec![Raw::Count(n), Raw::Blank],
                )
            })
            .collect();

        // Referrals by service and by organisation.
        let mut by_service: BTreeMap<ServiceCategory, Referrals> = BTreeMap::new();
        let mut by_org: BTreeMap<&str, Referrals> = BTreeMap::new();
        let mut all_referrals = Referrals::default();
        for f in kept!(self.referrals) {
            let (service, org, status, days) = &f.key;
            by_service
                .entry(*service)
                .or_default()
                .add(*status, *days, f.value);
            by_org
                .entry(org.as_str())
                .or_default()
                .add(*status, *days, f.value);
            all_referrals.add(*status, *days, f.value);
        }
        let referral_columns = vec![
            Column::Sent,
            Column::Accepted,
            Column::AcceptanceRate,
            Column::MedianDaysToRespond,
            Column::Completed,
            Column::CompletionRate,
        ];
        let service_rows = ServiceCategory::ALL
            .iter()
            .map(|s| {
                let r = by_service.remove(s).unwrap_or_default();
                (Label::Code(s.as_str().into()), r.cells())
            })
            .collect();
        let org_rows = by_org
            .into_iter()
            .map(|(name, r)| (Label::Organisation(name.to_string()), r.cells()))
            .collect();

        // Follow-ups, with the cases lost to follow-up (today, whatever the year).
        let mut outcomes = sum(kept!(self.follow_ups).map(|f| (f.key, f.value)));
        let lost: u64 = self
            .lost
            .iter()
            .filter(|f| in_place(&f.province))
            .map(|f| f.value)
            .sum();
        outcomes.insert(FollowUpOutcome::Lost, lost);

        let closures = sum(kept!(self.closures).map(|f| (f.key, f.value)));
        let closed = closures.values().sum();
        let needs = sum(kept!(self.needs).map(|f| (f.key, f.value)));

        vec![
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
                TableId::SexAge,
                vec![Column::Female, Column::Male, Column::Total],
                with_total(age_rows, line(total_of(Sex::Female), total_of(Sex::Male))),
            ),
            Table::new(
                TableId::Needs,
                vec![Column::Individuals],
                count_rows(SpecificNeed::ALL, SpecificNeed::as_str, &needs),
            ),
            Table::new(
                TableId::ReturnTypes,
                vec![Column::Families],
                with_total(
                    count_rows(ReturnType::ALL, ReturnType::as_str, &by_type),
                    vec![Raw::Count(families)],
                ),
            ),
            Table::new(
                TableId::Assessments,
                vec![
                    Column::Assessments,
                    Column::Economic,
                    Column::Social,
                    Column::Psychosocial,
                    Column::Composite,
                ],
                with_total(band_rows, all_scores.cells()),
            ),
            Table::new(
                TableId::FirstAssessment,
                vec![Column::Families, Column::MedianDays],
                with_total(
                    wait_rows,
                    vec![
                        Raw::Count(waited),
                        Raw::Median(median(&histogram), assessed),
                    ],
                ),
            ),
            Table::new(
                TableId::ReferralsByService,
                referral_columns.clone(),
                with_total(service_rows, all_referrals.cells()),
            ),
            Table::new(
                TableId::ReferralsByOrganisation,
                referral_columns,
                with_total(org_rows, all_referrals.cells()),
            ),
            Table::new(
                TableId::FollowUps,
                vec![Column::Count],
                count_rows(FollowUpOutcome::ALL, FollowUpOutcome::as_str, &outcomes),
            ),
            Table::new(
                TableId::Closures,
                vec![Column::Count],
                with_total(
                    count_rows(ClosureReason::ALL, ClosureReason::as_str, &closures),
                    vec![Raw::Count(closed)],
                ),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A table of random counts with a total row and a total column, and its lines.
    fn with_margins(body: &[Vec<u64>]) -> (Vec<Vec<Option<u64>>>, Vec<Line>) {
        let cols = body[0].len();
        let mut counts: Vec<Vec<Option<u64>>> = body
            .iter()
            .map(|r| {
                let mut row: Vec<Option<u64>> = r.iter().map(|n| Some(*n)).collect();
                row.push(Some(r.iter().sum()));
                row
            })
            .collect();
        let totals: Vec<Option<u64>> = (0..=cols)
            .map(|c| Some(counts.iter().map(|r| r[c].unwrap()).sum()))
            .collect();
        counts.push(totals);
        let rows = counts.len();
        let mut lines: Vec<Line> = (0..rows)
            .map(|r| (0..=cols).map(|c| (r, c)).collect())
            .collect();
        lines.extend((0..=cols).map(|c| (0..rows).map(|r| (r, c)).collect()));
        (counts, lines)
    }

    proptest! {
        #[test]
        fn small_counts_are_hidden_and_cannot_be_recovered_by_subtraction(
            body in prop::collection::vec(prop::collection::vec(0u64..40, 1..5), 1..7)
                .prop_filter("rectangular", |b| b.iter().all(|r| r.len() == b[0].len()))
        ) {
            let (counts, lines) = with_margins(&body);
            let hidden = suppress(&counts, &lines);
            for (r, row) in counts.iter().enumerate() {
                for (c, n) in row.iter().enumerate() {
                    if n.unwrap() < SMALL_COUNT {
                        prop_assert!(hidden[r][c], "{n:?} at {r},{c} shown");
                    }
                }
            }
            for line in &lines {
                let n = line.iter().filter(|&&(r, c)| hidden[r][c]).count();
                prop_assert!(n != 1, "a line with one hidden cell: {line:?}");
                let (&(tr, tc), parts) = line.split_last().unwrap();
                if !hidden[tr][tc] {
                    let sum: u64 = parts
                        .iter()
                        .filter(|&&(r, c)| hidden[r][c])
                        .map(|&(r, c)| counts[r][c].unwrap())
                        .sum();
                    prop_assert!(sum == 0 || sum >= SMALL_COUNT, "hidden parts add up to {sum}: {line:?}");
                }
            }
        }

        #[test]
        fn a_table_shows_no_count_below_five(
            values in prop::collection::vec(0u64..20, 1..10)
        ) {
            let mut raw: Vec<(Label, Vec<Raw>)> = values
                .iter()
                .map(|n| (Label::Code("x".into()), vec![Raw::Count(*n), Raw::Ratio(*n / 2, *n)]))
                .collect();
            let total: u64 = values.iter().sum();
            raw.push((Label::Total, vec![Raw::Count(total), Raw::Ratio(total / 2, total)]));
            let t = Table::new(TableId::Closures, vec![Column::Count, Column::AcceptanceRate], raw);
            let hidden = t.rows.iter().filter(|r| r.cells[0] == Cell::Small).count();
            prop_assert!(hidden != 1);
            for (row, n) in t.rows.iter().zip(values.iter().chain([&total])) {
                match row.cells[0] {
                    Cell::Count(shown) => {
                        prop_assert_eq!(shown, *n);
                        prop_assert!(shown >= SMALL_COUNT);
                    }
                    Cell::Small => {}
                    other => prop_assert!(false, "unexpected {:?}", other),
                }
                if let Cell::Rate(_) = row.cells[1] {
                    prop_assert!(*n / 2 >= SMALL_COUNT && *n - *n / 2 >= SMALL_COUNT);
                }
            }
        }
    }

    #[test]
    fn one_small_cell_takes_the_smallest_other_cell_with_it() {
        let raw = vec![
            (Label::Code("a".into()), vec![Raw::Count(3)]),
            (Label::Code("b".into()), vec![Raw::Count(40)]),
            (Label::Code("c".into()), vec![Raw::Count(9)]),
            (Label::Total, vec![Raw::Count(52)]),
        ];
        let t = Table::new(TableId::Closures, vec![Column::Count], raw);
        let cells: Vec<Cell> = t.rows.iter().map(|r| r.cells[0]).collect();
        assert_eq!(
            cells,
            [Cell::Small, Cell::Count(40), Cell::Small, Cell::Count(52)]
        );
    }

    #[test]
    fn rows_add_up_to_a_total_column_too() {
        let raw = vec![
            (
                Label::Code("0_4".into()),
                vec![Raw::Count(2), Raw::Count(10), Raw::Count(12)],
            ),
            (
                Label::Code("5_17".into()),
                vec![Raw::Count(20), Raw::Count(30), Raw::Count(50)],
            ),
            (
                Label::Total,
                vec![Raw::Count(22), Raw::Count(40), Raw::Count(62)],
            ),
        ];
        let t = Table::new(
            TableId::SexAge,
            vec![Column::Female, Column::Male, Column::Total],
            raw,
        );
        // 2 is small; 10 goes with it in its row; then each column has one hidden cell and
        // its smallest other cell goes too, and so on until no line has exactly one.
        let hidden = |r: usize, c: usize| t.rows[r].cells[c] == Cell::Small;
        assert!(hidden(0, 0) && hidden(0, 1));
        for r in 0..3 {
            let n = (0..3).filter(|&c| hidden(r, c)).count();
            assert_ne!(n, 1, "row {r}");
        }
        for c in 0..3 {
            let n = (0..3).filter(|&r| hidden(r, c)).count();
            assert_ne!(n, 1, "column {c}");
        }
    }

    #[test]
    fn derived_values_need_five_on_each_side() {
        assert_eq!(shown(Raw::Mean(Some(0.5), 4), false), Cell::Withheld);
        assert_eq!(shown(Raw::Mean(Some(0.5), 5), false), Cell::Score(0.5));
        assert_eq!(shown(Raw::Median(Some(3.0), 4), false), Cell::Withheld);
        assert_eq!(shown(Raw::Ratio(5, 9), false), Cell::Withheld);
        assert_eq!(shown(Raw::Ratio(5, 10), false), Cell::Rate(0.5));
        assert_eq!(shown(Raw::Ratio(10, 10), false), Cell::Withheld);
    }

    #[test]
    fn medians_of_histograms() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(4, 1)]), Some(4.0));
        assert_eq!(median(&[(1, 1), (3, 1)]), Some(2.0));
        assert_eq!(median(&[(5, 2), (1, 1)]), Some(5.0));
        assert_eq!(median(&[(1, 2), (2, 1), (9, 1)]), Some(1.5));
    }

    #[test]
    fn groupings() {
        assert_eq!(AgeGroup::of_age(0), AgeGroup::Under5);
        assert_eq!(AgeGroup::of_age(17), AgeGroup::Child);
        assert_eq!(AgeGroup::of_age(60), AgeGroup::Older);
        assert_eq!(SinceReturn::of_months(3), SinceReturn::UpTo3);
        assert_eq!(SinceReturn::of_months(25), SinceReturn::Over24);
        assert_eq!(Wait::of_days(None), Wait::NotYet);
        assert_eq!(Wait::of_days(Some(8)), Wait::Month);
    }

    #[test]
    fn a_cube_is_folded_by_country_province_and_year() {
        let fact = |province: &str, year: i32, families: u64| Fact {
            province: province.into(),
            year,
            key: (format!("{year}-03"), ReturnType::Deported),
            value: (families, families * 4),
        };
        let cube = Cube {
            registrations: vec![
                fact("AF-KAB", 2025, 10),
                fact("AF-KAB", 2026, 7),
                fact("AF-HER", 2026, 20),
                fact("IQ-BG", 2026, 30),
            ],
            ..Default::default()
        };
        let families = |filter: Filter| {
            let tables = cube.tables(&filter);
            let t = tables
                .iter()
                .find(|t| t.id == TableId::Registrations)
                .unwrap();
            t.rows.last().unwrap().cells[0]
        };
        assert_eq!(families(Filter::default()), Cell::Count(67));
        let af = Filter {
            country: Some(Country::AF),
            ..Default::default()
        };
        assert_eq!(families(af.clone()), Cell::Count(37));
        let kabul_2026 = Filter {
            province: Some("AF-KAB".into()),
            year: Some(2026),
            ..af
        };
        assert_eq!(families(kabul_2026.clone()), Cell::Count(7));
        let tables = cube.tables(&kabul_2026);
        let monthly = tables.iter().find(|t| t.id == TableId::Monthly).unwrap();
        assert_eq!(
            monthly.rows.len(),
            13,
            "every month of the year and the total"
        );
        assert_eq!(monthly.rows[2].cells[0], Cell::Count(7));
        assert_eq!(
            monthly.rows[3].cells[0],
            Cell::Small,
            "no family: shown as <5 too"
        );
    }

    #[test]
    fn filters_keep_to_the_callers_country() {
        let kabul = crate::location::of_country(Country::AF).next().unwrap();
        let f = parse_filter("IQ", &kabul.key, "۲۰۲۶", None);
        assert_eq!(f.country, Some(Country::IQ));
        assert_eq!(
            f.province, None,
            "a province of the other country is dropped"
        );
        assert_eq!(f.year, Some(2026));
        let f = parse_filter("", &kabul.key, "1999", None);
        assert_eq!(
            f.country,
            Some(Country::AF),
            "the province gives the country"
        );
        assert_eq!(f.year, None);
        let f = parse_filter("", "", "", Some(Country::IQ));
        assert_eq!(
            f.country,
            Some(Country::IQ),
            "a supervisor sees only their country"
        );
        assert_eq!(f.query(), "country=IQ");
    }
}
