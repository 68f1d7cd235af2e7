//! The service directory (administration): where an organisation receives referrals, how
//! many days it has to answer, which services it offers in which provinces/governorates.

// A form's fields are the server function's arguments.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::referrals::DirectoryView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::backend::pipeline::{self, Form},
    crate::backend::store::{directory, organisations},
    shared::audit::{AuditAction, AuditTarget},
    shared::organisation::validate_contact,
    shared::policy::Action,
    shared::service::ServiceCategory,
    shared::FieldError,
};

/// An organisation's directory entry.
#[server(endpoint = "get_directory")]
pub async fn get_directory(organisation_id: String) -> Result<DirectoryView, AppError> {
    pipeline::system(Action::ManageServiceCatalogue)
        .read(None, async |r| {
            let org = organisations::by_id(r.conn(), &organisation_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let d = directory::get(r.conn(), &organisation_id).await?;
            Ok(DirectoryView {
                organisation_id: org.organisation_id,
                name: org.name,
                country: org.country,
                referral_email: d.referral_email,
                without_accounts: d.without_accounts,
                response_days: d.response_days,
                services: d.services,
                provinces: d.provinces,
                version: d.version,
            })
        })
        .await
}

/// Saves an organisation's directory entry, if nobody saved it since `version`.
#[server(endpoint = "save_directory")]
pub async fn save_directory(
    organisation_id: String,
    version: i64,
    #[server(default)] referral_email: String,
    #[server(default)] response_days: String,
    #[server(default)] without_accounts: String,
    #[server(default)] contact_person: String,
    #[server(default)] contact_phone: String,
    #[server(default)] contact_address: String,
    #[server(default)] services: Vec<String>,
    #[server(default)] provinces: Vec<String>,
) -> Result<(), AppError> {
    pipeline::system(Action::ManageServiceCatalogue)
        .form(Form::values(&[
            ("referral_email", &referral_email),
            ("response_days", &response_days),
            ("without_accounts", &without_accounts),
            ("contact_person", &contact_person),
            ("contact_phone", &contact_phone),
            ("contact_address", &contact_address),
        ]))
        .write(async |s| {
            let org = organisations::by_id(s.conn(), &organisation_id)
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
            // Without accounts, the slip and `/r` replace the email: the contact is what is
            // needed. With accounts, referrals are announced by email.
            let ticked = !without_accounts.is_empty();
            let contact = match ticked {
                false => None,
                true => match validate_contact(&contact_person, &contact_phone, &contact_address) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        e.0.into_iter().for_each(|(field, e)| errors.add(field, e));
                        None
                    }
                },
            };
            if !services.is_empty()
                && !ticked
                && email.is_none()
                && errors.get("referral_email").is_none()
            {
                errors.add("referral_email", FieldError::Required);
            }
            let (Some(days), true) = (days, errors.is_empty()) else {
                return Err(AppError::Invalid(errors));
            };
            let d = directory::Directory {
                referral_email: email,
                without_accounts: contact,
                response_days: days,
                services,
                provinces: provinces.clone(),
                version,
            };
            let now = s.now();
            if !directory::set(s.conn(), &organisation_id, &d, version, now).await? {
                return Err(AppError::Conflict);
            }
            let target = Some((AuditTarget::Organisation, organisation_id.as_str()));
            s.record((), AuditAction::DirectoryChanged, target, None)
                .await
        })
        .await
}
