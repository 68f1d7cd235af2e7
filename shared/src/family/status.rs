//! The life of a case as one table: which step moves a case from which status to which.
//! The server moves a case only through [`next`], and migration 0010 repaired older cases
//! from the same rules, so the status filter and the indicators count what really happened.

use super::CaseStatus;

/// What moves a case on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// An assessment was recorded.
    Assessed,
    /// Work began: an item of the plan was confirmed, or a referral was sent.
    WorkStarted,
    /// A supervisor approved the closure request.
    Closed,
    /// A supervisor reopened the closed case.
    Reopened,
}

impl Step {
    pub const ALL: [Step; 4] = [
        Step::Assessed,
        Step::WorkStarted,
        Step::Closed,
        Step::Reopened,
    ];
}

use CaseStatus::{Assessed, Closed, InProgress, Registered};

/// Every transition there is: (from, step, to). A step not listed for a status leaves it as it
/// is (a second assessment of a case in progress is still in progress). Work cannot start on
/// a case only registered: plans and referrals come from an assessment's needs.
pub const TRANSITIONS: [(CaseStatus, Step, CaseStatus); 6] = [
    (Registered, Step::Assessed, Assessed),
    (Assessed, Step::WorkStarted, InProgress),
    (Registered, Step::Closed, Closed),
    (Assessed, Step::Closed, Closed),
    (InProgress, Step::Closed, Closed),
    // Reopening starts again from the beginning and replays what the case has been through
    // ([`reopened`]): it returns to the status its history earns, not to a fixed one.
    (Closed, Step::Reopened, Registered),
];

/// The status `step` moves a case in `from` to, if it moves it.
pub fn next(from: CaseStatus, step: Step) -> Option<CaseStatus> {
    TRANSITIONS
        .iter()
        .find(|(f, s, _)| *f == from && *s == step)
        .map(|(_, _, to)| *to)
        .filter(|to| *to != from)
}

/// Where a closed case goes when it is reopened: where the table sends it, then on through
/// what the case had been through, so it returns to the status its history earns.
pub fn reopened(assessed: bool, work_started: bool) -> CaseStatus {
    let steps = [
        (assessed, Step::Assessed),
        (work_started, Step::WorkStarted),
    ];
    let start = next(Closed, Step::Reopened).unwrap_or(Closed);
    steps
        .into_iter()
        .filter(|(happened, _)| *happened)
        .fold(start, |s, (_, step)| next(s, step).unwrap_or(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table, spelled out: every status against every step.
    #[test]
    fn every_status_against_every_step() {
        use Step as S;
        let expected = [
            (Registered, S::Assessed, Some(Assessed)),
            (Registered, S::WorkStarted, None),
            (Registered, S::Closed, Some(Closed)),
            (Registered, S::Reopened, None),
            (Assessed, S::Assessed, None),
            (Assessed, S::WorkStarted, Some(InProgress)),
            (Assessed, S::Closed, Some(Closed)),
            (Assessed, S::Reopened, None),
            (InProgress, S::Assessed, None),
            (InProgress, S::WorkStarted, None),
            (InProgress, S::Closed, Some(Closed)),
            (InProgress, S::Reopened, None),
            (Closed, S::Assessed, None),
            (Closed, S::WorkStarted, None),
            (Closed, S::Closed, None),
            (Closed, S::Reopened, Some(Registered)),
        ];
        assert_eq!(expected.len(), CaseStatus::ALL.len() * Step::ALL.len());
        for (from, step, to) in expected {
            assert_eq!(next(from, step), to, "{from:?} by {step:?}");
        }
    }

    #[test]
    fn nothing_leaves_closed_but_reopening_and_nothing_goes_back_to_registered_but_it() {
        for (from, step, to) in TRANSITIONS {
            if from == Closed {
                assert_eq!(step, Step::Reopened);
            }
            if to == Registered && from != Registered {
                assert_eq!(step, Step::Reopened);
            }
        }
    }

    #[test]
    fn a_reopened_case_returns_to_the_status_its_history_earns() {
        assert_eq!(reopened(false, false), Registered);
        assert_eq!(reopened(true, false), Assessed);
        assert_eq!(reopened(true, true), InProgress);
    }

    #[test]
    fn a_reopened_case_can_return_to_every_open_status() {
        for status in CaseStatus::ALL {
            let reachable = [false, true]
                .into_iter()
                .flat_map(|a| [(a, false), (a, true)])
                .any(|(a, w)| reopened(a, w) == *status)
                || *status == Closed;
            assert!(reachable, "{status:?}");
        }
    }
}
