//! The service directory: which organisation offers which services in which provinces, where
//! it receives referrals and how many days it has to answer.

use super::{Flag, OptionalCode};
use crate::backend::clock::timestamp;
use chrono::{DateTime, Utc};
use shared::organisation::Contact;
use shared::service::ServiceCategory;
use shared::Country;
use sqlx::{AnyConnection, FromRow};

/// An organisation's entry in the directory.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    pub referral_email: Option<String>,
    /// Without accounts: answers at `/r` with a referral's code; whom to see there.
    pub without_accounts: Option<Contact>,
    pub response_days: i64,
    pub services: Vec<ServiceCategory>,
    pub provinces: Vec<String>,
    /// The organisation row's version (edits are checked against it).
    pub version: i64,
}

#[derive(FromRow)]
struct Entry {
    referral_email: Option<String>,
    response_days: i64,
    version: i64,
    #[sqlx(try_from = "Flag")]
    without_accounts: bool,
    contact_person: Option<String>,
    contact_phone: Option<String>,
    contact_address: Option<String>,
}

#[derive(FromRow)]
struct Offer {
    #[sqlx(try_from = "String")]
    service: ServiceCategory,
    province: String,
}

pub async fn get(
    conn: &mut AnyConnection,
    organisation_id: &str,
) -> Result<Directory, sqlx::Error> {
    let e: Entry = sqlx::query_as(
        "SELECT referral_email, response_days, version, without_accounts, contact_person,
                contact_phone, contact_address
         FROM organisation WHERE organisation_id = $1",
    )
    .bind(organisation_id)
    .fetch_one(&mut *conn)
    .await?;
    let offers: Vec<Offer> = sqlx::query_as(
        "SELECT DISTINCT service, province FROM service_offer WHERE organisation_id = $1",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut services = Vec::new();
    let mut provinces = Vec::new();
    for o in offers {
        if !services.contains(&o.service) {
            services.push(o.service);
        }
        if !provinces.contains(&o.province) {
            provinces.push(o.province);
        }
    }
    services.sort();
    provinces.sort();
    let without_accounts = e.without_accounts.then(|| Contact {
        person: e.contact_person.unwrap_or_default(),
        phone: e.contact_phone.unwrap_or_default(),
        address: e.contact_address.unwrap_or_default(),
    });
    Ok(Directory {
        referral_email: e.referral_email,
        without_accounts,
        response_days: e.response_days,
        services,
        provinces,
        version: e.version,
    })
}

/// Replaces an organisation's entry (every service it offers, in every province listed) if
/// it is still at `version`. False means someone saved it since.
pub async fn set(
    conn: &mut AnyConnection,
    organisation_id: &str,
    d: &Directory,
    version: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE organisation SET referral_email = $1, response_days = $2, updated_at = $3,
             version = version + 1, without_accounts = $6, contact_person = $7,
             contact_phone = $8, contact_address = $9
         WHERE organisation_id = $4 AND version = $5",
    )
    .bind(d.referral_email.as_deref())
    .bind(d.response_days)
    .bind(timestamp(now))
    .bind(organisation_id)
    .bind(version)
    .bind(i64::from(d.without_accounts.is_some()))
    .bind(d.without_accounts.as_ref().map(|c| c.person.as_str()))
    .bind(d.without_accounts.as_ref().map(|c| c.phone.as_str()))
    .bind(d.without_accounts.as_ref().map(|c| c.address.as_str()))
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM service_offer WHERE organisation_id = $1")
        .bind(organisation_id)
        .execute(&mut *conn)
        .await?;
    for s in &d.services {
        for p in &d.provinces {
            sqlx::query(
                "INSERT INTO service_offer (organisation_id, service, province) VALUES ($1, $2, $3)",
            )
            .bind(organisation_id)
            .bind(s.as_str())
            .bind(p)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(true)
}

/// An organisation that can take a referral.
#[derive(Clone, Debug, FromRow)]
pub struct Provider {
    pub organisation_id: String,
    pub name: String,
    pub response_days: i64,
    pub referral_email: Option<String>,
    #[sqlx(try_from = "OptionalCode<Country>")]
    pub country: Option<Country>,
    #[sqlx(try_from = "Flag")]
    pub without_accounts: bool,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_address: Option<String>,
}

/// Active organisations offering `service` in `province` that have a referral address.
pub async fn providers(
    conn: &mut AnyConnection,
    service: ServiceCategory,
    province: &str,
) -> Result<Vec<Provider>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.organisation_id, o.name, o.response_days, o.referral_email, o.country,
                o.without_accounts, o.contact_person, o.contact_phone, o.contact_address
         FROM service_offer s JOIN organisation o ON o.organisation_id = s.organisation_id
         WHERE s.service = $1 AND s.province = $2 AND o.active = 1
           AND (o.referral_email IS NOT NULL OR o.without_accounts = 1)
         ORDER BY o.name",
    )
    .bind(service.as_str())
    .bind(province)
    .fetch_all(conn)
    .await
}
