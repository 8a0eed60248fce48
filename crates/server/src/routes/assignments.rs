//! Assignments and item statuses: `GET /assignments?taskId=...`, `GET /assignments/{id}`,
//! `POST /assignments/items/tasks/{taskId}/status` and
//! `POST /assignments/{id}/items/{itemId}/status`.
//!
//! A status lives on the item's place in the task (`task_items.status`); the item's task and
//! assignment refs both show it as `metadata.status`. Owner, engineer and annotationManager may
//! set statuses on any item; an annotator only on the items of their own assignments.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::access;
use crate::auth::AuthUser;
use crate::clock;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::item_store::ItemStore;
use crate::query::MAX_PAGE_SIZE;
use crate::request_origin::RequestOrigin;
use crate::routes::tasks::{self, assignment_json};
use crate::state::AppState;

/// `GET /assignments` query parameters (the SDK's and the OAS's).
#[derive(Debug, Deserialize)]
pub struct ListParams {
    #[serde(rename = "taskId")]
    task_id: Option<String>,
    /// Comma-separated project ids.
    projects: Option<String>,
    status: Option<String>,
    name: Option<String>,
    annotator: Option<String>,
    #[serde(rename = "pageOffset")]
    page_offset: Option<usize>,
    #[serde(rename = "pageSize")]
    page_size: Option<usize>,
}

pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    origin: RequestOrigin,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<Json<Value>> {
    let page_size = params.page_size.unwrap_or(MAX_PAGE_SIZE);
    if page_size > MAX_PAGE_SIZE {
        return Err(ApiError::field(
            "pageSize",
            "too_large",
            format!("pageSize must be at most {MAX_PAGE_SIZE}"),
        ));
    }
    let page = params.page_offset.unwrap_or(0);
    state
        .db
        .call(move |conn| {
            let mut project_ids = access::member_project_ids(conn, &user.id)?;
            if let Some(wanted) = &params.projects {
                let wanted: Vec<&str> = wanted.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
                if !wanted.is_empty() {
                    project_ids.retain(|p| wanted.contains(&p.as_str()));
                }
            }
            let ids: Vec<(String, String)> = match &params.task_id {
                Some(task_id) => {
                    let Some((project_id, _)) = tasks::task_location(conn, task_id)? else {
                        return Err(ApiError::not_found(format!("annotation task {task_id} not found")));
                    };
                    if !project_ids.contains(&project_id) {
                        return Err(ApiError::not_found(format!("annotation task {task_id} not found")));
                    }
                    conn.prepare_cached("SELECT id, annotator FROM assignments WHERE task_id = ?1 ORDER BY id")?
                        .query_map([task_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect::<Result<_, _>>()?
                }
                None => {
                    let mut all = Vec::new();
                    for project_id in &project_ids {
                        let rows: Vec<(String, String)> = conn
                            .prepare_cached(
                                "SELECT a.id, a.annotator FROM assignments a JOIN tasks t ON t.id = a.task_id
                                 WHERE t.project_id = ?1 ORDER BY a.id",
                            )?
                            .query_map([project_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                            .collect::<Result<_, _>>()?;
                        all.extend(rows);
                    }
                    all.sort();
                    all
                }
            };
            let mut assignments = Vec::new();
            for (id, annotator) in ids {
                if params.annotator.as_ref().is_some_and(|a| !a.eq_ignore_ascii_case(&annotator)) {
                    continue;
                }
                let Some(assignment) = assignment_json(conn, &origin, &id)? else { continue };
                if params.status.as_ref().is_some_and(|s| assignment.get("status").and_then(Value::as_str) != Some(s)) {
                    continue;
                }
                if params.name.as_ref().is_some_and(|n| assignment.get("name").and_then(Value::as_str) != Some(n)) {
                    continue;
                }
                assignments.push(assignment);
            }
            let total = assignments.len();
            let start = page.saturating_mul(page_size).min(total);
            let end = start.saturating_add(page_size).min(total);
            let items: Vec<Value> = assignments.drain(start..end).collect();
            Ok(Json(json!({
                "totalItemsCount": total,
                "items": items,
                "totalPagesCount": if page_size == 0 { 0 } else { total.div_ceil(page_size) },
                "hasNextPage": page_size > 0 && end < total,
            })))
        })
        .await
}

/// The task, project and annotator of an assignment the user may see, or 404.
fn visible_assignment(
    conn: &Connection,
    assignment_id: &str,
    user: &AuthUser,
) -> ApiResult<(String, String, String)> {
    let not_found = || ApiError::not_found(format!("assignment {assignment_id} not found"));
    let (task_id, project_id, annotator): (String, String, String) = conn
        .prepare_cached(
            "SELECT a.task_id, t.project_id, a.annotator FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.id = ?1",
        )?
        .query_row([assignment_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(not_found)?;
    access::project_role(conn, &project_id, &user.id).map_err(|_| not_found())?;
    Ok((task_id, project_id, annotator))
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
            visible_assignment(conn, &id, &user)?;
            assignment_json(conn, &origin, &id)?
                .map(Json)
                .ok_or_else(|| ApiError::not_found(format!("assignment {id} not found")))
        })
        .await
}

/// `{"operation": "create" | "delete", "status": "..."}`.
#[derive(Debug, Clone, Deserialize)]
pub struct StatusPayload {
    #[serde(default = "create_operation")]
    operation: String,
    status: String,
    #[serde(default, rename = "returnLastStatus")]
    _return_last_status: Option<bool>,
}

fn create_operation() -> String {
    "create".into()
}

#[derive(Debug, Deserialize)]
pub struct TaskItemsStatusBody {
    #[serde(rename = "itemIds")]
    item_ids: Vec<String>,
    #[serde(rename = "statusPayload")]
    status_payload: StatusPayload,
}

/// What one status change did, as the response reports it per item.
struct Change {
    item_id: String,
    assignment_id: String,
    status: Option<String>,
}

/// Sets or clears a status on items of a task, checking the role, the task's actions and (for
/// annotators) that every item is in one of their assignments. Items not in the task are left
/// out of the result. One transaction; memory is updated after the commit.
fn set_statuses(
    conn: &mut Connection,
    store: &ItemStore,
    user: &AuthUser,
    task_id: &str,
    only_assignment: Option<&str>,
    item_ids: &[String],
    payload: &StatusPayload,
) -> ApiResult<Vec<Change>> {
    let not_found = || ApiError::not_found(format!("annotation task {task_id} not found"));
    let (project_id, dataset_id) = tasks::task_location(conn, task_id)?.ok_or_else(not_found)?;
    let role = access::project_role(conn, &project_id, &user.id).map_err(|_| not_found())?;
    let clear = match payload.operation.as_str() {
        "create" => false,
        "delete" => true,
        other => {
            return Err(ApiError::field(
                "operation",
                "operation.invalid",
                format!("operation must be \"create\" or \"delete\", not {other:?}"),
            ))
        }
    };
    let body: String = conn.query_row("SELECT body FROM tasks WHERE id = ?1", [task_id], |r| {
        r.get(0)
    })?;
    let task_body: Value = serde_json::from_str(&body).unwrap_or_default();
    let actions = tasks::action_names(&task_body);
    if !clear && !actions.iter().any(|a| a == &payload.status) {
        return Err(ApiError::field(
            "status",
            "status.invalid",
            format!(
                "status {:?} is not one of the task's actions ({})",
                payload.status,
                actions.join(", ")
            ),
        ));
    }
    if item_ids.is_empty() {
        return Err(ApiError::field(
            "itemIds",
            "itemIds.empty",
            "itemIds must name at least one item",
        ));
    }

    let mut places: HashMap<String, (String, String)> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT ti.assignment_id, a.annotator FROM task_items ti JOIN assignments a ON a.id = ti.assignment_id
             WHERE ti.task_id = ?1 AND ti.item_id = ?2",
        )?;
        for item_id in item_ids {
            if let Some(place) = stmt
                .query_row(params![task_id, item_id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .optional()?
            {
                places.insert(item_id.clone(), place);
            }
        }
    }
    if let Some(assignment_id) = only_assignment {
        places.retain(|_, (a, _)| a == assignment_id);
    }
    if places.is_empty() {
        return Err(ApiError::not_found(match only_assignment {
            Some(a) => format!("the item is not in assignment {a}"),
            None => format!("none of the items is in annotation task {task_id}"),
        }));
    }
    if !role.may_manage_tasks() {
        if let Some((item, _)) = places
            .iter()
            .find(|(_, (_, annotator))| !annotator.eq_ignore_ascii_case(&user.email))
        {
            return Err(ApiError::forbidden(format!(
                "annotators may set statuses only on the items of their own assignments; item {item} is not in yours"
            )));
        }
    }

    let status = (!clear).then(|| payload.status.clone());
    let loaded = store.loaded(&dataset_id);
    let mut items = loaded
        .as_ref()
        .map(|l| l.write().unwrap_or_else(|p| p.into_inner()));
    let tx = conn.transaction()?;
    let mut changes = Vec::new();
    {
        let mut update = tx.prepare_cached(
            "UPDATE task_items SET status = ?3 WHERE task_id = ?1 AND item_id = ?2",
        )?;
        for item_id in item_ids {
            let Some((assignment_id, _)) = places.get(item_id) else {
                continue;
            };
            update.execute(params![task_id, item_id, status])?;
            changes.push(Change {
                item_id: item_id.clone(),
                assignment_id: assignment_id.clone(),
                status: status.clone(),
            });
        }
    }
    tx.commit()?;
    if let Some(items) = items.as_mut() {
        for change in &changes {
            if let Some(position) = items.position(&change.item_id) {
                items.set_status(position, task_id, change.status.as_deref());
            }
        }
    }
    Ok(changes)
}

fn change_json(change: &Change, task_id: &str, user: &AuthUser, now: &str) -> Value {
    json!({
        "itemId": change.item_id,
        "taskId": task_id,
        "assignmentId": change.assignment_id,
        "status": change.status,
        "creator": user.email,
        "timestamp": now,
    })
}

/// `item.update_status(status, task_id=T)`: answers an object keyed by the updated item ids.
pub async fn set_task_items_status(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(task_id): ApiPath<String>,
    ApiJson(body): ApiJson<TaskItemsStatusBody>,
) -> ApiResult<Json<Value>> {
    let store = state.items.clone();
    state
        .db
        .call(move |conn| {
            let changes = set_statuses(
                conn,
                &store,
                &user,
                &task_id,
                None,
                &body.item_ids,
                &body.status_payload,
            )?;
            let now = clock::now_iso();
            let map: serde_json::Map<String, Value> = changes
                .iter()
                .map(|c| (c.item_id.clone(), change_json(c, &task_id, &user, &now)))
                .collect();
            Ok(Json(Value::Object(map)))
        })
        .await
}

/// `item.update_status(status, assignment_id=A)`.
pub async fn set_assignment_item_status(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath((assignment_id, item_id)): ApiPath<(String, String)>,
    ApiJson(payload): ApiJson<StatusPayload>,
) -> ApiResult<Json<Value>> {
    let store = state.items.clone();
    state
        .db
        .call(move |conn| {
            let (task_id, _, _) = visible_assignment(conn, &assignment_id, &user)?;
            let changes = set_statuses(
                conn,
                &store,
                &user,
                &task_id,
                Some(&assignment_id),
                &[item_id],
                &payload,
            )?;
            let now = clock::now_iso();
            Ok(Json(change_json(&changes[0], &task_id, &user, &now)))
        })
        .await
}
