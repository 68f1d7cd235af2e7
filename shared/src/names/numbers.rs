//! Canonical forms of identity document numbers and phone numbers, typed in three digit styles.

use super::normalize::is_invisible;
use crate::digits::to_western;
use crate::Country;

// ---------------------------------------------------------------------------------------------
// Document numbers
// ---------------------------------------------------------------------------------------------

/// The canonical form of a tazkira, passport or other document number: uppercase, Western
/// digits, without the separators people put in (spaces, dashes, slashes, dots) and without
/// invisible characters pasted in from right-to-left text. "1399-0101-12345",
/// "۱۳۹۹ ۰۱۰۱ ۱۲۳۴۵" and "1399/0101/12345" are all "1399010112345".
pub fn normalize_document_number(s: &str) -> String {
    to_western(s)
        .chars()
        .filter(|&c| {
            !(c.is_whitespace()
                || matches!(
                    c,
                    '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '/' | '\\' | '.' | '\u{06D4}'
                )
                || is_invisible(c))
        })
        .flat_map(char::to_uppercase)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

/// The digits of a phone number as Western digits, everything else dropped.
pub fn phone_digits(s: &str) -> String {
    to_western(s).chars().filter(char::is_ascii_digit).collect()
}

/// The country calling code of a country, without '+'.
fn calling_code(country: Country) -> &'static str {
    match country {
        Country::AF => "93",
        Country::IQ => "964",
    }
}

/// A phone number in international form without '+' (Afghan "0701234567", "+93 70 123 4567"
/// and "0093701234567" are all "93701234567"), reading numbers without an international prefix
/// as numbers of `country`. None unless the result has 8 to 15 digits (E.164) and a country
/// code (which never starts with 0).
///
/// International form is recognised by a '+' before the first digit (or, as right-to-left
/// typing sometimes leaves it, after the last), by the prefix 00, or by starting with the
/// country's own code and being long enough to hold a number after it (Afghan numbers have 9
/// digits after the trunk 0, Iraqi 8 to 10, and no Afghan or Iraqi national number starts
/// with 9). Numbers from elsewhere (an Iranian "+98 912 …") are kept as they are. Limits: a
/// foreign number in its own national form ("0912 …" from Iran) is read as a number of
/// `country`, and lengths are not checked against the country's numbering plan.
pub fn international_phone(s: &str, country: Country) -> Option<String> {
    let text = to_western(s);
    let is_plus = |c: char| c == '+' || c == '\u{FF0B}';
    let before_first_digit = text.split(|c: char| c.is_ascii_digit()).next();
    let after_last_digit = text.rsplit(|c: char| c.is_ascii_digit()).next();
    let has_plus = text.contains(|c: char| c.is_ascii_digit())
        && (before_first_digit.is_some_and(|t| t.contains(is_plus))
            || after_last_digit.is_some_and(|t| t.contains(is_plus)));
    let digits = phone_digits(&text);
    let code = calling_code(country);
    let number = if has_plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if digits.starts_with(code) && digits.len() >= code.len() + 8 {
        digits
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("{code}{rest}")
    } else {
        format!("{code}{digits}")
    };
    let plausible = (8..=15).contains(&number.len()) && !number.starts_with('0');
    plausible.then_some(number)
}

/// The key a phone number is searched by: the last nine digits, which hold the subscriber
/// number without country code or trunk 0 in both countries, so "0701234567" finds
/// "+93 70 123 4567". Fewer digits are kept whole.
pub fn phone_search_key(s: &str) -> String {
    let digits = phone_digits(s);
    digits[digits.len().saturating_sub(9)..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // --- document numbers -----------------------------------------------------------------

    #[test]
    fn document_numbers_lose_separators_and_take_western_digits() {
        assert_eq!(
            normalize_document_number("1399-0101-12345"),
            "1399010112345"
        );
        assert_eq!(
            normalize_document_number("۱۳۹۹ ۰۱۰۱ ۱۲۳۴۵"),
            "1399010112345"
        );
        assert_eq!(
            normalize_document_number("١٣٩٩/٠١٠١/١٢٣٤٥"),
            "1399010112345"
        );
        assert_eq!(normalize_document_number("p 0123.456"), "P0123456");
        assert_eq!(normalize_document_number("\u{200F}a12–34\u{200E}"), "A1234");
    }

    // --- phones ---------------------------------------------------------------------------

    #[test]
    fn phone_digits_keeps_only_western_digits() {
        assert_eq!(phone_digits("+93 (70) 123-4567"), "93701234567");
        assert_eq!(phone_digits("۰۷۰۱۲۳۴۵۶۷"), "0701234567");
        assert_eq!(phone_digits("٠٧٧٠١٢٣٤٥٦٧"), "07701234567");
        assert_eq!(phone_digits("none"), "");
    }

    #[test]
    fn afghan_numbers_in_every_form_become_one_international_number() {
        for s in [
            "+93 70 123 4567",
            "0093701234567",
            "0701234567",
            "070 123 4567",
            "701234567",
            "93701234567",
            "۰۷۰۱۲۳۴۵۶۷",
            "۹۳ ۷۰ ۱۲۳ ۴۵۶۷+",
        ] {
            assert_eq!(
                international_phone(s, Country::AF).as_deref(),
                Some("93701234567"),
                "{s:?}"
            );
        }
    }

    #[test]
    fn iraqi_numbers_in_every_form_become_one_international_number() {
        for s in [
            "07701234567",
            "+964 770 123 4567",
            "00964 770 123 4567",
            "9647701234567",
        ] {
            assert_eq!(
                international_phone(s, Country::IQ).as_deref(),
                Some("9647701234567"),
                "{s:?}"
            );
        }
        // Baghdad landline: trunk 0, area code 1, seven digits.
        assert_eq!(
            international_phone("01 234 5678", Country::IQ).as_deref(),
            Some("96412345678")
        );
    }

    #[test]
    fn foreign_international_numbers_are_kept() {
        assert_eq!(
            international_phone("+98 912 345 6789", Country::AF).as_deref(),
            Some("989123456789")
        );
        assert_eq!(
            international_phone("0098 912 345 6789", Country::IQ).as_deref(),
            Some("989123456789")
        );
    }

    #[test]
    fn implausible_phone_numbers_are_none() {
        assert_eq!(international_phone("", Country::AF), None);
        assert_eq!(international_phone("+93 70", Country::AF), None);
        assert_eq!(international_phone("+1234567890123456", Country::AF), None);
        assert_eq!(international_phone("000 123 456 789", Country::AF), None);
        assert_eq!(international_phone("123", Country::IQ), None);
    }

    #[test]
    fn the_search_key_is_the_last_nine_digits() {
        assert_eq!(phone_search_key("+93 70 123 4567"), "701234567");
        assert_eq!(phone_search_key("0701234567"), "701234567");
        assert_eq!(phone_search_key("۰۷۷۰۱۲۳۴۵۶۷"), "701234567");
        assert_eq!(phone_search_key("12-34"), "1234");
        assert_eq!(phone_search_key(""), "");
    }

    proptest! {
        #[test]
        fn document_numbers_normalize_once(s in "[0-9۰-۹٠-٩a-zA-Z /.-]{0,20}") {
            let once = normalize_document_number(&s);
            prop_assert_eq!(normalize_document_number(&once), once.clone());
            prop_assert!(once.chars().all(|c| c.is_ascii_alphanumeric()), "{:?}", once);
        }

        #[test]
        fn national_and_international_afghan_numbers_agree(n in "7[0-9]{8}") {
            let expected = Some(format!("93{n}"));
            prop_assert_eq!(international_phone(&format!("0{n}"), Country::AF), expected.clone());
            prop_assert_eq!(international_phone(&format!("+93 {n}"), Country::AF), expected.clone());
            prop_assert_eq!(international_phone(&format!("0093{n}"), Country::AF), expected);
        }

        #[test]
        fn international_numbers_are_plausible_and_searchable(s in "[+]?[0-9 ۰-۹-]{0,20}") {
            for country in Country::ALL {
                if let Some(number) = international_phone(&s, country) {
                    prop_assert!((8..=15).contains(&number.len()));
                    prop_assert!(number.bytes().all(|b| b.is_ascii_digit()));
                    // Unless the key begins with a trunk or international-prefix 0, which
                    // the international form drops.
                    let key = phone_search_key(&s);
                    prop_assert!(key.starts_with('0') || number.ends_with(&key), "{} {}", number, key);
                }
            }
            prop_assert!(phone_digits(&s).ends_with(&phone_search_key(&s)));
        }
    }
}
