//! A supervisor's team: each caseworker's caseload, and a selection of cases handed to another
//! caseworker in one step (with their scheduled follow-ups).

use crate::error::AppError;
use crate::model::team::Caseload;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::api::follow_ups::today_of,
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::store::{families, team},
    crate::components::layout::encode_query_value,
    shared::audit::AuditAction,
    shared::policy::{case_scope, Action},
    shared::timeline::CaseEvent,
    shared::FieldError,
};

/// The caseload of each caseworker of the supervisor's ministry over the cases of their
/// country, and of the open cases assigned to nobody. Audited (it names staff and counts).
#[server(endpoint = "team_caseload")]
pub async fn team_caseload() -> Result<Vec<Caseload>, AppError> {
    pipeline::system(Action::ViewTeamWorkload)
        .read(Some(AuditAction::TeamViewed), async |r| {
            let scope = case_scope(&r.caller.actor);
            let org = r.caller.actor.organisation_id.clone();
            let today = today_of(r.caller);
            Ok(team::caseloads(r.conn(), &scope, &org, today).await?)
        })
        .await
}

/// Reassigns the cases `family_ids` (each open, in the supervisor's sight) with their scheduled
/// follow-ups to `user_id`, an active caseworker of the ministry who works in the province of
/// every one of them: all of them, or none. `from` is the caseload the form was on (where a
/// plain form returns). Answers how many cases moved.
#[server(endpoint = "reassign_cases")]
pub async fn reassign_cases(
    #[server(default)] family_ids: Vec<String>,
    #[server(default)] user_id: String,
    #[server(default)] from: String,
) -> Result<usize, AppError> {
    pipeline::cases(&family_ids, "family_ids", Action::AssignCase)
        .form(Form::values(&[("user_id", &user_id)]))
        .write(async |c| {
            let org = c.caller.actor.organisation_id.clone();
            let provinces: Vec<String> = c.cases.iter().map(|f| f.province.clone()).collect();
            let name = successor(c.conn(), &org, &user_id, &provinces, "user_id").await?;
            let ids: Vec<String> = c.cases.iter().map(|f| f.family_id.clone()).collect();
            for id in &ids {
                families::assign(c.conn(), id, Some(&user_id)).await?;
            }
            let change = Change::new(CaseEvent::Assigned).text(name).detail(&user_id);
            let back = format!("/team?caseworker={}", encode_query_value(from.trim()));
            Ok(c.record(ids.len(), change).await?.then(back))
        })
        .await
}

/// The name of `user_id` if cases in `provinces` may be handed to them: an active caseworker
/// of `organisation_id` working in every one of the provinces. Else the error of the form's
/// field `field`.
#[cfg(feature = "ssr")]
pub(crate) async fn successor(
    conn: &mut sqlx::AnyConnection,
    organisation_id: &str,
    user_id: &str,
    provinces: &[String],
    field: &str,
) -> Result<String, AppError> {
    let find = |people: Vec<(String, String)>| {
        people
            .into_iter()
            .find(|(id, _)| id == user_id)
            .map(|(_, name)| name)
    };
    if let Some(name) = find(team::caseworkers_covering(conn, organisation_id, provinces).await?) {
        return Ok(name);
    }
    let error = match find(team::caseworkers_covering(conn, organisation_id, &[]).await?) {
        Some(_) => FieldError::NotInCaseAreas,
        None => FieldError::InvalidChoice,
    };
    Err(AppError::invalid(field, error))
}
