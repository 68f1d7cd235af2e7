//! Programme indicators as managers see them: tables of aggregates, their groupings, and the
//! small-count rule that keeps an aggregate from pointing at a family.
//!
//! The rule: a count below [`SMALL_COUNT`] is never shown (it reads "<5"), and neither can it be
//! worked out from what is shown. Where cells add up to a total in the same table (a "line": a
//! column above its total row, or a row beside its total column), a line never has exactly one
//! hidden cell, because total minus the others would give it back; a second cell is hidden with
//! it (complementary suppression). Rates, means and medians over fewer than five are withheld,
//! and a rate is shown only when neither its part nor the rest is small, so it cannot be
//! multiplied back into a small count either.

use crate::Country;
use serde::{Deserialize, Serialize};

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
    /// the last row is [`Label::Total`], each column of counts adds up to it; when a column is
    /// [`Column::Total`], each row's other counts add up to it.
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
                let line: Vec<(usize, usize)> = (0..raw.len())
                    .filter(|&r| counts[r].get(c).copied().flatten().is_some())
                    .map(|r| (r, c))
                    .collect();
                if line.len() > 1 {
                    lines.push(line);
                }
            }
        }
        if columns.contains(&Column::Total) {
            for (r, row) in counts.iter().enumerate() {
                let line: Vec<(usize, usize)> = (0..row.len())
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

/// Which counts to hide: every count below [`SMALL_COUNT`], and then, as long as some line
/// has exactly one hidden cell, the smallest shown cell of that line as well.
pub fn suppress(counts: &[Vec<Option<u64>>], lines: &[Vec<(usize, usize)>]) -> Vec<Vec<bool>> {
    let mut hidden: Vec<Vec<bool>> = counts
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| c.is_some_and(|n| n < SMALL_COUNT))
                .collect()
        })
        .collect();
    loop {
        let mut changed = false;
        for line in lines {
            if line.iter().filter(|&&(r, c)| hidden[r][c]).count() != 1 {
                continue;
            }
            let partner = line
                .iter()
                .filter(|&&(r, c)| !hidden[r][c])
                .min_by_key(|&&(r, c)| counts[r][c]);
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A table of random counts with a total row and a total column, and its lines.
    fn with_margins(body: &[Vec<u64>]) -> (Vec<Vec<Option<u64>>>, Vec<Vec<(usize, usize)>>) {
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
        let mut lines: Vec<Vec<(usize, usize)>> = (0..rows)
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
