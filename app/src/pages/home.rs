//! The start page of each role. The case list, partner inbox and programme overview grow
//! here as their issues land; the navigation and access checks are real already.

use crate::app::use_me;
use crate::components::layout::Page;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shared::Role;

/// `/`: the role's start page, or sign-in.
#[component]
pub fn RootPage() -> impl IntoView {
    let me = use_me();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let path = match me.await {
                    Ok(Some(me)) => me.role.home_path(),
                    _ => "/sign-in",
                };
                view! { <Redirect path/> }
            })}
        </Suspense>
    }
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let supervisor = move || {
        me.get()
            .and_then(|r| r.ok().flatten())
            .is_some_and(|m| m.role == Role::Supervisor)
    };
    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Title text=move || {
                if supervisor() { tu_string!(i18n, nav.caseload) } else { tu_string!(i18n, nav.my_cases) }
            }/>
            <h1>
                {move || if supervisor() { tu_string!(i18n, nav.caseload) } else { tu_string!(i18n, nav.my_cases) }}
            </h1>
            <p class="intro">
                {move || {
                    if supervisor() { tu_string!(i18n, home.caseload_intro) } else { tu_string!(i18n, home.my_cases_intro) }
                }}
            </p>
            <p class="empty">{t!(i18n, home.nothing_yet)}</p>
        </Page>
    }
}

#[component]
pub fn ReferralsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page roles=&[Role::Partner]>
            <Title text=move || tu_string!(i18n, nav.referrals)/>
            <h1>{t!(i18n, nav.referrals)}</h1>
            <p class="intro">{t!(i18n, home.referrals_intro)}</p>
            <p class="empty">{t!(i18n, home.nothing_yet)}</p>
        </Page>
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page roles=&[Role::ProgrammeManager, Role::Supervisor]>
            <Title text=move || tu_string!(i18n, nav.overview)/>
            <h1>{t!(i18n, nav.overview)}</h1>
            <p class="intro">{t!(i18n, home.overview_intro)}</p>
            <p class="empty">{t!(i18n, home.nothing_yet)}</p>
        </Page>
    }
}
