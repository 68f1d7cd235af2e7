//! What operators see: a request id and one log line per request, the counts behind
//! `/metrics`, and `/metrics` itself.

use app::backend::clock::parse_timestamp;
use app::backend::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Instant;
use tracing::Instrument;

/// The id of one request, in its log lines and in its answer's `X-Request-Id`.
fn request_id(req: &Request, trust_proxy: bool) -> String {
    // A trusted proxy's id joins its logs to ours; only a short id of plain characters is
    // taken, so nothing a client sends ends up in the logs.
    let forwarded = trust_proxy
        .then(|| req.headers().get("x-request-id")?.to_str().ok())
        .flatten()
        .filter(|v| {
            (1..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    match forwarded {
        Some(id) => id.to_string(),
        None => crate::security::random_hex(8),
    }
}

/// The outermost layer: gives each request its id, logs its method, route template, status
/// and time (never its path or query, which can hold names and ids), and counts it under its
/// route template, with the status the client got.
pub async fn log_requests(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(&req, state.config.trust_forwarded_for);
    let method = req.method().clone();
    let span = tracing::info_span!("request", id = %id);
    let mut res = next.run(req).instrument(span.clone()).await;
    let took = started.elapsed();
    let route = res.extensions_mut().remove::<MatchedPath>();
    let route = route.as_ref().map_or("(unmatched)", MatchedPath::as_str);
    let status = res.status().as_u16();
    state.metrics.request(route, method.as_str(), status, took);
    span.in_scope(|| {
        tracing::info!(
            method = %method,
            route,
            status,
            ms = took.as_secs_f64() * 1000.0,
            "answered"
        )
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// Runs after routing (`route_layer`), where the route template is known: hands it to
/// [`log_requests`] on the response.
pub async fn mark_route(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let mut res = next.run(req).await;
    if let Some(route) = route {
        res.extensions_mut().insert(route);
    }
    res
}

/// `/metrics`, for Prometheus. Only with `HOMEWARD_METRICS_TOKEN` set, and only to a request
/// that brings it (`Authorization: Bearer …`); otherwise it does not exist. Not audited: it
/// holds counts, no record, and is read every few seconds.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.config.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !same_secret(given.as_bytes(), token.as_bytes()) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    let mut out = String::new();
    state.metrics.render(&mut out);
    if let Err(e) = read_now(&state, &mut out).await {
        tracing::warn!(error = %e, "metrics: the outbox could not be read");
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}

/// Compares in time that does not depend on where the first difference is.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The figures read at the moment of the scrape: the database pool and the email outbox.
async fn read_now(state: &AppState, out: &mut String) -> Result<(), sqlx::Error> {
    use app::backend::metrics::unlabelled;
    let pool = &state.db.pool;
    unlabelled(
        out,
        "homeward_db_pool_connections",
        "gauge",
        "Connections the database pool holds open.",
        pool.size() as f64,
    );
    unlabelled(
        out,
        "homeward_db_pool_idle_connections",
        "gauge",
        "Open connections of the pool not in use.",
        pool.num_idle() as f64,
    );
    unlabelled(
        out,
        "homeward_db_pool_max_connections",
        "gauge",
        "The most connections the pool opens.",
        pool.options().get_max_connections() as f64,
    );
    let (backlog, oldest) = app::backend::store::outbox::backlog(&state.db).await?;
    unlabelled(
        out,
        "homeward_outbox_backlog",
        "gauge",
        "Emails queued and not yet delivered.",
        backlog as f64,
    );
    let age = oldest
        .as_deref()
        .and_then(parse_timestamp)
        .map(|t| (state.clock.now() - t).num_seconds().max(0))
        .unwrap_or(0);
    unlabelled(
        out,
        "homeward_outbox_oldest_age_seconds",
        "gauge",
        "Age of the oldest email not yet delivered (0 when none waits).",
        age as f64,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn secrets_match_only_when_equal() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"ab", b"abc"));
        assert!(!same_secret(b"", b"abc"));
    }
}
