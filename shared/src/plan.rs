//! The reintegration plan: one item per need an assessment revealed, with the action planned,
//! the service category, a target date and a status.

use crate::calendar::{self, Calendar};
use crate::field_error::optional_text;
use crate::service::ServiceCategory;
use crate::{FieldError, FieldErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::code_enum! {
    /// Where a plan item stands. New needs are `proposed` until the caseworker confirms them.
    pub enum PlanStatus {
        Proposed = "proposed",
        Planned = "planned",
        InProgress = "in_progress",
        Done = "done",
        Cancelled = "cancelled",
    }
}

impl PlanStatus {
    /// Still to be acted on (counts in the plan's open items).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            PlanStatus::Proposed | PlanStatus::Planned | PlanStatus::InProgress
        )
    }

    /// The caseworker confirmed the item (planned, in progress, done): work on the case has
    /// started (`family::status::Step::WorkStarted`).
    pub fn is_confirmed(self) -> bool {
        matches!(
            self,
            PlanStatus::Planned | PlanStatus::InProgress | PlanStatus::Done
        )
    }
}

/// One plan item as the plan form sends it (`items[0][action]`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItemForm {
    pub id: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub target_date: String,
    #[serde(default)]
    pub status: String,
}

/// A validated change to one plan item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanItemChange {
    pub id: String,
    pub version: i64,
    pub action: Option<String>,
    pub service: ServiceCategory,
    pub target_date: Option<NaiveDate>,
    pub status: PlanStatus,
}

pub const ACTION_MAX: u32 = 500;

/// The form name of one field of item `i`.
pub fn item_key(i: usize, field: &str) -> String {
    format!("items[{i}][{field}]")
}

/// Validates the plan form. A confirmed item (planned, in progress, done) needs an action;
/// one planned or in progress needs a target date too. Dates are read in the form's calendar.
pub fn validate_plan(
    items: &[PlanItemForm],
    calendar: Calendar,
) -> Result<Vec<PlanItemChange>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut changes = Vec::new();
    for (i, f) in items.iter().enumerate() {
        let key = |field: &str| item_key(i, field);
        let version = errors.take(
            &key("version"),
            f.version
                .trim()
                .parse::<i64>()
                .map_err(|_| FieldError::InvalidFormat),
        );
        let status = errors.take(
            &key("status"),
            PlanStatus::parse(&f.status).ok_or(FieldError::InvalidChoice),
        );
        let service = errors.take(
            &key("service"),
            ServiceCategory::parse(&f.service).ok_or(FieldError::InvalidChoice),
        );
        let action = errors.take(&key("action"), optional_text(&f.action, ACTION_MAX));
        let target_date = errors.take(
            &key("target_date"),
            match f.target_date.trim() {
                "" => Ok(None),
                t => calendar::parse_input(t, calendar).map(Some),
            },
        );
        let (Some(version), Some(status), Some(service), Some(action), Some(target_date)) =
            (version, status, service, action, target_date)
        else {
            continue;
        };
        if status.is_confirmed() && action.is_none() {
            errors.add(key("action"), FieldError::Required);
        }
        if matches!(status, PlanStatus::Planned | PlanStatus::InProgress) && target_date.is_none() {
            errors.add(key("target_date"), FieldError::Required);
        }
        changes.push(PlanItemChange {
            id: f.id.clone(),
            version,
            action,
            service,
            target_date,
            status,
        });
    }
    errors.finish(|| changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(status: &str, action: &str, date: &str) -> PlanItemForm {
        PlanItemForm {
            id: "p1".into(),
            version: "1".into(),
            action: action.into(),
            service: "housing".into(),
            target_date: date.into(),
            status: status.into(),
        }
    }

    #[test]
    fn a_proposed_item_may_be_empty_a_confirmed_one_may_not() {
        assert!(validate_plan(&[item("proposed", "", "")], Calendar::Gregorian).is_ok());
        let e = validate_plan(
            &[item("proposed", "", ""), item("planned", " ", "")],
            Calendar::Gregorian,
        )
        .unwrap_err();
        assert_eq!(e.get("items[1][action]"), Some(&FieldError::Required));
        assert_eq!(e.get("items[1][target_date]"), Some(&FieldError::Required));
        assert!(e.get("items[0][action]").is_none());
        let done = validate_plan(
            &[item("done", "Rent paid 3 months", "")],
            Calendar::Gregorian,
        );
        assert!(done.is_ok(), "a done item needs no target date");
    }

    #[test]
    fn dates_are_read_in_the_forms_calendar_and_bad_codes_are_refused() {
        let ok = validate_plan(
            &[item("planned", "Shelter kit", "۱۴۰۵/۰۱/۰۱")],
            Calendar::SolarHijri,
        )
        .unwrap();
        assert_eq!(ok[0].target_date, NaiveDate::from_ymd_opt(2026, 3, 21));
        let mut bad = item("someday", "x", "2026-13-01");
        bad.service = "magic".into();
        bad.version = "v".into();
        let e = validate_plan(&[bad], Calendar::Gregorian).unwrap_err();
        for f in ["status", "service", "target_date", "version"] {
            assert!(e.get(&format!("items[0][{f}]")).is_some(), "{f}");
        }
    }
}
