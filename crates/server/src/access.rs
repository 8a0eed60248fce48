//! Who may see and do what: project membership and roles.
//!
//! A user sees only the projects they are a member of; anything in another project answers
//! 404, as if it did not exist. Managing tasks takes the owner, engineer or annotationManager
//! role; an annotator may only set statuses on the items of their own assignments.

use rusqlite::{Connection, OptionalExtension};

pub use annotask_core::entities::Role;

use crate::error::{ApiError, ApiResult};

/// The role of `user_id` in `project_id`; 404 when the project does not exist or the user is
/// not a member (the two must look the same).
pub fn project_role(conn: &Connection, project_id: &str, user_id: &str) -> ApiResult<Role> {
    let role: Option<String> = conn
        .prepare_cached("SELECT role FROM members WHERE project_id = ?1 AND user_id = ?2")?
        .query_row([project_id, user_id], |r| r.get(0))
        .optional()?;
    role.map(|r| Role::parse(&r))
        .ok_or_else(|| ApiError::not_found(format!("project {project_id} not found")))
}

/// Like [`project_role`], and 403 unless the role may manage tasks.
pub fn require_task_manager(conn: &Connection, project_id: &str, user_id: &str) -> ApiResult<Role> {
    let role = project_role(conn, project_id, user_id)?;
    if role.may_manage_tasks() {
        Ok(role)
    } else {
        Err(ApiError::forbidden(format!(
            "the {} role may not manage tasks; owner, engineer or annotationManager is needed",
            role.as_str()
        )))
    }
}

/// The ids of the projects `user_id` is a member of.
pub fn member_project_ids(conn: &Connection, user_id: &str) -> ApiResult<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT project_id FROM members WHERE user_id = ?1")?;
    let ids = stmt
        .query_map([user_id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(ids)
}
