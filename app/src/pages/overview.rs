//! `/overview`: the programme indicators, filtered by country, province and year (all in the
//! URL, so a view can be bookmarked and shared), each table with its chart and downloads.

use crate::api::overview::get_overview;
use crate::components::dates::{digit_style, num};
use crate::components::indicators::IndicatorTable;
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{country_label, location_name};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
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
                            {t!(i18n, overview.small_counts)}
                        </p>
                        <p class="hint">{t!(i18n, overview.period_note)}</p>
                        <p class="hint">{t!(i18n, overview.rounding_note)}</p>
                        <p><a class="button" href=xlsx_all download>{t!(i18n, overview.download_all)}</a></p>
                        {o.tables.into_iter().map(|table| {
                            view! { <IndicatorTable table query=query.clone()/> }
                        }).collect_view()}
                    }
                        .into_any()
                })}
            </Suspense>
        </Page>
    }
}
