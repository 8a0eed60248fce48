//! The buttons every node has: move up, move down, duplicate, delete; and the keyboard
//! shortcut for moving.

use leptos::prelude::*;

use super::focus::focus_key;
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

/// Move up / Move down / Duplicate / Delete for one node.
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
) -> impl IntoView {
    let state = use_builder();
    let at = Memo::new(move |_| {
        parent
            .children
            .with(|c| c.iter().position(|n| n.id() == id).unwrap_or(0))
    });
    let len = Memo::new(move |_| parent.children.with(Vec::len));
    let outer = grandparent.is_some();
    let button = move |control: &'static str,
                       icon: Icon,
                       name: String,
                       enabled: Signal<bool>,
                       act: Callback<()>| {
        view! {
            <button
                type="button"
                class="filter-actions__button"
                class:filter-actions__button--danger=control == "delete"
                data-fb-focus=focus_key(id, control)
                aria-label=name.clone()
                title=name
                disabled=move || !enabled.get()
                on:click=move |_| act.run(())
            >
                {icon.view()}
            </button>
        }
    };
    view! {
        <div class="filter-actions">
            {button(
                "move-up",
                Icon::Up,
                format!("Move {noun} up"),
                Signal::derive(move || can_move(at.get(), len.get(), outer, true)),
                Callback::new(move |_| state.move_node(parent, grandparent, id, true)),
            )}
            {button(
                "move-down",
                Icon::Down,
                format!("Move {noun} down"),
                Signal::derive(move || can_move(at.get(), len.get(), outer, false)),
                Callback::new(move |_| state.move_node(parent, grandparent, id, false)),
            )}
            {button(
                "duplicate",
                Icon::Duplicate,
                format!("Duplicate {noun}"),
                Signal::from(true),
                Callback::new(move |_| state.duplicate(parent, id, source)),
            )}
            {button(
                "delete",
                Icon::Delete,
                format!("Delete {noun}"),
                Signal::from(true),
                Callback::new(move |_| state.delete(parent, id)),
            )}
        </div>
    }
}

/// The buttons' pictures, drawn so that they look the same whatever fonts are installed.
#[derive(Clone, Copy)]
pub(crate) enum Icon {
    Up,
    Down,
    Duplicate,
    Delete,
}

impl Icon {
    pub fn view(self) -> impl IntoView {
        let path = match self {
            Icon::Up => "M8 13V3M3.5 7.5 8 3l4.5 4.5",
            Icon::Down => "M8 3v10M3.5 8.5 8 13l4.5-4.5",
            Icon::Duplicate => {
                "M6 5.5h6.5a1 1 0 0 1 1 1V13a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V6.5a1 1 0 0 1 1-1zM10.5 3.5V3a1 1 0 0 0-1-1H3a1 1 0 0 0-1 1v6.5a1 1 0 0 0 1 1h.5"
            }
            Icon::Delete => "M4 4l8 8M12 4l-8 8",
        };
        view! {
            <svg
                class="filter-actions__icon"
                viewBox="0 0 16 16"
                width="16"
                height="16"
                aria-hidden="true"
                focusable="false"
            >
                <path
                    d=path
                    fill="none"
                    stroke="currentColor"
                    stroke-width="1.6"
                    stroke-linecap="round"
                    stroke-linejoin="round"
                />
            </svg>
        }
    }
}
