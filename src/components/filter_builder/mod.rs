//! Placeholder: the visual DQL filter builder is being written (issue 7).

use annotask_core::dql::Query;
use leptos::prelude::*;

/// Builds, shows and edits a DQL query as a tree of groups and conditions.
#[component]
pub fn FilterBuilder(
    /// The query being edited; the builder reads and writes it.
    query: RwSignal<Query>,
    /// The dataset whose items the query selects (folders, user-metadata fields, live count).
    #[prop(into)]
    dataset_id: Signal<String>,
    /// The dataset's recipe, for the label picker.
    #[prop(into)]
    recipe_id: Signal<Option<String>>,
    /// Show the tree without editing controls (the task page).
    #[prop(optional)]
    read_only: bool,
    /// Told the server's count of matching items whenever it changes (None while unknown).
    #[prop(optional)]
    on_count: Option<Callback<Option<u64>>>,
) -> impl IntoView {
    let _ = (dataset_id, recipe_id, read_only, on_count);
    view! { <pre class="filter-builder">{move || query.get().to_json().to_string()}</pre> }
}
