//! "Now", taken in one place so that expiry, lockouts and schedules can be tested with a
//! clock the test moves.

use chrono::{DateTime, Duration, Utc};
use std::sync::{Arc, RwLock};

#[derive(Clone, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    /// A clock that only moves when told to (tests).
    Manual(Arc<RwLock<DateTime<Utc>>>),
}

impl Clock {
    pub fn manual(start: DateTime<Utc>) -> Self {
        Clock::Manual(Arc::new(RwLock::new(start)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Manual(t) => *t.read().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Moves a manual clock forward; a system clock cannot be moved.
    pub fn advance(&self, by: Duration) {
        if let Clock::Manual(t) = self {
            let mut t = t.write().unwrap_or_else(|e| e.into_inner());
            *t += by;
        }
    }
}

/// The stored form of an instant: UTC, fixed width, so that text order is time order on both
/// databases (`2026-11-26T19:35:22.123456Z`).
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Reads a stored timestamp back.
pub fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_sort_as_text_and_round_trip() {
        let a = DateTime::parse_from_rfc3339("2026-01-02T03:04:05Z")
            .unwrap()
            .with_timezone(&Utc);
        let b = a + Duration::microseconds(1);
        assert!(timestamp(a) < timestamp(b));
        assert_eq!(timestamp(a), "2026-01-02T03:04:05.000000Z");
        assert_eq!(parse_timestamp(&timestamp(b)), Some(b));
    }

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start = Utc::now();
        let c = Clock::manual(start);
        assert_eq!(c.now(), start);
        c.advance(Duration::minutes(31));
        assert_eq!(c.now(), start + Duration::minutes(31));
    }
}
