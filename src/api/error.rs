//! The one error type of every API call, decoded from the server's JSON error body.

use annotask_core::{ErrorBody, FieldError};
use std::fmt;

/// Why an API call failed, in the terms the UI needs to react to it.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// 401: the token is missing, expired or refused; the user must sign in again.
    Unauthorized(String),
    /// 403: signed in, but not allowed to do this.
    Forbidden(String),
    /// 404: no such thing (or not visible to this user).
    NotFound(String),
    /// Any other 4xx: the request was refused; `errors` name the fields at fault.
    Rejected {
        status: u16,
        message: String,
        errors: Vec<FieldError>,
    },
    /// 5xx: the server failed.
    Server { status: u16, message: String },
    /// The request never got an answer (server down, offline, CORS refused).
    Network(String),
    /// No answer within the configured time (`requestTimeoutSeconds`); the request was
    /// abandoned.
    Timeout { seconds: u32 },
    /// The answer was not what the contract says.
    Decode(String),
}

impl ApiError {
    /// Builds the error for a non-2xx answer from its status and body text.
    pub fn from_response(status: u16, body: &str) -> ApiError {
        let parsed: Option<ErrorBody> = serde_json::from_str(body).ok();
        let message = parsed
            .as_ref()
            .map(|b| b.message.clone())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| {
                let text = body.trim();
                if text.is_empty() || text.starts_with('<') {
                    format!("the server answered {status}")
                } else {
                    text.chars().take(300).collect()
                }
            });
        let errors = parsed.map(|b| b.errors).unwrap_or_default();
        match status {
            401 => ApiError::Unauthorized(message),
            403 => ApiError::Forbidden(message),
            404 => ApiError::NotFound(message),
            400..=499 => ApiError::Rejected {
                status,
                message,
                errors,
            },
            _ => ApiError::Server { status, message },
        }
    }

    /// The field errors the server attached, if any.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Rejected { errors, .. } => errors,
            _ => &[],
        }
    }

    /// Whether trying again may help (network trouble and server failures).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Network(_) | ApiError::Timeout { .. } | ApiError::Server { .. }
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Unauthorized(m) => write!(f, "Please sign in again: {m}"),
            ApiError::Forbidden(m) => write!(f, "Not allowed: {m}"),
            ApiError::NotFound(m) => write!(f, "Not found: {m}"),
            ApiError::Rejected { message, .. } => write!(f, "{message}"),
            ApiError::Server { status, message } => {
                write!(f, "The server failed ({status}): {message}")
            }
            ApiError::Network(m) => write!(f, "Cannot reach the server: {m}"),
            ApiError::Timeout { seconds } => write!(
                f,
                "The server did not answer within {seconds} s. It may be busy; try again."
            ),
            ApiError::Decode(m) => write!(f, "Unexpected answer from the server: {m}"),
        }
    }
}

impl std::error::Error for ApiError {}
