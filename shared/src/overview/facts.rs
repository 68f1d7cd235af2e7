//! The grouped facts a cube is made of, and the sums folded from them.

use super::perturb::{FactKeys, Identity, Tally};
use super::Raw;
use crate::referral::ReferralStatus;
use crate::service::ServiceCategory;

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

/// One grouped row of the caseload: the province, the year of the event counted, what is
/// counted (`key`) and the figures (`value`).
#[derive(Clone, Debug, PartialEq)]
pub struct Fact<K, V> {
    pub province: String,
    pub year: i32,
    pub key: K,
    pub value: V,
}

/// Sums of assessments (or of the changes between two assessments of a family): how many,
/// and per score (economic, social, psychosocial, composite) its sum and how many had one.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    pub n: u64,
    pub sums: [f64; 4],
    pub counts: [u64; 4],
}

impl Scores {
    pub(super) fn add(&mut self, o: &Scores) {
        self.n += o.n;
        for i in 0..4 {
            self.sums[i] += o.sums[i];
            self.counts[i] += o.counts[i];
        }
    }
}

/// Assessments (or changes of score) folded into one row: how many (with its cell key), and
/// the sums of scores.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Band {
    n: Tally,
    scores: Scores,
}

impl Band {
    /// The band of one fact, its count keyed as `measure`.
    pub(super) fn of<K: Identity>(keys: &FactKeys, f: &Fact<K, Scores>, measure: &str) -> Band {
        Band {
            n: keys.tally(f, measure, f.value.n),
            scores: f.value,
        }
    }

    pub(super) fn add(&mut self, o: &Band) {
        self.n += o.n;
        self.scores.add(&o.scores);
    }

    /// How many, then the mean of each score.
    pub(super) fn cells(&self) -> Vec<Raw> {
        self.cells_as(Raw::Mean)
    }

    /// How many, then the mean change of each score.
    pub(super) fn change_cells(&self) -> Vec<Raw> {
        self.cells_as(Raw::MeanChange)
    }

    fn cells_as(&self, mean: fn(Option<f64>, u64) -> Raw) -> Vec<Raw> {
        let s = &self.scores;
        let mut out = vec![Raw::Count(self.n)];
        out.extend((0..4).map(|i| {
            let m = (s.counts[i] > 0).then(|| s.sums[i] / s.counts[i] as f64);
            mean(m, s.counts[i])
        }));
        out
    }
}

/// The referral figures of one group, each count with its cell key.
#[derive(Clone, Debug, Default)]
pub(super) struct Referrals {
    sent: Tally,
    accepted: Tally,
    declined: Tally,
    completed: Tally,
    /// Days to respond of those answered, as (days, how many).
    days: Vec<(i64, u64)>,
}

impl Referrals {
    /// The figures of one fact: a referral accepted, then completed, counts as accepted and
    /// as completed.
    pub(super) fn of(keys: &FactKeys, f: &Fact<ReferralGroup, u64>) -> Referrals {
        let (_, _, status, days) = &f.key;
        let n = |measure: &str| keys.tally(f, measure, f.value);
        let mut out = Referrals {
            sent: n("sent"),
            days: days.map(|d| (d.max(0), f.value)).into_iter().collect(),
            ..Default::default()
        };
        match status {
            ReferralStatus::Accepted => out.accepted = n("accepted"),
            ReferralStatus::Completed => {
                out.accepted = n("accepted");
                out.completed = n("completed");
            }
            ReferralStatus::Declined => out.declined = n("declined"),
            ReferralStatus::Sent | ReferralStatus::Cancelled => {}
        }
        out
    }

    pub(super) fn add(&mut self, o: &Referrals) {
        self.sent += o.sent;
        self.accepted += o.accepted;
        self.declined += o.declined;
        self.completed += o.completed;
        self.days.extend_from_slice(&o.days);
    }

    /// Accepted of those answered.
    pub(super) fn acceptance(&self) -> Raw {
        Raw::Ratio(self.accepted, self.accepted + self.declined)
    }

    /// Completed of those accepted.
    pub(super) fn completion(&self) -> Raw {
        Raw::Ratio(self.completed, self.accepted)
    }

    pub(super) fn cells(&self) -> Vec<Raw> {
        let answered: u64 = self.days.iter().map(|(_, n)| n).sum();
        vec![
            Raw::Count(self.sent),
            Raw::Count(self.accepted),
            self.acceptance(),
            Raw::Median(median(&self.days), answered),
            Raw::Count(self.completed),
            self.completion(),
        ]
    }
}

/// Referrals alike in service, organisation (its name), status and days to respond (`None`:
/// not answered).
pub type ReferralGroup = (ServiceCategory, String, ReferralStatus, Option<i64>);

/// Families alike in days from registration to their first assessment (`None`: not yet) and
/// in whether that is due: assessed, or registered [`super::headline::ASSESSED_WITHIN_DAYS`]
/// days or more before the cube was computed (a family registered last week and not yet
/// assessed is not late).
pub type WaitGroup = (Option<i64>, bool);

/// Completed referrals alike in service and organisation (its name).
pub type OutcomeGroup = (ServiceCategory, String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_histograms() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(4, 1)]), Some(4.0));
        assert_eq!(median(&[(1, 1), (3, 1)]), Some(2.0));
        assert_eq!(median(&[(5, 2), (1, 1)]), Some(5.0));
        assert_eq!(median(&[(1, 2), (2, 1), (9, 1)]), Some(1.5));
    }
}
