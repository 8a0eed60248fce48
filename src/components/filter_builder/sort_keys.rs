//! The query's sort keys (`"sort": {"filename": "ascending"}`): which items come first.

use annotask_core::dql::builder::FieldSpec;
use annotask_core::dql::SortDir;
use leptos::prelude::*;

use super::field_picker::FieldPicker;
use super::focus::{focus_key, focus_later, FocusTarget};
use super::model::FieldSource;
use super::state::{use_builder, SortKeyModel};

#[component]
pub(crate) fn SortKeys() -> impl IntoView {
    let state = use_builder();
    if state.read_only {
        return view! { <SortSummary /> }.into_any();
    }
    let add = move |_| {
        let key = state.new_sort_key("", SortDir::Ascending);
        state.sort.update(|keys| keys.push(key));
        // A key without a field is not written until one is picked.
        focus_later(FocusTarget::control(key.id, "sort-field"));
    };
    view! {
        <fieldset class="filter-sort">
            <legend class="filter-sort__legend">"Sort"</legend>
            <ol class="filter-sort__keys">
                <For
                    each=move || state.sort.get()
                    key=|key| key.id
                    children=move |key| view! { <SortKeyRow key=key /> }
                />
            </ol>
            {move || {
                state
                    .sort
                    .with(Vec::is_empty)
                    .then(|| {
                        view! {
                            <p class="filter-value__hint">"Not sorted: items come in the server's order."</p>
                        }
                    })
            }}
            <button type="button" class="button button--quiet" data-fb-focus="sort:add" on:click=add>
                <span aria-hidden="true">"+ "</span>
                "Add sort key"
            </button>
        </fieldset>
    }
    .into_any()
}

#[component]
fn SortKeyRow(key: SortKeyModel) -> impl IntoView {
    let state = use_builder();
    let id = key.id;
    let position = Memo::new(move |_| {
        state
            .sort
            .with(|keys| keys.iter().position(|k| k.id == id).unwrap_or(0) + 1)
    });
    let dir_id = format!("fb-{id}-dir");
    let commit = move || state.commit();
    view! {
        <li
            class="filter-sort__key"
            role="group"
            aria-label=move || format!("Sort key {}", position.get())
            data-fb-node=id
        >
            <div class="field-picker">
                <FieldPicker
                    path=key.field
                    source=FieldSource::Items
                    on_pick=Callback::new(move |spec: FieldSpec| {
                        key.field.set(spec.path);
                        state.commit();
                    })
                    input_id=format!("fb-{id}-sort-field")
                    label="Sort by"
                    invalid=Signal::from(false)
                />
            </div>
            <div class="filter-sort__dir">
                <label class="filter-condition__label" for=dir_id.clone()>
                    "Direction"
                </label>
                <select
                    id=dir_id
                    class="input filter-condition__select"
                    data-fb-focus=focus_key(id, "sort-dir")
                    on:change=move |ev| {
                        key.dir.set(if event_target_value(&ev) == "descending" {
                            SortDir::Descending
                        } else {
                            SortDir::Ascending
                        });
                        commit();
                    }
                >
                    <option value="ascending" prop:selected=move || key.dir.get() == SortDir::Ascending>
                        "Ascending"
                    </option>
                    <option value="descending" prop:selected=move || key.dir.get() == SortDir::Descending>
                        "Descending"
                    </option>
                </select>
            </div>
            <button
                type="button"
                class="filter-actions__button filter-actions__button--delete filter-actions__button--danger"
                aria-label=move || format!("Remove sort key {}", position.get())
                title="Remove sort key"
                on:click=move |_| {
                    state.sort.update(|keys| keys.retain(|k| k.id != id));
                    state.commit();
                    focus_later(FocusTarget::Selector("[data-fb-focus='sort:add']".to_owned()));
                }
            ></button>
        </li>
    }
}

/// "Sorted by Created, descending" on the read-only page.
#[component]
fn SortSummary() -> impl IntoView {
    let state = use_builder();
    let catalogue = state.catalogue;
    let text = move || {
        let keys = state.sort.get();
        if keys.is_empty() {
            return None;
        }
        let fields = catalogue.fields(FieldSource::Items);
        let parts: Vec<String> = keys
            .iter()
            .map(|k| {
                let path = k.field.get();
                let name = fields
                    .iter()
                    .find(|f| f.path == path)
                    .map_or(path, |f| f.label.clone());
                let dir = match k.dir.get() {
                    SortDir::Ascending => "ascending",
                    SortDir::Descending => "descending",
                };
                format!("{name}, {dir}")
            })
            .collect();
        Some(format!("Sorted by {}.", parts.join("; then ")))
    };
    view! { <p class="filter-sort__summary">{text}</p> }
}
