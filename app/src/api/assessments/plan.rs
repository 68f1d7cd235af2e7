//! The family's progress over time and its reintegration plan.

use crate::error::AppError;
use crate::model::assessments::Progress;
use leptos::prelude::*;
use shared::plan::PlanItemForm;

#[cfg(feature = "ssr")]
use {
    super::row,
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::store::assessments as store,
    crate::model::assessments::PlanItemView,
    shared::audit::AuditAction,
    shared::calendar::Calendar,
    shared::family::status::Step,
    shared::policy::Action,
    shared::timeline::CaseEvent,
};

/// The family's assessments (oldest first) and its plan.
#[server(endpoint = "case_progress")]
pub async fn case_progress(family_id: String, locale: String) -> Result<Progress, AppError> {
    pipeline::case(&family_id, Action::ViewCase)
        .read(AuditAction::ProgressViewed, async |r| {
            let assessments = store::list(r.conn(), &family_id)
                .await?
                .into_iter()
                .map(row)
                .collect();
            let instrument = shared::assessment::current();
            let plan = store::plan(r.conn(), &family_id)
                .await?
                .into_iter()
                .map(|p| PlanItemView {
                    need_label: instrument.need_label(&p.need, &locale),
                    plan_item_id: p.plan_item_id,
                    need: p.need,
                    service: p.service,
                    action: p.action,
                    target_date: p.target_date,
                    status: p.status,
                    version: p.version,
                })
                .collect();
            Ok(Progress {
                family_id: r.case.family_id.clone(),
                case_number: r.case.case_number.clone(),
                assessments,
                plan,
            })
        })
        .await
}

/// Saves the plan form: every item at once, or none (a conflict on any item — someone saved
/// it since the form was opened — saves nothing).
#[server(endpoint = "save_plan")]
pub async fn save_plan(
    family_id: String,
    #[server(default)] items: Vec<PlanItemForm>,
    #[server(default)] calendar: String,
) -> Result<(), AppError> {
    let mut values = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let key = |f: &str| shared::plan::item_key(i, f);
        values.push((key("action"), item.action.clone()));
        values.push((key("service"), item.service.clone()));
        values.push((key("target_date"), item.target_date.clone()));
        values.push((key("status"), item.status.clone()));
    }
    pipeline::case(&family_id, Action::ManagePlan)
        .form(Form::values(&values))
        .write(async |c| {
            let changes = shared::plan::validate_plan(&items, Calendar::from_code(&calendar))
                .map_err(AppError::Invalid)?;
            let (user, now) = (c.caller.actor.user_id.clone(), c.now());
            for change in &changes {
                if !store::update_plan_item(c.conn(), &family_id, change, &user, now).await? {
                    return Err(AppError::Conflict);
                }
            }
            if changes.iter().any(|change| change.status.is_confirmed()) {
                c.advance(Step::WorkStarted).await?;
            }
            Ok(c.record((), Change::new(CaseEvent::PlanUpdated))
                .await?
                .then(format!("/cases/{family_id}")))
        })
        .await
}
