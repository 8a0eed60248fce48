//! Where a task's items come from, as the Items section offers it, and the DQL query each
//! choice means (as the SDK builds it, contract §4).
//!
//! The draft stores only the query; the choice is read back from it ([`ItemsSource::infer`]),
//! so a restored draft reopens on the choice it was saved with.

use annotask_core::dql::{Operator, Query};
use serde_json::Value;

/// The three ways to pick items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemsSource {
    /// Every file of the dataset: `dl.Filters()` defaults.
    Dataset,
    /// The files of one folder, optionally with its sub-folders.
    Folder {
        /// The folder's path, e.g. `/folder1`.
        path: String,
        /// Also the files of the folders below it.
        subfolders: bool,
    },
    /// A query built with the visual filter builder.
    Filter,
}

impl ItemsSource {
    /// Which choice a query corresponds to: the whole dataset or a folder when it is exactly
    /// what that choice builds, a filter otherwise.
    pub fn infer(query: &Query) -> ItemsSource {
        let json = query.to_json();
        if json == Query::items_default().to_json() {
            return ItemsSource::Dataset;
        }
        for path in dir_values(&json) {
            for subfolders in [false, true] {
                if json == folder_query(&path, subfolders).to_json() {
                    return ItemsSource::Folder { path, subfolders };
                }
            }
        }
        ItemsSource::Filter
    }

    /// The query of this choice; `None` for a filter, whose query is the builder's.
    pub fn query(&self) -> Option<Query> {
        match self {
            ItemsSource::Dataset => Some(Query::items_default()),
            ItemsSource::Folder { path, subfolders } => Some(folder_query(path, *subfolders)),
            ItemsSource::Filter => None,
        }
    }
}

/// The files of a folder: the defaults plus `{"dir": "/folder1"}` (an exact directory
/// match). With sub-folders, the SDK's folder filter (`datasets.py:_bulid_folder_filter`):
/// `$or` of `dir = /folder1` and `dir = /folder1/*`.
pub fn folder_query(path: &str, subfolders: bool) -> Query {
    let mut query = Query::items_default();
    let path = path.trim_end_matches('/');
    let path = if path.is_empty() { "/" } else { path };
    if subfolders {
        query.add_or("dir", Operator::Eq, Value::from(path));
        let below = if path == "/" {
            "/*".to_owned()
        } else {
            format!("{path}/*")
        };
        query.add_or("dir", Operator::Eq, Value::from(below));
    } else {
        query.add("dir", Operator::Eq, Value::from(path));
    }
    query
}

/// The plain `dir` values of a query's top-level `$and` and `$or` lists.
fn dir_values(json: &Value) -> Vec<String> {
    ["$and", "$or"]
        .iter()
        .filter_map(|list| json.pointer(&format!("/filter/{list}")))
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|clause| clause.get("dir").and_then(Value::as_str))
        .filter(|dir| !dir.ends_with('*'))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn folder_queries_follow_the_sdk() {
        assert_eq!(
            folder_query("/folder1", false).to_json()["filter"],
            json!({"$and": [{"hidden": false}, {"type": "file"}, {"dir": "/folder1"}]})
        );
        assert_eq!(
            folder_query("/folder1", true).to_json()["filter"],
            json!({"$or": [{"dir": "/folder1"}, {"dir": "/folder1/*"}],
                   "$and": [{"hidden": false}, {"type": "file"}]})
        );
    }

    #[wasm_bindgen_test]
    fn choices_are_read_back_from_their_queries() {
        for source in [
            ItemsSource::Dataset,
            ItemsSource::Folder {
                path: "/folder1/sub".into(),
                subfolders: false,
            },
            ItemsSource::Folder {
                path: "/folder2".into(),
                subfolders: true,
            },
        ] {
            let query = source.query().unwrap();
            // Through JSON, as the draft goes through localStorage.
            let stored: Query = serde_json::from_value(query.to_json()).unwrap();
            assert_eq!(ItemsSource::infer(&stored), source);
        }
        let mut other = Query::items_default();
        other.add("annotated", Operator::Eq, json!(true));
        assert_eq!(ItemsSource::infer(&other), ItemsSource::Filter);
    }
}
