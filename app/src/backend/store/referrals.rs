//! The service directory and referrals: who offers what where, referrals and their answers,
//! services delivered, and a partner's inbox.

use crate::backend::clock::timestamp;
use crate::backend::db::new_id;
use crate::backend::store::families::Binds;
use chrono::{DateTime, NaiveDate, Utc};
use shared::referral::{InboxTab, ReferralStatus};
use shared::service::ServiceCategory;
use shared::Country;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// An organisation's entry in the directory.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    pub referral_email: Option<String>,
    pub response_days: i64,
    pub services: Vec<ServiceCategory>,
    pub provinces: Vec<String>,
}

pub async fn directory(
    conn: &mut AnyConnection,
    organisation_id: &str,
) -> Result<Directory, sqlx::Error> {
    let r = sqlx::query(
        "SELECT referral_email, response_days FROM organisation WHERE organisation_id = $1",
    )
    .bind(organisation_id)
    .fetch_one(&mut *conn)
    .await?;
    let offers = sqlx::query(
        "SELECT DISTINCT service, province FROM service_offer WHERE organisation_id = $1",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut services = Vec::new();
    let mut provinces = Vec::new();
    for o in &offers {
        let s: String = o.try_get("service")?;
        let p: String = o.try_get("province")?;
        if let Some(s) = ServiceCategory::parse(&s).filter(|s| !services.contains(s)) {
            services.push(s);
        }
        if !provinces.contains(&p) {
            provinces.push(p);
        }
    }
    services.sort();
    provinces.sort();
    Ok(Directory {
        referral_email: r.try_get("referral_email")?,
        response_days: r.try_get("response_days")?,
        services,
        provinces,
    })
}

/// Replaces an organisation's entry: every service it offers, in every province listed.
pub async fn set_directory(
    conn: &mut AnyConnection,
    organisation_id: &str,
    d: &Directory,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE organisation SET referral_email = $1, response_days = $2, updated_at = $3
         WHERE organisation_id = $4",
    )
    .bind(d.referral_email.as_deref())
    .bind(d.response_days)
    .bind(timestamp(now))
    .bind(organisation_id)
    .execute(&mut *conn)
    .await?;
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
    Ok(())
}

/// An organisation that can take a referral.
#[derive(Clone, Debug)]
pub struct Provider {
    pub organisation_id: String,
    pub name: String,
    pub response_days: i64,
    pub referral_email: String,
    pub country: Option<Country>,
}

/// Active organisations offering `service` in `province` that have a referral address.
pub async fn providers(
    conn: &mut AnyConnection,
    service: ServiceCategory,
    province: &str,
) -> Result<Vec<Provider>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.organisation_id, o.name, o.response_days, o.referral_email, o.country
         FROM service_offer s JOIN organisation o ON o.organisation_id = s.organisation_id
         WHERE s.service = $1 AND s.province = $2 AND o.active = 1
           AND o.referral_email IS NOT NULL
         ORDER BY o.name",
    )
    .bind(service.as_str())
    .bind(province)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let country: Option<String> = r.try_get("country")?;
            Ok(Provider {
                organisation_id: r.try_get("organisation_id")?,
                name: r.try_get("name")?,
                response_days: r.try_get("response_days")?,
                referral_email: r.try_get("referral_email")?,
                country: country.as_deref().and_then(Country::parse),
            })
        })
        .collect()
}

pub struct NewReferral<'a> {
    pub family_id: &'a str,
    pub plan_item_id: Option<&'a str>,
    pub organisation_id: &'a str,
    pub service: ServiceCategory,
    pub note: Option<&'a str>,
    pub sent_by: &'a str,
    pub due_at: DateTime<Utc>,
}

pub async fn insert(
    conn: &mut AnyConnection,
    r: &NewReferral<'_>,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO referral (referral_id, family_id, plan_item_id, organisation_id, service, note,
             status, sent_by, sent_at, due_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, 'sent', $7, $8, $9, 1)",
    )
    .bind(&id)
    .bind(r.family_id)
    .bind(r.plan_item_id)
    .bind(r.organisation_id)
    .bind(r.service.as_str())
    .bind(r.note)
    .bind(r.sent_by)
    .bind(timestamp(now))
    .bind(timestamp(r.due_at))
    .execute(conn)
    .await?;
    Ok(id)
}

/// A referral with what access checks and views need of its family and people.
#[derive(Clone, Debug)]
pub struct Referral {
    pub referral_id: String,
    pub family_id: String,
    pub plan_item_id: Option<String>,
    pub case_number: String,
    pub country: Country,
    pub province: String,
    pub district: String,
    pub sharing_consent: bool,
    pub organisation_id: String,
    pub organisation_name: String,
    pub organisation_email: Option<String>,
    pub organisation_country: Option<Country>,
    pub service: ServiceCategory,
    pub note: Option<String>,
    pub status: ReferralStatus,
    pub decline_reason: Option<String>,
    pub outcome: Option<String>,
    pub sent_by: String,
    pub sent_by_name: String,
    pub sent_by_email: String,
    pub sent_by_language: String,
    pub sent_at: String,
    pub due_at: String,
    pub responded_at: Option<String>,
    pub completed_at: Option<String>,
    pub version: i64,
}

const SELECT: &str = "SELECT r.referral_id, r.family_id, r.plan_item_id, f.case_number, f.country,
        f.province, f.district, f.sharing_consent, r.organisation_id, o.name AS organisation_name,
        o.referral_email AS organisation_email, o.country AS organisation_country, r.service, r.note,
        r.status, r.decline_reason, r.outcome, r.sent_by, u.display_name AS sent_by_name,
        u.email AS sent_by_email, u.language AS sent_by_language, r.sent_at, r.due_at,
        r.responded_at, r.completed_at, r.version
     FROM referral r
     JOIN family f ON f.family_id = r.family_id
     JOIN organisation o ON o.organisation_id = r.organisation_id
     JOIN app_user u ON u.user_id = r.sent_by";

fn referral(r: &AnyRow) -> Result<Referral, sqlx::Error> {
    let country: String = r.try_get("country")?;
    let org_country: Option<String> = r.try_get("organisation_country")?;
    let service: String = r.try_get("service")?;
    let status: String = r.try_get("status")?;
    Ok(Referral {
        referral_id: r.try_get("referral_id")?,
        family_id: r.try_get("family_id")?,
        plan_item_id: r.try_get("plan_item_id")?,
        case_number: r.try_get("case_number")?,
        country: Country::parse(&country).unwrap_or(Country::AF),
        province: r.try_get("province")?,
        district: r.try_get("district")?,
        sharing_consent: r.try_get::<i64, _>("sharing_consent")? != 0,
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: r.try_get("organisation_name")?,
        organisation_email: r.try_get("organisation_email")?,
        organisation_country: org_country.as_deref().and_then(Country::parse),
        service: ServiceCategory::parse(&service).unwrap_or(ServiceCategory::Livelihood),
        note: r.try_get("note")?,
        status: ReferralStatus::parse(&status).unwrap_or(ReferralStatus::Sent),
        decline_reason: r.try_get("decline_reason")?,
        outcome: r.try_get("outcome")?,
        sent_by: r.try_get("sent_by")?,
        sent_by_name: r.try_get("sent_by_name")?,
        sent_by_email: r.try_get("sent_by_email")?,
        sent_by_language: r.try_get("sent_by_language")?,
        sent_at: r.try_get("sent_at")?,
        due_at: r.try_get("due_at")?,
        responded_at: r.try_get("responded_at")?,
        completed_at: r.try_get("completed_at")?,
        version: r.try_get("version")?,
    })
}

pub async fn get(
    conn: &mut AnyConnection,
    referral_id: &str,
) -> Result<Option<Referral>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE r.referral_id = $1");
    sqlx::query(AssertSqlSafe(sql))
        .bind(referral_id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(referral)
        .transpose()
}

/// The family's referrals, newest first.
pub async fn of_family(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Vec<Referral>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE r.family_id = $1 ORDER BY r.sent_at DESC");
    sqlx::query(AssertSqlSafe(sql))
        .bind(family_id)
        .fetch_all(conn)
        .await?
        .iter()
        .map(referral)
        .collect()
}

/// An organisation's referrals under one inbox tab, newest first. Only what the partner may
/// see: declined and cancelled referrals, and families without sharing consent, never appear.
pub async fn inbox(
    conn: &mut AnyConnection,
    organisation_id: &str,
    tab: InboxTab,
    now: DateTime<Utc>,
) -> Result<Vec<Referral>, sqlx::Error> {
    let mut binds = Binds::default();
    let org = binds.push(organisation_id);
    let condition = match tab {
        InboxTab::New => format!(
            "r.status = 'sent' AND r.due_at >= {}",
            binds.push(timestamp(now))
        ),
        InboxTab::Overdue => format!(
            "r.status = 'sent' AND r.due_at < {}",
            binds.push(timestamp(now))
        ),
        InboxTab::Accepted => "r.status = 'accepted'".to_string(),
        InboxTab::Completed => "r.status = 'completed'".to_string(),
    };
    let sql = format!(
        "{SELECT} WHERE r.organisation_id = {org} AND f.sharing_consent = 1 AND {condition}
         ORDER BY r.sent_at DESC LIMIT 200"
    );
    binds
        .query(&sql)
        .fetch_all(conn)
        .await?
        .iter()
        .map(referral)
        .collect()
}

/// How many referrals each inbox tab holds.
pub async fn inbox_counts(
    conn: &mut AnyConnection,
    organisation_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(InboxTab, i64)>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT
           COALESCE(SUM(CASE WHEN r.status = 'sent' AND r.due_at >= $2 THEN 1 ELSE 0 END), 0) AS new,
           COALESCE(SUM(CASE WHEN r.status = 'accepted' THEN 1 ELSE 0 END), 0) AS accepted,
           COALESCE(SUM(CASE WHEN r.status = 'sent' AND r.due_at < $2 THEN 1 ELSE 0 END), 0) AS overdue,
           COALESCE(SUM(CASE WHEN r.status = 'completed' THEN 1 ELSE 0 END), 0) AS completed
         FROM referral r JOIN family f ON f.family_id = r.family_id
         WHERE r.organisation_id = $1 AND f.sharing_consent = 1",
    )
    .bind(organisation_id)
    .bind(timestamp(now))
    .fetch_one(conn)
    .await?;
    Ok(vec![
        (InboxTab::New, r.try_get("new")?),
        (InboxTab::Accepted, r.try_get("accepted")?),
        (InboxTab::Overdue, r.try_get("overdue")?),
        (InboxTab::Completed, r.try_get("completed")?),
    ])
}

/// What changes with a referral's status.
pub struct StatusChange<'a> {
    pub to: ReferralStatus,
    /// Only from one of these.
    pub from: &'a [ReferralStatus],
    pub decline_reason: Option<&'a str>,
    pub outcome: Option<&'a str>,
}

/// Moves a referral to a new status if it is at `version` and in an allowed status. False
/// means it changed since (a conflict).
pub async fn set_status(
    conn: &mut AnyConnection,
    referral_id: &str,
    version: i64,
    change: &StatusChange<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let column = match change.to {
        ReferralStatus::Accepted | ReferralStatus::Declined => "responded_at",
        ReferralStatus::Completed => "completed_at",
        ReferralStatus::Cancelled => "cancelled_at",
        ReferralStatus::Sent => "sent_at",
    };
    let allowed = change
        .from
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE referral SET status = $1, {column} = $2, version = version + 1,
             decline_reason = COALESCE($3, decline_reason), outcome = COALESCE($4, outcome)
         WHERE referral_id = $5 AND version = $6 AND status IN ({allowed})"
    );
    let r = sqlx::query(AssertSqlSafe(sql))
        .bind(change.to.as_str())
        .bind(timestamp(now))
        .bind(change.decline_reason)
        .bind(change.outcome)
        .bind(referral_id)
        .bind(version)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// A service delivered under a referral.
#[derive(Clone, Debug)]
pub struct Delivered {
    pub delivered_on: String,
    pub description: String,
}

pub async fn add_service(
    conn: &mut AnyConnection,
    referral_id: &str,
    delivered_on: NaiveDate,
    description: &str,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO referral_service (referral_service_id, referral_id, delivered_on, description,
             recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(referral_id)
    .bind(delivered_on.to_string())
    .bind(description)
    .bind(user_id)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn services(
    conn: &mut AnyConnection,
    referral_id: &str,
) -> Result<Vec<Delivered>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT delivered_on, description FROM referral_service WHERE referral_id = $1
         ORDER BY delivered_on, recorded_at",
    )
    .bind(referral_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Delivered {
                delivered_on: r.try_get("delivered_on")?,
                description: r.try_get("description")?,
            })
        })
        .collect()
}

/// Open referrals past their answer date that have not been reminded yet.
pub async fn overdue_unreminded(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<Vec<Referral>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE r.status = 'sent' AND r.due_at < $1 AND r.reminded_at IS NULL
         AND f.sharing_consent = 1 ORDER BY r.due_at LIMIT 500"
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(timestamp(now))
        .fetch_all(conn)
        .await?
        .iter()
        .map(referral)
        .collect()
}

/// Marks a referral reminded (once: false if it already was).
pub async fn mark_reminded(
    conn: &mut AnyConnection,
    referral_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE referral SET reminded_at = $1 WHERE referral_id = $2 AND reminded_at IS NULL",
    )
    .bind(timestamp(now))
    .bind(referral_id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}
