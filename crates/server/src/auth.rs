//! Sign-in: HS256 JWTs (hand-rolled on `hmac` + `sha2`), argon2 password hashes, opaque refresh
//! tokens, and the [`AuthUser`] extractor that every `/api/v1` route takes.

use std::path::Path;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::error::ApiError;
use crate::ids;
use crate::state::AppState;

/// How long an access token is valid.
pub const TOKEN_LIFETIME_SECS: u64 = 3600;
/// How long a refresh token is valid.
pub const REFRESH_LIFETIME_SECS: u64 = 30 * 24 * 3600;

type HmacSha256 = Hmac<Sha256>;

/// The claims in an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    /// The user's email: dtlpy reads it as the default task owner.
    pub email: String,
    pub iat: u64,
    /// Expiry in epoch seconds: dtlpy refreshes when `now >= exp - 60`.
    pub exp: u64,
}

/// The HMAC key tokens are signed with.
#[derive(Clone)]
pub struct JwtKey {
    secret: Vec<u8>,
}

impl std::fmt::Debug for JwtKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKey(..)")
    }
}

impl JwtKey {
    pub fn from_secret(secret: Vec<u8>) -> Self {
        JwtKey { secret }
    }

    /// A fresh random key that lives only in memory (for `--db :memory:`).
    pub fn random() -> Self {
        let mut secret = vec![0u8; 32];
        getrandom::fill(&mut secret).expect("the operating system's random source failed");
        JwtKey { secret }
    }

    /// The key stored in `path`, created with a random value on first start.
    pub fn load_or_create(path: &Path) -> std::io::Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let hex = text.trim();
                let secret = decode_hex(hex).filter(|s| s.len() >= 32).ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{} does not hold a 64-hex-digit secret", path.display()),
                    )
                })?;
                Ok(JwtKey { secret })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let hex = ids::random_hex(32);
                write_private(path, &format!("{hex}\n"))?;
                Ok(JwtKey {
                    secret: decode_hex(&hex).expect("hex we just made"),
                })
            }
            Err(e) => Err(e),
        }
    }

    fn mac(&self) -> HmacSha256 {
        HmacSha256::new_from_slice(&self.secret).expect("HMAC takes keys of any length")
    }

    /// A signed token for `claims`.
    pub fn sign(&self, claims: &Claims) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialize"));
        let signing_input = format!("{header}.{payload}");
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }

    /// A token for a user, valid for [`TOKEN_LIFETIME_SECS`].
    pub fn issue(&self, user_id: &str, email: &str) -> String {
        let now = clock::now_secs();
        self.sign(&Claims {
            sub: user_id.to_string(),
            email: email.to_string(),
            iat: now,
            exp: now + TOKEN_LIFETIME_SECS,
        })
    }

    /// The claims of a token this key signed that has not expired.
    pub fn verify(&self, token: &str) -> Result<Claims, &'static str> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("malformed token");
        };
        let header: serde_json::Value = URL_SAFE_NO_PAD
            .decode(header)
            .ok()
            .and_then(|h| serde_json::from_slice(&h).ok())
            .ok_or("malformed token header")?;
        // Only HS256: this refuses `alg: none` and algorithm-confusion tokens.
        if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
            return Err("unsupported token algorithm");
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| "malformed token signature")?;
        let signing_input = &token[..token.rfind('.').expect("three parts")];
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        // `verify_slice` compares in constant time.
        mac.verify_slice(&signature)
            .map_err(|_| "invalid token signature")?;
        let claims: Claims = URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|p| serde_json::from_slice(&p).ok())
            .ok_or("malformed token claims")?;
        if claims.exp <= clock::now_secs() {
            return Err("token expired");
        }
        Ok(claims)
    }
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

/// An argon2id hash (PHC string) of `password`.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random source failed");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters")
        .to_string()
}

/// Whether `password` matches a hash made by [`hash_password`].
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new opaque refresh token.
pub fn new_refresh_token() -> String {
    ids::random_hex(32)
}

/// What the database stores for a refresh token (never the token itself).
pub fn refresh_token_digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The signed-in user of a request: present only with a valid, unexpired bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    pub id: String,
    pub email: String,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("missing authorization header"))?;
        let value = header
            .to_str()
            .map_err(|_| ApiError::unauthorized("malformed authorization header"))?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .ok_or_else(|| ApiError::unauthorized("authorization header is not a Bearer token"))?;
        let claims = state.jwt.verify(token).map_err(ApiError::unauthorized)?;
        Ok(AuthUser {
            id: claims.sub,
            email: claims.email,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_verify_and_tampering_fails() {
        let key = JwtKey::random();
        let token = key.issue("u1", "a@b.c");
        let claims = key.verify(&token).unwrap();
        assert_eq!(claims.email, "a@b.c");
        assert!(claims.exp > claims.iat);

        let other = JwtKey::random();
        assert_eq!(other.verify(&token), Err("invalid token signature"));

        let expired = key.sign(&Claims {
            sub: "u1".into(),
            email: "a@b.c".into(),
            iat: 1,
            exp: 2,
        });
        assert_eq!(key.verify(&expired), Err("token expired"));

        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let payload = token.split('.').nth(1).unwrap();
        assert_eq!(
            key.verify(&format!("{none_header}.{payload}.")),
            Err("unsupported token algorithm")
        );
        assert!(key.verify("garbage").is_err());
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("secret");
        assert!(verify_password("secret", &hash));
        assert!(!verify_password("Secret", &hash));
        assert!(!verify_password("secret", "not a hash"));
    }
}
