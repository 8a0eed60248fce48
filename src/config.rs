//! Where the API lives. Read at start from `config.json` beside index.html, so one build can
//! be deployed anywhere and pointed at any compatible backend without rebuilding.

use serde::Deserialize;

/// The app's runtime configuration, with defaults already applied.
#[derive(Clone, Debug, PartialEq)]
pub struct AppConfig {
    /// The API root, ending in `/api/v1` (no trailing slash).
    pub api_base: String,
    /// The origin that serves `/token` (the platform's "gate"), no trailing slash.
    pub gate_url: String,
    /// How long a read may take before the app gives up on it and offers a Retry, in
    /// milliseconds; 0 waits for ever. Creating a task is never cut short (it may have
    /// happened), the page says the server is slow instead.
    pub request_timeout_ms: u32,
}

/// The default of [`AppConfig::request_timeout_ms`]: long enough for a count over a million
/// items on a busy server, short enough that a hung request does not leave a spinner for ever.
pub const DEFAULT_REQUEST_TIMEOUT_SECONDS: f64 = 30.0;

/// config.json as written; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawConfig {
    api_base: Option<String>,
    gate_url: Option<String>,
    request_timeout_seconds: Option<f64>,
}

impl AppConfig {
    /// Applies the defaults: the page's own origin with `/api/v1`, and the origin.
    pub fn from_json(json: &str, origin: &str) -> Result<AppConfig, String> {
        let raw: RawConfig = if json.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_json::from_str(json).map_err(|e| format!("config.json is not valid: {e}"))?
        };
        let trim = |s: String| s.trim().trim_end_matches('/').to_string();
        let origin = origin.trim_end_matches('/');
        let timeout = raw
            .request_timeout_seconds
            .unwrap_or(DEFAULT_REQUEST_TIMEOUT_SECONDS);
        if !timeout.is_finite() || !(0.0..=3600.0).contains(&timeout) {
            return Err(format!(
                "config.json is not valid: requestTimeoutSeconds must be between 0 and 3600, not {timeout}"
            ));
        }
        Ok(AppConfig {
            api_base: raw
                .api_base
                .map(trim)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("{origin}/api/v1")),
            gate_url: raw
                .gate_url
                .map(trim)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| origin.to_string()),
            request_timeout_ms: (timeout * 1000.0).round() as u32,
        })
    }
}

/// The page's origin, e.g. `http://127.0.0.1:8080`.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The path the app is served under, without a trailing slash (`""` at the root, `/sub` in a
/// sub-path). It comes from `<base href>`, which trunk fills from `--public-url`.
pub fn base_path() -> String {
    let base_uri = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    base_path_from(&base_uri, &page_origin())
}

/// [`base_path`] from the document's base URI and the page's origin.
pub fn base_path_from(base_uri: &str, origin: &str) -> String {
    let path = base_uri.strip_prefix(origin).unwrap_or("/");
    // A base URI may carry a query or fragment; only its path counts.
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').to_string()
}

/// A browser path without the app's base path, as the routes see it: with base `/sub`,
/// `/sub/tasks/1` becomes `/tasks/1`. Paths outside the base are returned unchanged.
pub fn strip_base<'a>(pathname: &'a str, base: &str) -> &'a str {
    if base.is_empty() {
        return pathname;
    }
    match pathname.strip_prefix(base) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => pathname,
    }
}

/// Fetches config.json; a missing file means "use the defaults", a broken one is an error.
pub async fn load() -> Result<AppConfig, String> {
    let origin = page_origin();
    let url = format!("{}/config.json", base_path());
    let resp = gloo_net::http::Request::get(&url)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await;
    let text = match resp {
        Ok(r) if r.ok() => r.text().await.unwrap_or_default(),
        // No config.json (404) or a host that can't serve it: the same-origin defaults apply.
        Ok(_) | Err(_) => String::new(),
    };
    // A host with an SPA fallback answers index.html for a missing file; treat it as absent.
    let text = if text.trim_start().starts_with('<') {
        String::new()
    } else {
        text
    };
    AppConfig::from_json(&text, &origin)
}

/// `window` as the concrete type, for the few places that need it.
pub fn window() -> web_sys::Window {
    web_sys::window().expect("annotask runs in a browser window")
}

/// Used by tests and the session module: the current time in epoch milliseconds.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
