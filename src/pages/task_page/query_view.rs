//! The task's items query: a read-only filter tree, or the JSON the platform stores.

use crate::components::filter_builder::FilterBuilder;
use annotask_core::entities::Task;
use leptos::prelude::*;
use serde_json::Value;

/// The stored query string, indented for reading (as stored when it isn't JSON).
pub fn pretty_query(raw: &str) -> String {
    serde_json::from_str::<Value>(raw)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| raw.to_string())
}

#[component]
pub fn QueryView(task: Task) -> impl IntoView {
    let parsed = task.parsed_query();
    // Without a tree to show, the JSON is all there is.
    let show_json = RwSignal::new(parsed.is_err());
    let json = pretty_query(&task.query);
    let tree = match parsed {
        Ok(query) => {
            let query = RwSignal::new(query);
            let dataset_id = task.dataset_id.clone();
            let recipe_id = Some(task.recipe_id.clone()).filter(|r| !r.is_empty());
            view! {
                <div class="query-view__tree" hidden=move || show_json.get()>
                    <FilterBuilder
                        query=query
                        dataset_id=Signal::derive(move || dataset_id.clone())
                        recipe_id=Signal::derive(move || recipe_id.clone())
                        read_only=true
                    />
                </div>
            }
            .into_any()
        }
        Err(e) => view! {
            <p class="notice notice--warning">
                {format!("This query can't be shown as a filter tree ({e}); here it is as stored.")}
            </p>
        }
        .into_any(),
    };
    let can_toggle = !show_json.get_untracked();

    view! {
        <section class="task-section" aria-labelledby="task-query-title">
            <div class="task-section__header">
                <h2 id="task-query-title" class="section-title">"Items query"</h2>
                {can_toggle
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button--small"
                                aria-pressed=move || show_json.get().to_string()
                                on:click=move |_| show_json.update(|s| *s = !*s)
                            >
                                "Show raw JSON"
                            </button>
                        }
                    })}
            </div>
            {tree}
            // A named, focusable region: long queries scroll, and the keyboard must reach them.
            <pre
                class="query-view__json"
                role="region"
                aria-label="Items query as JSON"
                tabindex="0"
                hidden=move || !show_json.get()
            >
                <code>{json}</code>
            </pre>
        </section>
    }
}
