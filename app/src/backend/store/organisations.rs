//! Organisations: ministries, partners, the programme.

use crate::backend::clock::timestamp;
use crate::backend::db::{is_unique_violation, new_id, Db};
use crate::error::AppError;
use crate::model::admin::OrganisationView;
use chrono::{DateTime, Utc};
use shared::organisation::{NewOrganisation, OrgKind};
use shared::{Country, FieldError};
use sqlx::{AnyConnection, AssertSqlSafe};

/// The organisations every installation has.
pub const BUILT_IN: [(&str, &str, OrgKind, Option<Country>); 3] = [
    (
        "morr",
        "Ministry of Refugees and Repatriation (MoRR)",
        OrgKind::Ministry,
        Some(Country::AF),
    ),
    (
        "momd",
        "Ministry of Migration and Displaced (MoMD)",
        OrgKind::Ministry,
        Some(Country::IQ),
    ),
    (
        "programme",
        "Reintegration Programme",
        OrgKind::Programme,
        None,
    ),
];

pub async fn create(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    org: &NewOrganisation,
) -> Result<String, AppError> {
    let id = new_id();
    let r = sqlx::query(
        "INSERT INTO organisation (organisation_id, code, name, kind, country, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
    )
    .bind(&id)
    .bind(&org.code)
    .bind(&org.name)
    .bind(org.kind.as_str())
    .bind(org.country.map(Country::code))
    .bind(timestamp(now))
    .execute(conn)
    .await;
    match r {
        Ok(_) => Ok(id),
        Err(e) if is_unique_violation(&e, "organisation_code_key", "organisation.code") => {
            Err(AppError::invalid("code", FieldError::AlreadyTaken))
        }
        Err(e)
            if is_unique_violation(&e, "organisation_one_ministry_key", "organisation.country") =>
        {
            Err(AppError::invalid(
                "country",
                FieldError::OneMinistryPerCountry,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Creates MoRR, MoMD and the programme if they are missing.
pub async fn ensure_built_in(db: &Db, now: DateTime<Utc>) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    for (code, name, kind, country) in BUILT_IN {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT organisation_id FROM organisation WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            let org = NewOrganisation {
                code: code.into(),
                name: name.into(),
                kind,
                country,
            };
            create(&mut tx, now, &org).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

const SELECT: &str = "SELECT o.organisation_id, o.code, o.name, o.kind, o.country, o.active,
        (SELECT COUNT(*) FROM app_user u
         WHERE u.organisation_id = o.organisation_id AND u.code_access = 0) AS user_count
     FROM organisation o";

pub async fn list(conn: &mut AnyConnection) -> Result<Vec<OrganisationView>, sqlx::Error> {
    sqlx::query_as(AssertSqlSafe(format!("{SELECT} ORDER BY o.kind, o.name")))
        .fetch_all(conn)
        .await
}

pub async fn by_code(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<OrganisationView>, sqlx::Error> {
    sqlx::query_as(AssertSqlSafe(format!("{SELECT} WHERE o.code = $1")))
        .bind(code.trim().to_ascii_lowercase())
        .fetch_optional(conn)
        .await
}

pub async fn by_id(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<OrganisationView>, sqlx::Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT} WHERE o.organisation_id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The ministry of a country, if it has one.
pub async fn ministry_of(
    conn: &mut AnyConnection,
    country: Country,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT organisation_id FROM organisation WHERE kind = 'ministry' AND country = $1",
    )
    .bind(country.code())
    .fetch_optional(conn)
    .await
}

/// Activates or deactivates an organisation; its users cannot sign in while it is inactive,
/// and their open sessions end now.
pub async fn set_active(
    conn: &mut AnyConnection,
    id: &str,
    active: bool,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE organisation SET active = $1, updated_at = $2 WHERE organisation_id = $3",
    )
    .bind(i64::from(active))
    .bind(timestamp(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if !active {
        sqlx::query(
            "DELETE FROM user_session WHERE user_id IN
               (SELECT user_id FROM app_user WHERE organisation_id = $1)",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(r.rows_affected() == 1)
}
