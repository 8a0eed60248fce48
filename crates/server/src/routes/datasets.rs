//! Datasets: `POST /datasets/query` (the SDK's listing and by-name lookup) and
//! `GET /datasets/{id}`.

use axum::extract::State;
use axum::Json;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Value};

use crate::access;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::query::{self, ResourceQuery};
use crate::request_origin::RequestOrigin;
use crate::state::AppState;

/// A dataset as the platform writes it (PKG `entities/dataset.py`). `metadata.system.recipes`
/// is what `dataset.tasks.create` reads for the default recipe.
pub fn dataset_json(
    state: &AppState,
    conn: &Connection,
    origin: &RequestOrigin,
    dataset_id: &str,
) -> ApiResult<Option<Value>> {
    let row: Option<(String, String, String, String, String, String)> = conn
        .prepare_cached(
            "SELECT project_id, name, recipe_id, creator, created_at, updated_at FROM datasets WHERE id = ?1",
        )?
        .query_row([dataset_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .optional()?;
    let Some((project_id, name, recipe_id, creator, created_at, updated_at)) = row else {
        return Ok(None);
    };
    let items = state.items.dataset(conn, dataset_id)?;
    let (items_count, annotated) = {
        let items = items.read().unwrap_or_else(|p| p.into_inner());
        let files = items
            .items
            .iter()
            .filter(|i| i.get("type").and_then(Value::as_str) == Some("file"));
        let (mut count, mut annotated) = (0u64, 0u64);
        for item in files {
            count += 1;
            if item.get("annotated") == Some(&Value::Bool(true)) {
                annotated += 1;
            }
        }
        (count, annotated)
    };
    Ok(Some(json!({
        "id": dataset_id,
        "name": name,
        "projects": [project_id],
        "creator": creator,
        "createdAt": created_at,
        "updatedAt": updated_at,
        "itemsCount": items_count,
        "annotated": annotated,
        "readonly": false,
        "accessLevel": "write",
        "url": origin.api_url(&format!("datasets/{dataset_id}")),
        "items": origin.api_url(&format!("datasets/{dataset_id}/items")),
        "metadata": {"system": {"recipes": [recipe_id]}},
        "driver": null,
    })))
}

/// The dataset if the user may see it; 404 otherwise.
pub fn visible_dataset(
    state: &AppState,
    conn: &Connection,
    origin: &RequestOrigin,
    dataset_id: &str,
    user: &AuthUser,
) -> ApiResult<Value> {
    let not_found = || ApiError::not_found(format!("dataset {dataset_id} not found"));
    let project_id =
        crate::routes::projects::dataset_project(conn, dataset_id)?.ok_or_else(not_found)?;
    access::project_role(conn, &project_id, &user.id).map_err(|_| not_found())?;
    dataset_json(state, conn, origin, dataset_id)?.ok_or_else(not_found)
}

pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    origin: RequestOrigin,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let st = state.clone();
    state
        .db
        .call(move |conn| visible_dataset(&st, conn, &origin, &id, &user).map(Json))
        .await
}

/// The SDK sends `{"filter": {...}, "resource": "datasets", "context": {"projects": [id]}}`.
pub async fn query(
    State(state): State<AppState>,
    user: AuthUser,
    origin: RequestOrigin,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<Value>> {
    let request = ResourceQuery::parse(&body, "datasets")?;
    let context_projects = crate::query::context_projects(&body, ["projects", "projectIds"]);
    let st = state.clone();
    state
        .db
        .call(move |conn| {
            let mut project_ids = access::member_project_ids(conn, &user.id)?;
            if let Some(wanted) = &context_projects {
                project_ids.retain(|p| wanted.contains(p));
            }
            let mut datasets = Vec::new();
            for project_id in &project_ids {
                let ids: Vec<String> = conn
                    .prepare_cached("SELECT id FROM datasets WHERE project_id = ?1 ORDER BY id")?
                    .query_map([project_id], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                for id in ids {
                    if let Some(dataset) = dataset_json(&st, conn, &origin, &id)? {
                        datasets.push(dataset);
                    }
                }
            }
            Ok(Json(query::page_of_documents(&request, datasets)))
        })
        .await
}
