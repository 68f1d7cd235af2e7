//! Referrals: the caseworker sends one from a plan need to an organisation that offers the
//! service in the family's province; the partner answers it from their inbox, records the
//! services delivered and completes it. Each step is audited, goes on the case's timeline and
//! queues its email (see `server::outbox`) in the same transaction.
//!
//! A partner sees a referral — and the need-to-know view of the family behind it — only while
//! it is theirs, not declined or cancelled, and the family's sharing consent stands.

use crate::error::AppError;
use crate::model::referrals::{
    DirectoryView, Inbox, PartnerReferral, ReferFormView, ReferralSummary,
};
#[cfg(feature = "ssr")]
use crate::model::referrals::{InboxRow, ProviderView};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use shared::referral::{InboxTab, ReferralStatus};
#[cfg(feature = "ssr")]
use shared::service::ServiceCategory;

#[cfg(feature = "ssr")]
use crate::api::assessments::need_label;
#[cfg(feature = "ssr")]
use crate::api::families::{calendar_of, case_for, timeline_event};
#[cfg(feature = "ssr")]
use crate::backend::{
    audit,
    auth::{self, Caller},
    emails::{self, ReferralNews},
    respond,
    store::assessments as plans,
    store::families,
    store::referrals as store,
};
#[cfg(feature = "ssr")]
use shared::policy::{Action, ReferralRef, Resource};
#[cfg(feature = "ssr")]
use shared::FieldError;

#[cfg(feature = "ssr")]
fn is_overdue(status: ReferralStatus, due_at: &str, now: chrono::DateTime<chrono::Utc>) -> bool {
    status == ReferralStatus::Sent && due_at < crate::backend::clock::timestamp(now).as_str()
}

/// Loads a referral the partner caller may take `action` on; anything else is `NotFound`.
#[cfg(feature = "ssr")]
async fn referral_for(
    caller: &Caller,
    conn: &mut sqlx::AnyConnection,
    referral_id: &str,
    action: Action,
) -> Result<store::Referral, AppError> {
    let r = store::get(conn, referral_id)
        .await?
        .ok_or(AppError::NotFound)?;
    caller.may(
        action,
        Resource::Referral(ReferralRef {
            to_organisation_id: &r.organisation_id,
            visible_to_partner: r.status.visible_to_partner(r.sharing_consent),
        }),
    )?;
    Ok(r)
}

/// Queues the email that tells someone what happened to a referral.
#[cfg(feature = "ssr")]
async fn notify(
    conn: &mut sqlx::AnyConnection,
    caller: &Caller,
    news: ReferralNews,
    r: &store::Referral,
) -> Result<(), AppError> {
    emails::queue_referral(conn, &caller.state.config.public_url, news, r, caller.now).await?;
    Ok(())
}

/// The referral form of a plan need: organisations offering `service` (the need's category
/// unless another is chosen) in the family's province.
#[server(endpoint = "refer_form")]
pub async fn refer_form(
    family_id: String,
    plan_item_id: String,
    #[server(default)] service: String,
    #[server(default)] locale: String,
) -> Result<ReferFormView, AppError> {
    let caller = auth::authenticate().await?;
    let mut conn = caller.state.db.pool.acquire().await?;
    let f = case_for(&caller, &mut conn, &family_id, Action::SendReferral).await?;
    let item = plans::plan(&mut conn, &family_id)
        .await?
        .into_iter()
        .find(|p| p.plan_item_id == plan_item_id)
        .ok_or(AppError::NotFound)?;
    let service = ServiceCategory::parse(&service).unwrap_or(item.service);
    let providers = store::providers(&mut conn, service, &f.province)
        .await?
        .into_iter()
        .map(|p| ProviderView {
            organisation_id: p.organisation_id,
            name: p.name,
            response_days: p.response_days,
        })
        .collect();
    let need_label = need_label(shared::assessment::current(), &item.need, &locale);
    Ok(ReferFormView {
        family_id: f.family_id,
        case_number: f.case_number,
        province: f.province,
        sharing_consent: f.sharing_consent,
        plan_item_id,
        need_label,
        service,
        providers,
    })
}

/// Sends a referral of a plan need to an organisation. Refused without the family's consent
/// to sharing, and unless the organisation offers the service in the family's province.
#[server(endpoint = "send_referral")]
pub async fn send_referral(
    family_id: String,
    plan_item_id: String,
    #[server(default)] service: String,
    #[server(default)] organisation_id: String,
    #[server(default)] note: String,
) -> Result<String, AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        let f = case_for(&caller, &mut tx, &family_id, Action::SendReferral).await?;
        if !f.sharing_consent {
            return Err(AppError::NoSharingConsent);
        }
        plans::plan(&mut tx, &family_id)
            .await?
            .into_iter()
            .find(|p| p.plan_item_id == plan_item_id && p.status.is_open())
            .ok_or(AppError::NotFound)?;
        let mut errors = shared::FieldErrors::new();
        let service = errors.take(
            "service",
            ServiceCategory::parse(&service).ok_or(FieldError::InvalidChoice),
        );
        let note = errors.take("note", shared::referral::validate_note(&note));
        let provider = match service {
            Some(s) => store::providers(&mut tx, s, &f.province)
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
        let new = store::NewReferral {
            family_id: &family_id,
            plan_item_id: Some(&plan_item_id),
            organisation_id: &provider.organisation_id,
            service,
            note: note.as_deref(),
            sent_by: &caller.actor.user_id,
            due_at: caller.now + chrono::Duration::days(provider.response_days),
        };
        let id = store::insert(&mut tx, &new, caller.now).await?;
        let r = store::get(&mut tx, &id).await?.ok_or(AppError::Internal)?;
        notify(&mut tx, &caller, ReferralNews::New, &r).await?;
        timeline_event(
            &mut tx,
            &caller,
            &family_id,
            "referral_sent",
            Some(provider.name),
        )
        .await?;
        let mut entry = caller.entry("referral_sent", Some("referral"), Some(&id));
        entry.detail = Some(&family_id);
        audit::record(&mut tx, caller.now, entry).await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/cases/{family_id}#referrals"));
        Ok(id)
    }
    .await;
    respond::finish("send_referral", &[("note", &note)], result).await
}

/// Cancels an open referral; the organisation loses sight of it (and of the family) at once.
#[server(endpoint = "cancel_referral")]
pub async fn cancel_referral(
    family_id: String,
    referral_id: String,
    version: i64,
) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        case_for(&caller, &mut tx, &family_id, Action::CancelReferral).await?;
        let r = store::get(&mut tx, &referral_id)
            .await?
            .filter(|r| r.family_id == family_id)
            .ok_or(AppError::NotFound)?;
        let change = store::StatusChange {
            to: ReferralStatus::Cancelled,
            from: &[ReferralStatus::Sent, ReferralStatus::Accepted],
            decline_reason: None,
            outcome: None,
        };
        if !store::set_status(&mut tx, &referral_id, version, &change, caller.now).await? {
            return Err(AppError::Conflict);
        }
        notify(&mut tx, &caller, ReferralNews::Cancelled, &r).await?;
        timeline_event(
            &mut tx,
            &caller,
            &family_id,
            "referral_cancelled",
            Some(r.organisation_name),
        )
        .await?;
        audit::record(
            &mut tx,
            caller.now,
            caller.entry("referral_cancelled", Some("referral"), Some(&referral_id)),
        )
        .await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/cases/{family_id}#referrals"));
        Ok(())
    }
    .await;
    respond::finish("cancel_referral", &[], result).await
}

/// The family's referrals, newest first (the family page).
#[server(endpoint = "case_referrals")]
pub async fn case_referrals(family_id: String) -> Result<Vec<ReferralSummary>, AppError> {
    let caller = auth::authenticate().await?;
    let mut conn = caller.state.db.pool.acquire().await?;
    case_for(&caller, &mut conn, &family_id, Action::ViewCase).await?;
    let mut out = Vec::new();
    for r in store::of_family(&mut conn, &family_id).await? {
        let services = store::services(&mut conn, &r.referral_id)
            .await?
            .into_iter()
            .map(|s| (s.delivered_on, s.description))
            .collect();
        out.push(ReferralSummary {
            overdue: is_overdue(r.status, &r.due_at, caller.now),
            referral_id: r.referral_id,
            plan_item_id: r.plan_item_id,
            organisation_name: r.organisation_name,
            service: r.service,
            status: r.status,
            note: r.note,
            sent_at: r.sent_at,
            due_at: r.due_at,
            responded_at: r.responded_at,
            completed_at: r.completed_at,
            decline_reason: r.decline_reason,
            outcome: r.outcome,
            services,
            version: r.version,
        });
    }
    Ok(out)
}

/// A partner's inbox: the referrals to their organisation under one tab, with every tab's
/// count.
#[server(endpoint = "list_incoming")]
pub async fn list_incoming(#[server(default)] tab: String) -> Result<Inbox, AppError> {
    let caller = auth::authenticate().await?;
    caller.may(Action::ListIncomingReferrals, Resource::System)?;
    let tab = InboxTab::parse(&tab).unwrap_or(InboxTab::New);
    let mut conn = caller.state.db.pool.acquire().await?;
    let org = &caller.actor.organisation_id;
    let counts = store::inbox_counts(&mut conn, org, caller.now).await?;
    let rows = store::inbox(&mut conn, org, tab, caller.now)
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
    Ok(Inbox { tab, counts, rows })
}

/// One referral to the caller's organisation, in the need-to-know view. Every reading is
/// audited.
#[server(endpoint = "get_referral")]
pub async fn get_referral(
    referral_id: String,
    #[server(default)] locale: String,
) -> Result<PartnerReferral, AppError> {
    let caller = auth::authenticate().await?;
    let mut tx = caller.state.db.begin().await?;
    let r = referral_for(&caller, &mut tx, &referral_id, Action::ViewReferral).await?;
    let family = families::get(&mut tx, &r.family_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let need_label = match &r.plan_item_id {
        Some(id) => plans::plan(&mut tx, &r.family_id)
            .await?
            .into_iter()
            .find(|p| &p.plan_item_id == id)
            .map(|p| need_label(shared::assessment::current(), &p.need, &locale)),
        None => None,
    };
    let services = store::services(&mut tx, &referral_id)
        .await?
        .into_iter()
        .map(|s| (s.delivered_on, s.description))
        .collect();
    audit::record(
        &mut tx,
        caller.now,
        caller.entry("referral_viewed", Some("referral"), Some(&referral_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(PartnerReferral {
        overdue: is_overdue(r.status, &r.due_at, caller.now),
        referral_id: r.referral_id,
        case_number: r.case_number,
        status: r.status,
        version: r.version,
        service: r.service,
        need_label,
        note: r.note,
        caseworker: r.sent_by_name,
        sent_at: r.sent_at,
        due_at: r.due_at,
        province: r.province,
        district: r.district,
        address: family.address,
        phone: family.phone,
        household_size: family.members.len(),
        people: family
            .members
            .into_iter()
            .map(|m| (m.name_local, m.name_latin))
            .collect(),
        services,
        outcome: r.outcome,
    })
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
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        let r = referral_for(&caller, &mut tx, &referral_id, Action::RespondToReferral).await?;
        let (to, news, reason) = match decision.as_str() {
            "accept" => (ReferralStatus::Accepted, ReferralNews::Accepted, None),
            "decline" => {
                let reason = shared::referral::validate_reason(&reason)
                    .map_err(|e| AppError::invalid("reason", e))?;
                (
                    ReferralStatus::Declined,
                    ReferralNews::Declined,
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
        if !store::set_status(&mut tx, &referral_id, version, &change, caller.now).await? {
            return Err(AppError::Conflict);
        }
        notify(&mut tx, &caller, news, &r).await?;
        timeline_event(
            &mut tx,
            &caller,
            &r.family_id,
            news.kind(),
            Some(r.organisation_name.clone()),
        )
        .await?;
        audit::record(
            &mut tx,
            caller.now,
            caller.entry(news.kind(), Some("referral"), Some(&referral_id)),
        )
        .await?;
        tx.commit().await?;
        let back = match to {
            ReferralStatus::Declined => "/referrals".to_string(),
            _ => format!("/referrals/{referral_id}"),
        };
        respond::redirect_plain_post(&back);
        Ok(())
    }
    .await;
    respond::finish("respond_referral", &[("reason", &reason)], result).await
}

/// The partner records a service delivered under an accepted referral.
#[server(endpoint = "record_service")]
pub async fn record_service(
    referral_id: String,
    #[server(default)] delivered_on: String,
    #[server(default)] description: String,
    #[server(default)] calendar: String,
) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        let r = referral_for(&caller, &mut tx, &referral_id, Action::RecordService).await?;
        if r.status != ReferralStatus::Accepted {
            return Err(AppError::Conflict);
        }
        let (date, description) = shared::referral::validate_service(
            &delivered_on,
            &description,
            calendar_of(&calendar),
            caller.now.date_naive(),
        )?;
        store::add_service(
            &mut tx,
            &referral_id,
            date,
            &description,
            &caller.actor.user_id,
            caller.now,
        )
        .await?;
        timeline_event(
            &mut tx,
            &caller,
            &r.family_id,
            "service_recorded",
            Some(r.organisation_name.clone()),
        )
        .await?;
        audit::record(
            &mut tx,
            caller.now,
            caller.entry("service_recorded", Some("referral"), Some(&referral_id)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    respond::finish(
        "record_service",
        &[
            ("delivered_on", &delivered_on),
            ("description", &description),
        ],
        result,
    )
    .await
}

/// The partner completes an accepted referral with its outcome.
#[server(endpoint = "complete_referral")]
pub async fn complete_referral(
    referral_id: String,
    version: i64,
    #[server(default)] outcome: String,
) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        let r = referral_for(&caller, &mut tx, &referral_id, Action::RespondToReferral).await?;
        let outcome = shared::referral::validate_reason(&outcome)
            .map_err(|e| AppError::invalid("outcome", e))?;
        let change = store::StatusChange {
            to: ReferralStatus::Completed,
            from: &[ReferralStatus::Accepted],
            decline_reason: None,
            outcome: Some(&outcome),
        };
        if !store::set_status(&mut tx, &referral_id, version, &change, caller.now).await? {
            return Err(AppError::Conflict);
        }
        notify(&mut tx, &caller, ReferralNews::Completed, &r).await?;
        timeline_event(
            &mut tx,
            &caller,
            &r.family_id,
            "referral_completed",
            Some(r.organisation_name.clone()),
        )
        .await?;
        audit::record(
            &mut tx,
            caller.now,
            caller.entry("referral_completed", Some("referral"), Some(&referral_id)),
        )
        .await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/referrals/{referral_id}"));
        Ok(())
    }
    .await;
    respond::finish("complete_referral", &[("outcome", &outcome)], result).await
}

/// An organisation's directory entry (administration).
#[server(endpoint = "get_directory")]
pub async fn get_directory(organisation_id: String) -> Result<DirectoryView, AppError> {
    let caller = auth::authenticate().await?;
    caller.may(Action::ManageServiceCatalogue, Resource::System)?;
    let mut conn = caller.state.db.pool.acquire().await?;
    let org = crate::backend::store::organisations::by_id(&mut conn, &organisation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = store::directory(&mut conn, &organisation_id).await?;
    Ok(DirectoryView {
        organisation_id: org.organisation_id,
        name: org.name,
        country: org.country,
        referral_email: d.referral_email,
        response_days: d.response_days,
        services: d.services,
        provinces: d.provinces,
    })
}

/// Saves an organisation's directory entry: where it receives referrals, how many days it
/// has to answer, and which services it offers in which provinces/governorates.
#[server(endpoint = "save_directory")]
pub async fn save_directory(
    organisation_id: String,
    #[server(default)] referral_email: String,
    #[server(default)] response_days: String,
    #[server(default)] services: Vec<String>,
    #[server(default)] provinces: Vec<String>,
) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        caller.may(Action::ManageServiceCatalogue, Resource::System)?;
        let mut tx = caller.state.db.begin().await?;
        let org = crate::backend::store::organisations::by_id(&mut tx, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut errors = shared::FieldErrors::new();
        let email = referral_email.trim();
        let email = if email.is_empty() {
            None
        } else {
            errors.take("referral_email", shared::account::parse_email(email))
        };
        let days = errors.take(
            "response_days",
            shared::referral::validate_response_days(&response_days),
        );
        let services: Vec<ServiceCategory> = services
            .iter()
            .filter_map(|s| {
                let parsed = ServiceCategory::parse(s);
                if parsed.is_none() {
                    errors.add("services", FieldError::InvalidChoice);
                }
                parsed
            })
            .collect();
        for p in &provinces {
            match shared::location::by_key(p) {
                Some(l) if Some(l.country) == org.country || org.country.is_none() => {}
                Some(_) => errors.add("provinces", FieldError::OutsideCountry),
                None => errors.add("provinces", FieldError::InvalidChoice),
            }
        }
        if !services.is_empty() && email.is_none() && errors.get("referral_email").is_none() {
            errors.add("referral_email", FieldError::Required);
        }
        let (Some(days), true) = (days, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let d = store::Directory {
            referral_email: email,
            response_days: days,
            services,
            provinces,
        };
        store::set_directory(&mut tx, &organisation_id, &d, caller.now).await?;
        audit::record(
            &mut tx,
            caller.now,
            caller.entry(
                "directory_changed",
                Some("organisation"),
                Some(&organisation_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    respond::finish(
        "save_directory",
        &[
            ("referral_email", &referral_email),
            ("response_days", &response_days),
        ],
        result,
    )
    .await
}
