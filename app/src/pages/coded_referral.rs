//! `/r`: where an organisation without accounts opens a referral with the reference and code
//! from the family's slip, and then sees and answers it — the page a partner's account has
//! (`referrals::PartnerReferralView`), without the staff navigation, in the reader's language,
//! with JavaScript or without.

use super::referrals::{AnswerFlashes, PartnerReferralView};
use crate::api::auth::SignOut;
use crate::api::referrals::{coded_referral, OpenReferral};
use crate::components::fields::{Field, FormAlert, Submit};
use crate::components::layout::{ErrorPanel, LanguageSwitcher};
use crate::error::AppError;
use crate::form::FormState;
use crate::i18n::*;
use crate::model::flash::Flash;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::{FieldError, FieldErrors};

#[component]
pub fn CodedReferralPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::pages::cases::assess::locale_code();
    let referral = Resource::new(locale, coded_referral);
    let flashes = AnswerFlashes::load();
    view! {
        <Title text=tu_string!(i18n, coded.title)/>
        <header class="topbar coded-topbar">
            <span class="brand">{t!(i18n, app_name)}</span>
        </header>
        <main id="main" class="content">
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match referral.await {
                        Ok(Some(r)) => {
                            let forms = flashes.forms().await;
                            view! {
                                <div class="coded-bar no-print">
                                    <p class="hint">{t!(i18n, coded.opened_with_code)}</p>
                                    <FinishButton/>
                                </div>
                                <PartnerReferralView r forms/>
                            }
                            .into_any()
                        }
                        Ok(None) => view! { <CodeForm/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
        <footer class="footer">
            <LanguageSwitcher/>
        </footer>
    }
}

/// Reference and code, as printed on the slip. A failed post comes back with the error's code
/// in the address (and the reference, which the slip's QR code carries anyway): nothing is
/// stored for someone who is not signed in.
#[component]
fn CodeForm() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<OpenReferral>::new();
    let query = use_query_map();
    let (error, bad, reference) = query.with_untracked(|q| {
        (
            q.get("error").unwrap_or_default(),
            q.get("bad").unwrap_or_default(),
            q.get("ref").unwrap_or_default(),
        )
    });
    let error = match error.as_str() {
        "invalid" => {
            let mut fields = FieldErrors::new();
            for field in bad
                .split(',')
                .filter(|f| matches!(*f, "reference" | "code"))
            {
                fields.add(field, FieldError::InvalidFormat);
            }
            Some(AppError::Invalid(fields))
        }
        code => AppError::from_code(code),
    };
    // Too many wrong codes: said in words of codes, not of email addresses.
    let locked = error == Some(AppError::LockedOut);
    let flash = error.filter(|_| !locked).map(|e| Flash {
        error: Some(e),
        ..Default::default()
    });
    let form = FormState::new(action, flash);
    let reference = shared::referral_code::normalise(&reference)
        .map(|r| shared::referral_code::grouped(&r))
        .unwrap_or_default();
    view! {
        <section class="panel narrow-panel">
            <h1>{t!(i18n, coded.title)}</h1>
            <p>{t!(i18n, coded.intro)}</p>
            {locked.then(|| view! { <p class="alert error" role="alert">{t!(i18n, coded.locked)}</p> })}
            <ActionForm action attr:novalidate=true>
                <FormAlert form/>
                <Field form name="reference" value=reference inputmode="numeric" autocomplete="off" required=true dir="ltr">
                    {t!(i18n, coded.reference)}
                </Field>
                <Field form name="code" inputmode="numeric" autocomplete="off" required=true dir="ltr">
                    {t!(i18n, coded.code)}
                </Field>
                <Submit>{t!(i18n, coded.open)}</Submit>
            </ActionForm>
            <p class="hint">{t!(i18n, coded.help)}</p>
        </section>
    }
}

/// Ends the session the code opened (a shared phone or an office computer is left signed out).
#[component]
fn FinishButton() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action attr:class="inline-form">
            <button type="submit" class="button">{t!(i18n, coded.finish)}</button>
        </ActionForm>
    }
}
