//! The due date between the user's wall clock and the epoch milliseconds the API takes.
//!
//! A `datetime-local` input speaks the browser's local time ("2025-05-02T18:00"); the task
//! stores an instant. The browser's own `Date` does the time-zone arithmetic (daylight
//! saving included), so this module only parses, formats and picks shortcut dates.

use js_sys::{Array, Date, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

/// The hour the shortcuts pick: the end of a working day.
const SHORTCUT_HOUR: u32 = 18;

/// A quick choice beside the date input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// Tomorrow at 18:00.
    Tomorrow,
    /// Seven days from today at 18:00.
    InAWeek,
    /// The last day of this month at 18:00 (of next month once that has passed).
    EndOfMonth,
}

impl Shortcut {
    /// All shortcuts, in the order they are offered.
    pub const ALL: [Shortcut; 3] = [Shortcut::Tomorrow, Shortcut::InAWeek, Shortcut::EndOfMonth];

    /// The button text.
    pub fn label(self) -> &'static str {
        match self {
            Shortcut::Tomorrow => "Tomorrow",
            Shortcut::InAWeek => "In a week",
            Shortcut::EndOfMonth => "End of month",
        }
    }

    /// The instant this shortcut means, seen from `now_ms`.
    pub fn resolve(self, now_ms: f64) -> f64 {
        let now = Date::new(&JsValue::from_f64(now_ms));
        let (year, month, day) = (now.get_full_year(), now.get_month(), now.get_date());
        let at = |y: u32, m: u32, d: u32| local_ms(y, m as i32, d as i32, SHORTCUT_HOUR, 0);
        match self {
            Shortcut::Tomorrow => at(year, month, day + 1),
            Shortcut::InAWeek => at(year, month, day + 7),
            Shortcut::EndOfMonth => {
                // Day 0 of the next month is the last day of this one.
                let end = at(year, month + 1, 0);
                if end > now_ms {
                    end
                } else {
                    at(year, month + 2, 0)
                }
            }
        }
    }
}

/// Epoch milliseconds of a local wall-clock time; `Date` normalises overflowing days and
/// months (day 32 is the 1st of the next month).
fn local_ms(year: u32, month: i32, day: i32, hour: u32, minute: u32) -> f64 {
    let date = Date::new_with_year_month_day_hr_min(year, month, day, hour as i32, minute as i32);
    date.get_time()
}

/// The `datetime-local` value for an instant, in local time to the minute.
pub fn to_input_value(ms: f64) -> String {
    let date = Date::new(&JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// The instant a `datetime-local` value means ("2025-05-02T18:00", seconds optional);
/// `None` for an empty or incomplete value.
pub fn from_input_value(text: &str) -> Option<f64> {
    let (date, time) = text.trim().split_once('T')?;
    let mut ymd = date.splitn(3, '-').map(str::parse::<u32>);
    let (year, month, day) = (ymd.next()?.ok()?, ymd.next()?.ok()?, ymd.next()?.ok()?);
    let mut hms = time.splitn(3, ':');
    let hour: u32 = hms.next()?.parse().ok()?;
    let minute: u32 = hms.next()?.parse().ok()?;
    let seconds: f64 = hms.next().map_or(Some(0.0), |s| s.parse().ok())?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let ms = local_ms(year, month as i32 - 1, day as i32, hour, minute) + seconds * 1000.0;
    ms.is_finite().then_some(ms)
}

/// The browser's IANA time zone, e.g. "Europe/Paris" (empty if the browser won't say).
pub fn time_zone() -> String {
    let format = Intl::DateTimeFormat::new(&Array::new(), &Object::new());
    Reflect::get(&format.resolved_options(), &JsValue::from_str("timeZone"))
        .ok()
        .and_then(|zone| zone.as_string())
        .unwrap_or_default()
}

/// The offset from UTC at an instant, e.g. "UTC+02:00" (it changes with daylight saving).
pub fn utc_offset(ms: f64) -> String {
    let minutes = -Date::new(&JsValue::from_f64(ms)).get_timezone_offset();
    let sign = if minutes < 0.0 { '-' } else { '+' };
    let minutes = minutes.abs() as u32;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// An instant in UTC, e.g. "2025-05-02 16:00 UTC".
pub fn format_utc(ms: f64) -> String {
    let date = Date::new(&JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        date.get_utc_full_year(),
        date.get_utc_month() + 1,
        date.get_utc_date(),
        date.get_utc_hours(),
        date.get_utc_minutes()
    )
}

/// An instant in local time as the browser's locale writes it, e.g. "Fri, 2 May 2025, 18:00".
pub fn format_local(ms: f64) -> String {
    let options = Object::new();
    for (key, value) in [
        ("weekday", "short"),
        ("year", "numeric"),
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        let _ = Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    Date::new(&JsValue::from_f64(ms))
        .to_locale_string("default", &options)
        .into()
}
