//! A small ISO-8601 parser and formatter, enough to compare the platform's timestamps.
//!
//! The platform writes `createdAt`/`updatedAt` as `2024-01-01T00:00:00.000Z`, and DQL
//! comparisons such as `{"createdAt": {"$gte": "2024-01-01T00:00:00.000Z"}}` must compare
//! instants, not text, as soon as an offset other than `Z` appears. A full date library would
//! be far more than that needs (and heavier in the wasm bundle), so this module handles just:
//!
//! - `YYYY-MM-DDTHH:MM:SS`, optionally with a fraction `.f…` (any number of digits; digits past
//!   milliseconds are dropped, not rounded), followed by `Z`, `z` or `±HH:MM`;
//! - a bare date `YYYY-MM-DD`, taken as midnight UTC (handy for date-only filter values).
//!
//! Anything else (no offset, a space instead of `T`, week dates, …) is not a date here.

/// Milliseconds in one day.
const DAY_MS: i64 = 86_400_000;

/// Parses an ISO-8601 timestamp (see the module docs for the accepted forms) into
/// milliseconds since the Unix epoch, or `None` when `text` is not such a timestamp.
pub fn parse_millis(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let date_ms = days_from_civil(year, month, day) * DAY_MS;
    if b.len() == 10 {
        return Some(date_ms);
    }

    // Time of day: `THH:MM:SS`.
    if b.len() < 19 || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut pos = 19;
    let mut millis = 0;
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        let start = pos;
        while pos < b.len() && b[pos].is_ascii_digit() {
            // Only the first three digits count; the rest is finer than a millisecond.
            if pos - start < 3 {
                millis = millis * 10 + i64::from(b[pos] - b'0');
            }
            pos += 1;
        }
        let count = pos - start;
        if count == 0 {
            return None;
        }
        for _ in count..3 {
            millis *= 10;
        }
    }

    // Offset: `Z` or `±HH:MM`.
    let offset_ms = match b.get(pos)? {
        b'Z' | b'z' if b.len() == pos + 1 => 0,
        sign @ (b'+' | b'-') if b.len() == pos + 6 && b[pos + 3] == b':' => {
            let oh = digits(b, pos + 1, 2)?;
            let om = digits(b, pos + 4, 2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let offset = (oh * 60 + om) * 60_000;
            if *sign == b'+' {
                offset
            } else {
                -offset
            }
        }
        _ => return None,
    };
    let time_ms = ((hour * 60 + minute) * 60 + second) * 1000 + millis;
    Some(date_ms + time_ms - offset_ms)
}

/// Formats milliseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`, the platform's
/// own timestamp format.
pub fn format_millis(ms: i64) -> String {
    let days = ms.div_euclid(DAY_MS);
    let in_day = ms.rem_euclid(DAY_MS);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute) = (in_day / 3_600_000, in_day / 60_000 % 60);
    let (second, millis) = (in_day / 1000 % 60, in_day % 1000);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis:03}Z")
}

/// The decimal number in `b[start..start + len]`, all ASCII digits.
fn digits(b: &[u8], start: usize, len: usize) -> Option<i64> {
    let slice = b.get(start..start + len)?;
    slice.iter().try_fold(0i64, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_platform_format() {
        assert_eq!(parse_millis("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(
            parse_millis("2024-01-01T00:00:00.000Z"),
            Some(1_704_067_200_000)
        );
        // The contract's LIVE due date: 2030-03-11 00:00 UTC.
        assert_eq!(
            parse_millis("2030-03-11T00:00:00Z"),
            Some(1_899_417_600_000)
        );
    }

    #[test]
    fn fractions_and_offsets() {
        assert_eq!(parse_millis("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(parse_millis("1970-01-01T00:00:01.123456Z"), Some(1123));
        assert_eq!(parse_millis("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_millis("1969-12-31T23:30:00-00:30"), Some(0));
        assert_eq!(parse_millis("1970-01-01t00:00:00z"), Some(0));
        assert_eq!(parse_millis("1969-12-31T23:59:59.999Z"), Some(-1));
    }

    #[test]
    fn bare_dates_are_midnight_utc() {
        assert_eq!(parse_millis("2024-01-01"), Some(1_704_067_200_000));
        assert_eq!(parse_millis("2024-02-29"), Some(1_709_164_800_000));
    }

    #[test]
    fn rejects_what_is_not_a_timestamp() {
        for text in [
            "",
            "2024",
            "2024-1-01",
            "2024-13-01",
            "2023-02-29",
            "2024-04-31",
            "2024-01-01T00:00:00",      // no offset
            "2024-01-01 00:00:00Z",     // space separator
            "2024-01-01T24:00:00Z",     // hour 24
            "2024-01-01T00:60:00Z",     // minute 60
            "2024-01-01T00:00:60Z",     // leap second
            "2024-01-01T00:00:00.Z",    // empty fraction
            "2024-01-01T00:00:00+0100", // offset without colon
            "2024-01-01T00:00:00+24:00",
            "2024-01-01T00:00:00Zjunk",
            "image/jpeg",
            "2024-01-01x",
        ] {
            assert_eq!(parse_millis(text), None, "{text}");
        }
    }

    #[test]
    fn formats_like_the_platform() {
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(1_899_417_600_000), "2030-03-11T00:00:00.000Z");
        assert_eq!(format_millis(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(format_millis(951_782_400_123), "2000-02-29T00:00:00.123Z");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Formatting then parsing gives back the same instant, for years 0000–9999.
        #[test]
        fn format_then_parse_is_identity(ms in -62_167_219_200_000i64..253_402_300_800_000) {
            prop_assert_eq!(parse_millis(&format_millis(ms)), Some(ms));
        }

        /// Any offset denotes the instant `local time - offset`.
        #[test]
        fn offsets_shift_the_instant(ms in 0i64..4_000_000_000_000, oh in 0i64..24, om in 0i64..60, plus: bool) {
            let offset = (oh * 60 + om) * 60_000 * if plus { 1 } else { -1 };
            let local = format_millis(ms + offset);
            let text = format!("{}{}{:02}:{:02}", &local[..23], if plus { '+' } else { '-' }, oh, om);
            prop_assert_eq!(parse_millis(&text), Some(ms));
        }
    }
}
