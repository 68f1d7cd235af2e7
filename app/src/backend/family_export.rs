//! `GET /cases/{id}/export.json`: everything held about one family as a JSON file, for the
//! family who asked for it. Supervisors of the case's country only, through the case
//! pipeline, audited as an export; a plain route because a download is a link, not a form.

use super::exports::{download, error_response};
use super::pipeline;
use super::pipeline::CaseRead;
use super::state::AppState;
use super::store::retention;
use crate::error::AppError;
use crate::model::retention::FamilyRecord;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::response::Response;
use serde_json::{Map, Value};
use shared::audit::AuditAction;
use shared::policy::Action;

pub async fn json(
    State(state): State<AppState>,
    Path(family_id): Path<String>,
    parts: Parts,
) -> Response {
    let record = pipeline::case(&family_id, Action::ExportFamily)
        .route(&state, &parts)
        .read(AuditAction::FamilyExported, async |r| {
            r.audit_detail("json");
            record_of(r).await
        })
        .await;
    match record {
        Ok(record) => {
            let name = format!("homeward-{}.json", record.case_number);
            let body = serde_json::to_vec_pretty(&document(&record)).unwrap_or_default();
            download("application/json", &name, body)
        }
        Err(e) => error_response(e),
    }
}

/// The family's record, read in the export's request (the summary's or the download's).
pub async fn record_of(r: &mut CaseRead<'_>) -> Result<FamilyRecord, AppError> {
    let family_id = r.case.family_id.clone();
    let tables = retention::family_rows(r.conn(), &family_id).await?;
    Ok(FamilyRecord {
        family_id,
        case_number: r.case.case_number.clone(),
        exported_at: super::clock::timestamp(r.caller.now),
        exported_by: r.caller.display_name.clone(),
        tables,
    })
}

/// The file: who exported it and when, then each table's rows as objects named by column.
pub fn document(record: &FamilyRecord) -> Value {
    let tables: Map<String, Value> = record
        .tables
        .iter()
        .map(|t| {
            let rows = t
                .rows
                .iter()
                .map(|row| {
                    let object: Map<String, Value> = t
                        .columns
                        .iter()
                        .zip(row)
                        .map(|(c, v)| (c.clone(), serde_json::to_value(v).unwrap_or_default()))
                        .collect();
                    Value::Object(object)
                })
                .collect();
            (t.table.clone(), Value::Array(rows))
        })
        .collect();
    serde_json::json!({
        "family_id": record.family_id,
        "case_number": record.case_number,
        "exported_at": record.exported_at,
        "exported_by": record.exported_by,
        "tables": tables,
    })
}
