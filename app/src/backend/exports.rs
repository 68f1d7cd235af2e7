//! Downloads of the programme indicators: one table as CSV, or tables as an Excel workbook
//! (one sheet each), with the filters applied, the time of extraction and the note on how
//! counts are protected written above the figures, in the reader's language. The same
//! aggregates as the page, small-count rule and rounding included: nothing here can carry
//! more than the page shows. Every download is audited.

use super::emails::locale_for;
use super::overview::overview_for;
use super::pipeline;
use super::state::AppState;
use crate::components::indicators::{cell_text, row_label};
use crate::components::messages::{column_label, country_label, location_name, table_title};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::overview::Overview;
use axum::extract::{Query, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;
use shared::audit::AuditAction;
use shared::digits::DigitStyle;
use shared::overview::{Cell, Table, TableId};
use shared::policy::Action;

#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    pub table: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub year: String,
}

/// `GET /overview/export.csv?table=…&country=…&province=…&year=…`
pub async fn csv(
    State(state): State<AppState>,
    parts: Parts,
    Query(q): Query<ExportQuery>,
) -> Response {
    let result = async {
        let id = TableId::parse(&q.table).ok_or(AppError::NotFound)?;
        let (overview, locale) = prepare(&state, &parts, &q, "csv").await?;
        let table = overview
            .tables
            .iter()
            .find(|t| t.id == id)
            .ok_or(AppError::NotFound)?;
        let body = csv_text(locale, &overview, table);
        Ok::<_, AppError>(download(
            "text/csv; charset=utf-8",
            &file_name(&overview, Some(id), "csv"),
            body.into_bytes(),
        ))
    };
    result.await.unwrap_or_else(error_response)
}

/// `GET /overview/export.xlsx?[table=…&]country=…&province=…&year=…`: one table, or all.
pub async fn xlsx(
    State(state): State<AppState>,
    parts: Parts,
    Query(q): Query<ExportQuery>,
) -> Response {
    let result = async {
        let only = match q.table.as_str() {
            "" => None,
            t => Some(TableId::parse(t).ok_or(AppError::NotFound)?),
        };
        let (overview, locale) = prepare(&state, &parts, &q, "xlsx").await?;
        let tables: Vec<&Table> = overview
            .tables
            .iter()
            .filter(|t| only.is_none_or(|id| t.id == id))
            .collect();
        let bytes = workbook(locale, &overview, &tables).map_err(|e| {
            tracing::error!(error = %e, "could not write the workbook");
            AppError::Internal
        })?;
        Ok::<_, AppError>(download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &file_name(&overview, only, "xlsx"),
            bytes,
        ))
    };
    result.await.unwrap_or_else(error_response)
}

/// Who asks, may they export, the figures, and their language; the download is audited.
async fn prepare(
    state: &AppState,
    parts: &Parts,
    q: &ExportQuery,
    format: &str,
) -> Result<(Overview, Locale), AppError> {
    pipeline::system(Action::ExportIndicators)
        .route(state, parts)
        .read(Some(AuditAction::ExportIndicators), async |r| {
            let overview = overview_for(r.caller, &q.country, &q.province, &q.year).await?;
            let table = if q.table.is_empty() {
                "all"
            } else {
                q.table.as_str()
            };
            let detail = format!("{format} {table} {}", overview.filter.query());
            r.audit_detail(detail.trim());
            let locale = locale_for(Some(&r.caller.language), r.caller.actor.country);
            Ok((overview, locale))
        })
        .await
}

/// The lines above the figures: title, time of extraction, filters, and how counts are
/// protected (under five hidden, the others rounded: the page's note).
fn heading(locale: Locale, overview: &Overview, title: &str) -> [String; 4] {
    let mut filters = Vec::new();
    if let Some(c) = overview.filter.country {
        filters.push(format!(
            "{}: {}",
            td_string!(locale, overview.country),
            country_label(locale, Some(c))
        ));
    }
    if let Some(p) = &overview.filter.province {
        filters.push(format!(
            "{}: {}",
            td_string!(locale, overview.province),
            location_name(locale, p)
        ));
    }
    if let Some(y) = overview.filter.year {
        filters.push(format!("{}: {y}", td_string!(locale, overview.year)));
    }
    let filters = if filters.is_empty() {
        td_string!(locale, overview.no_filter).to_string()
    } else {
        filters.join(" · ")
    };
    [
        title.to_string(),
        td_string!(locale, overview.extracted, time = overview.as_of.as_str()).to_string(),
        td_string!(locale, overview.filters_applied, filters = filters.as_str()).to_string(),
        td_string!(locale, overview.rounding_note).to_string(),
    ]
}

/// A CSV file (RFC 4180, with a byte-order mark so spreadsheet programs read it as UTF-8).
fn csv_text(locale: Locale, overview: &Overview, table: &Table) -> String {
    let field = csv_field;
    let mut lines: Vec<String> = heading(locale, overview, table_title(locale, table.id))
        .iter()
        .map(|l| field(l))
        .collect();
    lines.push(String::new());
    let mut header = vec![String::new()];
    header.extend(
        table
            .columns
            .iter()
            .map(|c| field(column_label(locale, *c))),
    );
    lines.push(header.join(","));
    for row in &table.rows {
        let mut cells = vec![field(&row_label(
            locale,
            table.id,
            &row.label,
            DigitStyle::Western,
        ))];
        cells.extend(
            row.cells
                .iter()
                .map(|c| field(&cell_text(*c, DigitStyle::Western))),
        );
        lines.push(cells.join(","));
    }
    format!("\u{feff}{}\r\n", lines.join("\r\n"))
}

/// One CSV field: quoted when it must be (RFC 4180), and a text that a spreadsheet would
/// take for a formula (`=`, `+`, `-`, `@`, tab, carriage return first: an organisation's name
/// typed by someone) starts with an apostrophe, so it stays text (OWASP's CSV injection
/// advice).
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// An Excel workbook: one sheet per table, numbers as numbers (rates as percentages),
/// hidden counts as the text "<5"; right-to-left sheets for right-to-left languages.
fn workbook(locale: Locale, overview: &Overview, tables: &[&Table]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let percent = Format::new().set_num_format("0%");
    let decimals = Format::new().set_num_format("0.00");
    let signed = Format::new().set_num_format("+0.00;-0.00;0.00");
    let days = Format::new().set_num_format("0.0");
    let rtl = locale != Locale::en;
    for table in tables {
        let sheet = book.add_worksheet();
        // Sheet names: at most 31 characters, unique; the table's code is both.
        sheet.set_name(table.id.as_str())?;
        sheet.set_right_to_left(rtl);
        let [t, extracted, filters, note] =
            heading(locale, overview, table_title(locale, table.id));
        sheet.write_string_with_format(0, 0, &t, &title)?;
        sheet.write_string(1, 0, &extracted)?;
        sheet.write_string(2, 0, &filters)?;
        sheet.write_string(3, 0, &note)?;
        let top = 4;
        for (c, col) in table.columns.iter().enumerate() {
            sheet.write_string_with_format(top, c as u16 + 1, column_label(locale, *col), &bold)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = top + 1 + r as u32;
            let label = row_label(locale, table.id, &row.label, DigitStyle::Western);
            sheet.write_string_with_format(r, 0, &label, &bold)?;
            for (c, cell) in row.cells.iter().enumerate() {
                let c = c as u16 + 1;
                match *cell {
                    Cell::Count(n) => sheet.write_number(r, c, n as f64).map(|_| ())?,
                    Cell::Score(v) => sheet
                        .write_number_with_format(r, c, v, &decimals)
                        .map(|_| ())?,
                    Cell::Change(v) => sheet
                        .write_number_with_format(r, c, v, &signed)
                        .map(|_| ())?,
                    Cell::Rate(v) => sheet
                        .write_number_with_format(r, c, v, &percent)
                        .map(|_| ())?,
                    Cell::Days(v) => sheet.write_number_with_format(r, c, v, &days).map(|_| ())?,
                    Cell::Small | Cell::Withheld => sheet
                        .write_string(r, c, cell_text(*cell, DigitStyle::Western))
                        .map(|_| ())?,
                    Cell::Blank => {}
                }
            }
        }
        sheet.set_column_width(0, 36)?;
        for c in 1..=table.columns.len() as u16 {
            sheet.set_column_width(c, 16)?;
        }
    }
    book.save_to_buffer()
}

fn file_name(overview: &Overview, table: Option<TableId>, ext: &str) -> String {
    let mut parts = vec!["homeward-overview".to_string()];
    if let Some(t) = table {
        parts.push(t.as_str().replace('_', "-"));
    }
    if let Some(c) = overview.filter.country {
        parts.push(c.code().to_lowercase());
    }
    if let Some(p) = &overview.filter.province {
        parts.push(p.to_lowercase());
    }
    if let Some(y) = overview.filter.year {
        parts.push(y.to_string());
    }
    parts.push(overview.as_of.get(..10).unwrap_or_default().to_string());
    format!("{}.{ext}", parts.join("-"))
}

pub(super) fn download(content_type: &str, name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

pub(super) fn error_response(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        status.canonical_reason().unwrap_or_default().to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_cells_that_look_like_formulas_stay_text() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-2"), "'-2");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("Kabul"), "Kabul");
        assert_eq!(csv_field("<5"), "<5");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
    }
}
