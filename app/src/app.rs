//! The HTML shell, the root component and the routes.

use crate::api::auth::current_user;
use crate::components::me::MeResource;
use crate::i18n::I18nContextProvider;
use crate::pages::{
    account, admin, cases, coded_referral, home, not_found::NotFoundPage, overview, referrals,
    sign_in::SignInPage, team, work,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The document around the app. `lang` and `dir` on `<html>` are set by the i18n provider.
/// Pages are rendered here only; the browser gets WebAssembly just for the islands a page
/// has (`island_loader.js`).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Outside islands nothing is hydrated: resources are not serialized into the page (what
    // Leptos's own `HydrationScripts` does in islands mode; each island turns it back on).
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let assets = crate::assets::Assets::of(&options);
    let loader = format!(
        "({})({:?}, {:?});",
        include_str!("island_loader.js")
            .trim_end()
            .trim_end_matches(';'),
        assets.js,
        assets.wasm
    );
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href=assets.css.clone()/>
                <script type="module" nonce=leptos::nonce::use_nonce()>{loader}</script>
                <leptos_meta::MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The app: every page, with the signed-in user loaded once per page load and shared by every
/// page (`use_me`).
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let me: MeResource = Resource::new(|| (), |_| current_user());
    provide_context(me);

    // Every route is rendered whole on the server before it is sent (SsrMode::Async, no
    // streaming), so the page is complete and usable with JavaScript off.
    view! {
        <I18nContextProvider>
            // Page titles are plain strings, never closures over signals: leptos_axum reads the
            // title outside the request's reactive arena, where a signal read can hit another
            // request's arena and panic under concurrent load (seen in CI as an empty response).
            <Title formatter=|text: String| {
                if text.is_empty() { "Homeward".to_string() } else { format!("{text} · Homeward") }
            }/>
            <div id="app">
                <Router>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=home::RootPage ssr=SsrMode::Async/>
                        <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases") view=cases::list::CasesPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/new") view=cases::register::RegisterFamilyPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/merge") view=cases::merge::MergePage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/:id") view=cases::family::FamilyPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/:id/data") view=cases::data::FamilyDataPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/:id/summary") view=cases::data::FamilySummaryPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/:id/print") view=cases::print::CasePrintPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/:id/edit") view=cases::household::EditHouseholdPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/:id/members/:member_id") view=cases::member::MemberPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/:id/assess") view=cases::assess::AssessPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/:id/assessments/:assessment_id") view=cases::assess::AssessmentResultPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/:id/plan") view=cases::plan::PlanPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/:id/refer/:item_id") view=cases::refer::ReferPage ssr=SsrMode::Async/>
                        <Route path=path!("/cases/:id/referrals/:referral_id/slip") view=cases::slip::ReferralSlipPage ssr=SsrMode::Async/>
                        <Route path=path!("/work") view=work::WorkPage ssr=SsrMode::Async/>
                        <Route path=path!("/team") view=team::TeamPage ssr=SsrMode::Async/>
                        <Route path=path!("/referrals") view=referrals::InboxPage ssr=SsrMode::Async/>
                        <Route path=path!("/referrals/:id") view=referrals::PartnerReferralPage ssr=SsrMode::Async/>
                        <Route path=path!("/r") view=coded_referral::CodedReferralPage ssr=SsrMode::Async/>
                        <Route path=path!("/overview") view=overview::OverviewPage ssr=SsrMode::Async/>
                        <Route path=path!("/account") view=account::AccountPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin") view=admin::AdminHomePage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/users") view=admin::users::UsersPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/users/:id") view=admin::user::UserPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/organisations") view=admin::organisations::OrganisationsPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/organisations/:id") view=admin::directory::DirectoryPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/audit") view=admin::audit::AuditLogPage ssr=SsrMode::Async/>
                    </Routes>
                </Router>
            </div>
        </I18nContextProvider>
    }
}
