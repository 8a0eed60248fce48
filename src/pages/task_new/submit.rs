//! Creating the task: `POST /annotationtasks` answers a Command, which is followed
//! (`GET /commands/{id}` every half second, as the SDK polls, only faster) until it succeeds
//! with the new task's id or fails.

use std::fmt;

use annotask_core::entities::{Command, CommandStatus};
use annotask_core::FieldError;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use serde_json::Value;

use crate::api::{Api, ApiError};

/// How often the Command is polled.
const POLL_MS: u32 = 500;
/// Polls that may fail in a row (network trouble) before the app gives up following.
const POLL_RETRIES: u32 = 5;

/// Where a creation stands, for the progress indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct CreationProgress {
    /// The Command's status, e.g. `in-progress`.
    pub status: CommandStatus,
    /// Its progress, 0–100.
    pub percent: f64,
}

impl CreationProgress {
    fn of(command: &Command) -> CreationProgress {
        CreationProgress {
            status: command.status.clone(),
            percent: command.progress.clamp(0.0, 100.0),
        }
    }
}

/// Why no task was created (or why the app cannot tell).
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitError {
    /// The request was refused or never answered.
    Api(ApiError),
    /// The server accepted the request but the Command ended without success.
    Command { status: String, message: String },
    /// The Command succeeded without naming the task it created.
    NoTaskId,
    /// The Command could no longer be followed; the task may or may not exist.
    LostTrack(ApiError),
}

impl SubmitError {
    /// The field errors the server attached, to show beside their fields.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            SubmitError::Api(e) => e.field_errors().to_vec(),
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for SubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubmitError::Api(ApiError::Rejected {
                message, errors, ..
            }) if !errors.is_empty() => {
                write!(f, "The server refused the task: {message}")
            }
            SubmitError::Api(e) => write!(f, "{e}"),
            SubmitError::Command { status, message } if message.is_empty() => {
                write!(f, "Creating the task ended with status “{status}”.")
            }
            SubmitError::Command { status, message } => {
                write!(
                    f,
                    "Creating the task ended with status “{status}”: {message}"
                )
            }
            SubmitError::NoTaskId => write!(
                f,
                "The server reported success but did not say which task it created. \
                 Check the dataset's task list before trying again."
            ),
            SubmitError::LostTrack(e) => write!(
                f,
                "Lost track of the task being created ({e}). It may still appear: \
                 check the dataset's task list before trying again."
            ),
        }
    }
}

/// Posts `payload`, follows the Command and returns the created task's id. `progress` is
/// updated on the way; when the page is gone (the signal disposed) following stops.
pub async fn create_task(
    api: &Api,
    payload: &Value,
    progress: RwSignal<Option<CreationProgress>>,
) -> Result<String, SubmitError> {
    let mut command = api.create_task(payload).await.map_err(SubmitError::Api)?;
    let mut failures = 0;
    loop {
        if progress
            .try_set(Some(CreationProgress::of(&command)))
            .is_some()
        {
            // Disposed: nobody is looking any more.
            return Err(SubmitError::NoTaskId);
        }
        if command.status.is_terminal() {
            break;
        }
        TimeoutFuture::new(POLL_MS).await;
        match api.command(&command.id).await {
            Ok(next) => {
                command = next;
                failures = 0;
            }
            Err(e) if e.is_transient() && failures < POLL_RETRIES => failures += 1,
            Err(e) => return Err(SubmitError::LostTrack(e)),
        }
    }
    match command.status {
        CommandStatus::Success => command
            .created_task_id()
            .map(str::to_owned)
            .ok_or(SubmitError::NoTaskId),
        status => Err(SubmitError::Command {
            status: status.to_string(),
            message: command_error(&command.error),
        }),
    }
}

/// A failed Command's `error`: a string, or an object with a `message`.
fn command_error(error: &Value) -> String {
    match error {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Object(object) => object
            .get("message")
            .and_then(Value::as_str)
            .map_or_else(|| error.to_string(), str::to_owned),
        other => other.to_string(),
    }
}
