//! `/overview`: the programme indicators, filtered by country, province and year (all in the
//! URL, so a view can be bookmarked and shared). First the headline figures beside the year
//! before, then the tables by section (each with its chart and downloads), reached from the
//! "On this page" links: a manager reads the top in a minute and jumps to the rest.

use crate::api::overview::get_overview;
use crate::components::dates::{digit_style, month_name, num};
use crate::components::indicators::{cell_text, IndicatorTable};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{country_label, location_name, measure_label, I18n};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use shared::calendar::Calendar;
use shared::digits::{self, DigitStyle};
use shared::overview::{Cell, Figure, Headline, Measure, Table, TableId};
use shared::{location, Country, Role};

#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let overview = Resource::new(
        move || {
            let q = query.get();
            let get = |k: &str| q.get(k).unwrap_or_default();
            (get("country"), get("province"), get("year"))
        },
        |(country, province, year)| get_overview(country, province, year),
    );
    view! {
        <Page roles=&[Role::ProgrammeManager, Role::Supervisor]>
            <Title text=tu_string!(i18n, nav.overview)/>
            <h1>{t!(i18n, nav.overview)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let o = match overview.await {
                        Ok(o) => o,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let digits = digit_style(i18n);
                    let query = o.filter.query();
                    let current_country = o.filter.country.map(|c| c.code().to_string()).unwrap_or_default();
                    let current_province = o.filter.province.clone().unwrap_or_default();
                    let current_year = o.filter.year.map(|y| y.to_string()).unwrap_or_default();
                    let countries: Vec<Country> = match o.country_scope {
                        Some(c) => vec![c],
                        None => vec![Country::AF, Country::IQ],
                    };
                    let xlsx_all = if query.is_empty() {
                        "/overview/export.xlsx".to_string()
                    } else {
                        format!("/overview/export.xlsx?{query}")
                    };
                    view! {
                        <p class="intro">
                            {if o.country_scope.is_none() {
                                t!(i18n, overview.intro_both).into_any()
                            } else {
                                t!(i18n, overview.intro_country).into_any()
                            }}
                        </p>
                        <Form method="GET" action="" attr:class="filters" attr:role="search">
                            {o.country_scope.is_none().then(|| view! {
                                <label>
                                    <span>{t!(i18n, overview.country)}</span>
                                    <select name="country">
                                        <option value="">{t!(i18n, overview.all_countries)}</option>
                                        {countries.iter().map(|c| view! {
                                            <option value=c.code() selected=current_country == c.code()>
                                                {country_label(i18n, Some(*c))}
                                            </option>
                                        }).collect_view()}
                                    </select>
                                </label>
                            })}
                            <label>
                                <span>{t!(i18n, overview.province)}</span>
                                <select name="province">
                                    <option value="">{t!(i18n, overview.all_provinces)}</option>
                                    {countries.iter().map(|c| {
                                        let c = *c;
                                        view! {
                                            <optgroup label=country_label(i18n, Some(c))>
                                                {location::of_country(c).map(|l| view! {
                                                    <option value=l.key.clone() selected=current_province == l.key>
                                                        {location_name(i18n, &l.key)}
                                                    </option>
                                                }).collect_view()}
                                            </optgroup>
                                        }
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>
                                <span>{t!(i18n, overview.year)}</span>
                                <select name="year">
                                    <option value="">{t!(i18n, overview.all_years)}</option>
                                    {o.years.iter().map(|y| view! {
                                        <option value=y.to_string() selected=current_year == y.to_string()>
                                            {num(i18n, y)}
                                        </option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <button type="submit" class="button">{t!(i18n, overview.apply)}</button>
                        </Form>
                        <p class="hint">
                            {t!(i18n, overview.as_of, time = shared::digits::localize(&o.as_of, digits))}" "
                            <a href=xlsx_all download>{t!(i18n, overview.download_all)}</a>
                        </p>
                        <HeadlineFigures headline=o.headline/>
                        <nav class="on-this-page" aria-labelledby="on-this-page">
                            <h2 id="on-this-page">{t!(i18n, overview.on_this_page)}</h2>
                            <ul>
                                {Section::ALL.iter().map(|s| view! {
                                    <li><a href=format!("#section-{}", s.id())>{s.title(i18n)}</a></li>
                                }).collect_view()}
                                <li><a href="#about">{t!(i18n, overview.about)}</a></li>
                            </ul>
                        </nav>
                        {Section::ALL.iter().map(|section| {
                            let tables: Vec<Table> = o
                                .tables
                                .iter()
                                .filter(|t| Section::of(t.id) == *section)
                                .cloned()
                                .collect();
                            view! {
                                <section class="overview-section" id=format!("section-{}", section.id())>
                                    <h2>{section.title(i18n)}</h2>
                                    <div class="indicators">
                                        {tables.into_iter().map(|table| {
                                            view! { <IndicatorTable table query=query.clone()/> }
                                        }).collect_view()}
                                    </div>
                                </section>
                            }
                        }).collect_view()}
                        <section class="panel notes" id="about">
                            <h2>{t!(i18n, overview.about)}</h2>
                            <p>{t!(i18n, overview.small_counts)}</p>
                            <p>{t!(i18n, overview.rounding_note)}</p>
                            <p>{t!(i18n, overview.period_note)}</p>
                            <p>{t!(i18n, overview.outcomes_note)}</p>
                        </section>
                    }
                        .into_any()
                })}
            </Suspense>
        </Page>
    }
}

/// The overview's sections, each a group of tables a manager can jump to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    People,
    Assessments,
    Referrals,
    FollowUp,
}

impl Section {
    const ALL: [Section; 4] = [
        Section::People,
        Section::Assessments,
        Section::Referrals,
        Section::FollowUp,
    ];

    /// Where a table belongs (every table somewhere: the match is exhaustive).
    fn of(table: TableId) -> Section {
        match table {
            TableId::Registrations
            | TableId::Monthly
            | TableId::SexAge
            | TableId::Needs
            | TableId::ReturnTypes => Section::People,
            TableId::Assessments | TableId::FirstAssessment => Section::Assessments,
            TableId::ReferralsByService
            | TableId::ReferralsByOrganisation
            | TableId::OutcomesByService
            | TableId::OutcomesByOrganisation => Section::Referrals,
            TableId::FollowUps | TableId::Closures => Section::FollowUp,
        }
    }

    /// The anchor of the section in the page's URL.
    fn id(self) -> &'static str {
        match self {
            Section::People => "people",
            Section::Assessments => "assessments",
            Section::Referrals => "referrals",
            Section::FollowUp => "follow_up",
        }
    }

    fn title(self, i18n: I18n) -> &'static str {
        match self {
            Section::People => tu_string!(i18n, overview.sections.people),
            Section::Assessments => tu_string!(i18n, overview.sections.assessments),
            Section::Referrals => tu_string!(i18n, overview.sections.referrals),
            Section::FollowUp => tu_string!(i18n, overview.sections.follow_up),
        }
    }
}

/// The headline figures as cards: each value large, the year before (and the change) under
/// it.
#[component]
fn HeadlineFigures(headline: Headline) -> impl IntoView {
    let i18n = use_i18n();
    let digits = digit_style(i18n);
    let year = num(i18n, headline.year);
    let earlier = num(i18n, headline.year - 1);
    // Registrations of the year under way are compared over the same months.
    let months = headline.through_month.map(|m| {
        let range = if m > 1 {
            format!(
                "{}–{}",
                month_name(i18n, Calendar::Gregorian, 1),
                month_name(i18n, Calendar::Gregorian, m)
            )
        } else {
            month_name(i18n, Calendar::Gregorian, 1).to_string()
        };
        format!("{range} {earlier}")
    });
    view! {
        <section class="headline" aria-labelledby="headline-title">
            <h2 id="headline-title">
                {if headline.through_month.is_some() {
                    t!(i18n, overview.headline.title_so_far, year = year.clone()).into_any()
                } else {
                    t!(i18n, overview.headline.title, year = year.clone()).into_any()
                }}
            </h2>
            <p class="hint">
                {match months.clone() {
                    Some(months) => t!(i18n, overview.headline.compared_so_far, months = months).into_any(),
                    None => t!(i18n, overview.headline.compared).into_any(),
                }}
            </p>
            <ul class="figures">
                {headline.figures.into_iter().map(|f| {
                    let period = match (&months, f.measure) {
                        (Some(months), Measure::Registered) => months.clone(),
                        _ => earlier.clone(),
                    };
                    view! { <FigureCard figure=f period digits/> }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// One headline figure: its name, its value, and the same figure in `period`.
#[component]
fn FigureCard(figure: Figure, period: String, digits: DigitStyle) -> impl IntoView {
    let i18n = use_i18n();
    let value = figure_text(figure.measure, figure.value, digits);
    let previous = figure
        .previous
        .map(|p| figure_text(figure.measure, p, digits));
    let change = figure.change().map(|d| {
        let text = match figure.value {
            Cell::Score(_) => format!("{d:+.2}"),
            _ => format!("{d:+.0}"),
        };
        digits::localize(&text, digits)
    });
    let is_rate = matches!(figure.value, Cell::Rate(_));
    view! {
        <li class="figure" id=format!("figure-{}", figure.measure.as_str())>
            <span class="figure-label">{measure_label(i18n, figure.measure)}</span>
            <strong class="figure-value"><bdi>{value}</bdi></strong>
            {previous.map(|previous| {
                let line = match change {
                    Some(change) if is_rate => t!(i18n, overview.headline.previous_change_points, period = period, previous = previous, change = change).into_any(),
                    Some(change) => t!(i18n, overview.headline.previous_change, period = period, previous = previous, change = change).into_any(),
                    None => t!(i18n, overview.headline.previous, period = period, previous = previous).into_any(),
                };
                view! { <span class="figure-previous">{line}</span> }
            })}
        </li>
    }
}

/// A headline value as text: a change of score carries its sign.
fn figure_text(measure: Measure, cell: Cell, digits: DigitStyle) -> String {
    match (measure, cell) {
        (Measure::ScoreChange, Cell::Score(s)) => digits::localize(&format!("{s:+.2}"), digits),
        _ => cell_text(cell, digits),
    }
}
