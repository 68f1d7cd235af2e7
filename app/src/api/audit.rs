//! Browsing the audit log (admins).

use crate::error::AppError;
use crate::model::audit::{AuditFilter, AuditPage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::backend::{pipeline, store::audit_log},
    shared::policy::Action,
};

/// The audit log, newest first, filtered, a page at a time.
#[server(endpoint = "list_audit_events")]
pub async fn list_audit_events(filter: AuditFilter) -> Result<AuditPage, AppError> {
    pipeline::system(Action::ViewAuditLog)
        .read(
            None,
            async |r| Ok(audit_log::list(r.conn(), &filter).await?),
        )
        .await
}
