//! Projects and their members: `GET /projects`, `/projects/{id}`, `/projects/{name}/name`,
//! `/projects/{id}/members`.

use axum::extract::State;
use axum::Json;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Value};

use crate::access;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiPath, ApiResult};
use crate::request_origin::RequestOrigin;
use crate::routes::users::{user_json, USER_COLUMNS};
use crate::state::AppState;

/// The members of a project, each a user with `role`, in the order they joined.
pub fn members(conn: &Connection, project_id: &str) -> ApiResult<Vec<Value>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {USER_COLUMNS}, m.role FROM members m JOIN users u ON u.id = m.user_id
         WHERE m.project_id = ?1 ORDER BY m.created_at, u.email"
    ))?;
    let rows = stmt
        .query_map([project_id], |r| {
            let role: String = r.get(7)?;
            user_json(r, Some(&role))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A project as the platform writes it (PKG `entities/project.py`), with the viewer's `role`.
fn project_json(
    conn: &Connection,
    origin: &RequestOrigin,
    project_id: &str,
    viewer_id: &str,
) -> ApiResult<Value> {
    let role = access::project_role(conn, project_id, viewer_id)?;
    let (name, creator, org, created_at, updated_at): (
        String,
        String,
        Option<String>,
        String,
        String,
    ) = conn
        .prepare_cached(
            "SELECT name, creator, org, created_at, updated_at FROM projects WHERE id = ?1",
        )?
        .query_row([project_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
    Ok(json!({
        "id": project_id,
        "name": name,
        "creator": creator,
        "org": org,
        "url": origin.api_url(&format!("projects/{project_id}")),
        "createdAt": created_at,
        "updatedAt": updated_at,
        "role": role.as_str(),
        "archived": false,
        "isBlocked": false,
        "contributors": members(conn, project_id)?,
    }))
}

pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    origin: RequestOrigin,
) -> ApiResult<Json<Value>> {
    state
        .db
        .call(move |conn| {
            let mut ids: Vec<(String, String)> = conn
                .prepare_cached(
                    "SELECT p.id, p.name FROM projects p JOIN members m ON m.project_id = p.id
                     WHERE m.user_id = ?1",
                )?
                .query_map([&user.id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            ids.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
            let projects = ids
                .iter()
                .map(|(id, _)| project_json(conn, &origin, id, &user.id))
                .collect::<ApiResult<Vec<_>>>()?;
            Ok(Json(Value::Array(projects)))
        })
        .await
}

pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    origin: RequestOrigin,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    state
        .db
        .call(move |conn| project_json(conn, &origin, &id, &user.id).map(Json))
        .await
}

/// By name: a JSON array (dtlpy takes `[0]`); 404 when the user sees no project of that name.
pub async fn by_name(
    State(state): State<AppState>,
    user: AuthUser,
    origin: RequestOrigin,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    state
        .db
        .call(move |conn| {
            let ids: Vec<String> = conn
                .prepare_cached(
                    "SELECT p.id FROM projects p JOIN members m ON m.project_id = p.id
                     WHERE m.user_id = ?1 AND p.name = ?2 ORDER BY p.id",
                )?
                .query_map([&user.id, &name], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            if ids.is_empty() {
                return Err(ApiError::not_found(format!(
                    "project named {name:?} not found"
                )));
            }
            let projects = ids
                .iter()
                .map(|id| project_json(conn, &origin, id, &user.id))
                .collect::<ApiResult<Vec<_>>>()?;
            Ok(Json(Value::Array(projects)))
        })
        .await
}

pub async fn list_members(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    state
        .db
        .call(move |conn| {
            access::project_role(conn, &id, &user.id)?;
            Ok(Json(Value::Array(members(conn, &id)?)))
        })
        .await
}

/// The project a dataset belongs to, if the dataset exists.
pub fn dataset_project(conn: &Connection, dataset_id: &str) -> ApiResult<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT project_id FROM datasets WHERE id = ?1")?
        .query_row([dataset_id], |r| r.get(0))
        .optional()?)
}
