//! Recipes and their labels, reduced to what the task form shows.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::lenient;

/// A label of a recipe: `{"tag": "dog", "color": "#ff0000", "displayLabel": "Dog"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Label {
    /// The label's name, which annotations carry in their `label` field (JSON `tag`).
    #[serde(rename = "tag", deserialize_with = "lenient::or_default")]
    pub name: String,
    /// The label colour, e.g. `"#ff0000"`.
    #[serde(deserialize_with = "lenient::or_default")]
    pub color: String,
    /// A friendlier name to show, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_label: Option<String>,
    /// Every other field (attributes, children …), kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Label {
    /// The text to show: `displayLabel` when set, else the name.
    pub fn shown_name(&self) -> &str {
        self.display_label
            .as_deref()
            .filter(|label| !label.is_empty())
            .unwrap_or(&self.name)
    }
}

/// A recipe: its id, title and labels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Recipe {
    /// The recipe id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub id: String,
    /// The recipe title.
    #[serde(deserialize_with = "lenient::or_default")]
    pub title: String,
    /// The ontologies the recipe uses.
    #[serde(
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ontology_ids: Vec<String>,
    /// The labels annotators can use.
    #[serde(deserialize_with = "lenient::or_default")]
    pub labels: Vec<Label>,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_use_the_tag_key() {
        let recipe: Recipe = serde_json::from_value(json!({
            "id": "c1", "title": "default", "ontologyIds": ["o1"],
            "labels": [{"tag": "dog", "color": "#ff0000", "displayLabel": "Dog", "children": []},
                       {"tag": "cat", "color": null}]
        }))
        .unwrap();
        assert_eq!(recipe.labels[0].name, "dog");
        assert_eq!(recipe.labels[0].shown_name(), "Dog");
        assert_eq!(recipe.labels[1].shown_name(), "cat");
        assert_eq!(
            serde_json::to_value(&recipe.labels[1]).unwrap(),
            json!({"tag": "cat", "color": ""})
        );
        assert_eq!(
            serde_json::to_value(&recipe).unwrap()["labels"][0]["children"],
            json!([])
        );
    }
}
