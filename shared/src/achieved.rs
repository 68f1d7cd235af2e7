//! What a completed referral achieved: the change in the family's scores across it, from the
//! last assessment of the family (as a whole, not of one member) on or before the day the
//! referral was sent to the first one on or after the day it was completed, and after the
//! day it was sent (so one assessment is never both). The family page shows it beside the
//! referral; the overview's outcome tables are the same rule in SQL
//! (`app::backend::store::overview`), and a test holds the two to the same answers.

use crate::assessment::Scores;
use serde::{Deserialize, Serialize};

/// An assessment of the family as a whole, as the rule reads it.
#[derive(Clone, Copy, Debug)]
pub struct Assessed<'a> {
    pub assessment_id: &'a str,
    /// `YYYY-MM-DD`.
    pub assessed_on: &'a str,
    /// When it was recorded: orders two assessments of the same day.
    pub recorded_at: &'a str,
    pub scores: Scores,
}

impl Assessed<'_> {
    fn order(&self) -> (&str, &str, &str) {
        (self.assessed_on, self.recorded_at, self.assessment_id)
    }
}

/// The family's scores on either side of a completed referral.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Achieved {
    pub before_on: String,
    pub before: Scores,
    pub after_on: String,
    pub after: Scores,
}

impl Achieved {
    /// After minus before, score by score (where both had one).
    pub fn change(&self) -> Scores {
        let d = |a: Option<f64>, b: Option<f64>| Some(a? - b?);
        Scores {
            economic: d(self.after.economic, self.before.economic),
            social: d(self.after.social, self.before.social),
            psychosocial: d(self.after.psychosocial, self.before.psychosocial),
            composite: d(self.after.composite, self.before.composite),
        }
    }
}

/// The assessments either side of a referral sent at `sent_at` and completed at
/// `completed_at` (timestamps or dates; their days are compared), `None` until the family
/// has been assessed both before it and since.
pub fn across(sent_at: &str, completed_at: &str, assessments: &[Assessed]) -> Option<Achieved> {
    let day = |t: &str| t.get(..10).unwrap_or(t).to_string();
    let (sent, completed) = (day(sent_at), day(completed_at));
    let before = assessments
        .iter()
        .filter(|a| a.assessed_on <= sent.as_str())
        .max_by(|a, b| a.order().cmp(&b.order()))?;
    let after = assessments
        .iter()
        .filter(|a| a.assessed_on >= completed.as_str() && a.assessed_on > sent.as_str())
        .min_by(|a, b| a.order().cmp(&b.order()))?;
    Some(Achieved {
        before_on: before.assessed_on.to_string(),
        before: before.scores,
        after_on: after.assessed_on.to_string(),
        after: after.scores,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(composite: f64) -> Scores {
        Scores {
            economic: Some(composite),
            social: None,
            psychosocial: Some(composite / 2.0),
            composite: Some(composite),
        }
    }

    fn assessed<'a>(id: &'a str, on: &'a str, at: &'a str, composite: f64) -> Assessed<'a> {
        Assessed {
            assessment_id: id,
            assessed_on: on,
            recorded_at: at,
            scores: scores(composite),
        }
    }

    #[test]
    fn the_last_assessment_before_and_the_first_after() {
        let list = [
            assessed("a", "2026-01-10", "2026-01-10T09:00:00Z", 0.2),
            assessed("b", "2026-02-01", "2026-02-01T09:00:00Z", 0.3),
            assessed("c", "2026-05-02", "2026-05-02T09:00:00Z", 0.6),
            assessed("d", "2026-03-15", "2026-03-15T09:00:00Z", 0.5),
        ];
        let a = across("2026-02-03T10:00:00Z", "2026-03-01T12:00:00Z", &list).unwrap();
        assert_eq!(
            (a.before_on.as_str(), a.after_on.as_str()),
            ("2026-02-01", "2026-03-15")
        );
        let change = a.change();
        assert!((change.composite.unwrap() - 0.2).abs() < 1e-9);
        assert!((change.psychosocial.unwrap() - 0.1).abs() < 1e-9);
        assert_eq!(change.social, None, "no score on either side: no change");
        // Not assessed since it was completed, or never before it: nothing to say yet.
        assert_eq!(across("2026-02-03", "2026-06-01", &list), None);
        assert_eq!(across("2026-01-01", "2026-03-01", &list), None);
    }

    #[test]
    fn one_assessment_is_never_both_sides() {
        // Sent, completed and assessed the same day: that assessment is before it.
        let list = [assessed("a", "2026-03-01", "2026-03-01T08:00:00Z", 0.4)];
        assert_eq!(
            across("2026-03-01T10:00:00Z", "2026-03-01T15:00:00Z", &list),
            None
        );
        // Two the same day before it: the one recorded last; the next day's is after it.
        let list = [
            assessed("b", "2026-03-01", "2026-03-01T09:00:00Z", 0.45),
            assessed("a", "2026-03-01", "2026-03-01T08:00:00Z", 0.4),
            assessed("c", "2026-03-02", "2026-03-02T08:00:00Z", 0.7),
        ];
        let a = across("2026-03-01T10:00:00Z", "2026-03-01T15:00:00Z", &list).unwrap();
        assert_eq!(a.before.composite, Some(0.45));
        assert_eq!(a.after.composite, Some(0.7));
    }
}
