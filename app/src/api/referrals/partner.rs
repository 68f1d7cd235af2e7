//! Referrals as the partner organisation answers them: the inbox, the need-to-know view,
//! accepting or declining, services delivered, completion.

use crate::error::AppError;
use crate::model::referrals::{Inbox, PartnerReferral};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::is_overdue,
    crate::backend::auth::Caller,
    crate::backend::emails::{self, ReferralNews},
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::store::{assessments as plans, families, referrals as store},
    crate::model::referrals::{InboxRow, ReferredFamily},
    shared::audit::AuditAction,
    shared::calendar::Calendar,
    shared::policy::Action,
    shared::referral::{InboxTab, ReferralStatus},
    shared::timeline::CaseEvent,
    shared::FieldError,
};

/// A partner's inbox: the referrals to their organisation under one tab, with every tab's
/// count.
#[server(endpoint = "list_incoming")]
pub async fn list_incoming(#[server(default)] tab: String) -> Result<Inbox, AppError> {
    pipeline::system(Action::ListIncomingReferrals)
        .read(Some(AuditAction::InboxViewed), async |r| {
            let tab = InboxTab::parse(&tab).unwrap_or(InboxTab::New);
            let (org, now) = (r.caller.actor.organisation_id.clone(), r.caller.now);
            let counts = store::inbox_counts(r.conn(), &org, now).await?;
            let rows = store::inbox(r.conn(), &org, tab, now)
                .await?
                .into_iter()
                .map(|r| InboxRow {
                    referral_id: r.referral_id,
                    case_number: r.case_number,
                    service: r.service,
                    province: r.province,
                    sent_at: r.sent_at,
                    due_at: r.due_at,
                    status: r.status,
                })
                .collect();
            r.audit_detail(tab.as_str());
            Ok(Inbox { tab, counts, rows })
        })
        .await
}

/// One referral to the caller's organisation: the need-to-know view of the family while the
/// organisation may still see it, else its record of the referral. Every reading is audited.
#[server(endpoint = "get_referral")]
pub async fn get_referral(
    referral_id: String,
    #[server(default)] locale: String,
) -> Result<PartnerReferral, AppError> {
    partner_view(&referral_id, &locale).await
}

/// The need-to-know view of a referral, for an account of its organisation or someone who
/// opened it with its code (`/r`): the same view, through the same pipeline.
#[cfg(feature = "ssr")]
pub(super) async fn partner_view(
    referral_id: &str,
    locale: &str,
) -> Result<PartnerReferral, AppError> {
    pipeline::referral(referral_id, Action::ViewReferral)
        .read(AuditAction::ReferralViewed, async |r| {
            let now = r.caller.now;
            let retention = chrono::Duration::from_std(r.caller.state.config.partner_retention)
                .unwrap_or(chrono::Duration::MAX);
            let referral = r.referral.clone();
            let sees_people = referral.partner_sight().sees_people(now, retention);
            let family = match sees_people {
                true => {
                    let members = families::record::members(r.conn(), &referral.family_id).await?;
                    let contact = families::contact(r.conn(), &referral.family_id)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    Some(ReferredFamily {
                        district: contact.district,
                        address: contact.address,
                        phone: contact.phone,
                        household_size: members.len() as i64,
                        people: members
                            .into_iter()
                            .map(|m| (m.name_local, m.name_latin))
                            .collect(),
                    })
                }
                false => None,
            };
            let need_label = match &referral.plan_item_id {
                Some(id) => plans::plan(r.conn(), &referral.family_id)
                    .await?
                    .into_iter()
                    .find(|p| &p.plan_item_id == id)
                    .map(|p| shared::assessment::current().need_label(&p.need, locale)),
                None => None,
            };
            // Documents the caseworker shared with this referral, with the people.
            let documents = match family.is_some() {
                true => crate::backend::store::documents::shared_with(r.conn(), referral_id)
                    .await?
                    .into_iter()
                    .map(|d| crate::api::documents::view(d, Vec::new()))
                    .collect(),
                false => Vec::new(),
            };
            let services = store::services(r.conn(), referral_id)
                .await?
                .into_iter()
                .map(|s| (s.delivered_on, s.description))
                .collect();
            Ok(PartnerReferral {
                overdue: is_overdue(referral.status, &referral.due_at, now),
                referral_id: referral.referral_id,
                case_number: referral.case_number,
                status: referral.status,
                version: referral.version,
                service: referral.service,
                need_label,
                // The caseworker's note may speak of the family: it goes with the people.
                note: referral.note.filter(|_| family.is_some()),
                caseworker: referral.caseworker_name,
                sent_at: referral.sent_at,
                due_at: referral.due_at,
                province: referral.province,
                family,
                services,
                outcome: referral.outcome,
                documents,
            })
        })
        .await
}

/// The partner accepts (`decision=accept`) or declines (`decision=decline`, with a reason)
/// a new referral.
#[server(endpoint = "respond_referral")]
pub async fn respond_referral(
    referral_id: String,
    version: i64,
    decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    pipeline::referral(&referral_id, Action::RespondToReferral)
        .version(version)
        .form(Form::values(&[("reason", &reason)]))
        .write(async |r| {
            let (to, news, event, reason) = match decision.as_str() {
                "accept" => (
                    ReferralStatus::Accepted,
                    ReferralNews::Accepted,
                    CaseEvent::ReferralAccepted,
                    None,
                ),
                "decline" => {
                    let reason = shared::referral::validate_reason(&reason)
                        .map_err(|e| AppError::invalid("reason", e))?;
                    (
                        ReferralStatus::Declined,
                        ReferralNews::Declined,
                        CaseEvent::ReferralDeclined,
                        Some(reason),
                    )
                }
                _ => return Err(AppError::invalid("decision", FieldError::InvalidChoice)),
            };
            let change = store::StatusChange {
                to,
                from: &[ReferralStatus::Sent],
                decline_reason: reason.as_deref(),
                outcome: None,
            };
            let now = r.now();
            if !store::set_status(r.conn(), &referral_id, version, &change, now).await? {
                return Err(AppError::Conflict);
            }
            let (referral, public_url) =
                (r.referral.clone(), r.caller.state.config.public_url.clone());
            emails::queue_referral(r.conn(), &public_url, news, &referral, now).await?;
            let back = match to {
                ReferralStatus::Declined if r.caller.actor.referral.is_none() => {
                    "/referrals".to_string()
                }
                _ => page_of(r.caller, &referral_id),
            };
            let change = Change::new(event).text(referral.organisation_name);
            Ok(r.record((), change).await?.then(back))
        })
        .await
}

/// The page of a referral for whoever answered it: `/r` for someone who opened it with its
/// code, the partner's own page otherwise.
#[cfg(feature = "ssr")]
fn page_of(caller: &Caller, referral_id: &str) -> String {
    match caller.actor.referral {
        Some(_) => "/r".to_string(),
        None => format!("/referrals/{referral_id}"),
    }
}

/// The partner records a service delivered under an accepted referral.
#[server(endpoint = "record_service")]
pub async fn record_service(
    referral_id: String,
    #[server(default)] delivered_on: String,
    #[server(default)] description: String,
    #[server(default)] calendar: String,
) -> Result<(), AppError> {
    pipeline::referral(&referral_id, Action::RecordService)
        .form(Form::values(&[
            ("delivered_on", &delivered_on),
            ("description", &description),
        ]))
        .write(async |r| {
            if r.referral.status != ReferralStatus::Accepted {
                return Err(AppError::Conflict);
            }
            let now = r.now();
            let (date, description) = shared::referral::validate_service(
                &delivered_on,
                &description,
                Calendar::from_code(&calendar),
                now.date_naive(),
            )?;
            let user = r.caller.actor.user_id.clone();
            store::add_service(r.conn(), &referral_id, date, &description, &user, now).await?;
            let change =
                Change::new(CaseEvent::ServiceRecorded).text(r.referral.organisation_name.clone());
            r.record((), change).await
        })
        .await
}

/// The partner completes an accepted referral with its outcome.
#[server(endpoint = "complete_referral")]
pub async fn complete_referral(
    referral_id: String,
    version: i64,
    #[server(default)] outcome: String,
) -> Result<(), AppError> {
    pipeline::referral(&referral_id, Action::RespondToReferral)
        .version(version)
        .form(Form::values(&[("outcome", &outcome)]))
        .write(async |r| {
            let outcome = shared::referral::validate_reason(&outcome)
                .map_err(|e| AppError::invalid("outcome", e))?;
            let change = store::StatusChange {
                to: ReferralStatus::Completed,
                from: &[ReferralStatus::Accepted],
                decline_reason: None,
                outcome: Some(&outcome),
            };
            let now = r.now();
            if !store::set_status(r.conn(), &referral_id, version, &change, now).await? {
                return Err(AppError::Conflict);
            }
            let (referral, public_url) =
                (r.referral.clone(), r.caller.state.config.public_url.clone());
            emails::queue_referral(
                r.conn(),
                &public_url,
                ReferralNews::Completed,
                &referral,
                now,
            )
            .await?;
            let change = Change::new(CaseEvent::ReferralCompleted).text(referral.organisation_name);
            let back = page_of(r.caller, &referral_id);
            Ok(r.record((), change).await?.then(back))
        })
        .await
}
