//! `deserialize_with` helpers that accept the looser JSON the hosted platform may send.
//!
//! serde's `#[serde(default)]` only covers a *missing* field; these also turn `null` and
//! near-miss types into the field's natural value instead of failing the whole entity.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::iso8601;

/// Any `Default` type, with `null` read as the default.
pub(crate) fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A timestamp string: ISO text as is, epoch milliseconds (some endpoints send numbers, e.g.
/// users' `createdAt`) converted to ISO, anything else empty.
pub(crate) fn timestamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) => text,
        Value::Number(ms) => ms
            .as_f64()
            .map(|ms| iso8601::format_millis(ms as i64))
            .unwrap_or_default(),
        _ => String::new(),
    })
}

/// A count: integers as is, non-negative floats truncated (the OpenAPI spec types counts as
/// doubles), anything else 0.
pub(crate) fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    Ok(to_count(&Value::deserialize(deserializer)?).unwrap_or(0))
}

/// An optional small count: like [`count`], with `null`/missing/other types as `None`.
pub(crate) fn optional_u32<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u32>, D::Error> {
    Ok(to_count(&Value::deserialize(deserializer)?).and_then(|n| u32::try_from(n).ok()))
}

/// A number, with `null` and other types read as 0.
pub(crate) fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Ok(Value::deserialize(deserializer)?.as_f64().unwrap_or(0.0))
}

fn to_count(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|f| *f >= 0.0 && f.is_finite())
            .map(|f| f as u64)
    })
}
