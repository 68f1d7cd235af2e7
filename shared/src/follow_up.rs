//! Follow-ups and closure: the monitoring schedule proposed from a template, what a follow-up
//! is and where it stands, which work list it belongs on, when a case counts as lost to
//! follow-up, when the morning digest is due, and why a case is closed.

use crate::Country;
use chrono::{DateTime, Duration, Months, NaiveDate, Timelike, Utc};

crate::code_enum! {
    pub enum FollowUpKind {
        HomeVisit = "home_visit",
        PhoneCall = "phone_call",
        OfficeVisit = "office_visit",
    }
}

crate::code_enum! {
    /// `scheduled` → `done` (with notes, maybe a re-assessment), `missed` (with the reason and
    /// the contact attempt) or `cancelled`.
    pub enum FollowUpStatus {
        Scheduled = "scheduled",
        Done = "done",
        Missed = "missed",
        Cancelled = "cancelled",
    }
}

crate::code_enum! {
    /// Why a case is closed.
    pub enum ClosureReason {
        Reintegrated = "reintegrated",
        ReMigrated = "re_migrated",
        MovedAway = "moved_away",
        LostContact = "lost_contact",
        DeclinedServices = "declined_services",
        Deceased = "deceased",
        /// The same family registered twice (kept when a merge is not possible).
        Duplicate = "duplicate",
        /// Registered by mistake (not a returnee, a test, the wrong person).
        RegisteredInError = "registered_in_error",
    }
}

crate::code_enum! {
    /// The work lists: follow-ups by when they are due, the cases lost to follow-up, and the
    /// queues of what waits on others — referrals not yet answered by their organisation,
    /// closure requests not yet decided by a supervisor, transfers not yet accepted or declined.
    pub enum WorkList {
        Today = "today",
        ThisWeek = "week",
        Overdue = "overdue",
        Lost = "lost",
        Referrals = "referrals",
        Closures = "closures",
        Transfers = "transfers",
        /// Pairs of cases the duplicate rules matched, for a supervisor to merge or set aside.
        Duplicates = "duplicates",
    }
}

/// Months after the return date of the default monitoring schedule.
pub const DEFAULT_TEMPLATE: [u32; 4] = [1, 3, 6, 12];
/// Days without contact after which a case counts as lost to follow-up.
pub const DEFAULT_LOST_AFTER_DAYS: i64 = 90;
/// Local hour from which the morning digest is sent.
pub const DIGEST_HOUR: u32 = 7;

/// The follow-up dates a template proposes for a family that returned on `returned`, as seen
/// on `today` (the first assessment): every template date still ahead (today counts); when the
/// whole template lies in the past — a family assessed long after its return — one follow-up
/// a month from today, so no case starts without a next contact.
pub fn propose_schedule(returned: NaiveDate, today: NaiveDate, months: &[u32]) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = months
        .iter()
        .filter_map(|m| returned.checked_add_months(Months::new(*m)))
        .filter(|d| *d >= today)
        .collect();
    dates.sort();
    dates.dedup();
    if dates.is_empty() {
        dates.push(today + Duration::days(30));
    }
    dates
}

/// Reads a template written as months separated by commas (`1,3,6,12`).
pub fn parse_template(text: &str) -> Option<Vec<u32>> {
    let months: Option<Vec<u32>> = text
        .split(',')
        .map(|m| {
            m.trim()
                .parse::<u32>()
                .ok()
                .filter(|m| (1..=60).contains(m))
        })
        .collect();
    months.filter(|m| !m.is_empty())
}

/// Where a scheduled follow-up due on `due` stands on `today`: overdue, today, or later this
/// week (the next six days), or on no list yet.
pub fn bucket(due: NaiveDate, today: NaiveDate) -> Option<WorkList> {
    if due < today {
        Some(WorkList::Overdue)
    } else if due == today {
        Some(WorkList::Today)
    } else if due <= today + Duration::days(6) {
        Some(WorkList::ThisWeek)
    } else {
        None
    }
}

/// Whether a case whose last contact (a follow-up done, else its registration) was on
/// `last_contact` is lost to follow-up on `today`.
pub fn is_lost(last_contact: NaiveDate, today: NaiveDate, after_days: i64) -> bool {
    (today - last_contact).num_days() > after_days
}

/// The local date in `country` at `now`, if the morning digest is due by then (local time
/// past [`DIGEST_HOUR`]); `None` before that hour.
pub fn digest_day(now: DateTime<Utc>, country: Country) -> Option<NaiveDate> {
    let local = now.naive_utc() + Duration::minutes(country.utc_offset_minutes());
    (local.hour() >= DIGEST_HOUR).then(|| local.date())
}

/// The date on the country's clocks at `now`: what "today" means for its work lists.
pub fn local_today(now: DateTime<Utc>, country: Country) -> NaiveDate {
    (now.naive_utc() + Duration::minutes(country.utc_offset_minutes())).date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_schedule_follows_the_template_from_the_return_date() {
        let returned = d(2026, 9, 14);
        assert_eq!(
            propose_schedule(returned, d(2026, 9, 20), &DEFAULT_TEMPLATE),
            vec![
                d(2026, 10, 14),
                d(2026, 12, 14),
                d(2027, 3, 14),
                d(2027, 9, 14)
            ]
        );
        // Assessed two months after return: the one-month visit is already past.
        assert_eq!(
            propose_schedule(returned, d(2026, 11, 20), &DEFAULT_TEMPLATE),
            vec![d(2026, 12, 14), d(2027, 3, 14), d(2027, 9, 14)]
        );
        // Month ends are kept inside the month.
        assert_eq!(
            propose_schedule(d(2026, 1, 31), d(2026, 2, 1), &[1]),
            vec![d(2026, 2, 28)]
        );
        // Long after the return: one follow-up a month ahead.
        assert_eq!(
            propose_schedule(d(2020, 1, 1), d(2026, 11, 26), &DEFAULT_TEMPLATE),
            vec![d(2026, 12, 26)]
        );
    }

    #[test]
    fn templates_are_read_from_configuration_text() {
        assert_eq!(parse_template("1, 3,6 ,12"), Some(vec![1, 3, 6, 12]));
        assert_eq!(parse_template("2,x"), None);
        assert_eq!(parse_template(""), None);
        assert_eq!(parse_template("0"), None);
    }

    #[test]
    fn follow_ups_land_on_the_right_work_list() {
        let today = d(2026, 11, 26);
        assert_eq!(bucket(d(2026, 11, 25), today), Some(WorkList::Overdue));
        assert_eq!(bucket(today, today), Some(WorkList::Today));
        assert_eq!(bucket(d(2026, 12, 2), today), Some(WorkList::ThisWeek));
        assert_eq!(bucket(d(2026, 12, 3), today), None);
        assert!(is_lost(d(2026, 8, 27), today, 90));
        assert!(!is_lost(d(2026, 8, 28), today, 90));
    }

    #[test]
    fn the_digest_waits_for_seven_in_the_morning_local_time() {
        // 02:29 UTC is 06:59 in Kabul, 05:29 in Baghdad.
        let early = Utc.with_ymd_and_hms(2026, 11, 26, 2, 29, 0).unwrap();
        assert_eq!(digest_day(early, Country::AF), None);
        let kabul_seven = Utc.with_ymd_and_hms(2026, 11, 26, 2, 30, 0).unwrap();
        assert_eq!(digest_day(kabul_seven, Country::AF), Some(d(2026, 11, 26)));
        assert_eq!(digest_day(kabul_seven, Country::IQ), None);
        let baghdad_seven = Utc.with_ymd_and_hms(2026, 11, 26, 4, 0, 0).unwrap();
        assert_eq!(
            digest_day(baghdad_seven, Country::IQ),
            Some(d(2026, 11, 26))
        );
        // Late in the UTC day it is already tomorrow in Kabul.
        let late = Utc.with_ymd_and_hms(2026, 11, 26, 21, 0, 0).unwrap();
        assert_eq!(local_today(late, Country::AF), d(2026, 11, 27));
        assert_eq!(digest_day(late, Country::AF), None, "01:30 in Kabul");
    }
}
