//! Referrals as the caseworker makes them: the form, sending, cancelling, the family's list.

use crate::error::AppError;
use crate::model::referrals::{ReferFormView, ReferralSummary};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::coded::slip_path,
    super::is_overdue,
    crate::backend::emails::{self, ReferralNews},
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::referral_code,
    crate::backend::store::{assessments as plans, directory, referrals as store},
    crate::model::referrals::{Coded, ProviderView},
    shared::achieved::{self, Assessed},
    shared::audit::{AuditAction, AuditTarget},
    shared::family::status::Step,
    shared::organisation::Contact,
    shared::policy::Action,
    shared::referral::ReferralStatus,
    shared::service::ServiceCategory,
    shared::timeline::CaseEvent,
    shared::FieldError,
};

/// The referral form of a plan need: organisations offering `service` (the need's category
/// unless another is chosen) in the family's province.
#[server(endpoint = "refer_form")]
pub async fn refer_form(
    family_id: String,
    plan_item_id: String,
    #[server(default)] service: String,
    #[server(default)] locale: String,
) -> Result<ReferFormView, AppError> {
    pipeline::case(&family_id, Action::SendReferral)
        .read(AuditAction::ReferralFormOpened, async |r| {
            let item = plans::plan(r.conn(), &family_id)
                .await?
                .into_iter()
                .find(|p| p.plan_item_id == plan_item_id)
                .ok_or(AppError::NotFound)?;
            let service = ServiceCategory::parse(&service).unwrap_or(item.service);
            let f = r.case.clone();
            let providers = directory::providers(r.conn(), service, &f.province)
                .await?
                .into_iter()
                .map(|p| ProviderView {
                    without_accounts: p.without_accounts.then(|| Contact {
                        person: p.contact_person.unwrap_or_default(),
                        phone: p.contact_phone.unwrap_or_default(),
                        address: p.contact_address.unwrap_or_default(),
                    }),
                    organisation_id: p.organisation_id,
                    name: p.name,
                    response_days: p.response_days,
                })
                .collect();
            r.audit_detail(&plan_item_id);
            Ok(ReferFormView {
                family_id: f.family_id,
                case_number: f.case_number,
                province: f.province,
                sharing_consent: f.sharing_consent,
                plan_item_id: plan_item_id.clone(),
                need_label: shared::assessment::current().need_label(&item.need, &locale),
                service,
                providers,
            })
        })
        .await
}

/// Sends a referral of a plan need to an organisation. Refused without the family's consent
/// to sharing, while the need has an open referral already, and unless the organisation
/// offers the service in the family's province.
#[server(endpoint = "send_referral")]
pub async fn send_referral(
    family_id: String,
    plan_item_id: String,
    #[server(default)] service: String,
    #[server(default)] organisation_id: String,
    #[server(default)] note: String,
) -> Result<String, AppError> {
    pipeline::case(&family_id, Action::SendReferral)
        .form(Form::values(&[("note", &note)]))
        .write(async |c| {
            if !c.case.sharing_consent {
                return Err(AppError::NoSharingConsent);
            }
            plans::plan(c.conn(), &family_id)
                .await?
                .into_iter()
                .find(|p| p.plan_item_id == plan_item_id && p.status.is_open())
                .ok_or(AppError::NotFound)?;
            let mut errors = shared::FieldErrors::new();
            if store::open_for_plan_item(c.conn(), &plan_item_id).await? {
                errors.add("plan_item_id", FieldError::AlreadyReferred);
            }
            let service = errors.take(
                "service",
                ServiceCategory::parse(&service).ok_or(FieldError::InvalidChoice),
            );
            let note = errors.take("note", shared::referral::validate_note(&note));
            let province = c.case.province.clone();
            let provider = match service {
                Some(s) => directory::providers(c.conn(), s, &province)
                    .await?
                    .into_iter()
                    .find(|p| p.organisation_id == organisation_id),
                None => None,
            };
            if provider.is_none() && service.is_some() {
                let e = if organisation_id.trim().is_empty() {
                    FieldError::Required
                } else {
                    FieldError::InvalidChoice
                };
                errors.add("organisation_id", e);
            }
            let (Some(service), Some(note), Some(provider), true) =
                (service, note, provider, errors.is_empty())
            else {
                return Err(AppError::Invalid(errors));
            };
            let now = c.now();
            let new = store::NewReferral {
                family_id: &family_id,
                plan_item_id: Some(&plan_item_id),
                organisation_id: &provider.organisation_id,
                service,
                note: note.as_deref(),
                sent_by: &c.caller.actor.user_id,
                due_at: now + chrono::Duration::days(provider.response_days),
            };
            let id = store::insert(c.conn(), &new, now).await?;
            // An organisation without accounts gets a reference and a code, and the family
            // the slip that carries them: the caseworker is taken to it.
            let state = c.caller.state.clone();
            let then = match provider.without_accounts {
                true => {
                    let user = c.caller.actor.user_id.clone();
                    let issued = referral_code::issue(c.conn(), &state, &id, &user, now).await?;
                    referral_code::carry_to_slip(&state, &id, &issued);
                    slip_path(&family_id, &id)
                }
                false => format!("/cases/{family_id}#referrals"),
            };
            let r = store::get(c.conn(), &id).await?.ok_or(AppError::Internal)?;
            let public_url = state.config.public_url.clone();
            emails::queue_referral(c.conn(), &public_url, ReferralNews::New, &r, now).await?;
            c.advance(Step::WorkStarted).await?;
            let change = Change::new(CaseEvent::ReferralSent)
                .text(provider.name)
                .about(AuditTarget::Referral, &id);
            Ok(c.record(id, change).await?.then(then))
        })
        .await
}

/// Cancels an open referral; the organisation loses sight of the family at once.
#[server(endpoint = "cancel_referral")]
pub async fn cancel_referral(
    family_id: String,
    referral_id: String,
    version: i64,
) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::CancelReferral)
        .write(async |c| {
            let backend = c.caller.state.db.backend;
            let r = store::lock(c.conn(), backend, &referral_id)
                .await?
                .filter(|r| r.family_id == family_id)
                .ok_or(AppError::NotFound)?;
            let change = store::StatusChange {
                to: ReferralStatus::Cancelled,
                from: &[ReferralStatus::Sent, ReferralStatus::Accepted],
                decline_reason: None,
                outcome: None,
            };
            let now = c.now();
            if !store::set_status(c.conn(), &referral_id, version, &change, now).await? {
                return Err(AppError::Conflict);
            }
            let public_url = c.caller.state.config.public_url.clone();
            emails::queue_referral(c.conn(), &public_url, ReferralNews::Cancelled, &r, now).await?;
            let change = Change::new(CaseEvent::ReferralCancelled)
                .text(r.organisation_name)
                .about(AuditTarget::Referral, &referral_id);
            Ok(c.record((), change)
                .await?
                .then(format!("/cases/{family_id}#referrals")))
        })
        .await
}

/// The family's referrals, newest first (the family page).
#[server(endpoint = "case_referrals")]
pub async fn case_referrals(family_id: String) -> Result<Vec<ReferralSummary>, AppError> {
    pipeline::case(&family_id, Action::ViewCase)
        .read(AuditAction::CaseReferralsViewed, async |r| {
            let now = r.caller.now;
            // The family's own assessments (not one member's): what each completed referral
            // achieved is read from them.
            let assessed = plans::list(r.conn(), &family_id).await?;
            let assessed: Vec<Assessed> = assessed
                .iter()
                .filter(|a| a.member_id.is_none())
                .map(|a| Assessed {
                    assessment_id: &a.assessment_id,
                    assessed_on: &a.assessed_on,
                    recorded_at: &a.created_at,
                    scores: a.scores,
                })
                .collect();
            let mut out = Vec::new();
            for referral in store::of_family(r.conn(), &family_id).await? {
                let services = store::services(r.conn(), &referral.referral_id)
                    .await?
                    .into_iter()
                    .map(|s| (s.delivered_on, s.description))
                    .collect();
                let achieved = match (&referral.status, &referral.completed_at) {
                    (ReferralStatus::Completed, Some(done)) => {
                        achieved::across(&referral.sent_at, done, &assessed)
                    }
                    _ => None,
                };
                let coded = match (referral.reference, referral.code_expires_at) {
                    (Some(reference), Some(expires_at)) => Some(Coded {
                        reference,
                        expires_at,
                    }),
                    _ => None,
                };
                out.push(ReferralSummary {
                    coded,
                    achieved,
                    overdue: is_overdue(referral.status, &referral.due_at, now),
                    referral_id: referral.referral_id,
                    plan_item_id: referral.plan_item_id,
                    organisation_name: referral.organisation_name,
                    service: referral.service,
                    status: referral.status,
                    note: referral.note,
                    sent_at: referral.sent_at,
                    due_at: referral.due_at,
                    responded_at: referral.responded_at,
                    completed_at: referral.completed_at,
                    decline_reason: referral.decline_reason,
                    outcome: referral.outcome,
                    services,
                    version: referral.version,
                });
            }
            Ok(out)
        })
        .await
}
