//! What the overview is filtered to, read from the page's URL or form.

use crate::Country;
use serde::{Deserialize, Serialize};

/// What the overview is filtered to; each value also in the page's URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub country: Option<Country>,
    /// A location key of the country.
    pub province: Option<String>,
    /// A calendar year: registrations, assessments, referrals, follow-ups and closures dated in it.
    pub year: Option<i32>,
}

impl Filter {
    /// The filter as the query string of the page and the exports (`country=AF&year=2026`).
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = self.country {
            parts.push(format!("country={}", c.code()));
        }
        if let Some(p) = &self.province {
            parts.push(format!("province={p}"));
        }
        if let Some(y) = self.year {
            parts.push(format!("year={y}"));
        }
        parts.join("&")
    }
}

/// Reads a filter from form values, keeping it to what the caller may see: `scope` is
/// `None` for both countries or `Some(c)` for one. A province outside the country is dropped.
pub fn parse_filter(country: &str, province: &str, year: &str, scope: Option<Country>) -> Filter {
    let country = scope.or_else(|| Country::parse(country.trim()));
    let province = crate::location::by_key(province.trim())
        .filter(|l| country.is_none_or(|c| l.country == c))
        .map(|l| l.key.clone());
    let country = country.or_else(|| {
        province
            .as_deref()
            .and_then(crate::location::by_key)
            .map(|l| l.country)
    });
    let year = crate::digits::to_western(year.trim())
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    Filter {
        country,
        province,
        year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_keep_to_the_callers_country() {
        let kabul = crate::location::of_country(Country::AF).next().unwrap();
        let f = parse_filter("IQ", &kabul.key, "۲۰۲۶", None);
        assert_eq!(f.country, Some(Country::IQ));
        assert_eq!(
            f.province, None,
            "a province of the other country is dropped"
        );
        assert_eq!(f.year, Some(2026));
        let f = parse_filter("", &kabul.key, "1999", None);
        assert_eq!(
            f.country,
            Some(Country::AF),
            "the province gives the country"
        );
        assert_eq!(f.year, None);
        let f = parse_filter("", "", "", Some(Country::IQ));
        assert_eq!(
            f.country,
            Some(Country::IQ),
            "a supervisor sees only their country"
        );
        assert_eq!(f.query(), "country=IQ");
    }
}
