//! The case list, and the caseworkers it can be filtered by.

use crate::error::AppError;
use crate::model::families::{CaseFilter, CasePage, Caseworker};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::backend::{pipeline, store::families},
    shared::audit::AuditAction,
    shared::calendar::Calendar,
    shared::policy::{case_scope, Action},
    shared::FieldErrors,
};

/// The case list: only cases in the caller's scope, filtered, searched, sorted, a page at a
/// time. The filters and the search typed (a phone or document number, a name) are audited.
#[server(endpoint = "list_cases")]
pub async fn list_cases(filter: CaseFilter) -> Result<CasePage, AppError> {
    pipeline::system(Action::ListCases)
        .read(Some(AuditAction::CaseListViewed), async |r| {
            let calendar = Calendar::from_code(filter.calendar.as_deref().unwrap_or_default());
            let date = |s: &Option<String>| {
                s.as_deref()
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| shared::calendar::parse_input(s, calendar))
            };
            let mut errors = FieldErrors::new();
            if let Some(q) = &filter.q {
                errors.take("q", shared::family::check_query(q));
            }
            let after = date(&filter.returned_after).and_then(|r| errors.take("returned_after", r));
            let before =
                date(&filter.returned_before).and_then(|r| errors.take("returned_before", r));
            if !errors.is_empty() {
                return Err(AppError::Invalid(errors));
            }
            let actor = &r.caller.actor;
            let page = families::list::list(
                r.conn(),
                &case_scope(actor),
                &filter,
                &actor.user_id,
                after,
                before,
            )
            .await?;
            let detail = serde_json::json!({ "filter": filter, "results": page.total });
            r.audit_detail(detail.to_string());
            Ok(page)
        })
        .await
}

/// Caseworkers of the caller's ministry (the case list's "assigned to" filter).
#[server(endpoint = "list_caseworkers")]
pub async fn list_caseworkers() -> Result<Vec<Caseworker>, AppError> {
    pipeline::system(Action::ListCases)
        .read(None, async |r| {
            let org = r.caller.actor.organisation_id.clone();
            Ok(families::caseworkers_of(r.conn(), &org)
                .await?
                .into_iter()
                .map(|(user_id, name)| Caseworker { user_id, name })
                .collect())
        })
        .await
}
