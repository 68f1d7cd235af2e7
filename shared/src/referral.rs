//! Referrals to community organisations: their statuses, what a partner may see of them, when
//! one is overdue, and the validation of what partners and caseworkers type.

use crate::calendar::{self, Calendar};
use crate::field_error::{optional_text, text};
use crate::{FieldError, FieldErrors};
use chrono::{DateTime, Duration, NaiveDate, Utc};

crate::code_enum! {
    /// Where a referral stands. `sent` → `accepted` → `completed`, or `declined`; the
    /// referring caseworker may cancel it until it is completed.
    pub enum ReferralStatus {
        Sent = "sent",
        Accepted = "accepted",
        Declined = "declined",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

impl ReferralStatus {
    /// Still being worked on: it can be cancelled, and blocks a second referral of the need.
    pub fn is_open(self) -> bool {
        matches!(self, ReferralStatus::Sent | ReferralStatus::Accepted)
    }
}

/// What a partner's view of a referral is based on: where the referral and its case stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartnerSight {
    pub status: ReferralStatus,
    pub sharing_consent: bool,
    pub completed_at: Option<DateTime<Utc>>,
    pub case_closed_at: Option<DateTime<Utc>>,
}

impl PartnerSight {
    /// Whether the receiving organisation still sees the people behind a referral (names,
    /// contact, address, household). While the referral is open, yes; declined or cancelled,
    /// or the family's consent to sharing withdrawn, no, at once; completed, or its case
    /// closed, for `retention` after that, then no. After that the organisation keeps only
    /// its record of the referral: reference, service, dates, services given, outcome.
    pub fn sees_people(self, now: DateTime<Utc>, retention: Duration) -> bool {
        if !self.sharing_consent {
            return false;
        }
        let ended = match self.status {
            ReferralStatus::Declined | ReferralStatus::Cancelled => return false,
            ReferralStatus::Completed => self.completed_at,
            ReferralStatus::Sent | ReferralStatus::Accepted => None,
        };
        match [ended, self.case_closed_at].into_iter().flatten().min() {
            Some(at) => now < at + retention,
            None => true,
        }
    }
}

crate::code_enum! {
    /// The tabs of a partner's inbox.
    pub enum InboxTab {
        New = "new",
        Accepted = "accepted",
        Overdue = "overdue",
        Completed = "completed",
    }
}

/// Days an organisation has to answer a referral when it has not said otherwise.
pub const DEFAULT_RESPONSE_DAYS: i64 = 5;

pub const NOTE_MAX: u32 = 2000;
pub const REASON_MAX: u32 = 1000;

/// The caseworker's note to the organisation (optional).
pub fn validate_note(note: &str) -> Result<Option<String>, FieldError> {
    optional_text(note, NOTE_MAX)
}

/// Why a partner declines, or what came of a completed referral: always said.
pub fn validate_reason(reason: &str) -> Result<String, FieldError> {
    text(reason, 3, REASON_MAX)
}

/// A service delivered: when (not in the future) and what.
pub fn validate_service(
    date: &str,
    description: &str,
    calendar: Calendar,
    today: NaiveDate,
) -> Result<(NaiveDate, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    let date = errors.take(
        "delivered_on",
        match date.trim() {
            "" => Err(FieldError::Required),
            d => calendar::parse_input(d, calendar).and_then(|d| {
                if d > today {
                    Err(FieldError::DateInFuture)
                } else {
                    Ok(d)
                }
            }),
        },
    );
    let description = errors.take("description", text(description, 3, REASON_MAX));
    match (date, description) {
        (Some(d), Some(s)) if errors.is_empty() => Ok((d, s)),
        _ => Err(errors),
    }
}

/// Days allowed for an answer: 1 to 60 (an organisation's setting).
pub fn validate_response_days(days: &str) -> Result<i64, FieldError> {
    match crate::digits::to_western(days.trim()).parse::<i64>() {
        Ok(d) if (1..=60).contains(&d) => Ok(d),
        Ok(_) => Err(FieldError::OutOfRange { min: 1, max: 60 }),
        Err(_) if days.trim().is_empty() => Err(FieldError::Required),
        Err(_) => Err(FieldError::NotANumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_sees_people_while_open_and_for_a_while_after_the_end_only() {
        let t0 = DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let days = Duration::days;
        let month = days(30);
        let sight = |status, consent, completed: Option<i64>, closed: Option<i64>| PartnerSight {
            status,
            sharing_consent: consent,
            completed_at: completed.map(|d| t0 + days(d)),
            case_closed_at: closed.map(|d| t0 + days(d)),
        };
        use ReferralStatus::*;
        assert!(sight(Sent, true, None, None).sees_people(t0 + days(400), month));
        assert!(sight(Accepted, true, None, None).sees_people(t0, month));
        assert!(!sight(Accepted, false, None, None).sees_people(t0, month));
        assert!(!sight(Declined, true, None, None).sees_people(t0, month));
        assert!(!sight(Cancelled, true, None, None).sees_people(t0, month));
        let done = sight(Completed, true, Some(0), None);
        assert!(done.sees_people(t0 + days(29), month));
        assert!(!done.sees_people(t0 + days(30), month));
        assert!(!sight(Completed, false, Some(0), None).sees_people(t0, month));
        let closed = sight(Accepted, true, None, Some(10));
        assert!(closed.sees_people(t0 + days(39), month));
        assert!(!closed.sees_people(t0 + days(40), month));
        // The earlier end counts.
        assert!(!sight(Completed, true, Some(0), Some(20)).sees_people(t0 + days(31), month));
    }

    #[test]
    fn sent_and_accepted_referrals_are_open() {
        use ReferralStatus::*;
        assert!(Sent.is_open() && Accepted.is_open());
        assert!(!Completed.is_open() && !Declined.is_open() && !Cancelled.is_open());
    }

    #[test]
    fn what_partners_type_is_checked() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert!(
            validate_service("2026-11-19", "Cash grant paid", Calendar::Gregorian, today).is_ok()
        );
        let e = validate_service("2026-12-01", "", Calendar::Gregorian, today).unwrap_err();
        assert_eq!(e.get("delivered_on"), Some(&FieldError::DateInFuture));
        assert_eq!(e.get("description"), Some(&FieldError::Required));
        assert_eq!(validate_reason("  "), Err(FieldError::Required));
        assert_eq!(validate_response_days("۷"), Ok(7));
        assert_eq!(
            validate_response_days("0"),
            Err(FieldError::OutOfRange { min: 1, max: 60 })
        );
        assert_eq!(validate_note("").unwrap(), None);
    }
}
