//! Documents on file: uploads as a browser without JavaScript sends them (multipart), the
//! type decided by content, images scaled down and stripped of metadata, the files served
//! only through the pipeline with the headers that keep them what they are, sharing with a
//! referral (an account's and a code's), deleting with a reason, and who may do what.

use crate::common::*;
use crate::on_both_databases;
use crate::referrals::{assessed_family, directory, item, send};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
/// What a phone camera writes into a photo and must not be kept.
const SECRET: &[u8] = b"GPSLatitude 34.5553N 69.2075E";

/// A JPEG photo `w` by `h` pixels, with an Exif block that says where it was taken.
fn photo(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)
        .encode_image(&img)
        .unwrap();
    // APP1 "Exif" right after the start of image, as cameras write it.
    let mut exif = b"Exif\0\0MM\0*\0\0\0\x08\0\0".to_vec();
    exif.extend_from_slice(SECRET);
    let len = (exif.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([10, 200, 30]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn upload_form(family: &str, kind: &str, name: &str, bytes: Vec<u8>) -> Form {
    Form::new()
        .text("family_id", family.to_string())
        .text("kind", kind.to_string())
        .text("title", "Scan from the office")
        .part("file", Part::bytes(bytes).file_name(name.to_string()))
}

/// Uploads as a program (JSON back).
async fn upload(
    c: &Client,
    family: &str,
    kind: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let res = c
        .post("upload_document")
        .header("accept", "application/json")
        .multipart(upload_form(family, kind, name, bytes))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Uploads a photo to the family; answers the document's id.
pub async fn uploaded(app: &TestApp, c: &Client, family: &str) -> String {
    let before = app.count("SELECT COUNT(*) FROM document").await;
    let (status, body) = upload(c, family, "identity_document", "id.jpg", photo(64, 48)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM document").await, before + 1);
    documents(c, family).await["documents"][0]["document_id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn documents(c: &Client, family: &str) -> Value {
    let (status, d) = c.call("case_documents", &[("family_id", family)]).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    d
}

async fn get(c: &Client, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let res = c
        .http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.bytes().await.unwrap().to_vec())
}

async fn a_caseworker_keeps_papers_and_shares_one_with_a_referral(app: TestApp) {
    app.people().await;
    directory(&app).await;
    let (family, plan) = assessed_family(&app).await;
    let (status, referral) = send(&app, &family, item(&plan, "housing"), "housing", "ngo-a").await;
    assert_eq!(status, StatusCode::OK);
    let referral = referral.as_str().unwrap().to_string();
    let cw = app.signed_in(CASEWORKER).await;

    // A phone photo, posted as a browser without JavaScript posts the form.
    let res = cw
        .post("upload_document")
        .header("accept", "text/html")
        .header("referer", format!("{}/cases/{family}", cw.base))
        .header("origin", cw.base.clone())
        .multipart(upload_form(
            &family,
            "identity_document",
            "IMG_2041.JPG",
            photo(3000, 1200),
        ))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(
        res.headers()["location"],
        format!("/cases/{family}#documents").as_str()
    );
    let (status, _) = upload(
        &cw,
        &family,
        "return_paper",
        "deportation-slip.pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let list = documents(&cw, &family).await;
    let docs = list["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    let photo_doc = docs
        .iter()
        .find(|d| d["content_type"] == "image/jpeg")
        .unwrap();
    let pdf_doc = docs
        .iter()
        .find(|d| d["content_type"] == "application/pdf")
        .unwrap();
    assert_eq!(photo_doc["has_thumbnail"], json!(true));
    assert_eq!(pdf_doc["has_thumbnail"], json!(false));
    let (photo_id, pdf_id) = (
        photo_doc["document_id"].as_str().unwrap().to_string(),
        pdf_doc["document_id"].as_str().unwrap().to_string(),
    );

    // Served scaled down to 2,000 pixels, with nothing of the camera's metadata.
    let (status, headers, body) = get(&cw, &format!("/cases/{family}/documents/{photo_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "no-store");
    let stored = image::load_from_memory(&body).unwrap();
    assert_eq!((stored.width(), stored.height()), (2000, 800));
    assert!(!body.windows(4).any(|w| w == b"Exif"), "Exif kept");
    assert!(
        !body.windows(SECRET.len()).any(|w| w == SECRET),
        "location kept"
    );
    let (status, headers, thumb) = get(
        &cw,
        &format!("/cases/{family}/documents/{photo_id}/thumbnail"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    let thumb = image::load_from_memory(&thumb).unwrap();
    assert!(thumb.width() <= 240 && thumb.height() <= 240);
    // A PDF is always a download, never shown inside the site.
    let (status, headers, body) = get(&cw, &format!("/cases/{family}/documents/{pdf_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"AF-"),
        "{disposition}"
    );
    assert!(
        disposition.ends_with("-return_paper.pdf\""),
        "{disposition}"
    );
    assert_eq!(body, PDF);
    assert!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'document_viewed'")
            .await
            >= 3
    );

    // The partner sees nothing until it is shared with its referral, then only that one.
    let partner = app.signed_in(PARTNER).await;
    let shared_path = format!("/referrals/{referral}/documents/{pdf_id}");
    assert_eq!(get(&partner, &shared_path).await.0, StatusCode::NOT_FOUND);
    let share = [
        ("family_id", family.as_str()),
        ("document_id", pdf_id.as_str()),
        ("referral_id", referral.as_str()),
        ("share", "yes"),
    ];
    assert_eq!(cw.call("share_document", &share).await.0, StatusCode::OK);
    let (status, headers, body) = get(&partner, &shared_path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(body, PDF);
    let not_shared = format!("/referrals/{referral}/documents/{photo_id}");
    assert_eq!(get(&partner, &not_shared).await.0, StatusCode::NOT_FOUND);
    let (_, r) = partner
        .call("get_referral", &[("referral_id", &referral)])
        .await;
    assert_eq!(r["documents"].as_array().unwrap().len(), 1, "{r}");
    let other = app.signed_in(PARTNER_B).await;
    assert_eq!(get(&other, &shared_path).await.0, StatusCode::NOT_FOUND);
    // The family page's file route is the caseworkers' alone.
    for (who, can) in [
        (CASEWORKER, true),
        (SUPERVISOR, true),
        (CASEWORKER_IQ, false),
        (SUPERVISOR_IQ, false),
        (PARTNER, false),
        (MANAGER, false),
        (ADMIN, false),
    ] {
        let c = app.signed_in(who).await;
        let (status, _, body) = get(&c, &format!("/cases/{family}/documents/{pdf_id}")).await;
        assert_eq!(status == StatusCode::OK, can, "{who}: {status}");
        if !can {
            assert_ne!(body, PDF, "{who}");
            assert_eq!(status, StatusCode::NOT_FOUND, "{who}");
        }
        let (status, _) = upload(&c, &family, "medical", "x.pdf", PDF.to_vec()).await;
        assert_eq!(status == StatusCode::OK, can, "{who} upload: {status}");
    }
    let (status, _, _) = get(
        &app.client(),
        &format!("/cases/{family}/documents/{pdf_id}"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Unshared: gone for the partner again.
    let unshare = [
        ("family_id", family.as_str()),
        ("document_id", pdf_id.as_str()),
        ("referral_id", referral.as_str()),
        ("share", "no"),
    ];
    assert_eq!(cw.call("share_document", &unshare).await.0, StatusCode::OK);
    assert_eq!(get(&partner, &shared_path).await.0, StatusCode::NOT_FOUND);

    // Deleting needs a reason, and leaves its audit record, not the file.
    let delete = |reason: &'static str| {
        [
            ("family_id", family.clone()),
            ("document_id", photo_id.clone()),
            ("reason", reason.to_string()),
        ]
    };
    let form = delete("");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = cw.call("delete_document", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"]["reason"], json!("Required"));
    let form = delete("wrong_family");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(cw.call("delete_document", &form).await.0, StatusCode::OK);
    let (status, _, _) = get(&cw, &format!("/cases/{family}/documents/{photo_id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'document_deleted' AND detail = 'wrong_family'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM document WHERE document_id IN (SELECT target_id FROM audit_event WHERE action = 'document_deleted')")
            .await,
        0
    );
}

async fn bad_uploads_get_clear_errors_beside_the_file(app: TestApp) {
    app.people().await;
    let family = crate::families::register_ahmadi(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let cases: Vec<(&str, Vec<u8>, Value)> = vec![
        (
            "form.docx",
            b"PK\x03\x04 a word file".to_vec(),
            json!("FileTypeNotAllowed"),
        ),
        ("scan.pdf", png(), json!("FileNameMismatch")),
        ("photo.jpg", PDF.to_vec(), json!("FileNameMismatch")),
        (
            "broken.jpg",
            b"\xFF\xD8\xFF\xE0 not really a photo".to_vec(),
            json!("FileUnreadable"),
        ),
        (
            "huge.pdf",
            [PDF, &vec![b' '; 10 * 1024 * 1024]].concat(),
            json!({"FileTooLarge": {"max_mb": 10}}),
        ),
        ("nothing.pdf", Vec::new(), json!("Required")),
    ];
    for (name, bytes, error) in cases {
        let (status, body) = upload(&cw, &family, "identity_document", name, bytes).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        assert_eq!(body["Invalid"]["file"], error, "{name}");
    }
    let (status, body) = upload(&cw, &family, "passport-ish", "ok.pdf", PDF.to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"]["kind"], json!("InvalidChoice"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM document").await,
        0,
        "nothing half-saved"
    );
    // Without JavaScript: back to the family page, the error beside the file field.
    let res = cw
        .post("upload_document")
        .header("accept", "text/html")
        .header("referer", format!("{}/cases/{family}", cw.base))
        .header("origin", cw.base.clone())
        .multipart(upload_form(&family, "identity_document", "scan.pdf", png()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["location"],
        format!("/cases/{family}").as_str()
    );
    let (_, page, _) = cw.page(&format!("/cases/{family}")).await;
    assert!(
        page.contains("does not match what it is"),
        "the error beside the field"
    );
    // Not multipart, or a large body without a session: refused before anything is read.
    let (status, _) = app
        .client()
        .call("upload_document", &[("family_id", family.as_str())])
        .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let sent = app
        .client()
        .post("upload_document")
        .multipart(upload_form(
            &family,
            "medical",
            "a.pdf",
            [PDF, &vec![b' '; 100_000]].concat(),
        ))
        .send()
        .await;
    // Refused by its declared length: the answer may come before the body is written.
    match sent {
        Ok(res) => assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE),
        Err(e) => {
            let chain = format!("{e:?}");
            assert!(
                chain.contains("BrokenPipe") || chain.contains("ConnectionReset"),
                "{chain}"
            );
        }
    }
}

async fn a_code_opens_the_documents_shared_with_its_referral_only(app: TestApp) {
    app.people().await;
    crate::coded::shura(&app).await;
    let cw = app.signed_in(CASEWORKER).await;
    let (family, referral, reference, code) = crate::coded::referred(&app, &cw).await;
    for name in ["a.pdf", "b.pdf"] {
        assert_eq!(
            upload(&cw, &family, "medical", name, PDF.to_vec()).await.0,
            StatusCode::OK
        );
    }
    let list = documents(&cw, &family).await;
    let ids: Vec<String> = list["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["document_id"].as_str().unwrap().to_string())
        .collect();
    let share = [
        ("family_id", family.as_str()),
        ("document_id", ids[0].as_str()),
        ("referral_id", referral.as_str()),
        ("share", "yes"),
    ];
    assert_eq!(cw.call("share_document", &share).await.0, StatusCode::OK);
    let shura = app.client();
    assert_eq!(crate::coded::open(&shura, &reference, &code).await, "/r");
    let (status, _, body) = get(
        &shura,
        &format!("/referrals/{referral}/documents/{}", ids[0]),
    )
    .await;
    assert_eq!((status, body.as_slice()), (StatusCode::OK, PDF));
    let (status, _, _) = get(
        &shura,
        &format!("/referrals/{referral}/documents/{}", ids[1]),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(&shura, &format!("/cases/{family}/documents/{}", ids[0])).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, html, _) = shura.page("/r").await;
    assert!(html.contains(&format!("/referrals/{referral}/documents/{}", ids[0])));
    assert!(!html.contains(&ids[1]));
    // The family's copy of its data describes its documents (not the files) and the sharing.
    let sup = app.signed_in(SUPERVISOR).await;
    let (status, body, _) = sup.page(&format!("/cases/{family}/export.json")).await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&body).unwrap();
    let kept = doc["tables"]["document"].as_array().unwrap();
    assert_eq!(kept.len(), 2);
    assert!(kept[0].get("content").is_none() && kept[0].get("thumbnail").is_none());
    assert_eq!(doc["tables"]["document_share"].as_array().unwrap().len(), 1);
}

on_both_databases!(
    a_caseworker_keeps_papers_and_shares_one_with_a_referral,
    bad_uploads_get_clear_errors_beside_the_file,
    a_code_opens_the_documents_shared_with_its_referral_only,
);
