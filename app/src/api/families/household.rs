//! Edits of a case's household and members, each against the version the form was loaded
//! with (a stale form saves nothing and answers `Conflict`).

use crate::error::AppError;
use leptos::prelude::*;
use shared::family::{HouseholdForm, MemberForm};

#[cfg(feature = "ssr")]
use {
    super::{check_province_in_scope, member_values},
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::store::families::{self, members::Heads},
    crate::model::families::FamilyView,
    shared::calendar::Calendar,
    shared::family::Presence,
    shared::policy::Action,
    shared::timeline::CaseEvent,
    shared::{FieldError, FieldErrors},
};

/// The household fields that differ between the stored record and the edit.
#[cfg(feature = "ssr")]
fn changed_household_fields(old: &FamilyView, new: &shared::family::Household) -> Vec<String> {
    [
        ("province", old.province != new.province),
        ("district", old.district != new.district),
        ("address", old.address != new.address),
        ("phone", old.phone != new.phone),
        (
            "return_date",
            old.return_date != new.return_date.to_string(),
        ),
        ("returned_from", old.returned_from != new.returned_from),
        ("return_type", old.return_type != new.return_type),
        ("displaced_from", old.displaced_from != new.displaced_from),
    ]
    .into_iter()
    .filter(|(_, differs)| *differs)
    .map(|(name, _)| name.to_string())
    .collect()
}

/// Saves the household fields if nobody saved the case since `version` (else `Conflict`, and
/// nothing is written). Answers the new version.
#[server(endpoint = "update_household")]
pub async fn update_household(
    family_id: String,
    version: i64,
    household: HouseholdForm,
    #[server(default)] calendar: String,
) -> Result<i64, AppError> {
    let h = &household;
    let form = Form::values(&[
        ("version", version.to_string()),
        ("household[province]", h.province.clone()),
        ("household[district]", h.district.clone()),
        ("household[address]", h.address.clone()),
        ("household[phone]", h.phone.clone()),
        ("household[return_date]", h.return_date.clone()),
        ("household[returned_from]", h.returned_from.clone()),
        ("household[return_type]", h.return_type.clone()),
        ("household[displaced_from]", h.displaced_from.clone()),
    ]);
    pipeline::case(&family_id, Action::EditCase)
        .version(version)
        .form(form)
        .write(async |c| {
            let current = c.case.clone();
            let mut errors = FieldErrors::new();
            let new = shared::family::validate_household(
                &household,
                current.country,
                Calendar::from_code(&calendar),
                c.now().date_naive(),
                &mut errors,
            );
            if errors.get("household[province]").is_none()
                && household.province.trim() != current.province
            {
                check_province_in_scope(
                    c.caller,
                    current.country,
                    household.province.trim(),
                    &mut errors,
                );
            }
            let new = match (new, errors.is_empty()) {
                (Some(h), true) => h,
                _ => return Err(AppError::Invalid(errors)),
            };
            let old = families::record::get(c.conn(), &family_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let fields = changed_household_fields(&old, &new);
            families::update_household(c.conn(), &family_id, &new).await?;
            let change = Change::new(CaseEvent::HouseholdEdited).fields(fields);
            Ok(c.record(current.version, change)
                .await?
                .then(format!("/cases/{family_id}")))
        })
        .await
}

/// Saves one member (same conflict rule as the household). `member_id` empty adds a member,
/// up to `shared::family::MAX_MEMBERS`. A head marked as departed or deceased hands the
/// household to `new_head`, another member living with the family. Answers the new version.
#[server(endpoint = "save_member")]
pub async fn save_member(
    family_id: String,
    #[server(default)] member_id: String,
    version: i64,
    member: MemberForm,
    #[server(default)] new_head: String,
    #[server(default)] calendar: String,
) -> Result<i64, AppError> {
    let mut values = member_values(&member, &|f| format!("member[{f}]"));
    values.push(("version".into(), version.to_string()));
    values.push(("new_head".into(), new_head.clone()));
    pipeline::case(&family_id, Action::EditCase)
        .version(version)
        .form(Form::values(&values))
        .write(async |c| {
            let today = c.now().date_naive();
            let mut errors = FieldErrors::new();
            let key = |f: &str| format!("member[{f}]");
            let m = shared::family::validate_member(
                &member,
                key,
                Calendar::from_code(&calendar),
                today,
                &mut errors,
            );
            let adding = member_id.is_empty();
            let max = shared::family::MAX_MEMBERS as i64;
            if adding && families::members::count(c.conn(), &family_id).await? >= max {
                errors.add("members", FieldError::OutOfRange { min: 1, max });
            }
            let m = match (m, errors.is_empty()) {
                (Some(m), true) => m,
                _ => return Err(AppError::Invalid(errors)),
            };
            let now = c.now();
            let before = match adding {
                true => None,
                false => families::members::presence(c.conn(), &family_id, &member_id).await?,
            };
            let (event, id) = if adding {
                let id =
                    families::members::add_member(c.conn(), &family_id, &m, today, now).await?;
                (CaseEvent::MemberAdded, id)
            } else {
                let updated = families::members::update_member(
                    c.conn(),
                    &family_id,
                    &member_id,
                    &m,
                    today,
                    now,
                )
                .await?;
                if !updated {
                    return Err(AppError::NotFound);
                }
                // Leaving or dying is an event of its own on the timeline; coming back, or
                // any other change, is an edit.
                let event = match (before, m.presence) {
                    (Some(old), new) if old == new => CaseEvent::MemberEdited,
                    (_, Presence::Departed) => CaseEvent::MemberDeparted,
                    (_, Presence::Deceased) => CaseEvent::MemberDied,
                    (_, Presence::Present) => CaseEvent::MemberEdited,
                };
                (event, member_id.clone())
            };
            let successor = match (m.presence, new_head.trim()) {
                (Presence::Present, _) | (_, "") => None,
                (_, head) => {
                    let name = families::members::make_head(c.conn(), &family_id, head)
                        .await?
                        .ok_or_else(|| AppError::invalid("new_head", FieldError::InvalidChoice))?;
                    Some((head.to_string(), name))
                }
            };
            match families::members::refresh_household_summary(c.conn(), &family_id).await? {
                Heads::One => {}
                Heads::NotOne => {
                    return Err(AppError::invalid(
                        "member[relationship]",
                        FieldError::InvalidChoice,
                    ))
                }
                Heads::Absent => {
                    return Err(AppError::invalid("new_head", FieldError::HeadMustBePresent))
                }
            }
            if let Some((head, name)) = successor {
                let change = Change::new(CaseEvent::MemberEdited).text(name).detail(head);
                c.also(change).await?;
            }
            let change = Change::new(event)
                .text(m.display_name().to_string())
                .detail(id);
            let version = c.case.version;
            Ok(c.record(version, change)
                .await?
                .then(format!("/cases/{family_id}")))
        })
        .await
}
