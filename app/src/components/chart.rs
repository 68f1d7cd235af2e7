//! Charts drawn on the server as SVG: readable without JavaScript, printable, and light on a
//! slow connection. Every chart has its numbers in a table next to it (the caller shows it).

use super::dates::{format_iso_date, num};
use super::messages::{dimension_label, I18n};
use crate::i18n::*;
use crate::model::assessments::AssessmentRow;
use chrono::Datelike;
use leptos::prelude::*;
use shared::assessment::{Dimension, Scores};
use shared::calendar::parse_iso;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
/// Room for the axis labels: start (y labels), end, top, bottom (x labels).
const PAD_START: f64 = 44.0;
const PAD_END: f64 = 24.0;
const PAD_TOP: f64 = 16.0;
const PAD_BOTTOM: f64 = 40.0;

/// One line of the chart: its series, with a CSS class (colour) and dash pattern, so lines
/// stay apart in grey print and for colour-blind readers.
struct Series {
    class: &'static str,
    dash: &'static str,
    label: String,
    value: fn(&Scores) -> Option<f64>,
}

/// A score as shown: two decimals, in the reader's digits.
pub fn score_text(i18n: I18n, s: Option<f64>) -> String {
    match s {
        Some(s) => num(i18n, format!("{s:.2}")),
        None => tu_string!(i18n, assessment.no_score).to_string(),
    }
}

/// Each dimension's score and the composite across assessments (oldest first), dated on a
/// time axis. Right-to-left readers get a mirrored axis: time runs from right to left.
#[component]
pub fn ProgressChart(rows: Vec<AssessmentRow>) -> impl IntoView {
    let i18n = use_i18n();
    let rtl = !matches!(i18n.get_locale_untracked(), Locale::en);
    let days: Vec<i64> = rows
        .iter()
        .map(|r| {
            parse_iso(&r.assessed_on)
                .map(|d| d.num_days_from_ce() as i64)
                .unwrap_or(0)
        })
        .collect();
    let (first, last) = (
        days.iter().copied().min().unwrap_or(0),
        days.iter().copied().max().unwrap_or(0),
    );
    let plot_w = WIDTH - PAD_START - PAD_END;
    let plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM;
    let x = move |day: i64| {
        let t = if last > first {
            (day - first) as f64 / (last - first) as f64
        } else {
            0.5
        };
        let from_start = PAD_START + t * plot_w;
        if rtl {
            WIDTH - from_start
        } else {
            from_start
        }
    };
    let y = move |score: f64| PAD_TOP + (1.0 - score) * plot_h;
    let axis_x = if rtl { WIDTH - PAD_START } else { PAD_START };
    let label_x = if rtl {
        WIDTH - PAD_START + 8.0
    } else {
        PAD_START - 8.0
    };
    let series = [
        Series {
            class: "series-economic",
            dash: "",
            label: dimension_label(i18n, Dimension::Economic).to_string(),
            value: |s| s.economic,
        },
        Series {
            class: "series-social",
            dash: "6 4",
            label: dimension_label(i18n, Dimension::Social).to_string(),
            value: |s| s.social,
        },
        Series {
            class: "series-psychosocial",
            dash: "2 3",
            label: dimension_label(i18n, Dimension::Psychosocial).to_string(),
            value: |s| s.psychosocial,
        },
        Series {
            class: "series-composite",
            dash: "",
            label: tu_string!(i18n, assessment.composite).to_string(),
            value: |s| s.composite,
        },
    ];
    // Date labels under the points; with many assessments only the first and the last.
    let labelled: Vec<usize> = if rows.len() <= 5 {
        (0..rows.len()).collect()
    } else {
        vec![0, rows.len() - 1]
    };
    let legend: Vec<(&'static str, &'static str, String)> = series
        .iter()
        .map(|s| (s.class, s.dash, s.label.clone()))
        .collect();
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=tu_string!(i18n, assessment.chart_label)
                preserveAspectRatio="xMidYMid meet"
            >
                {[0.0, 0.25, 0.5, 0.75, 1.0].into_iter().map(|g| view! {
                    <line class="grid" x1=PAD_START x2=WIDTH - PAD_END y1=y(g) y2=y(g)/>
                    <text class="axis-label" x=label_x y=y(g) + 4.0 text-anchor="end" direction=if rtl { "rtl" } else { "ltr" }>
                        {num(i18n, format!("{g}"))}
                    </text>
                }).collect_view()}
                <line class="axis" x1=axis_x x2=axis_x y1=PAD_TOP y2=HEIGHT - PAD_BOTTOM/>
                {labelled.into_iter().map(|i| view! {
                    <text class="axis-label" x=x(days[i]) y=HEIGHT - PAD_BOTTOM + 20.0 text-anchor="middle">
                        {format_iso_date(i18n, &rows[i].assessed_on)}
                    </text>
                }).collect_view()}
                {series.into_iter().map(|s| {
                    let points: Vec<(f64, f64, f64)> = rows
                        .iter()
                        .zip(&days)
                        .filter_map(|(r, d)| (s.value)(&r.scores).map(|v| (x(*d), y(v), v)))
                        .collect();
                    let path = points.iter().map(|(px, py, _)| format!("{px:.1},{py:.1}")).collect::<Vec<_>>().join(" ");
                    let label = s.label.clone();
                    view! {
                        <g class=format!("series {}", s.class)>
                            <polyline points=path stroke-dasharray=s.dash fill="none"/>
                            {points.into_iter().map(|(px, py, v)| view! {
                                <circle cx=format!("{px:.1}") cy=format!("{py:.1}") r="4">
                                    <title>{format!("{label}: {}", score_text(i18n, Some(v)))}</title>
                                </circle>
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                <ul class="legend">
                    {legend.into_iter().map(|(class, dash, label)| view! {
                        <li>
                            <svg class="legend-key" viewBox="0 0 24 8" aria-hidden="true">
                                <line class=format!("series {class}") x1="0" x2="24" y1="4" y2="4" stroke-dasharray=dash/>
                            </svg>
                            {label}
                        </li>
                    }).collect_view()}
                </ul>
                <p class="hint">{t!(i18n, assessment.scale_hint)}</p>
            </figcaption>
        </figure>
    }
}
