//! `GET /recipes/{id}`: a dataset's recipe with its labels.

use axum::extract::State;
use axum::Json;
use rusqlite::OptionalExtension;
use serde_json::{json, Value};

use crate::access;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiPath, ApiResult};
use crate::request_origin::RequestOrigin;
use crate::state::AppState;

pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    origin: RequestOrigin,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    state
        .db
        .call(move |conn| {
            let not_found = || ApiError::not_found(format!("recipe {id} not found"));
            let row: Option<(String, String, String, String, String, String)> = conn
                .query_row(
                    "SELECT project_id, title, labels, creator, created_at, updated_at FROM recipes WHERE id = ?1",
                    [&id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
                )
                .optional()?;
            let (project_id, title, labels, creator, created_at, updated_at) = row.ok_or_else(not_found)?;
            access::project_role(conn, &project_id, &user.id).map_err(|_| not_found())?;
            let labels: Value = serde_json::from_str(&labels).unwrap_or_else(|_| json!([]));
            Ok(Json(json!({
                "id": id,
                "title": title,
                "projectIds": [project_id],
                "ontologyIds": [id],
                "creator": creator,
                "createdAt": created_at,
                "updatedAt": updated_at,
                "url": origin.api_url(&format!("recipes/{id}")),
                "metadata": {"system": {}},
                "labels": labels,
            })))
        })
        .await
}
