//! The error body every failing API response carries, and the per-field problems inside it.
//!
//! The SDK only reads `status` (from the HTTP status line) and `message` (PKG
//! `services/api_client.py:check_response`), so `{"status": 404, "message": "…"}` is the shape
//! every client understands; `errors` adds the per-field detail the app shows next to its inputs.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// How many characters of a user-supplied value a message quotes; see [`shorten`].
pub const MAX_QUOTED_CHARS: usize = 200;

/// `text` cut to its first `max_chars` characters, followed by `… (N more characters)`, when it
/// is longer; unchanged (and not copied) otherwise. Error messages quote user input through
/// this, so a 5 MB value cannot come back in a 5 MB message.
///
/// ```
/// use annotask_core::shorten;
/// assert_eq!(shorten("short", 10), "short");
/// assert_eq!(shorten("ééééé", 2), "éé… (3 more characters)");
/// ```
pub fn shorten(text: &str, max_chars: usize) -> Cow<'_, str> {
    // Only the first `max_chars` characters are walked, so a short cut of a huge text is cheap.
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => {
            let more = text[cut..].chars().count();
            let unit = if more == 1 { "character" } else { "characters" };
            Cow::Owned(format!("{}… ({more} more {unit})", &text[..cut]))
        }
    }
}

/// One problem with one field of a request or a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FieldError {
    /// What the problem belongs to: a form field such as `"name"` or `"dueDate"`, or a DQL
    /// path such as `filter.$and[2].createdAt` (see [`crate::validate::validate_query`]).
    pub field: String,
    /// A stable machine-readable code such as `name.required` (listed in
    /// [`crate::validate::codes`]); the app may translate it, tests may match on it.
    pub code: String,
    /// An English sentence for people.
    pub message: String,
}

impl FieldError {
    /// Builds a field error from its three parts.
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The JSON body of every error response: `{"status": 400, "message": "…", "errors": [...]}`.
///
/// `errors` is left out when empty, which gives exactly the contract's "safe shape"
/// `{"status": 404, "message": "Annotation task not found"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    /// The HTTP status code, repeated in the body.
    pub status: u16,
    /// A summary for people; the SDK shows this text in its exceptions.
    pub message: String,
    /// Every field-level problem, for validation failures (usually with status 400).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl ErrorBody {
    /// An error body without field errors.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ErrorBody {
            status,
            message: message.into(),
            errors: Vec::new(),
        }
    }

    /// The same body carrying `errors`.
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }
}

impl fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.message)
    }
}

impl std::error::Error for ErrorBody {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shorten_cuts_at_a_char_boundary() {
        assert_eq!(shorten("", 0), "");
        assert_eq!(shorten("abc", 3), "abc");
        assert!(matches!(shorten("abc", 3), Cow::Borrowed(_)));
        assert_eq!(shorten("abcd", 3), "abc… (1 more character)");
        assert_eq!(shorten("abc", 0), "… (3 more characters)");
        // Multi-byte characters: counted as characters, never split.
        assert_eq!(shorten("aé😀ü", 2), "aé… (2 more characters)");
        assert_eq!(shorten("😀😀😀", 1), "😀… (2 more characters)");
        assert_eq!(shorten("e\u{301}x", 1), "e… (2 more characters)");
        let huge = "ü".repeat(5_000_000);
        let short = shorten(&huge, MAX_QUOTED_CHARS);
        assert_eq!(
            short,
            format!("{}… (4999800 more characters)", "ü".repeat(200))
        );
    }

    #[test]
    fn empty_errors_are_left_out() {
        let body = ErrorBody::new(404, "Annotation task not found");
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"status": 404, "message": "Annotation task not found"})
        );
    }

    #[test]
    fn field_errors_round_trip() {
        let body = ErrorBody::new(400, "Invalid task").with_errors(vec![FieldError::new(
            "name",
            "name.required",
            "Enter a task name.",
        )]);
        let text = serde_json::to_string(&body).unwrap();
        assert_eq!(
            text,
            r#"{"status":400,"message":"Invalid task","errors":[{"field":"name","code":"name.required","message":"Enter a task name."}]}"#
        );
        assert_eq!(serde_json::from_str::<ErrorBody>(&text).unwrap(), body);
    }

    #[test]
    fn missing_fields_default() {
        let body: ErrorBody = serde_json::from_str(r#"{"message":"boom","extra":1}"#).unwrap();
        assert_eq!(body, ErrorBody::new(0, "boom"));
    }
}
