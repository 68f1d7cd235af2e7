//! Merging two records of one family: a supervisor compares them side by side, chooses the
//! record that survives, whose value each part of the household keeps and the people to keep,
//! and merges; the whole history ends on the survivor, the other record is kept as it was,
//! read only, and the merge can be undone while nothing has been added since. A pair the
//! duplicate rules found may also be set aside as two families.
// A server function's arguments are its form fields, so some have many; `#[server]` copies
// them into the client-side stub too, where an item-level allow does not reach.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::merges::MergeComparison;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::backend::pipeline::{self, CasesTx, Change, Form},
    crate::backend::store::families::{self, duplicates, merges, FamilyRef},
    crate::model::families::{FamilyView, MemberView},
    shared::audit::AuditAction,
    shared::family::merge::{validate_merge, MergeForm, MergePart, MergeSide},
    shared::family::{duplicate_reason, PersonKey},
    shared::policy::{Action, CaseRef, Resource},
    shared::timeline::CaseEvent,
    shared::FieldError,
};

/// The records `family_id` and `other` (a family id or a case number), side by side, for a
/// supervisor about to merge them. Audited as a read of the first, naming the second.
#[server(endpoint = "compare_cases")]
pub async fn compare_cases(
    family_id: String,
    #[server(default)] other: String,
) -> Result<MergeComparison, AppError> {
    pipeline::case(&family_id, Action::MergeCases)
        .read(AuditAction::MergeCompared, async |r| {
            mergeable(&r.case)?;
            // A record out of the caller's sight is answered as one that does not exist.
            let no_such = || AppError::invalid("other", FieldError::InvalidChoice);
            let found = families::by_id_or_number(r.conn(), other.trim()).await?;
            let second = found.ok_or_else(no_such)?;
            let resource = Resource::Case(CaseRef {
                country: second.country,
                province: &second.province,
            });
            r.caller
                .may(Action::MergeCases, resource)
                .map_err(|_| no_such())?;
            if second.family_id == family_id {
                return Err(no_such());
            }
            mergeable(&second)?;
            if second.status == shared::family::CaseStatus::Closed {
                return Err(AppError::CaseClosed);
            }
            r.audit_detail(second.family_id.clone());
            let a = record(r.conn(), &family_id).await?;
            let b = record(r.conn(), &second.family_id).await?;
            // The one registered first is proposed as the survivor.
            let (first, second) =
                match (&a.created_at, &a.case_number) <= (&b.created_at, &b.case_number) {
                    true => (a, b),
                    false => (b, a),
                };
            let keep = proposed_keep(&first, &second);
            Ok(MergeComparison {
                first,
                second,
                keep,
            })
        })
        .await
}

/// Merges `family_id` and `other_id` (each at the version the comparison showed): `survivor`
/// (one of the two ids) keeps its number; each part of the household (`area`, `address`,
/// `phone`, `return_details`, `caseworker`) takes the value of the record it names; `members`
/// are the people the survivor keeps, from either record.
#[server(endpoint = "merge_cases")]
pub async fn merge_cases(
    family_id: String,
    #[server(default)] other_id: String,
    version: i64,
    other_version: i64,
    #[server(default)] survivor: String,
    #[server(default)] area: String,
    #[server(default)] address: String,
    #[server(default)] phone: String,
    #[server(default)] return_details: String,
    #[server(default)] caseworker: String,
    #[server(default)] members: Vec<String>,
) -> Result<(), AppError> {
    let parts = [
        (MergePart::Area, area),
        (MergePart::Address, address),
        (MergePart::Phone, phone),
        (MergePart::Return, return_details),
        (MergePart::Caseworker, caseworker),
    ];
    let mut values: Vec<(String, String)> = parts
        .iter()
        .map(|(p, v)| (p.as_str().to_string(), v.clone()))
        .collect();
    values.push(("survivor".into(), survivor.clone()));
    let form = MergeForm {
        survivor,
        parts: parts
            .into_iter()
            .map(|(p, v)| (p.as_str().to_string(), v))
            .collect(),
        members,
    };
    let ids = [family_id.clone(), other_id.clone()];
    pipeline::cases(&ids, "other_id", Action::MergeCases)
        .form(Form::values(&values))
        .write(async |c| {
            if family_id.trim() == other_id.trim() {
                return Err(AppError::invalid("other_id", FieldError::InvalidChoice));
            }
            let a = pair_member(c, &family_id, Some(version))?;
            let b = pair_member(c, &other_id, Some(other_version))?;
            for case in [&a, &b] {
                mergeable(case)?;
                if families::merges::pending_request(c.conn(), &case.family_id).await? {
                    return Err(AppError::invalid("survivor", FieldError::PendingRequest));
                }
            }
            let side_a = side(c, &a.family_id).await?;
            let side_b = side(c, &b.family_id).await?;
            let plan = validate_merge(&form, &side_a, &side_b).map_err(AppError::Invalid)?;
            let (survivor, merged) = match plan.survivor == a.family_id {
                true => (a, b),
                false => (b, a),
            };
            let snapshot = record(c.conn(), &merged.family_id).await?;
            let (me, now) = (c.caller.actor.user_id.clone(), c.now());
            let statuses = (survivor.status, merged.status);
            let merge_id = merges::merge(c.conn(), &plan, statuses, &snapshot, &me, now).await?;
            let changes = vec![
                (
                    survivor.family_id.clone(),
                    Change::new(CaseEvent::CasesMerged)
                        .text(&merged.case_number)
                        .detail(format!("{merge_id} {}", merged.family_id)),
                ),
                (
                    merged.family_id.clone(),
                    Change::new(CaseEvent::MergedInto)
                        .text(&survivor.case_number)
                        .detail(format!("{merge_id} {}", survivor.family_id)),
                ),
            ];
            let recorded = c.record_each((), changes).await?;
            merges::mark_recorded(c.conn(), &merge_id).await?;
            Ok(recorded.then(format!("/cases/{}#merges", survivor.family_id)))
        })
        .await
}

/// Undoes the merge of `merged_id` into `family_id`, if nothing has been added to the
/// survivor since (else `Conflict`).
#[server(endpoint = "undo_merge")]
pub async fn undo_merge(
    family_id: String,
    #[server(default)] merged_id: String,
) -> Result<(), AppError> {
    let ids = [family_id.clone(), merged_id.clone()];
    pipeline::cases(&ids, "merged_id", Action::MergeCases)
        .write(async |c| {
            let survivor = pair_member(c, &family_id, None)?;
            let merged = pair_member(c, &merged_id, None)?;
            if merged.merged_into.as_deref() != Some(survivor.family_id.as_str()) {
                return Err(AppError::NotFound);
            }
            let merge = merges::of_merged(c.conn(), &merged.family_id)
                .await?
                .filter(|m| m.undoable)
                .ok_or(AppError::Conflict)?;
            let (me, now) = (c.caller.actor.user_id.clone(), c.now());
            if !merges::undo(c.conn(), &merge.case_merge_id, &me, now).await? {
                return Err(AppError::Conflict);
            }
            let changes = vec![
                (
                    survivor.family_id.clone(),
                    Change::new(CaseEvent::MergeUndone)
                        .text(&merged.case_number)
                        .detail(&merge.case_merge_id),
                ),
                (
                    merged.family_id.clone(),
                    Change::new(CaseEvent::MergeUndone)
                        .text(&survivor.case_number)
                        .detail(&merge.case_merge_id),
                ),
            ];
            Ok(c.record_each((), changes)
                .await?
                .then(format!("/cases/{}", survivor.family_id)))
        })
        .await
}

/// Sets aside a pair of the possible-duplicates queue: `family_id` and `other_id` are two
/// families. Recorded on both timelines.
#[server(endpoint = "dismiss_duplicate")]
pub async fn dismiss_duplicate(
    family_id: String,
    #[server(default)] other_id: String,
) -> Result<(), AppError> {
    let ids = [family_id.clone(), other_id.clone()];
    pipeline::cases(&ids, "other_id", Action::MergeCases)
        .write(async |c| {
            let a = pair_member(c, &family_id, None)?;
            let b = pair_member(c, &other_id, None)?;
            for case in [&a, &b] {
                mergeable(case)?;
            }
            let (me, now) = (c.caller.actor.user_id.clone(), c.now());
            let pair = (a.family_id.as_str(), b.family_id.as_str());
            if !duplicates::dismiss(c.conn(), pair, &me, now).await? {
                return Err(AppError::NotFound);
            }
            let changes = vec![
                (
                    a.family_id.clone(),
                    Change::new(CaseEvent::DuplicateDismissed).text(&b.case_number),
                ),
                (
                    b.family_id.clone(),
                    Change::new(CaseEvent::DuplicateDismissed).text(&a.case_number),
                ),
            ];
            Ok(c.record_each((), changes)
                .await?
                .then("/work?list=duplicates"))
        })
        .await
}

/// A record may take part in a merge while it is its own (not merged into another).
#[cfg(feature = "ssr")]
fn mergeable(case: &FamilyRef) -> Result<(), AppError> {
    match case.merged_into {
        Some(_) => Err(AppError::CaseMerged),
        None => Ok(()),
    }
}

/// One of the two cases the step locked, checked against the `version` the form showed, if
/// the step is one that shows versions (a merge; undoing and setting aside are checked by
/// what they find instead).
#[cfg(feature = "ssr")]
fn pair_member(
    c: &CasesTx<'_>,
    family_id: &str,
    version: Option<i64>,
) -> Result<FamilyRef, AppError> {
    let case = c
        .cases
        .iter()
        .find(|f| f.family_id == family_id.trim())
        .cloned()
        .ok_or(AppError::invalid("other_id", FieldError::InvalidChoice))?;
    // The step moved each version on by one.
    if version.is_some_and(|v| case.version != v + 1) {
        return Err(AppError::Conflict);
    }
    Ok(case)
}

/// The whole record, as its page shows it.
#[cfg(feature = "ssr")]
async fn record(conn: &mut sqlx::AnyConnection, family_id: &str) -> Result<FamilyView, AppError> {
    families::record::get(conn, family_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A record's people, as choosing which to keep needs them.
#[cfg(feature = "ssr")]
async fn side(c: &mut CasesTx<'_>, family_id: &str) -> Result<MergeSide, AppError> {
    let members = families::record::members(c.conn(), family_id).await?;
    Ok(MergeSide {
        family_id: family_id.to_string(),
        members: members
            .into_iter()
            .map(|m| (m.member_id, m.relationship, m.presence))
            .collect(),
    })
}

/// Everyone of `first`, and whoever of `second` the duplicate rules match with nobody of it.
#[cfg(feature = "ssr")]
fn proposed_keep(first: &FamilyView, second: &FamilyView) -> Vec<String> {
    let keys: Vec<PersonKey> = first.members.iter().map(person_key).collect();
    first
        .members
        .iter()
        .map(|m| m.member_id.clone())
        .chain(
            second
                .members
                .iter()
                .filter(|m| {
                    let k = person_key(m);
                    !keys.iter().any(|f| duplicate_reason(&k, f).is_some())
                })
                .map(|m| m.member_id.clone()),
        )
        .collect()
}

#[cfg(feature = "ssr")]
fn person_key(m: &MemberView) -> PersonKey {
    PersonKey {
        name_local: m.name_local.clone(),
        name_latin: m.name_latin.clone(),
        father_name: m.father_name.clone(),
        birth_year: Some(m.birth_year as i32),
        documents: m.documents.iter().map(|(_, n)| n.clone()).collect(),
    }
}
