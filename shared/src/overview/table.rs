//! A table as shown, and the small-count rule within one table; counts are released through
//! the cell-key rounding of [`super::perturb`].

use serde::{Deserialize, Serialize};

use super::{Column, TableId, Tally};

/// Counts below this are shown as "<5".
pub const SMALL_COUNT: u64 = 5;

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
    /// A count of five or more, rounded to a multiple of five by its cell key.
    Count(u64),
    /// A count below five, or hidden so that one below five cannot be worked out: "<5".
    Small,
    /// A mean score, 0–1, to two decimals.
    Score(f64),
    /// A mean change of score, −1 to 1, to two decimals.
    Change(f64),
    /// A proportion, 0–1, of rounded counts.
    Rate(f64),
    Days(f64),
    /// A rate, mean or median over too few to show.
    Withheld,
    /// Nothing belongs here.
    Blank,
}

/// A value as computed, before the small-count rule and the rounding.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Raw {
    /// A true count with its cell key.
    Count(Tally),
    /// A mean over `n` values (`None` when none had one).
    Mean(Option<f64>, u64),
    /// A mean change of score over `n` values, released as a mean is.
    MeanChange(Option<f64>, u64),
    /// `part` of `whole`, each with its cell key.
    Ratio(Tally, Tally),
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
    /// Applies the small-count rule to computed rows, then releases the counts left shown
    /// rounded by their cell keys. Lines are found from the shape: when the last row is
    /// [`Label::Total`], each column of counts adds up to it; when the last column is
    /// [`Column::Total`], each row's other counts add up to it ([`suppress`] takes the last
    /// cell of a line as its total). Which cells to hide is decided on the true counts (a
    /// true count under five is hidden, whatever its rounding), so the rule within a table
    /// is the same as without rounding; the rounding adds the protection across tables and
    /// filters, where a line's cells and its total come from different answers.
    pub fn new(id: TableId, columns: Vec<Column>, raw: Vec<(Label, Vec<Raw>)>) -> Table {
        let counts: Vec<Vec<Option<u64>>> = raw
            .iter()
            .map(|(_, cells)| {
                cells
                    .iter()
                    .map(|c| match c {
                        Raw::Count(t) => Some(t.n),
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

/// A cell as released. Counts: hidden, or rounded by their key. Means to two decimals (an
/// exact mean, a fraction, can name its denominator, the true count). Rates: of the rounded
/// part and whole, shown only when neither the true part nor the true rest is under five.
pub(super) fn shown(raw: Raw, hidden: bool) -> Cell {
    match raw {
        Raw::Count(t) if hidden || t.n < SMALL_COUNT => Cell::Small,
        Raw::Count(t) => Cell::Count(t.published()),
        Raw::Mean(Some(m), n) if n >= SMALL_COUNT => Cell::Score((m * 100.0).round() / 100.0),
        Raw::MeanChange(Some(m), n) if n >= SMALL_COUNT => {
            Cell::Change((m * 100.0).round() / 100.0)
        }
        Raw::Median(Some(m), n) if n >= SMALL_COUNT => Cell::Days(m),
        Raw::Ratio(part, whole)
            if part.n >= SMALL_COUNT && whole.n.saturating_sub(part.n) >= SMALL_COUNT =>
        {
            Cell::Rate(part.published() as f64 / whole.published() as f64)
        }
        Raw::Blank => Cell::Blank,
        Raw::Mean(..) | Raw::MeanChange(..) | Raw::Median(..) | Raw::Ratio(..) => Cell::Withheld,
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

#[cfg(test)]
mod tests {
    use super::super::perturb::{mix, ROUNDING_BASE};
    use super::*;
    use proptest::prelude::*;

    /// A count with a key of its own (the `i`th fact of a test).
    fn fact(i: u64, n: u64) -> Tally {
        Tally::new(n, mix(i))
    }

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
            // Each row a fact (its count, and half of it as the part of a rate); the total
            // row their sum, keys included.
            let facts: Vec<(Tally, Tally)> = values
                .iter()
                .enumerate()
                .map(|(i, n)| (fact(2 * i as u64, *n), fact(2 * i as u64 + 1, *n / 2)))
                .collect();
            let total = facts.iter().fold((Tally::default(), Tally::default()), |(a, b), (c, d)| (a + *c, b + *d));
            let mut raw: Vec<(Label, Vec<Raw>)> = facts
                .iter()
                .map(|(n, half)| (Label::Code("x".into()), vec![Raw::Count(*n), Raw::Ratio(*half, *n)]))
                .collect();
            raw.push((Label::Total, vec![Raw::Count(total.0), Raw::Ratio(total.1, total.0)]));
            let t = Table::new(TableId::Closures, vec![Column::Count, Column::AcceptanceRate], raw);
            let hidden = t.rows.iter().filter(|r| r.cells[0] == Cell::Small).count();
            prop_assert!(hidden != 1);
            for (row, (n, half)) in t.rows.iter().zip(facts.iter().chain([&total])) {
                match row.cells[0] {
                    Cell::Count(shown) => {
                        prop_assert!(shown >= SMALL_COUNT, "{} shown as {}", n.n, shown);
                        prop_assert_eq!(shown % ROUNDING_BASE, 0);
                        prop_assert!(shown.abs_diff(n.n) < ROUNDING_BASE, "{} shown as {}", n.n, shown);
                        prop_assert_eq!(shown, n.published());
                    }
                    Cell::Small => {}
                    other => prop_assert!(false, "unexpected {:?}", other),
                }
                if let Cell::Rate(r) = row.cells[1] {
                    prop_assert!(half.n >= SMALL_COUNT && n.n - half.n >= SMALL_COUNT);
                    prop_assert_eq!(r, half.published() as f64 / n.published() as f64);
                    prop_assert!((0.0..=1.0).contains(&r));
                }
            }
        }
    }

    #[test]
    fn one_small_cell_takes_the_smallest_other_cell_with_it() {
        let (a, b, c) = (fact(1, 3), fact(2, 40), fact(3, 9));
        let total = a + b + c;
        let raw = vec![
            (Label::Code("a".into()), vec![Raw::Count(a)]),
            (Label::Code("b".into()), vec![Raw::Count(b)]),
            (Label::Code("c".into()), vec![Raw::Count(c)]),
            (Label::Total, vec![Raw::Count(total)]),
        ];
        let t = Table::new(TableId::Closures, vec![Column::Count], raw);
        let cells: Vec<Cell> = t.rows.iter().map(|r| r.cells[0]).collect();
        // 40 is a multiple of five: left as it is; 52 reads 50 or 55, by its key.
        assert_eq!(
            cells,
            [
                Cell::Small,
                Cell::Count(40),
                Cell::Small,
                Cell::Count(total.published())
            ]
        );
        assert!([50, 55].contains(&total.published()));
    }

    #[test]
    fn rows_add_up_to_a_total_column_too() {
        let body = [[fact(1, 2), fact(2, 10)], [fact(3, 20), fact(4, 30)]];
        let line = |f: Tally, m: Tally| vec![Raw::Count(f), Raw::Count(m), Raw::Count(f + m)];
        let raw = vec![
            (Label::Code("0_4".into()), line(body[0][0], body[0][1])),
            (Label::Code("5_17".into()), line(body[1][0], body[1][1])),
            (
                Label::Total,
                line(body[0][0] + body[1][0], body[0][1] + body[1][1]),
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
        let ratio = |part: u64, whole: u64| Raw::Ratio(fact(1, part), fact(2, whole));
        assert_eq!(shown(ratio(5, 9), false), Cell::Withheld);
        assert_eq!(shown(ratio(5, 10), false), Cell::Rate(0.5));
        assert_eq!(shown(ratio(10, 10), false), Cell::Withheld);
        // A rate is of the rounded counts: 8 of 13 is never 8/13, which would name them.
        let (part, whole) = (fact(5, 8), fact(6, 13));
        let Cell::Rate(r) = shown(Raw::Ratio(part, whole), false) else {
            panic!("8 of 13 is shown");
        };
        assert_eq!(r, part.published() as f64 / whole.published() as f64);
        assert_ne!(r, 8.0 / 13.0);
        // A mean is released to two decimals.
        assert_eq!(
            shown(Raw::Mean(Some(0.456_789), 7), false),
            Cell::Score(0.46)
        );
    }

    #[test]
    fn a_count_under_five_is_hidden_even_where_the_rule_would_show_it() {
        assert_eq!(shown(Raw::Count(fact(1, 0)), false), Cell::Small);
        assert_eq!(shown(Raw::Count(fact(1, 4)), false), Cell::Small);
        assert_eq!(shown(Raw::Count(fact(1, 5)), false), Cell::Count(5));
    }
}
