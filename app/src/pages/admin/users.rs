//! The list of accounts, with filters in the URL, and the form that creates one.

use super::{area_groups, role_options};
use crate::api::admin::{list_organisations, list_users, CreateUser};
use crate::components::fields::{CheckboxGroup, Field, FormAlert, SelectField, Submit};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{location_name, role_label};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::admin::UserFilter;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;
use shared::Role;

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        UserFilter {
            organisation: q.get("organisation"),
            role: q.get("role"),
            q: q.get("q"),
            include_inactive: q.get("include_inactive").is_some(),
        }
    };
    let create = ServerAction::<CreateUser>::new();
    let users = Resource::new(filter, list_users);
    let orgs = Resource::new(|| (), |_| list_organisations());
    let flash = flash_resource::<CreateUser>();

    view! {
        <Page roles=&[Role::Admin]>
            <Title text=tu_string!(i18n, admin.users.title)/>
            <h1>{t!(i18n, admin.users.title)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let orgs = orgs.await.unwrap_or_default();
                    let f = filter();
                    let org_options: Vec<(String, String)> = orgs.iter().map(|o| (o.code.clone(), o.name.clone())).collect();
                    view! {
                        <Form method="GET" action="" attr:class="filters">
                            <label>
                                <span>{t!(i18n, admin.users.search)}</span>
                                <input type="search" name="q" value=f.q.clone().unwrap_or_default()/>
                            </label>
                            <label>
                                <span>{t!(i18n, admin.users.role)}</span>
                                <select name="role">
                                    <option value="">{t!(i18n, admin.users.all_roles)}</option>
                                    {role_options(i18n).into_iter().map(|(v, l)| {
                                        let sel = f.role.as_deref() == Some(v.as_str());
                                        view! { <option value=v selected=sel>{l}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>
                                <span>{t!(i18n, admin.users.organisation)}</span>
                                <select name="organisation">
                                    <option value="">{t!(i18n, admin.users.all_organisations)}</option>
                                    {org_options.into_iter().map(|(v, l)| {
                                        let sel = f.organisation.as_deref() == Some(v.as_str());
                                        view! { <option value=v selected=sel>{l}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                            <label class="checkbox">
                                <input type="checkbox" name="include_inactive" value="1" checked=f.include_inactive/>
                                <span>{t!(i18n, admin.users.include_inactive)}</span>
                            </label>
                            <button type="submit" class="button">{t!(i18n, actions.filter)}</button>
                            <a href="/admin/users" class="button link">{t!(i18n, actions.clear)}</a>
                        </Form>
                    }
                })}
            </Suspense>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, admin.users.none)}</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="data">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, admin.users.display_name)}</th>
                                            <th scope="col">{t!(i18n, admin.users.email)}</th>
                                            <th scope="col">{t!(i18n, admin.users.role)}</th>
                                            <th scope="col">{t!(i18n, admin.users.organisation)}</th>
                                            <th scope="col">{t!(i18n, admin.users.areas)}</th>
                                            <th scope="col">{t!(i18n, admin.users.status)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|u| {
                                            let href = format!("/admin/users/{}", u.user_id);
                                            let areas = u.areas.iter().map(|a| location_name(i18n, a)).collect::<Vec<_>>().join(tu_string!(i18n, list_separator));
                                            view! {
                                                <tr class:inactive=!u.active>
                                                    <td><A href=href><bdi>{u.display_name}</bdi></A></td>
                                                    <td><bdi dir="ltr">{u.email}</bdi></td>
                                                    <td>{role_label(i18n, u.role)}</td>
                                                    <td><bdi>{u.organisation_name}</bdi></td>
                                                    <td>{areas}</td>
                                                    <td>{if u.active { tu_string!(i18n, admin.users.active) } else { tu_string!(i18n, admin.users.inactive) }}</td>
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
                <h2>{t!(i18n, admin.users.create_title)}</h2>
                <Suspense>
                    {move || Suspend::new(async move {
                        let orgs = orgs.await.unwrap_or_default();
                        let form = FormState::new(create, flash.await);
                        let org_options = orgs
                            .iter()
                            .filter(|o| o.active)
                            .map(|o| (o.organisation_id.clone(), o.name.clone()))
                            .collect::<Vec<_>>();
                        view! {
                            <ActionForm action=create attr:novalidate=true>
                                <FormAlert form/>
                                <Field form name="display_name" autocomplete="off" required=true>
                                    {t!(i18n, admin.users.display_name)}
                                </Field>
                                <Field form name="email" input_type="email" autocomplete="off" required=true dir="ltr">
                                    {t!(i18n, admin.users.email)}
                                </Field>
                                <SelectField form name="role" options=role_options(i18n) placeholder=tu_string!(i18n, admin.users.choose).to_string() required=true>
                                    {t!(i18n, admin.users.role)}
                                </SelectField>
                                <SelectField form name="organisation_id" options=org_options placeholder=tu_string!(i18n, admin.users.choose).to_string() required=true>
                                    {t!(i18n, admin.users.organisation)}
                                </SelectField>
                                <CheckboxGroup
                                    form
                                    name="areas[]"
                                    groups=area_groups(i18n, None)
                                    selected=vec![]
                                    hint=ViewFn::from(move || t!(i18n, admin.users.areas_hint))
                                >
                                    {t!(i18n, admin.users.areas)}
                                </CheckboxGroup>
                                <Field
                                    form
                                    name="password"
                                    input_type="password"
                                    autocomplete="new-password"
                                    required=true
                                    hint=ViewFn::from(move || t!(i18n, admin.users.password_hint))
                                >
                                    {t!(i18n, admin.users.password)}
                                </Field>
                                <Submit>{t!(i18n, actions.create)}</Submit>
                            </ActionForm>
                        }
                    })}
                </Suspense>
            </section>
        </Page>
    }
}
