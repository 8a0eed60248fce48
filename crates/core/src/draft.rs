//! The task-creation form's state and the `POST /annotationtasks` body it becomes.
//!
//! The app edits a [`TaskDraft`] (and saves it to localStorage through serde), validates it
//! with [`crate::validate::validate`] and sends [`TaskDraft::to_payload`], which is the body
//! the Python SDK sends for the same task (contract §1–§3), key order included. The server
//! reads that body into a [`CreateTaskPayload`], turns it back into a draft with
//! [`CreateTaskPayload::to_draft`] and runs the very same validation.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::dql::{FilterNode, Operator, Query};
use crate::error::{shorten, FieldError, MAX_QUOTED_CHARS};
use crate::validate::{self, codes, ValidationContext};
use crate::workload::equal_split;

pub use crate::entities::{ItemAction, Priority, TaskType};

/// How the task's items are split between assignees.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", content = "loads", rename_all = "camelCase")]
pub enum WorkloadMode {
    /// The SDK's default integer split ([`crate::workload::equal_split`]).
    #[default]
    Equal,
    /// Custom percentages, one per assignee in the same order; they must sum to 100.
    Custom(Vec<f64>),
}

/// How assignees receive items (contract §1, "pulling").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "method",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Allocation {
    /// Items are dealt out up front by the workload percentages.
    #[default]
    Distribution,
    /// Assignees pull batches from a shared queue.
    Pulling {
        /// Items per batch, 3–100.
        batch_size: u32,
        /// The most items one assignee may hold, from `batch_size + 2` to `2 × batch_size`.
        max_batch_workload: u32,
    },
}

/// The state of the task-creation form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaskDraft {
    /// Annotation or QA.
    pub task_type: TaskType,
    /// The task name as typed; [`TaskDraft::trimmed_name`] is what is validated and sent.
    pub name: String,
    /// The due date in epoch milliseconds (the SDK's `dueDate`); required.
    pub due_date_ms: Option<f64>,
    /// Low, Medium (default) or High.
    pub priority: Priority,
    /// The assignees' e-mails, in order.
    pub assignees: Vec<String>,
    /// Equal or custom percentages.
    pub workload: WorkloadMode,
    /// Distribution or pulling.
    pub allocation: Allocation,
    /// Custom item statuses; empty means the platform's defaults.
    pub statuses: Vec<ItemAction>,
    /// The items query the filter builder edits. For a QA task this excludes the parent
    /// clause, which [`TaskDraft::effective_query`] adds.
    pub query: Query,
    /// The parent annotation task of a QA task.
    pub parent_task_id: Option<String>,
    /// The parent's name, for display only (never sent).
    pub parent_task_name: Option<String>,
    /// The owner's e-mail (`taskOwner`); `null` is sent when unknown.
    pub owner: Option<String>,
    /// The project id.
    pub project_id: String,
    /// The dataset id.
    pub dataset_id: String,
    /// The recipe id (the dataset's first recipe by default).
    pub recipe_id: String,
    /// Create the task without items (`emptyTask`, OAS `TaskPayload`).
    pub empty_task: bool,
}

/// The clause `create_qa_task` appends to a QA task's query: items that have *any* status
/// in the parent task (contract §2):
/// `{"metadata.system.refs": {"$match": {"id": <parent>, "type": "task", "metadata": {"status": {"$exists": true}}}}}`.
pub fn qa_source_clause(parent_task_id: &str) -> FilterNode {
    FilterNode::condition(
        "metadata.system.refs",
        Operator::Match,
        json!({"id": parent_task_id, "type": "task", "metadata": {"status": {"$exists": true}}}),
    )
}

impl TaskDraft {
    /// An empty annotation-task draft for a dataset, with the default items query.
    pub fn new(
        project_id: impl Into<String>,
        dataset_id: impl Into<String>,
        recipe_id: impl Into<String>,
    ) -> TaskDraft {
        TaskDraft {
            project_id: project_id.into(),
            dataset_id: dataset_id.into(),
            recipe_id: recipe_id.into(),
            ..TaskDraft::default()
        }
    }

    /// A QA draft for `parent` as `create_qa_task` prepares it: named `<parent>_qa`, owned by
    /// the parent's creator, in the parent's project, dataset and recipe.
    pub fn qa_of(parent: &crate::entities::Task) -> TaskDraft {
        TaskDraft {
            task_type: TaskType::Qa,
            name: format!("{}_qa", parent.name),
            parent_task_id: Some(parent.id.clone()),
            parent_task_name: Some(parent.name.clone()),
            owner: parent.creator.clone(),
            ..TaskDraft::new(
                parent.project_id.clone(),
                parent.dataset_id.clone(),
                parent.recipe_id.clone(),
            )
        }
    }

    /// The name without leading and trailing whitespace: validation checks this, and it is
    /// what the payload carries (so a stray space typed at the end is not an error).
    pub fn trimmed_name(&self) -> &str {
        self.name.trim()
    }

    /// Each assignee's percentage: the equal split, or the custom loads.
    pub fn loads(&self) -> Vec<f64> {
        match &self.workload {
            WorkloadMode::Equal => equal_split(self.assignees.len())
                .into_iter()
                .map(f64::from)
                .collect(),
            WorkloadMode::Custom(loads) => loads.clone(),
        }
    }

    /// The query the task is created with: [`TaskDraft::query`], plus for a QA task with a
    /// parent the [`qa_source_clause`] appended to the top-level `$and` (unless it is there
    /// already, so a draft read back from a payload does not get it twice).
    pub fn effective_query(&self) -> Query {
        let mut query = self.query.clone();
        if let (TaskType::Qa, Some(parent)) = (self.task_type, &self.parent_task_id) {
            let clause = qa_source_clause(parent);
            if !query.and_clauses().contains(&clause) {
                query.push_and(clause);
            }
        }
        query
    }

    /// The body of `POST /annotationtasks`, as the SDK builds it: `name, query` (a JSON
    /// string in Python's layout), `taskOwner, spec {type, parentTaskId?}, datasetId,
    /// projectId, assignmentIds: [], recipeId, dueDate` (ms, a float), `asynced: true,
    /// priority`, then `workload` (when there are assignees), `availableActions` (when there
    /// are custom statuses), `metadata.system {allowedAssignees, batchSize, maxBatchWorkload,
    /// scoring: false}` (pulling) and `emptyTask: true` (when set).
    pub fn to_payload(&self) -> Value {
        let mut spec = Map::new();
        spec.insert("type".into(), Value::from(self.task_type.as_str()));
        if let Some(parent) = &self.parent_task_id {
            spec.insert("parentTaskId".into(), Value::from(parent.as_str()));
        }
        let mut body = Map::new();
        body.insert("name".into(), Value::from(self.trimmed_name()));
        body.insert(
            "query".into(),
            Value::from(self.effective_query().to_python_string()),
        );
        body.insert("taskOwner".into(), self.owner.clone().into());
        body.insert("spec".into(), Value::Object(spec));
        body.insert("datasetId".into(), Value::from(self.dataset_id.as_str()));
        body.insert("projectId".into(), Value::from(self.project_id.as_str()));
        body.insert("assignmentIds".into(), json!([]));
        body.insert("recipeId".into(), Value::from(self.recipe_id.as_str()));
        body.insert("dueDate".into(), self.due_date_ms.into());
        body.insert("asynced".into(), Value::Bool(true));
        body.insert("priority".into(), Value::from(self.priority.as_number()));
        if !self.assignees.is_empty() {
            // Custom loads may not match the assignees one to one; validation reports that,
            // the payload pads with 0.
            let loads = self.loads();
            let units = self
                .assignees
                .iter()
                .enumerate()
                .map(|(i, assignee)| {
                    let load = whole_as_integer(loads.get(i).copied().unwrap_or(0.0));
                    json!({"assigneeId": assignee, "load": load})
                })
                .collect();
            body.insert("workload".into(), Value::Array(units));
        }
        if !self.statuses.is_empty() {
            let actions = serde_json::to_value(&self.statuses).expect("item actions serialize");
            body.insert("availableActions".into(), actions);
        }
        if let Allocation::Pulling {
            batch_size,
            max_batch_workload,
        } = &self.allocation
        {
            body.insert(
                "metadata".into(),
                json!({"system": {
                    "allowedAssignees": self.assignees,
                    "batchSize": batch_size,
                    "maxBatchWorkload": max_batch_workload,
                    "scoring": false,
                }}),
            );
        }
        if self.empty_task {
            body.insert("emptyTask".into(), Value::Bool(true));
        }
        Value::Object(body)
    }
}

/// A number as the SDK's JSON has it where Python code passes integers (loads, priority,
/// limit): whole values as integers (`50`), others as floats (`12.5`).
fn whole_as_integer(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        Value::from(number as i64)
    } else {
        Value::from(number)
    }
}

fn serialize_whole<S: serde::Serializer>(number: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    whole_as_integer(*number).serialize(serializer)
}

fn serialize_optional_whole<S: serde::Serializer>(
    number: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    number.map(whole_as_integer).serialize(serializer)
}

/// `spec` of a create-task body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PayloadSpec {
    /// `"annotation"` or `"qa"`; anything else is reported by [`CreateTaskPayload::to_draft`].
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub task_type: Option<String>,
    /// The parent task of a QA task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_task_id: Option<String>,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One entry of `workload`: `{"assigneeId": "<email>", "load": 50}` (PKG `WorkloadUnit`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkloadUnit {
    /// The assignee's e-mail.
    pub assignee_id: String,
    /// The percentage of items (printed as an integer when whole, like the SDK's).
    #[serde(serialize_with = "serialize_whole")]
    pub load: f64,
}

/// The body of `POST /annotationtasks` as the server receives it, read leniently so that
/// problems become validation errors instead of deserialization failures: every field is
/// optional and unknown fields are kept in `extra`. Fields are declared (and so printed) in
/// the SDK's order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateTaskPayload {
    /// The task name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The DQL query: a JSON string as the SDK sends it (a JSON object is accepted too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<Value>,
    /// The owner's e-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_owner: Option<String>,
    /// The type and parent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<PayloadSpec>,
    /// The dataset id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset_id: Option<String>,
    /// The project id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// Existing assignments (always `[]` from the SDK).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignment_ids: Option<Vec<String>>,
    /// The recipe id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipe_id: Option<String>,
    /// The due date in epoch milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<f64>,
    /// The SDK's `wait` flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asynced: Option<bool>,
    /// 1, 2 or 3.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_optional_whole"
    )]
    pub priority: Option<f64>,
    /// `{"query": <tasks query>}`: return an existing task matching it instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_if_exist: Option<Value>,
    /// Per-assignee percentages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<Vec<WorkloadUnit>>,
    /// The most items the task may include.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_optional_whole"
    )]
    pub limit: Option<f64>,
    /// Custom item statuses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_actions: Option<Vec<ItemAction>>,
    /// Skip the WEBM conversion of videos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_webm: Option<bool>,
    /// Task metadata; `system` holds the pulling and consensus settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Create the task without items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty_task: Option<bool>,
    /// Sent by `create_consensus_task`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percentage: Option<bool>,
    /// `{"content": "…"}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Value>,
    /// An initial status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CreateTaskPayload {
    /// The draft this body describes, plus the problems of the body's *shape* (a query that
    /// is not valid DQL, an unknown task type, a priority other than 1–3, non-integer pulling
    /// settings). Broken parts take their defaults in the returned draft, so the server can
    /// still run [`validate::validate`] on it and answer with every problem at once; see
    /// [`CreateTaskPayload::validate`].
    ///
    /// A missing `workload` takes the assignees from `metadata.system.allowedAssignees`;
    /// loads equal to the SDK's equal split read as [`WorkloadMode::Equal`]. Fields a draft
    /// does not model (user metadata, `limit`, consensus settings …) stay in the payload.
    pub fn to_draft(&self) -> (TaskDraft, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut draft = TaskDraft {
            name: self.name.clone().unwrap_or_default(),
            due_date_ms: self.due_date,
            owner: self.task_owner.clone(),
            project_id: self.project_id.clone().unwrap_or_default(),
            dataset_id: self.dataset_id.clone().unwrap_or_default(),
            recipe_id: self.recipe_id.clone().unwrap_or_default(),
            statuses: self.available_actions.clone().unwrap_or_default(),
            empty_task: self.empty_task.unwrap_or(false),
            ..TaskDraft::default()
        };

        match &self.query {
            None => errors.push(FieldError::new(
                "query",
                codes::QUERY_REQUIRED,
                "The task needs an items query.",
            )),
            Some(query) => {
                let parsed = match query {
                    Value::String(text) => Query::parse_str(text),
                    other => Query::parse(other),
                };
                match parsed {
                    Ok(query) => draft.query = query,
                    Err(e) => errors.push(FieldError::new(
                        "query",
                        codes::QUERY_INVALID,
                        format!(
                            "The items query is not valid DQL: {}",
                            shorten(&e.to_string(), MAX_QUOTED_CHARS)
                        ),
                    )),
                }
            }
        }

        if let Some(spec) = &self.spec {
            draft.parent_task_id = spec.parent_task_id.clone();
            if let Some(kind) = &spec.task_type {
                match TaskType::parse(kind) {
                    Some(task_type) => draft.task_type = task_type,
                    None => errors.push(FieldError::new(
                        "taskType",
                        codes::TASK_TYPE_INVALID,
                        format!(
                            "Unknown task type \"{}\"; use \"annotation\" or \"qa\".",
                            shorten(kind, MAX_QUOTED_CHARS)
                        ),
                    )),
                }
            }
        }

        if let Some(priority) = self.priority {
            match Priority::from_number(priority) {
                Some(priority) => draft.priority = priority,
                None => errors.push(FieldError::new(
                    "priority",
                    codes::PRIORITY_INVALID,
                    format!("The priority must be 1, 2 or 3, not {priority}."),
                )),
            }
        }

        let system = self
            .metadata
            .as_ref()
            .and_then(|metadata| metadata.get("system"))
            .and_then(Value::as_object);
        match &self.workload {
            Some(units) => {
                draft.assignees = units.iter().map(|u| u.assignee_id.clone()).collect();
                let loads: Vec<f64> = units.iter().map(|u| u.load).collect();
                let equal: Vec<f64> = equal_split(loads.len())
                    .into_iter()
                    .map(f64::from)
                    .collect();
                draft.workload = if loads == equal {
                    WorkloadMode::Equal
                } else {
                    WorkloadMode::Custom(loads)
                };
            }
            None => {
                draft.assignees = system
                    .and_then(|system| system.get("allowedAssignees"))
                    .and_then(Value::as_array)
                    .map(|list| {
                        list.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
            }
        }

        if let Some(system) = system {
            let batch = system.get("batchSize");
            let max = system.get("maxBatchWorkload");
            if batch.is_some() || max.is_some() {
                let mut setting = |value: Option<&Value>, field: &str, code: &str| -> u32 {
                    let Some(value) = value else { return 0 };
                    let number = value.as_f64().filter(|n| *n >= 0.0);
                    if number.is_none_or(|n| n.fract() != 0.0) {
                        errors.push(FieldError::new(
                            field,
                            code,
                            format!(
                                "{field} must be a whole number, not {}.",
                                shorten(&value.to_string(), MAX_QUOTED_CHARS)
                            ),
                        ));
                    }
                    // A fraction is reported above and truncated here, so that the range
                    // check does not report the same field a second time.
                    number.map_or(0, |n| n.min(f64::from(u32::MAX)) as u32)
                };
                draft.allocation = Allocation::Pulling {
                    batch_size: setting(batch, "batchSize", codes::BATCH_SIZE_INVALID),
                    max_batch_workload: setting(
                        max,
                        "maxBatchWorkload",
                        codes::MAX_BATCH_WORKLOAD_INVALID,
                    ),
                };
            }
        }

        (draft, errors)
    }

    /// Reads and validates the body in one go: the draft when everything is valid, else
    /// every problem (shape and [`validate::validate`] rules together).
    pub fn validate(&self, ctx: &ValidationContext<'_>) -> Result<TaskDraft, Vec<FieldError>> {
        let (draft, mut errors) = self.to_draft();
        errors.extend(validate::validate(&draft, ctx));
        if errors.is_empty() {
            Ok(draft)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests;
