//! Annotation and QA tasks: `POST /annotationtasks` (answering a Command),
//! `POST /annotationtasks/query`, `GET /annotationtasks/{id}`, `DELETE /annotationtasks/{id}`.
//!
//! Creating a task evaluates its DQL query over the dataset, splits the matching items by the
//! workload, makes one assignment per workload unit and adds the task and assignment refs to
//! every item, all in one SQLite transaction (a crash never leaves half a task); the in-memory
//! items are updated only after the commit succeeded.

use annotask_core::draft::CreateTaskPayload;
use annotask_core::entities::{ItemAction, Member, Task, TaskType};
use annotask_core::python_json;
use annotask_core::validate::{self, codes, ValidationContext};
use annotask_core::workload;
use axum::extract::State;
use axum::Json;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::{json, Value};

use crate::access::{self, Role};
use crate::auth::AuthUser;
use crate::clock;
use crate::demo_seed::{Seeded, SplitMix64};
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::ids::{self, IdSequence};
use crate::item_store::{DatasetItems, TaskRef};
use crate::query::{self, ResourceQuery};
use crate::request_origin::RequestOrigin;
use crate::routes::users::{user_json, USER_COLUMNS};
use crate::routes::{commands, items};
use crate::state::AppState;

/// `availableActions` when the request names none: completed/discard for annotation tasks,
/// approved/discard for QA.
pub fn default_actions(task_type: TaskType) -> Value {
    serde_json::to_value(ItemAction::defaults_for(task_type)).expect("actions serialize")
}

/// The status names a task accepts.
pub fn action_names(task_body: &Value) -> Vec<String> {
    task_body
        .get("availableActions")
        .and_then(Value::as_array)
        .map(|actions| {
            actions
                .iter()
                .filter_map(|a| a.get("action").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Counts of an item set's statuses: `(total, per status, items without one)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub total: u64,
    pub by_status: Vec<(String, u64)>,
    pub remaining: u64,
}

impl StatusCounts {
    /// `itemStatus`: every status that is set, `completed` always, and `remaining`.
    pub fn item_status_json(&self) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("completed".into(), json!(0));
        for (status, n) in &self.by_status {
            map.insert(status.clone(), json!(n));
        }
        map.insert("remaining".into(), json!(self.remaining));
        Value::Object(map)
    }

    /// Percentage of items that have a status, rounded down.
    pub fn progress(&self) -> u64 {
        ((self.total - self.remaining) * 100)
            .checked_div(self.total)
            .unwrap_or(0)
    }

    fn statuses(&self) -> Vec<&str> {
        self.by_status.iter().map(|(s, _)| s.as_str()).collect()
    }
}

/// Status counts of a task's items, or of one assignment's (`column` is `task_id` or
/// `assignment_id`).
pub fn status_counts(conn: &Connection, column: &str, id: &str) -> rusqlite::Result<StatusCounts> {
    let sql = format!("SELECT status, COUNT(*) FROM task_items WHERE {column} = ?1 GROUP BY status ORDER BY status");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut counts = StatusCounts::default();
    let mut rows = stmt.query([id])?;
    while let Some(row) = rows.next()? {
        let status: Option<String> = row.get(0)?;
        let n: i64 = row.get(1)?;
        counts.total += n as u64;
        match status {
            Some(s) => counts.by_status.push((s, n as u64)),
            None => counts.remaining += n as u64,
        }
    }
    Ok(counts)
}

/// A task as the API answers it: the stored body plus totals, progress and status.
pub fn task_json(conn: &Connection, origin: &RequestOrigin, id: &str) -> ApiResult<Option<Value>> {
    let body: Option<String> = conn
        .prepare_cached("SELECT body FROM tasks WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let Some(body) = body else { return Ok(None) };
    let mut task: Value = serde_json::from_str(&body)
        .map_err(|e| ApiError::internal(format!("stored task {id} is corrupt: {e}")))?;
    let counts = status_counts(conn, "task_id", id)?;
    task["url"] = json!(origin.api_url(&format!("annotationtasks/{id}")));
    task["totalItems"] = json!(counts.total);
    task["itemStatus"] = counts.item_status_json();
    task["progress"] = json!(counts.progress());
    task["annotationStatus"] = json!(counts.statuses());
    task["status"] = json!(derived_status(&counts, "open", "in progress", "completed"));
    Ok(Some(task))
}

fn derived_status(
    counts: &StatusCounts,
    none: &'static str,
    some: &'static str,
    all: &'static str,
) -> &'static str {
    if counts.total > 0 && counts.remaining == 0 {
        all
    } else if counts.remaining < counts.total {
        some
    } else {
        none
    }
}

/// An assignment as the API answers it.
pub fn assignment_json(
    conn: &Connection,
    origin: &RequestOrigin,
    id: &str,
) -> ApiResult<Option<Value>> {
    let body: Option<String> = conn
        .prepare_cached("SELECT body FROM assignments WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let Some(body) = body else { return Ok(None) };
    let mut assignment: Value = serde_json::from_str(&body)
        .map_err(|e| ApiError::internal(format!("stored assignment {id} is corrupt: {e}")))?;
    let counts = status_counts(conn, "assignment_id", id)?;
    assignment["url"] = json!(origin.api_url(&format!("assignments/{id}")));
    assignment["totalItems"] = json!(counts.total);
    assignment["itemStatus"] = counts.item_status_json();
    assignment["progress"] = json!(counts.progress());
    assignment["annotationStatus"] = json!(counts.statuses());
    assignment["status"] = json!(derived_status(&counts, "todo", "in progress", "done"));
    Ok(Some(assignment))
}

/// The project and dataset of a task, if it exists.
pub fn task_location(
    conn: &Connection,
    task_id: &str,
) -> rusqlite::Result<Option<(String, String)>> {
    conn.prepare_cached("SELECT project_id, dataset_id FROM tasks WHERE id = ?1")?
        .query_row([task_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

/// A task the user may see, or 404.
fn visible_task_location(
    conn: &Connection,
    task_id: &str,
    user: &AuthUser,
) -> ApiResult<(String, String, Role)> {
    let not_found = || ApiError::not_found(format!("annotation task {task_id} not found"));
    let (project_id, dataset_id) = task_location(conn, task_id)?.ok_or_else(not_found)?;
    let role = access::project_role(conn, &project_id, &user.id).map_err(|_| not_found())?;
    Ok((project_id, dataset_id, role))
}

/// Everything needed to write a new task, once the request has been checked.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub id: String,
    pub body: Value,
    pub dataset_id: String,
    pub project_id: String,
    pub name: String,
    /// `(assignment id, annotator email, item ids)` per workload unit.
    pub assignments: Vec<(String, String, Vec<String>)>,
}

/// Writes a task, its assignments and its item refs inside `tx`.
pub fn write_task(
    tx: &Transaction<'_>,
    task: &NewTask,
    creator: &str,
    now: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO tasks (id, project_id, dataset_id, name, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            task.id,
            task.project_id,
            task.dataset_id,
            task.name,
            task.body.to_string()
        ],
    )?;
    let mut insert_assignment = tx.prepare_cached(
        "INSERT INTO assignments (id, task_id, annotator, body) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut insert_item =
        tx.prepare_cached("INSERT INTO task_items (task_id, item_id, assignment_id, status) VALUES (?1, ?2, ?3, NULL)")?;
    for (assignment_id, annotator, item_ids) in &task.assignments {
        let body = json!({
            "id": assignment_id,
            "name": format!("{} - {}", task.name, annotator),
            "annotator": annotator,
            "projectId": task.project_id,
            "creator": creator,
            "createdAt": now,
            "updatedAt": now,
            "metadata": {"system": {"taskId": task.id, "datasetId": task.dataset_id}},
        });
        insert_assignment.execute(params![assignment_id, task.id, annotator, body.to_string()])?;
        for item_id in item_ids {
            insert_item.execute(params![task.id, item_id, assignment_id])?;
        }
    }
    Ok(())
}

/// Adds a written task's refs to the loaded items.
/// Adds a written task's refs to the loaded items; `positions` are the items' places in
/// memory, in the order of the assignments' item lists.
fn add_refs_in_memory(items: &mut DatasetItems, task: &NewTask, positions: &[usize]) {
    let mut offset = 0;
    for (assignment_id, _, item_ids) in &task.assignments {
        for &position in &positions[offset..offset + item_ids.len()] {
            items.add_ref(
                position,
                TaskRef {
                    task_id: task.id.clone(),
                    assignment_id: assignment_id.clone(),
                    status: None,
                },
            );
        }
        offset += item_ids.len();
    }
}

/// How many levels of arrays and objects a create-task body may nest. Its Command nests the
/// whole body two levels deeper (`spec.createTaskPayload`), and the Command must stay within
/// the 127 levels serde_json reads (our own `GET /commands/{id}` reads it back).
pub const MAX_TASK_BODY_DEPTH: usize = 125;

/// The nesting depth of a JSON value: 0 for a scalar, 1 for `{}` or `[]`, and so on.
fn json_depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(json_depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(json_depth).max().unwrap_or(0),
        _ => 0,
    }
}

pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    origin: RequestOrigin,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<Value>> {
    if !body.is_object() {
        return Err(ApiError::bad_request("the task must be a JSON object"));
    }
    let depth = json_depth(&body);
    if depth > MAX_TASK_BODY_DEPTH {
        return Err(ApiError::bad_request(format!(
            "the task is nested {depth} levels deep; at most {MAX_TASK_BODY_DEPTH} are accepted"
        )));
    }
    let payload: CreateTaskPayload = serde_path_to_error::deserialize(&body).map_err(|e| {
        let path = e.path().to_string();
        ApiError::field(
            &path,
            "invalid",
            format!("invalid task: field `{path}`: {}", e.into_inner()),
        )
    })?;
    let store = state.items.clone();
    state
        .db
        .call(move |conn| create_in_db(conn, &store, &origin, &user, payload, body))
        .await
        .map(Json)
}

/// The project's members as annotask-core's `Member`s (for validation).
fn project_members(conn: &Connection, project_id: &str) -> ApiResult<Vec<Member>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {USER_COLUMNS}, m.role FROM members m JOIN users u ON u.id = m.user_id WHERE m.project_id = ?1"
    ))?;
    let rows = stmt
        .query_map([project_id], |r| {
            let role: String = r.get(7)?;
            user_json(r, Some(&role))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|v| {
            serde_json::from_value(v).map_err(|e| ApiError::internal(format!("member JSON: {e}")))
        })
        .collect()
}

/// The dataset's tasks as annotask-core's `Task`s (for the QA parent lookup).
fn dataset_tasks(conn: &Connection, dataset_id: &str) -> ApiResult<Vec<Task>> {
    let mut stmt =
        conn.prepare_cached("SELECT body FROM tasks WHERE dataset_id = ?1 ORDER BY id")?;
    let bodies = stmt
        .query_map([dataset_id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(bodies
        .iter()
        .filter_map(|b| serde_json::from_str(b).ok())
        .collect())
}

fn create_in_db(
    conn: &mut Connection,
    store: &crate::item_store::ItemStore,
    origin: &RequestOrigin,
    user: &AuthUser,
    mut payload: CreateTaskPayload,
    raw: Value,
) -> ApiResult<Value> {
    // The dataset decides the project and the default recipe.
    let dataset_id = payload
        .dataset_id
        .clone()
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    let mut members = Vec::new();
    let mut tasks = Vec::new();
    let mut dataset_recipe = None;
    if let Some(dataset_id) = &dataset_id {
        let missing = || {
            ApiError::field(
                "datasetId",
                "datasetId.not_found",
                format!("dataset {dataset_id} not found"),
            )
        };
        let (dataset_project, recipe): (String, String) = conn
            .query_row(
                "SELECT project_id, recipe_id FROM datasets WHERE id = ?1",
                [dataset_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(missing)?;
        access::project_role(conn, &dataset_project, &user.id).map_err(|_| missing())?;
        let project_id = payload
            .project_id
            .get_or_insert_with(|| dataset_project.clone())
            .clone();
        if project_id != dataset_project {
            return Err(ApiError::field(
                "projectId",
                "projectId.mismatch",
                format!(
                    "dataset {dataset_id} belongs to project {dataset_project}, not {project_id}"
                ),
            ));
        }
        access::require_task_manager(conn, &project_id, &user.id)?;
        if payload
            .recipe_id
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
        {
            payload.recipe_id = Some(recipe.clone());
        }
        dataset_recipe = Some(recipe);
        members = project_members(conn, &project_id)?;
        tasks = dataset_tasks(conn, dataset_id)?;
    }

    // The same rules as the app's form (annotask-core), minus "the due date is past": the SDK
    // sends whatever date its caller gives, and the platform accepts it.
    let ctx = ValidationContext::new(clock::now_ms() as f64)
        .with_members(&members)
        .with_tasks(&tasks);
    let (draft, mut errors) = payload.to_draft();
    errors.extend(validate::validate(&draft, &ctx));
    errors.retain(|e| e.code != codes::DUE_DATE_PAST);
    let limit = match payload.limit {
        None => None,
        Some(l) if l >= 1.0 && l.fract() == 0.0 => Some(l as usize),
        Some(l) => {
            errors.push(annotask_core::FieldError::new(
                "limit",
                "limit.invalid",
                format!("limit must be a positive whole number, not {l}"),
            ));
            None
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::from_field_errors(errors));
    }
    let dataset_id = dataset_id.expect("validated");
    let project_id = draft.project_id.clone();
    let recipe_id = draft.recipe_id.clone();
    if Some(&recipe_id) != dataset_recipe.as_ref() {
        let known: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM recipes WHERE id = ?1 AND project_id = ?2)",
            params![recipe_id, project_id],
            |r| r.get(0),
        )?;
        if !known {
            return Err(ApiError::field(
                "recipeId",
                "recipeId.not_found",
                format!("recipe {recipe_id} not found in the project"),
            ));
        }
    }

    // `checkIfExist`: answer an existing task that matches instead of making a new one.
    if let Some(check) = payload.check_if_exist.as_ref() {
        let check = check.get("query").ok_or_else(|| {
            ApiError::field(
                "checkIfExist.query",
                "checkIfExist.invalid",
                "checkIfExist must be {\"query\": {...}}",
            )
        })?;
        let check = ResourceQuery::parse(check, "tasks")?;
        for id in dataset_task_ids(conn, &dataset_id)? {
            if let Some(task) = task_json(conn, origin, &id)? {
                if check.matches(&task, &[]) {
                    return Ok(task);
                }
            }
        }
    }

    // Which items: the query (with a QA task's source clause) over the dataset, in its sort
    // order, up to `limit`.
    let effective = draft.effective_query();
    let request = ResourceQuery::from_query(effective.clone());
    let items_arc = store.dataset(conn, &dataset_id)?;
    let mut items = items_arc.write().unwrap_or_else(|p| p.into_inner());
    if request.has_join() {
        store.ensure_annotations(conn, &dataset_id, &mut items)?;
    }
    let found = items::matching_positions(&items, &request);
    let positions = &found[..limit.unwrap_or(usize::MAX).min(found.len())];
    if positions.is_empty() && !draft.empty_task {
        return Err(ApiError::field(
            "query",
            "query.no_items",
            "query matched no items",
        ));
    }
    let item_ids: Vec<String> = positions
        .iter()
        .filter_map(|&p| {
            items.items[p]
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();

    // One assignment per assignee, each a consecutive share of the items.
    let canonical = |email: &str| {
        members
            .iter()
            .find(|m| m.email.eq_ignore_ascii_case(email.trim()))
            .map_or_else(|| email.trim().to_string(), |m| m.email.clone())
    };
    let assignments: Vec<(String, String, Vec<String>)> = draft
        .assignees
        .iter()
        .zip(workload::allocation_ranges(item_ids.len(), &draft.loads()))
        .map(|(email, range)| (ids::next_id(), canonical(email), item_ids[range].to_vec()))
        .collect();

    let id = ids::next_id();
    let now = clock::now_iso();
    let mut spec = json!({"type": draft.task_type.as_str()});
    if let Some(parent) = &draft.parent_task_id {
        spec["parentTaskId"] = json!(parent);
    }
    let available_actions = if draft.statuses.is_empty() {
        default_actions(draft.task_type)
    } else {
        serde_json::to_value(&draft.statuses).expect("actions serialize")
    };
    let mut metadata = Value::Object(payload.metadata.clone().unwrap_or_default());
    if !metadata.get("system").is_some_and(Value::is_object) {
        metadata["system"] = json!({});
    }
    // The query as sent, unless the QA source clause had to be added to it.
    let query_text = match &payload.query {
        Some(Value::String(text)) if effective == draft.query => text.clone(),
        _ => effective.to_python_string(),
    };
    let body = json!({
        "id": id,
        "name": draft.trimmed_name(),
        "creator": user.email,
        "taskOwner": draft.owner.clone().filter(|o| !o.trim().is_empty()).unwrap_or_else(|| user.email.clone()),
        "createdAt": now,
        "updatedAt": now,
        "dueDate": payload.due_date,
        "datasetId": dataset_id,
        "projectId": project_id,
        "recipeId": recipe_id,
        "spec": spec,
        "hasParent": draft.parent_task_id.is_some(),
        "query": query_text,
        "assignmentIds": assignments.iter().map(|a| a.0.clone()).collect::<Vec<_>>(),
        "metadata": metadata,
        "priority": draft.priority.as_number(),
        "description": payload.description.clone().unwrap_or(Value::Null),
        "availableActions": available_actions,
        "forReview": 0,
        "issues": 0,
    });
    let task = NewTask {
        id: id.clone(),
        body,
        dataset_id,
        project_id,
        name: draft.trimmed_name().to_string(),
        assignments,
    };
    let tx = conn.transaction()?;
    write_task(&tx, &task, &user.email, &now)?;
    let command = commands::record_success(
        &tx,
        origin,
        "createTask",
        &user.email,
        json!({"createTaskPayload": raw, "createdTaskId": id}),
    )?;
    tx.commit()?;
    add_refs_in_memory(&mut items, &task, positions);
    Ok(command)
}

fn dataset_task_ids(conn: &Connection, dataset_id: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached("SELECT id FROM tasks WHERE dataset_id = ?1 ORDER BY id")?
        .query_map([dataset_id], |r| r.get(0))?
        .collect()
}

pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    origin: RequestOrigin,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    state
        .db
        .call(move |conn| {
            visible_task_location(conn, &id, &user)?;
            task_json(conn, &origin, &id)?
                .map(Json)
                .ok_or_else(|| ApiError::not_found(format!("annotation task {id} not found")))
        })
        .await
}

/// `{"filter": {"$and": [{"datasetId": ...}, {"name": ...}]}, "resource": "tasks",
/// "context": {"projectIds": [...]}}` over the tasks of the user's projects.
pub async fn query(
    State(state): State<AppState>,
    user: AuthUser,
    origin: RequestOrigin,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<Value>> {
    let request = ResourceQuery::parse(&body, "tasks")?;
    let context_projects = crate::query::context_projects(&body, ["projectIds", "projects"]);
    state
        .db
        .call(move |conn| {
            let mut project_ids = access::member_project_ids(conn, &user.id)?;
            if let Some(wanted) = &context_projects {
                project_ids.retain(|p| wanted.contains(p));
            }
            let mut tasks = Vec::new();
            for project_id in &project_ids {
                let ids: Vec<String> = conn
                    .prepare_cached("SELECT id FROM tasks WHERE project_id = ?1 ORDER BY id")?
                    .query_map([project_id], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                for id in ids {
                    tasks.extend(task_json(conn, &origin, &id)?);
                }
            }
            Ok(Json(query::page_of_documents(&request, tasks)))
        })
        .await
}

/// Deletes a task with its assignments and item refs, answering a Command whose spec has
/// `deleteTaskId` (what the SDK checks).
pub async fn delete(
    State(state): State<AppState>,
    user: AuthUser,
    origin: RequestOrigin,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let store = state.items.clone();
    state
        .db
        .call(move |conn| {
            let (project_id, dataset_id, _) = visible_task_location(conn, &id, &user)?;
            access::require_task_manager(conn, &project_id, &user.id)?;
            let item_ids: Vec<String> = conn
                .prepare_cached("SELECT item_id FROM task_items WHERE task_id = ?1")?
                .query_map([&id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let loaded = store.loaded(&dataset_id);
            let mut items = loaded
                .as_ref()
                .map(|l| l.write().unwrap_or_else(|p| p.into_inner()));
            let tx = conn.transaction()?;
            tx.execute("DELETE FROM task_items WHERE task_id = ?1", [&id])?;
            tx.execute("DELETE FROM assignments WHERE task_id = ?1", [&id])?;
            tx.execute("DELETE FROM tasks WHERE id = ?1", [&id])?;
            let command = commands::record_success(
                &tx,
                &origin,
                "deleteTask",
                &user.email,
                json!({"deleteTaskId": id}),
            )?;
            tx.commit()?;
            if let Some(items) = items.as_mut() {
                for item_id in &item_ids {
                    if let Some(position) = items.position(item_id) {
                        items.remove_task(position, &id);
                    }
                }
            }
            Ok(Json(command))
        })
        .await
}

/// The demo's `demo-labeling` task: every visible file of the dataset, split between
/// annotator1..4, with about a third completed, a tenth discarded and the rest without status.
pub fn seed_demo_task(
    tx: &Transaction<'_>,
    ids: &IdSequence,
    rng: &mut SplitMix64,
    seeded: &Seeded,
    visible_files: &[String],
) -> rusqlite::Result<()> {
    let item_ids = visible_files;
    let assignees: Vec<String> = (1..=4)
        .map(|n| format!("annotator{n}@demo.annotask"))
        .collect();
    let assignments: Vec<(String, String, Vec<String>)> = assignees
        .iter()
        .zip(workload::allocation_ranges(item_ids.len(), &[25.0; 4]))
        .map(|(email, range)| (ids.next_id(), email.clone(), item_ids[range].to_vec()))
        .collect();
    let id = ids.next_id();
    let now = clock::iso_from_ms(clock::days_from_civil(2026, 1, 5) as u64 * 86_400_000);
    let owner = "owner@demo.annotask";
    let query_text = annotask_query_text(&query::default_filter_query("items"));
    let body = json!({
        "id": id,
        "name": "demo-labeling",
        "creator": owner,
        "taskOwner": owner,
        "createdAt": now,
        "updatedAt": now,
        "dueDate": (clock::days_from_civil(2027, 1, 1) * 86_400_000) as f64,
        "datasetId": seeded.dataset_id,
        "projectId": seeded.demo_project_id,
        "recipeId": seeded.recipe_id,
        "spec": {"type": "annotation"},
        "hasParent": false,
        "query": query_text,
        "assignmentIds": assignments.iter().map(|a| a.0.clone()).collect::<Vec<_>>(),
        "metadata": {"system": {}},
        "priority": 2,
        "description": null,
        "availableActions": default_actions(TaskType::Annotation),
        "forReview": 0,
        "issues": 0,
    });
    let task = NewTask {
        id: id.clone(),
        body,
        dataset_id: seeded.dataset_id.clone(),
        project_id: seeded.demo_project_id.clone(),
        name: "demo-labeling".into(),
        assignments,
    };
    write_task(tx, &task, owner, &now)?;
    let mut set_status =
        tx.prepare("UPDATE task_items SET status = ?3 WHERE task_id = ?1 AND item_id = ?2")?;
    for item_id in item_ids {
        let roll = rng.below(100);
        let status = if roll < 35 {
            "completed"
        } else if roll < 45 {
            "discard"
        } else {
            continue;
        };
        set_status.execute(params![id, item_id, status])?;
    }
    Ok(())
}

/// The `query` string of a task, as the SDK writes it (`json.dumps` of the DQL).
pub fn annotask_query_text(query: &Value) -> String {
    python_json::dumps(query)
}
