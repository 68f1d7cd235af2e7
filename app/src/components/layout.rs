//! The frame of every signed-in page: access check, header with navigation by role, language
//! switcher, sign-out. The server renders it whole; the checks here only choose what to
//! show — every server function checks access again on its own.

use crate::api::account::SetLanguage;
use crate::api::auth::SignOut;
use crate::components::me::use_me;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::auth::Me;
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_location;
use shared::Role;

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::from_u16(code).unwrap_or_default());
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Percent-encodes a path for use as a query value (`next=`).
pub fn encode_query_value(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Previous/next links of a paged list. `link(n)` is the URL of page `n`.
#[component]
pub fn Pager(
    current: i64,
    total: i64,
    page_size: i64,
    link: impl Fn(i64) -> String + 'static,
) -> impl IntoView {
    use super::dates::num;
    let i18n = use_i18n();
    let pages = ((total + page_size - 1) / page_size).max(1);
    let label = tu_string!(
        i18n,
        admin.audit.page_of,
        page = num(i18n, current),
        pages = num(i18n, pages)
    )
    .to_string();
    view! {
        <nav class="pager" aria-label=tu_string!(i18n, cases.pages)>
            {(current > 1).then(|| view! { <a href=link(current - 1) rel="prev">{t!(i18n, actions.previous_page)}</a> })}
            <span>{label}</span>
            {(current < pages).then(|| view! { <a href=link(current + 1) rel="next">{t!(i18n, actions.next_page)}</a> })}
        </nav>
    }
}

/// A page for signed-in users of the given roles (any role if empty). Anonymous visitors are
/// sent to sign in and brought back; other roles get 403 and a plain "no access" page.
#[component]
pub fn Page(#[prop(optional)] roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let me = use_me();
    let location = use_location();
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                let children = children.clone();
                let here = format!(
                    "{}{}",
                    location.pathname.get_untracked(),
                    location.search.get_untracked().chars().next().map(|_| format!("?{}", location.search.get_untracked())).unwrap_or_default(),
                );
                Suspend::new(async move {
                    match me.await {
                        Ok(Some(me)) => {
                            let allowed = roles.is_empty() || roles.contains(&me.role);
                            if !allowed {
                                set_status(403);
                            }
                            view! {
                                <Layout me>
                                    {if allowed { children().into_any() } else { view! { <Forbidden/> }.into_any() }}
                                </Layout>
                            }
                                .into_any()
                        }
                        Ok(None) | Err(AppError::Unauthenticated) => {
                            let path = format!("/sign-in?next={}", encode_query_value(&here));
                            view! { <Redirect path/> }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Forbidden() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel">
            <h1>{t!(i18n, forbidden.title)}</h1>
            <p>{t!(i18n, forbidden.body)}</p>
        </section>
    }
}

/// A whole-page error (a failed load).
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    set_status(error.status());
    view! {
        <section class="panel">
            <p class="alert alert-error" role="alert">
                {super::messages::app_error_text(i18n, &error)}
            </p>
            {(error == AppError::PasswordChangeRequired).then(|| view! {
                <p><a href="/account">{t!(i18n, account.title)}</a></p>
            })}
        </section>
    }
}

/// The navigation links of each role.
fn nav_links(role: Role) -> Vec<(&'static str, NavKey)> {
    match role {
        Role::Caseworker => vec![("/cases", NavKey::MyCases), ("/work", NavKey::FollowUps)],
        Role::Supervisor => vec![
            ("/cases", NavKey::Caseload),
            ("/work", NavKey::FollowUps),
            ("/team", NavKey::Team),
            ("/overview", NavKey::Overview),
        ],
        Role::Partner => vec![("/referrals", NavKey::Referrals)],
        Role::ProgrammeManager => vec![("/overview", NavKey::Overview)],
        Role::Admin => vec![
            ("/admin", NavKey::Administration),
            ("/admin/users", NavKey::Users),
            ("/admin/organisations", NavKey::Organisations),
            ("/admin/audit", NavKey::AuditLog),
        ],
    }
}

#[derive(Clone, Copy)]
enum NavKey {
    MyCases,
    Caseload,
    FollowUps,
    Team,
    Referrals,
    Overview,
    Administration,
    Users,
    Organisations,
    AuditLog,
}

fn nav_label(i18n: super::messages::I18n, key: NavKey) -> &'static str {
    match key {
        NavKey::MyCases => tu_string!(i18n, nav.my_cases),
        NavKey::Caseload => tu_string!(i18n, nav.caseload),
        NavKey::FollowUps => tu_string!(i18n, nav.follow_ups),
        NavKey::Team => tu_string!(i18n, nav.team),
        NavKey::Referrals => tu_string!(i18n, nav.referrals),
        NavKey::Overview => tu_string!(i18n, nav.overview),
        NavKey::Administration => tu_string!(i18n, nav.administration),
        NavKey::Users => tu_string!(i18n, nav.users),
        NavKey::Organisations => tu_string!(i18n, nav.organisations),
        NavKey::AuditLog => tu_string!(i18n, nav.audit_log),
    }
}

#[component]
fn Layout(me: Me, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let home = me.role.home_path();
    let name = me.display_name.clone();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="topbar">
            <a class="brand" href=home>{t!(i18n, app_name)}</a>
            <nav class="mainnav" aria-label=move || tu_string!(i18n, nav.main)>
                <ul>
                    {nav_links(me.role)
                        .into_iter()
                        .map(|(href, key)| view! { <li><A href=href exact=true>{move || nav_label(i18n, key)}</A></li> })
                        .collect_view()}
                </ul>
            </nav>
            <div class="usermenu">
                <A href="/account" attr:class="username" attr:title=move || tu_string!(i18n, nav.account)>
                    <bdi>{name}</bdi>
                </A>
                <SignOutButton/>
            </div>
        </header>
        <main id="main" class="content">{children()}</main>
        <footer class="footer">
            <LanguageSwitcher/>
        </footer>
    }
}

#[component]
fn SignOutButton() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action attr:class="inline-form">
            <button type="submit" class="button link">{t!(i18n, nav.sign_out)}</button>
        </ActionForm>
    }
}

/// The four languages, each named in itself. A form, so it works without JavaScript.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetLanguage>::new();
    let current = move || i18n.get_locale().as_str();
    let languages = [
        ("en", "English"),
        ("fa-AF", "دری"),
        ("ps", "پښتو"),
        ("ar", "العربية"),
    ];
    view! {
        <ActionForm action attr:class="language-switcher">
            <span class="label">{t!(i18n, nav.language)}": "</span>
            {languages
                .into_iter()
                .map(|(tag, name)| {
                    view! {
                        <button
                            type="submit"
                            name="language"
                            value=tag
                            lang=tag
                            class="button link"
                            aria-pressed=move || (current() == tag).to_string()
                        >
                            {name}
                        </button>
                    }
                })
                .collect_view()}
        </ActionForm>
    }
}
