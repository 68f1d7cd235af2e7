//! The in-memory cube of the whole caseload, and the tables of any filter folded from it.

use super::facts::{median, Band, Referrals};
use super::perturb::{FactKeys, Tally};
use super::*;
use crate::family::{ReturnType, Sex, SpecificNeed};
use crate::follow_up::ClosureReason;
use crate::service::ServiceCategory;
use std::collections::{BTreeMap, HashSet};

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
    /// Families assessed twice or more: the sums of the changes in their scores from their
    /// first assessment to their latest; the year is that of the latest.
    pub progress: Vec<Fact<(), Scores>>,
    /// Families by days from registration to first assessment (`None`: not yet).
    pub waits: Vec<Fact<WaitGroup, u64>>,
    /// Referrals by their group; the year they were sent.
    pub referrals: Vec<Fact<ReferralGroup, u64>>,
    /// Completed referrals with an assessment of the family on either side
    /// ([`crate::achieved`]): how many, and the sums of the changes of score, by service and
    /// organisation; the year they were completed.
    pub outcomes: Vec<Fact<OutcomeGroup, Scores>>,
    /// Follow-ups by outcome; the year they were due.
    pub follow_ups: Vec<Fact<FollowUpOutcome, u64>>,
    /// Open cases lost to follow-up when the cube was computed (not filtered by year).
    pub lost: Vec<Fact<(), u64>>,
    /// Closures approved, by reason; the year of approval.
    pub closures: Vec<Fact<ClosureReason, u64>>,
    /// Mixed into every fact's key (see [`super::perturb`]): a value of the deployment, kept
    /// from one computation to the next (a new value would give new roundings to compare).
    /// Zero is a valid value; the protection against differencing holds whatever it is.
    pub secret: u64,
}

/// The provinces a filter covers, in the order of the list of locations.
pub(super) fn provinces(filter: &Filter) -> Vec<&'static str> {
    crate::location::all()
        .iter()
        .filter(|l| filter.country.is_none_or(|c| l.country == c))
        .filter(|l| filter.province.as_ref().is_none_or(|p| *p == l.key))
        .map(|l| l.key.as_str())
        .collect()
}

/// A table's rows as computed: each label with its cells.
type Rows = Vec<(Label, Vec<Raw>)>;

fn with_total(mut rows: Rows, total: Vec<Raw>) -> Rows {
    rows.push((Label::Total, total));
    rows
}

/// Every month of `year`, else every month from the first seen to the last.
fn months<V>(year: Option<i32>, seen: &BTreeMap<String, V>) -> Vec<String> {
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
    seen: &BTreeMap<K, Tally>,
) -> Rows {
    all.iter()
        .map(|k| {
            let n = seen.get(k).copied().unwrap_or_default();
            (Label::Code(code(*k).into()), vec![Raw::Count(n)])
        })
        .collect()
}

/// Groups of one service and organisation each, folded with `add` into the rows of two
/// tables, each with its total: by service category (every category, in their order) and
/// by organisation (those seen, by name).
fn by_service_and_organisation<'a, T: Default>(
    groups: impl Iterator<Item = (ServiceCategory, &'a str, T)>,
    add: fn(&mut T, &T),
    cells: fn(&T) -> Vec<Raw>,
) -> (Rows, Rows) {
    let mut by_service: BTreeMap<ServiceCategory, T> = BTreeMap::new();
    let mut by_org: BTreeMap<&str, T> = BTreeMap::new();
    let mut all = T::default();
    for (service, org, one) in groups {
        add(by_service.entry(service).or_default(), &one);
        add(by_org.entry(org).or_default(), &one);
        add(&mut all, &one);
    }
    let service_rows = ServiceCategory::ALL
        .iter()
        .map(|s| {
            let group = by_service.remove(s).unwrap_or_default();
            (Label::Code(s.as_str().into()), cells(&group))
        })
        .collect();
    let org_rows = by_org
        .into_iter()
        .map(|(name, group)| (Label::Organisation(name.to_string()), cells(&group)))
        .collect();
    let total = cells(&all);
    (
        with_total(service_rows, total.clone()),
        with_total(org_rows, total),
    )
}

/// Sums by key.
fn sum<K: Ord, V: Default + std::ops::AddAssign>(
    facts: impl Iterator<Item = (K, V)>,
) -> BTreeMap<K, V> {
    let mut out = BTreeMap::new();
    for (k, v) in facts {
        *out.entry(k).or_default() += v;
    }
    out
}

impl Cube {
    /// The keys of the facts of one kind of this cube.
    pub(super) fn keys(&self, kind: &'static str) -> FactKeys {
        FactKeys {
            secret: self.secret,
            kind,
        }
    }

    /// The tables of the overview under `filter`, in page order. Every count carries the
    /// key of the facts it sums ([`Tally`]), so the same cell reads the same under every
    /// filter that reaches it.
    pub fn tables(&self, filter: &Filter) -> Vec<Table> {
        let provinces = provinces(filter);
        let place: HashSet<&str> = provinces.iter().copied().collect();
        let in_place = |p: &str| place.contains(p);
        let in_year = |y: i32| filter.year.is_none_or(|f| f == y);
        macro_rules! kept {
            ($facts:expr) => {
                $facts
                    .iter()
                    .filter(|f| in_place(&f.province) && in_year(f.year))
            };
        }
        /// `kind` facts kept by the filter, as (key, tally of their single measure).
        macro_rules! tallies {
            ($facts:expr, $kind:literal) => {{
                let keys = self.keys($kind);
                kept!($facts).map(move |f| (f.key, keys.tally(f, "n", f.value)))
            }};
        }

        // Registrations: by province, by month, by type of return.
        let keys = self.keys("registrations");
        let mut by_province: BTreeMap<&str, (Tally, Tally)> = BTreeMap::new();
        let mut by_month: BTreeMap<String, Tally> = BTreeMap::new();
        let mut by_type: BTreeMap<ReturnType, Tally> = BTreeMap::new();
        let (mut families, mut individuals) = (Tally::default(), Tally::default());
        for f in kept!(self.registrations) {
            let fam = keys.tally(f, "families", f.value.0);
            let ind = keys.tally(f, "individuals", f.value.1);
            let p = by_province.entry(f.province.as_str()).or_default();
            p.0 += fam;
            p.1 += ind;
            *by_month.entry(f.key.0.clone()).or_default() += fam;
            *by_type.entry(f.key.1).or_default() += fam;
            families += fam;
            individuals += ind;
        }
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
        let people = sum(tallies!(self.people, "people"));
        let get = |g: AgeGroup, s: Sex| people.get(&(g, s)).copied().unwrap_or_default();
        let line = |f: Tally, m: Tally| vec![Raw::Count(f), Raw::Count(m), Raw::Count(f + m)];
        let age_rows = AgeGroup::ALL
            .iter()
            .map(|g| {
                (
                    Label::Code(g.as_str().into()),
                    line(get(*g, Sex::Female), get(*g, Sex::Male)),
                )
            })
            .collect();
        let total_of = |s: Sex| AgeGroup::ALL.iter().map(|g| get(*g, s)).sum::<Tally>();

        // Assessments by months since return.
        let keys = self.keys("assessments");
        let mut bands: BTreeMap<SinceReturn, Band> = BTreeMap::new();
        for f in kept!(self.assessments) {
            bands
                .entry(f.key)
                .or_default()
                .add(&Band::of(&keys, f, "assessments"));
        }
        let mut all_scores = Band::default();
        let band_rows = SinceReturn::ALL
            .iter()
            .map(|b| {
                let s = bands.get(b).copied().unwrap_or_default();
                all_scores.add(&s);
                (Label::Code(b.as_str().into()), s.cells())
            })
            .collect();

        // Time to the first assessment.
        let keys = self.keys("waits");
        let mut waits: BTreeMap<Wait, Tally> = BTreeMap::new();
        let mut histogram = Vec::new();
        for f in kept!(self.waits) {
            let days = f.key.0.map(|d| d.max(0));
            *waits.entry(Wait::of_days(days)).or_default() += keys.tally(f, "n", f.value);
            if let Some(d) = days {
                histogram.push((d, f.value));
            }
        }
        let assessed: u64 = histogram.iter().map(|(_, n)| n).sum();
        let waited: Tally = waits.values().copied().sum();
        let wait_rows = Wait::ALL
            .iter()
            .map(|w| {
                let n = waits.get(w).copied().unwrap_or_default();
                (
                    Label::Code(w.as_str().into()),
                    vec![Raw::Count(n), Raw::Blank],
                )
            })
            .collect();

        // Referrals, and what completed referrals achieved: each by service and by
        // organisation.
        let keys = self.keys("referrals");
        let (service_rows, org_rows) = by_service_and_organisation(
            kept!(self.referrals).map(|f| (f.key.0, f.key.1.as_str(), Referrals::of(&keys, f))),
            Referrals::add,
            Referrals::cells,
        );
        let referral_columns = vec![
            Column::Sent,
            Column::Accepted,
            Column::AcceptanceRate,
            Column::MedianDaysToRespond,
            Column::Completed,
            Column::CompletionRate,
        ];
        let keys = self.keys("outcomes");
        let (outcome_service_rows, outcome_org_rows) = by_service_and_organisation(
            kept!(self.outcomes)
                .map(|f| (f.key.0, f.key.1.as_str(), Band::of(&keys, f, "compared"))),
            Band::add,
            Band::change_cells,
        );
        let outcome_columns = vec![
            Column::Compared,
            Column::EconomicChange,
            Column::SocialChange,
            Column::PsychosocialChange,
            Column::CompositeChange,
        ];

        // Follow-ups, with the cases lost to follow-up (today, whatever the year).
        let mut outcomes = sum(tallies!(self.follow_ups, "follow_ups"));
        let keys = self.keys("lost");
        let lost: Tally = self
            .lost
            .iter()
            .filter(|f| in_place(&f.province))
            .map(|f| keys.tally(f, "n", f.value))
            .sum();
        outcomes.insert(FollowUpOutcome::Lost, lost);

        let closures = sum(tallies!(self.closures, "closures"));
        let closed: Tally = closures.values().copied().sum();
        let needs = sum(tallies!(self.needs, "needs"));

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
                service_rows,
            ),
            Table::new(TableId::ReferralsByOrganisation, referral_columns, org_rows),
            Table::new(
                TableId::OutcomesByService,
                outcome_columns.clone(),
                outcome_service_rows,
            ),
            Table::new(
                TableId::OutcomesByOrganisation,
                outcome_columns,
                outcome_org_rows,
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
    use crate::Country;

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
        let families = |filter: &Filter| {
            let tables = cube.tables(filter);
            let t = tables
                .iter()
                .find(|t| t.id == TableId::Registrations)
                .unwrap();
            t.rows.last().unwrap().cells[0]
        };
        // Each total is rounded to a multiple of five, at most four away from the truth.
        let near = |cell: Cell, truth: u64| match cell {
            Cell::Count(n) => n % 5 == 0 && n.abs_diff(truth) < 5,
            _ => false,
        };
        assert!(near(families(&Filter::default()), 67));
        let af = Filter {
            country: Some(Country::AF),
            ..Default::default()
        };
        assert!(near(families(&af), 37));
        let kabul_2026 = Filter {
            province: Some("AF-KAB".into()),
            year: Some(2026),
            ..af.clone()
        };
        assert!(near(families(&kabul_2026), 7));
        let tables = cube.tables(&kabul_2026);
        let monthly = tables.iter().find(|t| t.id == TableId::Monthly).unwrap();
        assert_eq!(
            monthly.rows.len(),
            13,
            "every month of the year and the total"
        );
        assert_eq!(
            monthly.rows[2].cells[0],
            families(&kabul_2026),
            "the same facts, the same figure, in either table"
        );
        assert_eq!(
            monthly.rows[3].cells[0],
            Cell::Small,
            "no family: shown as <5 too"
        );
        // Kabul's row in Afghanistan's table is Kabul's total on its own.
        let kabul = Filter {
            province: Some("AF-KAB".into()),
            ..af.clone()
        };
        let tables = cube.tables(&af);
        let registrations = &tables[0];
        let row = registrations
            .rows
            .iter()
            .find(|r| r.label == Label::Location("AF-KAB".into()))
            .unwrap();
        assert_eq!(row.cells[0], families(&kabul));
        assert!(near(row.cells[0], 17));
        // Another secret, other roundings (of some cell), the same truth.
        let other = Cube {
            secret: 1,
            ..cube.clone()
        };
        let all: Vec<Filter> = [None, Some(2025), Some(2026)]
            .into_iter()
            .flat_map(|year| {
                [None, Some("AF-KAB"), Some("AF-HER"), Some("IQ-BG")]
                    .into_iter()
                    .map(move |p| Filter {
                        province: p.map(String::from),
                        year,
                        ..Default::default()
                    })
            })
            .collect();
        assert!(all.iter().any(|f| cube.tables(f) != other.tables(f)));
    }
}
