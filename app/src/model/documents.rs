//! Documents on file, as the family page and a partner's view of a referral list them.

use serde::{Deserialize, Serialize};
use shared::document::DocumentKind;

/// A document (never its file: that is fetched from its own address).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub document_id: String,
    /// The person it is about, if not the family as a whole.
    pub member_id: Option<String>,
    pub kind: DocumentKind,
    pub title: Option<String>,
    pub content_type: String,
    pub byte_size: i64,
    pub has_thumbnail: bool,
    pub uploaded_by: Option<String>,
    pub uploaded_at: String,
    /// The referrals it is shared with: (referral id, organisation).
    pub shared_with: Vec<(String, String)>,
}

/// The family page's documents panel: the documents, the people they may be about, and the
/// open referrals a document may be shared with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentsOfCase {
    pub documents: Vec<DocumentView>,
    /// (member id, name in the local script, name in Latin letters)
    pub members: Vec<(String, Option<String>, Option<String>)>,
    /// (referral id, organisation) of the open referrals.
    pub referrals: Vec<(String, String)>,
}
