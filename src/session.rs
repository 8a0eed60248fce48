//! The signed-in user's token: where it is kept and when it runs out.
//!
//! The token lives in sessionStorage (gone when the tab closes); only with "Keep me signed
//! in" does it go to localStorage. Its expiry is read from the JWT's `exp` claim so the API
//! module can refresh it before it runs out (see `api::keep_token_fresh`).

use base64::Engine;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

const STORAGE_KEY: &str = "annotask.session";
/// Why the user was sent to sign-in, shown there once; kept in sessionStorage because the
/// sign-in page may be reached by a reload as well as by the router.
const NOTICE_KEY: &str = "annotask.signin-notice";

/// A signed-in session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub refresh_token: Option<String>,
    /// The `email` claim of the token (who is signed in).
    pub email: String,
    /// The `exp` claim in epoch milliseconds, when the token has one.
    pub expires_at_ms: Option<f64>,
    /// Kept in localStorage ("Keep me signed in") rather than sessionStorage.
    pub persistent: bool,
}

/// The claims annotask reads from a JWT (decoded without verifying: the server verifies).
#[derive(Debug, Default, Deserialize)]
pub struct Claims {
    pub email: Option<String>,
    /// Expiry in epoch seconds.
    pub exp: Option<f64>,
}

/// Decodes the payload of a JWT; `None` when it is not a JWT.
pub fn decode_claims(token: &str) -> Option<Claims> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

impl Session {
    /// Builds a session from a token; an error explains what is wrong with it.
    pub fn from_token(
        token: &str,
        refresh_token: Option<String>,
        persistent: bool,
    ) -> Result<Session, String> {
        let token = token.trim();
        let claims = decode_claims(token)
            .ok_or("this is not a valid token (expected a JWT: three dot-separated parts)")?;
        let email = claims
            .email
            .filter(|e| !e.is_empty())
            .ok_or("the token has no email claim")?;
        Ok(Session {
            token: token.to_string(),
            refresh_token,
            email,
            expires_at_ms: claims.exp.map(|s| s * 1000.0),
            persistent,
        })
    }

    /// True when the token expires within `margin_ms` of `now_ms`.
    pub fn expires_within(&self, now_ms: f64, margin_ms: f64) -> bool {
        self.expires_at_ms
            .is_some_and(|exp| exp - margin_ms <= now_ms)
    }

    /// How long to wait before acting on the token's expiry: `margin_ms` before it runs out
    /// when it can be refreshed, at the expiry itself when it can't (a pasted token), never
    /// less than zero. `None` when the token does not expire.
    pub fn expiry_timer_ms(&self, now_ms: f64, margin_ms: f64) -> Option<f64> {
        let exp = self.expires_at_ms?;
        let at = if self.refresh_token.is_some() {
            exp - margin_ms
        } else {
            exp
        };
        Some((at - now_ms).max(0.0))
    }
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Reads the stored session, preferring this tab's.
pub fn load() -> Option<Session> {
    [session_storage(), local()]
        .into_iter()
        .flatten()
        .find_map(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
}

/// Stores the session in the storage its `persistent` flag asks for, and nowhere else.
pub fn save(session: &Session) {
    clear();
    let storage = if session.persistent {
        local()
    } else {
        session_storage()
    };
    if let (Some(s), Ok(json)) = (storage, serde_json::to_string(session)) {
        let _ = s.set_item(STORAGE_KEY, &json);
    }
}

/// Removes the session from both storages.
pub fn clear() {
    for s in [session_storage(), local()].into_iter().flatten() {
        let _ = s.remove_item(STORAGE_KEY);
    }
}

/// Reads and forgets the reason the user was last sent to sign-in.
pub fn take_notice() -> Option<String> {
    let storage = session_storage()?;
    let notice = storage.get_item(NOTICE_KEY).ok().flatten();
    let _ = storage.remove_item(NOTICE_KEY);
    notice
}

fn set_notice(message: Option<&str>) {
    if let Some(storage) = session_storage() {
        let _ = match message {
            Some(m) => storage.set_item(NOTICE_KEY, m),
            None => storage.remove_item(NOTICE_KEY),
        };
    }
}

/// The session as app state: a signal provided as context at the root.
#[derive(Clone, Copy)]
pub struct SessionState(pub RwSignal<Option<Session>>);

impl SessionState {
    pub fn new() -> Self {
        SessionState(RwSignal::new(load()))
    }

    pub fn sign_in(&self, session: Session) {
        save(&session);
        set_notice(None);
        self.0.set(Some(session));
    }

    /// The user signed out: forget everything.
    pub fn sign_out(&self) {
        clear();
        set_notice(None);
        self.0.set(None);
    }

    /// The server no longer accepts the session (a 401, a refused refresh, an expired pasted
    /// token): forget it and tell the sign-in page why. The page the user was on is kept by
    /// `RequireSession`, which sends them to sign-in and back.
    pub fn expire(&self, message: &str) {
        clear();
        set_notice(Some(message));
        self.0.set(None);
    }
}

impl Default for SessionState {
    fn default() -> Self {
        Self::new()
    }
}

/// The session state from context; provided by `App`.
pub fn use_session() -> SessionState {
    expect_context::<SessionState>()
}
