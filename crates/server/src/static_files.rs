//! The built web app: files from `--static DIR`, index.html for client routes, cache headers.
//!
//! Hashed assets (trunk names them `name-<16+ hex>.ext`) never change, so they get a year's
//! immutable cache; index.html and config.json must be revalidated every time.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

/// Serves `dir` for the paths no route claimed. `/api` paths never reach the app: they get a
/// JSON 404 so a typo in an API path is not answered with HTML.
pub async fn serve(dir: Option<PathBuf>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::not_found(format!("no API route {} {path}", req.method()))
            .into_response();
    }
    let Some(dir) = dir else {
        return ApiError::not_found(format!("nothing at {path}")).into_response();
    };
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{} is not allowed on {path}", req.method()),
        )
        .into_response();
    }
    let last_segment = path.rsplit('/').next().unwrap_or("");
    let looks_like_file = last_segment.contains('.');
    let index = dir.join("index.html");
    let response = if path == "/" || path == "/index.html" {
        serve_file(ServeFile::new(&index), req).await
    } else {
        let found = ServeDir::new(&dir)
            .append_index_html_on_directories(false)
            .oneshot(req)
            .await
            .map(IntoResponse::into_response)
            .unwrap_or_else(|e| match e {});
        if found.status() == StatusCode::NOT_FOUND && !looks_like_file {
            // A client-side route such as /tasks/new: the app's router takes it from here.
            serve_file(ServeFile::new(&index), Request::new(Body::empty())).await
        } else {
            found
        }
    };
    with_cache_headers(&path, response)
}

async fn serve_file(file: ServeFile, req: Request) -> Response {
    let response = file
        .oneshot(req)
        .await
        .map(IntoResponse::into_response)
        .unwrap_or_else(|e| match e {});
    if response.status() == StatusCode::NOT_FOUND {
        return ApiError::not_found("index.html is missing from the static directory")
            .into_response();
    }
    response
}

fn with_cache_headers(path: &str, mut response: Response) -> Response {
    if !response.status().is_success() && response.status() != StatusCode::NOT_MODIFIED {
        return response;
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let name = path.rsplit('/').next().unwrap_or("");
    let value = if is_html || name == "config.json" {
        Some(NO_CACHE)
    } else if is_hashed_asset(name) {
        Some(IMMUTABLE)
    } else {
        None
    };
    if let Some(value) = value {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// Whether a file name carries a content hash: a run of 16 or more hex digits between
/// separators, as in `annotask-1a2b3c4d5e6f7a8b_bg.wasm` or `style-0123456789abcdef.css`.
pub fn is_hashed_asset(name: &str) -> bool {
    name.split(['-', '_', '.'])
        .any(|part| part.len() >= 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_hashed_names() {
        assert!(is_hashed_asset("annotask-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_asset("style-0123456789abcdef.css"));
        assert!(!is_hashed_asset("index.html"));
        assert!(!is_hashed_asset("config.json"));
        assert!(!is_hashed_asset("favicon.ico"));
    }
}
