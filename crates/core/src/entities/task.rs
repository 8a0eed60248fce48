//! Annotation and QA tasks (OAS `APITask`, PKG `entities/task.py`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::lenient;
use crate::dql::{DqlError, Query};

/// A task's kind: `"annotation"` or `"qa"` (`spec.type`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskType {
    /// An annotation (labeling) task.
    #[default]
    Annotation,
    /// A QA (review) task over the items of a parent annotation task.
    Qa,
}

impl TaskType {
    /// `"annotation"` or `"qa"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskType::Annotation => "annotation",
            TaskType::Qa => "qa",
        }
    }

    /// The type for `"annotation"` / `"qa"`.
    pub fn parse(text: &str) -> Option<TaskType> {
        match text {
            "annotation" => Some(TaskType::Annotation),
            "qa" => Some(TaskType::Qa),
            _ => None,
        }
    }
}

/// A task's priority, sent as the integer 1, 2 or 3 (PKG `TaskPriority`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// 1.
    Low = 1,
    /// 2, the SDK's default.
    #[default]
    Medium = 2,
    /// 3.
    High = 3,
}

impl Priority {
    /// All priorities, lowest first.
    pub const ALL: [Priority; 3] = [Priority::Low, Priority::Medium, Priority::High];

    /// 1, 2 or 3.
    pub fn as_number(self) -> u8 {
        self as u8
    }

    /// The priority for 1, 2 or 3.
    pub fn from_number(n: f64) -> Option<Priority> {
        Priority::ALL
            .into_iter()
            .find(|p| f64::from(p.as_number()) == n)
    }

    /// Reads a priority the way a task from the hosted platform may carry it: unknown values
    /// and `null` fall back to Medium.
    pub(crate) fn deserialize_lenient<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Priority, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Ok(value
            .as_f64()
            .and_then(Priority::from_number)
            .unwrap_or_default())
    }
}

impl Serialize for Priority {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.as_number())
    }
}

impl<'de> Deserialize<'de> for Priority {
    /// Accepts 1, 2 or 3 only.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        value
            .as_f64()
            .and_then(Priority::from_number)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "priority must be 1, 2 or 3, got {}",
                    crate::shorten(&value.to_string(), crate::MAX_QUOTED_CHARS)
                ))
            })
    }
}

/// A task's status (OAS `TaskStatus`); unknown strings are kept as `Other`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    /// `"open"`.
    #[default]
    Open,
    /// `"in progress"`.
    InProgress,
    /// `"completed"`.
    Completed,
    /// `"completed with issues"`.
    CompletedWithIssues,
    /// `"dismissed"`.
    Dismissed,
    /// Any other status string, kept verbatim.
    Other(String),
}

impl TaskStatus {
    const KNOWN: [TaskStatus; 5] = [
        TaskStatus::Open,
        TaskStatus::InProgress,
        TaskStatus::Completed,
        TaskStatus::CompletedWithIssues,
        TaskStatus::Dismissed,
    ];

    /// The platform's spelling, e.g. `"completed with issues"`.
    pub fn as_str(&self) -> &str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::InProgress => "in progress",
            TaskStatus::Completed => "completed",
            TaskStatus::CompletedWithIssues => "completed with issues",
            TaskStatus::Dismissed => "dismissed",
            TaskStatus::Other(other) => other,
        }
    }

    /// The status for a platform string; unknown strings become `Other`.
    pub fn parse(text: &str) -> TaskStatus {
        TaskStatus::KNOWN
            .into_iter()
            .find(|status| status.as_str() == text)
            .unwrap_or_else(|| TaskStatus::Other(text.to_owned()))
    }
}

impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TaskStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TaskStatus {
    /// `null` reads as `open`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<String>::deserialize(deserializer)?
            .map(|text| TaskStatus::parse(&text))
            .unwrap_or_default())
    }
}

/// A status annotators can give an item in a task (`dl.ItemAction`), serialized as the SDK
/// does: `{"action", "color", "displayName", "icon"?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "ItemActionJson")]
pub struct ItemAction {
    /// The status name recorded on the item, e.g. `"completed"`.
    pub action: String,
    /// The button colour; the SDK's default is `#FFFFFF`.
    pub color: String,
    /// The button text; the SDK defaults it to `action`.
    pub display_name: String,
    /// An optional icon name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
}

/// The wire form of [`ItemAction`], before the SDK's defaults are applied.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct ItemActionJson {
    #[serde(deserialize_with = "lenient::or_default")]
    action: String,
    display_name: Option<String>,
    color: Option<String>,
    icon: Option<String>,
}

impl From<ItemActionJson> for ItemAction {
    /// Applies the defaults of `ItemAction.from_json`: empty values are as good as missing.
    fn from(json: ItemActionJson) -> Self {
        let non_empty = |text: Option<String>| text.filter(|t| !t.is_empty());
        ItemAction {
            display_name: non_empty(json.display_name).unwrap_or_else(|| json.action.clone()),
            color: non_empty(json.color).unwrap_or_else(|| ItemAction::DEFAULT_COLOR.to_owned()),
            icon: non_empty(json.icon),
            action: json.action,
        }
    }
}

impl ItemAction {
    /// The SDK's default colour.
    pub const DEFAULT_COLOR: &'static str = "#FFFFFF";

    /// `dl.ItemAction(action)`: display name = action, colour `#FFFFFF`, no icon.
    pub fn new(action: impl Into<String>) -> ItemAction {
        let action = action.into();
        ItemAction {
            display_name: action.clone(),
            color: ItemAction::DEFAULT_COLOR.to_owned(),
            icon: None,
            action,
        }
    }

    /// The statuses the platform gives a task created without `availableActions`:
    /// `completed` and `discard` for annotation tasks, `approved` and `discard` for QA
    /// (SDK docstrings, contract §2).
    pub fn defaults_for(task_type: TaskType) -> Vec<ItemAction> {
        let first = match task_type {
            TaskType::Annotation => "completed",
            TaskType::Qa => "approved",
        };
        vec![ItemAction::new(first), ItemAction::new("discard")]
    }
}

/// `spec` of a task: `{"type": "annotation"|"qa", "parentTaskId"?: "…"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaskSpec {
    /// The task type.
    #[serde(rename = "type")]
    pub task_type: TaskType,
    /// The parent annotation task of a QA task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_task_id: Option<String>,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `metadata.system` of a task: pulling and consensus settings (contract §1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaskSystemMetadata {
    /// Who may pull batches (pulling tasks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_assignees: Option<Vec<String>>,
    /// Items per pulled batch (pulling tasks).
    #[serde(
        deserialize_with = "lenient::optional_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub batch_size: Option<u32>,
    /// The most items an assignee may hold (pulling tasks).
    #[serde(
        deserialize_with = "lenient::optional_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_batch_workload: Option<u32>,
    /// `consensus`, `qualification` or `honeypot`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consensus_task_type: Option<String>,
    /// The percentage of items copied to several assignees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consensus_percentage: Option<f64>,
    /// Assignees per consensus item.
    #[serde(
        deserialize_with = "lenient::optional_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub consensus_assignees: Option<u32>,
    /// Whether a scoring app is created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scoring: Option<bool>,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `metadata` of a task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaskMetadata {
    /// `metadata.system`, always printed (`{"system": {}}` when empty, as the platform does).
    #[serde(deserialize_with = "lenient::or_default")]
    pub system: TaskSystemMetadata,
    /// Every other field (the user's metadata), kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Item counts of a task or assignment by status (OAS `ItemStatus`):
/// `{"completed": 3, "remaining": 7, …}`; other keys (per-status counts, `actions`) are kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ItemStatusCounts {
    /// Items with a final status.
    #[serde(deserialize_with = "lenient::count")]
    pub completed: u64,
    /// Items without one.
    #[serde(deserialize_with = "lenient::count")]
    pub remaining: u64,
    /// Every other key, e.g. `"discard": 2` or `"actions": {…}`.
    #[serde(flatten)]
    pub others: Map<String, Value>,
}

impl ItemStatusCounts {
    /// The count stored under `status` (`completed`, `remaining` or any other key); 0 when
    /// absent or not a number.
    pub fn count(&self, status: &str) -> u64 {
        match status {
            "completed" => self.completed,
            "remaining" => self.remaining,
            other => self.others.get(other).and_then(Value::as_u64).unwrap_or(0),
        }
    }

    /// Sets the count stored under `status`.
    pub fn set_count(&mut self, status: &str, count: u64) {
        match status {
            "completed" => self.completed = count,
            "remaining" => self.remaining = count,
            other => {
                self.others.insert(other.to_owned(), Value::from(count));
            }
        }
    }
}

/// An annotation or QA task: every field the SDK reads (PKG `Task.from_json`) plus OAS
/// `APITask`'s required ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Task {
    /// The task id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub id: String,
    /// The task's API URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The task name.
    #[serde(deserialize_with = "lenient::or_default")]
    pub name: String,
    /// The creator's e-mail (a QA task created by the SDK is owned by its parent's creator).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    /// The owner's e-mail.
    pub task_owner: Option<String>,
    /// The project id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub project_id: String,
    /// The dataset id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub dataset_id: String,
    /// The recipe id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub recipe_id: String,
    /// The items query as a DQL JSON *string*; see [`Task::parsed_query`].
    #[serde(deserialize_with = "lenient::or_default")]
    pub query: String,
    /// The due date in epoch milliseconds (a float, returned as received).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<f64>,
    /// The type and parent task.
    #[serde(deserialize_with = "lenient::or_default")]
    pub spec: TaskSpec,
    /// Whether the task has a parent (QA tasks).
    #[serde(deserialize_with = "lenient::or_default")]
    pub has_parent: bool,
    /// 1, 2 or 3; unknown values read as Medium.
    #[serde(deserialize_with = "Priority::deserialize_lenient")]
    pub priority: Priority,
    /// The task status.
    pub status: TaskStatus,
    /// One assignment per assignee, created by the server.
    #[serde(deserialize_with = "lenient::or_default")]
    pub assignment_ids: Vec<String>,
    /// The statuses annotators can set; empty means the platform's defaults.
    #[serde(
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub available_actions: Vec<ItemAction>,
    /// The metadata, with the pulling/consensus settings in `system`.
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: TaskMetadata,
    /// The number of items in the task.
    #[serde(deserialize_with = "lenient::count")]
    pub total_items: u64,
    /// Item counts by status.
    #[serde(deserialize_with = "lenient::or_default")]
    pub item_status: ItemStatusCounts,
    /// Percent done, 0–100.
    #[serde(deserialize_with = "lenient::number")]
    pub progress: f64,
    /// Items waiting for review.
    #[serde(deserialize_with = "lenient::count")]
    pub for_review: u64,
    /// Open issues.
    #[serde(deserialize_with = "lenient::count")]
    pub issues: u64,
    /// The annotation-status summary, if the platform sends one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation_status: Option<Value>,
    /// The description, `{"content": "…", …}` on the platform.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Value>,
    /// ISO creation time.
    #[serde(deserialize_with = "lenient::timestamp")]
    pub created_at: String,
    /// ISO update time.
    #[serde(deserialize_with = "lenient::timestamp")]
    pub updated_at: String,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Task {
    /// The task type from `spec.type`.
    pub fn task_type(&self) -> TaskType {
        self.spec.task_type
    }

    /// Whether this is a QA task.
    pub fn is_qa(&self) -> bool {
        self.spec.task_type == TaskType::Qa
    }

    /// The parent annotation task of a QA task.
    pub fn parent_task_id(&self) -> Option<&str> {
        self.spec.parent_task_id.as_deref()
    }

    /// The items query, parsed leniently from the `query` string.
    pub fn parsed_query(&self) -> Result<Query, DqlError> {
        Query::parse_str_lenient(&self.query)
    }

    /// The statuses annotators can set: `availableActions`, or the platform's defaults for
    /// the task type when there are none.
    pub fn effective_actions(&self) -> Vec<ItemAction> {
        if self.available_actions.is_empty() {
            ItemAction::defaults_for(self.spec.task_type)
        } else {
            self.available_actions.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_live_task() {
        let value = json!({"id": "900399764efb45d6ad907210", "name": "test_task1", "status": "open",
            "projectId": "6000000000000000000000a1", "datasetId": "6000000000000000000000b1",
            "recipeId": "6000000000000000000000c1",
            "query": "{\"filter\": {\"$and\": [{\"hidden\": false}, {\"type\": \"file\"}, {\"dir\": \"/folder1\"}]}, \"page\": 0, \"pageSize\": 1000, \"resource\": \"items\"}",
            "taskOwner": "owner@example.com", "creator": "owner@example.com", "dueDate": 1899417600000.0,
            "spec": {"type": "annotation"}, "priority": 2, "metadata": {"system": {}},
            "assignmentIds": ["7c68", "0117"], "itemStatus": {"completed": 1, "remaining": 2, "discard": 1},
            "annotationStatus": null, "customThing": [1]});
        let task: Task = serde_json::from_value(value).unwrap();
        assert_eq!(task.task_type(), TaskType::Annotation);
        assert_eq!(task.due_date, Some(1_899_417_600_000.0));
        assert_eq!(task.item_status.count("discard"), 1);
        assert_eq!(task.item_status.count("remaining"), 2);
        assert_eq!(task.parsed_query().unwrap().and_clauses().len(), 3);
        assert_eq!(
            task.effective_actions(),
            ItemAction::defaults_for(TaskType::Annotation)
        );
        let back = serde_json::to_value(&task).unwrap();
        assert_eq!(back["metadata"], json!({"system": {}}));
        assert_eq!(back["dueDate"], json!(1_899_417_600_000.0));
        assert_eq!(back["status"], json!("open"));
        assert_eq!(back["customThing"], json!([1]));
        assert_eq!(
            back["itemStatus"],
            json!({"completed": 1, "remaining": 2, "discard": 1})
        );
    }

    #[test]
    fn qa_task_and_pulling_metadata() {
        let task: Task = serde_json::from_value(json!({
            "id": "q", "spec": {"type": "qa", "parentTaskId": "p"}, "hasParent": true,
            "priority": 7, "status": "completed with issues",
            "metadata": {"system": {"batchSize": 5, "maxBatchWorkload": 7.0, "allowedAssignees": ["a@x"],
                                    "scoring": false, "locked": true}, "user": {"k": 1}},
            "totalItems": 10.0, "progress": null, "forReview": 2, "issues": 0,
            "createdAt": 1_704_067_200_000u64
        }))
        .unwrap();
        assert!(task.is_qa());
        assert_eq!(task.parent_task_id(), Some("p"));
        assert_eq!(task.priority, Priority::Medium);
        assert_eq!(task.status, TaskStatus::CompletedWithIssues);
        assert_eq!(task.metadata.system.batch_size, Some(5));
        assert_eq!(task.metadata.system.max_batch_workload, Some(7));
        assert_eq!(task.metadata.system.extra["locked"], json!(true));
        assert_eq!(task.metadata.extra["user"], json!({"k": 1}));
        assert_eq!(task.total_items, 10);
        assert_eq!(task.created_at, "2024-01-01T00:00:00.000Z");
        assert_eq!(task.effective_actions()[0].action, "approved");
    }

    #[test]
    fn item_actions_follow_the_sdk() {
        let action = ItemAction::new("done");
        assert_eq!(
            serde_json::to_string(&action).unwrap(),
            r##"{"action":"done","color":"#FFFFFF","displayName":"done"}"##
        );
        let discard: ItemAction = serde_json::from_value(
            json!({"action": "discard", "color": "#FF0000", "displayName": "Discard", "icon": "x"}),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&discard).unwrap(),
            r##"{"action":"discard","color":"#FF0000","displayName":"Discard","icon":"x"}"##
        );
        let bare: ItemAction =
            serde_json::from_value(json!({"action": "to-check", "displayName": "", "icon": ""}))
                .unwrap();
        assert_eq!(bare, ItemAction::new("to-check"));
    }

    #[test]
    fn priorities_and_statuses() {
        assert_eq!(serde_json::to_value(Priority::High).unwrap(), json!(3));
        assert_eq!(
            serde_json::from_value::<Priority>(json!(1)).unwrap(),
            Priority::Low
        );
        assert_eq!(
            serde_json::from_value::<Priority>(json!(2.0)).unwrap(),
            Priority::Medium
        );
        assert!(serde_json::from_value::<Priority>(json!(4)).is_err());
        for text in [
            "open",
            "in progress",
            "completed",
            "completed with issues",
            "dismissed",
            "paused",
        ] {
            let status: TaskStatus = serde_json::from_value(json!(text)).unwrap();
            assert_eq!(serde_json::to_value(&status).unwrap(), json!(text));
        }
        assert_eq!(TaskType::parse("qa"), Some(TaskType::Qa));
        assert_eq!(TaskType::parse("consensus"), None);
    }
}
