//! On the family page: the follow-ups (schedule, outcomes, an ad-hoc one) and closure
//! (request, the supervisor's decision, reopening).

use crate::api::follow_ups::{
    DecideClosure, RecordFollowUp, ReopenCase, RequestClosure, ScheduleFollowUp,
};
use crate::components::dates::{format_iso_date, format_timestamp};
use crate::components::fields::{
    CalendarInput, DateField, FormAlert, SelectField, Submit, TextArea,
};
use crate::components::messages::{
    closure_reason_label, follow_up_kind_label, follow_up_status_label, options,
};
use crate::form::FormState;
use crate::i18n::*;
use crate::model::follow_ups::FollowUpsOfCase;
use leptos::prelude::*;
use shared::family::CaseStatus;
use shared::follow_up::{ClosureReason, FollowUpKind, FollowUpStatus};
use shared::Country;

/// The forms of the follow-up panel.
#[derive(Clone, Copy)]
pub struct FollowUpForms {
    pub schedule: (ServerAction<ScheduleFollowUp>, FormState),
    pub record: (ServerAction<RecordFollowUp>, FormState),
}

#[component]
pub fn FollowUpsPanel(
    family_id: String,
    data: FollowUpsOfCase,
    forms: FollowUpForms,
    closed: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let (schedule, schedule_form) = forms.schedule;
    let (record, record_form) = forms.record;
    let outcomes = vec![
        (
            "done".to_string(),
            follow_up_status_label(i18n, FollowUpStatus::Done).to_string(),
        ),
        (
            "missed".to_string(),
            follow_up_status_label(i18n, FollowUpStatus::Missed).to_string(),
        ),
        (
            "cancelled".to_string(),
            follow_up_status_label(i18n, FollowUpStatus::Cancelled).to_string(),
        ),
    ];
    let kinds = options(
        i18n,
        FollowUpKind::ALL,
        FollowUpKind::as_str,
        follow_up_kind_label,
    );
    let fid = family_id.clone();
    view! {
        <section class="panel" aria-labelledby="follow-ups-title" id="follow-ups">
            <h2 id="follow-ups-title">{t!(i18n, follow_up.title)}</h2>
            {data.lost.then(|| view! { <p class="alert alert-warning">{t!(i18n, follow_up.lost)}</p> })}
            <FormAlert form=record_form/>
            {if data.follow_ups.is_empty() {
                view! { <p class="empty">{t!(i18n, follow_up.none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="follow-ups">
                        {data.follow_ups.into_iter().map(|f| {
                            let scheduled = f.status == FollowUpStatus::Scheduled && !closed;
                            let (fid1, fid2) = (fid.clone(), fid.clone());
                            let id = f.follow_up_id.clone();
                            let outcomes = outcomes.clone();
                            view! {
                                <li class=format!("follow-up follow-up-{}", f.status.as_str())>
                                    <div class="section-head">
                                        <strong>{format_iso_date(i18n, &f.due_on)}" · "{follow_up_kind_label(i18n, f.kind)}</strong>
                                        <span class=format!("status follow-up-status-{}", f.status.as_str())>{follow_up_status_label(i18n, f.status)}</span>
                                        {f.overdue.then(|| view! { <span class="status referral-overdue">{t!(i18n, referral.overdue)}</span> })}
                                    </div>
                                    {f.assigned_to_name.clone().map(|n| view! { <p class="meta"><bdi>{n}</bdi></p> })}
                                    {f.notes.clone().map(|n| view! { <p dir="auto">{n}</p> })}
                                    {f.missed_reason.clone().map(|n| view! { <p dir="auto"><strong>{t!(i18n, follow_up.missed_reason)}": "</strong>{n}</p> })}
                                    {f.assessment_id.clone().map(|a| view! {
                                        <p><a href=format!("/cases/{}/assessments/{a}", fid1)>{t!(i18n, follow_up.reassessment)}</a></p>
                                    })}
                                    {scheduled.then(|| view! {
                                        <details>
                                            <summary>{t!(i18n, follow_up.record)}</summary>
                                            <p><a class="button" href=format!("/cases/{}/assess?follow_up={}", fid2, id)>{t!(i18n, follow_up.with_reassessment)}</a></p>
                                            <ActionForm action=record attr:novalidate=true>
                                                <input type="hidden" name="family_id" value=fid2.clone()/>
                                                <input type="hidden" name="follow_up_id" value=id.clone()/>
                                                <input type="hidden" name="version" value=f.version.to_string()/>
                                                <SelectField form=record_form name="outcome" options=outcomes value="done">
                                                    {t!(i18n, follow_up.outcome)}
                                                </SelectField>
                                                <TextArea form=record_form name="notes" rows=2>{t!(i18n, follow_up.notes)}</TextArea>
                                                <Submit>{t!(i18n, actions.save)}</Submit>
                                            </ActionForm>
                                        </details>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!closed).then(|| view! {
                <details>
                    <summary>{t!(i18n, follow_up.add)}</summary>
                    <ActionForm action=schedule attr:novalidate=true>
                        <FormAlert form=schedule_form/>
                        <CalendarInput/>
                        <input type="hidden" name="family_id" value=family_id.clone()/>
                        <SelectField form=schedule_form name="kind" options=kinds value="phone_call">{t!(i18n, follow_up.kind)}</SelectField>
                        <DateField form=schedule_form name="due_on" required=true>{t!(i18n, follow_up.due_on)}</DateField>
                        <Submit>{t!(i18n, follow_up.add)}</Submit>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

/// The forms of the closure panel.
#[derive(Clone, Copy)]
pub struct ClosureForms {
    pub request: (ServerAction<RequestClosure>, FormState),
    pub decide: (ServerAction<DecideClosure>, FormState),
    pub reopen: (ServerAction<ReopenCase>, FormState),
}

#[component]
pub fn ClosurePanel(
    family_id: String,
    /// The case's version (reopening is checked against it).
    version: i64,
    data: FollowUpsOfCase,
    status: CaseStatus,
    supervisor: bool,
    forms: ClosureForms,
    country: Option<Country>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (request, request_form) = forms.request;
    let (decide, decide_form) = forms.decide;
    let (reopen, reopen_form) = forms.reopen;
    let pending = data.closure.clone().filter(|c| c.decision.is_none());
    // Nobody decides their own request: its author waits for another supervisor.
    let own_request = pending.as_ref().is_some_and(|c| c.requested_by_you);
    let returned = data
        .closure
        .clone()
        .filter(|c| c.decision.as_deref() == Some("returned"));
    let reasons = options(
        i18n,
        ClosureReason::ALL,
        ClosureReason::as_str,
        closure_reason_label,
    );
    let closed = status == CaseStatus::Closed;
    let (f1, f2, f2b, f3) = (
        family_id.clone(),
        family_id.clone(),
        family_id.clone(),
        family_id,
    );
    view! {
        <section class="panel" aria-labelledby="closure-title" id="closure">
            <h2 id="closure-title">{t!(i18n, closure.title)}</h2>
            {data.closure.clone().filter(|c| c.decision.as_deref() != Some("returned")).map(|c| view! {
                <p>
                    <strong>{closure_reason_label(i18n, c.reason)}</strong>" · "<bdi>{c.requested_by.clone()}</bdi>" · "{format_timestamp(i18n, &c.requested_at, country)}
                </p>
                {c.note.clone().map(|n| view! { <p dir="auto">{n}</p> })}
            })}
            {returned.map(|c| view! {
                <p class="alert alert-warning">{t!(i18n, closure.returned)}": "<span dir="auto">{c.comment.clone().unwrap_or_default()}</span></p>
            })}
            {match (closed, pending.is_some(), supervisor && !own_request) {
                (true, _, true) => view! {
                    <ActionForm action=reopen attr:novalidate=true>
                        <FormAlert form=reopen_form/>
                        <input type="hidden" name="family_id" value=f3.clone()/>
                        <input type="hidden" name="version" value=version.to_string()/>
                        <TextArea form=reopen_form name="reason" rows=2>{t!(i18n, closure.reopen_reason)}</TextArea>
                        <Submit>{t!(i18n, closure.reopen)}</Submit>
                    </ActionForm>
                }.into_any(),
                (true, _, false) => view! { <p>{t!(i18n, closure.closed)}</p> }.into_any(),
                (false, true, true) => view! {
                    <p class="alert alert-warning">{t!(i18n, closure.pending)}</p>
                    <FormAlert form=decide_form/>
                    <ActionForm action=decide>
                        <input type="hidden" name="family_id" value=f2.clone()/>
                        <input type="hidden" name="decision" value="approve"/>
                        <button type="submit" class="button primary">{t!(i18n, closure.approve)}</button>
                    </ActionForm>
                    <ActionForm action=decide attr:novalidate=true>
                        <input type="hidden" name="family_id" value=f2b.clone()/>
                        <input type="hidden" name="decision" value="return"/>
                        <TextArea form=decide_form name="comment" rows=2>{t!(i18n, closure.comment)}</TextArea>
                        <button type="submit" class="button">{t!(i18n, closure.return_it)}</button>
                    </ActionForm>
                }.into_any(),
                (false, true, false) => view! {
                    <p class="alert alert-warning">{t!(i18n, closure.pending)}</p>
                    {(supervisor && own_request).then(|| view! { <p class="hint">{t!(i18n, errors.second_person_required)}</p> })}
                }.into_any(),
                (false, false, _) => view! {
                    <details>
                        <summary>{t!(i18n, closure.request)}</summary>
                        <ActionForm action=request attr:novalidate=true>
                            <FormAlert form=request_form/>
                            <input type="hidden" name="family_id" value=f1.clone()/>
                            <SelectField form=request_form name="reason" options=reasons placeholder=tu_string!(i18n, admin.users.choose).to_string() required=true>
                                {t!(i18n, closure.reason)}
                            </SelectField>
                            <TextArea form=request_form name="note" rows=2>{t!(i18n, closure.note)}</TextArea>
                            <Submit>{t!(i18n, closure.request)}</Submit>
                        </ActionForm>
                    </details>
                }.into_any(),
            }}
        </section>
    }
}
