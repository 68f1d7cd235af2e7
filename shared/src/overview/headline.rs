//! The overview's headline figures: the few numbers a manager reads first, each beside its
//! value in the year before. Folded from the same facts with the same keys as the tables, and
//! released by the same rule (a count under five reads "<5", a rate or mean over fewer than
//! five is withheld, counts are rounded by their cell keys), so a headline count reads the
//! same as the table cell made of the same facts.

use super::cube::provinces;
use super::facts::Referrals;
use super::table::shown;
use super::{Cell, Cube, Filter, FollowUpOutcome, Raw, Scores, Tally};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

crate::code_enum! {
    /// The headline figures, in the order the page shows them.
    pub enum Measure {
        Registered = "registered",
        AssessedWithin30Days = "assessed_within_30_days",
        ReferralsAccepted = "referrals_accepted",
        ReferralsCompleted = "referrals_completed",
        FollowUpsOnTime = "follow_ups_on_time",
        LostToFollowUp = "lost_to_follow_up",
        ScoreChange = "score_change",
    }
}

/// Days from registration within which a first assessment counts as timely.
pub const ASSESSED_WITHIN_DAYS: i64 = 30;

/// One headline figure as released.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub measure: Measure,
    pub value: Cell,
    /// The same figure a year earlier; `None` where there is no earlier value to compare
    /// with (lost to follow-up is counted today only).
    pub previous: Option<Cell>,
}

/// The headline figures of a year.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    /// The year the figures are of: the filter's, or the one under way.
    pub year: i32,
    /// For the year under way, its months so far: registrations of the year before are
    /// counted over the same months, so that a year half gone is not compared with a whole
    /// one. (Rates and means compare as they are.)
    pub through_month: Option<u32>,
    pub figures: Vec<Figure>,
}

impl Figure {
    /// The change from the previous value, where both are shown and of the same kind:
    /// counts in people or families, rates in percentage points (−100 to 100), means in
    /// score points.
    pub fn change(&self) -> Option<f64> {
        match (self.value, self.previous?) {
            (Cell::Count(a), Cell::Count(b)) => Some(a as f64 - b as f64),
            (Cell::Rate(a), Cell::Rate(b)) => Some(((a - b) * 100.0).round()),
            (Cell::Score(a), Cell::Score(b)) => Some(((a - b) * 100.0).round() / 100.0),
            _ => None,
        }
    }
}

/// The year and month of a cube's `as_of` (`YYYY-MM-DD HH:MM`).
fn year_month(as_of: &str) -> Option<(i32, u32)> {
    Some((
        as_of.get(..4)?.parse().ok()?,
        as_of.get(5..7)?.parse().ok()?,
    ))
}

impl Cube {
    /// The headline figures under `filter`'s country and province, for its year or, over
    /// all years, for the year under way (a change needs a period to compare).
    pub fn headline(&self, filter: &Filter) -> Headline {
        let (this_year, this_month) =
            year_month(&self.as_of).unwrap_or((filter.year.unwrap_or_default(), 12));
        let year = filter.year.unwrap_or(this_year);
        let through_month = (year == this_year).then_some(this_month);
        let now = self.raw_figures(filter, year, None);
        let before = self.raw_figures(filter, year - 1, through_month);
        let figures = Measure::ALL
            .iter()
            .zip(now.into_iter().zip(before))
            .map(|(&measure, (now, before))| Figure {
                measure,
                value: shown(now, false),
                previous: (measure != Measure::LostToFollowUp).then(|| shown(before, false)),
            })
            .collect();
        Headline {
            year,
            through_month,
            figures,
        }
    }

    /// The figures of `year` in the filter's place, before release, in [`Measure`] order;
    /// registrations only of months up to `through_month` when given.
    fn raw_figures(&self, filter: &Filter, year: i32, through_month: Option<u32>) -> Vec<Raw> {
        let place: HashSet<&str> = provinces(filter).into_iter().collect();
        macro_rules! kept {
            ($facts:expr) => {
                $facts
                    .iter()
                    .filter(|f| f.year == year && place.contains(f.province.as_str()))
            };
        }

        let keys = self.keys("registrations");
        let in_months = |month: &str| {
            let m: u32 = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
            through_month.is_none_or(|last| m <= last)
        };
        let registered: Tally = kept!(self.registrations)
            .filter(|f| in_months(&f.key.0))
            .map(|f| keys.tally(f, "families", f.value.0))
            .sum();

        // Of the families registered in the year whose first assessment is due (assessed, or
        // registered long enough ago), those assessed within the days.
        let keys = self.keys("waits");
        let (mut timely, mut due) = (Tally::default(), Tally::default());
        for f in kept!(self.waits).filter(|f| f.key.1) {
            let n = keys.tally(f, "n", f.value);
            due += n;
            if f.key.0.is_some_and(|d| d <= ASSESSED_WITHIN_DAYS) {
                timely += n;
            }
        }

        let keys = self.keys("referrals");
        let mut referrals = Referrals::default();
        for f in kept!(self.referrals) {
            referrals.add(&Referrals::of(&keys, f));
        }

        let keys = self.keys("follow_ups");
        let (mut on_time, mut follow_ups) = (Tally::default(), Tally::default());
        for f in kept!(self.follow_ups) {
            let n = keys.tally(f, "n", f.value);
            follow_ups += n;
            if f.key == FollowUpOutcome::OnTime {
                on_time += n;
            }
        }

        // Lost to follow-up is a count of today, whatever the year (as in its table).
        let keys = self.keys("lost");
        let lost: Tally = self
            .lost
            .iter()
            .filter(|f| place.contains(f.province.as_str()))
            .map(|f| keys.tally(f, "n", f.value))
            .sum();

        let mut progress = Scores::default();
        for f in kept!(self.progress) {
            progress.add(&f.value);
        }
        let composite = 3;
        let (sum, n) = (progress.sums[composite], progress.counts[composite]);

        vec![
            Raw::Count(registered),
            Raw::Ratio(timely, due),
            referrals.acceptance(),
            referrals.completion(),
            Raw::Ratio(on_time, follow_ups),
            Raw::Count(lost),
            Raw::Mean((n > 0).then(|| sum / n as f64), n),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::ReturnType;
    use crate::overview::{Fact, TableId};
    use crate::Country;
    use proptest::prelude::*;

    fn registrations(month: &str, families: u64) -> Fact<(String, ReturnType), (u64, u64)> {
        Fact {
            province: "AF-KAB".into(),
            year: month[..4].parse().unwrap(),
            key: (month.into(), ReturnType::Deported),
            value: (families, families * 5),
        }
    }

    fn figure(h: &Headline, m: Measure) -> &Figure {
        h.figures.iter().find(|f| f.measure == m).unwrap()
    }

    fn near(cell: Cell, truth: u64) -> bool {
        matches!(cell, Cell::Count(n) if n % 5 == 0 && n.abs_diff(truth) < 5)
    }

    #[test]
    fn the_year_under_way_is_compared_over_the_same_months() {
        let cube = Cube {
            as_of: "2026-03-15 10:00".into(),
            registrations: vec![
                registrations("2025-02", 10),
                registrations("2025-06", 20),
                registrations("2026-02", 12),
                registrations("2026-03", 9),
            ],
            ..Default::default()
        };
        let h = cube.headline(&Filter::default());
        assert_eq!((h.year, h.through_month), (2026, Some(3)));
        let registered = figure(&h, Measure::Registered);
        assert!(near(registered.value, 21), "{registered:?}");
        assert!(
            near(registered.previous.unwrap(), 10),
            "January to March 2025 only: {registered:?}"
        );
        // A past year is compared whole, with the one before it.
        let past = Filter {
            year: Some(2025),
            ..Default::default()
        };
        let h = cube.headline(&past);
        assert_eq!((h.year, h.through_month), (2025, None));
        let registered = figure(&h, Measure::Registered);
        assert!(near(registered.value, 30));
        assert_eq!(registered.previous, Some(Cell::Small), "nothing in 2024");
        assert_eq!(registered.change(), None);
        // The same facts read the same in the headline as in the table.
        let tables = cube.tables(&past);
        let table = tables
            .iter()
            .find(|t| t.id == TableId::Registrations)
            .unwrap();
        assert_eq!(table.rows.last().unwrap().cells[0], registered.value);
        // The other country has none of them.
        let iraq = Filter {
            country: Some(Country::IQ),
            ..past
        };
        assert_eq!(
            figure(&cube.headline(&iraq), Measure::Registered).value,
            Cell::Small
        );
    }

    #[test]
    fn changes_are_in_the_figure_s_own_unit() {
        let f = |value, previous| Figure {
            measure: Measure::Registered,
            value,
            previous: Some(previous),
        };
        assert_eq!(f(Cell::Count(40), Cell::Count(25)).change(), Some(15.0));
        assert_eq!(f(Cell::Rate(0.62), Cell::Rate(0.5)).change(), Some(12.0));
        assert_eq!(f(Cell::Score(0.1), Cell::Score(0.15)).change(), Some(-0.05));
        assert_eq!(f(Cell::Rate(0.62), Cell::Withheld).change(), None);
        assert_eq!(f(Cell::Count(40), Cell::Small).change(), None);
    }

    /// Facts of one kind over two provinces and two years.
    fn facts<K: Clone + std::fmt::Debug, V: std::fmt::Debug>(
        key: impl Strategy<Value = K>,
        value: impl Strategy<Value = V>,
    ) -> impl Strategy<Value = Vec<Fact<K, V>>> {
        prop::collection::vec(
            (
                prop::sample::select(vec!["AF-KAB", "AF-HER"]),
                2025..=2026i32,
                key,
                value,
            )
                .prop_map(|(province, year, key, value)| Fact {
                    province: province.into(),
                    year,
                    key,
                    value,
                }),
            0..12,
        )
    }

    proptest! {
        #[test]
        fn headline_figures_keep_the_small_count_rule(
            waits in facts((prop::option::of(0i64..60), any::<bool>()), 0u64..9),
            follow_ups in facts(prop::sample::select(FollowUpOutcome::ALL.to_vec()), 0u64..9),
            lost in facts(Just(()), 0u64..9),
            progress in facts(Just(()), (0u64..4, -1.0f64..1.0)),
        ) {
            let progress: Vec<Fact<(), Scores>> = progress
                .into_iter()
                .map(|f| {
                    let (n, change) = f.value;
                    let value = Scores { n, sums: [change * n as f64; 4], counts: [n; 4] };
                    Fact { province: f.province, year: f.year, key: (), value }
                })
                .collect();
            let cube = Cube {
                as_of: "2026-06-01 00:00".into(),
                waits: waits.clone(),
                follow_ups: follow_ups.clone(),
                lost: lost.clone(),
                progress: progress.clone(),
                secret: 42,
                ..Default::default()
            };
            for province in [None, Some("AF-KAB")] {
                let filter = Filter {
                    country: Some(Country::AF),
                    province: province.map(String::from),
                    year: None,
                };
                let h = cube.headline(&filter);
                let here = |p: &str| province.is_none_or(|q| q == p);
                let this: fn(&Figure) -> Cell = |f| f.value;
                let before: fn(&Figure) -> Cell = |f| f.previous.unwrap_or(Cell::Blank);
                for (year, shown) in [(2026, this), (2025, before)] {
                    // The true parts and wholes, worked out here from the facts.
                    let sum = |it: &mut dyn Iterator<Item = u64>| it.sum::<u64>();
                    let timely = sum(&mut waits.iter().filter(|f| f.year == year && here(&f.province) && f.key.1 && f.key.0.is_some_and(|d| d <= 30)).map(|f| f.value));
                    let assessed_all = sum(&mut waits.iter().filter(|f| f.year == year && here(&f.province) && f.key.1).map(|f| f.value));
                    let on_time = sum(&mut follow_ups.iter().filter(|f| f.year == year && here(&f.province) && f.key == FollowUpOutcome::OnTime).map(|f| f.value));
                    let due = sum(&mut follow_ups.iter().filter(|f| f.year == year && here(&f.province)).map(|f| f.value));
                    let changed = sum(&mut progress.iter().filter(|f| f.year == year && here(&f.province)).map(|f| f.value.counts[3]));
                    for (measure, part, whole) in [
                        (Measure::AssessedWithin30Days, timely, assessed_all),
                        (Measure::FollowUpsOnTime, on_time, due),
                    ] {
                        match shown(figure(&h, measure)) {
                            Cell::Rate(r) => {
                                prop_assert!(part >= 5 && whole - part >= 5, "{measure:?} {part}/{whole} shown");
                                prop_assert!((0.0..=1.0).contains(&r));
                            }
                            Cell::Withheld => prop_assert!(part < 5 || whole - part < 5),
                            other => prop_assert!(false, "{measure:?}: {other:?}"),
                        }
                    }
                    match shown(figure(&h, Measure::ScoreChange)) {
                        Cell::Score(s) => prop_assert!(changed >= 5 && (-1.0..=1.0).contains(&s)),
                        Cell::Withheld => prop_assert!(changed < 5),
                        other => prop_assert!(false, "score change: {other:?}"),
                    }
                }
                let lost_truth = sum_lost(&lost, &here);
                let lost_figure = figure(&h, Measure::LostToFollowUp);
                prop_assert_eq!(lost_figure.previous, None);
                match lost_figure.value {
                    Cell::Count(n) => prop_assert!(lost_truth >= 5 && n % 5 == 0 && n.abs_diff(lost_truth) < 5),
                    Cell::Small => prop_assert!(lost_truth < 5),
                    other => prop_assert!(false, "lost: {other:?}"),
                }
            }
        }
    }

    fn sum_lost(lost: &[Fact<(), u64>], here: &dyn Fn(&str) -> bool) -> u64 {
        lost.iter()
            .filter(|f| here(&f.province))
            .map(|f| f.value)
            .sum()
    }
}
