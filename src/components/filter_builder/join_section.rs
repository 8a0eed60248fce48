//! Conditions on an item's annotations: the query's join (`add_join` in the SDK). An item
//! is selected when at least one of its annotations matches them.

use leptos::prelude::*;

use super::group::Group;
use super::model::FieldSource;
use super::state::use_builder;

#[component]
pub(crate) fn JoinSection() -> impl IntoView {
    let state = use_builder();
    move || match state.join_root.get() {
        Some(root) => view! {
            <section class="filter-builder__join" aria-label="Annotation conditions">
                <div class="filter-builder__join-header">
                    <h4 class="filter-builder__subheading">
                        "…and that have at least one annotation where"
                    </h4>
                    {(!state.read_only)
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button button--quiet"
                                    on:click=move |_| state.remove_join()
                                >
                                    "Remove annotation conditions"
                                </button>
                            }
                        })}
                </div>
                <Group group=root parent=None grandparent=None source=FieldSource::Annotations />
            </section>
        }
        .into_any(),
        None if state.read_only => ().into_any(),
        None => view! {
            <div class="filter-builder__join filter-builder__join--empty">
                <button
                    type="button"
                    class="button button--quiet"
                    data-fb-focus="join:add-join"
                    on:click=move |_| state.add_join()
                >
                    <span aria-hidden="true">"+ "</span>
                    "Add annotation condition"
                </button>
                <span class="filter-value__hint">
                    "Select items by their annotations: label, type, attributes."
                </span>
            </div>
        }
        .into_any(),
    }
}
