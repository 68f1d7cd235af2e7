//! Assessments, scores over time and the plan, as the pages and their server functions exchange them.

use serde::{Deserialize, Serialize};
use shared::assessment::{Dimension, Scores};
use shared::plan::PlanStatus;
use shared::service::ServiceCategory;

/// One question of the form, in the caller's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionView {
    pub code: String,
    pub question: String,
    /// (option code, label)
    pub options: Vec<(String, String)>,
}

/// What the assessment form needs: the case, its members, the current instrument.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssessmentFormView {
    pub family_id: String,
    pub case_number: String,
    /// (member id, name)
    pub members: Vec<(String, String)>,
    pub instrument_version: u32,
    pub instrument_name: String,
    /// The server's date (ISO): the form's default date of assessment.
    pub today: String,
    pub dimensions: Vec<(Dimension, Vec<QuestionView>)>,
}

/// One assessment in the family's history (the chart's points, the table's rows).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssessmentRow {
    pub assessment_id: String,
    pub assessed_on: String,
    pub member_name: Option<String>,
    pub instrument_version: u32,
    pub scores: Scores,
    pub assessed_by: Option<String>,
}

/// A need an assessment revealed, in the caller's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedView {
    pub need: String,
    pub label: String,
    pub service: ServiceCategory,
}

/// One assessment with its answers, as the result page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssessmentResult {
    pub family_id: String,
    pub case_number: String,
    pub row: AssessmentRow,
    pub needs: Vec<NeedView>,
    /// (dimension, question, answer) for every question answered.
    pub answers: Vec<(Dimension, String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanItemView {
    pub plan_item_id: String,
    pub need: String,
    pub need_label: String,
    pub service: ServiceCategory,
    pub action: Option<String>,
    pub target_date: Option<String>,
    pub status: PlanStatus,
    pub version: i64,
}

/// The family's assessments over time and its plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub family_id: String,
    pub case_number: String,
    pub assessments: Vec<AssessmentRow>,
    pub plan: Vec<PlanItemView>,
}
