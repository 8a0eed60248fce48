//! `POST /datasets/{id}/query`: DQL over a dataset's items, with the annotations join, sort,
//! paging and the SDK's keyset paging on `id`.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde_json::Value;

use crate::access;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::item_store::DatasetItems;
use crate::query::{self, ResourceQuery};
use crate::routes::projects::dataset_project;
use crate::state::AppState;

pub async fn query(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(dataset_id): ApiPath<String>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<Value>> {
    let request = ResourceQuery::parse(&body, "items")?;
    let needs_annotations = request.has_join();
    let store = state.items.clone();
    let id = dataset_id.clone();
    let items = state
        .db
        .call(move |conn| {
            let not_found = || ApiError::not_found(format!("dataset {id} not found"));
            let project_id = dataset_project(conn, &id)?.ok_or_else(not_found)?;
            access::project_role(conn, &project_id, &user.id).map_err(|_| not_found())?;
            let items = store.dataset(conn, &id)?;
            if needs_annotations {
                let mut loaded = items.write().unwrap_or_else(|p| p.into_inner());
                store.ensure_annotations(conn, &id, &mut loaded)?;
            }
            Ok(items)
        })
        .await?;
    tokio::task::spawn_blocking(move || {
        let items = items.read().unwrap_or_else(|p| p.into_inner());
        Json(run(&items, &request))
    })
    .await
    .map_err(|e| ApiError::internal(format!("query failed: {e}")))
}

/// The positions of the matching items in result order.
pub fn matching_positions(items: &DatasetItems, request: &ResourceQuery) -> Arc<Vec<usize>> {
    // Keyset pages differ only in their id bound; they are cheap anyway (see below).
    let key = request
        .id_lower_bound
        .is_none()
        .then(|| request.result_key());
    if let Some(found) = key.as_deref().and_then(|k| items.cached(k)) {
        return found;
    }
    // Items are stored in id order, so a lower bound on `id` skips straight to it.
    let start = match &request.id_lower_bound {
        Some((bound, inclusive)) => items.items.partition_point(|item| {
            let id = item.get("id").and_then(Value::as_str).unwrap_or("");
            if *inclusive {
                id < bound.as_str()
            } else {
                id <= bound.as_str()
            }
        }),
        None => 0,
    };
    let mut found = evaluate(items, request, start..items.items.len());
    // Without a sort (or sorted by id ascending) the stored order is the answer.
    if !request.sorted_by_id() {
        found.sort_by(|&a, &b| request.compare(&items.items[a], &items.items[b]));
    }
    let found = Arc::new(found);
    if let Some(key) = key {
        items.remember(key, Arc::clone(&found));
    }
    found
}

/// Below this many items one thread evaluates the filter; above, the work is split.
const PARALLEL_THRESHOLD: usize = 20_000;

/// The positions in `range` whose items match, in order, using the available cores.
fn evaluate(
    items: &DatasetItems,
    request: &ResourceQuery,
    range: std::ops::Range<usize>,
) -> Vec<usize> {
    let matches = |i: &usize| request.matches(&items.items[*i], &items.annotations[*i]);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if range.len() < PARALLEL_THRESHOLD || threads < 2 {
        return range.filter(matches).collect();
    }
    let chunk = range.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let start = range.start + t * chunk;
                let end = (start + chunk).min(range.end);
                scope.spawn(move || (start..end).filter(matches).collect::<Vec<usize>>())
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("filter evaluation panicked"))
            .collect()
    })
}

/// Evaluates a query and builds the paged answer.
pub fn run(items: &DatasetItems, request: &ResourceQuery) -> Value {
    let found = matching_positions(items, request);
    let total = found.len();
    let page = found[request.page_range(total)]
        .iter()
        .map(|&i| items.items[i].clone())
        .collect();
    query::page_json(request, total, page)
}
