//! Dates as people read them: "in 3 days", with the exact date and time in the user's own
//! time zone a hover (or a screen reader) away.

use annotask_core::iso8601;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// "in 3 days", "2 hours ago", "just now" for `target_ms` seen from `now_ms` (both epoch ms).
///
/// Units switch where the rounded value stops being useful (after 44 minutes comes "1 hour",
/// after 21 hours "1 day", after 25 days "1 month", after 10 months "1 year"), as most
/// apps that print relative times do.
pub fn relative_time(target_ms: f64, now_ms: f64) -> String {
    let diff_secs = (target_ms - now_ms) / 1000.0;
    let future = diff_secs > 0.0;
    let secs = diff_secs.abs();
    if secs < 45.0 {
        return if future { "in a moment" } else { "just now" }.into();
    }
    let minutes = (secs / 60.0).round();
    let hours = (secs / 3600.0).round();
    let days = (secs / 86_400.0).round();
    let months = (days / 30.4375).round().max(1.0);
    let years = (days / 365.25).round().max(1.0);
    let (n, unit) = if minutes < 45.0 {
        (minutes, "minute")
    } else if hours < 22.0 {
        (hours, "hour")
    } else if days < 26.0 {
        (days.max(1.0), "day")
    } else if months < 11.0 {
        (months, "month")
    } else {
        (years, "year")
    };
    let n = n as u64;
    let plural = if n == 1 { "" } else { "s" };
    if future {
        format!("in {n} {unit}{plural}")
    } else {
        format!("{n} {unit}{plural} ago")
    }
}

/// The date and time in the browser's locale and time zone, with the zone's name, e.g.
/// "Thu, Dec 3, 2026, 05:00 PM CET".
pub fn absolute_time(ms: f64) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [
        ("weekday", "short"),
        ("year", "numeric"),
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("timeZoneName", "short"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    let locale = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_else(|| "en".into());
    js_sys::Date::new(&JsValue::from_f64(ms))
        .to_locale_string(&locale, &options)
        .into()
}

/// The current time for relative dates, ticking every [`CLOCK_TICK_MS`], so "in 5 minutes"
/// does not stay put on a page left open. One clock for the whole app (see [`provide_clock`]).
#[derive(Clone, Copy)]
pub struct Clock(ReadSignal<f64>);

/// How often relative dates are brought up to date; their finest unit is the minute.
pub const CLOCK_TICK_MS: u64 = 30_000;

/// Starts the app's clock and provides it to everything below. Call once, at the root.
pub fn provide_clock() {
    let (now, set_now) = signal(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || set_now.set(js_sys::Date::now()),
        std::time::Duration::from_millis(CLOCK_TICK_MS),
    ) {
        on_cleanup(move || handle.clear());
    }
    provide_context(Clock(now));
}

/// A point in time as relative text; the exact local date is its tooltip and is read out
/// to screen readers too (a tooltip alone is out of their reach).
#[component]
pub fn RelativeTime(
    /// The moment, in epoch milliseconds.
    #[prop(into)]
    ms: f64,
) -> impl IntoView {
    let absolute = absolute_time(ms);
    // Without the app's clock (a component test) the time is read once.
    let clock = use_context::<Clock>();
    let now = move || clock.map_or_else(js_sys::Date::now, |Clock(now)| now.get());
    view! {
        <time
            class="relative-time"
            datetime=iso8601::format_millis(ms as i64)
            title=absolute.clone()
        >
            {move || relative_time(ms, now())}
            <span class="visually-hidden">{format!(" ({absolute})")}</span>
        </time>
    }
}
