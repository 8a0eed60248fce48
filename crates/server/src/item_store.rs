//! Each dataset's items, parsed and kept in memory so DQL queries over 100,000s of items are
//! fast. SQLite stays the source of truth: a dataset is loaded lazily from it on first use, and
//! every write to items, annotations or task refs updates the loaded copy while holding the
//! database lock, so the two never disagree.
//!
//! An item in memory is its full JSON as the API answers it: the stored body plus what other
//! tables derive (`annotated`, `annotationsCount`, `metadata.system.refs`,
//! `metadata.system.annotationStatus`), so the DQL evaluator sees exactly what clients see.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use rusqlite::Connection;
use serde_json::{json, Value};

use crate::error::ApiResult;

/// One item's place in a task: the assignment it is in and its status there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRef {
    pub task_id: String,
    pub assignment_id: String,
    pub status: Option<String>,
}

/// A loaded dataset.
#[derive(Debug, Default)]
pub struct DatasetItems {
    /// Full item JSON, sorted by id (creation order).
    pub items: Vec<Value>,
    /// Each item's annotations, parallel to `items`; loaded only for the first query with an
    /// annotations join (see [`ItemStore::ensure_annotations`]), empty lists until then.
    pub annotations: Vec<Vec<Value>>,
    annotations_loaded: bool,
    /// Each item's task refs, parallel to `items`.
    pub refs: Vec<Vec<TaskRef>>,
    index: HashMap<String, usize>,
    /// Results of recent queries (positions in result order), keyed by the query without its
    /// page; emptied by every change to the items. Counting the same filter again (the app's
    /// live count, the SDK's page after page) then costs nothing.
    results: Mutex<HashMap<String, Arc<Vec<usize>>>>,
}

/// How many query results a dataset keeps.
const CACHED_RESULTS: usize = 32;

impl DatasetItems {
    /// The position of an item.
    pub fn position(&self, item_id: &str) -> Option<usize> {
        self.index.get(item_id).copied()
    }

    /// A cached result.
    pub fn cached(&self, key: &str) -> Option<Arc<Vec<usize>>> {
        self.results
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned()
    }

    /// Remembers a result.
    pub fn remember(&self, key: String, positions: Arc<Vec<usize>>) {
        let mut results = self.results.lock().unwrap_or_else(|p| p.into_inner());
        if results.len() >= CACHED_RESULTS {
            results.clear();
        }
        results.insert(key, positions);
    }

    fn changed(&mut self) {
        self.results
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Adds a ref to an item (an item added to a task).
    pub fn add_ref(&mut self, position: usize, task_ref: TaskRef) {
        self.refs[position].push(task_ref);
        self.refresh_refs(position);
    }

    /// Removes every ref of a task from an item.
    pub fn remove_task(&mut self, position: usize, task_id: &str) {
        self.refs[position].retain(|r| r.task_id != task_id);
        self.refresh_refs(position);
    }

    /// Sets (or with `None` clears) an item's status in a task.
    pub fn set_status(&mut self, position: usize, task_id: &str, status: Option<&str>) {
        for r in self.refs[position]
            .iter_mut()
            .filter(|r| r.task_id == task_id)
        {
            r.status = status.map(str::to_string);
        }
        self.refresh_refs(position);
    }

    /// Rewrites the derived JSON of an item from its refs.
    fn refresh_refs(&mut self, position: usize) {
        self.changed();
        let refs = &self.refs[position];
        let mut statuses: Vec<&str> = Vec::new();
        for status in refs.iter().filter_map(|r| r.status.as_deref()) {
            if !statuses.contains(&status) {
                statuses.push(status);
            }
        }
        let system = system_metadata(&mut self.items[position]);
        set_key(system, "refs", refs_json(refs));
        if statuses.is_empty() {
            system.shift_remove("annotationStatus");
        } else {
            set_key(system, "annotationStatus", json!(statuses));
        }
    }

    fn from_parts(
        mut items: Vec<Value>,
        annotation_counts: Vec<u64>,
        refs: Vec<Vec<TaskRef>>,
    ) -> Self {
        for (item, count) in items.iter_mut().zip(&annotation_counts) {
            if let Some(obj) = item.as_object_mut() {
                obj.insert("annotated".into(), json!(*count > 0));
                obj.insert("annotationsCount".into(), json!(count));
            }
        }
        let annotations = vec![Vec::new(); items.len()];
        let index = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| Some((item.get("id")?.as_str()?.to_string(), i)))
            .collect();
        let mut loaded = DatasetItems {
            items,
            annotations,
            annotations_loaded: false,
            results: Mutex::default(),
            refs,
            index,
        };
        for position in 0..loaded.items.len() {
            loaded.refresh_refs(position);
            let item = std::mem::take(&mut loaded.items[position]);
            loaded.items[position] = compact(item);
        }
        loaded
    }
}

/// The same JSON with every object and array allocated to its exact size: maps built while
/// parsing grow by doubling, and with a million items in memory the slack adds up.
fn compact(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut exact = serde_json::Map::with_capacity(map.len());
            for (key, child) in map {
                exact.insert(key, compact(child));
            }
            Value::Object(exact)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(compact).collect()),
        other => other,
    }
}

/// The item's `metadata.system` object, created if missing.
fn system_metadata(item: &mut Value) -> &mut serde_json::Map<String, Value> {
    // The usual case, without allocating keys for `entry`.
    if item
        .pointer("/metadata/system")
        .is_some_and(Value::is_object)
    {
        return item
            .pointer_mut("/metadata/system")
            .and_then(Value::as_object_mut)
            .expect("checked");
    }
    if !item.is_object() {
        *item = json!({});
    }
    let obj = item.as_object_mut().expect("object");
    let metadata = obj.entry("metadata").or_insert_with(|| json!({}));
    if !metadata.is_object() {
        *metadata = json!({});
    }
    let system = metadata
        .as_object_mut()
        .expect("object")
        .entry("system")
        .or_insert_with(|| json!({}));
    if !system.is_object() {
        *system = json!({});
    }
    system.as_object_mut().expect("object")
}

/// Sets `key`, allocating the key only when it is new.
fn set_key(map: &mut serde_json::Map<String, Value>, key: &str, value: Value) {
    match map.get_mut(key) {
        Some(slot) => *slot = value,
        None => {
            map.insert(key.to_string(), value);
        }
    }
}

/// The platform's `metadata.system.refs`: a task ref and an assignment ref per task, each with
/// `metadata.status` once a status is set.
fn refs_json(refs: &[TaskRef]) -> Value {
    let mut out = Vec::with_capacity(refs.len() * 2);
    for r in refs {
        for (kind, id) in [("task", &r.task_id), ("assignment", &r.assignment_id)] {
            let mut entry = json!({"type": kind, "id": id});
            if let Some(status) = &r.status {
                entry["metadata"] = json!({"status": status});
            }
            out.push(entry);
        }
    }
    Value::Array(out)
}

/// The loaded datasets.
#[derive(Debug, Default)]
pub struct ItemStore {
    datasets: RwLock<HashMap<String, Arc<RwLock<DatasetItems>>>>,
}

impl ItemStore {
    /// A dataset's items, loading them from SQLite on first use. Call with the database lock
    /// held (inside `Database::call`), so no write can slip in between load and insert.
    pub fn dataset(
        &self,
        conn: &Connection,
        dataset_id: &str,
    ) -> ApiResult<Arc<RwLock<DatasetItems>>> {
        if let Some(found) = self.loaded(dataset_id) {
            return Ok(found);
        }
        let loaded = Arc::new(RwLock::new(load(conn, dataset_id)?));
        self.datasets
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(dataset_id.to_string(), Arc::clone(&loaded));
        Ok(loaded)
    }

    /// A dataset's items if they are in memory already.
    pub fn loaded(&self, dataset_id: &str) -> Option<Arc<RwLock<DatasetItems>>> {
        self.datasets
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(dataset_id)
            .cloned()
    }

    /// Loads a dataset's annotations into memory if a join needs them and they are not there
    /// yet. Call with the database lock held.
    pub fn ensure_annotations(
        &self,
        conn: &Connection,
        dataset_id: &str,
        items: &mut DatasetItems,
    ) -> ApiResult<()> {
        if items.annotations_loaded {
            return Ok(());
        }
        let mut stmt = conn.prepare_cached(
            "SELECT item_id, body FROM annotations WHERE dataset_id = ?1 ORDER BY item_id, id",
        )?;
        let mut rows = stmt.query([dataset_id])?;
        while let Some(row) = rows.next()? {
            let item_id: String = row.get(0)?;
            if let Some(i) = items.position(&item_id) {
                let body: String = row.get(1)?;
                let mut annotation: Value =
                    serde_json::from_str(&body).unwrap_or_else(|_| json!({}));
                // Geometry is never filtered on and is most of an annotation's size.
                if let Some(obj) = annotation.as_object_mut() {
                    obj.shift_remove("coordinates");
                }
                items.annotations[i].push(compact(annotation));
            }
        }
        items.annotations_loaded = true;
        items.changed();
        Ok(())
    }

    /// Drops a dataset from memory (it reloads from SQLite on next use).
    pub fn forget(&self, dataset_id: &str) {
        self.datasets
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(dataset_id);
    }
}

fn load(conn: &Connection, dataset_id: &str) -> ApiResult<DatasetItems> {
    let mut items = Vec::new();
    let mut index = HashMap::new();
    {
        let mut stmt =
            conn.prepare_cached("SELECT id, body FROM items WHERE dataset_id = ?1 ORDER BY id")?;
        let mut rows = stmt.query([dataset_id])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let body: String = row.get(1)?;
            // `id` first, as the platform writes it.
            let mut item = serde_json::Map::new();
            item.insert("id".into(), json!(id.clone()));
            if let Ok(Value::Object(stored)) = serde_json::from_str::<Value>(&body) {
                item.extend(stored.into_iter().filter(|(k, _)| k != "id"));
            }
            let item = Value::Object(item);
            index.insert(id, items.len());
            items.push(item);
        }
    }
    let mut annotation_counts = vec![0u64; items.len()];
    {
        let mut stmt = conn.prepare_cached(
            "SELECT item_id, COUNT(*) FROM annotations WHERE dataset_id = ?1 GROUP BY item_id",
        )?;
        let mut rows = stmt.query([dataset_id])?;
        while let Some(row) = rows.next()? {
            let item_id: String = row.get(0)?;
            if let Some(&i) = index.get(&item_id) {
                annotation_counts[i] = row.get::<_, i64>(1)? as u64;
            }
        }
    }
    let mut refs = vec![Vec::new(); items.len()];
    {
        let mut stmt = conn.prepare_cached(
            "SELECT ti.item_id, ti.task_id, ti.assignment_id, ti.status
             FROM task_items ti JOIN tasks t ON t.id = ti.task_id
             WHERE t.dataset_id = ?1 ORDER BY ti.task_id",
        )?;
        let mut rows = stmt.query([dataset_id])?;
        while let Some(row) = rows.next()? {
            let item_id: String = row.get(0)?;
            if let Some(&i) = index.get(&item_id) {
                refs[i].push(TaskRef {
                    task_id: row.get(1)?,
                    assignment_id: row.get(2)?,
                    status: row.get(3)?,
                });
            }
        }
    }
    Ok(DatasetItems::from_parts(items, annotation_counts, refs))
}
