//! Provinces of Afghanistan and governorates of Iraq, from `data/locations.csv`
//! (a copy of the programme's `locations.csv`).
//!
//! ISO 3166-2 codes are not a complete key: Halabja has none yet. Every location therefore has
//! a `key`, its ISO code where there is one and `<country>-<NAME>` otherwise (`IQ-HALABJA`), a
//! form that cannot collide with an ISO code (those have at most three characters after the dash).

use crate::Country;
use std::sync::OnceLock;

const CSV: &str = include_str!("../data/locations.csv");

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Stable identifier, stored in the database.
    pub key: String,
    pub country: Country,
    pub iso_code: Option<String>,
    pub name_en: String,
    /// The name in Dari (Afghanistan) or Arabic (Iraq).
    pub name_local: String,
}

/// All locations, in the order of the file (alphabetical by English name within a country).
pub fn all() -> &'static [Location] {
    static LOCATIONS: OnceLock<Vec<Location>> = OnceLock::new();
    LOCATIONS.get_or_init(|| parse_csv(CSV).expect("embedded locations.csv is valid"))
}

/// The locations of one country.
pub fn of_country(country: Country) -> impl Iterator<Item = &'static Location> {
    all().iter().filter(move |l| l.country == country)
}

/// Finds a location by key (which is the ISO code where one exists).
pub fn by_key(key: &str) -> Option<&'static Location> {
    all().iter().find(|l| l.key == key)
}

/// Finds a location as an operator would name it: key/ISO code or English name, any case.
pub fn lookup(text: &str) -> Option<&'static Location> {
    let t = text.trim();
    all()
        .iter()
        .find(|l| l.key.eq_ignore_ascii_case(t) || l.name_en.eq_ignore_ascii_case(t))
}

fn parse_csv(text: &str) -> Result<Vec<Location>, String> {
    let mut lines = text.lines();
    let header = lines.next().ok_or("empty file")?;
    if header.trim() != "country,iso_code,name_en,name_local" {
        return Err(format!("unexpected header {header:?}"));
    }
    let mut out = Vec::new();
    for (n, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split(',').map(str::trim).collect();
        let [country, iso, name_en, name_local] = cols[..] else {
            return Err(format!("line {}: expected 4 columns", n + 2));
        };
        let country = Country::parse(country).ok_or(format!("line {}: bad country", n + 2))?;
        let iso_code = (!iso.is_empty()).then(|| iso.to_string());
        let key = match &iso_code {
            Some(code) => code.clone(),
            None => format!(
                "{}-{}",
                country.code(),
                name_en.to_ascii_uppercase().replace([' ', '\''], "")
            ),
        };
        out.push(Location {
            key,
            country,
            iso_code,
            name_en: name_en.to_string(),
            name_local: name_local.to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_four_provinces_and_nineteen_governorates() {
        assert_eq!(of_country(Country::AF).count(), 34);
        assert_eq!(of_country(Country::IQ).count(), 19);
    }

    #[test]
    fn keys_are_unique_and_halabja_has_one() {
        let mut keys: Vec<_> = all().iter().map(|l| l.key.as_str()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), all().len());
        let halabja = lookup("halabja").unwrap();
        assert_eq!(halabja.key, "IQ-HALABJA");
        assert_eq!(halabja.iso_code, None);
        assert_eq!(halabja.country, Country::IQ);
    }

    #[test]
    fn lookup_accepts_codes_and_names() {
        assert_eq!(lookup("af-kab").unwrap().name_en, "Kabul");
        assert_eq!(lookup("Erbil").unwrap().key, "IQ-AR");
        assert!(lookup("Atlantis").is_none());
        assert_eq!(by_key("AF-HER").unwrap().name_local, "هرات");
    }
}
