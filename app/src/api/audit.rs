//! Browsing the audit log (admins).

use crate::error::AppError;
use crate::model::audit::{AuditFilter, AuditPage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use shared::policy::{Action, Resource};

/// The audit log, newest first, filtered, a page at a time.
#[server(endpoint = "list_audit_events")]
pub async fn list_audit_events(filter: AuditFilter) -> Result<AuditPage, AppError> {
    let caller = crate::backend::auth::authenticate().await?;
    caller.may(Action::ViewAuditLog, Resource::System)?;
    Ok(crate::backend::store::audit_log::list(&caller.state.db, &filter).await?)
}
