//! The buttons every node has: move up, move down, duplicate, delete; and the keyboard
//! shortcut for moving.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::model::{can_move, FieldSource, GroupModel, NodeId};
use super::state::use_builder;

/// `Some(true)` for Alt+Shift+↑, `Some(false)` for Alt+Shift+↓: the shortcut that moves the
/// condition or group the focus is in. (Alt+↓ alone opens a `<select>` in some browsers.)
pub(crate) fn move_shortcut(ev: &web_sys::KeyboardEvent) -> Option<bool> {
    if !(ev.alt_key() && ev.shift_key()) || ev.ctrl_key() || ev.meta_key() {
        return None;
    }
    match ev.key().as_str() {
        "ArrowUp" => Some(true),
        "ArrowDown" => Some(false),
        _ => None,
    }
}

/// Where a node sits in its group and how many nodes the group has: the row's "Condition
/// N of M" and whether it can move up or down.
pub(crate) fn position(parent: GroupModel, id: NodeId) -> (Memo<usize>, Memo<usize>) {
    let at = Memo::new(move |_| {
        parent
            .children
            .with(|c| c.iter().position(|n| n.id() == id).unwrap_or(0))
    });
    let len = Memo::new(move |_| parent.children.with(Vec::len));
    (at, len)
}

/// Move up / Move down / Duplicate / Delete for one node. The pictures are drawn by the
/// style sheet (`filter-actions__button--*`), so each button is one element; its `title` is
/// its name (there is no other) and its tooltip; one listener on the row serves the four.
#[component]
pub(crate) fn NodeActions(
    /// The node.
    id: NodeId,
    /// The group it is in.
    parent: GroupModel,
    /// The group around that, where it goes when it moves out of `parent`.
    grandparent: Option<GroupModel>,
    /// The fields of its conditions (for the duplicate).
    source: FieldSource,
    /// `condition`, `group` or `clause`, for the buttons' names.
    noun: &'static str,
    /// Its place in `parent` (see [`position`]).
    at: Memo<usize>,
    /// How many nodes `parent` has.
    len: Memo<usize>,
) -> impl IntoView {
    let state = use_builder();
    let outer = grandparent.is_some();
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button").ok().flatten())
        else {
            return;
        };
        let has = |class: &str| button.class_list().contains(class);
        if has("filter-actions__button--up") {
            state.move_node(parent, grandparent, id, true);
        } else if has("filter-actions__button--down") {
            state.move_node(parent, grandparent, id, false);
        } else if has("filter-actions__button--duplicate") {
            state.duplicate(parent, id, source);
        } else if has("filter-actions__button--delete") {
            state.delete(parent, id);
        }
    };
    view! {
        <div class="filter-actions" on:click=on_click>
            <button
                type="button"
                class="filter-actions__button filter-actions__button--up"
                title=format!("Move {noun} up")
                disabled=move || !can_move(at.get(), len.get(), outer, true)
            ></button>
            <button
                type="button"
                class="filter-actions__button filter-actions__button--down"
                title=format!("Move {noun} down")
                disabled=move || !can_move(at.get(), len.get(), outer, false)
            ></button>
            <button
                type="button"
                class="filter-actions__button filter-actions__button--duplicate"
                title=format!("Duplicate {noun}")
            ></button>
            <button
                type="button"
                class="filter-actions__button filter-actions__button--delete filter-actions__button--danger"
                title=format!("Delete {noun}")
            ></button>
        </div>
    }
}
