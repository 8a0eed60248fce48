//! The visual DQL filter builder (issue 7): a tree of AND / OR groups and conditions over
//! the item fields (and, through a join, the annotation fields), a live count of the
//! matching items, and the DQL itself beside the tree, editable, without loss either way.
//!
//! The query is the one source of truth: the builder edits a model of it with a stable id
//! and its own signals per node ([`model`]), writes every edit back ([`state`]), and
//! rebuilds the model when the query changes from outside (the JSON view, the form).

mod chips;
mod condition;
mod drag_drop;
mod field_picker;
mod fields;
mod focus;
mod group;
mod join_section;
mod json_view;
mod live_count;
mod model;
mod node_actions;
mod operator;
mod raw_clause;
mod sort_keys;
mod state;
mod value_editor;

use annotask_core::dql::Query;
use leptos::prelude::*;

use fields::{Catalogue, CatalogueStatus};
use group::Group;
use join_section::JoinSection;
use json_view::JsonView;
use live_count::LiveCount;
use model::{next_id, FieldSource};
use sort_keys::SortKeys;
use state::BuilderState;

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
    /// Show the tree without editing controls, and without the DQL (the task page, which
    /// shows the stored query itself).
    #[prop(optional)]
    read_only: bool,
    /// The page around the builder shows how many items its query selects (the
    /// create-task form, which counts the whole task query, a QA task's parent clause
    /// included): the builder shows no count of its own.
    #[prop(optional)]
    counted_outside: bool,
) -> impl IntoView {
    let catalogue = Catalogue::load(dataset_id, recipe_id);
    let state = BuilderState::new(query, read_only, catalogue);
    provide_context(state);
    let heading_id = format!("fb-{}-heading", next_id());

    view! {
        <div class="filter-builder" class:filter-builder--read-only=read_only>
            {(!read_only).then(|| view! { <CatalogueStatus catalogue=catalogue /> })}
            // Read-only (the task page), today's count of a task's query would read as the
            // task's own item count, so there is none.
            {(!read_only && !counted_outside)
                .then(|| view! { <LiveCount query=query dataset_id=dataset_id /> })}
            <div class="filter-builder__panes">
                <div class="filter-builder__tree">
                    <h3 class="filter-builder__heading" id=heading_id.clone()>
                        "Items where"
                    </h3>
                    <div class="filter-builder__root" aria-labelledby=heading_id role="region">
                        {move || {
                            let root = state.items_root.get();
                            view! {
                                <Group
                                    group=root
                                    parent=None
                                    grandparent=None
                                    source=FieldSource::Items
                                    items_root=true
                                />
                            }
                        }}
                    </div>
                    <JoinSection />
                    <SortKeys />
                    {(!read_only)
                        .then(|| {
                            view! {
                                <p class="filter-value__hint filter-builder__keys">
                                    "Keyboard: Tab moves between controls; Alt+Shift+↑ or ↓ moves the condition or group you are in."
                                </p>
                            }
                        })}
                </div>
                {(!read_only).then(|| view! { <JsonView query=query /> })}
            </div>
            <p class="filter-builder__visually-hidden" role="status">
                {move || state.announcement.get()}
            </p>
        </div>
    }
}
