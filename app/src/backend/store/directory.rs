//! The service directory: which organisation offers which services in which provinces, where
//! it receives referrals and how many days it has to answer.

use super::OptionalCode;
use crate::backend::clock::timestamp;
use chrono::{DateTime, Utc};
use shared::service::ServiceCategory;
use shared::Country;
use sqlx::{AnyConnection, FromRow};

/// An organisation's entry in the directory.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    pub referral_email: Option<String>,
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
        "SELECT referral_email, response_days, version FROM organisation
         WHERE organisation_id = $1",
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
    Ok(Directory {
        referral_email: e.referral_email,
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
             version = version + 1
         WHERE organisation_id = $4 AND version = $5",
    )
    .bind(d.referral_email.as_deref())
    .bind(d.response_days)
    .bind(timestamp(now))
    .bind(organisation_id)
    .bind(version)
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
    pub referral_email: String,
    #[sqlx(try_from = "OptionalCode<Country>")]
    pub country: Option<Country>,
}

/// Active organisations offering `service` in `province` that have a referral address.
pub async fn providers(
    conn: &mut AnyConnection,
    service: ServiceCategory,
    province: &str,
) -> Result<Vec<Provider>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.organisation_id, o.name, o.response_days, o.referral_email, o.country
         FROM service_offer s JOIN organisation o ON o.organisation_id = s.organisation_id
         WHERE s.service = $1 AND s.province = $2 AND o.active = 1
           AND o.referral_email IS NOT NULL
         ORDER BY o.name",
    )
    .bind(service.as_str())
    .bind(province)
    .fetch_all(conn)
    .await
}
