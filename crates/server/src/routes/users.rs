//! `GET /users/me` and the user JSON shape.

use axum::extract::State;
use axum::Json;
use rusqlite::{OptionalExtension, Row};
use serde_json::{json, Value};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Columns [`user_json`] reads, in order.
pub const USER_COLUMNS: &str =
    "u.id, u.email, u.username, u.first_name, u.last_name, u.created_at, u.updated_at";

/// A user as the platform writes it (PKG `entities/user.py`), with `role` when given.
pub fn user_json(row: &Row<'_>, role: Option<&str>) -> rusqlite::Result<Value> {
    let mut user = json!({
        "id": row.get::<_, String>(0)?,
        "email": row.get::<_, String>(1)?,
        "username": row.get::<_, String>(2)?,
        "firstName": row.get::<_, String>(3)?,
        "lastName": row.get::<_, String>(4)?,
        "avatar": null,
        "type": "human",
        "org": null,
        "createdAt": row.get::<_, String>(5)?,
        "updatedAt": row.get::<_, String>(6)?,
    });
    if let Some(role) = role {
        user["role"] = json!(role);
    }
    Ok(user)
}

pub async fn me(State(state): State<AppState>, user: AuthUser) -> ApiResult<Json<Value>> {
    state
        .db
        .call(move |conn| {
            conn.query_row(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = ?1"),
                [&user.id],
                |r| user_json(r, None),
            )
            .optional()?
            .map(Json)
            .ok_or_else(|| ApiError::unauthorized("the token's user no longer exists"))
        })
        .await
}
