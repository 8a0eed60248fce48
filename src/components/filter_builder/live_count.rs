//! How many items the query selects, asked of the server a moment after the last edit
//! (`totalItemsCount` of `POST /datasets/{id}/query` with a small page), with the names of
//! the first few. An answer to an older query is ignored.

use crate::components::progress_bar::format_count;
use annotask_core::dql::Query;
use annotask_core::validate::validate_query;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

use crate::api::Api;

/// Quiet time after the last edit before the count is asked for.
const DEBOUNCE: Duration = Duration::from_millis(350);
/// How many names of matching items are shown.
const FIRST_NAMES: u32 = 5;

#[derive(Debug, Clone, PartialEq)]
enum CountState {
    /// No server to ask (a component test without an `Api`).
    Unavailable,
    /// Some condition is incomplete; the server would refuse or mislead.
    Invalid,
    /// Asking; the last answer, if any, stays visible meanwhile.
    Loading(Option<(u64, Vec<String>)>),
    Ready(u64, Vec<String>),
    Failed(String),
}

#[component]
pub(crate) fn LiveCount(
    /// The query counted.
    query: RwSignal<Query>,
    /// The dataset whose items are counted.
    dataset_id: Signal<String>,
) -> impl IntoView {
    let api = use_context::<Api>();
    let state = RwSignal::new(if api.is_some() {
        CountState::Loading(None)
    } else {
        CountState::Unavailable
    });
    // Each request's number; an answer is used only if no newer request was made.
    let generation = StoredValue::new(0u64);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let retries = RwSignal::new(0u32);

    Effect::new(move |_| {
        retries.track();
        let dataset = dataset_id.get();
        let body = query.with(|q| {
            validate_query(q).is_empty().then(|| {
                let mut first_page = q.to_json();
                first_page["page"] = 0.into();
                first_page["pageSize"] = FIRST_NAMES.into();
                first_page
            })
        });
        generation.update_value(|g| *g += 1);
        let this = generation.get_value();
        if let Some(pending) = timer.get_value() {
            pending.clear();
        }
        let Some(api) = api.clone() else {
            return;
        };
        let Some(body) = body else {
            state.set(CountState::Invalid);
            return;
        };
        state.update(|s| {
            let previous = match s {
                CountState::Ready(total, names) => Some((*total, names.clone())),
                CountState::Loading(previous) => previous.clone(),
                _ => None,
            };
            *s = CountState::Loading(previous);
        });
        let handle = set_timeout_with_handle(
            move || {
                spawn_local(async move {
                    let result = api.query_items(&dataset, &body).await;
                    // Unmounted, or a newer query is on its way: drop this answer.
                    if generation.try_get_value() != Some(this) {
                        return;
                    }
                    match result {
                        Ok(page) => {
                            let names = page.items.into_iter().map(|item| item.name).collect();
                            state.set(CountState::Ready(page.total_items_count, names));
                        }
                        Err(e) => {
                            state.set(CountState::Failed(e.to_string()));
                        }
                    }
                });
            },
            DEBOUNCE,
        )
        .ok();
        timer.set_value(handle);
    });
    on_cleanup(move || {
        if let Some(pending) = timer.try_get_value().flatten() {
            pending.clear();
        }
    });

    let summary = move |total: u64, names: &[String], stale: bool| {
        let headline = match total {
            0 => "No items match".to_owned(),
            1 => "1 item matches".to_owned(),
            n => format!("{} items match", format_count(n)),
        };
        let detail = if total == 0 {
            "Loosen a condition, or check folder names and values.".to_owned()
        } else {
            let more = if total > names.len() as u64 {
                ", …"
            } else {
                ""
            };
            format!("First: {}{more}", names.join(", "))
        };
        // Hidden from screen readers, which read the status line below instead.
        view! {
            <div aria-hidden="true">
                <p class="filter-count__headline" class:filter-count__headline--stale=stale>
                    {headline}
                </p>
                <p class="filter-count__detail">{detail}</p>
            </div>
        }
    };
    let visible = move || match state.get() {
        CountState::Unavailable => ().into_any(),
        CountState::Invalid => view! {
            <p class="filter-count__headline filter-count__headline--muted" aria-hidden="true">
                "Complete or fix the marked conditions to see how many items match."
            </p>
        }
        .into_any(),
        CountState::Loading(None) => view! {
            <p class="filter-count__headline filter-count__headline--muted" aria-hidden="true">
                <span class="spinner" aria-hidden="true"></span>
                "Counting matching items…"
            </p>
        }
        .into_any(),
        CountState::Loading(Some((total, names))) => view! {
            {summary(total, &names, true)}
            <span class="filter-count__updating" aria-hidden="true">
                <span class="spinner" aria-hidden="true"></span>
                "Updating…"
            </span>
        }
        .into_any(),
        CountState::Ready(total, names) => summary(total, &names, false).into_any(),
        CountState::Failed(message) => view! {
            <div role="alert" class="filter-count__error">
                <p class="filter-count__headline">"Could not count the matching items"</p>
                <p class="filter-count__detail">{message}</p>
            </div>
            <button
                class="button"
                type="button"
                on:click=move |_| retries.update(|n| *n += 1)
            >
                "Retry"
            </button>
        }
        .into_any(),
    };
    // Screen readers hear the settled result only, not every "Updating…".
    let spoken = move || match state.get() {
        CountState::Ready(0, _) => "No items match.".to_owned(),
        CountState::Ready(1, _) => "1 item matches.".to_owned(),
        CountState::Ready(n, _) => format!("{} items match.", format_count(n)),
        CountState::Invalid => {
            "Complete or fix the marked conditions to see how many items match.".to_owned()
        }
        _ => String::new(),
    };
    view! {
        <div class="filter-count" class:filter-count--hidden=move || state.get() == CountState::Unavailable>
            <div class="filter-count__visible">{visible}</div>
            <p class="filter-builder__visually-hidden" role="status">{spoken}</p>
        </div>
    }
}
