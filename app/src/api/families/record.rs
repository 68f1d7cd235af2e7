//! The whole case record, and who it is assigned to.

use crate::error::AppError;
use crate::model::families::{Caseworker, FamilyView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::store::families,
    shared::audit::AuditAction,
    shared::policy::Action,
    shared::timeline::CaseEvent,
    shared::FieldError,
};

/// The whole case record. Every read is audited.
#[server(endpoint = "get_case")]
pub async fn get_case(family_id: String) -> Result<FamilyView, AppError> {
    pipeline::case(&family_id, Action::ViewCase)
        .read(AuditAction::CaseViewed, async |r| {
            let mut view = families::record::get(r.conn(), &family_id)
                .await?
                .ok_or(AppError::NotFound)?;
            if view.merged_into.is_none() {
                let merges = families::merges::into_survivor(r.conn(), &family_id).await?;
                view.merges = merges.into_iter().map(Into::into).collect();
                return Ok(view);
            }
            // A merged-away record is shown as it was when merged (unless anonymisation has
            // cleared that copy since), with what happened to it after.
            let Some(merge) = families::merges::of_merged(r.conn(), &family_id).await? else {
                return Ok(view);
            };
            // Its own timeline moved to the survivor: the events it holds now all came after
            // the copy. A copy that no longer reads (its shape changed since) gives way to the
            // record as it stands.
            let then = merge
                .snapshot
                .as_deref()
                .and_then(|s| serde_json::from_str::<FamilyView>(s).ok())
                .filter(|then| then.family_id == view.family_id);
            let mut shown = match then {
                Some(mut then) => {
                    then.events.splice(0..0, view.events.iter().cloned());
                    then
                }
                None => view.clone(),
            };
            shown.status = view.status;
            shown.merged_into = view.merged_into;
            shown.merged = Some(merge.into());
            shown.merges = Vec::new();
            Ok(shown)
        })
        .await
}

/// Caseworkers a case may be assigned to: the supervisor's ministry, working in its province.
#[server(endpoint = "list_assignable")]
pub async fn list_assignable(family_id: String) -> Result<Vec<Caseworker>, AppError> {
    pipeline::case(&family_id, Action::AssignCase)
        .read(AuditAction::AssignableListed, async |r| {
            let (org, province) = (
                r.caller.actor.organisation_id.clone(),
                r.case.province.clone(),
            );
            Ok(families::assignable_caseworkers(r.conn(), &org, &province)
                .await?
                .into_iter()
                .map(|(user_id, name)| Caseworker { user_id, name })
                .collect())
        })
        .await
}

/// Assigns (or reassigns) a case, with its scheduled follow-ups, to a caseworker of the same
/// ministry working in its province, if nobody changed the case since `version`.
#[server(endpoint = "assign_case")]
pub async fn assign_case(family_id: String, version: i64, user_id: String) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::AssignCase)
        .version(version)
        .form(Form::new())
        .write(async |c| {
            let (org, province) = (
                c.caller.actor.organisation_id.clone(),
                c.case.province.clone(),
            );
            let allowed = families::assignable_caseworkers(c.conn(), &org, &province)
                .await?
                .into_iter()
                .find(|(id, _)| *id == user_id);
            let Some((_, name)) = allowed else {
                return Err(AppError::invalid("user_id", FieldError::InvalidChoice));
            };
            families::assign(c.conn(), &family_id, Some(&user_id)).await?;
            let change = Change::new(CaseEvent::Assigned).text(name).detail(&user_id);
            c.record((), change).await
        })
        .await
}
