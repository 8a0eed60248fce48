//! Assignments: one assignee's share of a task (OAS `APIAssignment`, PKG `entities/assignment.py`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::{lenient, ItemStatusCounts};

/// An assignment's status (OAS `AssignmentStatus`); unknown strings are kept as `Other`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum AssignmentStatus {
    /// `"todo"`.
    #[default]
    Todo,
    /// `"in progress"`.
    InProgress,
    /// `"done"`.
    Done,
    /// `"completed with issues"`.
    CompletedWithIssues,
    /// Any other status string, kept verbatim.
    Other(String),
}

impl AssignmentStatus {
    const KNOWN: [AssignmentStatus; 4] = [
        AssignmentStatus::Todo,
        AssignmentStatus::InProgress,
        AssignmentStatus::Done,
        AssignmentStatus::CompletedWithIssues,
    ];

    /// The platform's spelling, e.g. `"in progress"`.
    pub fn as_str(&self) -> &str {
        match self {
            AssignmentStatus::Todo => "todo",
            AssignmentStatus::InProgress => "in progress",
            AssignmentStatus::Done => "done",
            AssignmentStatus::CompletedWithIssues => "completed with issues",
            AssignmentStatus::Other(other) => other,
        }
    }

    /// The status for a platform string; unknown strings become `Other`.
    pub fn parse(text: &str) -> AssignmentStatus {
        AssignmentStatus::KNOWN
            .into_iter()
            .find(|status| status.as_str() == text)
            .unwrap_or_else(|| AssignmentStatus::Other(text.to_owned()))
    }
}

impl fmt::Display for AssignmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for AssignmentStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AssignmentStatus {
    /// `null` reads as `todo`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<String>::deserialize(deserializer)?
            .map(|text| AssignmentStatus::parse(&text))
            .unwrap_or_default())
    }
}

/// `metadata.system` of an assignment: the task and dataset it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AssignmentSystemMetadata {
    /// The task id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// The dataset id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset_id: Option<String>,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `metadata` of an assignment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AssignmentMetadata {
    /// `metadata.system`.
    #[serde(deserialize_with = "lenient::or_default")]
    pub system: AssignmentSystemMetadata,
    /// Every other field, kept (the SDK also looks for `taskId`/`datasetId` here).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One assignee's share of a task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Assignment {
    /// The assignment id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub id: String,
    /// The assignment name.
    #[serde(deserialize_with = "lenient::or_default")]
    pub name: String,
    /// The assignee's e-mail.
    #[serde(deserialize_with = "lenient::or_default")]
    pub annotator: String,
    /// The assignment status.
    pub status: AssignmentStatus,
    /// The project id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub project_id: String,
    /// The assignment's API URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Item counts by status.
    #[serde(deserialize_with = "lenient::or_default")]
    pub item_status: ItemStatusCounts,
    /// The number of items assigned.
    #[serde(deserialize_with = "lenient::count")]
    pub total_items: u64,
    /// Percent done, 0–100.
    #[serde(deserialize_with = "lenient::number")]
    pub progress: f64,
    /// The assignee's share of the task in percent, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<f64>,
    /// The metadata with the task and dataset ids.
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: AssignmentMetadata,
    /// ISO creation time.
    #[serde(
        deserialize_with = "lenient::timestamp",
        skip_serializing_if = "String::is_empty"
    )]
    pub created_at: String,
    /// ISO update time.
    #[serde(
        deserialize_with = "lenient::timestamp",
        skip_serializing_if = "String::is_empty"
    )]
    pub updated_at: String,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Assignment {
    /// The task id, from `metadata.system.taskId` or else `metadata.taskId` (as the SDK reads it).
    pub fn task_id(&self) -> Option<&str> {
        self.metadata
            .system
            .task_id
            .as_deref()
            .or_else(|| self.metadata.extra.get("taskId").and_then(Value::as_str))
    }

    /// The dataset id, from `metadata.system.datasetId` or else `metadata.datasetId`.
    pub fn dataset_id(&self) -> Option<&str> {
        self.metadata
            .system
            .dataset_id
            .as_deref()
            .or_else(|| self.metadata.extra.get("datasetId").and_then(Value::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn task_and_dataset_ids_from_either_place() {
        let a: Assignment = serde_json::from_value(json!({
            "id": "a1", "name": "t-a1", "annotator": "annotator1@example.com", "status": "in progress",
            "projectId": "p", "itemStatus": {"completed": 1, "remaining": 4}, "totalItems": 5, "progress": 20,
            "metadata": {"system": {"taskId": "t"}, "datasetId": "d"}, "taskType": "annotation"
        }))
        .unwrap();
        assert_eq!(a.status, AssignmentStatus::InProgress);
        assert_eq!(a.task_id(), Some("t"));
        assert_eq!(a.dataset_id(), Some("d"));
        assert_eq!(a.progress, 20.0);
        let back = serde_json::to_value(&a).unwrap();
        assert_eq!(back["status"], json!("in progress"));
        assert_eq!(back["taskType"], json!("annotation"));
        assert_eq!(
            back["metadata"],
            json!({"system": {"taskId": "t"}, "datasetId": "d"})
        );
        let odd: Assignment = serde_json::from_value(json!({"status": "paused"})).unwrap();
        assert_eq!(odd.status.as_str(), "paused");
    }
}
