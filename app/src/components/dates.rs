//! Dates, times and numbers as the reader writes them: Solar Hijri with Dari or Pashto month
//! names for Afghan readers, Gregorian with Arabic (Iraqi) or English month names otherwise;
//! Persian or Arabic-Indic digits where the language uses them. Stored dates stay ISO
//! Gregorian; only display and input convert.

use super::messages::{I18n, Lang};
use crate::i18n::*;
use chrono::{Duration, NaiveDate};
use leptos::prelude::{use_context, GetUntracked};
use shared::calendar::{self, Calendar};
use shared::digits::{self, DigitStyle};
use shared::Country;

/// The calendar of the interface language.
pub fn calendar_of(locale: Locale) -> Calendar {
    match locale {
        Locale::fa_AF | Locale::ps => Calendar::SolarHijri,
        Locale::en | Locale::ar => Calendar::Gregorian,
    }
}

/// The digits of the interface language.
pub fn digits_of(locale: Locale) -> DigitStyle {
    match locale {
        Locale::fa_AF | Locale::ps => DigitStyle::Persian,
        Locale::ar => DigitStyle::ArabicIndic,
        Locale::en => DigitStyle::Western,
    }
}

/// The code forms send to say which calendar their dates are in.
pub fn calendar_code(c: Calendar) -> &'static str {
    match c {
        Calendar::SolarHijri => "solar_hijri",
        Calendar::Gregorian => "gregorian",
    }
}

pub fn calendar(i18n: I18n) -> Calendar {
    calendar_of(i18n.get_locale_untracked())
}

/// The digits the reader sees: their language's, unless they chose Western digits.
pub fn digit_style(i18n: I18n) -> DigitStyle {
    let western = use_context::<crate::components::me::MeResource>()
        .and_then(|me| me.get_untracked())
        .and_then(|r| r.ok().flatten())
        .is_some_and(|me| me.digits == "western");
    if western {
        DigitStyle::Western
    } else {
        digits_of(i18n.get_locale_untracked())
    }
}

/// A number (or any text with digits) in the reader's digits.
pub fn num(i18n: I18n, n: impl ToString) -> String {
    digits::localize(&n.to_string(), digit_style(i18n))
}

pub fn month_name(lang: impl Lang, calendar: Calendar, month: u32) -> &'static str {
    let locale = lang.locale();
    match (calendar, month) {
        (Calendar::Gregorian, 1) => td_string!(locale, months.gregorian.m01),
        (Calendar::Gregorian, 2) => td_string!(locale, months.gregorian.m02),
        (Calendar::Gregorian, 3) => td_string!(locale, months.gregorian.m03),
        (Calendar::Gregorian, 4) => td_string!(locale, months.gregorian.m04),
        (Calendar::Gregorian, 5) => td_string!(locale, months.gregorian.m05),
        (Calendar::Gregorian, 6) => td_string!(locale, months.gregorian.m06),
        (Calendar::Gregorian, 7) => td_string!(locale, months.gregorian.m07),
        (Calendar::Gregorian, 8) => td_string!(locale, months.gregorian.m08),
        (Calendar::Gregorian, 9) => td_string!(locale, months.gregorian.m09),
        (Calendar::Gregorian, 10) => td_string!(locale, months.gregorian.m10),
        (Calendar::Gregorian, 11) => td_string!(locale, months.gregorian.m11),
        (Calendar::Gregorian, _) => td_string!(locale, months.gregorian.m12),
        (Calendar::SolarHijri, 1) => td_string!(locale, months.solar_hijri.m01),
        (Calendar::SolarHijri, 2) => td_string!(locale, months.solar_hijri.m02),
        (Calendar::SolarHijri, 3) => td_string!(locale, months.solar_hijri.m03),
        (Calendar::SolarHijri, 4) => td_string!(locale, months.solar_hijri.m04),
        (Calendar::SolarHijri, 5) => td_string!(locale, months.solar_hijri.m05),
        (Calendar::SolarHijri, 6) => td_string!(locale, months.solar_hijri.m06),
        (Calendar::SolarHijri, 7) => td_string!(locale, months.solar_hijri.m07),
        (Calendar::SolarHijri, 8) => td_string!(locale, months.solar_hijri.m08),
        (Calendar::SolarHijri, 9) => td_string!(locale, months.solar_hijri.m09),
        (Calendar::SolarHijri, 10) => td_string!(locale, months.solar_hijri.m10),
        (Calendar::SolarHijri, 11) => td_string!(locale, months.solar_hijri.m11),
        (Calendar::SolarHijri, _) => td_string!(locale, months.solar_hijri.m12),
    }
}

/// A date for reading: `21 Hamal 1405`, `٢١ آذار ٢٠٢٦`, `21 March 2026`.
pub fn format_date(i18n: I18n, date: NaiveDate) -> String {
    let cal = calendar(i18n);
    let (y, m, d) = calendar::parts(date, cal);
    format!(
        "{} {} {}",
        num(i18n, d),
        month_name(i18n, cal, m),
        num(i18n, y)
    )
}

/// A stored `YYYY-MM-DD` date for reading (unreadable text is shown as it is).
pub fn format_iso_date(i18n: I18n, iso: &str) -> String {
    calendar::parse_iso(iso)
        .map(|d| format_date(i18n, d))
        .unwrap_or_else(|| iso.to_string())
}

/// A stored date as the reader types it in a date input (`۱۴۰۵-۰۱-۰۱`).
pub fn format_input_date(i18n: I18n, iso: &str) -> String {
    calendar::parse_iso(iso)
        .map(|d| num(i18n, calendar::format_numeric(d, calendar(i18n))))
        .unwrap_or_default()
}

/// A stored timestamp as local date and time in `country` (UTC for users of no country).
pub fn format_timestamp(i18n: I18n, ts: &str, country: Option<Country>) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(ts) else {
        return ts.to_string();
    };
    let local = t.naive_utc() + Duration::minutes(country.map_or(0, Country::utc_offset_minutes));
    let time = num(i18n, local.format("%H:%M"));
    format!("{} {time}", format_date(i18n, local.date()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_has_its_calendar_and_digits() {
        assert_eq!(calendar_of(Locale::fa_AF), Calendar::SolarHijri);
        assert_eq!(calendar_of(Locale::ps), Calendar::SolarHijri);
        assert_eq!(calendar_of(Locale::ar), Calendar::Gregorian);
        assert_eq!(digits_of(Locale::ar), DigitStyle::ArabicIndic);
        assert_eq!(digits_of(Locale::en), DigitStyle::Western);
    }
}
