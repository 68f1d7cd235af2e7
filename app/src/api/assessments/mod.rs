//! Reintegration assessments (answers scored with the instrument of `shared::assessment`) and
//! the plan their needs become. Texts of the instrument come localized in the caller's
//! language (`locale`, as the page shows it).

mod plan;
mod record;

pub use plan::{case_progress, save_plan, CaseProgress, SavePlan};
pub use record::{
    assessment_form, get_assessment, record_assessment, AssessmentForm, GetAssessment,
    RecordAssessment,
};

#[cfg(feature = "ssr")]
use {crate::backend::store::assessments::Stored, crate::model::assessments::AssessmentRow};

#[cfg(feature = "ssr")]
fn row(a: Stored) -> AssessmentRow {
    AssessmentRow {
        assessment_id: a.assessment_id,
        assessed_on: a.assessed_on,
        member_name: a.member_name,
        instrument_version: a.instrument_version,
        scores: a.scores,
        assessed_by: a.created_by_name,
    }
}
