//! Organisations: the list, activation, and the form that creates one.

use crate::api::admin::{
    list_organisations, CreateOrganisation, DeactivateOrganisation, ReactivateOrganisation,
};
use crate::components::fields::{Field, FormAlert, SelectField, Submit};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{country_label, org_kind_label};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::organisation::OrgKind;
use shared::{Country, Role};

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateOrganisation>::new();
    let deactivate = ServerAction::<DeactivateOrganisation>::new();
    let reactivate = ServerAction::<ReactivateOrganisation>::new();
    let orgs = Resource::new(|| (), |_| list_organisations());
    let flash = flash_resource::<CreateOrganisation>();
    let deactivate_flash = flash_resource::<DeactivateOrganisation>();

    view! {
        <Page roles=&[Role::Admin]>
            <Title text=tu_string!(i18n, admin.organisations.title)/>
            <h1>{t!(i18n, admin.organisations.title)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let status_form = FormState::new(deactivate, deactivate_flash.await);
                    match orgs.await {
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                        Ok(list) => view! {
                            <FormAlert form=status_form/>
                            <div class="table-wrap">
                                <table class="data">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, admin.organisations.name)}</th>
                                            <th scope="col">{t!(i18n, admin.organisations.code)}</th>
                                            <th scope="col">{t!(i18n, admin.organisations.kind)}</th>
                                            <th scope="col">{t!(i18n, admin.organisations.country)}</th>
                                            <th scope="col">{t!(i18n, admin.organisations.users)}</th>
                                            <th scope="col">{t!(i18n, admin.users.status)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|o| {
                                            let id = o.organisation_id.clone();
                                            let users_href = format!("/admin/users?organisation={}", o.code);
                                            view! {
                                                <tr class:inactive=!o.active>
                                                    <td><a href=format!("/admin/organisations/{}", o.organisation_id)><bdi>{o.name}</bdi></a></td>
                                                    <td><code>{o.code}</code></td>
                                                    <td>{org_kind_label(i18n, o.kind)}</td>
                                                    <td>{country_label(i18n, o.country)}</td>
                                                    <td><a href=users_href>{o.user_count}</a></td>
                                                    <td>
                                                        {if o.active {
                                                            view! {
                                                                <ActionForm action=deactivate attr:class="inline-form">
                                                                    <input type="hidden" name="organisation_id" value=id/>
                                                                    <span>{t!(i18n, admin.users.active)}" "</span>
                                                                    <button type="submit" class="button link">{t!(i18n, actions.deactivate)}</button>
                                                                </ActionForm>
                                                            }.into_any()
                                                        } else {
                                                            view! {
                                                                <ActionForm action=reactivate attr:class="inline-form">
                                                                    <input type="hidden" name="organisation_id" value=id/>
                                                                    <span>{t!(i18n, admin.users.inactive)}" "</span>
                                                                    <button type="submit" class="button link">{t!(i18n, actions.reactivate)}</button>
                                                                </ActionForm>
                                                            }.into_any()
                                                        }}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <section class="panel">
                <h2>{t!(i18n, admin.organisations.create_title)}</h2>
                <Suspense>
                    {move || Suspend::new(async move {
                        let form = FormState::new(create, flash.await);
                        let kinds = OrgKind::ALL
                            .iter()
                            .copied()
                            .map(|k| (k.as_str().to_string(), org_kind_label(i18n, k).to_string()))
                            .collect::<Vec<_>>();
                        let countries = Country::ALL
                            .into_iter()
                            .map(|c| (c.code().to_string(), country_label(i18n, Some(c)).to_string()))
                            .collect::<Vec<_>>();
                        view! {
                            <ActionForm action=create attr:novalidate=true>
                                <FormAlert form success=ViewFn::from(move || t!(i18n, admin.organisations.created))/>
                                <Field form name="name" required=true>{t!(i18n, admin.organisations.name)}</Field>
                                <Field
                                    form
                                    name="code"
                                    required=true
                                    dir="ltr"
                                    hint=ViewFn::from(move || t!(i18n, admin.organisations.code_hint))
                                >
                                    {t!(i18n, admin.organisations.code)}
                                </Field>
                                <SelectField form name="kind" options=kinds placeholder=tu_string!(i18n, admin.users.choose).to_string() required=true>
                                    {t!(i18n, admin.organisations.kind)}
                                </SelectField>
                                <SelectField form name="country" options=countries placeholder=tu_string!(i18n, admin.organisations.no_country).to_string()>
                                    {t!(i18n, admin.organisations.country)}
                                </SelectField>
                                <Submit>{t!(i18n, actions.create)}</Submit>
                            </ActionForm>
                        }
                    })}
                </Suspense>
            </section>
        </Page>
    }
}
