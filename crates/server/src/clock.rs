//! Wall-clock time as the API writes it: epoch milliseconds and ISO-8601 UTC strings.

use std::time::{SystemTime, UNIX_EPOCH};

use annotask_core::iso8601;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    now_ms() / 1000
}

/// The current time as `2024-03-05T12:34:56.789Z`.
pub fn now_iso() -> String {
    iso_from_ms(now_ms())
}

/// `ms` since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (annotask-core's format, so the app
/// and the server print instants alike).
pub fn iso_from_ms(ms: u64) -> String {
    iso8601::format_millis(ms as i64)
}

/// Days since the epoch for a civil date (proleptic Gregorian).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    iso8601::days_from_civil(year, month.into(), day.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso_from_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_from_ms(1_709_642_096_789), "2024-03-05T12:34:56.789Z");
        assert_eq!(days_from_civil(2024, 3, 5) * 86_400_000, 1_709_596_800_000);
        assert_eq!(iso_from_ms(1_767_225_599_000), "2025-12-31T23:59:59.000Z");
    }
}
