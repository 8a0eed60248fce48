//! `POST /token?default` at the root: the platform's sign-in (not under `/api/v1`).
//!
//! dtlpy's `login_m2m` sends `{"type": "user_credentials", "username", "password"}`; its token
//! refresh sends `{"type": "refresh_token", "refresh_token"}`. Both answer
//! `{"id_token", "refresh_token"}`.

use annotask_core::entities::{TokenRequest, TokenResponse};
use axum::extract::State;
use axum::Json;
use rusqlite::OptionalExtension;
use serde_json::Value;

use crate::auth::{self, REFRESH_LIFETIME_SECS};
use crate::clock;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;

pub async fn token(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<TokenResponse>> {
    let grant: TokenRequest = serde_json::from_value(body).map_err(|e| {
        ApiError::field(
            "type",
            "invalid",
            format!("expected {{\"type\": \"user_credentials\", \"username\", \"password\"}} or {{\"type\": \"refresh_token\", \"refresh_token\"}}: {e}"),
        )
    })?;
    let jwt = state.jwt.clone();
    state
        .db
        .call(move |conn| match grant {
            TokenRequest::UserCredentials { username, password } => {
                let user: Option<(String, String, String)> = conn
                    .query_row(
                        "SELECT id, email, password_hash FROM users WHERE email = ?1 COLLATE NOCASE",
                        [username.trim()],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?;
                // Verify against a hash even for unknown users, so timing does not tell
                // which emails exist.
                let (id, email, hash) = user.unwrap_or_else(|| {
                    (String::new(), String::new(), unknown_user_hash().to_string())
                });
                if !auth::verify_password(&password, &hash) || id.is_empty() {
                    return Err(ApiError::unauthorized("invalid email or password"));
                }
                let refresh = auth::new_refresh_token();
                conn.execute(
                    "INSERT INTO refresh_tokens (digest, user_id, expires_at) VALUES (?1, ?2, ?3)",
                    rusqlite::params![
                        auth::refresh_token_digest(&refresh),
                        id,
                        (clock::now_secs() + REFRESH_LIFETIME_SECS) as i64
                    ],
                )?;
                Ok(Json(TokenResponse { id_token: jwt.issue(&id, &email), refresh_token: Some(refresh) }))
            }
            TokenRequest::RefreshToken { refresh_token } => {
                let now = clock::now_secs() as i64;
                conn.execute("DELETE FROM refresh_tokens WHERE expires_at <= ?1", [now])?;
                let user: Option<(String, String)> = conn
                    .query_row(
                        "SELECT u.id, u.email FROM refresh_tokens t JOIN users u ON u.id = t.user_id
                         WHERE t.digest = ?1",
                        [auth::refresh_token_digest(&refresh_token)],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                let (id, email) =
                    user.ok_or_else(|| ApiError::unauthorized("invalid or expired refresh token"))?;
                Ok(Json(TokenResponse { id_token: jwt.issue(&id, &email), refresh_token: Some(refresh_token) }))
            }
        })
        .await
}

/// A fixed hash to check passwords of unknown users against.
fn unknown_user_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| auth::hash_password("annotask: no such user"))
}
