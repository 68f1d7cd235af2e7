//! What a server function needs to know about the HTTP request it serves, and how it sets
//! cookies and redirects on the response.

use super::config::Config;
use axum::extract::ConnectInfo;
use http::header::{ACCEPT, COOKIE, REFERER, SET_COOKIE};
use http::request::Parts;
use http::HeaderValue;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use std::net::SocketAddr;

/// The request being served, if any.
pub fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The value of cookie `name` in the request.
pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The client's address: the peer address, or the first `X-Forwarded-For` entry when the
/// server runs behind a trusted proxy.
pub fn client_addr(parts: &Parts, config: &Config) -> Option<String> {
    if config.trust_forwarded_for {
        if let Some(first) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return Some(first.trim().chars().take(64).collect());
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string())
}

/// True for a plain HTML form post (no JavaScript): the browser asks for a page back.
pub fn is_plain_form_post(parts: &Parts) -> bool {
    parts
        .headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// A path on this site, safe to redirect to: starts with one `/`, no scheme, no host.
pub fn safe_local_path(s: &str) -> Option<String> {
    let ok = s.starts_with('/')
        && !s.starts_with("//")
        && !s.starts_with("/\\")
        && !s.chars().any(|c| c.is_control());
    ok.then(|| s.to_string())
}

/// The path (and query) of the page the form was posted from, when it is on this site.
pub fn referer_path(parts: &Parts) -> Option<String> {
    let referer = parts.headers.get(REFERER)?.to_str().ok()?;
    let uri: http::Uri = referer.parse().ok()?;
    if let Some(host) = uri.authority() {
        let own = parts.headers.get(http::header::HOST)?.to_str().ok()?;
        if host.as_str() != own {
            return None;
        }
    }
    safe_local_path(uri.path_and_query()?.as_str())
}

/// Sends a plain form post back to the page it came from; a program's call stays where it is.
pub fn redirect_plain_post_back() {
    if let Some(p) = parts().filter(is_plain_form_post) {
        leptos_axum::redirect(&referer_path(&p).unwrap_or_else(|| "/".to_string()));
    }
}

/// Escapes text for a URL's query string.
pub fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        res.append_header(SET_COOKIE, v);
    }
}

/// Builds a cookie that JavaScript cannot read, sent only to this site.
pub fn cookie_header(name: &str, value: &str, max_age_secs: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// The cookie leptos_i18n reads the interface language from (on the server: no script reads it).
pub fn language_cookie(language: &str) -> String {
    format!("i18n_pref_locale={language}; Path=/; SameSite=Lax; HttpOnly; Max-Age=31536000")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_safe_redirects() {
        assert_eq!(
            safe_local_path("/cases?page=2"),
            Some("/cases?page=2".into())
        );
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "cases",
            "",
        ] {
            assert_eq!(safe_local_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn cookies_are_found_among_others() {
        let req = http::Request::builder()
            .header(COOKIE, "a=1; hw_session=abc; b=2")
            .body(())
            .unwrap();
        let (parts, _) = req.into_parts();
        assert_eq!(cookie(&parts, "hw_session"), Some("abc".into()));
        assert_eq!(cookie(&parts, "missing"), None);
    }
}
