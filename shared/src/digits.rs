//! Digits as people write them: Western (0123), Persian (۰۱۲۳, Dari and Pashto) and Eastern
//! Arabic-Indic (٠١٢٣, Arabic). Every numeric and date input accepts all three; display uses
//! the user's preference.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DigitStyle {
    Western,
    Persian,
    ArabicIndic,
}

impl DigitStyle {
    fn zero(self) -> char {
        match self {
            DigitStyle::Western => '0',
            DigitStyle::Persian => '\u{06F0}',
            DigitStyle::ArabicIndic => '\u{0660}',
        }
    }
}

/// The value of a digit in any of the three styles.
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        _ => None,
    }
}

/// Replaces Persian and Arabic-Indic digits by Western ones, and the Arabic decimal and
/// date separators by their Western forms, leaving everything else as it is.
pub fn to_western(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{066B}' => '.', // Arabic decimal separator
            '\u{066C}' => ',', // Arabic thousands separator
            _ => digit_value(c)
                .and_then(|d| char::from_digit(d, 10))
                .unwrap_or(c),
        })
        .collect()
}

/// Writes the Western digits of `s` in `style`.
pub fn localize(s: &str, style: DigitStyle) -> String {
    if style == DigitStyle::Western {
        return s.to_string();
    }
    let zero = style.zero() as u32;
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(zero + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn all_styles_read_as_western() {
        assert_eq!(to_western("۱۴۰۵/۰۱/۰۱"), "1405/01/01");
        assert_eq!(to_western("٢٠٢٦-٠٣-٢١"), "2026-03-21");
        assert_eq!(to_western("AF-2026-000123"), "AF-2026-000123");
        assert_eq!(to_western("٣٫٥"), "3.5");
    }

    #[test]
    fn localize_writes_the_chosen_digits() {
        assert_eq!(localize("1405", DigitStyle::Persian), "۱۴۰۵");
        assert_eq!(localize("2026", DigitStyle::ArabicIndic), "٢٠٢٦");
        assert_eq!(localize("AF-12", DigitStyle::Western), "AF-12");
    }

    proptest! {
        #[test]
        fn localize_then_read_back_is_identity(s in "[0-9A-Za-z/ -]{0,30}") {
            for style in [DigitStyle::Western, DigitStyle::Persian, DigitStyle::ArabicIndic] {
                prop_assert_eq!(to_western(&localize(&s, style)), s.clone());
            }
        }
    }
}
