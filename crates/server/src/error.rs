//! The one error shape every route answers with (annotask-core's [`ErrorBody`]), and
//! extractors that turn axum's plain-text rejections into it:
//! `{"status": N, "message": "...", "errors": [{"field", "code", "message"}]}` (`errors` is
//! left out when empty).
//!
//! Messages often quote what the client sent (an id that does not exist, serde's `invalid
//! type: string "…"`). Every answer caps them (see [`cap_quotes`]), so a 2 MB value never
//! comes back in a 2 MB message.

use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use annotask_core::{shorten, MAX_QUOTED_CHARS};
pub use annotask_core::{ErrorBody, FieldError};

/// The most characters of an answer's `message` and of each field error's `message`.
pub const MAX_MESSAGE_CHARS: usize = 800;
/// The most characters of a field error's `field` (a JSON path may hold a client's keys).
pub const MAX_FIELD_CHARS: usize = 300;
/// The most field errors one answer lists.
pub const MAX_FIELD_ERRORS: usize = 100;

/// An error answered as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub errors: Vec<FieldError>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            errors: Vec::new(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
    /// A 400 naming the fields that failed validation; the message lists them all.
    pub fn from_field_errors(errors: Vec<FieldError>) -> Self {
        let message = match errors.as_slice() {
            [one] => one.message.clone(),
            many => format!(
                "the request has {} problems: {}",
                many.len(),
                many.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        };
        Self::invalid(message, errors)
    }

    /// A 400 naming the fields that failed validation.
    pub fn invalid(message: impl Into<String>, errors: Vec<FieldError>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            errors,
        }
    }
    /// A 400 about one field.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.clone(),
            errors: vec![FieldError::new(field, code, message)],
        }
    }
}

impl IntoResponse for ApiError {
    /// The JSON error body, with every message and field capped by [`cap_quotes`].
    fn into_response(self) -> Response {
        let mut message = cap_quotes(self.message, MAX_MESSAGE_CHARS);
        if self.status.is_server_error() {
            tracing::error!(status = self.status.as_u16(), message = %message, "request failed");
        }
        // A query of a thousand bad conditions has a thousand field errors; the first ones
        // say what is wrong, the rest would only make the answer large.
        let total = self.errors.len();
        if total > MAX_FIELD_ERRORS {
            message.push_str(&format!(
                " (the first {MAX_FIELD_ERRORS} of {total} problems are listed)"
            ));
        }
        let errors = self
            .errors
            .into_iter()
            .take(MAX_FIELD_ERRORS)
            .map(|e| FieldError {
                field: cap_quotes(e.field, MAX_FIELD_CHARS),
                code: e.code,
                message: cap_quotes(e.message, MAX_MESSAGE_CHARS),
            })
            .collect();
        let body = ErrorBody::new(self.status.as_u16(), message).with_errors(errors);
        (self.status, axum::Json(body)).into_response()
    }
}

/// `text` with every run of non-whitespace characters longer than [`MAX_QUOTED_CHARS`] cut
/// to that many (with [`annotask_core::shorten`]'s `… (N more characters)`; a run that ends
/// with such a cut already is left alone), then as a whole cut to `max_chars`.
///
/// A value a message quotes has no spaces in the usual case (an id, an e-mail, serde's
/// `string "xxxx"`), so cutting runs first keeps the words around it: `dataset xxx… (N more
/// characters) not found` still says "not found". The last cut bounds whatever is left.
pub fn cap_quotes(text: String, max_chars: usize) -> String {
    // Characters never outnumber bytes: a short text has no long run and needs no cut.
    if text.len() <= MAX_QUOTED_CHARS.min(max_chars) {
        return text;
    }
    let mut out = String::with_capacity(text.len().min(4 * max_chars + 64));
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let run_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let run = &rest[..run_end];
        // A run cut at the source already (say a JSON path quoting a field: the path around
        // the cut makes it longer than the limit) ends with the cut's `…`: not cut twice.
        let cut_already = run.ends_with('…') && run.chars().count() <= 2 * MAX_QUOTED_CHARS;
        if cut_already {
            out.push_str(run);
        } else {
            out.push_str(&shorten(run, MAX_QUOTED_CHARS));
        }
        rest = &rest[run_end..];
        let space_end = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        out.push_str(&rest[..space_end]);
        rest = &rest[space_end..];
    }
    shorten(&out, max_chars).into_owned()
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::internal(format!("database error: {e}"))
    }
}

impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> Self {
        let status = rejection.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!(
                "request body is larger than the limit of {} bytes",
                crate::BODY_LIMIT_BYTES
            )
        } else {
            format!("could not read the request body: {}", rejection.body_text())
        };
        ApiError::new(status, message)
    }
}

/// A JSON request body. Unlike `axum::Json` it does not insist on a content type (dtlpy and
/// curl users do not always send one) and answers malformed input with the JSON error shape,
/// naming the path of the offending field.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses a JSON body, with errors that say where and what went wrong.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "request body is empty; expected JSON",
        ));
    }
    // JSON text is UTF-8; serde_json would skip an ignored field's bytes unchecked.
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(ApiError::bad_request(format!(
            "malformed JSON: the body is not valid UTF-8 ({e})"
        )));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let what = if inner.is_syntax() || inner.is_eof() {
            "malformed JSON"
        } else {
            "invalid request body"
        };
        if path.is_empty() || path == "." || path == "?" {
            ApiError::bad_request(format!("{what}: {inner}"))
        } else {
            ApiError::field(&path, "invalid", format!("{what}: field `{path}`: {inner}"))
        }
    })?;
    // Only whitespace may follow the value: `{} {}` is not one JSON document.
    de.end()
        .map_err(|e| ApiError::bad_request(format!("malformed JSON: {e}")))?;
    Ok(value)
}

/// Path parameters with JSON rejections.
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e: PathRejection| {
                ApiError::new(e.status(), format!("invalid path: {}", e.body_text()))
            })
    }
}

/// Query-string parameters with JSON rejections.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e: QueryRejection| {
                ApiError::new(
                    e.status(),
                    format!("invalid query string: {}", e.body_text()),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_answer_lists_at_most_100_field_errors_and_says_how_many_there_were() {
        let errors = (0..1_000)
            .map(|i| {
                FieldError::new(
                    format!("filter.$or[{i}].name"),
                    "query.value_required",
                    "Enter a value.",
                )
            })
            .collect();
        let error = ApiError::invalid("the query is not valid", errors);
        let response = error.into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            body["message"],
            "the query is not valid (the first 100 of 1000 problems are listed)"
        );
        let listed = body["errors"].as_array().unwrap();
        assert_eq!(listed.len(), MAX_FIELD_ERRORS);
        assert_eq!(listed[99]["field"], "filter.$or[99].name");
    }

    #[test]
    fn cap_quotes_cuts_long_runs_and_keeps_the_words_around_them() {
        assert_eq!(cap_quotes("short".to_owned(), 800), "short");
        let id = "a".repeat(10_000);
        assert_eq!(
            cap_quotes(format!("dataset {id} not found"), 800),
            format!(
                "dataset {}… (9800 more characters) not found",
                "a".repeat(200)
            )
        );
        // Multi-byte characters and any whitespace.
        let value = "é".repeat(300);
        assert_eq!(
            cap_quotes(format!("x\t{value}\n y"), 800),
            format!("x\t{}… (100 more characters)\n y", "é".repeat(200))
        );
        // A path quoting a field cut at the source is not cut again.
        let path = format!("join.filter.{}… (10 more characters)", "f".repeat(200));
        assert_eq!(cap_quotes(path.clone(), 800), path);
        // Many short words are cut as a whole.
        let words = "word ".repeat(1_000);
        let capped = cap_quotes(words, 800);
        assert!(capped.starts_with("word word"));
        assert!(capped.ends_with("… (4200 more characters)"), "{capped}");
        assert_eq!(
            capped.chars().count(),
            800 + "… (4200 more characters)".chars().count()
        );
    }
}
