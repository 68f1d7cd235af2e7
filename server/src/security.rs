//! HTTP hardening applied to every response and request: security headers, and the refusal
//! of cross-site requests that would change anything (CSRF).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The policy for responses that are not pages.
const DEFAULT_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The nonce of one request's page: its inline hydration scripts carry it, and the page's
/// Content Security Policy allows exactly it. Made here, with the policy, so the two always
/// agree; the router hands it to Leptos (`router::page_context`).
#[derive(Clone)]
pub struct PageNonce(pub String);

/// `n` random bytes from the operating system, as hex.
pub fn random_hex(n: usize) -> String {
    use rand::RngCore;
    let mut bytes = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl PageNonce {
    fn new() -> Self {
        PageNonce(random_hex(16))
    }

    /// Scripts from this site and the page's own inline scripts; styles and everything
    /// else from this site only.
    fn page_csp(&self) -> String {
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
            self.0
        )
    }
}

/// Adds the security headers. Pages and API answers carry personal data: nothing may cache
/// them. The compiled site (`/pkg`) has content-hashed names (`app/src/assets.rs`), so a
/// browser keeps it for a year without asking again; other files are revalidated.
pub async fn headers(mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let nonce = PageNonce::new();
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    let cache = cache_control(&path, res.status());
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let csp = match is_page {
        true => HeaderValue::from_str(&nonce.page_csp()).expect("hex nonce is a valid header"),
        false => HeaderValue::from_static(DEFAULT_CSP),
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

/// How long a browser may keep the answer to `path`. A hashed file's name changes with its
/// content; an unhashed name in `/pkg` (a build without hashing) must be revalidated, and
/// a missing file asked again. Everything else may hold personal data.
fn cache_control(path: &str, status: StatusCode) -> &'static str {
    let hashed = path.strip_prefix("/pkg/").is_some_and(|file| {
        // homeward.<hash>.css and the like: three dot-separated parts.
        file.split('.').count() == 3
    });
    if hashed && status.is_success() {
        "public, max-age=31536000, immutable"
    } else if path == "/favicon.ico" && status.is_success() {
        // Asked for by the browser on every page under a name that cannot change: a week.
        "public, max-age=604800"
    } else if path.starts_with("/pkg/") {
        "no-cache"
    } else {
        "no-store"
    }
}

/// The largest request body a server function takes, by endpoint: what its form can hold
/// when filled to every field's limit (texts travel percent-encoded, up to six bytes a
/// letter of Dari, Pashto or Arabic), not megabytes. Everything else takes [`BODY_LIMIT`].
const BODY_LIMITS: [(&str, usize); 6] = [
    // A document of 10 MB with the form around it (`shared::document::MAX_BYTES`).
    ("/api/upload_document", 11 * 1024 * 1024),
    // Thirty people with every field filled.
    ("/api/register_family", 512 * 1024),
    ("/api/save_plan", 128 * 1024),
    ("/api/record_assessment", 64 * 1024),
    ("/api/save_member", 64 * 1024),
    ("/api/update_household", 64 * 1024),
];
/// A note of 4,000 letters in Arabic script, percent-encoded, with room to spare.
pub const BODY_LIMIT: usize = 32 * 1024;

fn body_limit(path: &str) -> usize {
    BODY_LIMITS
        .iter()
        .find(|(p, _)| *p == path)
        .map_or(BODY_LIMIT, |(_, n)| *n)
}

/// Refuses request bodies over their endpoint's limit with 413: by the declared length at
/// once, and by counting for bodies sent without one (read here, up to the limit, before
/// anything else sees them).
pub async fn limit_bodies(req: Request, next: Next) -> Response {
    let too_large = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            Body::from("Request too large."),
        )
            .into_response()
    };
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let path = req.uri().path();
    let limit = body_limit(path);
    // An upload is read only from someone with a session cookie (whether it is a valid
    // session is for the pipeline to say), and only as multipart with a boundary.
    if limit > BODY_LIMIT {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let multipart =
            path != "/api/upload_document" || app::api::documents::is_multipart(content_type);
        let session = req
            .headers()
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.contains(app::backend::auth::SESSION_COOKIE));
        if !multipart {
            return (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Expected a multipart form.",
            )
                .into_response();
        }
        if !session && path == "/api/upload_document" && declared_over(&req, BODY_LIMIT) {
            return too_large();
        }
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return too_large();
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(_) => too_large(),
    }
}

fn declared_over(req: &Request, limit: usize) -> bool {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_none_or(|n| n > limit)
}

/// Refuses with 400 a request whose path, query or body holds a NUL character, raw or
/// percent-encoded. Nobody types one; PostgreSQL cannot store one in text (the request would
/// fail with a database error), and SQLite would store it and cut the text short wherever it
/// is read as a C string. One check here instead of one in every field's validation. Runs
/// inside [`limit_bodies`], so the body it reads is already bounded.
pub async fn refuse_nul(req: Request, next: Next) -> Response {
    let has_nul = |bytes: &[u8]| {
        bytes.contains(&0)
            || bytes
                .windows(3)
                .any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
    };
    let refused = || (StatusCode::BAD_REQUEST, Body::from("Bad request.")).into_response();
    let uri = req.uri();
    if has_nul(uri.path().as_bytes()) || uri.query().is_some_and(|q| has_nul(q.as_bytes())) {
        return refused();
    }
    // A file upload's body is binary by nature: its form's text fields are checked for NUL
    // where it is read (`api/documents.rs`).
    if matches!(*req.method(), Method::GET | Method::HEAD) || uri.path() == "/api/upload_document" {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return refused();
    };
    if has_nul(&bytes) {
        return refused();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Adds Strict-Transport-Security (only when the site is served over HTTPS).
pub async fn hsts(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut().insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000; includeSubDomains"),
    );
    res
}

/// Refuses requests that may change something when they come from another site. Browsers
/// send `Sec-Fetch-Site` and `Origin` with such requests; programs that are not browsers
/// (tests, scripts) send neither and carry no ambient cookies to abuse.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_site(&req) {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            Body::from("Cross-site request refused."),
        )
            .into_response();
    }
    next.run(req).await
}

fn is_cross_site(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return true;
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
            return true;
        };
        let origin_host = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .map(|(_, rest)| rest.trim_end_matches('/'));
        return origin_host != Some(host);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_files_are_kept_and_pages_never() {
        let ok = StatusCode::OK;
        let kept = "public, max-age=31536000, immutable";
        assert_eq!(cache_control("/pkg/homeward.Xb3kQ9.wasm", ok), kept);
        assert_eq!(cache_control("/pkg/homeward.Xb3kQ9.css", ok), kept);
        assert_eq!(
            cache_control("/pkg/homeward.Xb3kQ9.css", StatusCode::NOT_FOUND),
            "no-cache"
        );
        assert_eq!(cache_control("/pkg/homeward.css", ok), "no-cache");
        assert_eq!(cache_control("/favicon.ico", ok), "public, max-age=604800");
        assert_eq!(cache_control("/cases/a.b.c", ok), "no-store");
        assert_eq!(cache_control("/api/list_cases", ok), "no-store");
    }

    #[test]
    fn forms_with_many_people_may_send_more_than_a_note() {
        assert_eq!(body_limit("/api/add_note"), BODY_LIMIT);
        assert!(body_limit("/api/register_family") > BODY_LIMIT);
    }

    fn req(headers: &[(&str, &str)]) -> Request {
        let mut b = axum::http::Request::builder()
            .method("POST")
            .uri("/api/sign_in");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn same_origin_posts_pass_and_cross_site_posts_do_not() {
        assert!(!is_cross_site(&req(&[
            ("host", "a.example"),
            ("origin", "https://a.example")
        ])));
        assert!(!is_cross_site(&req(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_cross_site(&req(&[])));
        assert!(is_cross_site(&req(&[
            ("host", "a.example"),
            ("origin", "https://evil.example")
        ])));
        assert!(is_cross_site(&req(&[
            ("host", "a.example"),
            ("origin", "null")
        ])));
        assert!(is_cross_site(&req(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&req(&[("sec-fetch-site", "same-site")])));
    }
}
