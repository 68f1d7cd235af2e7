//! Administration: users, organisations, the audit log. Admin role only.

pub mod audit;
pub mod directory;
pub mod organisations;
pub mod user;
pub mod users;

use crate::api::admin::{list_organisations, list_users};
use crate::components::layout::Page;
use crate::components::messages::{location_name, I18n};
use crate::i18n::*;
use crate::model::admin::UserFilter;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::{Country, Role};

#[component]
pub fn AdminHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let counts = Resource::new(
        || (),
        |_| async move {
            let users = list_users(UserFilter::default()).await?.len();
            let orgs = list_organisations().await?.len();
            Ok::<_, crate::error::AppError>((users, orgs))
        },
    );
    view! {
        <Page roles=&[Role::Admin]>
            <Title text=tu_string!(i18n, admin.title)/>
            <h1>{t!(i18n, admin.title)}</h1>
            <p class="intro">{t!(i18n, admin.intro)}</p>
            <ul class="cards">
                <li class="card">
                    <a href="/admin/users">{t!(i18n, nav.users)}</a>
                    <Suspense>
                        {move || Suspend::new(async move {
                            counts.await.ok().map(|(u, _)| view! { <p>{t!(i18n, admin.users_count, count = u)}</p> })
                        })}
                    </Suspense>
                </li>
                <li class="card">
                    <a href="/admin/organisations">{t!(i18n, nav.organisations)}</a>
                    <Suspense>
                        {move || Suspend::new(async move { counts.await.ok().map(|(_, o)| view! { <p>{o}</p> }) })}
                    </Suspense>
                </li>
                <li class="card"><a href="/admin/audit">{t!(i18n, nav.audit_log)}</a></li>
            </ul>
        </Page>
    }
}

/// Provinces/governorates as checkbox groups: one group per country, or only `country`'s.
pub fn area_groups(i18n: I18n, country: Option<Country>) -> Vec<(String, Vec<(String, String)>)> {
    Country::ALL
        .into_iter()
        .filter(|c| country.is_none_or(|only| only == *c))
        .map(|c| {
            let items = shared::location::of_country(c)
                .map(|l| (l.key.clone(), location_name(i18n, &l.key)))
                .collect();
            (
                crate::components::messages::country_label(i18n, Some(c)).to_string(),
                items,
            )
        })
        .collect()
}

/// Role options for a select, in the user's language.
pub fn role_options(i18n: I18n) -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .copied()
        .map(|r| {
            (
                r.as_str().to_string(),
                crate::components::messages::role_label(i18n, r).to_string(),
            )
        })
        .collect()
}
