//! The case-list search: limits, classifying what was typed, and the case numbers it finds.

use crate::digits::to_western;
use crate::field_error::FieldError;
use crate::{names, Country};

/// Case lists count matches up to this many: "more than a thousand" is as useful as the
/// exact number, and a search for a common name would otherwise count tens of thousands.
pub const COUNT_CAP: i64 = 1000;

/// What the case-list search box was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchQuery {
    /// A case number (`AF-2026-000123`), or the number part of one (`123`).
    CaseNumber(String),
    /// Digits: a phone number or an identity document number.
    Digits(String),
    /// Words of a name, normalised, particles joined to their word.
    Name(Vec<String>),
}

/// The longest search text accepted, in characters, and the most words of a name searched:
/// each word is a lookup of its own, so a search of thousands of words would cost the
/// database more than any page is worth.
pub const MAX_QUERY_CHARS: u32 = 100;
pub const MAX_QUERY_WORDS: usize = 8;

/// Checks the length of a search before it is classified.
pub fn check_query(q: &str) -> Result<(), FieldError> {
    if q.chars().count() > MAX_QUERY_CHARS as usize {
        return Err(FieldError::TooLong {
            max: MAX_QUERY_CHARS,
        });
    }
    if q.split_whitespace().count() > MAX_QUERY_WORDS {
        return Err(FieldError::TooManyWords {
            max: MAX_QUERY_WORDS as u32,
        });
    }
    Ok(())
}

/// Classifies a search: case numbers, long runs of digits (phones, documents), or names.
pub fn classify_query(q: &str) -> Option<SearchQuery> {
    let western = to_western(q.trim());
    if western.is_empty() {
        return None;
    }
    let upper = western.to_ascii_uppercase();
    let parts: Vec<&str> = upper.split('-').collect();
    if parts.len() == 3
        && Country::parse(parts[0]).is_some()
        && parts[1].len() == 4
        && parts[1].chars().all(|c| c.is_ascii_digit())
        && parts[2].chars().all(|c| c.is_ascii_digit())
        && !parts[2].is_empty()
    {
        let n: u64 = parts[2].parse().ok()?;
        return Some(SearchQuery::CaseNumber(format!(
            "{}-{}-{n:06}",
            parts[0], parts[1]
        )));
    }
    let digits: String = western.chars().filter(|c| c.is_ascii_digit()).collect();
    let only_digits_and_separators = western
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '/' | '.'));
    // Up to six digits are the number part of a case number (000123); more are a phone or
    // document number.
    if only_digits_and_separators && digits.len() > 6 {
        return Some(SearchQuery::Digits(digits));
    }
    if only_digits_and_separators && !digits.is_empty() {
        return Some(SearchQuery::CaseNumber(
            digits.trim_start_matches('0').to_string(),
        ));
    }
    let words = names::search_words(&western);
    (!words.is_empty()).then_some(SearchQuery::Name(words))
}

/// The case number of the `n`th case of `country` registered in `year`: `AF-2026-000123`.
/// `n` is also stored alone (`case_seq`), so that searching `123` finds it without a scan.
pub fn case_number(country: Country, year: i32, n: i64) -> String {
    format!("{}-{year:04}-{n:06}", country.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_capped_in_length_and_words() {
        assert_eq!(check_query("Mohammad Karimi"), Ok(()));
        assert_eq!(
            check_query(&"a".repeat(101)),
            Err(FieldError::TooLong { max: 100 })
        );
        assert_eq!(
            check_query("a b c d e f g h i"),
            Err(FieldError::TooManyWords { max: 8 })
        );
    }

    #[test]
    fn searches_are_classified() {
        assert_eq!(
            classify_query("af-2026-123"),
            Some(SearchQuery::CaseNumber("AF-2026-000123".into()))
        );
        assert_eq!(
            classify_query("۱۲۳"),
            Some(SearchQuery::CaseNumber("123".into()))
        );
        assert_eq!(
            classify_query("+93 70 123 4567"),
            Some(SearchQuery::Digits("93701234567".into()))
        );
        assert_eq!(
            classify_query("Mohammad  Ahmadi"),
            Some(SearchQuery::Name(vec!["mohammad".into(), "ahmadi".into()]))
        );
        assert_eq!(classify_query("  "), None);
        assert_eq!(case_number(Country::IQ, 2026, 45), "IQ-2026-000045");
    }
}
