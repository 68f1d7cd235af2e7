//! The programme indicators in words and pictures: titles, headings, row labels and cell
//! values in the reader's language (shared by the page and the CSV/Excel exports), and the
//! bar and line charts, drawn on the server as SVG.

use super::dates::{digit_style, month_name, num};
use super::messages::{
    age_group_label, closure_reason_label, column_label, location_name, need_label, outcome_label,
    return_type_label, service_label, since_return_label, table_title, wait_label, Lang,
};
use crate::i18n::*;
use leptos::prelude::*;
use shared::calendar::Calendar;
use shared::digits::{self, DigitStyle};
use shared::family::{ReturnType, SpecificNeed};
use shared::follow_up::ClosureReason;
use shared::overview::{
    AgeGroup, Cell, FollowUpOutcome, Label, Row, SinceReturn, Table, TableId, Wait,
};
use shared::service::ServiceCategory;

/// A row's label: codes are read by the table they belong to.
pub fn row_label(lang: impl Lang, table: TableId, label: &Label, digits: DigitStyle) -> String {
    let code = |c: &str| -> Option<&'static str> {
        Some(match table {
            TableId::SexAge => age_group_label(lang, AgeGroup::parse(c)?),
            TableId::Needs => need_label(lang, SpecificNeed::parse(c)?),
            TableId::ReturnTypes => return_type_label(lang, ReturnType::parse(c)?),
            TableId::Assessments => since_return_label(lang, SinceReturn::parse(c)?),
            TableId::FirstAssessment => wait_label(lang, Wait::parse(c)?),
            TableId::ReferralsByService | TableId::OutcomesByService => {
                service_label(lang, ServiceCategory::parse(c)?)
            }
            TableId::FollowUps => outcome_label(lang, FollowUpOutcome::parse(c)?),
            TableId::Closures => closure_reason_label(lang, ClosureReason::parse(c)?),
            _ => return None,
        })
    };
    match label {
        Label::Location(key) => location_name(lang, key),
        Label::Code(c) => code(c).map(str::to_string).unwrap_or_else(|| c.clone()),
        Label::Month(m) => {
            let month = m.get(5..7).and_then(|n| n.parse().ok()).unwrap_or(1);
            let year = m.get(..4).unwrap_or_default();
            format!(
                "{} {}",
                month_name(lang, Calendar::Gregorian, month),
                digits::localize(year, digits)
            )
        }
        Label::Organisation(name) => name.clone(),
        Label::Total => td_string!(lang.locale(), overview.total).to_string(),
    }
}

/// A value as text: "<5" for a hidden count, "–" for a withheld rate, mean or median.
pub fn cell_text(cell: Cell, digits: DigitStyle) -> String {
    let text = match cell {
        Cell::Count(n) => n.to_string(),
        Cell::Small => "<5".to_string(),
        Cell::Score(s) => format!("{s:.2}"),
        Cell::Change(d) => format!("{d:+.2}"),
        Cell::Rate(r) => format!("{:.0}%", r * 100.0),
        Cell::Days(d) if d.fract() == 0.0 => format!("{d:.0}"),
        Cell::Days(d) => format!("{d:.1}"),
        Cell::Withheld => "–".to_string(),
        Cell::Blank => String::new(),
    };
    digits::localize(&text, digits)
}

/// The column a table's chart draws, and whether over time (a line) or by group (bars).
fn chart_of(table: &Table) -> (usize, bool) {
    let column = match table.id {
        TableId::SexAge => 2,
        TableId::Assessments | TableId::OutcomesByService | TableId::OutcomesByOrganisation => 4,
        _ => 0,
    };
    (
        column.min(table.columns.len().saturating_sub(1)),
        table.id == TableId::Monthly,
    )
}

/// A number a chart can draw, if the cell is shown.
fn magnitude(cell: Cell) -> Option<f64> {
    match cell {
        Cell::Count(n) => Some(n as f64),
        Cell::Score(v) | Cell::Change(v) | Cell::Rate(v) | Cell::Days(v) => Some(v),
        _ => None,
    }
}

const WIDTH: f64 = 640.0;
const ROW: f64 = 26.0;
const LABEL_W: f64 = 200.0;
const VALUE_W: f64 = 64.0;

/// One table of the overview: its chart, then its numbers, then the provinces folded away,
/// then its downloads.
#[component]
pub fn IndicatorTable(table: Table, query: String) -> impl IntoView {
    let i18n = use_i18n();
    let digits = digit_style(i18n);
    let id = table.id;
    let (column, over_time) = chart_of(&table);
    let headers: Vec<&'static str> = table
        .columns
        .iter()
        .map(|c| column_label(i18n, *c))
        .collect();
    // Where a table lists many provinces, those with nothing to show (their first figure
    // "<5") fold away under the table, their figures kept there, instead of each taking a
    // row and a bar.
    let many_places = table
        .rows
        .iter()
        .filter(|r| matches!(r.label, Label::Location(_)))
        .count()
        > 1;
    let quiet = |r: &Row| {
        many_places
            && matches!(r.label, Label::Location(_))
            && r.cells.first() == Some(&Cell::Small)
    };
    let (rows, folded): (Vec<&Row>, Vec<&Row>) = table.rows.iter().partition(|r| !quiet(r));
    let text_of = |r: &&Row| -> BodyRow {
        (
            row_label(i18n, id, &r.label, digits),
            r.label == Label::Total,
            r.cells.iter().map(|c| cell_text(*c, digits)).collect(),
        )
    };
    let body: Vec<BodyRow> = rows.iter().map(text_of).collect();
    let folded: Vec<BodyRow> = folded.iter().map(text_of).collect();
    let points: Vec<(String, Option<f64>, String)> = rows
        .iter()
        .zip(&body)
        .filter(|(r, _)| r.label != Label::Total)
        .map(|(r, (label, _, texts))| {
            (
                label.clone(),
                magnitude(r.cells[column]),
                texts[column].clone(),
            )
        })
        .collect();
    let chart_title = format!("{} — {}", table_title(i18n, id), headers[column]);
    let sep = if query.is_empty() { "" } else { "&" };
    let csv = format!("/overview/export.csv?table={id}{sep}{query}");
    let xlsx = format!("/overview/export.xlsx?table={id}{sep}{query}");
    view! {
        <section class="panel indicator" id=format!("table-{id}")>
            <h3>{table_title(i18n, id)}</h3>
            {if over_time {
                view! { <LineChart points title=chart_title.clone()/> }.into_any()
            } else {
                view! { <BarChart points title=chart_title.clone()/> }.into_any()
            }}
            <div class="table-wrap">
                <NumbersTable caption=table_title(i18n, id) headers=headers.clone() body/>
            </div>
            {(!folded.is_empty()).then(|| view! {
                <details class="folded">
                    <summary>{t!(i18n, overview.folded, count = num(i18n, folded.len()))}</summary>
                    <div class="table-wrap">
                        <NumbersTable caption=table_title(i18n, id) headers body=folded/>
                    </div>
                </details>
            })}
            <p class="downloads">
                {t!(i18n, overview.download_table)}" "
                <a href=csv download>{t!(i18n, overview.csv)}</a>" · "
                <a href=xlsx download>{t!(i18n, overview.excel)}</a>
            </p>
        </section>
    }
}

/// A row as shown: its label, whether it is the total, its cells' texts.
type BodyRow = (String, bool, Vec<String>);

/// The figures of a table (or of the rows folded away from it).
#[component]
fn NumbersTable(
    caption: &'static str,
    headers: Vec<&'static str>,
    body: Vec<BodyRow>,
) -> impl IntoView {
    view! {
        <table class="data numbers">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col"></th>
                    {headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {body.into_iter().map(|(label, total, cells)| view! {
                    <tr class:total=total>
                        <th scope="row"><bdi>{label}</bdi></th>
                        {cells.into_iter().map(|c| view! { <td><bdi>{c}</bdi></td> }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Horizontal bars, one per group, its value at its end; a hidden count is a short hatched
/// stub marked "<5". Right-to-left readers get bars growing from the right.
#[component]
fn BarChart(points: Vec<(String, Option<f64>, String)>, title: String) -> impl IntoView {
    let i18n = use_i18n();
    let rtl = !matches!(i18n.get_locale_untracked(), Locale::en);
    // Bars are as long as the value's size; a fall (a change below zero) is drawn in another
    // colour, its value label carrying the sign.
    let max = points
        .iter()
        .filter_map(|p| p.1)
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    let height = ROW * points.len() as f64 + 8.0;
    let bar_area = WIDTH - LABEL_W - VALUE_W;
    // x measured from the reading start: mirrored for right-to-left. Text anchors need no
    // mirroring: "start" and "end" follow the page's direction, which the SVG inherits.
    let x = move |from_start: f64| if rtl { WIDTH - from_start } else { from_start };
    view! {
        <figure class="chart bars">
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=title preserveAspectRatio="xMidYMid meet">
                {points.into_iter().enumerate().map(|(i, (label, value, text))| {
                    let top = 4.0 + i as f64 * ROW;
                    let len = match value {
                        Some(v) if max > 0.0 => (v.abs() / max * bar_area).max(1.0),
                        Some(_) => 1.0,
                        None => 6.0,
                    };
                    let (bx, bw) = if rtl { (WIDTH - LABEL_W - len, len) } else { (LABEL_W, len) };
                    view! {
                        <text class="axis-label" x=x(LABEL_W - 8.0) y=top + 16.0 text-anchor="end">{label.clone()}</text>
                        <rect class=match value { Some(v) if v < 0.0 => "bar fall", Some(_) => "bar", None => "bar small" } x=format!("{bx:.1}") y=top + 3.0 width=format!("{bw:.1}") height=ROW - 8.0>
                            <title>{format!("{label}: {text}")}</title>
                        </rect>
                        <text class="value-label" x=x(LABEL_W + len + 6.0) y=top + 16.0 text-anchor="start">{text.clone()}</text>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

/// A line over time (months), with a point per month; a month with a hidden count is a
/// hollow point on the axis marked "<5". Right-to-left readers see time run leftwards.
#[component]
fn LineChart(points: Vec<(String, Option<f64>, String)>, title: String) -> impl IntoView {
    const HEIGHT: f64 = 220.0;
    const PAD: f64 = 40.0;
    let i18n = use_i18n();
    let rtl = !matches!(i18n.get_locale_untracked(), Locale::en);
    let max = points
        .iter()
        .filter_map(|p| p.1)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let n = points.len().max(2) as f64;
    let plot_w = WIDTH - 2.0 * PAD;
    let x = move |i: usize| {
        let from_start = PAD + i as f64 / (n - 1.0) * plot_w;
        if rtl {
            WIDTH - from_start
        } else {
            from_start
        }
    };
    let base = HEIGHT - PAD;
    let y = move |v: f64| base - v / max * (HEIGHT - 2.0 * PAD);
    // The line is broken where a month is hidden, so no value is implied for it.
    let mut segments: Vec<Vec<String>> = vec![Vec::new()];
    for (i, p) in points.iter().enumerate() {
        match p.1 {
            Some(v) => segments
                .last_mut()
                .unwrap()
                .push(format!("{:.1},{:.1}", x(i), y(v))),
            None => segments.push(Vec::new()),
        }
    }
    let last = points.len().saturating_sub(1);
    let labelled: Vec<usize> = if points.len() <= 4 {
        (0..points.len()).collect()
    } else {
        vec![0, last]
    };
    let max_text = digits::localize(&format!("{max:.0}"), digit_style(i18n));
    view! {
        <figure class="chart line">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=title preserveAspectRatio="xMidYMid meet">
                <line class="grid" x1=PAD x2=WIDTH - PAD y1=y(max) y2=y(max)/>
                <line class="axis" x1=PAD x2=WIDTH - PAD y1=base y2=base/>
                <text class="axis-label" x=x(0) y=y(max) - 6.0 text-anchor="middle">{max_text}</text>
                {segments.into_iter().filter(|s| !s.is_empty()).map(|s| view! {
                    <polyline class="trend" points=s.join(" ")/>
                }).collect_view()}
                {points.iter().enumerate().map(|(i, (label, value, text))| {
                    let cy = value.map(y).unwrap_or(base);
                    view! {
                        <circle class=if value.is_some() { "point" } else { "point small" } cx=format!("{:.1}", x(i)) cy=format!("{cy:.1}") r="4">
                            <title>{format!("{label}: {text}")}</title>
                        </circle>
                    }
                }).collect_view()}
                {labelled.into_iter().map(|i| view! {
                    <text class="axis-label" x=x(i) y=HEIGHT - PAD + 18.0 text-anchor="middle">{points[i].0.clone()}</text>
                }).collect_view()}
            </svg>
        </figure>
    }
}
