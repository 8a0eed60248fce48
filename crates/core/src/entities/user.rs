//! Users and project members (PKG `entities/user.py`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::lenient;

/// A member's role in a project, serialized exactly as the platform spells it.
///
/// On Dataloop every project role can work on items, so all four known roles
/// [may annotate](Role::may_annotate) and are offered by the assignee picker; creating and
/// managing tasks is for owners, engineers and annotation managers
/// ([`Role::may_manage_tasks`]). A role this crate does not know is kept as `Other` and
/// may do neither.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    /// `"owner"`.
    Owner,
    /// `"engineer"` (called "developer" in older SDK docstrings).
    Engineer,
    /// `"annotationManager"`.
    AnnotationManager,
    /// `"annotator"`.
    Annotator,
    /// Any other role string, kept verbatim.
    Other(String),
}

impl Role {
    /// The known roles, in the order a role picker shows them.
    pub const KNOWN: [Role; 4] = [
        Role::Owner,
        Role::Engineer,
        Role::AnnotationManager,
        Role::Annotator,
    ];

    /// The platform's spelling: `"owner"`, `"engineer"`, `"annotationManager"`, `"annotator"`.
    pub fn as_str(&self) -> &str {
        match self {
            Role::Owner => "owner",
            Role::Engineer => "engineer",
            Role::AnnotationManager => "annotationManager",
            Role::Annotator => "annotator",
            Role::Other(other) => other,
        }
    }

    /// The role for a platform string; unknown strings become [`Role::Other`].
    pub fn parse(text: &str) -> Role {
        Role::KNOWN
            .into_iter()
            .find(|role| role.as_str() == text)
            .unwrap_or_else(|| Role::Other(text.to_owned()))
    }

    /// Whether a member with this role may be assigned items to annotate: every known role.
    pub fn may_annotate(&self) -> bool {
        !matches!(self, Role::Other(_))
    }

    /// Whether a member with this role may create and manage tasks: owners, engineers and
    /// annotation managers (PKG `tasks.create` docstring).
    pub fn may_manage_tasks(&self) -> bool {
        matches!(self, Role::Owner | Role::Engineer | Role::AnnotationManager)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Role::parse(&String::deserialize(deserializer)?))
    }
}

/// A platform user; as a project member (`GET /projects/{id}/members`) it carries `role`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    /// The user id.
    #[serde(deserialize_with = "lenient::or_default")]
    pub id: String,
    /// The e-mail address, which is what tasks use to name assignees and owners.
    #[serde(deserialize_with = "lenient::or_default")]
    pub email: String,
    /// The login name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The first name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// The last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The avatar image URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// The project role (members only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The account type, e.g. `"human"`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub user_type: Option<String>,
    /// The organisation (an id or an object).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<Value>,
    /// ISO creation time (epoch milliseconds are converted).
    #[serde(
        deserialize_with = "lenient::timestamp",
        skip_serializing_if = "String::is_empty"
    )]
    pub created_at: String,
    /// ISO update time (epoch milliseconds are converted).
    #[serde(
        deserialize_with = "lenient::timestamp",
        skip_serializing_if = "String::is_empty"
    )]
    pub updated_at: String,
    /// Every other field, kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A project member: a [`User`] with its `role`.
pub type Member = User;

impl User {
    /// "First Last" when known, else the username, else the e-mail.
    pub fn display_name(&self) -> String {
        let full: Vec<&str> = [&self.first_name, &self.last_name]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if !full.is_empty() {
            return full.join(" ");
        }
        match &self.username {
            Some(name) if !name.trim().is_empty() => name.clone(),
            _ => self.email.clone(),
        }
    }

    /// Whether this member may be assigned items ([`Role::may_annotate`]); `false` without a role.
    pub fn may_annotate(&self) -> bool {
        self.role.as_ref().is_some_and(Role::may_annotate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn roles_serialize_exactly() {
        for (role, text) in [
            (Role::Owner, "owner"),
            (Role::Engineer, "engineer"),
            (Role::AnnotationManager, "annotationManager"),
            (Role::Annotator, "annotator"),
        ] {
            assert_eq!(serde_json::to_value(&role).unwrap(), json!(text));
            assert_eq!(serde_json::from_value::<Role>(json!(text)).unwrap(), role);
        }
        let other: Role = serde_json::from_value(json!("developer")).unwrap();
        assert_eq!(other, Role::Other("developer".into()));
        assert_eq!(serde_json::to_value(&other).unwrap(), json!("developer"));
    }

    #[test]
    fn role_permissions() {
        assert!(Role::KNOWN.iter().all(Role::may_annotate));
        assert!(!Role::Other("viewer".into()).may_annotate());
        assert!(Role::Owner.may_manage_tasks());
        assert!(Role::Engineer.may_manage_tasks());
        assert!(Role::AnnotationManager.may_manage_tasks());
        assert!(!Role::Annotator.may_manage_tasks());
        assert!(!Role::Other("x".into()).may_manage_tasks());
    }

    #[test]
    fn members_read_leniently_and_keep_extras() {
        let text = r#"{"id":"u1","email":"annotator1@example.com","username":"a1","firstName":"Ann","lastName":null,
                      "role":"annotator","type":"human","org":{"id":"o"},"createdAt":0,"updatedAt":"2024-01-01T00:00:00.000Z",
                      "groups":[],"timezone":"UTC"}"#;
        let user: User = serde_json::from_str(text).unwrap();
        assert_eq!(user.role, Some(Role::Annotator));
        assert_eq!(user.created_at, "1970-01-01T00:00:00.000Z");
        assert_eq!(user.display_name(), "Ann");
        assert!(user.may_annotate());
        assert_eq!(user.extra.get("timezone"), Some(&json!("UTC")));
        let back = serde_json::to_value(&user).unwrap();
        assert_eq!(back["groups"], json!([]));
        assert_eq!(back["firstName"], json!("Ann"));
        assert!(back.get("lastName").is_none());

        let bare: User = serde_json::from_str(r#"{"email":"x@y.z","id":null}"#).unwrap();
        assert_eq!(bare.display_name(), "x@y.z");
        assert!(!bare.may_annotate());
    }
}
