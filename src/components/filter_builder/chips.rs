//! The values of "is one of" / "is none of" / "contains any of" as chips: type a value and
//! press Enter (or a comma) to add it, remove one with its ✕ or Backspace in the empty box.

use annotask_core::dql::builder::Scalar;
use leptos::prelude::*;
use serde_json::Value;

use super::focus::{focus_later, FocusTarget};
use super::model::RowModel;
use super::state::use_builder;
use super::value_editor::{Suggestions, ValueError};

#[component]
pub(crate) fn Chips(
    /// The row; its operand is the list.
    row: RowModel,
    /// How one value is typed.
    scalar: Scalar,
    /// Values to suggest.
    suggestions: Signal<Vec<String>>,
    /// Whether the row has the focus (the suggestions are there only then).
    focused: Signal<bool>,
    /// Ids of the elements that describe the row's problems, while they are shown.
    described_by: Signal<Option<String>>,
    /// Whether to mark the input invalid.
    invalid: Signal<bool>,
) -> impl IntoView {
    let state = use_builder();
    let id = row.id;
    let input_id = format!("fb-{id}-value");
    let error_id = format!("{input_id}-error");
    let help_id = format!("{input_id}-help");
    let list_id = format!("{input_id}-suggestions");
    let values = Memo::new(move |_| {
        row.row
            .with(|r| r.value.as_array().cloned().unwrap_or_default())
    });
    // Keys: the value itself, numbered when a loaded list repeats one.
    let keyed = Memo::new(move |_| {
        let mut seen: Vec<String> = Vec::new();
        values
            .get()
            .into_iter()
            .map(|value| {
                let text = value.to_string();
                let n = seen.iter().filter(|s| **s == text).count();
                seen.push(text.clone());
                (format!("{text}#{n}"), value)
            })
            .collect::<Vec<_>>()
    });
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // The help always, the row's problems and the error below the box while shown.
    let describe = {
        let (help_id, error_id) = (help_id.clone(), error_id.clone());
        move || {
            let mut ids = described_by.get().unwrap_or_default();
            for id in [
                Some(&help_id),
                error.with(Option::is_some).then_some(&error_id),
            ]
            .into_iter()
            .flatten()
            {
                if !ids.is_empty() {
                    ids.push(' ');
                }
                ids.push_str(id);
            }
            ids
        }
    };

    let write = move |list: Vec<Value>| {
        row.set_operand(false, Value::Array(list));
        state.commit();
    };
    let add = move || {
        // Spaces around list entries ("a, b") are separators, not part of the values.
        let text = draft.get_untracked().trim().to_owned();
        match scalar.parse(&text) {
            Ok(Value::Null) => {}
            Ok(value) => {
                let mut list = values.get_untracked();
                if list.contains(&value) {
                    error.set(Some(format!("{} is in the list already.", shown(&value))));
                    return;
                }
                list.push(value.clone());
                draft.set(String::new());
                error.set(None);
                write(list);
                state.announce(format!("Added {}.", shown(&value)));
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let remove = move |value: Value| {
        let mut list = values.get_untracked();
        if let Some(at) = list.iter().position(|v| *v == value) {
            list.remove(at);
            write(list);
            state.announce(format!("Removed {}.", shown(&value)));
        }
        focus_later(FocusTarget::control(id, "value"));
    };

    // Label, box, help and error are cells of the condition row's grid.
    view! {
        <label class="filter-condition__label filter-value__label" for=input_id.clone()>
            "Values"
        </label>
        <div class="chips__box filter-value__control" class:chips__box--invalid=move || invalid.get()>
            <ul class="chips__list" aria-label="Values in the list">
                <For
                    each=move || keyed.get()
                    key=|(key, _)| key.clone()
                    children=move |(_, value)| {
                        let text = shown(&value);
                        view! {
                            <li class="chip">
                                <span class="chip__text">{text.clone()}</span>
                                <button
                                    type="button"
                                    class="chip__remove"
                                    aria-label=format!("Remove {text}")
                                    title=format!("Remove {text}")
                                    on:click=move |_| remove(value.clone())
                                >
                                    <span aria-hidden="true">"✕"</span>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <input
                id=input_id
                class="chips__input"
                type="text"
                inputmode=(scalar == Scalar::Number).then_some("decimal")
                autocomplete="off"
                spellcheck="false"
                list=list_id.clone()
                placeholder="Add a value"
                aria-describedby=describe
                aria-invalid=move || (invalid.get() || error.with(Option::is_some)).then_some("true")
                prop:value=move || draft.get()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    // A pasted "a, b, c" or a typed comma adds what came before it.
                    if text.contains(',') {
                        let mut parts: Vec<&str> = text.split(',').collect();
                        let rest = parts.pop().unwrap_or_default().to_owned();
                        for part in parts {
                            draft.set(part.to_owned());
                            add();
                        }
                        if error.with_untracked(Option::is_none) {
                            draft.set(rest);
                        }
                    } else {
                        draft.set(text);
                        error.set(None);
                    }
                }
                on:keydown=move |ev| match ev.key().as_str() {
                    "Enter" => {
                        ev.prevent_default();
                        add();
                    }
                    "Backspace" if draft.with_untracked(String::is_empty) => {
                        if let Some(last) = values.with_untracked(|v| v.last().cloned()) {
                            remove(last);
                        }
                    }
                    _ => {}
                }
                on:blur=move |_| add()
            />
            <Suggestions id=list_id focused=focused suggestions=suggestions />
        </div>
        <p id=help_id class="filter-value__hint filter-value__below">
            "Press Enter after each value."
        </p>
        <ValueError id=error_id error=error />
    }
}

/// A value as a chip shows it.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
