//! The fields of one member (on the registration form, once per person, and on the member
//! form), and the page that edits or adds one member.

use super::person_name;
use crate::api::families::{get_case, SaveMember};
use crate::components::fields::{
    CalendarInput, CheckboxGroup, DateField, Field, FormAlert, SelectField, Submit, TextArea,
};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{
    document_type_label, education_label, need_label, options, presence_label, relationship_label,
    sex_label,
};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::families::MemberView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::family::{DocumentType, Education, Presence, Relationship, Sex, SpecificNeed};
use shared::{Country, Role};

/// The inputs of one member, named `{prefix}[field]`.
#[component]
pub fn MemberFields(
    form: FormState,
    #[prop(into)] prefix: String,
    #[prop(default = None)] initial: Option<MemberView>,
    /// The relationship preselected on a new member (the first is the head).
    #[prop(optional)]
    default_relationship: Option<Relationship>,
    /// The country of the case: the identity documents asked for are its own.
    country: Option<Country>,
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
    // The country's documents, and any other the person already holds.
    let held = m.as_ref().map(|m| m.documents.clone()).unwrap_or_default();
    let mut kinds: Vec<DocumentType> = country
        .map(|c| DocumentType::for_country(c).to_vec())
        .unwrap_or_else(|| DocumentType::ALL.to_vec());
    kinds.extend(
        held.iter()
            .map(|d| d.0)
            .filter(|k| !kinds.contains(k))
            .collect::<Vec<_>>(),
    );
    let documents = kinds
        .into_iter()
        .map(|kind| {
            let number = held.iter().find(|d| d.0 == kind).map(|d| d.1.clone()).unwrap_or_default();
            view! {
                <Field form name=key(&format!("documents][{}", kind.as_str())) value=number dir="ltr" autocomplete="off">
                    {document_type_label(i18n, kind)}
                </Field>
            }
        })
        .collect_view();
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
        </div>
        <fieldset class="documents">
            <legend>{t!(i18n, family.documents)}</legend>
            <p class="hint">{t!(i18n, family.documents_hint)}</p>
            <div class="grid-2">{documents}</div>
        </fieldset>
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

/// Whether a member still lives with the family, and since when not: asked of a member already
/// on the record (a family is registered with the people who came back).
/// The head, who cannot leave without one, also names who heads the household next.
#[component]
fn PresenceFields(form: FormState, member: MemberView, others: Vec<MemberView>) -> impl IntoView {
    let i18n = use_i18n();
    let successors = (member.relationship == Relationship::Head).then(|| {
        let options = others
            .iter()
            .filter(|o| o.presence == Presence::Present)
            .map(|o| {
                (
                    o.member_id.clone(),
                    person_name(&o.name_local, &o.name_latin),
                )
            })
            .collect::<Vec<_>>();
        view! {
            <SelectField form name="new_head" options placeholder=String::new()>
                {t!(i18n, family.new_head)}
            </SelectField>
        }
    });
    view! {
        <fieldset class="panel presence">
            <legend>{t!(i18n, family.presence)}</legend>
            <div class="grid-2">
                <SelectField
                    form
                    name="member[presence]"
                    options=options(i18n, Presence::ALL, Presence::as_str, presence_label)
                    value=member.presence.as_str().to_string()
                    required=true
                >
                    {t!(i18n, family.presence)}
                </SelectField>
                <DateField form name="member[left_on]" value=member.left_on.unwrap_or_default()>
                    {t!(i18n, family.left_on)}
                </DateField>
            </div>
            <p class="hint">{t!(i18n, family.left_on_hint)}</p>
            {successors}
        </fieldset>
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
                            <MemberFields form prefix="member" initial=existing.clone() country=Some(case.country)/>
                            {existing.clone().map(|m| {
                                let others = case.members.iter().filter(|o| o.member_id != m.member_id).cloned().collect();
                                view! { <PresenceFields form member=m others/> }
                            })}
                            <Submit>{t!(i18n, actions.save)}</Submit>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}
