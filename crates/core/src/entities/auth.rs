//! The token endpoint's bodies (`POST {gate}/token?default`, contract §6).

use serde::{Deserialize, Serialize};

/// The body of `POST /token?default`, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum TokenRequest {
    /// `{"type": "user_credentials", "username": …, "password": …}` (`dl.login_m2m`).
    #[serde(rename = "user_credentials")]
    UserCredentials {
        /// The user's e-mail.
        username: String,
        /// The password.
        password: String,
    },
    /// `{"type": "refresh_token", "refresh_token": …}` (the SDK's automatic refresh).
    #[serde(rename = "refresh_token")]
    RefreshToken {
        /// The refresh token from an earlier [`TokenResponse`].
        refresh_token: String,
    },
}

/// The token endpoint's answer: `{"id_token": <JWT>, "refresh_token"?: …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    /// The JWT to send as `authorization: Bearer …`; needs `exp` and `email` claims.
    pub id_token: String,
    /// A token for [`TokenRequest::RefreshToken`], when the server issues one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn requests_are_tagged_by_type() {
        let sdk_login =
            json!({"username": "owner@example.com", "password": "pw", "type": "user_credentials"});
        assert_eq!(
            serde_json::from_value::<TokenRequest>(sdk_login).unwrap(),
            TokenRequest::UserCredentials {
                username: "owner@example.com".into(),
                password: "pw".into()
            }
        );
        let refresh = TokenRequest::RefreshToken {
            refresh_token: "r".into(),
        };
        assert_eq!(
            serde_json::to_value(&refresh).unwrap(),
            json!({"type": "refresh_token", "refresh_token": "r"})
        );
        assert!(serde_json::from_value::<TokenRequest>(json!({"type": "password"})).is_err());
    }

    #[test]
    fn responses() {
        let response = TokenResponse {
            id_token: "jwt".into(),
            refresh_token: None,
        };
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            json!({"id_token": "jwt"})
        );
        let read: TokenResponse =
            serde_json::from_value(json!({"id_token": "a", "refresh_token": "b"})).unwrap();
        assert_eq!(read.refresh_token.as_deref(), Some("b"));
    }
}
