//! Cases: the list, registration, the family record and its edit forms.

pub mod assess;
pub mod data;
pub mod documents;
pub mod family;
pub mod follow_ups;
pub mod household;
pub mod list;
pub mod member;
pub mod merge;
pub mod plan;
pub mod print;
pub mod refer;
pub mod register;
pub mod slip;
pub mod suggest;
pub mod transfer;

use crate::components::messages::{location_name, I18n};
use crate::model::auth::Me;
use shared::{Country, Role};

/// The provinces/governorates a user works in, as select options: a caseworker's areas, or
/// every province of a supervisor's country.
pub fn province_options(i18n: I18n, me: &Me) -> Vec<(String, String)> {
    match (me.role, me.country) {
        (Role::Caseworker, _) => named_provinces(i18n, me.areas.iter().cloned()),
        (_, Some(c)) => country_provinces(i18n, c),
        _ => Vec::new(),
    }
}

/// Every province/governorate of `country`, as options sorted by name.
pub fn country_provinces(i18n: I18n, country: Country) -> Vec<(String, String)> {
    named_provinces(
        i18n,
        shared::location::of_country(country).map(|l| l.key.clone()),
    )
}

fn named_provinces(i18n: I18n, keys: impl Iterator<Item = String>) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = keys
        .map(|k| {
            let name = location_name(i18n, &k);
            (k, name)
        })
        .collect();
    options.sort_by(|a, b| a.1.cmp(&b.1));
    options
}

/// The name to show for a person: local script first, then Latin letters.
pub fn person_name(local: &Option<String>, latin: &Option<String>) -> String {
    match (local, latin) {
        (Some(l), Some(t)) if l != t => format!("{l} — {t}"),
        (Some(l), _) => l.clone(),
        (None, Some(t)) => t.clone(),
        (None, None) => String::new(),
    }
}
