//! The reference and code of a referral to an organisation without accounts. The family
//! carries both on a printed slip; the organisation types them at `/r`. Both are digits only
//! (8 each), written in groups of four, and read back in any of the three digit styles with
//! any spaces or dashes a reader puts in, so a slip read over the phone still works.

use crate::digits::digit_value;

/// Digits in a reference and in a code.
pub const DIGITS: usize = 8;

/// How many days a code works after it was issued unless the referral ends first
/// (`HOMEWARD_REFERRAL_CODE_DAYS`).
pub const DEFAULT_VALID_DAYS: u32 = 90;

/// Wrong codes tried for one reference before it pauses, and from one client address
/// (across references) before that address pauses.
pub const MAX_TRIES_PER_REFERENCE: i64 = 5;
pub const MAX_TRIES_PER_ADDRESS: i64 = 10;

/// The Western digits of a typed reference or code, or `None` if it is not [`DIGITS`]
/// digits once spaces and dashes are dropped.
pub fn normalise(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(DIGITS);
    for c in typed.trim().chars() {
        if c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}') {
            continue;
        }
        let d = digit_value(c)?;
        if out.len() == DIGITS {
            return None;
        }
        out.push(char::from_digit(d, 10)?);
    }
    (out.len() == DIGITS).then_some(out)
}

/// The digits in groups of four, as printed: `1234 5678`.
pub fn grouped(digits: &str) -> String {
    let chars: Vec<char> = digits.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_references_are_read_in_any_digits_with_any_spacing() {
        assert_eq!(normalise("1234 5678").as_deref(), Some("12345678"));
        assert_eq!(normalise(" 1234-5678 ").as_deref(), Some("12345678"));
        assert_eq!(normalise("۱۲۳۴ ۵۶۷۸").as_deref(), Some("12345678"));
        assert_eq!(normalise("١٢٣٤٥٦٧٨").as_deref(), Some("12345678"));
        assert_eq!(normalise("1234567"), None);
        assert_eq!(normalise("123456789"), None);
        assert_eq!(normalise("1234 567a"), None);
        assert_eq!(normalise(""), None);
        assert_eq!(normalise(&"1".repeat(100_000)), None);
    }

    #[test]
    fn printed_in_groups_of_four() {
        assert_eq!(grouped("12345678"), "1234 5678");
    }
}
