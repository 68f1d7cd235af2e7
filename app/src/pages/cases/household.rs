//! The household fields (on the registration form and the edit form), the page that edits
//! them, and how an edit conflict is explained.

use super::province_options;
use crate::api::families::{get_case, UpdateHousehold};
use crate::components::dates::format_timestamp;
use crate::components::fields::{CalendarInput, DateField, Field, FormAlert, SelectField, Submit};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::me::use_me;
use crate::components::messages::{
    household_field_label, options, origin_label, return_type_label,
};
use crate::error::AppError;
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::auth::Me;
use crate::model::families::FamilyView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::family::{ReturnType, RETURNED_FROM};
use shared::Role;

/// The household inputs, named `household[field]`.
#[component]
pub fn HouseholdFields(
    form: FormState,
    me: Me,
    #[prop(default = None)] initial: Option<FamilyView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let f = initial.clone();
    let text =
        |get: fn(&FamilyView) -> Option<String>| f.as_ref().and_then(get).unwrap_or_default();
    let origins: Vec<(String, String)> = RETURNED_FROM
        .iter()
        .map(|c| (c.to_string(), origin_label(i18n, c).to_string()))
        .collect();
    view! {
        <div class="grid-2">
            <SelectField
                form
                name="household[province]"
                options=province_options(i18n, &me)
                value=text(|f| Some(f.province.clone()))
                placeholder=tu_string!(i18n, admin.users.choose).to_string()
                required=true
            >
                {t!(i18n, family.province)}
            </SelectField>
            <Field form name="household[district]" value=text(|f| Some(f.district.clone())) required=true>
                {t!(i18n, family.district)}
            </Field>
            <Field form name="household[address]" value=text(|f| f.address.clone())>
                {t!(i18n, family.address)}
            </Field>
            <Field form name="household[phone]" value=text(|f| f.phone.clone()) input_type="tel" dir="ltr" autocomplete="off">
                {t!(i18n, family.phone)}
            </Field>
            <DateField form name="household[return_date]" value=text(|f| Some(f.return_date.clone())) required=true>
                {t!(i18n, family.return_date)}
            </DateField>
            <SelectField
                form
                name="household[returned_from]"
                options=origins
                value=text(|f| Some(f.returned_from.clone()))
                placeholder=tu_string!(i18n, admin.users.choose).to_string()
                required=true
            >
                {t!(i18n, family.returned_from)}
            </SelectField>
            <SelectField
                form
                name="household[return_type]"
                options=options(i18n, ReturnType::ALL, ReturnType::as_str, return_type_label)
                value=text(|f| Some(f.return_type.as_str().to_string()))
                placeholder=tu_string!(i18n, admin.users.choose).to_string()
                required=true
            >
                {t!(i18n, family.return_type)}
            </SelectField>
            <SelectField
                form
                name="household[displaced_from]"
                options=me.country.map(|c| super::country_provinces(i18n, c)).unwrap_or_default()
                value=text(|f| f.displaced_from.clone())
                placeholder=String::new()
                hint=ViewFn::from(move || t!(i18n, family.displaced_from_hint))
            >
                {t!(i18n, family.displaced_from)}
            </SelectField>
        </div>
    }
}

/// The version an edit starts from (a hidden input), and, after a conflict, what changed in
/// the meantime. The post comes back with the page showing the newer record, and the
/// version the user had started from in the flash.
#[component]
pub fn ConflictNotice(form: FormState, case: FamilyView) -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let typed_version: Option<i64> = form.typed("version").and_then(|v| v.parse().ok());
    let base_version = typed_version.unwrap_or(case.version);
    let conflict = matches!(form.error().get_untracked(), Some(AppError::Conflict));
    let version = case.version.to_string();
    let fresh = conflict.then_some(case);
    view! {
        <input type="hidden" name="version" value=version/>
        <Suspense>
            {move || {
                let fresh = fresh.clone();
                Suspend::new(async move {
                    let fresh = fresh?;
                    let country = me.await.ok().flatten().and_then(|m| m.country);
                    let changes: Vec<_> = fresh
                        .events
                        .iter()
                        .filter(|e| e.version.is_some_and(|v| v > base_version))
                        .cloned()
                        .collect();
                    Some(view! {
                        <div class="alert alert-error conflict" role="alert">
                            <p><strong>{t!(i18n, family.conflict_title)}</strong></p>
                            <ul>
                                {changes.into_iter().rev().map(|e| {
                                    let fields = e.fields.iter().map(|f| household_field_label(i18n, f)).collect::<Vec<_>>().join(tu_string!(i18n, list_separator));
                                    let what = if fields.is_empty() { crate::components::messages::event_label(i18n, e.kind).to_string() } else { fields };
                                    view! {
                                        <li>
                                            {format_timestamp(i18n, &e.occurred_at, country)}" · "
                                            <bdi>{e.actor.clone().unwrap_or_default()}</bdi>": "{what}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <p>{t!(i18n, family.conflict_keep)}</p>
                        </div>
                    })
                })
            }}
        </Suspense>
    }
}

/// `/cases/:id/edit`: the household fields of a case.
#[component]
pub fn EditHouseholdPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let family_id = move || params.read().get("id").unwrap_or_default();
    let case = Resource::new(family_id, get_case);
    let me = use_me();
    let action = ServerAction::<UpdateHousehold>::new();
    let flash = flash_resource::<UpdateHousehold>();
    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Title text=tu_string!(i18n, family.edit_household)/>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let (case, me) = match (case.await, me.await) {
                        (Ok(c), Ok(Some(me))) => (c, me),
                        (Err(e), _) | (_, Err(e)) => return view! { <ErrorPanel error=e/> }.into_any(),
                        _ => return view! { <ErrorPanel error=AppError::Unauthenticated/> }.into_any(),
                    };
                    let form = FormState::new(action, flash.await);
                    let back = format!("/cases/{}", case.family_id);
                    view! {
                        <p><a href=back>{t!(i18n, actions.back)}</a></p>
                        <h1>{t!(i18n, family.edit_household)}" · "<bdi>{case.case_number.clone()}</bdi></h1>
                        <ActionForm action attr:novalidate=true>
                            <FormAlert form/>
                            <ConflictNotice form case=case.clone()/>
                            <CalendarInput/>
                            <input type="hidden" name="family_id" value=case.family_id.clone()/>
                            <HouseholdFields form me initial=Some(case.clone())/>
                            <Submit>{t!(i18n, actions.save)}</Submit>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}
