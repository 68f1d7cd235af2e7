//! The fields of one member (on the registration form, once per person, and on the member
//! form), and the page that edits or adds one member.

use super::person_name;
use crate::api::families::{get_case, SaveMember};
use crate::components::fields::{
    CalendarInput, CheckboxGroup, DateField, Field, FormAlert, SelectField, Submit, TextArea,
};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{
    document_type_label, education_label, need_label, options, relationship_label, sex_label,
};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::families::MemberView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::family::{DocumentType, Education, Relationship, Sex, SpecificNeed};
use shared::Role;

/// The inputs of one member, named `{prefix}[field]`.
#[component]
pub fn MemberFields(
    form: FormState,
    #[prop(into)] prefix: String,
    #[prop(default = None)] initial: Option<MemberView>,
    /// The relationship preselected on a new member (the first is the head).
    #[prop(optional)]
    default_relationship: Option<Relationship>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = |f: &str| format!("{prefix}[{f}]");
    let m = initial.clone();
    let text =
        |get: fn(&MemberView) -> Option<String>| m.as_ref().and_then(get).unwrap_or_default();
    let relationship = m
        .as_ref()
        .map(|m| m.relationship.as_str().to_string())
        .or(default_relationship.map(|r| r.as_str().to_string()));
    let needs: Vec<(String, String)> =
        options(i18n, SpecificNeed::ALL, SpecificNeed::as_str, need_label);
    let document = m.as_ref().and_then(|m| m.documents.first().cloned());
    view! {
        <div class="grid-2">
            <Field form name=key("name_local") value=text(|m| m.name_local.clone()) dir="auto" autocomplete="off">
                {t!(i18n, family.name_local)}
            </Field>
            <Field form name=key("name_latin") value=text(|m| m.name_latin.clone()) dir="ltr" autocomplete="off">
                {t!(i18n, family.name_latin)}
            </Field>
            <Field form name=key("father_name") value=text(|m| m.father_name.clone()) dir="auto" autocomplete="off">
                {t!(i18n, family.father_name)}
            </Field>
            <SelectField
                form
                name=key("sex")
                options=options(i18n, Sex::ALL, Sex::as_str, sex_label)
                value=m.as_ref().map(|m| m.sex.as_str().to_string()).unwrap_or_default()
                placeholder=tu_string!(i18n, admin.users.choose).to_string()
                required=true
            >
                {t!(i18n, family.sex)}
            </SelectField>
            <DateField form name=key("birth_date") value=text(|m| m.birth_date.clone())>
                {t!(i18n, family.birth_date)}
            </DateField>
            <Field
                form
                name=key("age")
                value=m.as_ref().and_then(|m| m.estimated_age).map(|a| a.to_string()).unwrap_or_default()
                inputmode="numeric"
                hint=ViewFn::from(move || t!(i18n, family.age_hint))
            >
                {t!(i18n, family.age)}
            </Field>
            <SelectField
                form
                name=key("relationship")
                options=options(i18n, Relationship::ALL, Relationship::as_str, relationship_label)
                value=relationship.unwrap_or_default()
                placeholder=tu_string!(i18n, admin.users.choose).to_string()
                required=true
            >
                {t!(i18n, family.relationship)}
            </SelectField>
            <SelectField
                form
                name=key("education")
                options=options(i18n, Education::ALL, Education::as_str, education_label)
                value=m.as_ref().map(|m| m.education.as_str().to_string()).unwrap_or_default()
                placeholder=tu_string!(i18n, education.unknown).to_string()
            >
                {t!(i18n, family.education)}
            </SelectField>
            <Field form name=key("occupation") value=text(|m| m.occupation.clone())>
                {t!(i18n, family.occupation)}
            </Field>
            <Field form name=key("skills") value=text(|m| m.skills.clone())>
                {t!(i18n, family.skills)}
            </Field>
            <SelectField
                form
                name=key("document_type")
                options=options(i18n, DocumentType::ALL, DocumentType::as_str, document_type_label)
                value=document.as_ref().map(|d| d.0.as_str().to_string()).unwrap_or_default()
                placeholder=tu_string!(i18n, family.no_document).to_string()
            >
                {t!(i18n, family.document_type)}
            </SelectField>
            <Field form name=key("document_number") value=document.map(|d| d.1).unwrap_or_default() dir="ltr" autocomplete="off">
                {t!(i18n, family.document_number)}
            </Field>
        </div>
        <TextArea form name=key("health") value=text(|m| m.health.clone()) rows=2>
            {t!(i18n, family.health)}
        </TextArea>
        <CheckboxGroup
            form
            name=format!("{prefix}[needs][]")
            groups=vec![(String::new(), needs)]
            selected=m.as_ref().map(|m| m.needs.iter().map(|n| n.as_str().to_string()).collect()).unwrap_or_default()
        >
            {t!(i18n, family.needs)}
        </CheckboxGroup>
    }
}

/// `/cases/:id/members/:member_id`: edit one member, or add one (`new`).
#[component]
pub fn MemberPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let family_id = move || params.read().get("id").unwrap_or_default();
    let member_id = move || params.read().get("member_id").unwrap_or_default();
    let case = Resource::new(family_id, get_case);
    let action = ServerAction::<SaveMember>::new();
    let flash = flash_resource::<SaveMember>();
    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Title text=tu_string!(i18n, family.member_title)/>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let case = match case.await {
                        Ok(c) => c,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let id = member_id();
                    let existing = case.members.iter().find(|m| m.member_id == id).cloned();
                    if id != "new" && existing.is_none() {
                        return view! { <ErrorPanel error=crate::error::AppError::NotFound/> }.into_any();
                    }
                    let form = FormState::new(action, flash.await);
                    let back = format!("/cases/{}", case.family_id);
                    let heading = match &existing {
                        Some(m) => person_name(&m.name_local, &m.name_latin),
                        None => tu_string!(i18n, family.add_member).to_string(),
                    };
                    view! {
                        <p><a href=back>{t!(i18n, actions.back)}" · "<bdi>{case.case_number.clone()}</bdi></a></p>
                        <h1><bdi>{heading}</bdi></h1>
                        <ActionForm action attr:novalidate=true>
                            <FormAlert form/>
                            <super::household::ConflictNotice form case=case.clone()/>
                            <CalendarInput/>
                            <input type="hidden" name="family_id" value=case.family_id.clone()/>
                            <input type="hidden" name="member_id" value=if id == "new" { String::new() } else { id.clone() }/>
                            <MemberFields form prefix="member" initial=existing.clone()/>
                            <Submit>{t!(i18n, actions.save)}</Submit>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}
