//! The family page's documents: thumbnails of the scans and photos on file, each opened
//! through its own audited address; the upload form (a plain multipart form: it works without
//! JavaScript, and a phone offers its camera); sharing a document with an open referral; and
//! deleting one with a reason.

use super::person_name;
use crate::api::documents::{DeleteDocument, ShareDocument, UploadDocument};
use crate::components::dates::{format_timestamp, num};
use crate::components::fields::{Field, FormAlert, SelectField, Submit};
use crate::components::messages::{
    document_delete_reason_label, document_kind_label, field_error_text, options,
};
use crate::form::FormState;
use crate::i18n::*;
use crate::model::documents::{DocumentView, DocumentsOfCase};
use leptos::prelude::*;
use shared::document::{DeleteReason, DocumentKind};
use shared::Country;

/// The three forms of the panel, each with what its last post left.
#[derive(Clone, Copy)]
pub struct DocumentForms {
    pub upload: FormState,
    pub share: (ServerAction<ShareDocument>, FormState),
    pub delete: (ServerAction<DeleteDocument>, FormState),
}

#[component]
pub fn DocumentsPanel(
    family_id: String,
    data: DocumentsOfCase,
    forms: DocumentForms,
    country: Option<Country>,
    closed: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let upload = forms.upload;
    let file_error = upload.field_error("file".to_string());
    let members: Vec<(String, String)> = data
        .members
        .iter()
        .map(|(id, local, latin)| (id.clone(), person_name(local, latin)))
        .collect();
    let kinds = options(
        i18n,
        DocumentKind::ALL,
        DocumentKind::as_str,
        document_kind_label,
    );
    let member_options = members.clone();
    view! {
        <section class="panel" aria-labelledby="documents-title" id="documents">
            <h2 id="documents-title">{t!(i18n, documents.title)}</h2>
            <FormAlert form=forms.share.1/>
            <FormAlert form=forms.delete.1/>
            {if data.documents.is_empty() {
                view! { <p class="empty">{t!(i18n, documents.none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="documents">
                        {data.documents.into_iter().map(|d| view! {
                            <DocumentItem
                                family_id=family_id.clone()
                                d
                                members=members.clone()
                                referrals=data.referrals.clone()
                                forms
                                country
                                closed
                            />
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!closed).then(|| view! {
                <details class="upload" open=upload.typed("kind").is_some()>
                    <summary>{t!(i18n, documents.add)}</summary>
                    <form method="post" action="/api/upload_document" enctype="multipart/form-data" novalidate>
                        <FormAlert form=upload/>
                        <input type="hidden" name="family_id" value=family_id.clone()/>
                        <SelectField form=upload name="kind" options=kinds required=true placeholder=tu_string!(i18n, documents.choose_kind).to_string()>
                            {t!(i18n, documents.kind)}
                        </SelectField>
                        <SelectField form=upload name="member_id" options=member_options placeholder=tu_string!(i18n, documents.whole_family).to_string()>
                            {t!(i18n, documents.about)}
                        </SelectField>
                        <Field form=upload name="title">{t!(i18n, documents.description)}</Field>
                        <div class="field" class:invalid=move || file_error.get().is_some()>
                            <label for="upload-file">{t!(i18n, documents.file)}<span class="required" aria-hidden="true">" *"</span></label>
                            <p class="hint" id="upload-file-hint">{t!(i18n, documents.file_hint)}</p>
                            <input
                                type="file"
                                id="upload-file"
                                name="file"
                                accept="application/pdf,image/jpeg,image/png,image/webp"
                                aria-describedby="upload-file-hint upload-file-error"
                                aria-invalid=move || file_error.get().is_some().then_some("true")
                            />
                            <p class="field-error" id="upload-file-error" role="alert">
                                {move || file_error.get().map(|e| field_error_text(i18n, &e))}
                            </p>
                        </div>
                        <Submit>{t!(i18n, documents.upload)}</Submit>
                    </form>
                </details>
            })}
        </section>
    }
}

#[component]
fn DocumentItem(
    family_id: String,
    d: DocumentView,
    members: Vec<(String, String)>,
    referrals: Vec<(String, String)>,
    forms: DocumentForms,
    country: Option<Country>,
    closed: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let (share, _) = forms.share;
    let (delete, delete_form) = forms.delete;
    // The delete form's error belongs to the document it was posted for.
    let mine = delete_form.typed("document_id").as_deref() == Some(d.document_id.as_str());
    let delete_form = match mine {
        true => delete_form,
        false => FormState::of::<DeleteDocument>(None),
    };
    let href = format!("/cases/{family_id}/documents/{}", d.document_id);
    let thumbnail = d.has_thumbnail.then(|| format!("{href}/thumbnail"));
    let about = d
        .member_id
        .as_ref()
        .and_then(|id| members.iter().find(|(m, _)| m == id))
        .map(|(_, name)| name.clone());
    let kind = document_kind_label(i18n, d.kind);
    let unshared: Vec<(String, String)> = referrals
        .into_iter()
        .filter(|(rid, _)| !d.shared_with.iter().any(|(s, _)| s == rid))
        .collect();
    let reasons = options(
        i18n,
        DeleteReason::ALL,
        DeleteReason::as_str,
        document_delete_reason_label,
    );
    let reason_error = delete_form.field_error("reason");
    let reason_id = format!("delete-reason-{}", d.document_id);
    let reason_error_id = format!("{reason_id}-error");
    let size = tu_string!(
        i18n,
        documents.size,
        n = num(i18n, (d.byte_size + 1023) / 1024)
    )
    .to_string();
    view! {
        <li class="document-item">
            <a class="document-thumb" href=href.clone()>
                {match thumbnail {
                    Some(src) => view! { <img src=src alt=kind width="96" height="96" loading="lazy"/> }.into_any(),
                    None => view! { <span class="document-icon" aria-hidden="true">"PDF"</span> }.into_any(),
                }}
            </a>
            <div class="document-body">
                <p><a href=href><strong>{kind}</strong></a>{d.title.clone().map(|t| view! { " · "<span dir="auto">{t}</span> })}</p>
                <p class="meta">
                    {about.map(|a| view! { <bdi>{a}</bdi>" · " })}
                    {format_timestamp(i18n, &d.uploaded_at, country)}" · "<bdi>{d.uploaded_by.clone().unwrap_or_default()}</bdi>" · "{size}
                </p>
                {d.shared_with.iter().map(|(rid, org)| {
                    let (family_id, document_id, rid) = (family_id.clone(), d.document_id.clone(), rid.clone());
                    view! {
                        <p class="meta shared">
                            {t!(i18n, documents.shared_with)}" "<bdi>{org.clone()}</bdi>" "
                            {(!closed).then(|| view! {
                                <ActionForm action=share attr:class="inline-form">
                                    <input type="hidden" name="family_id" value=family_id/>
                                    <input type="hidden" name="document_id" value=document_id/>
                                    <input type="hidden" name="referral_id" value=rid/>
                                    <input type="hidden" name="share" value="no"/>
                                    <button type="submit" class="button link">{t!(i18n, documents.unshare)}</button>
                                </ActionForm>
                            })}
                        </p>
                    }
                }).collect_view()}
                {(!closed).then(move || {
                    let (family_id2, document_id2) = (family_id.clone(), d.document_id.clone());
                    view! {
                    <details class="document-actions" open=mine>
                        <summary>{t!(i18n, documents.manage)}</summary>
                        {(!unshared.is_empty()).then(|| view! {
                            <ActionForm action=share attr:class="inline-form">
                                <input type="hidden" name="family_id" value=family_id.clone()/>
                                <input type="hidden" name="document_id" value=d.document_id.clone()/>
                                <input type="hidden" name="share" value="yes"/>
                                <label>
                                    {t!(i18n, documents.share_with)}" "
                                    <select name="referral_id">
                                        {unshared.into_iter().map(|(rid, org)| view! { <option value=rid>{org}</option> }).collect_view()}
                                    </select>
                                </label>
                                " "<button type="submit" class="button">{t!(i18n, documents.share)}</button>
                            </ActionForm>
                        })}
                        <ActionForm action=delete attr:novalidate=true>
                            <input type="hidden" name="family_id" value=family_id2/>
                            <input type="hidden" name="document_id" value=document_id2/>
                            // Ids of its own: every document has this form.
                            <div class="field" class:invalid=move || reason_error.get().is_some()>
                                <label for=reason_id.clone()>{t!(i18n, documents.delete_reason)}<span class="required" aria-hidden="true">" *"</span></label>
                                <select id=reason_id.clone() name="reason" aria-required="true" aria-describedby=reason_error_id.clone()>
                                    <option value="">{t!(i18n, documents.choose_reason)}</option>
                                    {reasons.into_iter().map(|(v, label)| view! { <option value=v>{label}</option> }).collect_view()}
                                </select>
                                <p class="field-error" id=reason_error_id.clone() role="alert">
                                    {move || reason_error.get().map(|e| field_error_text(i18n, &e))}
                                </p>
                            </div>
                            <button type="submit" class="button danger">{t!(i18n, documents.delete)}</button>
                        </ActionForm>
                    </details>
                    }
                })}
            </div>
        </li>
    }
}

/// A partner's list of the documents shared with its referral.
#[component]
pub fn SharedDocuments(referral_id: String, documents: Vec<DocumentView>) -> impl IntoView {
    let i18n = use_i18n();
    (!documents.is_empty()).then(|| {
        view! {
            <section class="panel" aria-labelledby="shared-documents-title">
                <h2 id="shared-documents-title">{t!(i18n, documents.shared_title)}</h2>
                <ul>
                    {documents.into_iter().map(|d| {
                        let href = format!("/referrals/{referral_id}/documents/{}", d.document_id);
                        view! {
                            <li>
                                <a href=href>{document_kind_label(i18n, d.kind)}</a>
                                {d.title.map(|t| view! { " · "<span dir="auto">{t}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The upload form's flash: for the family page to load with the others.
pub fn upload_form(flash: Option<crate::model::flash::Flash>) -> FormState {
    FormState::of::<UploadDocument>(flash)
}
