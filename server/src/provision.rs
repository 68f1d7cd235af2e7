//! Provisioning without the web interface (the `create-org` and `create-user` commands, and
//! the demo data): the same validation and the same audit log as the admin pages.

use app::backend::db::Db;
use app::backend::password::{self, Hashing};
use app::backend::store::audit_log::{self, Entry};
use app::backend::store::{organisations, users};
use app::error::AppError;
use chrono::{DateTime, Utc};
use shared::audit::{AuditAction, AuditTarget};
use shared::organisation::OrgKind;
use shared::FieldErrors;

/// An operator-facing failure, in plain English for the terminal.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal error")]
    Internal,
}

impl From<AppError> for ProvisionError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(errors) => ProvisionError::Invalid(describe(&errors)),
            _ => ProvisionError::Internal,
        }
    }
}

impl From<FieldErrors> for ProvisionError {
    fn from(e: FieldErrors) -> Self {
        ProvisionError::Invalid(describe(&e))
    }
}

fn describe(errors: &FieldErrors) -> String {
    errors
        .0
        .iter()
        .map(|(field, e)| format!("{field}: {e:?}"))
        .collect::<Vec<_>>()
        .join("; ")
}

pub async fn create_organisation(
    db: &Db,
    now: DateTime<Utc>,
    code: &str,
    name: &str,
    kind: &str,
    country: &str,
) -> Result<String, ProvisionError> {
    let org = shared::organisation::validate_new_organisation(code, name, kind, country)?;
    let mut tx = db.begin().await?;
    if let (OrgKind::Ministry, Some(c)) = (org.kind, org.country) {
        if organisations::ministry_of(&mut tx, c).await?.is_some() {
            return Err(ProvisionError::Invalid(format!(
                "country: {} has its ministry already (one ministry per country)",
                c.code()
            )));
        }
    }
    let id = organisations::create(&mut tx, now, &org).await?;
    let entry = Entry {
        target: Some((AuditTarget::Organisation, &id)),
        detail: Some("command line"),
        ..Entry::anonymous(AuditAction::OrganisationCreated, None)
    };
    audit_log::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Creates an account. `areas` may be location keys, ISO codes or English names.
#[allow(clippy::too_many_arguments)]
pub async fn create_user(
    db: &Db,
    now: DateTime<Utc>,
    email: &str,
    name: &str,
    role: &str,
    org_code: &str,
    areas: &[String],
    password: String,
    language: &str,
) -> Result<String, ProvisionError> {
    let mut keys = Vec::new();
    for a in areas {
        let loc = shared::location::lookup(a).ok_or_else(|| {
            ProvisionError::Invalid(format!("area: unknown province/governorate {a:?}"))
        })?;
        keys.push(loc.key.clone());
    }
    let mut conn = db.pool.acquire().await?;
    let org = organisations::by_code(&mut conn, org_code)
        .await?
        .ok_or_else(|| {
            ProvisionError::Invalid(format!("org: no organisation with code {org_code:?}"))
        })?;
    drop(conn);
    let user = shared::account::validate_new_user(
        email,
        name,
        role,
        &keys,
        &password,
        Some((org.kind, org.country)),
    )?;
    let hash = password::hash(&Hashing::default(), password).await?;
    let mut tx = db.begin().await?;
    let id = users::create(&mut tx, now, &user, &org.organisation_id, &hash, language).await?;
    let entry = Entry {
        target: Some((AuditTarget::User, &id)),
        detail: Some("command line"),
        ..Entry::anonymous(AuditAction::UserCreated, None)
    };
    audit_log::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    Ok(id)
}
