//! How long personal data is kept: closed cases are anonymised after a period, audit entries
//! deleted after theirs, and a family may ask for its erasure.

use chrono::{DateTime, Duration, Utc};

/// Days after closure before a closed case is anonymised (five years), unless configured.
pub const DEFAULT_ANONYMISE_AFTER_DAYS: u32 = 5 * 365;

/// Days an audit entry is kept (seven years), unless configured.
pub const DEFAULT_AUDIT_DAYS: u32 = 7 * 365;

crate::code_enum! {
    /// Why a family's record is to be erased.
    pub enum ErasureReason {
        /// The family asked for its data to be erased.
        FamilyRequest = "family_request",
        /// The record should never have been made (wrong family, a test, no consent).
        RegisteredInError = "registered_in_error",
        /// A court or the data protection authority ordered it.
        LegalOrder = "legal_order",
    }
}

/// The moment before which something `days` old is due: closed before it, anonymise;
/// written before it, delete.
pub fn cutoff(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    now - Duration::days(i64::from(days))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cutoff_is_whole_days_before_now() {
        let now: DateTime<Utc> = "2031-06-01T10:00:00Z".parse().unwrap();
        assert_eq!(cutoff(now, 365).to_rfc3339(), "2030-06-01T10:00:00+00:00");
        assert_eq!(cutoff(now, 0), now);
    }

    #[test]
    fn erasure_reasons_are_codes() {
        assert_eq!(
            ErasureReason::parse("family_request"),
            Some(ErasureReason::FamilyRequest)
        );
        assert_eq!(ErasureReason::parse("whim"), None);
    }
}
