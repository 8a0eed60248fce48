//! Datasets (PKG `entities/dataset.py`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::lenient;

/// `metadata.system` of a dataset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DatasetSystemMetadata {
    /// The dataset's recipe ids; task creation defaults to the first.
    #[serde(deserialize_with = "lenient::or_default")]
    pub recipes: Vec<String>,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `metadata` of a dataset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DatasetMetadata {
    /// `metadata.system`.
    #[serde(deserialize_with = "lenient::or_default")]
    pub system: DatasetSystemMetadata,
    /// Every other field (`user`, …), kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A dataset, as returned by `GET /datasets/{id}` and `POST /datasets/query`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Dataset {
    /// The dataset id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub id: String,
    /// The dataset name.
    #[serde(deserialize_with = "lenient::or_default")]
    pub name: String,
    /// The projects the dataset belongs to; the first is its project.
    #[serde(deserialize_with = "lenient::or_default")]
    pub projects: Vec<String>,
    /// The creator's e-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    /// The dataset's API URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
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
    /// The number of items.
    #[serde(
        deserialize_with = "lenient::optional_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub items_count: Option<u32>,
    /// Whether the dataset is read-only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readonly: Option<bool>,
    /// The metadata, with `system.recipes`.
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: DatasetMetadata,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Dataset {
    /// `metadata.system.recipes`.
    pub fn recipe_ids(&self) -> &[String] {
        &self.metadata.system.recipes
    }

    /// The recipe a task uses when none is given: the first of [`Dataset::recipe_ids`].
    pub fn default_recipe_id(&self) -> Option<&str> {
        self.recipe_ids().first().map(String::as_str)
    }

    /// The dataset's project: the first of `projects`.
    pub fn project_id(&self) -> Option<&str> {
        self.projects.first().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_live_dataset() {
        let value = json!({"id": "6000000000000000000000b1", "name": "images", "projects": ["6000000000000000000000a1"],
                           "metadata": {"system": {"recipes": ["6000000000000000000000c1"], "scheme": 1}, "user": {"k": 2}},
                           "itemsCount": 12.0});
        let dataset: Dataset = serde_json::from_value(value).unwrap();
        assert_eq!(
            dataset.default_recipe_id(),
            Some("6000000000000000000000c1")
        );
        assert_eq!(dataset.project_id(), Some("6000000000000000000000a1"));
        assert_eq!(dataset.items_count, Some(12));
        let back = serde_json::to_value(&dataset).unwrap();
        assert_eq!(
            back["metadata"],
            json!({"system": {"recipes": ["6000000000000000000000c1"], "scheme": 1}, "user": {"k": 2}})
        );
        let bare: Dataset = serde_json::from_value(json!({"id": "d", "metadata": null})).unwrap();
        assert_eq!(bare.default_recipe_id(), None);
    }
}
