//! `/admin/organisations/:id`: an organisation's entry in the service directory — where it
//! receives referrals (or, without accounts, whom the family sees there), how long it has to
//! answer, which services it offers where.

use crate::api::referrals::{get_directory, SaveDirectory};
use crate::components::fields::{Checkbox, CheckboxGroup, Field, FormAlert, Submit};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{country_label, location_name, options, service_label};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::service::ServiceCategory;
use shared::{Country, Role};

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let action = ServerAction::<SaveDirectory>::new();
    let entry = Resource::new(id, get_directory);
    let flash = flash_resource::<SaveDirectory>();
    view! {
        <Page roles=&[Role::Admin]>
            <Title text=tu_string!(i18n, directory.title)/>
            <p><a href="/admin/organisations">{t!(i18n, admin.organisations.title)}</a></p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let d = match entry.await {
                        Ok(d) => d,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let form = FormState::new(action, flash.await);
                    let countries: Vec<Country> = match d.country {
                        Some(c) => vec![c],
                        None => vec![Country::AF, Country::IQ],
                    };
                    let province_groups = countries
                        .into_iter()
                        .map(|c| {
                            let mut items: Vec<(String, String)> = shared::location::of_country(c)
                                .map(|l| (l.key.clone(), location_name(i18n, &l.key)))
                                .collect();
                            items.sort_by(|a, b| a.1.cmp(&b.1));
                            (country_label(i18n, Some(c)).to_string(), items)
                        })
                        .collect();
                    let contact = d.without_accounts.clone();
                    let services = options(i18n, ServiceCategory::ALL, ServiceCategory::as_str, service_label);
                    view! {
                        <h1><bdi>{d.name.clone()}</bdi></h1>
                        <h2>{t!(i18n, directory.title)}</h2>
                        <p class="intro">{t!(i18n, directory.intro)}</p>
                        <ActionForm action attr:novalidate=true>
                            <FormAlert form success=ViewFn::from(move || t!(i18n, saved))/>
                            <input type="hidden" name="organisation_id" value=d.organisation_id.clone()/>
                            <input type="hidden" name="version" value=d.version.to_string()/>
                            <div class="grid-2">
                                <Field form name="referral_email" input_type="email" value=d.referral_email.clone().unwrap_or_default() dir="ltr">
                                    {t!(i18n, directory.referral_email)}
                                </Field>
                                <Field form name="response_days" value=d.response_days.to_string() inputmode="numeric" required=true>
                                    {t!(i18n, directory.response_days)}
                                </Field>
                            </div>
                            <fieldset class="without-accounts">
                                <legend>{t!(i18n, directory.without_accounts_title)}</legend>
                                <p class="hint">{t!(i18n, directory.without_accounts_hint)}</p>
                                <Checkbox form name="without_accounts" checked=contact.is_some()>
                                    {t!(i18n, directory.without_accounts)}
                                </Checkbox>
                                <div class="grid-2">
                                    <Field form name="contact_person" value=contact.clone().unwrap_or_default().person autocomplete="off">
                                        {t!(i18n, directory.contact_person)}
                                    </Field>
                                    <Field form name="contact_phone" input_type="tel" value=contact.clone().unwrap_or_default().phone dir="ltr" autocomplete="off">
                                        {t!(i18n, directory.contact_phone)}
                                    </Field>
                                </div>
                                <Field form name="contact_address" value=contact.clone().unwrap_or_default().address autocomplete="off">
                                    {t!(i18n, directory.contact_address)}
                                </Field>
                            </fieldset>
                            <CheckboxGroup
                                form
                                name="services[]"
                                groups=vec![(String::new(), services)]
                                selected=d.services.iter().map(|s| s.as_str().to_string()).collect()
                            >
                                {t!(i18n, directory.services)}
                            </CheckboxGroup>
                            <CheckboxGroup form name="provinces[]" groups=province_groups selected=d.provinces.clone()>
                                {t!(i18n, directory.provinces)}
                            </CheckboxGroup>
                            <Submit>{t!(i18n, directory.save)}</Submit>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}
