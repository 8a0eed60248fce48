//! Dataset items (OAS `APIDatasetFileItem`, PKG `entities/item.py`).

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::lenient;

/// An item's `annotated` flag: a boolean, or the string `"discarded"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Annotated {
    /// `true` / `false`.
    Flag(bool),
    /// A status string such as `"discarded"`.
    Status(String),
}

impl Default for Annotated {
    fn default() -> Self {
        Annotated::Flag(false)
    }
}

impl Annotated {
    /// Whether the item has annotations (`true`).
    pub fn is_annotated(&self) -> bool {
        *self == Annotated::Flag(true)
    }

    /// Whether the item was discarded (`"discarded"`).
    pub fn is_discarded(&self) -> bool {
        matches!(self, Annotated::Status(status) if status == "discarded")
    }
}

/// A typed view of one entry of `metadata.system.refs`:
/// `{"type": "task"|"assignment", "id": "…", "metadata": {"status": "completed"}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemRef {
    /// `"task"` or `"assignment"`.
    #[serde(rename = "type", deserialize_with = "lenient::or_default")]
    pub kind: String,
    /// The task or assignment id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub id: String,
    /// The ref's metadata; `status` is the item's status in that task or assignment.
    #[serde(
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Map::is_empty"
    )]
    pub metadata: Map<String, Value>,
}

impl ItemRef {
    /// `metadata.status`, the status the item has in the referenced task or assignment.
    pub fn status(&self) -> Option<&str> {
        self.metadata.get("status").and_then(Value::as_str)
    }
}

/// A dataset item (a file or a directory entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Item {
    /// The item id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub id: String,
    /// The dataset id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub dataset_id: String,
    /// The directory, e.g. `/folder1`.
    #[serde(deserialize_with = "lenient::or_default")]
    pub dir: String,
    /// The full path, e.g. `/folder1/a.jpg`.
    #[serde(deserialize_with = "lenient::or_default")]
    pub filename: String,
    /// The file name, e.g. `a.jpg`.
    #[serde(deserialize_with = "lenient::or_default")]
    pub name: String,
    /// `"file"` or `"dir"`.
    #[serde(rename = "type", deserialize_with = "lenient::or_default")]
    pub item_type: String,
    /// Hidden items are left out by the default query.
    #[serde(deserialize_with = "lenient::or_default")]
    pub hidden: bool,
    /// Whether the item is annotated (or `"discarded"`).
    #[serde(deserialize_with = "lenient::or_default")]
    pub annotated: Annotated,
    /// The uploader's e-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    /// ISO creation time.
    #[serde(
        deserialize_with = "lenient::timestamp",
        skip_serializing_if = "String::is_empty"
    )]
    pub created_at: String,
    /// ISO update time.
    #[serde(
        deserialize_with = "lenient::timestamp",
        skip_serializing_if = "String::is_empty"
    )]
    pub updated_at: String,
    /// The number of annotations.
    #[serde(deserialize_with = "lenient::count")]
    pub annotations_count: u64,
    /// The metadata, kept losslessly: `system` (mimetype, size, width, height,
    /// annotationStatus, refs …) and `user` (free form). See the typed accessors.
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: Map<String, Value>,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for Item {
    fn default() -> Self {
        Item {
            id: String::new(),
            dataset_id: String::new(),
            dir: String::new(),
            filename: String::new(),
            name: String::new(),
            item_type: "file".to_owned(),
            hidden: false,
            annotated: Annotated::default(),
            creator: None,
            created_at: String::new(),
            updated_at: String::new(),
            annotations_count: 0,
            metadata: Map::new(),
            extra: Map::new(),
        }
    }
}

impl Item {
    /// The item as a JSON document, which is what DQL evaluates.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("an Item always serializes")
    }

    /// `metadata.system`, if it is an object.
    pub fn system_metadata(&self) -> Option<&Map<String, Value>> {
        self.metadata.get("system").and_then(Value::as_object)
    }

    /// `metadata.user`, if it is an object.
    pub fn user_metadata(&self) -> Option<&Map<String, Value>> {
        self.metadata.get("user").and_then(Value::as_object)
    }

    fn system(&self, key: &str) -> Option<&Value> {
        self.system_metadata().and_then(|system| system.get(key))
    }

    /// `metadata.system.mimetype`, e.g. `image/jpeg`.
    pub fn mimetype(&self) -> Option<&str> {
        self.system("mimetype").and_then(Value::as_str)
    }

    /// `metadata.system.size` in bytes.
    pub fn size(&self) -> Option<u64> {
        self.system("size").and_then(Value::as_u64)
    }

    /// `metadata.system.width` in pixels.
    pub fn width(&self) -> Option<f64> {
        self.system("width").and_then(Value::as_f64)
    }

    /// `metadata.system.height` in pixels.
    pub fn height(&self) -> Option<f64> {
        self.system("height").and_then(Value::as_f64)
    }

    /// `metadata.system.annotationStatus`, the string entries of the list.
    pub fn annotation_status(&self) -> Vec<&str> {
        self.system("annotationStatus")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// `metadata.system.refs`, skipping entries that are not objects.
    pub fn refs(&self) -> Vec<ItemRef> {
        self.system("refs")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter(|entry| entry.is_object())
                    .filter_map(|entry| serde_json::from_value(entry.clone()).ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The item's status in task or assignment `id` (`kind` is `"task"` or `"assignment"`).
    pub fn ref_status(&self, kind: &str, id: &str) -> Option<String> {
        self.refs()
            .into_iter()
            .find(|r| r.kind == kind && r.id == id)
            .and_then(|r| r.status().map(str::to_owned))
    }

    /// Adds a `{type, id}` ref unless one is there already (the item joins a task or an
    /// assignment).
    pub fn add_ref(&mut self, kind: &str, id: &str) {
        let refs = self.refs_mut();
        if !refs.iter().any(|r| is_ref(r, kind, id)) {
            refs.push(json!({"type": kind, "id": id}));
        }
    }

    /// Removes the `{type, id}` refs (the item leaves a task or an assignment).
    pub fn remove_ref(&mut self, kind: &str, id: &str) {
        self.refs_mut().retain(|r| !is_ref(r, kind, id));
    }

    /// Sets (`Some`) or clears (`None`) the status of the `{type, id}` ref, which is what
    /// `POST …/status` with operation `create` / `delete` does; a missing ref is added when
    /// setting a status.
    pub fn set_ref_status(&mut self, kind: &str, id: &str, status: Option<&str>) {
        if status.is_some() {
            self.add_ref(kind, id);
        }
        for entry in self.refs_mut().iter_mut().filter(|r| is_ref(r, kind, id)) {
            let object = entry.as_object_mut().expect("is_ref only accepts objects");
            match status {
                Some(status) => {
                    let metadata = object
                        .entry("metadata")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if !metadata.is_object() {
                        *metadata = Value::Object(Map::new());
                    }
                    metadata["status"] = Value::from(status);
                }
                None => {
                    if let Some(metadata) =
                        object.get_mut("metadata").and_then(Value::as_object_mut)
                    {
                        metadata.remove("status");
                    }
                }
            }
        }
    }

    /// `metadata.system.refs` as a mutable list, created (and `metadata.system` with it)
    /// when missing or not a list.
    fn refs_mut(&mut self) -> &mut Vec<Value> {
        let system = self
            .metadata
            .entry("system")
            .or_insert_with(|| Value::Object(Map::new()));
        if !system.is_object() {
            *system = Value::Object(Map::new());
        }
        let refs = system
            .as_object_mut()
            .expect("made an object above")
            .entry("refs")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !refs.is_array() {
            *refs = Value::Array(Vec::new());
        }
        refs.as_array_mut().expect("made an array above")
    }
}

fn is_ref(entry: &Value, kind: &str, id: &str) -> bool {
    entry.is_object() && entry["type"] == kind && entry["id"] == id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> Item {
        serde_json::from_value(json!({
            "id": "i1", "datasetId": "d", "dir": "/folder1", "filename": "/folder1/a.jpg", "name": "a.jpg",
            "type": "file", "hidden": false, "annotated": "discarded", "createdAt": "2024-01-01T00:00:00.000Z",
            "annotationsCount": 2.0, "stream": "https://x",
            "metadata": {"system": {"mimetype": "image/jpeg", "size": 1234, "width": 640, "height": 480,
                                     "annotationStatus": ["completed", 5],
                                     "refs": [{"type": "task", "id": "T", "metadata": {"status": "completed"}},
                                              {"type": "assignment", "id": "A"}, "junk"]},
                         "user": {"k": [1]}}
        }))
        .unwrap()
    }

    #[test]
    fn typed_accessors() {
        let item = item();
        assert!(item.annotated.is_discarded() && !item.annotated.is_annotated());
        assert_eq!(item.annotations_count, 2);
        assert_eq!(item.mimetype(), Some("image/jpeg"));
        assert_eq!(item.size(), Some(1234));
        assert_eq!((item.width(), item.height()), (Some(640.0), Some(480.0)));
        assert_eq!(item.annotation_status(), ["completed"]);
        assert_eq!(item.user_metadata().unwrap()["k"], json!([1]));
        assert_eq!(item.refs().len(), 2);
        assert_eq!(item.ref_status("task", "T").as_deref(), Some("completed"));
        assert_eq!(item.ref_status("assignment", "A"), None);
    }

    #[test]
    fn metadata_and_extras_survive_a_round_trip() {
        let item = item();
        let value = item.to_value();
        assert_eq!(value["stream"], json!("https://x"));
        assert_eq!(value["metadata"]["system"]["refs"][2], json!("junk"));
        assert_eq!(serde_json::from_value::<Item>(value).unwrap(), item);
    }

    #[test]
    fn ref_status_updates() {
        let mut item = item();
        item.set_ref_status("assignment", "A", Some("completed"));
        assert_eq!(
            item.ref_status("assignment", "A").as_deref(),
            Some("completed")
        );
        item.set_ref_status("task", "T", None);
        assert_eq!(item.ref_status("task", "T"), None);
        assert_eq!(item.refs()[0].metadata, Map::new());
        item.set_ref_status("task", "NEW", Some("discard"));
        assert_eq!(item.ref_status("task", "NEW").as_deref(), Some("discard"));
        item.remove_ref("task", "NEW");
        assert_eq!(item.refs().len(), 2);

        let mut bare = Item::default();
        assert_eq!(bare.item_type, "file");
        bare.add_ref("task", "T");
        bare.add_ref("task", "T");
        assert_eq!(
            bare.metadata,
            *json!({"system": {"refs": [{"type": "task", "id": "T"}]}})
                .as_object()
                .unwrap()
        );
    }

    #[test]
    fn annotated_flags() {
        let item: Item = serde_json::from_value(json!({"annotated": true})).unwrap();
        assert!(item.annotated.is_annotated());
        let item: Item = serde_json::from_value(json!({"annotated": null})).unwrap();
        assert_eq!(item.annotated, Annotated::Flag(false));
        assert_eq!(item.to_value()["annotated"], json!(false));
    }
}
