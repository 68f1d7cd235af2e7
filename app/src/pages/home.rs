//! `/`: sends each role to its start page (see `Role::home_path`).

use crate::components::me::use_me;
use leptos::prelude::*;
use leptos_router::components::Redirect;

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
