//! The audit log, newest first, with filters and pages in the URL.

use crate::api::audit::list_audit_events;
use crate::components::layout::{ErrorPanel, Page, Pager};
use crate::components::messages::audit_action_label;
use crate::i18n::*;
use crate::model::audit::AuditFilter;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use shared::audit::AuditAction;
use shared::Role;

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
                                {AuditAction::ALL.iter().map(|a| {
                                    let sel = f.action.as_deref() == Some(a.as_str());
                                    view! { <option value=a.as_str() selected=sel>{audit_action_label(i18n, *a)}</option> }
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
                                                        <td>{audit_action_label(i18n, e.action)}</td>
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
