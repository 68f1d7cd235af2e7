//! Documents on file: scans and photos of a family's papers (identity documents, consent
//! forms, deportation or return papers, medical papers). What kind of file an upload is, is
//! decided by its first bytes, never by its name; a name that says otherwise is an error, so
//! that nobody keeps a file believing it to be something else.

use crate::field_error::FieldError;

crate::code_enum! {
    /// What a document is.
    pub enum DocumentKind {
        IdentityDocument = "identity_document",
        ConsentForm = "consent_form",
        /// A deportation slip, a proof-of-registration card, a return paper.
        ReturnPaper = "return_paper",
        Medical = "medical",
        Other = "other",
    }
}

crate::code_enum! {
    /// Why a document was deleted (kept in the audit log; the file is not).
    pub enum DeleteReason {
        /// It belongs to another family.
        WrongFamily = "wrong_family",
        Duplicate = "duplicate",
        Unreadable = "unreadable",
        /// The family asked for it to be removed.
        FamilyAsked = "family_asked",
        NoLongerNeeded = "no_longer_needed",
    }
}

/// The largest file an upload takes.
pub const MAX_MEGABYTES: u32 = 10;
pub const MAX_BYTES: usize = MAX_MEGABYTES as usize * 1024 * 1024;
/// Images are scaled down to this many pixels on their longer side.
pub const MAX_SIDE: u32 = 2000;
/// The longer side of a thumbnail.
pub const THUMBNAIL_SIDE: u32 = 240;

/// The kinds of file kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
    Webp,
}

impl FileType {
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
        }
    }

    pub fn from_content_type(s: &str) -> Option<FileType> {
        [FileType::Pdf, FileType::Jpeg, FileType::Png, FileType::Webp]
            .into_iter()
            .find(|t| t.content_type() == s)
    }

    /// The extension a stored file is named with.
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Webp => "webp",
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            FileType::Png => &["png"],
            FileType::Webp => &["webp"],
        }
    }

    pub fn is_image(self) -> bool {
        self != FileType::Pdf
    }
}

/// The type of a file by its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(FileType::Webp)
    } else {
        None
    }
}

/// Checks an uploaded file: there, not too big, of a kind kept, and not named as another
/// kind (a file without an extension, as some phone cameras send, is judged by content).
pub fn check_upload(name: &str, bytes: &[u8]) -> Result<FileType, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::Required);
    }
    if bytes.len() > MAX_BYTES {
        return Err(FieldError::FileTooLarge {
            max_mb: MAX_MEGABYTES,
        });
    }
    let kind = sniff(bytes).ok_or(FieldError::FileTypeNotAllowed)?;
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 5);
    match extension {
        Some(e) if !kind.extensions().contains(&e.as_str()) => Err(FieldError::FileNameMismatch),
        _ => Ok(kind),
    }
}

/// A name to download a file under: the case number, the kind, the type's extension (never
/// the name it was uploaded with, which may say anything).
pub fn download_name(case_number: &str, kind: DocumentKind, file: FileType) -> String {
    format!("{case_number}-{}.{}", kind.as_str(), file.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];

    #[test]
    fn the_content_decides_and_a_name_that_says_otherwise_is_an_error() {
        assert_eq!(check_upload("tazkira.pdf", PDF), Ok(FileType::Pdf));
        assert_eq!(check_upload("IMG_0001.JPG", JPEG), Ok(FileType::Jpeg));
        assert_eq!(check_upload("image", JPEG), Ok(FileType::Jpeg));
        assert_eq!(
            check_upload("scan.pdf", PNG),
            Err(FieldError::FileNameMismatch)
        );
        assert_eq!(
            check_upload("photo.jpg", PDF),
            Err(FieldError::FileNameMismatch)
        );
        assert_eq!(
            check_upload("form.docx", b"PK\x03\x04"),
            Err(FieldError::FileTypeNotAllowed)
        );
        assert_eq!(
            check_upload("a.gif", b"GIF89a"),
            Err(FieldError::FileTypeNotAllowed)
        );
        assert_eq!(check_upload("empty.pdf", b""), Err(FieldError::Required));
        let big = [PDF, &vec![0u8; MAX_BYTES]].concat();
        assert_eq!(
            check_upload("big.pdf", &big),
            Err(FieldError::FileTooLarge { max_mb: 10 })
        );
        let webp = b"RIFF\x10\0\0\0WEBPVP8 ";
        assert_eq!(check_upload("p.webp", webp), Ok(FileType::Webp));
    }

    #[test]
    fn downloads_are_named_by_what_they_are() {
        assert_eq!(
            download_name(
                "AF-2026-000123",
                DocumentKind::IdentityDocument,
                FileType::Pdf
            ),
            "AF-2026-000123-identity_document.pdf"
        );
    }
}
