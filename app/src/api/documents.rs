//! Documents on file: uploading a scan or photo to a family or one of its people (a multipart
//! form, which works without JavaScript and takes a phone's camera), sharing it with a
//! referral, and deleting it with a reason. The files are served by plain routes
//! (`backend::documents`).

use crate::error::AppError;
use crate::model::documents::DocumentsOfCase;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use {
    crate::backend::auth,
    crate::backend::documents::{self as files, Prepared},
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::store::documents::{self as store, DocumentRow, NewDocument},
    crate::backend::store::{families, referrals},
    crate::model::documents::DocumentView,
    shared::audit::{AuditAction, AuditTarget},
    shared::document::{check_upload, DeleteReason, DocumentKind},
    shared::policy::Action,
    shared::timeline::CaseEvent,
    shared::FieldError,
};

/// The fields of the upload form, as read from the multipart body.
#[cfg(feature = "ssr")]
#[derive(Default)]
struct Upload {
    family_id: String,
    member_id: String,
    kind: String,
    title: String,
    file_name: String,
    file: Vec<u8>,
    /// The file was larger than any upload may be (the rest was not read).
    too_large: bool,
}

/// Reads the upload form: small fields up to 2,000 bytes, the file up to the limit.
#[cfg(feature = "ssr")]
async fn read_upload(data: MultipartData) -> Result<Upload, AppError> {
    let mut data = data.into_inner().ok_or(AppError::BadRequest)?;
    let mut upload = Upload::default();
    while let Some(mut field) = data.next_field().await.map_err(|_| AppError::BadRequest)? {
        let name = field.name().unwrap_or_default().to_string();
        let cap = match name.as_str() {
            "file" => shared::document::MAX_BYTES,
            _ => 2000,
        };
        if name == "file" {
            upload.file_name = field.file_name().unwrap_or_default().to_string();
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
            if bytes.len() + chunk.len() > cap {
                upload.too_large |= name == "file";
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        // The text fields hold no NUL (the file may: it is binary).
        if name != "file" && bytes.contains(&0) {
            return Err(AppError::BadRequest);
        }
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "family_id" => upload.family_id = text(),
            "member_id" => upload.member_id = text(),
            "kind" => upload.kind = text(),
            "title" => upload.title = text(),
            "file" => upload.file = bytes,
            _ => {}
        }
    }
    Ok(upload)
}

/// Keeps a scan or photo on the family's record. The file's type is decided by its content
/// (PDF, JPEG, PNG or WebP; a name that says another type is an error); images are scaled
/// down and stripped of their metadata before they are stored.
#[server(endpoint = "upload_document", input = MultipartFormData)]
pub async fn upload_document(data: MultipartData) -> Result<(), AppError> {
    let upload = read_upload(data).await?;
    let family_id = upload.family_id.clone();
    // The file is checked and an image worked on only for someone signed in; whether they
    // may add to this case is asked in the pipeline, as for every write.
    let checked = match upload.too_large {
        true => Err(FieldError::FileTooLarge {
            max_mb: shared::document::MAX_MEGABYTES,
        }),
        false => check_upload(&upload.file_name, &upload.file),
    };
    let prepared: Option<Result<Prepared, FieldError>> = match auth::authenticate().await {
        Ok(_) => Some(match checked {
            Ok(file) => files::prepare(file, upload.file).await,
            Err(e) => Err(e),
        }),
        Err(_) => None,
    };
    pipeline::case(&family_id, Action::EditCase)
        .form(Form::values(&[
            ("member_id", &upload.member_id),
            ("kind", &upload.kind),
            ("title", &upload.title),
        ]))
        .write(async |c| {
            let mut errors = shared::FieldErrors::new();
            let kind = errors.take(
                "kind",
                DocumentKind::parse(&upload.kind).ok_or(FieldError::InvalidChoice),
            );
            let title = errors.take(
                "title",
                shared::field_error::optional_text(&upload.title, 200),
            );
            let member = upload.member_id.trim();
            let member_id = match member {
                "" => None,
                id => {
                    let members = families::record::members(c.conn(), &family_id).await?;
                    if !members.iter().any(|m| m.member_id == id) {
                        errors.add("member_id", FieldError::InvalidChoice);
                    }
                    Some(id.to_string())
                }
            };
            let prepared = match prepared {
                Some(p) => errors.take("file", p),
                None => return Err(AppError::Unauthenticated),
            };
            let (Some(kind), Some(title), Some(prepared), true) =
                (kind, title, prepared, errors.is_empty())
            else {
                return Err(AppError::Invalid(errors));
            };
            let now = c.now();
            let uploaded_by = c.caller.actor.user_id.clone();
            let new = NewDocument {
                family_id: &family_id,
                member_id: member_id.as_deref(),
                kind,
                title: title.as_deref(),
                content_type: prepared.file.content_type(),
                content: &prepared.content,
                thumbnail: prepared.thumbnail.as_deref(),
                uploaded_by: &uploaded_by,
            };
            let id = store::insert(c.conn(), &new, now).await?;
            let change = Change::new(CaseEvent::DocumentAdded)
                .about(AuditTarget::Document, &id)
                .detail(kind.as_str());
            Ok(c.record((), change)
                .await?
                .then(format!("/cases/{family_id}#documents")))
        })
        .await
}

/// The family's documents for its page (audited as a read of the case).
#[server(endpoint = "case_documents")]
pub async fn case_documents(family_id: String) -> Result<DocumentsOfCase, AppError> {
    pipeline::case(&family_id, Action::ViewCase)
        .read(AuditAction::CaseDocumentsViewed, async |r| {
            let members = families::record::members(r.conn(), &family_id)
                .await?
                .into_iter()
                .map(|m| (m.member_id, m.name_local, m.name_latin))
                .collect();
            let all_referrals = referrals::of_family(r.conn(), &family_id).await?;
            let open = all_referrals
                .iter()
                .filter(|x| x.status.is_open())
                .map(|x| (x.referral_id.clone(), x.organisation_name.clone()))
                .collect();
            let shares = store::shares_of_family(r.conn(), &family_id).await?;
            let documents = store::of_family(r.conn(), &family_id)
                .await?
                .into_iter()
                .map(|d| {
                    let shared_with = shares
                        .iter()
                        .filter(|(doc, _)| *doc == d.document_id)
                        .filter_map(|(_, rid)| {
                            all_referrals
                                .iter()
                                .find(|x| &x.referral_id == rid)
                                .map(|x| (rid.clone(), x.organisation_name.clone()))
                        })
                        .collect();
                    view(d, shared_with)
                })
                .collect();
            Ok(DocumentsOfCase {
                documents,
                members,
                referrals: open,
            })
        })
        .await
}

/// A stored document as its lists show it.
#[cfg(feature = "ssr")]
pub(crate) fn view(d: DocumentRow, shared_with: Vec<(String, String)>) -> DocumentView {
    DocumentView {
        document_id: d.document_id,
        member_id: d.member_id,
        kind: d.kind,
        title: d.title,
        content_type: d.content_type,
        byte_size: d.byte_size,
        has_thumbnail: d.has_thumbnail,
        uploaded_by: d.uploaded_by_name,
        uploaded_at: d.uploaded_at,
        shared_with,
    }
}

/// Shares a document with one of the family's open referrals (`share=yes`), or stops
/// sharing it (`share=no`): the organisation may open it while it sees the family, and only
/// while the family's consent to sharing stands.
#[server(endpoint = "share_document")]
pub async fn share_document(
    family_id: String,
    document_id: String,
    #[server(default)] referral_id: String,
    #[server(default)] share: String,
) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::SendReferral)
        .write(async |c| {
            if !store::belongs(c.conn(), &family_id, &document_id).await? {
                return Err(AppError::NotFound);
            }
            let referral = referrals::get(c.conn(), &referral_id)
                .await?
                .filter(|r| r.family_id == family_id);
            let Some(referral) = referral else {
                return Err(AppError::invalid("referral_id", FieldError::InvalidChoice));
            };
            let now = c.now();
            let by = c.caller.actor.user_id.clone();
            let event = match share.as_str() {
                "no" => {
                    if !store::unshare(c.conn(), &document_id, &referral_id).await? {
                        return Err(AppError::Conflict);
                    }
                    CaseEvent::DocumentUnshared
                }
                _ => {
                    if !c.case.sharing_consent {
                        return Err(AppError::NoSharingConsent);
                    }
                    if !referral.status.is_open() {
                        return Err(AppError::invalid("referral_id", FieldError::InvalidChoice));
                    }
                    store::share(c.conn(), &document_id, &referral_id, &by, now).await?;
                    CaseEvent::DocumentShared
                }
            };
            let change = Change::new(event)
                .text(referral.organisation_name)
                .about(AuditTarget::Document, &document_id)
                .detail(referral_id.clone());
            Ok(c.record((), change)
                .await?
                .then(format!("/cases/{family_id}#documents")))
        })
        .await
}

/// Deletes a document, with the reason (a code, kept in the audit log; the file is gone).
#[server(endpoint = "delete_document")]
pub async fn delete_document(
    family_id: String,
    document_id: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::EditCase)
        .form(Form::values(&[
            ("reason", &reason),
            ("document_id", &document_id),
        ]))
        .write(async |c| {
            let reason = match reason.as_str() {
                "" => Err(FieldError::Required),
                r => DeleteReason::parse(r).ok_or(FieldError::InvalidChoice),
            }
            .map_err(|e| AppError::invalid("reason", e))?;
            if !store::delete(c.conn(), &family_id, &document_id).await? {
                return Err(AppError::NotFound);
            }
            let change = Change::new(CaseEvent::DocumentDeleted)
                .about(AuditTarget::Document, &document_id)
                .detail(reason.as_str());
            Ok(c.record((), change)
                .await?
                .then(format!("/cases/{family_id}#documents")))
        })
        .await
}

/// Whether a multipart upload's request can be read at all (the server function's decoder
/// cannot answer a request without a boundary otherwise than by failing badly).
#[cfg(feature = "ssr")]
pub fn is_multipart(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        ct.to_ascii_lowercase().starts_with("multipart/form-data") && ct.contains("boundary=")
    })
}
