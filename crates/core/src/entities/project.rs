//! Projects (PKG `entities/project.py`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{lenient, Role, User};

/// A project, as returned by `GET /projects/{id}` and (in an array) `GET /projects/{name}/name`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Project {
    /// The project id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub id: String,
    /// The project name.
    #[serde(deserialize_with = "lenient::or_default")]
    pub name: String,
    /// The creator's e-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    /// The organisation (an id or an object).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<Value>,
    /// The project's API URL.
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
    /// The calling user's role in the project.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Whether the project is archived.
    #[serde(deserialize_with = "lenient::or_default")]
    pub archived: bool,
    /// The members with their roles (read by `project.contributors` without a request).
    #[serde(deserialize_with = "lenient::or_default")]
    pub contributors: Vec<User>,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_live_project() {
        let text = r#"[{"id":"6000000000000000000000a1","name":"demo","creator":"owner@example.com",
            "contributors":[{"id":"u","email":"annotator1@example.com","role":"annotator"}],"feature":1}]"#;
        let projects: Vec<Project> = serde_json::from_str(text).unwrap();
        let project = &projects[0];
        assert_eq!(project.name, "demo");
        assert_eq!(project.contributors[0].role, Some(Role::Annotator));
        assert_eq!(project.extra["feature"], json!(1));
        let back = serde_json::to_value(project).unwrap();
        assert_eq!(back["creator"], json!("owner@example.com"));
        assert_eq!(back["feature"], json!(1));
    }
}
