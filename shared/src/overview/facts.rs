//! The grouped facts a cube is made of, and the sums folded from them.

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

/// Sums of assessments: how many, and per score (economic, social, psychosocial, composite)
/// its sum and how many had one.
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

    pub(super) fn cells(&self) -> Vec<Raw> {
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
pub(super) struct Referrals {
    sent: u64,
    accepted: u64,
    declined: u64,
    completed: u64,
    /// Days to respond of those answered, as (days, how many).
    days: Vec<(i64, u64)>,
}

impl Referrals {
    pub(super) fn add(&mut self, status: ReferralStatus, days: Option<i64>, n: u64) {
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

    pub(super) fn cells(&self) -> Vec<Raw> {
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
