//! `/cases/:id/data`: the family's own data, for a supervisor when the family asks — a copy
//! of everything held about it (JSON, or the printable summary at `/cases/:id/summary`) and
//! its erasure, asked by one supervisor and decided by another.

use crate::api::family_data::{export_family, family_data, DecideErasure, RequestErasure};
use crate::components::dates::{format_timestamp, num};
use crate::components::fields::{FormAlert, SelectField, Submit, TextArea};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::me::use_me;
use crate::components::messages::{erasure_reason_label, options, I18n};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::retention::{FamilyDataView, TableRows};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::retention::ErasureReason;
use shared::{Country, Role};

#[component]
pub fn FamilyDataPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let me = use_me();
    let family_id = move || params.read().get("id").unwrap_or_default();
    let data = Resource::new(family_id, family_data);
    let request = ServerAction::<RequestErasure>::new();
    let decide = ServerAction::<DecideErasure>::new();
    let request_flash = flash_resource::<RequestErasure>();
    let decide_flash = flash_resource::<DecideErasure>();
    view! {
        <Page roles=&[Role::Supervisor]>
            <Title text=tu_string!(i18n, family_data.title)/>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let (data, country) = match (data.await, me.await) {
                        (Ok(d), Ok(m)) => (d, m.and_then(|m| m.country)),
                        (Err(e), _) | (_, Err(e)) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let request = (request, FormState::new(request, request_flash.await));
                    let decide = (decide, FormState::new(decide, decide_flash.await));
                    let back = format!("/cases/{}", data.family_id);
                    let json = format!("/cases/{}/export.json", data.family_id);
                    let summary = format!("/cases/{}/summary", data.family_id);
                    view! {
                        <p><a href=back>{t!(i18n, assessment.back_to_case)}" · "<bdi dir="ltr">{data.case_number.clone()}</bdi></a></p>
                        <h1>{t!(i18n, family_data.title)}</h1>
                        {data.anonymised_at.clone().map(|at| view! {
                            <p class="alert alert-warning">{t!(i18n, family_data.anonymised, date = format_timestamp(i18n, &at, country))}</p>
                        })}
                        <section class="panel" aria-labelledby="copy-title">
                            <h2 id="copy-title">{t!(i18n, family_data.copy)}</h2>
                            <p>{t!(i18n, family_data.copy_intro)}</p>
                            <p>
                                <a href=json class="button" download>{t!(i18n, family_data.download_json)}</a>" "
                                <a href=summary class="button">{t!(i18n, family_data.printable)}</a>
                            </p>
                        </section>
                        <ErasurePanel data country request decide/>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}

#[component]
fn ErasurePanel(
    data: FamilyDataView,
    country: Option<Country>,
    request: (ServerAction<RequestErasure>, FormState),
    decide: (ServerAction<DecideErasure>, FormState),
) -> impl IntoView {
    let i18n = use_i18n();
    let (request, request_form) = request;
    let (decide, decide_form) = decide;
    let pending = data.erasure.clone().filter(|e| e.decision.is_none());
    let returned = data
        .erasure
        .clone()
        .filter(|e| e.decision.as_deref() == Some("returned"));
    let reasons = options(
        i18n,
        ErasureReason::ALL,
        ErasureReason::as_str,
        erasure_reason_label,
    );
    let (f1, f2, f3) = (
        data.family_id.clone(),
        data.family_id.clone(),
        data.family_id.clone(),
    );
    view! {
        <section class="panel" aria-labelledby="erasure-title" id="erasure">
            <h2 id="erasure-title">{t!(i18n, family_data.erasure)}</h2>
            <p>{t!(i18n, family_data.erasure_intro)}</p>
            {returned.map(|e| view! {
                <p class="alert alert-warning">{t!(i18n, family_data.erasure_returned)}": "<span dir="auto">{e.comment.clone().unwrap_or_default()}</span></p>
            })}
            {match pending {
                Some(e) => {
                    let own = e.requested_by_you;
                    view! {
                        <p class="alert alert-warning">{t!(i18n, family_data.erasure_pending)}</p>
                        <p>
                            <strong>{erasure_reason_label(i18n, e.reason)}</strong>" · "<bdi>{e.requested_by.clone()}</bdi>" · "{format_timestamp(i18n, &e.requested_at, country)}
                        </p>
                        {e.note.clone().map(|n| view! { <p dir="auto">{n}</p> })}
                        {if own {
                            view! { <p class="hint">{t!(i18n, errors.second_person_required)}</p> }.into_any()
                        } else {
                            view! {
                                <FormAlert form=decide_form/>
                                <ActionForm action=decide>
                                    <input type="hidden" name="family_id" value=f2.clone()/>
                                    <input type="hidden" name="decision" value="approve"/>
                                    <button type="submit" class="button danger">{t!(i18n, family_data.erasure_approve)}</button>
                                </ActionForm>
                                <ActionForm action=decide attr:novalidate=true>
                                    <input type="hidden" name="family_id" value=f3.clone()/>
                                    <input type="hidden" name="decision" value="return"/>
                                    <TextArea form=decide_form name="comment" rows=2>{t!(i18n, closure.comment)}</TextArea>
                                    <button type="submit" class="button">{t!(i18n, family_data.erasure_return)}</button>
                                </ActionForm>
                            }.into_any()
                        }}
                    }.into_any()
                }
                None => view! {
                    <details>
                        <summary>{t!(i18n, family_data.erasure_request)}</summary>
                        <ActionForm action=request attr:novalidate=true>
                            <FormAlert form=request_form/>
                            <input type="hidden" name="family_id" value=f1.clone()/>
                            <SelectField form=request_form name="reason" options=reasons placeholder=tu_string!(i18n, admin.users.choose).to_string() required=true>
                                {t!(i18n, family_data.erasure_reason)}
                            </SelectField>
                            <TextArea form=request_form name="note" rows=2>{t!(i18n, family_data.erasure_note)}</TextArea>
                            <Submit>{t!(i18n, family_data.erasure_request)}</Submit>
                        </ActionForm>
                    </details>
                }.into_any(),
            }}
        </section>
    }
}

/// `/cases/:id/summary`: everything held about the family, table by table, to print for
/// the family (the browser's Print makes the paper or the PDF).
#[component]
pub fn FamilySummaryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let me = use_me();
    let family_id = move || params.read().get("id").unwrap_or_default();
    let record = Resource::new(family_id, export_family);
    view! {
        <Page roles=&[Role::Supervisor]>
            <Title text=tu_string!(i18n, family_data.summary_title)/>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let (record, country) = match (record.await, me.await) {
                        (Ok(r), Ok(m)) => (r, m.and_then(|m| m.country)),
                        (Err(e), _) | (_, Err(e)) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let back = format!("/cases/{}/data", record.family_id);
                    view! {
                        <p class="no-print"><a href=back>{t!(i18n, family_data.back)}</a></p>
                        <p class="no-print hint">{t!(i18n, family_data.print_hint)}</p>
                        <h1>{t!(i18n, family_data.summary_title)}" · "<bdi dir="ltr">{record.case_number.clone()}</bdi></h1>
                        <p class="meta">
                            {t!(i18n, family_data.exported, date = format_timestamp(i18n, &record.exported_at, country))}
                            " · "<bdi>{record.exported_by.clone()}</bdi>
                        </p>
                        {record.tables.into_iter().map(|t| view! { <RecordTable table=t/> }).collect_view()}
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}

#[component]
fn RecordTable(table: TableRows) -> impl IntoView {
    let i18n = use_i18n();
    let title = table_label(i18n, &table.table);
    let count = table.rows.len();
    let columns = table.columns.clone();
    view! {
        <section class="panel record-table">
            <h2>{title}" ("{num(i18n, count)}")"</h2>
            {(count == 0).then(|| view! { <p class="empty">{t!(i18n, family_data.nothing)}</p> })}
            {table.rows.into_iter().map(|row| view! {
                <dl class="facts">
                    {columns.iter().zip(row).map(|(c, v)| view! {
                        <dt>{c.replace('_', " ")}</dt>
                        <dd dir="auto">{v.text()}</dd>
                    }).collect_view()}
                </dl>
            }).collect_view()}
        </section>
    }
}

/// The heading of one table of the record.
fn table_label(i18n: I18n, table: &str) -> &'static str {
    match table {
        "family" => tu_string!(i18n, family_data.tables.family),
        "member" => tu_string!(i18n, family_data.tables.member),
        "member_need" => tu_string!(i18n, family_data.tables.member_need),
        "member_document" => tu_string!(i18n, family_data.tables.member_document),
        "consent" => tu_string!(i18n, family_data.tables.consent),
        "case_note" => tu_string!(i18n, family_data.tables.case_note),
        "assessment" => tu_string!(i18n, family_data.tables.assessment),
        "plan_item" => tu_string!(i18n, family_data.tables.plan_item),
        "referral" => tu_string!(i18n, family_data.tables.referral),
        "referral_service" => tu_string!(i18n, family_data.tables.referral_service),
        "follow_up" => tu_string!(i18n, family_data.tables.follow_up),
        "contact_attempt" => tu_string!(i18n, family_data.tables.contact_attempt),
        "case_closure" => tu_string!(i18n, family_data.tables.case_closure),
        "case_event" => tu_string!(i18n, family_data.tables.case_event),
        "erasure_request" => tu_string!(i18n, family_data.tables.erasure_request),
        _ => tu_string!(i18n, family_data.tables.audit_event),
    }
}
