//! Documents on file: what an upload becomes before it is stored, and serving the files.
//!
//! An image is decoded (with limits, against files made to explode in memory), turned upright
//! as the camera recorded, scaled down to [`MAX_SIDE`] pixels on its longer side and encoded
//! again: what is stored has no metadata left (a phone photo's location, its camera, the
//! time). A thumbnail is made beside it. PDFs are kept as they came. At most two images are
//! worked on at once per instance.
//!
//! Files are served only through the pipeline: a family's document to those who may see the
//! case, a document shared with a referral to its organisation while it sees the family.
//! Every opening is audited; the answer is never cached, never sniffed, and a PDF is always a
//! download (`attachment`), never shown inside the site.

use super::exports::error_response;
use super::pipeline;
use super::state::AppState;
use super::store::documents::{self, File};
use crate::error::AppError;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use shared::audit::AuditAction;
use shared::document::{download_name, FileType, MAX_SIDE, THUMBNAIL_SIDE};
use shared::policy::Action;
use shared::FieldError;
use std::io::Cursor;
use tokio::sync::Semaphore;

/// Images worked on at once (each may take a few hundred megabytes while decoded).
static IMAGE_WORK: Semaphore = Semaphore::const_new(2);

/// An upload as it is stored.
pub struct Prepared {
    pub file: FileType,
    pub content: Vec<u8>,
    pub thumbnail: Option<Vec<u8>>,
}

/// Turns a checked upload into what is stored (see the module's comment).
pub async fn prepare(file: FileType, bytes: Vec<u8>) -> Result<Prepared, FieldError> {
    if !file.is_image() {
        return Ok(Prepared {
            file,
            content: bytes,
            thumbnail: None,
        });
    }
    let _turn = IMAGE_WORK
        .acquire()
        .await
        .map_err(|_| FieldError::FileUnreadable)?;
    tokio::task::spawn_blocking(move || prepare_image(file, &bytes))
        .await
        .map_err(|_| FieldError::FileUnreadable)?
}

fn prepare_image(file: FileType, bytes: &[u8]) -> Result<Prepared, FieldError> {
    let format = match file {
        FileType::Jpeg => ImageFormat::Jpeg,
        FileType::Png => ImageFormat::Png,
        FileType::Webp => ImageFormat::WebP,
        FileType::Pdf => return Err(FieldError::FileTypeNotAllowed),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|_| FieldError::FileUnreadable)?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| FieldError::FileUnreadable)?;
    if let Some(o) = orientation {
        image.apply_orientation(o);
    }
    if image.width().max(image.height()) > MAX_SIDE {
        image = image.resize(MAX_SIDE, MAX_SIDE, FilterType::Triangle);
    }
    let content = encode(&image, file)?;
    let thumbnail = encode(
        &image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE),
        FileType::Jpeg,
    )?;
    Ok(Prepared {
        file,
        content,
        thumbnail: Some(thumbnail),
    })
}

/// Encodes an image afresh: nothing of the original file but its pixels goes along.
fn encode(image: &DynamicImage, file: FileType) -> Result<Vec<u8>, FieldError> {
    let mut out = Vec::new();
    let written = match file {
        FileType::Jpeg => JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&DynamicImage::ImageRgb8(image.to_rgb8())),
        FileType::Png => image.write_to(&mut Cursor::new(&mut out), ImageFormat::Png),
        FileType::Webp => DynamicImage::ImageRgba8(image.to_rgba8())
            .write_to(&mut Cursor::new(&mut out), ImageFormat::WebP),
        FileType::Pdf => return Err(FieldError::FileTypeNotAllowed),
    };
    written.map_err(|_| FieldError::FileUnreadable)?;
    Ok(out)
}

/// `GET /cases/{id}/documents/{document}`: a family's document, for those who may see the case.
pub async fn case_file(
    state: State<AppState>,
    Path((family_id, document_id)): Path<(String, String)>,
    parts: Parts,
) -> Response {
    serve_case(state, family_id, document_id, parts, false).await
}

/// `GET /cases/{id}/documents/{document}/thumbnail`: the small picture on the family page.
pub async fn case_thumbnail(
    state: State<AppState>,
    Path((family_id, document_id)): Path<(String, String)>,
    parts: Parts,
) -> Response {
    serve_case(state, family_id, document_id, parts, true).await
}

async fn serve_case(
    State(state): State<AppState>,
    family_id: String,
    document_id: String,
    parts: Parts,
    thumbnail: bool,
) -> Response {
    let file = pipeline::case(&family_id, Action::ViewCase)
        .route(&state, &parts)
        .read(AuditAction::DocumentViewed, async |r| {
            r.audit_detail(thumbnail_detail(&document_id, thumbnail));
            let found = documents::file(r.conn(), &family_id, &document_id, thumbnail).await?;
            let found = found.ok_or(AppError::NotFound)?;
            Ok((r.case.case_number.clone(), found))
        })
        .await;
    answer(file, thumbnail)
}

/// `GET /referrals/{referral}/documents/{document}`: a document the caseworker shared with a
/// referral, for its organisation (an account, or someone who opened it with its code) while
/// it sees the family.
pub async fn referral_file(
    State(state): State<AppState>,
    Path((referral_id, document_id)): Path<(String, String)>,
    parts: Parts,
) -> Response {
    let file = pipeline::referral(&referral_id, Action::ViewReferral)
        .route(&state, &parts)
        .read(AuditAction::DocumentViewed, async |r| {
            let retention = super::auth::to_chrono(r.caller.state.config.partner_retention);
            if !r
                .referral
                .partner_sight()
                .sees_people(r.caller.now, retention)
            {
                return Err(AppError::NotFound);
            }
            let family = documents::family_if_shared(r.conn(), &referral_id, &document_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let found = documents::file(r.conn(), &family, &document_id, false).await?;
            let found = found.ok_or(AppError::NotFound)?;
            Ok((r.referral.case_number.clone(), found))
        })
        .await;
    answer(file, false)
}

fn thumbnail_detail(document_id: &str, thumbnail: bool) -> String {
    match thumbnail {
        true => format!("{document_id} thumbnail"),
        false => document_id.to_string(),
    }
}

/// The file, with the headers that keep it what it is: its type as stored, not sniffed, not
/// cached, and a PDF always a download.
fn answer(file: Result<(String, File), AppError>, thumbnail: bool) -> Response {
    let (case_number, file) = match file {
        Ok(f) => f,
        Err(e) => return error_response(e),
    };
    let stored = match thumbnail {
        true => Some(FileType::Jpeg),
        false => FileType::from_content_type(&file.content_type),
    };
    let Some(kind) = stored else {
        return error_response(AppError::Internal);
    };
    let name = download_name(&case_number, file.kind, kind);
    let disposition = match kind {
        FileType::Pdf => format!("attachment; filename=\"{name}\""),
        _ => format!("inline; filename=\"{name}\""),
    };
    let mut res = file.bytes.into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(kind.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}
