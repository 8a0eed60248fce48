//! `GET /commands/{id}`: the asynchronous-operation record the SDK polls after creating or
//! deleting a task.

use axum::extract::State;
use axum::Json;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Value};

use crate::auth::AuthUser;
use crate::clock;
use crate::error::{ApiError, ApiPath, ApiResult};
use crate::ids;
use crate::request_origin::RequestOrigin;
use crate::state::AppState;

/// Stores a finished Command (`status: success`, `progress: 100`) and returns it. Work runs
/// synchronously inside the request, so the Command is terminal at once and the SDK skips
/// polling; `url` still points at `/api/v1/commands/{id}` for clients that poll anyway.
pub fn record_success(
    conn: &Connection,
    origin: &RequestOrigin,
    kind: &str,
    creator: &str,
    spec: Value,
) -> rusqlite::Result<Value> {
    let id = ids::next_id();
    let now = clock::now_iso();
    let command = json!({
        "id": id,
        "url": origin.api_url(&format!("commands/{id}")),
        "status": "success",
        "type": kind,
        "progress": 100,
        "spec": spec,
        "error": null,
        "creator": creator,
        "createdAt": now,
        "updatedAt": now,
    });
    conn.execute(
        "INSERT INTO commands (id, body) VALUES (?1, ?2)",
        rusqlite::params![id, command.to_string()],
    )?;
    Ok(command)
}

pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    state
        .db
        .call(move |conn| {
            let body: Option<String> = conn
                .query_row("SELECT body FROM commands WHERE id = ?1", [&id], |r| {
                    r.get(0)
                })
                .optional()?;
            let command: Value = body
                .and_then(|b| serde_json::from_str(&b).ok())
                .ok_or_else(|| ApiError::not_found(format!("command {id} not found")))?;
            // Commands are private to whoever started them.
            if command.get("creator").and_then(Value::as_str) != Some(user.email.as_str()) {
                return Err(ApiError::not_found(format!("command {id} not found")));
            }
            Ok(Json(command))
        })
        .await
}
