//! The router: pages and server functions (leptos_axum), the compiled site, `/healthz`,
//! `/metrics`, wrapped in the security middleware, compression and the request log.

use crate::{observability, security};
use app::app::{shell, App};
use app::backend::{documents, exports, family_export, AppState};
use app::error::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::{middleware, Json, Router};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;

/// The pages of the app, listed once per process. Listing them renders the app with resource
/// loading switched off by a process-wide flag (leptos#4773): a page that starts loading on
/// another thread meanwhile waits forever. Listing once, before any router serves, means no
/// page is ever being rendered while the flag is set, however many routers a process builds
/// (the integration tests build one per test, in parallel).
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = routes();
    let pkg_dir = format!(
        "{}/{}",
        state.leptos_options.site_root, state.leptos_options.site_pkg_dir
    );
    let secure = state.config.secure_cookies;
    let context_state = state.clone();
    let mut router = Router::new()
        .route("/healthz", get(health))
        .route("/metrics", get(observability::metrics))
        .route("/overview/export.csv", get(exports::csv))
        .route("/overview/export.xlsx", get(exports::xlsx))
        .route("/cases/{id}/export.json", get(family_export::json))
        .route(
            "/cases/{id}/documents/{document}",
            get(documents::case_file),
        )
        .route(
            "/cases/{id}/documents/{document}/thumbnail",
            get(documents::case_thumbnail),
        )
        .route(
            "/referrals/{referral}/documents/{document}",
            get(documents::referral_file),
        )
        .nest_service(
            "/pkg",
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .leptos_routes_with_context(&state, routes, page_context, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // After routing: the route template, for the request log and metrics.
        .route_layer(middleware::from_fn(observability::mark_route))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || {
                leptos::prelude::provide_context(context_state.clone());
                page_context();
            },
            shell,
        ))
        .layer(middleware::from_fn(error_status))
        .layer(middleware::from_fn(security::headers))
        .layer(middleware::from_fn(security::refuse_cross_site))
        .layer(middleware::from_fn(security::refuse_nul))
        .layer(middleware::from_fn(security::limit_bodies))
        // Pages and API answers are compressed as they go, at a level that costs little CPU;
        // the compiled site comes precompressed at the highest level (`--precompress`).
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)));
    if secure {
        router = router.layer(middleware::from_fn(security::hsts));
    }
    // Outermost, so its time and status are what the client got.
    let router = router.layer(middleware::from_fn_with_state(
        state.clone(),
        observability::log_requests,
    ));
    router.with_state(state)
}

/// Context of every page render: the nonce the security middleware made for this request,
/// which its Content Security Policy allows (it replaces the one Leptos generates).
fn page_context() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<security::PageNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// Gives a server function's error its HTTP status (server_fn answers every error with 500):
/// 401 sign in, 403 forbidden, 404 not found, 422 invalid input, and so on (`AppError::status`).
async fn error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // Error bodies are a few hundred bytes of JSON.
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Liveness and database state, for monitoring.
async fn health(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let db_ok = state.db.ping().await;
    let backend = match state.db.backend {
        app::backend::db::Backend::Sqlite => "sqlite",
        app::backend::db::Backend::Postgres => "postgres",
    };
    let body = serde_json::json!({
        "status": if db_ok { "ok" } else { "degraded" },
        "database": { "backend": backend, "reachable": db_ok },
        "version": env!("CARGO_PKG_VERSION"),
    });
    let code = if db_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(body))
}
