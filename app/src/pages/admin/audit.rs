//! The audit log, newest first, with filters and pages in the URL.

use crate::api::audit::list_audit_events;
use crate::components::layout::{ErrorPanel, Page, Pager};
use crate::components::messages::I18n;
use crate::i18n::*;
use crate::model::audit::AuditFilter;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use shared::Role;

/// The actions the log records, for the filter and for display.
const ACTIONS: [&str; 42] = [
    "sign_in",
    "sign_out",
    "sign_in_failed",
    "sign_in_locked",
    "sign_in_refused_locked",
    "password_changed",
    "password_reset",
    "user_created",
    "user_deactivated",
    "user_reactivated",
    "user_areas_changed",
    "organisation_created",
    "organisation_deactivated",
    "organisation_reactivated",
    "case_list_viewed",
    "case_viewed",
    "case_registered",
    "case_edited",
    "case_note_added",
    "case_assigned",
    "consent_given",
    "consent_withdrawn",
    "duplicate_check_confirmed",
    "assessment_recorded",
    "plan_updated",
    "referral_sent",
    "referral_cancelled",
    "referral_accepted",
    "referral_declined",
    "referral_completed",
    "service_recorded",
    "referral_viewed",
    "directory_changed",
    "follow_up_scheduled",
    "follow_up_done",
    "follow_up_missed",
    "follow_up_cancelled",
    "closure_requested",
    "closure_returned",
    "case_closed",
    "case_reopened",
    "export_indicators",
];

pub fn action_label(i18n: I18n, action: &str) -> String {
    match action {
        "sign_in" => tu_string!(i18n, admin.audit_actions.sign_in),
        "sign_out" => tu_string!(i18n, admin.audit_actions.sign_out),
        "sign_in_failed" => tu_string!(i18n, admin.audit_actions.sign_in_failed),
        "sign_in_locked" => tu_string!(i18n, admin.audit_actions.sign_in_locked),
        "sign_in_refused_locked" => tu_string!(i18n, admin.audit_actions.sign_in_refused_locked),
        "password_changed" => tu_string!(i18n, admin.audit_actions.password_changed),
        "password_reset" => tu_string!(i18n, admin.audit_actions.password_reset),
        "user_created" => tu_string!(i18n, admin.audit_actions.user_created),
        "user_deactivated" => tu_string!(i18n, admin.audit_actions.user_deactivated),
        "user_reactivated" => tu_string!(i18n, admin.audit_actions.user_reactivated),
        "user_areas_changed" => tu_string!(i18n, admin.audit_actions.user_areas_changed),
        "organisation_created" => tu_string!(i18n, admin.audit_actions.organisation_created),
        "organisation_deactivated" => {
            tu_string!(i18n, admin.audit_actions.organisation_deactivated)
        }
        "organisation_reactivated" => {
            tu_string!(i18n, admin.audit_actions.organisation_reactivated)
        }
        "case_list_viewed" => tu_string!(i18n, admin.audit_actions.case_list_viewed),
        "case_viewed" => tu_string!(i18n, admin.audit_actions.case_viewed),
        "case_registered" => tu_string!(i18n, admin.audit_actions.case_registered),
        "case_edited" => tu_string!(i18n, admin.audit_actions.case_edited),
        "case_note_added" => tu_string!(i18n, admin.audit_actions.case_note_added),
        "case_assigned" => tu_string!(i18n, admin.audit_actions.case_assigned),
        "consent_given" => tu_string!(i18n, admin.audit_actions.consent_given),
        "consent_withdrawn" => tu_string!(i18n, admin.audit_actions.consent_withdrawn),
        "duplicate_check_confirmed" => {
            tu_string!(i18n, admin.audit_actions.duplicate_check_confirmed)
        }
        "assessment_recorded" => tu_string!(i18n, admin.audit_actions.assessment_recorded),
        "plan_updated" => tu_string!(i18n, admin.audit_actions.plan_updated),
        "referral_sent" => tu_string!(i18n, admin.audit_actions.referral_sent),
        "referral_cancelled" => tu_string!(i18n, admin.audit_actions.referral_cancelled),
        "referral_accepted" => tu_string!(i18n, admin.audit_actions.referral_accepted),
        "referral_declined" => tu_string!(i18n, admin.audit_actions.referral_declined),
        "referral_completed" => tu_string!(i18n, admin.audit_actions.referral_completed),
        "service_recorded" => tu_string!(i18n, admin.audit_actions.service_recorded),
        "referral_viewed" => tu_string!(i18n, admin.audit_actions.referral_viewed),
        "directory_changed" => tu_string!(i18n, admin.audit_actions.directory_changed),
        "follow_up_scheduled" => tu_string!(i18n, events.follow_up_scheduled),
        "follow_up_done" => tu_string!(i18n, events.follow_up_done),
        "follow_up_missed" => tu_string!(i18n, events.follow_up_missed),
        "follow_up_cancelled" => tu_string!(i18n, events.follow_up_cancelled),
        "closure_requested" => tu_string!(i18n, events.closure_requested),
        "closure_returned" => tu_string!(i18n, events.closure_returned),
        "case_closed" => tu_string!(i18n, events.case_closed),
        "case_reopened" => tu_string!(i18n, events.case_reopened),
        "export_indicators" => tu_string!(i18n, admin.audit_actions.export_indicators),
        other => return other.to_string(),
    }
    .to_string()
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        AuditFilter {
            action: q.get("action"),
            actor: q.get("actor"),
            target: q.get("target"),
            from: q.get("from"),
            to: q.get("to"),
            page: q.get("page").and_then(|p| p.parse().ok()),
        }
    };
    let events = Resource::new(filter, list_audit_events);

    view! {
        <Page roles=&[Role::Admin]>
            <Title text=tu_string!(i18n, admin.audit.title)/>
            <h1>{t!(i18n, admin.audit.title)}</h1>
            {move || {
                let f = filter();
                view! {
                    <Form method="GET" action="" attr:class="filters">
                        <label>
                            <span>{t!(i18n, admin.audit.action)}</span>
                            <select name="action">
                                <option value="">{t!(i18n, admin.audit.any_action)}</option>
                                {ACTIONS.into_iter().map(|a| {
                                    let sel = f.action.as_deref() == Some(a);
                                    view! { <option value=a selected=sel>{action_label(i18n, a)}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <label>
                            <span>{t!(i18n, admin.audit.actor)}</span>
                            <input type="search" name="actor" dir="ltr" value=f.actor.clone().unwrap_or_default()/>
                        </label>
                        <label>
                            <span>{t!(i18n, admin.audit.target_id)}</span>
                            <input type="search" name="target" dir="ltr" value=f.target.clone().unwrap_or_default()/>
                        </label>
                        <label>
                            <span>{t!(i18n, admin.audit.from)}</span>
                            <input type="date" name="from" value=f.from.clone().unwrap_or_default()/>
                        </label>
                        <label>
                            <span>{t!(i18n, admin.audit.to)}</span>
                            <input type="date" name="to" value=f.to.clone().unwrap_or_default()/>
                        </label>
                        <button type="submit" class="button">{t!(i18n, actions.filter)}</button>
                        <a href="/admin/audit" class="button link">{t!(i18n, actions.clear)}</a>
                    </Form>
                }
            }}
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let page = match events.await {
                        Ok(p) => p,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let f = filter();
                    let link = move |p: i64| {
                        let mut q = vec![format!("page={p}")];
                        for (k, v) in [("action", &f.action), ("actor", &f.actor), ("target", &f.target), ("from", &f.from), ("to", &f.to)] {
                            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                                q.push(format!("{k}={}", crate::components::layout::encode_query_value(v)));
                            }
                        }
                        format!("/admin/audit?{}", q.join("&"))
                    };
                    let current = page.page;
                    view! {
                        <p class="count">{t!(i18n, admin.audit.total, count = page.total)}</p>
                        {if page.events.is_empty() {
                            view! { <p class="empty">{t!(i18n, admin.audit.none)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="data">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, admin.audit.when)}</th>
                                                <th scope="col">{t!(i18n, admin.audit.who)}</th>
                                                <th scope="col">{t!(i18n, admin.audit.action)}</th>
                                                <th scope="col">{t!(i18n, admin.audit.target)}</th>
                                                <th scope="col">{t!(i18n, admin.audit.from_where)}</th>
                                                <th scope="col">{t!(i18n, admin.audit.detail)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {page.events.into_iter().map(|e| {
                                                let when = e.occurred_at.get(..19).unwrap_or(&e.occurred_at).replace('T', " ");
                                                let who = e.actor_email.clone().unwrap_or_else(|| tu_string!(i18n, admin.audit.system).to_string());
                                                let target = match (&e.target_type, &e.target_id) {
                                                    (Some(t), Some(id)) => format!("{t}: {id}"),
                                                    _ => String::new(),
                                                };
                                                view! {
                                                    <tr>
                                                        <td><bdi dir="ltr">{when}</bdi></td>
                                                        <td><bdi dir="ltr">{who}</bdi></td>
                                                        <td>{action_label(i18n, &e.action)}</td>
                                                        <td><bdi dir="ltr">{target}</bdi></td>
                                                        <td><bdi dir="ltr">{e.client_addr.unwrap_or_default()}</bdi></td>
                                                        <td><bdi dir="ltr">{e.detail.unwrap_or_default()}</bdi></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        <Pager current total=page.total page_size=page.page_size link/>
                    }.into_any()
                })}
            </Suspense>
        </Page>
    }
}
