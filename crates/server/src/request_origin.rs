//! The origin (`http://host:port`) a request was sent to, for the `url` fields of entities.
//! dtlpy polls a Command at `url.split('api/v1')[1]`, so those URLs must contain `/api/v1`.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

#[derive(Debug, Clone)]
pub struct RequestOrigin(pub String);

impl RequestOrigin {
    /// `origin/api/v1/<path>`.
    pub fn api_url(&self, path: &str) -> String {
        format!("{}/api/v1/{}", self.0, path.trim_start_matches('/'))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestOrigin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let host = parts
            .headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
            .or_else(|| parts.uri.authority().map(|a| a.as_str()))
            .unwrap_or("localhost");
        let scheme = parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|h| h.to_str().ok())
            .filter(|p| *p == "https" || *p == "http")
            .unwrap_or("http");
        Ok(RequestOrigin(format!("{scheme}://{host}")))
    }
}
