//! Calendars: the Solar Hijri calendar used in Afghanistan (1405 SH = 2026/27) and the
//! Gregorian one, for display and input. Dates are stored in one canonical form (ISO 8601
//! Gregorian, `YYYY-MM-DD`); these functions convert at the edges.
//!
//! The Solar Hijri arithmetic is the algorithm of Borkowski as used by jalaali-js: the years of
//! the 2820-year cycle are corrected by a table of "break" years, which makes it agree with the
//! astronomical calendar from 1 to 3177 SH (far wider than the 1300–1450 SH this system needs).

use crate::digits::to_western;
use crate::field_error::FieldError;
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Which calendar a user reads and writes dates in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Calendar {
    Gregorian,
    SolarHijri,
}

impl Calendar {
    /// The calendar a form names (`solar_hijri`; anything else is Gregorian, the default).
    pub fn from_code(code: &str) -> Calendar {
        match code {
            "solar_hijri" => Calendar::SolarHijri,
            _ => Calendar::Gregorian,
        }
    }
}

/// A date in the Solar Hijri calendar. Months: 1 Hamal (Farvardin) … 12 Hut (Esfand).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SolarHijriDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// Years where the leap-year pattern of the 33-year cycles shifts.
const BREAKS: [i32; 20] = [
    -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324,
    2394, 2456, 3178,
];

/// The range of Solar Hijri years the algorithm is exact for.
pub const FIRST_YEAR: i32 = 1;
pub const LAST_YEAR: i32 = 3177;

fn div(a: i32, b: i32) -> i32 {
    a.div_euclid(b)
}

fn rem(a: i32, b: i32) -> i32 {
    a.rem_euclid(b)
}

/// The Gregorian date of 1 Hamal (Nowruz) of Solar Hijri year `jy`.
fn first_of_year(jy: i32) -> Option<NaiveDate> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&jy) {
        return None;
    }
    let gy = jy + 621;
    let mut leap_j = -14;
    let mut jp = BREAKS[0];
    let mut jump = 0;
    for &jm in &BREAKS[1..] {
        jump = jm - jp;
        if jy < jm {
            break;
        }
        leap_j += div(jump, 33) * 8 + div(rem(jump, 33), 4);
        jp = jm;
    }
    let n = jy - jp;
    leap_j += div(n, 33) * 8 + div(rem(n, 33) + 3, 4);
    if rem(jump, 33) == 4 && jump - n == 4 {
        leap_j += 1;
    }
    let leap_g = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
    let march = 20 + leap_j - leap_g;
    NaiveDate::from_ymd_opt(gy, 3, 1).map(|d| d + Duration::days(i64::from(march) - 1))
}

/// Whether Solar Hijri year `jy` has 366 days (Hut has 30 days).
pub fn is_leap_year(jy: i32) -> bool {
    match (first_of_year(jy), first_of_year(jy + 1)) {
        (Some(a), Some(b)) => (b - a).num_days() == 366,
        _ => false,
    }
}

/// Days in a Solar Hijri month: 31 for the first six, 30 for the next five, 29 or 30 for Hut.
pub fn month_length(jy: i32, month: u32) -> u32 {
    match month {
        1..=6 => 31,
        7..=11 => 30,
        12 if is_leap_year(jy) => 30,
        _ => 29,
    }
}

impl SolarHijriDate {
    /// A valid Solar Hijri date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        let valid = (FIRST_YEAR..LAST_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= month_length(year, month);
        valid.then_some(SolarHijriDate { year, month, day })
    }

    pub fn to_gregorian(self) -> NaiveDate {
        let start = first_of_year(self.year).expect("year checked in new()");
        let m = self.month as i64;
        let day_of_year = if m <= 7 {
            (m - 1) * 31
        } else {
            6 * 31 + (m - 7) * 30
        };
        start + Duration::days(day_of_year + self.day as i64 - 1)
    }

    /// The Solar Hijri date of a Gregorian date, or `None` outside the supported range.
    pub fn from_gregorian(date: NaiveDate) -> Option<Self> {
        let mut jy = date.year() - 621;
        let mut start = first_of_year(jy)?;
        if date < start {
            jy -= 1;
            start = first_of_year(jy)?;
        }
        let k = (date - start).num_days() as u32;
        let (month, day) = if k <= 185 {
            (1 + k / 31, k % 31 + 1)
        } else {
            (7 + (k - 186) / 30, (k - 186) % 30 + 1)
        };
        Some(SolarHijriDate {
            year: jy,
            month,
            day,
        })
    }
}

/// Year, month and day of `date` in `calendar` (for display with localised month names).
pub fn parts(date: NaiveDate, calendar: Calendar) -> (i32, u32, u32) {
    match calendar {
        Calendar::Gregorian => (date.year(), date.month(), date.day()),
        Calendar::SolarHijri => match SolarHijriDate::from_gregorian(date) {
            Some(d) => (d.year, d.month, d.day),
            None => (date.year(), date.month(), date.day()),
        },
    }
}

/// `date` as year/month/day numbers in `calendar` (`1405-01-01`), the form date inputs use.
pub fn format_numeric(date: NaiveDate, calendar: Calendar) -> String {
    let (y, m, d) = parts(date, calendar);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Reads a date typed in `calendar` as year, month, day separated by `-`, `/` or `.`, in any
/// digits (`۱۴۰۵/۰۱/۰۱`, `2026-03-21`), and returns the canonical Gregorian date.
pub fn parse_input(text: &str, calendar: Calendar) -> Result<NaiveDate, FieldError> {
    let t = to_western(text.trim());
    if t.is_empty() {
        return Err(FieldError::Required);
    }
    let nums: Vec<&str> = t.split(['-', '/', '.']).map(str::trim).collect();
    let [y, m, d] = nums[..] else {
        return Err(FieldError::InvalidDate);
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(FieldError::InvalidDate);
    };
    match calendar {
        Calendar::Gregorian => NaiveDate::from_ymd_opt(y, m, d),
        Calendar::SolarHijri => SolarHijriDate::new(y, m, d).map(SolarHijriDate::to_gregorian),
    }
    .ok_or(FieldError::InvalidDate)
}

/// Parses the canonical stored form `YYYY-MM-DD`.
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn known_pairs() {
        // Nowruz 1405 falls on 21 March 2026.
        let pairs = [
            ((1405, 1, 1), g(2026, 3, 21)),
            ((1404, 1, 1), g(2025, 3, 21)),
            ((1403, 12, 30), g(2025, 3, 20)), // 1403 is a leap year
            ((1403, 1, 1), g(2024, 3, 20)),
            ((1400, 1, 1), g(2021, 3, 21)),
            ((1399, 12, 30), g(2021, 3, 20)),
            ((1357, 11, 22), g(1979, 2, 11)),
            ((1300, 1, 1), g(1921, 3, 21)),
            ((1405, 7, 1), g(2026, 9, 23)),
            ((1405, 10, 11), g(2027, 1, 1)),
            ((1450, 1, 1), g(2071, 3, 21)),
        ];
        for ((y, m, d), greg) in pairs {
            let sh = SolarHijriDate::new(y, m, d).unwrap();
            assert_eq!(sh.to_gregorian(), greg, "{y}-{m}-{d}");
            assert_eq!(SolarHijriDate::from_gregorian(greg), Some(sh), "{greg}");
        }
    }

    #[test]
    fn leap_years() {
        for y in [1399, 1403, 1408] {
            assert!(is_leap_year(y), "{y}");
        }
        for y in [1400, 1401, 1402, 1404, 1405] {
            assert!(!is_leap_year(y), "{y}");
        }
        assert!(SolarHijriDate::new(1404, 12, 30).is_none());
        assert!(SolarHijriDate::new(1403, 12, 30).is_some());
        assert!(SolarHijriDate::new(1405, 7, 31).is_none());
        assert!(SolarHijriDate::new(1405, 13, 1).is_none());
    }

    #[test]
    fn round_trip_every_day_from_1300_to_1450() {
        let first = SolarHijriDate::new(1300, 1, 1).unwrap().to_gregorian();
        let last = SolarHijriDate::new(1450, 12, month_length(1450, 12))
            .unwrap()
            .to_gregorian();
        let mut day = first;
        let mut previous: Option<SolarHijriDate> = None;
        let mut count = 0;
        while day <= last {
            let sh = SolarHijriDate::from_gregorian(day).unwrap();
            assert_eq!(sh.to_gregorian(), day);
            assert_eq!(SolarHijriDate::new(sh.year, sh.month, sh.day), Some(sh));
            // Consecutive days are consecutive Solar Hijri dates.
            if let Some(p) = previous {
                let next = SolarHijriDate::new(p.year, p.month, p.day + 1)
                    .or_else(|| SolarHijriDate::new(p.year, p.month + 1, 1))
                    .or_else(|| SolarHijriDate::new(p.year + 1, 1, 1))
                    .unwrap();
                assert_eq!(sh, next);
            }
            previous = Some(sh);
            day += Duration::days(1);
            count += 1;
        }
        // 151 years of 365 or 366 days.
        assert!(count > 151 * 365 && count < 151 * 366, "{count}");
    }

    #[test]
    fn input_in_any_digits_and_separators() {
        assert_eq!(
            parse_input("۱۴۰۵/۰۱/۰۱", Calendar::SolarHijri),
            Ok(g(2026, 3, 21))
        );
        assert_eq!(
            parse_input("1405-1-1", Calendar::SolarHijri),
            Ok(g(2026, 3, 21))
        );
        assert_eq!(
            parse_input("٢٠٢٦-٠٣-٢١", Calendar::Gregorian),
            Ok(g(2026, 3, 21))
        );
        assert_eq!(
            parse_input("2026.03.21", Calendar::Gregorian),
            Ok(g(2026, 3, 21))
        );
        assert_eq!(
            parse_input("", Calendar::Gregorian),
            Err(FieldError::Required)
        );
        assert_eq!(
            parse_input("1405-12-30", Calendar::SolarHijri),
            Err(FieldError::InvalidDate)
        );
        assert_eq!(
            parse_input("2026-02-30", Calendar::Gregorian),
            Err(FieldError::InvalidDate)
        );
        assert_eq!(
            parse_input("21 March", Calendar::Gregorian),
            Err(FieldError::InvalidDate)
        );
    }

    #[test]
    fn numeric_format_follows_the_calendar() {
        assert_eq!(
            format_numeric(g(2026, 3, 21), Calendar::SolarHijri),
            "1405-01-01"
        );
        assert_eq!(
            format_numeric(g(2026, 3, 21), Calendar::Gregorian),
            "2026-03-21"
        );
    }
}
