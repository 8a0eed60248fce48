//! The value of a row, edited the way its field type and operator call for (see
//! `annotask_core::dql::builder::ValueEditor`): a text box with suggestions (folders,
//! labels, known values), a number box, a date-time picker in UTC, yes/no, chips for
//! lists, two boxes for a between, a nested filter for `$match`, or JSON for anything else.
//!
//! Text that is not a value of the kind (letters in a number box) leaves the operand
//! empty (`null`), which `validate_query` reports and which blocks the form; the box keeps
//! the text and says what is wrong.

use annotask_core::dql::builder::{Choice, Scalar, ValueEditor as EditorKind};
use leptos::prelude::*;

use super::chips::Chips;
use super::focus::focus_key;
use super::group::Group;
use super::model::{FieldSource, RowModel};
use super::state::use_builder;

#[component]
pub(crate) fn ValueEditor(
    /// The row.
    row: RowModel,
    /// Which catalogue the row's field is in (for suggestions).
    source: FieldSource,
    /// The id of the element that describes the row's problems.
    described_by: String,
    /// Whether to mark the inputs invalid.
    invalid: Signal<bool>,
) -> impl IntoView {
    let state = use_builder();
    let catalogue = state.catalogue;
    let kind = Memo::new(move |_| {
        let ty = row.ty.get();
        let has_tree = row.elements.with(Option::is_some);
        row.row.with(|r| match EditorKind::for_row(r, ty) {
            // A `$match` keeps the editor it started with: its tree while it has one (even
            // if an edit made the operand hard to read back), JSON otherwise.
            _ if r.choice == Choice::HasElement && has_tree => EditorKind::Elements,
            EditorKind::Elements => EditorKind::Json,
            kind => kind,
        })
    });
    // Memos, so that typing a value does not look the field up again at every key.
    let field = Memo::new(move |_| row.row.with(|r| r.field.clone()));
    let suggestions = Memo::new(move |_| {
        let spec = field.with(|path| {
            catalogue
                .fields(source)
                .into_iter()
                .find(|f| f.path == *path)
        });
        spec.map_or_else(Vec::new, |f| catalogue.suggestions(&f.suggestions))
    });
    let suggestions: Signal<Vec<String>> = suggestions.into();
    let id = row.id;
    let glob_hint = move || {
        row.row.with(|r| {
            let has_star = r.value.as_str().is_some_and(|v| v.contains('*'));
            match r.choice {
                Choice::Glob if !has_star => {
                    Some("A glob needs a *: image* matches image/jpeg; *.jpg any JPEG; /folder1/** everything below /folder1.")
                }
                _ => None,
            }
        })
    };
    let hint_id = format!("fb-{id}-hint");
    let describe = format!("{described_by} {hint_id}");

    let editor = move || {
        let describe = describe.clone();
        let single = |upper: bool, scalar: Scalar, label: &'static str, control: &'static str| {
            view! {
                <ScalarInput
                    row=row
                    upper=upper
                    scalar=scalar
                    label=label
                    control=control
                    suggestions=suggestions
                    described_by=describe.clone()
                    invalid=invalid
                />
            }
        };
        match kind.get() {
            EditorKind::None => ().into_any(),
            EditorKind::Single(scalar) => single(false, scalar, "Value", "value").into_any(),
            EditorKind::Json => single(false, Scalar::Json, "Value (JSON)", "value").into_any(),
            EditorKind::Range(low, high) => view! {
                <div class="filter-value__range">
                    {single(false, low, "From", "value")}
                    <span class="filter-value__and" aria-hidden="true">"and"</span>
                    {single(true, high, "To", "upper")}
                </div>
            }
            .into_any(),
            EditorKind::List(scalar) => view! {
                <Chips
                    row=row
                    scalar=scalar
                    suggestions=suggestions
                    described_by=describe.clone()
                    invalid=invalid
                />
            }
            .into_any(),
            EditorKind::Elements => row
                .elements
                .get()
                .map(|elements| {
                    view! {
                        <div class="filter-value__elements">
                            <Group
                                group=elements.root
                                parent=None
                                grandparent=None
                                source=FieldSource::References
                            />
                        </div>
                    }
                })
                .into_any(),
        }
    };
    view! {
        <div
            class="filter-value"
            class:filter-value--wide=move || kind.get() == EditorKind::Elements
        >
            {editor}
            <p id=hint_id class="filter-value__hint">
                {glob_hint}
            </p>
        </div>
    }
}

/// One value: a text, number, date-time or JSON box, or a yes/no select.
#[component]
fn ScalarInput(
    /// The row.
    row: RowModel,
    /// Edit a between's high end instead of the operand.
    upper: bool,
    /// How the value is typed.
    scalar: Scalar,
    /// The visible label.
    label: &'static str,
    /// The control's name in its `data-fb-focus` key.
    control: &'static str,
    /// Values to suggest.
    suggestions: Signal<Vec<String>>,
    /// Ids of the elements that describe the row's problems.
    described_by: String,
    /// Whether to mark the input invalid.
    invalid: Signal<bool>,
) -> impl IntoView {
    let state = use_builder();
    let id = row.id;
    let input_id = format!("fb-{id}-{control}");
    let error_id = format!("{input_id}-error");
    let list_id = format!("{input_id}-suggestions");
    let operand = Memo::new(move |_| {
        row.row.with(|r| {
            if upper {
                r.upper.clone()
            } else {
                r.value.clone()
            }
        })
    });
    let draft = RwSignal::new(scalar.format(&operand.get_untracked()));
    let error = RwSignal::new(None::<String>);
    // Follow operand changes that did not come from typing here (a new operator).
    Effect::new(move |_| {
        let value = operand.get();
        let typed = draft.with_untracked(|d| scalar.parse(d));
        if error.with_untracked(Option::is_none) && typed.as_ref() != Ok(&value) {
            draft.set(scalar.format(&value));
        }
    });
    let edit = move |text: String| {
        let value = match scalar.parse(&text) {
            Ok(value) => {
                error.set(None);
                value
            }
            Err(message) => {
                error.set(Some(message));
                serde_json::Value::Null
            }
        };
        draft.set(text);
        row.set_operand(upper, value);
        state.commit();
    };
    let describe = format!("{described_by} {error_id}");
    let is_invalid = move || (invalid.get() || error.with(Option::is_some)).to_string();
    let label_text = if scalar == Scalar::Date {
        format!("{label} (UTC)")
    } else {
        label.to_owned()
    };

    let control_view = if scalar == Scalar::Boolean {
        view! {
            <select
                id=input_id.clone()
                class="input filter-condition__select"
                aria-describedby=describe
                aria-invalid=is_invalid
                data-fb-focus=focus_key(id, control)
                on:change=move |ev| edit(event_target_value(&ev))
            >
                <option value="" prop:selected=move || draft.with(String::is_empty)>
                    "Choose…"
                </option>
                <option value="true" prop:selected=move || draft.get() == "true">
                    "yes"
                </option>
                <option value="false" prop:selected=move || draft.get() == "false">
                    "no"
                </option>
            </select>
        }
        .into_any()
    } else {
        let (kind, mode) = match scalar {
            Scalar::Date => ("datetime-local", None),
            Scalar::Number => ("text", Some("decimal")),
            _ => ("text", None),
        };
        view! {
            <input
                id=input_id.clone()
                class="input filter-value__input"
                class:filter-value__input--mono=scalar == Scalar::Json
                type=kind
                inputmode=mode
                step=(scalar == Scalar::Date).then_some("1")
                autocomplete="off"
                spellcheck="false"
                list=list_id.clone()
                aria-describedby=describe
                aria-invalid=is_invalid
                data-fb-focus=focus_key(id, control)
                prop:value=move || draft.get()
                on:input=move |ev| edit(event_target_value(&ev))
                on:keydown=|ev| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                    }
                }
            />
            <datalist id=list_id>
                <For each=move || suggestions.get() key=|s| s.clone() let:value>
                    <option value=value></option>
                </For>
            </datalist>
        }
        .into_any()
    };
    view! {
        <div class="filter-value__field">
            <label class="filter-condition__label" for=input_id>
                {label_text}
            </label>
            {control_view}
            <p id=error_id class="filter-builder__message filter-value__error">
                {move || error.get()}
            </p>
        </div>
    }
}
