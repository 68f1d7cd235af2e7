//! The start pages of the roles whose pages grow in later work (partner inbox, programme
//! overview); the navigation and access checks are real already. The case list is in `cases/`.

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
