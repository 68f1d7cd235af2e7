//! Signing in: email and password, errors beside the fields, lockout after five failures.

use crate::api::auth::SignIn;
use crate::components::fields::{Field, FormAlert, Submit};
use crate::components::layout::LanguageSwitcher;
use crate::components::me::use_me;
use crate::error::AppError;
use crate::form::FormState;
use crate::i18n::*;
use crate::model::flash::Flash;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let action = ServerAction::<SignIn>::new();
    let query = use_query_map();
    // A failed plain sign-in comes back with the error's code in the address: nothing is
    // stored for someone who is not signed in (and nothing typed is echoed).
    let flash = query.read_untracked().get("error").and_then(|code| {
        AppError::from_code(&code).map(|e| Flash {
            error: Some(e),
            ..Default::default()
        })
    });
    view! {
        <Title text=tu_string!(i18n, sign_in.title)/>
        <main id="main" class="content narrow auth">
            <p class="brand-large">{t!(i18n, app_name)}</p>
            <p class="tagline">{t!(i18n, tagline)}</p>
            <section class="panel">
                <h1>{t!(i18n, sign_in.title)}</h1>
                <p>{t!(i18n, sign_in.intro)}</p>
                <Suspense>
                    {move || {
                    let flash = flash.clone();
                    Suspend::new(async move {
                        if let Ok(Some(me)) = me.await {
                            // Already signed in: go home.
                            return view! { <Redirect path=me.role.home_path()/> }.into_any();
                        }
                        let form = FormState::new(action, flash.clone());
                        let next = query.read_untracked().get("next").unwrap_or_default();
                        view! {
                            <ActionForm action attr:novalidate=true>
                                <FormAlert form/>
                                <Field form name="email" input_type="email" autocomplete="username" required=true dir="ltr">
                                    {t!(i18n, sign_in.email)}
                                </Field>
                                <Field form name="password" input_type="password" autocomplete="current-password" required=true dir="ltr">
                                    {t!(i18n, sign_in.password)}
                                </Field>
                                <input type="hidden" name="next" value=next/>
                                <Submit>{t!(i18n, sign_in.submit)}</Submit>
                            </ActionForm>
                        }
                            .into_any()
                    })
                }}
                </Suspense>
                <p class="hint">{t!(i18n, sign_in.help)}</p>
            </section>
            <LanguageSwitcher/>
        </main>
    }
}
