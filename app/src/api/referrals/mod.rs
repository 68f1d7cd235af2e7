//! Referrals: the caseworker sends one from a plan need to an organisation that offers the
//! service in the family's province (`casework.rs`); the partner answers it from their inbox,
//! records the services delivered and completes it (`partner.rs`); administrators keep the
//! service directory (`directory.rs`). Each step is audited, goes on the case's timeline and
//! queues its email (see `backend::outbox`) in the same transaction.
//!
//! An organisation without accounts answers at `/r` with the reference and code from the
//! family's slip (`coded.rs`), through the partner's server functions.
//!
//! A partner sees a referral's family — the need-to-know view — while the referral is theirs
//! and open and the family's consent to sharing stands, and for a while after it was completed
//! or its case closed (`shared::referral::PartnerSight`); after that, its record of the
//! referral only.

mod casework;
mod coded;
mod directory;
mod partner;

pub use casework::{
    cancel_referral, case_referrals, refer_form, send_referral, CancelReferral, CaseReferrals,
    ReferForm, SendReferral,
};
pub use coded::{
    coded_referral, open_referral, referral_slip, reissue_referral_code, slip_path, CodedReferral,
    OpenReferral, ReferralSlip, ReissueReferralCode,
};
pub use directory::{get_directory, save_directory, GetDirectory, SaveDirectory};
pub use partner::{
    complete_referral, get_referral, list_incoming, record_service, respond_referral,
    CompleteReferral, GetReferral, ListIncoming, RecordService, RespondReferral,
};

/// Whether a sent referral is past the date the organisation was to answer by.
#[cfg(feature = "ssr")]
fn is_overdue(
    status: shared::referral::ReferralStatus,
    due_at: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    status == shared::referral::ReferralStatus::Sent
        && due_at < crate::backend::clock::timestamp(now).as_str()
}
