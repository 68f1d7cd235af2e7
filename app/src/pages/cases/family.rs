//! `/cases/:id`: the family record — header, household, members, consent, notes, assignment
//! and the timeline of everything that happened.

use super::documents::{upload_form, DocumentForms, DocumentsPanel};
use super::follow_ups::{ClosureForms, ClosurePanel, FollowUpForms, FollowUpsPanel};
use super::merge::{MergedNotice, MergesPanel};
use super::person_name;
use super::plan::{AssessmentPanel, PlanPanel};
use super::refer::ReferralsPanel;
use super::transfer::{TransferForms, TransferPanel};
use crate::api::assessments::case_progress;
use crate::api::documents::{case_documents, DeleteDocument, ShareDocument, UploadDocument};
use crate::api::families::{get_case, list_assignable, AddNote, AssignCase, RecordConsent};
use crate::api::follow_ups::{
    case_follow_ups, DecideClosure, RecordFollowUp, ReopenCase, RequestClosure, ScheduleFollowUp,
};
use crate::api::merges::UndoMerge;
use crate::api::referrals::{case_referrals, CancelReferral, ReissueReferralCode};
use crate::api::transfers::{case_transfer, DecideTransfer, ProposeTransfer, WithdrawTransfer};
use crate::components::dates::{format_iso_date, format_timestamp, num};
use crate::components::fields::{Checkbox, Field, FormAlert, SelectField, Submit, TextArea};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::me::use_me;
use crate::components::messages::{
    closure_reason_label, consent_kind_label, document_type_label, education_label,
    erasure_reason_label, event_label, household_field_label, location_name, need_label, options,
    origin_label, presence_label, relationship_label, return_type_label, sex_label, status_label,
};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::families::{FamilyView, NoteView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::family::{ConsentKind, Presence};
use shared::follow_up::ClosureReason;
use shared::retention::ErasureReason;
use shared::timeline::CaseEvent;
use shared::{Country, Role};

#[component]
pub fn FamilyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let me = use_me();
    let family_id = move || params.read().get("id").unwrap_or_default();
    let note = ServerAction::<AddNote>::new();
    let consent = ServerAction::<RecordConsent>::new();
    let assign = ServerAction::<AssignCase>::new();
    let schedule = ServerAction::<ScheduleFollowUp>::new();
    let record = ServerAction::<RecordFollowUp>::new();
    let request = ServerAction::<RequestClosure>::new();
    let decide = ServerAction::<DecideClosure>::new();
    let reopen = ServerAction::<ReopenCase>::new();
    let propose = ServerAction::<ProposeTransfer>::new();
    let withdraw = ServerAction::<WithdrawTransfer>::new();
    let decide_transfer = ServerAction::<DecideTransfer>::new();
    let undo_merge = ServerAction::<UndoMerge>::new();
    let undo_merge_flash = flash_resource::<UndoMerge>();
    let transfer = Resource::new(family_id, case_transfer);
    let follow_ups = Resource::new(family_id, case_follow_ups);
    let case = Resource::new(family_id, get_case);
    // Whom a supervisor may assign the case to.
    let supervisor = move || {
        me.get()
            .and_then(|r| r.ok().flatten())
            .is_some_and(|m| m.role == Role::Supervisor)
    };
    let assignable = Resource::new(
        move || (family_id(), supervisor()),
        |(id, supervisor)| async move {
            if supervisor {
                list_assignable(id).await.unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    );
    let locale = super::assess::locale_code();
    let progress = Resource::new(
        move || (family_id(), locale()),
        |(id, l)| case_progress(id, l),
    );
    let cancel = ServerAction::<CancelReferral>::new();
    let referrals = Resource::new(family_id, case_referrals);
    let cancel_flash = flash_resource::<CancelReferral>();
    let reissue = ServerAction::<ReissueReferralCode>::new();
    let reissue_flash = flash_resource::<ReissueReferralCode>();
    let documents = Resource::new(family_id, case_documents);
    let upload_flash = flash_resource::<UploadDocument>();
    let share_document = ServerAction::<ShareDocument>::new();
    let share_flash = flash_resource::<ShareDocument>();
    let delete_document = ServerAction::<DeleteDocument>::new();
    let delete_flash = flash_resource::<DeleteDocument>();
    let schedule_flash = flash_resource::<ScheduleFollowUp>();
    let record_flash = flash_resource::<RecordFollowUp>();
    let request_flash = flash_resource::<RequestClosure>();
    let decide_flash = flash_resource::<DecideClosure>();
    let reopen_flash = flash_resource::<ReopenCase>();
    let propose_flash = flash_resource::<ProposeTransfer>();
    let withdraw_flash = flash_resource::<WithdrawTransfer>();
    let decide_transfer_flash = flash_resource::<DecideTransfer>();
    let note_flash = flash_resource::<AddNote>();
    let consent_flash = flash_resource::<RecordConsent>();
    let assign_flash = flash_resource::<AssignCase>();

    view! {
        <Page roles=&[Role::Caseworker, Role::Supervisor]>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let (case, me, progress, referrals) = match (case.await, me.await, progress.await, referrals.await) {
                        (Ok(c), Ok(Some(me)), Ok(p), Ok(r)) => (c, me, p, r),
                        (Err(e), _, _, _) | (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => return view! { <ErrorPanel error=e/> }.into_any(),
                        _ => return view! { <ErrorPanel error=crate::error::AppError::Unauthenticated/> }.into_any(),
                    };
                    let country = me.country;
                    let supervisor = me.role == Role::Supervisor;
                    // A record merged into another is shown as it was, read only.
                    if let Some(merge) = case.merged.clone() {
                        return view! {
                            <Title text=case.case_number.clone()/>
                            <Header case=case.clone() country/>
                            <MergedNotice merge country/>
                            <div class="columns">
                                <div class="main-column">
                                    <Household case=case.clone() read_only=true/>
                                    <Members case=case.clone() read_only=true/>
                                </div>
                                <div class="side-column">
                                    <Timeline case country/>
                                </div>
                            </div>
                        }.into_any();
                    }
                    let undo_merge_form = FormState::new(undo_merge, undo_merge_flash.await);
                    let note_form = FormState::new(note, note_flash.await);
                    let cancel_form = FormState::new(cancel, cancel_flash.await);
                    let reissue_form = FormState::new(reissue, reissue_flash.await);
                    let documents = match documents.await {
                        Ok(d) => d,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let document_forms = DocumentForms {
                        upload: upload_form(upload_flash.await),
                        share: (share_document, FormState::new(share_document, share_flash.await)),
                        delete: (delete_document, FormState::new(delete_document, delete_flash.await)),
                    };
                    let follow_ups = match follow_ups.await {
                        Ok(f) => f,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let fu_forms = FollowUpForms {
                        schedule: (schedule, FormState::new(schedule, schedule_flash.await)),
                        record: (record, FormState::new(record, record_flash.await)),
                    };
                    let closure_forms = ClosureForms {
                        request: (request, FormState::new(request, request_flash.await)),
                        decide: (decide, FormState::new(decide, decide_flash.await)),
                        reopen: (reopen, FormState::new(reopen, reopen_flash.await)),
                    };
                    let transfer = match transfer.await {
                        Ok(t) => t,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let transfer_forms = TransferForms {
                        propose: (propose, FormState::new(propose, propose_flash.await)),
                        withdraw: (withdraw, FormState::new(withdraw, withdraw_flash.await)),
                        decide: (decide_transfer, FormState::new(decide_transfer, decide_transfer_flash.await)),
                    };
                    let closed = case.status == shared::family::CaseStatus::Closed;
                    let consent_form = FormState::new(consent, consent_flash.await);
                    let assign_form = FormState::new(assign, assign_flash.await);
                    let assignable = assignable.await;
                    let (note_family, assign_family) = (case.family_id.clone(), case.family_id.clone());
                    let assigned_to = case.assigned_to.clone().unwrap_or_default();
                    view! {
                        <Title text=case.case_number.clone()/>
                        <Header case=case.clone() country/>
                        <p class="page-actions no-print">
                            <a class="button" href=format!("/cases/{}/print", case.family_id)>{t!(i18n, print.case_summary_link)}</a>
                        </p>
                        <div class="columns">
                            <div class="main-column">
                                <Household case=case.clone()/>
                                <AssessmentPanel progress=progress.clone()/>
                                <PlanPanel progress=progress/>
                                <ReferralsPanel family_id=case.family_id.clone() referrals form=cancel_form action=cancel reissue_form reissue country/>
                                <FollowUpsPanel family_id=case.family_id.clone() data=follow_ups.clone() forms=fu_forms closed/>
                                <DocumentsPanel family_id=case.family_id.clone() data=documents forms=document_forms country closed/>
                                <Members case=case.clone()/>
                                <section class="panel" aria-labelledby="notes-title">
                                    <h2 id="notes-title">{t!(i18n, family.notes)}</h2>
                                    <ActionForm action=note attr:novalidate=true>
                                        <FormAlert form=note_form/>
                                        <input type="hidden" name="family_id" value=note_family/>
                                        <TextArea form=note_form name="body" rows=3>{t!(i18n, family.note_body)}</TextArea>
                                        <Checkbox form=note_form name="internal">{t!(i18n, family.note_internal)}</Checkbox>
                                        <Submit>{t!(i18n, family.note_add)}</Submit>
                                    </ActionForm>
                                    <NotesList notes=case.notes.clone() country/>
                                </section>
                            </div>
                            <div class="side-column">
                                {supervisor.then(move || view! {
                                    <section class="panel" aria-labelledby="assign-title">
                                        <h2 id="assign-title">{t!(i18n, family.assign)}</h2>
                                        <ActionForm action=assign attr:novalidate=true>
                                            <FormAlert form=assign_form success=ViewFn::from(move || t!(i18n, saved))/>
                                            <input type="hidden" name="family_id" value=assign_family/>
                                            <input type="hidden" name="version" value=case.version.to_string()/>
                                            <SelectField
                                                form=assign_form
                                                name="user_id"
                                                options=assignable.iter().map(|w| (w.user_id.clone(), w.name.clone())).collect()
                                                value=assigned_to
                                                placeholder=tu_string!(i18n, family.choose_caseworker).to_string()
                                            >
                                                {t!(i18n, family.assign_to)}
                                            </SelectField>
                                            <Submit>{t!(i18n, family.assign)}</Submit>
                                        </ActionForm>
                                    </section>
                                })}
                                <ClosurePanel family_id=case.family_id.clone() version=case.version data=follow_ups status=case.status supervisor forms=closure_forms country/>
                                <TransferPanel family_id=case.family_id.clone() country=case.country province=case.province.clone() data=transfer forms=transfer_forms/>
                                <MergesPanel family_id=case.family_id.clone() merges=case.merges.clone() supervisor closed country form=undo_merge_form action=undo_merge/>
                                {supervisor.then(|| view! {
                                    <section class="panel" aria-labelledby="family-data-title">
                                        <h2 id="family-data-title">{t!(i18n, family_data.title)}</h2>
                                        <p>{t!(i18n, family_data.link_intro)}</p>
                                        <a href=format!("/cases/{}/data", case.family_id) class="button">{t!(i18n, family_data.open)}</a>
                                    </section>
                                })}
                                <Consent case=case.clone() form=consent_form action=consent country/>
                                <Timeline case=case.clone() country/>
                            </div>
                        </div>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}

#[component]
pub(super) fn Header(case: FamilyView, country: Option<Country>) -> impl IntoView {
    let i18n = use_i18n();
    let head = case
        .members
        .iter()
        .find(|m| m.relationship == shared::family::Relationship::Head);
    let name = head
        .map(|h| person_name(&h.name_local, &h.name_latin))
        .unwrap_or_default();
    view! {
        <div class="page-head case-head">
            <div>
                <p class="case-number"><bdi dir="ltr">{case.case_number.clone()}</bdi></p>
                <h1><bdi>{name}</bdi></h1>
            </div>
            <dl class="facts inline">
                <dt>{t!(i18n, family.status)}</dt>
                <dd><span class=format!("status status-{}", case.status.as_str())>{status_label(i18n, case.status)}</span></dd>
                <dt>{t!(i18n, family.assigned_to)}</dt>
                <dd><bdi>{case.assigned_to_name.clone().unwrap_or_else(|| tu_string!(i18n, family.not_assigned).to_string())}</bdi></dd>
                <dt>{t!(i18n, family.area)}</dt>
                <dd>{location_name(i18n, &case.province)}" · "<bdi>{case.district.clone()}</bdi></dd>
            </dl>
            {(!case.sharing_consent).then(|| view! { <p class="alert alert-warning">{t!(i18n, family.sharing_off)}</p> })}
            {case.anonymised_at.clone().map(|at| view! {
                <p class="alert alert-warning">{t!(i18n, family_data.anonymised, date = format_timestamp(i18n, &at, country))}</p>
            })}
        </div>
    }
}

#[component]
pub(super) fn Household(case: FamilyView, #[prop(optional)] read_only: bool) -> impl IntoView {
    let i18n = use_i18n();
    let edit = format!("/cases/{}/edit", case.family_id);
    view! {
        <section class="panel" aria-labelledby="household-title">
            <div class="section-head">
                <h2 id="household-title">{t!(i18n, family.household)}</h2>
                {(!read_only).then(|| view! { <a href=edit class="button">{t!(i18n, family.edit_household)}</a> })}
            </div>
            <dl class="facts">
                <dt>{t!(i18n, family.address)}</dt>
                <dd dir="auto">{case.address.clone().unwrap_or_default()}</dd>
                <dt>{t!(i18n, family.phone)}</dt>
                <dd><bdi dir="ltr">{case.phone.clone().unwrap_or_default()}</bdi></dd>
                <dt>{t!(i18n, family.return_date)}</dt>
                <dd>{format_iso_date(i18n, &case.return_date)}</dd>
                {match &case.displaced_from {
                    Some(place) => view! {
                        <dt>{t!(i18n, family.displaced_from)}</dt>
                        <dd>{location_name(i18n, place)}</dd>
                    }.into_any(),
                    None => view! {
                        <dt>{t!(i18n, family.returned_from)}</dt>
                        <dd>{origin_label(i18n, &case.returned_from)}</dd>
                    }.into_any(),
                }}
                <dt>{t!(i18n, family.return_type)}</dt>
                <dd>{return_type_label(i18n, case.return_type)}</dd>
            </dl>
        </section>
    }
}

#[component]
pub(super) fn Members(case: FamilyView, #[prop(optional)] read_only: bool) -> impl IntoView {
    let i18n = use_i18n();
    let add = format!("/cases/{}/members/new", case.family_id);
    let family_id = case.family_id.clone();
    // The household's size counts the people still living with it.
    let present = case
        .members
        .iter()
        .filter(|m| m.presence == Presence::Present)
        .count();
    view! {
        <section class="panel" aria-labelledby="members-title">
            <div class="section-head">
                <h2 id="members-title">{t!(i18n, family.members)}" ("{num(i18n, present)}")"</h2>
                {(!read_only).then(|| view! { <a href=add class="button">{t!(i18n, family.add_member)}</a> })}
            </div>
            <ul class="members">
                {case.members.into_iter().map(|m| {
                    let age = match (&m.birth_date, m.estimated_age) {
                        (Some(d), _) => format_iso_date(i18n, d),
                        (None, Some(a)) => tu_string!(i18n, family.age_estimated, age = num(i18n, a)).to_string(),
                        _ => String::new(),
                    };
                    let edit = format!("/cases/{}/members/{}", family_id, m.member_id);
                    let needs = m.needs.iter().map(|n| need_label(i18n, *n)).collect::<Vec<_>>().join(tu_string!(i18n, list_separator));
                    let docs = m.documents.clone();
                    let away = (m.presence != Presence::Present).then(|| {
                        let since = m.left_on.as_deref().map(|d| format_iso_date(i18n, d)).unwrap_or_default();
                        format!("{} {since}", presence_label(i18n, m.presence))
                    });
                    let is_away = away.is_some();
                    view! {
                        <li class="member" class:away=is_away>
                            <div class="section-head">
                                <h3><bdi>{person_name(&m.name_local, &m.name_latin)}</bdi></h3>
                                {(!read_only).then(|| view! { <a href=edit>{t!(i18n, family.edit)}</a> })}
                            </div>
                            <p class="meta">
                                {relationship_label(i18n, m.relationship)}" · "{sex_label(i18n, m.sex)}" · "{age}
                                {away.map(|a| view! { " · "<strong class="presence">{a}</strong> })}
                            </p>
                            <dl class="facts">
                                {m.father_name.clone().map(|f| view! { <dt>{t!(i18n, family.father_name)}</dt><dd><bdi>{f}</bdi></dd> })}
                                <dt>{t!(i18n, family.education)}</dt>
                                <dd>{education_label(i18n, m.education)}</dd>
                                {m.occupation.clone().map(|o| view! { <dt>{t!(i18n, family.occupation)}</dt><dd dir="auto">{o}</dd> })}
                                {m.skills.clone().map(|s| view! { <dt>{t!(i18n, family.skills)}</dt><dd dir="auto">{s}</dd> })}
                                {m.health.clone().map(|h| view! { <dt>{t!(i18n, family.health)}</dt><dd dir="auto">{h}</dd> })}
                                {(!needs.is_empty()).then(|| view! { <dt>{t!(i18n, family.needs)}</dt><dd>{needs}</dd> })}
                                {(!docs.is_empty()).then(|| view! {
                                    <dt>{t!(i18n, family.documents)}</dt>
                                    <dd>{docs.into_iter().map(|(kind, number)| view! {
                                        <span class="document">{document_type_label(i18n, kind)}": "<bdi dir="ltr">{number}</bdi></span>" "
                                    }).collect_view()}</dd>
                                })}
                            </dl>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Consent(
    case: FamilyView,
    form: FormState,
    action: ServerAction<RecordConsent>,
    country: Option<Country>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" aria-labelledby="consent-title">
            <h2 id="consent-title">{t!(i18n, family.consent)}</h2>
            <ConsentFacts case=case.clone() country/>
            <details>
                <summary>{t!(i18n, family.consent_record)}</summary>
                <ActionForm action attr:novalidate=true>
                    <FormAlert form success=ViewFn::from(move || t!(i18n, saved))/>
                    <input type="hidden" name="family_id" value=case.family_id.clone()/>
                    <SelectField form name="kind" options=options(i18n, ConsentKind::ALL, ConsentKind::as_str, consent_kind_label) value="sharing">
                        {t!(i18n, family.consent_kind)}
                    </SelectField>
                    <SelectField
                        form
                        name="given"
                        options=vec![("yes".into(), tu_string!(i18n, family.consent_give).into()), ("no".into(), tu_string!(i18n, family.consent_withdraw).into())]
                    >
                        {t!(i18n, family.consent)}
                    </SelectField>
                    <Field form name="given_by" required=true>{t!(i18n, family.consent_given_by)}</Field>
                    <Submit>{t!(i18n, actions.save)}</Submit>
                </ActionForm>
            </details>
        </section>
    }
}

/// Where each consent stands, and every time it was given or withdrawn.
#[component]
pub(super) fn ConsentFacts(case: FamilyView, country: Option<Country>) -> impl IntoView {
    let i18n = use_i18n();
    let state = move |given: bool| {
        if given {
            tu_string!(i18n, family.consent_yes)
        } else {
            tu_string!(i18n, family.consent_no)
        }
    };
    view! {
        <dl class="facts">
            <dt>{consent_kind_label(i18n, ConsentKind::Registration)}</dt>
            <dd>{state(case.registration_consent)}</dd>
            <dt>{consent_kind_label(i18n, ConsentKind::Sharing)}</dt>
            <dd>{state(case.sharing_consent)}</dd>
        </dl>
        <ul class="consents">
            {case.consents.iter().rev().map(|c| view! {
                <li>
                    {format_timestamp(i18n, &c.recorded_at, country)}" · "{consent_kind_label(i18n, c.kind)}": "{state(c.given)}
                    " · "<bdi>{c.given_by.clone()}</bdi>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The case's notes, newest first; `printed` leaves out the ones marked internal.
#[component]
pub(super) fn NotesList(
    notes: Vec<NoteView>,
    country: Option<Country>,
    #[prop(optional)] printed: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let notes: Vec<NoteView> = notes
        .into_iter()
        .filter(|n| !(printed && n.internal))
        .collect();
    if notes.is_empty() {
        return view! { <p class="empty">{t!(i18n, family.no_notes)}</p> }.into_any();
    }
    view! {
        <ul class="notes">
            {notes.into_iter().map(|n| view! {
                <li>
                    <p class="meta">
                        {format_timestamp(i18n, &n.created_at, country)}" · "<bdi>{n.author.clone().unwrap_or_default()}</bdi>
                        {n.internal.then(|| view! { " "<span class="tag">{t!(i18n, family.note_internal_tag)}</span> })}
                    </p>
                    <p class="note-body" dir="auto">{n.body}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Timeline(case: FamilyView, country: Option<Country>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t!(i18n, family.timeline)}</h2>
            <ol class="timeline">
                {case.events.into_iter().map(|e| {
                    let fields = e.fields.iter().map(|f| household_field_label(i18n, f)).collect::<Vec<_>>().join(tu_string!(i18n, list_separator));
                    // Texts that are codes are shown in the reader's language.
                    let text = e.text.as_deref();
                    let extra = match e.kind {
                        CaseEvent::ConsentGiven | CaseEvent::ConsentWithdrawn => text.and_then(ConsentKind::parse).map(|k| consent_kind_label(i18n, k).to_string()),
                        CaseEvent::ClosureRequested | CaseEvent::CaseClosed => text.and_then(ClosureReason::parse).map(|r| closure_reason_label(i18n, r).to_string()),
                        CaseEvent::ErasureRequested => text.and_then(ErasureReason::parse).map(|r| erasure_reason_label(i18n, r).to_string()),
                        CaseEvent::TransferProposed | CaseEvent::TransferWithdrawn | CaseEvent::TransferDeclined | CaseEvent::TransferAccepted => text.map(|k| location_name(i18n, k)),
                        _ if !fields.is_empty() => Some(fields),
                        _ => e.text.clone(),
                    };
                    view! {
                        <li>
                            <p class="meta">{format_timestamp(i18n, &e.occurred_at, country)}" · "<bdi>{e.actor.clone().unwrap_or_default()}</bdi></p>
                            <p>
                                <strong>{event_label(i18n, e.kind)}</strong>
                                {extra.map(|x| view! { ": "<bdi>{x}</bdi> })}
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
