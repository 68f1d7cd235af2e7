//! One account: its areas, a new password, deactivation.

use super::area_groups;
use crate::api::admin::{
    get_user, handover_choices, DeactivateUser, ReactivateUser, ResetPassword, SetUserAreas,
};
use crate::components::dates::num;
use crate::components::fields::{CheckboxGroup, Field, FormAlert, SelectField, Submit};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{country_label, role_label};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::team::UNASSIGNED;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::Role;

#[component]
pub fn UserPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let user_id = move || params.read().get("id").unwrap_or_default();
    let areas_action = ServerAction::<SetUserAreas>::new();
    let reset_action = ServerAction::<ResetPassword>::new();
    let deactivate = ServerAction::<DeactivateUser>::new();
    let reactivate = ServerAction::<ReactivateUser>::new();
    let user = Resource::new(user_id, get_user);
    // Where a caseworker's open cases go if the account is deactivated.
    let handover = Resource::new(user_id, handover_choices);
    let areas_flash = flash_resource::<SetUserAreas>();
    let reset_flash = flash_resource::<ResetPassword>();
    let deactivate_flash = flash_resource::<DeactivateUser>();
    let reactivate_flash = flash_resource::<ReactivateUser>();

    view! {
        <Page roles=&[Role::Admin]>
            <Title text=tu_string!(i18n, admin.user.title)/>
            <p><a href="/admin/users">{t!(i18n, actions.back)}</a></p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let u = match user.await {
                        Ok(u) => u,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let areas_form = FormState::new(areas_action, areas_flash.await);
                    let reset_form = FormState::new(reset_action, reset_flash.await);
                    let status_form = if u.active {
                        FormState::new(deactivate, deactivate_flash.await)
                    } else {
                        FormState::new(reactivate, reactivate_flash.await)
                    };
                    let handover = handover.await.unwrap_or_default();
                    let id = u.user_id.clone();
                    let (id_reset, id_status) = (id.clone(), id.clone());
                    view! {
                        <h1><bdi>{u.display_name.clone()}</bdi></h1>
                        <dl class="facts">
                            <dt>{t!(i18n, admin.users.email)}</dt>
                            <dd><bdi dir="ltr">{u.email.clone()}</bdi></dd>
                            <dt>{t!(i18n, admin.users.role)}</dt>
                            <dd>{role_label(i18n, u.role)}</dd>
                            <dt>{t!(i18n, admin.users.organisation)}</dt>
                            <dd><bdi>{u.organisation_name.clone()}</bdi>" · "{country_label(i18n, u.country)}</dd>
                            <dt>{t!(i18n, admin.users.status)}</dt>
                            <dd>{if u.active { tu_string!(i18n, admin.users.active) } else { tu_string!(i18n, admin.users.inactive) }}</dd>
                        </dl>
                        {(u.role == Role::Caseworker).then({
                            let id = id.clone();
                            move || view! {
                            <section class="panel">
                                <h2>{t!(i18n, admin.user.areas_title)}</h2>
                                <ActionForm action=areas_action attr:novalidate=true>
                                    <FormAlert form=areas_form success=ViewFn::from(move || t!(i18n, saved))/>
                                    <input type="hidden" name="user_id" value=id.clone()/>
                                    <input type="hidden" name="version" value=u.version.to_string()/>
                                    <CheckboxGroup form=areas_form name="areas[]" groups=area_groups(i18n, u.country) selected=u.areas.clone()>
                                        {t!(i18n, admin.users.areas)}
                                    </CheckboxGroup>
                                    <Submit>{t!(i18n, admin.user.save_areas)}</Submit>
                                </ActionForm>
                            </section>
                        }})}
                        <section class="panel">
                            <h2>{t!(i18n, admin.user.reset_title)}</h2>
                            <ActionForm action=reset_action attr:novalidate=true>
                                <FormAlert form=reset_form success=ViewFn::from(move || t!(i18n, admin.user.reset_done))/>
                                <input type="hidden" name="user_id" value=id_reset/>
                                <Field
                                    form=reset_form
                                    name="new_password"
                                    input_type="password"
                                    autocomplete="new-password"
                                    required=true
                                    hint=ViewFn::from(move || t!(i18n, admin.users.password_hint))
                                >
                                    {t!(i18n, admin.user.new_password)}
                                </Field>
                                <Submit>{t!(i18n, admin.user.reset_submit)}</Submit>
                            </ActionForm>
                        </section>
                        <section class="panel">
                            <h2>{t!(i18n, admin.user.status_title)}</h2>
                            <p class="hint">{t!(i18n, admin.user.deactivate_hint)}</p>
                            {let id = id_status; if u.active {
                                view! {
                                    <ActionForm action=deactivate attr:novalidate=true>
                                        <FormAlert form=status_form/>
                                        <input type="hidden" name="user_id" value=id.clone()/>
                                        {(handover.open_cases > 0).then(|| {
                                            let mut options: Vec<(String, String)> = handover.successors.iter().map(|w| (w.user_id.clone(), w.name.clone())).collect();
                                            options.push((UNASSIGNED.to_string(), tu_string!(i18n, admin.user.cases_unassigned).to_string()));
                                            view! {
                                                <p>{t!(i18n, admin.user.handover_count, n = num(i18n, handover.open_cases))}</p>
                                                <SelectField form=status_form name="cases_to" options placeholder=tu_string!(i18n, team.choose) required=true>
                                                    {t!(i18n, admin.user.cases_to)}
                                                </SelectField>
                                            }
                                        })}
                                        <Submit class="button danger">{t!(i18n, actions.deactivate)}</Submit>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=reactivate>
                                        <FormAlert form=status_form/>
                                        <input type="hidden" name="user_id" value=id.clone()/>
                                        <Submit>{t!(i18n, actions.reactivate)}</Submit>
                                    </ActionForm>
                                }.into_any()
                            }}
                        </section>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}
