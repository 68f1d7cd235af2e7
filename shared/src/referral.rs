//! Referrals to community organisations: their statuses, what a partner may see of them, when
//! one is overdue, and the validation of what partners and caseworkers type.

use crate::calendar::{self, Calendar};
use crate::field_error::{optional_text, text};
use crate::{FieldError, FieldErrors};
use chrono::NaiveDate;

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
    /// Whether the receiving organisation still sees the referral (and the family behind it).
    /// Declined and cancelled referrals leave its sight at once, and so does every referral
    /// of a family that withdrew its consent to sharing.
    pub fn visible_to_partner(self, sharing_consent: bool) -> bool {
        sharing_consent
            && matches!(
                self,
                ReferralStatus::Sent | ReferralStatus::Accepted | ReferralStatus::Completed
            )
    }

    /// Still being worked on: it can be cancelled, and blocks a second referral of the need.
    pub fn is_open(self) -> bool {
        matches!(self, ReferralStatus::Sent | ReferralStatus::Accepted)
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
    fn partners_see_open_and_completed_referrals_of_consenting_families_only() {
        use ReferralStatus::*;
        for (s, seen) in [
            (Sent, true),
            (Accepted, true),
            (Completed, true),
            (Declined, false),
            (Cancelled, false),
        ] {
            assert_eq!(s.visible_to_partner(true), seen, "{s}");
            assert!(!s.visible_to_partner(false), "{s} without consent");
        }
        assert!(Sent.is_open() && Accepted.is_open() && !Completed.is_open());
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
