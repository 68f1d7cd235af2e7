//! My account: who I am, my language, my password.

use crate::api::account::{ChangePassword, SetDigits};
use crate::components::fields::{Field, FormAlert, Submit};
use crate::components::layout::{LanguageSwitcher, Page};
use crate::components::me::use_me;
use crate::components::messages::{location_name, role_label};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let action = ServerAction::<ChangePassword>::new();
    let flash = flash_resource::<ChangePassword>();
    view! {
        <Page>
            <Title text=tu_string!(i18n, account.title)/>
            <h1>{t!(i18n, account.title)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let me = me.await.ok().flatten()?;
                    let areas = me.areas.iter().map(|a| location_name(i18n, a)).collect::<Vec<_>>().join(tu_string!(i18n, list_separator));
                    Some(view! {
                        {me.must_change_password.then(|| view! {
                            <p class="alert alert-warning" role="alert">{t!(i18n, errors.password_change_required)}</p>
                        })}
                        <dl class="facts">
                            <dt>{t!(i18n, account.organisation)}</dt>
                            <dd><bdi>{me.organisation_name.clone()}</bdi></dd>
                            <dt>{t!(i18n, account.role)}</dt>
                            <dd>{role_label(i18n, me.role)}</dd>
                            {(!me.areas.is_empty()).then(|| view! {
                                <dt>{t!(i18n, account.areas)}</dt>
                                <dd>{areas}</dd>
                            })}
                        </dl>
                    })
                })}
            </Suspense>
            <section class="panel">
                <h2>{t!(i18n, account.language_title)}</h2>
                <p class="hint">{t!(i18n, account.language_hint)}</p>
                <LanguageSwitcher/>
            </section>
            <DigitsChoice/>
            <section class="panel">
                <h2>{t!(i18n, account.password_title)}</h2>
                <Suspense>
                    {move || Suspend::new(async move {
                        let form = FormState::new(action, flash.await);
                        view! {
                            <ActionForm action attr:novalidate=true>
                                <FormAlert form success=ViewFn::from(move || t!(i18n, account.password_changed))/>
                                <Field form name="current_password" input_type="password" autocomplete="current-password" required=true>
                                    {t!(i18n, account.current_password)}
                                </Field>
                                <Field
                                    form
                                    name="new_password"
                                    input_type="password"
                                    autocomplete="new-password"
                                    required=true
                                    hint=ViewFn::from(move || t!(i18n, account.password_hint))
                                >
                                    {t!(i18n, account.new_password)}
                                </Field>
                                <Field form name="confirm_password" input_type="password" autocomplete="new-password" required=true>
                                    {t!(i18n, account.confirm_password)}
                                </Field>
                                <Submit>{t!(i18n, actions.save)}</Submit>
                            </ActionForm>
                        }
                    })}
                </Suspense>
            </section>
        </Page>
    }
}

/// Western digits or those of the interface language, for numbers and dates.
#[component]
fn DigitsChoice() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let action = ServerAction::<SetDigits>::new();
    let local_sample = move || {
        let style = crate::components::dates::digits_of(i18n.get_locale_untracked());
        shared::digits::localize("0123456789", style)
    };
    view! {
        <section class="panel">
            <h2>{t!(i18n, account.digits_title)}</h2>
            <p class="hint">{t!(i18n, account.digits_hint)}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    let current = me.await.ok().flatten().map(|m| m.digits).unwrap_or_default();
                    view! {
                        <ActionForm action attr:class="choice">
                            <button type="submit" name="digits" value="local" class="button" aria-pressed=(current == "local").to_string()>
                                {t!(i18n, account.digits_local)}" "<span dir="ltr">{local_sample()}</span>
                            </button>
                            <button type="submit" name="digits" value="western" class="button" aria-pressed=(current == "western").to_string()>
                                {t!(i18n, account.digits_western)}" "<span dir="ltr">"0123456789"</span>
                            </button>
                        </ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}
