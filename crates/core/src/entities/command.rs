//! Commands: the asynchronous operations task creation returns (OAS `APICommand`, PKG
//! `entities/command.py`, contract §1).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::lenient;

/// A command's status; the SDK rejects anything outside the known list with a ValueError,
/// so only a server bug produces `Other`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum CommandStatus {
    /// `"created"`.
    #[default]
    Created,
    /// `"making-children"`.
    MakingChildren,
    /// `"waiting-children"`.
    WaitingChildren,
    /// `"in-progress"`.
    InProgress,
    /// `"finalizing"`.
    Finalizing,
    /// `"cleaning-up"`.
    CleaningUp,
    /// `"on-error"`.
    OnError,
    /// `"success"` (terminal).
    Success,
    /// `"failed"` (terminal).
    Failed,
    /// `"timeout"` (terminal).
    Timeout,
    /// `"canceled"` (terminal).
    Canceled,
    /// `"aborted"` (terminal).
    Aborted,
    /// Any other status string, kept verbatim.
    Other(String),
}

impl CommandStatus {
    const KNOWN: [CommandStatus; 12] = [
        CommandStatus::Created,
        CommandStatus::MakingChildren,
        CommandStatus::WaitingChildren,
        CommandStatus::InProgress,
        CommandStatus::Finalizing,
        CommandStatus::CleaningUp,
        CommandStatus::OnError,
        CommandStatus::Success,
        CommandStatus::Failed,
        CommandStatus::Timeout,
        CommandStatus::Canceled,
        CommandStatus::Aborted,
    ];

    /// The platform's spelling, e.g. `"in-progress"`.
    pub fn as_str(&self) -> &str {
        match self {
            CommandStatus::Created => "created",
            CommandStatus::MakingChildren => "making-children",
            CommandStatus::WaitingChildren => "waiting-children",
            CommandStatus::InProgress => "in-progress",
            CommandStatus::Finalizing => "finalizing",
            CommandStatus::CleaningUp => "cleaning-up",
            CommandStatus::OnError => "on-error",
            CommandStatus::Success => "success",
            CommandStatus::Failed => "failed",
            CommandStatus::Timeout => "timeout",
            CommandStatus::Canceled => "canceled",
            CommandStatus::Aborted => "aborted",
            CommandStatus::Other(other) => other,
        }
    }

    /// The status for a platform string; unknown strings become `Other`.
    pub fn parse(text: &str) -> CommandStatus {
        CommandStatus::KNOWN
            .into_iter()
            .find(|status| status.as_str() == text)
            .unwrap_or_else(|| CommandStatus::Other(text.to_owned()))
    }

    /// Whether polling stops here: `success`, `failed`, `timeout`, `canceled` or `aborted`.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            CommandStatus::Success
                | CommandStatus::Failed
                | CommandStatus::Timeout
                | CommandStatus::Canceled
                | CommandStatus::Aborted
        )
    }
}

impl fmt::Display for CommandStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CommandStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CommandStatus {
    /// `null` reads as `created`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<String>::deserialize(deserializer)?
            .map(|text| CommandStatus::parse(&text))
            .unwrap_or_default())
    }
}

/// An asynchronous command. For task creation its final `spec` holds `createTaskPayload`
/// (the request body) and `createdTaskId`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Command {
    /// The command id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub id: String,
    /// The polling URL; it must contain `api/v1` (the SDK polls `url.split('api/v1')[1]`),
    /// or be `null` (the SDK then polls `/commands/{id}`). Always printed.
    pub url: Option<String>,
    /// The status.
    pub status: CommandStatus,
    /// The command type; the SDK does not check it.
    #[serde(rename = "type", deserialize_with = "lenient::or_default")]
    pub command_type: String,
    /// Percent done; must be a number (the SDK feeds it to a progress bar).
    #[serde(deserialize_with = "lenient::number")]
    pub progress: f64,
    /// Operation-specific data.
    pub spec: Value,
    /// The error of a failed command; `null` otherwise. Always printed.
    pub error: Value,
    /// ISO creation time.
    #[serde(deserialize_with = "lenient::timestamp")]
    pub created_at: String,
    /// ISO update time.
    #[serde(deserialize_with = "lenient::timestamp")]
    pub updated_at: String,
    /// Every other field (`report`, …), kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Command {
    /// `spec.createdTaskId`, the task a successful creation command made.
    pub fn created_task_id(&self) -> Option<&str> {
        self.spec.get("createdTaskId").and_then(Value::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_live_command() {
        let command: Command = serde_json::from_value(json!({
            "id": "86e3", "type": "CreateTaskSetting", "status": "created", "progress": 0,
            "url": "http://127.0.0.1:8765/api/v1/commands/86e3", "error": null,
            "spec": {"createTaskPayload": {"name": "test_task1"}, "createdTaskId": "9003"},
            "createdAt": "2024-01-01T00:00:00.000Z"
        }))
        .unwrap();
        assert_eq!(command.status, CommandStatus::Created);
        assert!(!command.status.is_terminal());
        assert_eq!(command.created_task_id(), Some("9003"));
        let back = serde_json::to_value(&command).unwrap();
        assert_eq!(back["error"], Value::Null);
        assert_eq!(back["type"], json!("CreateTaskSetting"));
        assert_eq!(back["status"], json!("created"));
    }

    #[test]
    fn statuses() {
        for status in CommandStatus::KNOWN {
            assert_eq!(CommandStatus::parse(status.as_str()), status);
        }
        let terminal: Vec<&str> = CommandStatus::KNOWN
            .iter()
            .filter(|s| s.is_terminal())
            .map(CommandStatus::as_str)
            .collect();
        assert_eq!(
            terminal,
            ["success", "failed", "timeout", "canceled", "aborted"]
        );
        assert_eq!(
            CommandStatus::parse("weird"),
            CommandStatus::Other("weird".into())
        );
        let command: Command =
            serde_json::from_value(json!({"url": null, "status": null})).unwrap();
        assert_eq!(serde_json::to_value(&command).unwrap()["url"], Value::Null);
    }
}
