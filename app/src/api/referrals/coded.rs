//! Referrals to organisations without accounts. Sending one issues a reference and a code and
//! takes the caseworker to the slip the family carries (`referral_slip`); a new code can be
//! issued while the referral is open, which voids the old one (`reissue_referral_code`). At
//! `/r` the organisation types the reference and code (`open_referral`) and then sees and
//! answers the referral through the very server functions an account of a partner uses
//! (`partner.rs`), confined by the policy to that one referral (`Actor::referral`).

use crate::error::AppError;
use crate::model::referrals::{PartnerReferral, SlipView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::partner::partner_view,
    crate::backend::pipeline::{self, Change},
    crate::backend::store::referrals as store,
    crate::backend::{auth, referral_code, request, sign_in, state::app_state},
    shared::audit::{AuditAction, AuditTarget},
    shared::policy::Action,
    shared::timeline::CaseEvent,
};

/// Opens a referral with the reference and code from the family's slip. Like signing in, it
/// serves a caller who is not signed in, so it stays outside the pipeline and stores nothing
/// for them but the throttle's counters and the audit log's record of the attempt. A plain
/// form post is redirected to `/r`: on failure with the error's code (and the reference, if
/// it was well formed: it is printed on the slip and in its QR code, the code never is).
#[server(endpoint = "open_referral")]
pub async fn open_referral(
    #[server(default)] reference: String,
    #[server(default)] code: String,
) -> Result<(), AppError> {
    let result: Result<(), AppError> = async {
        let state = app_state()?;
        let parts = request::parts().ok_or(AppError::Internal)?;
        let addr = request::client_addr(&parts, &state.config);
        let token = sign_in::sign_in_with_code(&state, &reference, &code, addr.as_deref()).await?;
        request::set_cookie(&auth::session_cookie(&state, &token));
        Ok(())
    }
    .await;
    if request::parts().is_some_and(|p| request::is_plain_form_post(&p)) {
        match &result {
            Ok(()) => leptos_axum::redirect("/r"),
            Err(e) => {
                let mut back = format!("/r?error={}", e.code());
                if let AppError::Invalid(fields) = e {
                    let bad: Vec<&str> = fields.0.keys().map(String::as_str).collect();
                    back.push_str(&format!("&bad={}", bad.join(",")));
                }
                if let Some(reference) = shared::referral_code::normalise(&reference) {
                    back.push_str(&format!("&ref={reference}"));
                }
                leptos_axum::redirect(&back);
            }
        }
    }
    result
}

/// The referral the caller opened with its code, or `None` (nobody did, in this browser).
#[server(endpoint = "coded_referral")]
pub async fn coded_referral(
    #[server(default)] locale: String,
) -> Result<Option<PartnerReferral>, AppError> {
    let Some(referral_id) = auth::any_caller()
        .await?
        .and_then(|c| c.actor.referral.clone())
    else {
        return Ok(None);
    };
    partner_view(&referral_id, &locale).await.map(Some)
}

/// Issues a new code for an open referral to an organisation without accounts: the old code
/// stops working and whoever opened the referral with it is signed out. The answer goes to
/// the new slip, which shows the code once.
#[server(endpoint = "reissue_referral_code")]
pub async fn reissue_referral_code(family_id: String, referral_id: String) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::SendReferral)
        .write(async |c| {
            let backend = c.caller.state.db.backend;
            let r = store::lock(c.conn(), backend, &referral_id)
                .await?
                .filter(|r| r.family_id == family_id && r.without_accounts)
                .ok_or(AppError::NotFound)?;
            if !r.status.is_open() {
                return Err(AppError::Conflict);
            }
            let (state, now) = (c.caller.state.clone(), c.now());
            let user = c.caller.actor.user_id.clone();
            let issued = referral_code::issue(c.conn(), &state, &referral_id, &user, now).await?;
            referral_code::carry_to_slip(&state, &referral_id, &issued);
            let change = Change::new(CaseEvent::ReferralCodeIssued)
                .text(r.organisation_name)
                .about(AuditTarget::Referral, &referral_id);
            Ok(c.record((), change)
                .await?
                .then(slip_path(&family_id, &referral_id)))
        })
        .await
}

/// Where the slip of a referral is printed from.
pub fn slip_path(family_id: &str, referral_id: &str) -> String {
    format!("/cases/{family_id}/referrals/{referral_id}/slip")
}

/// The slip of a referral to an organisation without accounts. The code is on it only right
/// after it was issued (see `backend::referral_code`); reading the slip is audited.
#[server(endpoint = "referral_slip")]
pub async fn referral_slip(family_id: String, referral_id: String) -> Result<SlipView, AppError> {
    pipeline::case(&family_id, Action::ViewCase)
        .read(AuditAction::ReferralSlipViewed, async |r| {
            let referral = store::get(r.conn(), &referral_id)
                .await?
                .filter(|x| x.family_id == family_id && x.without_accounts)
                .ok_or(AppError::NotFound)?;
            let (Some(reference), Some(issued_at), Some(expires_at)) = (
                referral.reference.clone(),
                referral.code_issued_at.clone(),
                referral.code_expires_at.clone(),
            ) else {
                return Err(AppError::NotFound);
            };
            let state = r.caller.state.clone();
            let code = referral_code::take_for_slip(&state, &referral_id, &issued_at);
            let url = referral_code::open_url(&state.config.public_url, &reference);
            r.audit_detail(&referral_id);
            Ok(SlipView {
                qr_svg: referral_code::qr_svg(&url)?,
                url,
                family_id: referral.family_id,
                referral_id: referral.referral_id,
                case_number: referral.case_number,
                organisation_name: referral.organisation_name,
                contact: shared::organisation::Contact {
                    person: referral.contact_person.unwrap_or_default(),
                    phone: referral.contact_phone.unwrap_or_default(),
                    address: referral.contact_address.unwrap_or_default(),
                },
                service: referral.service,
                sent_at: referral.sent_at,
                status: referral.status,
                reference,
                code,
                expires_at,
            })
        })
        .await
}
