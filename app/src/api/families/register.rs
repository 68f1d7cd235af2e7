//! Registering a family with its members and consent, after a check for duplicates.
// A server function's arguments are its form fields, so some have many; `#[server]` copies
// them into the client-side stub too, where an item-level allow does not reach.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;
use shared::family::{HouseholdForm, MemberForm};

#[cfg(feature = "ssr")]
use {
    super::{check_province_in_scope, member_values, ministry_country},
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::store::families,
    shared::calendar::Calendar,
    shared::policy::{case_scope, Action, CaseRef, Resource},
    shared::timeline::CaseEvent,
    shared::{FieldError, FieldErrors},
};

/// The input names and values of a registration form, to give back to a plain form.
#[cfg(feature = "ssr")]
fn registration_values(
    household: &HouseholdForm,
    members: &[MemberForm],
    consent: [(&str, &str); 3],
) -> Vec<(String, String)> {
    let h = household;
    let mut v: Vec<(String, String)> = [
        ("province", &h.province),
        ("district", &h.district),
        ("address", &h.address),
        ("phone", &h.phone),
        ("return_date", &h.return_date),
        ("returned_from", &h.returned_from),
        ("return_type", &h.return_type),
        ("displaced_from", &h.displaced_from),
    ]
    .into_iter()
    .map(|(k, val)| (shared::family::household_key(k), val.clone()))
    .collect();
    for (k, val) in consent {
        v.push((k.to_string(), val.to_string()));
    }
    for (i, m) in members.iter().enumerate() {
        v.extend(member_values(m, &|f| format!("members[{i}][{f}]")));
    }
    v
}

/// Registers a family with its members and consent. Before saving it looks for the same
/// people among the cases the caller can see; if it finds any, it answers
/// `PossibleDuplicates` until the caller confirms this is a different family
/// (`confirmed_distinct=yes`), and that confirmation goes on the timeline.
/// `intent=add_member` (a plain form's "add a member" button) saves nothing and comes back
/// with one more member block. Answers the new family's id.
#[server(endpoint = "register_family")]
pub async fn register_family(
    household: HouseholdForm,
    #[server(default)] members: Vec<MemberForm>,
    #[server(default)] consent_registration: String,
    #[server(default)] consent_sharing: String,
    #[server(default)] consent_given_by: String,
    #[server(default)] calendar: String,
    #[server(default)] confirmed_distinct: String,
    #[server(default)] assign_to: String,
    #[server(default)] intent: String,
) -> Result<String, AppError> {
    let values = registration_values(
        &household,
        &members,
        [
            ("consent_registration", &consent_registration),
            ("consent_sharing", &consent_sharing),
            ("consent_given_by", &consent_given_by),
        ],
    );
    let form = Form::values(&values);
    if intent == "add_member" {
        // A step of a form being filled: nothing is saved, the values come back.
        let next = (members.len() + 1).min(shared::family::MAX_MEMBERS);
        return pipeline::system(Action::RegisterCase)
            .form(form.keep_on_success())
            .write(async |s| {
                Ok(s.unaudited(String::new())
                    .then(format!("/cases/new?members={next}")))
            })
            .await;
    }
    pipeline::system(Action::RegisterCase)
        .form(form)
        .write(async |s| {
            let caller = s.caller;
            let country = ministry_country(caller)?;
            let today = caller.now.date_naive();
            let validated = shared::family::validate_registration(
                &household,
                &members,
                consent_registration == "yes",
                consent_sharing == "yes",
                &consent_given_by,
                country,
                Calendar::from_code(&calendar),
                today,
            );
            let mut errors = match &validated {
                Err(e) => e.clone(),
                Ok(_) => FieldErrors::new(),
            };
            if !household.province.trim().is_empty() && errors.get("household[province]").is_none()
            {
                check_province_in_scope(caller, country, household.province.trim(), &mut errors);
            }
            if !errors.is_empty() {
                return Err(AppError::Invalid(errors));
            }
            let family = validated.map_err(AppError::Invalid)?;
            let province = family.household.province.clone();
            caller.may(
                Action::RegisterCase,
                Resource::Case(CaseRef {
                    country,
                    province: &province,
                }),
            )?;
            let assignee = match caller.actor.role {
                shared::Role::Caseworker => {
                    Some((caller.actor.user_id.clone(), caller.display_name.clone()))
                }
                _ if assign_to.trim().is_empty() => None,
                _ => {
                    let org = &caller.actor.organisation_id;
                    let found = families::assignable_caseworkers(s.conn(), org, &province)
                        .await?
                        .into_iter()
                        .find(|(id, _)| id == assign_to.trim());
                    match found {
                        Some(a) => Some(a),
                        None => {
                            return Err(AppError::invalid("assign_to", FieldError::InvalidChoice))
                        }
                    }
                }
            };
            let people: Vec<_> = family
                .members
                .iter()
                .map(|m| shared::family::PersonKey::of(m, today))
                .collect();
            let candidates = families::duplicates::duplicate_candidates(
                s.conn(),
                &case_scope(&caller.actor),
                &people,
            )
            .await?;
            if !candidates.is_empty() && confirmed_distinct != "yes" {
                return Err(AppError::PossibleDuplicates(candidates));
            }
            let (family_id, case_number) = families::register::insert_family(
                s.conn(),
                &family,
                &caller.actor.user_id,
                assignee.as_ref().map(|(id, _)| id.as_str()),
                caller.now,
            )
            .await?;
            let mut changes = vec![Change::new(CaseEvent::Registered).detail(case_number)];
            if let Some((id, name)) = assignee {
                changes.push(Change::new(CaseEvent::Assigned).text(name).detail(id));
            }
            if !candidates.is_empty() {
                // Registered anyway: the pairs wait on the supervisors' queue of possible
                // duplicates, to be merged or set aside.
                families::duplicates::remember_pairs(s.conn(), &family_id, &candidates, caller.now)
                    .await?;
                let listed = candidates
                    .iter()
                    .map(|c| c.case_number.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                changes.push(
                    Change::new(CaseEvent::DuplicateCheckConfirmed)
                        .text(listed.clone())
                        .detail(listed),
                );
            }
            let then = format!("/cases/{family_id}");
            Ok(s.record_case(family_id.clone(), &family_id, changes)
                .await?
                .then(then))
        })
        .await
}
