//! One condition row: field, operator, value, the node buttons, and its problems.

use annotask_core::dql::builder::{Choice, ConditionRow, FieldSpec, FieldType};
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;

use super::drag_drop::{drag_over, drop_on, DragHandle, Place};
use super::field_picker::FieldPicker;
use super::group::Group;
use super::model::{FieldSource, GroupModel, RowModel};
use super::node_actions::{move_shortcut, position, NodeActions};
use super::operator::OperatorSelect;
use super::state::use_builder;
use super::value_editor::ValueEditor;

#[component]
pub(crate) fn Condition(
    /// The row.
    row: RowModel,
    /// The group it is in.
    parent: GroupModel,
    /// The group around that.
    grandparent: Option<GroupModel>,
    /// Which fields it picks from.
    source: FieldSource,
) -> impl IntoView {
    let state = use_builder();
    if state.read_only {
        return view! { <ConditionSummary row=row source=source /> }.into_any();
    }
    let id = row.id;
    let messages = state.messages(id);
    let (at, len) = position(parent, id);
    let message_id = format!("fb-{id}-msg");
    let show_messages = move || row.touched.get() && !messages.with(Vec::is_empty);
    let invalid = Signal::derive(show_messages);
    // The controls are described by the row's problems while they are shown (and only
    // then: the element is not there otherwise).
    let described_by = {
        let message_id = message_id.clone();
        Signal::derive(move || show_messages().then(|| message_id.clone()))
    };
    // A memo: typing a value must not make the field picker look its field up again.
    let path = Memo::new(move |_| row.row.with(|r| r.field.clone()));
    let drop_place = state.drag.place_of(id);
    // Whether the focus is in the row: its value suggestions exist only then.
    let has_focus = RwSignal::new(false);
    // A `$match` row's nested filter takes the whole width below field and operator.
    let nested = move || row.elements.with(Option::is_some);
    let class = move || {
        let mut class = String::from("filter-condition");
        if nested() {
            class.push_str(" filter-condition--nested");
        }
        if show_messages() {
            class.push_str(" filter-condition--invalid");
        }
        match drop_place.get() {
            Some(Place::Before) => class.push_str(" filter-drop--before"),
            Some(Place::After) => class.push_str(" filter-drop--after"),
            _ => {}
        }
        class
    };

    view! {
        <div
            class=class
            role="group"
            aria-label=move || format!("Condition {} of {}", at.get() + 1, len.get())
            data-fb-node=id
            on:keydown=move |ev| {
                if let Some(up) = move_shortcut(&ev) {
                    ev.prevent_default();
                    ev.stop_propagation();
                    state.move_node(parent, grandparent, id, up);
                } else if ev.key() == "Enter" && is_text_box(&ev) {
                    // Enter in a value box must not submit the form around the builder
                    // (the field picker and the list box handle it themselves first).
                    ev.prevent_default();
                }
            }
            on:focusin=move |_| {
                if !has_focus.get_untracked() {
                    has_focus.set(true);
                }
            }
            on:focusout=move |ev: web_sys::FocusEvent| {
                if !focus_stays_inside(&ev) {
                    row.touched.set(true);
                    has_focus.set(false);
                }
            }
            on:dragover=move |ev| drag_over(state, &ev, id, source, false)
            on:drop=move |ev| drop_on(state, &ev, Some(parent), None)
        >
            // Every control and label below is a cell of the row's grid (no wrappers).
            <DragHandle id=id parent=parent source=source />
            <FieldPicker
                path=path
                source=source
                on_pick=Callback::new(move |spec: FieldSpec| state.set_field(row, &spec))
                input_id=format!("fb-{id}-field")
                label="Field"
                described_by=described_by
                invalid=invalid
            />
            <OperatorSelect row=row described_by=described_by />
            <ValueEditor
                row=row
                source=source
                described_by=described_by
                invalid=invalid
                focused=has_focus.into()
            />
            <NodeActions
                id=id
                parent=parent
                grandparent=grandparent
                source=source
                noun="condition"
                at=at
                len=len
            />
            {move || {
                show_messages()
                    .then(|| {
                        view! {
                            <div id=message_id.clone() class="filter-condition__messages">
                                {messages
                                    .get()
                                    .into_iter()
                                    .map(|m| view! { <p class="filter-builder__message">{m}</p> })
                                    .collect_view()}
                            </div>
                        }
                    })
            }}
        </div>
    }
    .into_any()
}

/// Whether a key event comes from an `<input>` (Enter there would submit the form).
fn is_text_box(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some()
}

/// Whether a focusout only moves the focus within the element it is heard on.
fn focus_stays_inside(ev: &web_sys::FocusEvent) -> bool {
    let node = |target: Option<web_sys::EventTarget>| {
        target.and_then(|t| t.dyn_into::<web_sys::Node>().ok())
    };
    match (node(ev.current_target()), node(ev.related_target())) {
        (Some(container), Some(next)) => container.contains(Some(&next)),
        _ => false,
    }
}

/// The read-only form of a row (the task page): the condition as a sentence.
#[component]
fn ConditionSummary(row: RowModel, source: FieldSource) -> impl IntoView {
    let state = use_builder();
    let catalogue = state.catalogue;
    let id = row.id;
    let messages = state.messages(id);
    let field = move || {
        let path = row.row.with(|r| r.field.clone());
        catalogue.spec(source, &path).map_or(path, |f| f.label)
    };
    let operator = move || row.row.with(|r| r.choice.label(row.ty.get()));
    let value = move || {
        // A `$match` shown as a tree below needs no JSON here.
        if row.elements.with(Option::is_some) {
            return String::new();
        }
        row.row.with(|r| value_summary(r, row.ty.get()))
    };
    let elements = move || {
        row.elements.get().map(|el| {
            view! {
                <Group group=el.root parent=None grandparent=None source=FieldSource::References />
            }
        })
    };
    view! {
        <div class="filter-condition filter-condition--read-only" role="group" aria-label="Condition">
            <p class="filter-condition__sentence">
                <span class="filter-condition__field">{field}</span>
                " "
                <span class="filter-condition__operator">{operator}</span>
                " "
                <span class="filter-condition__value">{value}</span>
            </p>
            {elements}
            <For each=move || messages.get() key=|m| m.clone() let:message>
                <p class="filter-builder__message">{message}</p>
            </For>
        </div>
    }
}

/// The operand as read-only text.
fn value_summary(row: &ConditionRow, ty: FieldType) -> String {
    let one = |v: &Value| match v {
        Value::Null => "(no value)".to_owned(),
        Value::String(s) => s.clone(),
        Value::Bool(true) if ty == FieldType::Boolean => "yes".to_owned(),
        Value::Bool(false) if ty == FieldType::Boolean => "no".to_owned(),
        other => other.to_string(),
    };
    match row.choice {
        Choice::Exists | Choice::NotExists => String::new(),
        Choice::Between => format!("{} and {}", one(&row.value), one(&row.upper)),
        Choice::OneOf | Choice::NoneOf => match &row.value {
            Value::Array(list) => list.iter().map(one).collect::<Vec<_>>().join(", "),
            other => one(other),
        },
        _ => one(&row.value),
    }
}
