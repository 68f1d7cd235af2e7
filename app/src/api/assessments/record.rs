//! Taking an assessment, and reading one back with its answers.

use crate::error::AppError;
use crate::model::assessments::{AssessmentFormView, AssessmentResult};
use leptos::prelude::*;
use shared::assessment::Answers;

#[cfg(feature = "ssr")]
use {
    super::row,
    crate::api::follow_ups::{propose_schedule, record_outcome},
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::store::{assessments as store, families, follow_ups},
    crate::model::assessments::{NeedView, QuestionView},
    shared::assessment::{self, localized, Dimension},
    shared::audit::AuditAction,
    shared::calendar::Calendar,
    shared::family::status::Step,
    shared::follow_up::FollowUpStatus,
    shared::policy::Action,
    shared::timeline::CaseEvent,
    shared::{FieldError, FieldErrors},
};

/// The assessment form of a case: its members and the current instrument's questions.
#[server(endpoint = "assessment_form")]
pub async fn assessment_form(
    family_id: String,
    locale: String,
) -> Result<AssessmentFormView, AppError> {
    pipeline::case(&family_id, Action::Assess)
        .read(AuditAction::AssessmentFormOpened, async |r| {
            let members = families::record::members(r.conn(), &family_id)
                .await?
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
                family_id: r.case.family_id.clone(),
                case_number: r.case.case_number.clone(),
                members,
                instrument_version: instrument.version,
                instrument_name: localized(&instrument.name, &locale).to_string(),
                today: r.caller.now.date_naive().to_string(),
                dimensions,
            })
        })
        .await
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
    pipeline::case(&family_id, Action::Assess)
        .form(Form::values(&values))
        .write(async |c| {
            let instrument = assessment::current();
            let today = c.now().date_naive();
            let (kept, mut errors) = match assessment::validate(instrument, &answers) {
                Ok(kept) => (kept, FieldErrors::new()),
                Err(e) => (Answers::new(), e),
            };
            let date = errors.take(
                "assessed_on",
                match assessed_on.trim() {
                    "" => Err(FieldError::Required),
                    t => shared::calendar::parse_input(t, Calendar::from_code(&calendar)).and_then(
                        |d| {
                            if d > today {
                                Err(FieldError::DateInFuture)
                            } else {
                                Ok(d)
                            }
                        },
                    ),
                },
            );
            let member = member_id.trim();
            if !member.is_empty()
                && !families::members::member_exists(c.conn(), &family_id, member).await?
            {
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
            let (user, now) = (c.caller.actor.user_id.clone(), c.now());
            // The first assessment proposes the follow-up schedule.
            let first = !families::history(c.conn(), &family_id).await?.0;
            let id = store::insert(c.conn(), &new, &user, now).await?;
            store::propose_plan(c.conn(), &family_id, &id, &outcome.needs, date, now).await?;
            c.advance(Step::Assessed).await?;
            if first {
                let return_date = families::record::get(c.conn(), &family_id)
                    .await?
                    .ok_or(AppError::NotFound)?
                    .return_date;
                propose_schedule(c, &return_date).await?;
            }
            if !follow_up_id.is_empty() {
                let fu = follow_ups::get(c.conn(), &family_id, &follow_up_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let done = FollowUpStatus::Done;
                let change =
                    record_outcome(c, &follow_up_id, fu.version, done, None, Some(&id), date)
                        .await?;
                c.also(change).await?;
            }
            let change = Change::new(CaseEvent::Assessed)
                .maybe_text(outcome.scores.composite.map(|s| format!("{s:.2}")))
                .detail(&id);
            let then = format!("/cases/{family_id}/assessments/{id}");
            Ok(c.record(id, change).await?.then(then))
        })
        .await
}

/// One assessment of a case, with its answers and the needs it revealed, in the words of the
/// instrument version it was taken with. Audited: the answers include psychosocial ones.
#[server(endpoint = "get_assessment")]
pub async fn get_assessment(
    family_id: String,
    assessment_id: String,
    locale: String,
) -> Result<AssessmentResult, AppError> {
    pipeline::case(&family_id, Action::ViewCase)
        .read(AuditAction::AssessmentViewed, async |r| {
            let a = store::get(r.conn(), &family_id, &assessment_id)
                .await?
                .ok_or(AppError::NotFound)?;
            r.audit_detail(&assessment_id);
            let instrument =
                assessment::instrument(a.instrument_version).ok_or(AppError::Internal)?;
            let needs = assessment::score(instrument, &a.answers)
                .needs
                .into_iter()
                .map(|n| NeedView {
                    label: instrument.need_label(&n.indicator, &locale),
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
                family_id: r.case.family_id.clone(),
                case_number: r.case.case_number.clone(),
                row: row(a),
                needs,
                answers,
            })
        })
        .await
}
