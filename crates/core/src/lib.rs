//! annotask-core: the types and rules shared by the app (wasm32) and the server (native).
//!
//! Everything here is plain Rust without I/O, so the browser and the server run the very
//! same code and can never disagree about what a query matches or what a draft may contain:
//!
//! - [`entities`]: the platform's JSON entities (project, dataset, item, task, …) as serde types.
//! - [`dql`]: the Dataloop Query Language tree, its lossless parser/printer and its evaluator.
//! - [`draft`]: the task-creation form's state ([`draft::TaskDraft`]) and the
//!   `POST /annotationtasks` body it turns into, exactly as the Python SDK sends it.
//! - [`validate`]: every rule a draft must satisfy, reported all at once with stable codes.
//! - [`workload`]: the SDK's equal split and the largest-remainder item allocation.
//! - [`error`]: the error body of every failing API response.
//! - [`iso8601`]: the small date parser/formatter used to compare ISO timestamps.
//! - [`python_json`]: `json.dumps` as Python prints it, for the payload's `query` string.
//!
//! The REST contract these types follow is `docs/dataloop-api.md` (dtlpy 1.126.5).

#![warn(missing_docs)]

pub mod dql;
pub mod draft;
pub mod entities;
pub mod error;
pub mod iso8601;
pub mod python_json;
pub mod validate;
pub mod workload;

pub use error::{shorten, ErrorBody, FieldError, MAX_QUOTED_CHARS};
