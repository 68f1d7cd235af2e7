//! Referrals, the partner's inbox and the service directory, as the pages and their server functions exchange them.

use serde::{Deserialize, Serialize};
use shared::referral::{InboxTab, ReferralStatus};
use shared::service::ServiceCategory;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderView {
    pub organisation_id: String,
    pub name: String,
    pub response_days: i64,
    /// Without accounts: the family carries a slip; whom to see there.
    pub without_accounts: Option<shared::organisation::Contact>,
}

/// What the referral form needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferFormView {
    pub family_id: String,
    pub case_number: String,
    pub province: String,
    pub sharing_consent: bool,
    pub plan_item_id: String,
    pub need_label: String,
    pub service: ServiceCategory,
    pub providers: Vec<ProviderView>,
}

/// A referral as the referring side sees it (the family page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralSummary {
    pub referral_id: String,
    pub plan_item_id: Option<String>,
    pub organisation_name: String,
    pub service: ServiceCategory,
    pub status: ReferralStatus,
    pub overdue: bool,
    pub note: Option<String>,
    pub sent_at: String,
    pub due_at: String,
    pub responded_at: Option<String>,
    pub completed_at: Option<String>,
    pub decline_reason: Option<String>,
    pub outcome: Option<String>,
    /// (date, what)
    pub services: Vec<(String, String)>,
    /// Completed and the family assessed on either side of it: its scores before and after.
    pub achieved: Option<shared::achieved::Achieved>,
    pub version: i64,
    /// To an organisation without accounts: the slip's reference and until when its code
    /// works (the code itself is shown once, on the slip printed when it is issued).
    pub coded: Option<Coded>,
}

/// The reference of a referral to an organisation without accounts, and its code's expiry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coded {
    pub reference: String,
    pub expires_at: String,
}

/// The slip the family carries to an organisation without accounts: where to go, whom to
/// see, and the reference and code the organisation types at `/r`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlipView {
    pub family_id: String,
    pub referral_id: String,
    pub case_number: String,
    pub organisation_name: String,
    pub contact: shared::organisation::Contact,
    pub service: ServiceCategory,
    pub sent_at: String,
    pub status: ReferralStatus,
    pub reference: String,
    /// Only on the page shown right after the code was issued.
    pub code: Option<String>,
    pub expires_at: String,
    /// The `/r` address with the reference, and its QR code (an SVG element).
    pub url: String,
    pub qr_svg: String,
}

/// One line of a partner's inbox: no names, only what sorts the work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRow {
    pub referral_id: String,
    pub case_number: String,
    pub service: ServiceCategory,
    pub province: String,
    pub sent_at: String,
    pub due_at: String,
    pub status: ReferralStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub tab: InboxTab,
    pub counts: Vec<(InboxTab, i64)>,
    pub rows: Vec<InboxRow>,
}

/// What a partner sees of a referral: who, how to reach them, where, how many, what is
/// needed and the caseworker's note — nothing else of the case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerReferral {
    pub referral_id: String,
    pub case_number: String,
    pub status: ReferralStatus,
    pub overdue: bool,
    pub version: i64,
    pub service: ServiceCategory,
    pub need_label: Option<String>,
    pub note: Option<String>,
    pub caseworker: String,
    pub sent_at: String,
    pub due_at: String,
    pub province: String,
    /// The people behind the referral, while the organisation may still see them
    /// (`shared::referral::PartnerSight`); afterwards it keeps only its record of the referral.
    pub family: Option<ReferredFamily>,
    pub services: Vec<(String, String)>,
    pub outcome: Option<String>,
    /// Documents the caseworker shared with this referral (while the family is seen).
    pub documents: Vec<super::documents::DocumentView>,
}

/// The need-to-know view of a referred family.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferredFamily {
    pub district: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub household_size: i64,
    /// (name in local script, name in Latin letters)
    pub people: Vec<(Option<String>, Option<String>)>,
}

/// An organisation's directory entry (administration).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryView {
    pub organisation_id: String,
    pub name: String,
    pub country: Option<shared::Country>,
    pub referral_email: Option<String>,
    /// Without accounts: whom to see there.
    pub without_accounts: Option<shared::organisation::Contact>,
    pub response_days: i64,
    pub services: Vec<ServiceCategory>,
    pub provinces: Vec<String>,
    /// The entry's version, sent back with an edit.
    pub version: i64,
}
