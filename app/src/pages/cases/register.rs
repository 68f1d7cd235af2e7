//! `/cases/new`: registering a family — household, each person, consent — with a duplicate
//! check before anything is saved.

use super::household::HouseholdFields;
use super::member::MemberFields;
use crate::api::families::RegisterFamily;
use crate::components::fields::{CalendarInput, Checkbox, Field, FormAlert, Submit};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::me::use_me;
use crate::error::AppError;
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::family::{MatchReason, Relationship, MAX_MEMBERS};
use shared::Role;

#[component]
pub fn RegisterFamilyPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let query = use_query_map();
    let requested = query
        .read_untracked()
        .get("members")
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_MEMBERS);
    // The "add a person" button posts the form, which comes back with `?members=N+1` and
    // what was typed.
    let action = ServerAction::<RegisterFamily>::new();
    let flash = flash_resource::<RegisterFamily>();
    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Title text=tu_string!(i18n, family.register_title)/>
            <h1>{t!(i18n, family.register_title)}</h1>
            <p class="intro">{t!(i18n, family.register_intro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let me = match me.await {
                        Ok(Some(me)) => me,
                        Ok(None) => return view! { <ErrorPanel error=AppError::Unauthenticated/> }.into_any(),
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let form = FormState::new(action, flash.await);
                    let country = me.country;
                    view! {
                        <ActionForm action attr:novalidate=true attr:class="register">
                            <FormAlert form/>
                            <Duplicates form/>
                            <CalendarInput/>
                            <fieldset class="panel">
                                <legend>{t!(i18n, family.household)}</legend>
                                <HouseholdFields form me/>
                            </fieldset>
                            <For each=move || 0..requested key=|i| *i let:i>
                                <fieldset class="panel member-block">
                                    <legend>{t!(i18n, family.member_n, n = i + 1)}</legend>
                                    <MemberFields
                                        form
                                        prefix=format!("members[{i}]")
                                        default_relationship=if i == 0 { Relationship::Head } else { Relationship::OtherRelative }
                                        country
                                    />
                                </fieldset>
                            </For>
                            <p>
                                <button
                                    type="submit"
                                    name="intent"
                                    value="add_member"
                                    class="button"
                                >
                                    {t!(i18n, family.more_members)}
                                </button>
                            </p>
                            <fieldset class="panel">
                                <legend>{t!(i18n, family.consent)}</legend>
                                <Checkbox form name="consent_registration">{t!(i18n, family.consent_registration)}</Checkbox>
                                <Checkbox form name="consent_sharing">{t!(i18n, family.consent_sharing)}</Checkbox>
                                <Field form name="consent_given_by" required=true hint=ViewFn::from(move || t!(i18n, family.consent_given_by_hint))>
                                    {t!(i18n, family.consent_given_by)}
                                </Field>
                            </fieldset>
                            <Submit>{t!(i18n, family.register_submit)}</Submit>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}

/// The cases this family may already have, and the confirmation that it is another family.
#[component]
fn Duplicates(form: FormState) -> impl IntoView {
    let i18n = use_i18n();
    let error = form.error();
    move || {
        let Some(AppError::PossibleDuplicates(candidates)) = error.get() else {
            return None;
        };
        Some(view! {
            <section class="panel duplicates" aria-labelledby="duplicates-title">
                <h2 id="duplicates-title">{t!(i18n, family.duplicates_title)}</h2>
                <p>{t!(i18n, family.duplicates_intro)}</p>
                <ul>
                    {candidates.into_iter().map(|c| {
                        let reason = match c.reason {
                            MatchReason::SameDocument => tu_string!(i18n, family.duplicate_same_document),
                            MatchReason::SimilarPerson => tu_string!(i18n, family.duplicate_similar_person),
                        };
                        view! {
                            <li>
                                <a href=format!("/cases/{}", c.family_id) target="_blank" rel="external">
                                    <bdi dir="ltr">{c.case_number}</bdi>
                                </a>
                                " · "<bdi>{c.name}</bdi>" · "{reason}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Checkbox form name="confirmed_distinct">{t!(i18n, family.confirm_distinct)}</Checkbox>
            </section>
        })
    }
}
