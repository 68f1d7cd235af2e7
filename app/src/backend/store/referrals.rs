//! Referrals and their answers, services delivered, and a partner's inbox. (Who offers what
//! where is `directory.rs`.)

use super::binds::Binds;
use super::{Flag, OptionalCode};
use crate::backend::clock::{parse_timestamp, timestamp};
use crate::backend::db::{new_id, Backend};
use chrono::{DateTime, NaiveDate, Utc};
use shared::referral::{InboxTab, PartnerSight, ReferralStatus};
use shared::service::ServiceCategory;
use shared::Country;
use sqlx::{AnyConnection, AssertSqlSafe, FromRow};

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
#[derive(Clone, Debug, FromRow)]
pub struct Referral {
    pub referral_id: String,
    pub family_id: String,
    pub plan_item_id: Option<String>,
    pub case_number: String,
    #[sqlx(try_from = "String")]
    pub country: Country,
    pub province: String,
    pub district: String,
    #[sqlx(try_from = "Flag")]
    pub sharing_consent: bool,
    /// When the case was closed, if it is.
    pub case_closed_at: Option<String>,
    pub organisation_id: String,
    pub organisation_name: String,
    pub organisation_email: Option<String>,
    #[sqlx(try_from = "OptionalCode<Country>")]
    pub organisation_country: Option<Country>,
    #[sqlx(try_from = "String")]
    pub service: ServiceCategory,
    pub note: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: ReferralStatus,
    pub decline_reason: Option<String>,
    pub outcome: Option<String>,
    pub sent_by: String,
    /// The case's caseworker (whoever sent it, while the case has none): the partner's
    /// contact and who is told of its answers. A case reassigned or transferred takes its
    /// open referrals along.
    pub caseworker_name: String,
    pub caseworker_email: String,
    pub caseworker_language: String,
    pub sent_at: String,
    pub due_at: String,
    pub responded_at: Option<String>,
    pub completed_at: Option<String>,
    pub version: i64,
    /// The organisation has no accounts: it answers at `/r` with the reference and a code.
    #[sqlx(try_from = "Flag")]
    pub without_accounts: bool,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_address: Option<String>,
    /// The slip's reference, once a code was issued.
    pub reference: Option<String>,
    /// When the current code was issued, and until when it works.
    pub code_issued_at: Option<String>,
    pub code_expires_at: Option<String>,
}

const SELECT: &str = "SELECT r.referral_id, r.family_id, r.plan_item_id, f.case_number, f.country,
        f.province, f.district, f.sharing_consent, f.closed_at AS case_closed_at, r.organisation_id, o.name AS organisation_name,
        o.referral_email AS organisation_email, o.country AS organisation_country, r.service, r.note,
        r.status, r.decline_reason, r.outcome, r.sent_by, u.display_name AS caseworker_name,
        u.email AS caseworker_email, u.language AS caseworker_language, r.sent_at, r.due_at,
        r.responded_at, r.completed_at, r.version, o.without_accounts, o.contact_person,
        o.contact_phone, o.contact_address, rc.reference,
        rc.issued_at AS code_issued_at, rc.expires_at AS code_expires_at
     FROM referral r
     JOIN family f ON f.family_id = r.family_id
     JOIN organisation o ON o.organisation_id = r.organisation_id
     JOIN app_user u ON u.user_id = COALESCE(f.assigned_to, r.sent_by)
     LEFT JOIN referral_code rc ON rc.referral_id = r.referral_id";

impl Referral {
    /// Where the referral stands, for what its partner sees of the family.
    pub fn partner_sight(&self) -> PartnerSight {
        PartnerSight {
            status: self.status,
            sharing_consent: self.sharing_consent,
            completed_at: self.completed_at.as_deref().and_then(parse_timestamp),
            case_closed_at: self.case_closed_at.as_deref().and_then(parse_timestamp),
        }
    }
}

pub async fn get(
    conn: &mut AnyConnection,
    referral_id: &str,
) -> Result<Option<Referral>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE r.referral_id = $1");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(referral_id)
        .fetch_optional(conn)
        .await
}

/// The family a referral is about (to lock it before the referral).
pub async fn family_of(
    conn: &mut AnyConnection,
    referral_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT family_id FROM referral WHERE referral_id = $1")
        .bind(referral_id)
        .fetch_optional(conn)
        .await
}

/// Loads a referral and locks its row until the transaction ends (lock its family first).
pub async fn lock(
    conn: &mut AnyConnection,
    backend: Backend,
    referral_id: &str,
) -> Result<Option<Referral>, sqlx::Error> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT 1 FROM referral WHERE referral_id = $1 FOR UPDATE")
            .bind(referral_id)
            .execute(&mut *conn)
            .await?;
    }
    get(conn, referral_id).await
}

/// The family's referrals, newest first.
pub async fn of_family(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Vec<Referral>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE r.family_id = $1 ORDER BY r.sent_at DESC");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(family_id)
        .fetch_all(conn)
        .await
}

/// Whether a plan item has an open (sent or accepted) referral.
pub async fn open_for_plan_item(
    conn: &mut AnyConnection,
    plan_item_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM referral WHERE plan_item_id = $1 AND status IN ('sent', 'accepted')",
    )
    .bind(plan_item_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
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
    binds.query_as(&sql).fetch_all(conn).await
}

/// How many referrals each inbox tab holds.
pub async fn inbox_counts(
    conn: &mut AnyConnection,
    organisation_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(InboxTab, i64)>, sqlx::Error> {
    let r: InboxCounts = sqlx::query_as(
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
        (InboxTab::New, r.new),
        (InboxTab::Accepted, r.accepted),
        (InboxTab::Overdue, r.overdue),
        (InboxTab::Completed, r.completed),
    ])
}

#[derive(FromRow)]
struct InboxCounts {
    new: i64,
    accepted: i64,
    overdue: i64,
    completed: i64,
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
#[derive(Clone, Debug, FromRow)]
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
    sqlx::query_as(
        "SELECT delivered_on, description FROM referral_service WHERE referral_id = $1
         ORDER BY delivered_on, recorded_at",
    )
    .bind(referral_id)
    .fetch_all(conn)
    .await
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
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(timestamp(now))
        .fetch_all(conn)
        .await
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
