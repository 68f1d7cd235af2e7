//! Reintegration assessments (answers scored with the instrument of `shared::assessment`) and
//! the plan their needs become. Texts of the instrument come localized in the caller's
//! language (`locale`, as the page shows it).

use crate::error::AppError;
use crate::model::assessments::{AssessmentFormView, AssessmentResult, Progress};
#[cfg(feature = "ssr")]
use crate::model::assessments::{AssessmentRow, NeedView, PlanItemView, QuestionView};
use leptos::prelude::*;
use shared::assessment::Answers;
#[cfg(feature = "ssr")]
use shared::assessment::Dimension;
use shared::plan::PlanItemForm;

#[cfg(feature = "ssr")]
use crate::api::families::{calendar_of, case_for};
#[cfg(feature = "ssr")]
use crate::backend::{
    audit, auth, respond,
    store::assessments as store,
    store::families::{self as families, EventDetail},
};
#[cfg(feature = "ssr")]
use shared::assessment::{self, localized, Instrument};
#[cfg(feature = "ssr")]
use shared::policy::Action;
#[cfg(feature = "ssr")]
use shared::{FieldError, FieldErrors};

/// The short name of an indicator (a need), from the instrument that knows it.
#[cfg(feature = "ssr")]
pub(crate) fn need_label(instrument: &Instrument, need: &str, locale: &str) -> String {
    instrument
        .indicators
        .iter()
        .find(|i| i.code == need)
        .map(|i| localized(&i.label, locale).to_string())
        .unwrap_or_else(|| need.to_string())
}

#[cfg(feature = "ssr")]
fn row(a: store::Stored) -> AssessmentRow {
    AssessmentRow {
        assessment_id: a.assessment_id,
        assessed_on: a.assessed_on,
        member_name: a.member_name,
        instrument_version: a.instrument_version,
        scores: a.scores,
        assessed_by: a.created_by_name,
    }
}

/// The assessment form of a case: its members and the current instrument's questions.
#[server(endpoint = "assessment_form")]
pub async fn assessment_form(
    family_id: String,
    locale: String,
) -> Result<AssessmentFormView, AppError> {
    let caller = auth::authenticate().await?;
    let mut conn = caller.state.db.pool.acquire().await?;
    let f = case_for(&caller, &mut conn, &family_id, Action::Assess).await?;
    let members = families::get(&mut conn, &family_id)
        .await?
        .ok_or(AppError::NotFound)?
        .members
        .into_iter()
        .map(|m| {
            let name = m.name_local.or(m.name_latin).unwrap_or_default();
            (m.member_id, name)
        })
        .collect();
    let instrument = assessment::current();
    let dimensions = Dimension::ALL
        .iter()
        .map(|d| {
            let questions = instrument
                .indicators
                .iter()
                .filter(|i| i.dimension == *d)
                .map(|i| QuestionView {
                    code: i.code.clone(),
                    question: localized(&i.question, &locale).to_string(),
                    options: i
                        .options
                        .iter()
                        .map(|o| (o.code.clone(), localized(&o.label, &locale).to_string()))
                        .collect(),
                })
                .collect();
            (*d, questions)
        })
        .collect();
    Ok(AssessmentFormView {
        family_id: f.family_id,
        case_number: f.case_number,
        members,
        instrument_version: instrument.version,
        instrument_name: localized(&instrument.name, &locale).to_string(),
        today: caller.now.date_naive().to_string(),
        dimensions,
    })
}

/// Records an assessment taken today or earlier (`assessed_on`, in the form's calendar), of
/// the whole family or of one member. Scores it with the current instrument, stores answers
/// and scores with the instrument's version, proposes plan items for the needs it reveals, and
/// moves a newly registered case to `assessed` (proposing its monitoring schedule). Taken at a
/// follow-up (`follow_up_id`), it records that follow-up as done. Answers the assessment's id.
#[server(endpoint = "record_assessment")]
pub async fn record_assessment(
    family_id: String,
    #[server(default)] member_id: String,
    #[server(default)] follow_up_id: String,
    #[server(default)] assessed_on: String,
    #[server(default)] calendar: String,
    #[server(default)] answers: Answers,
) -> Result<String, AppError> {
    let mut values: Vec<(String, String)> = answers
        .iter()
        .map(|(k, v)| (assessment::answer_key(k), v.clone()))
        .collect();
    values.push(("assessed_on".into(), assessed_on.clone()));
    values.push(("member_id".into(), member_id.clone()));
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        let f = case_for(&caller, &mut tx, &family_id, Action::Assess).await?;
        let instrument = assessment::current();
        let today = caller.now.date_naive();
        let (kept, mut errors) = match assessment::validate(instrument, &answers) {
            Ok(kept) => (kept, FieldErrors::new()),
            Err(e) => (Answers::new(), e),
        };
        let date = errors.take(
            "assessed_on",
            match assessed_on.trim() {
                "" => Err(FieldError::Required),
                t => shared::calendar::parse_input(t, calendar_of(&calendar)).and_then(|d| {
                    if d > today {
                        Err(FieldError::DateInFuture)
                    } else {
                        Ok(d)
                    }
                }),
            },
        );
        let member = member_id.trim();
        if !member.is_empty() && !families::member_exists(&mut tx, &family_id, member).await? {
            errors.add("member_id", FieldError::InvalidChoice);
        }
        let (Some(date), true) = (date, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let outcome = assessment::score(instrument, &kept);
        let new = store::NewAssessment {
            family_id: &family_id,
            member_id: Some(member).filter(|m| !m.is_empty()),
            instrument_version: instrument.version,
            assessed_on: date,
            scores: outcome.scores,
            answers: &kept,
        };
        let id = store::insert(&mut tx, &new, &caller.actor.user_id, caller.now).await?;
        store::propose_plan(&mut tx, &family_id, &id, &outcome.needs, date, caller.now).await?;
        if store::mark_assessed(&mut tx, &family_id).await? {
            crate::api::follow_ups::propose_schedule(&mut tx, &caller, &family_id).await?;
        }
        if !follow_up_id.is_empty() {
            let fu = crate::backend::store::follow_ups::get(&mut tx, &family_id, &follow_up_id)
                .await?
                .ok_or(AppError::NotFound)?;
            crate::api::follow_ups::recorded(
                &mut tx,
                &caller,
                &family_id,
                &follow_up_id,
                fu.version,
                shared::follow_up::FollowUpStatus::Done,
                None,
                Some(&id),
                date,
            )
            .await?;
        }
        let detail = EventDetail {
            text: outcome.scores.composite.map(|c| format!("{c:.2}")),
            ..Default::default()
        };
        families::record_event(
            &mut tx,
            &family_id,
            caller.now,
            Some(&caller.actor.user_id),
            "assessed",
            &detail,
            f.version,
        )
        .await?;
        let mut entry = caller.entry("assessment_recorded", Some("family"), Some(&family_id));
        entry.detail = Some(&id);
        audit::record(&mut tx, caller.now, entry).await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/cases/{family_id}/assessments/{id}"));
        Ok(id)
    }
    .await;
    let refs: Vec<(&str, &str)> = values
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    respond::finish("record_assessment", &refs, result).await
}

/// One assessment of a case, with its answers and the needs it revealed, in the words of the
/// instrument version it was taken with.
#[server(endpoint = "get_assessment")]
pub async fn get_assessment(
    family_id: String,
    assessment_id: String,
    locale: String,
) -> Result<AssessmentResult, AppError> {
    let caller = auth::authenticate().await?;
    let mut conn = caller.state.db.pool.acquire().await?;
    let f = case_for(&caller, &mut conn, &family_id, Action::ViewCase).await?;
    let a = store::get(&mut conn, &family_id, &assessment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let instrument = assessment::instrument(a.instrument_version).ok_or(AppError::Internal)?;
    let needs = assessment::score(instrument, &a.answers)
        .needs
        .into_iter()
        .map(|n| NeedView {
            label: need_label(instrument, &n.indicator, &locale),
            need: n.indicator,
            service: n.service,
        })
        .collect();
    let answers = instrument
        .indicators
        .iter()
        .filter_map(|i| {
            let chosen = a.answers.get(&i.code)?;
            let option = i.options.iter().find(|o| o.code == *chosen)?;
            Some((
                i.dimension,
                localized(&i.question, &locale).to_string(),
                localized(&option.label, &locale).to_string(),
            ))
        })
        .collect();
    Ok(AssessmentResult {
        family_id: f.family_id,
        case_number: f.case_number,
        row: row(a),
        needs,
        answers,
    })
}

/// The family's assessments (oldest first) and its plan.
#[server(endpoint = "case_progress")]
pub async fn case_progress(family_id: String, locale: String) -> Result<Progress, AppError> {
    let caller = auth::authenticate().await?;
    let mut conn = caller.state.db.pool.acquire().await?;
    let f = case_for(&caller, &mut conn, &family_id, Action::ViewCase).await?;
    let assessments = store::list(&mut conn, &family_id)
        .await?
        .into_iter()
        .map(row)
        .collect();
    let instrument = assessment::current();
    let plan = store::plan(&mut conn, &family_id)
        .await?
        .into_iter()
        .map(|p| PlanItemView {
            need_label: need_label(instrument, &p.need, &locale),
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
        family_id: f.family_id,
        case_number: f.case_number,
        assessments,
        plan,
    })
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
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        let f = case_for(&caller, &mut tx, &family_id, Action::ManagePlan).await?;
        let changes = shared::plan::validate_plan(&items, calendar_of(&calendar))
            .map_err(AppError::Invalid)?;
        for change in &changes {
            let saved = store::update_plan_item(
                &mut tx,
                &family_id,
                change,
                &caller.actor.user_id,
                caller.now,
            )
            .await?;
            if !saved {
                return Err(AppError::Conflict);
            }
        }
        families::record_event(
            &mut tx,
            &family_id,
            caller.now,
            Some(&caller.actor.user_id),
            "plan_updated",
            &EventDetail::default(),
            f.version,
        )
        .await?;
        audit::record(
            &mut tx,
            caller.now,
            caller.entry("plan_updated", Some("family"), Some(&family_id)),
        )
        .await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/cases/{family_id}"));
        Ok(())
    }
    .await;
    let refs: Vec<(&str, &str)> = values
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    respond::finish("save_plan", &refs, result).await
}
