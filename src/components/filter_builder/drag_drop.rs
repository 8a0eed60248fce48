//! Drag and drop of conditions and groups: a pointer shortcut for the move buttons (which,
//! with Alt+Shift+↑/↓, stay the keyboard's way). A node is dragged by its grip and dropped
//! before or after another node, or into a group's header or footer to join that group.
//!
//! The browser's drag data is only a formality here (Firefox needs some to start a drag);
//! what is dragged is kept in [`DragState`], outside the query like the focus.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::focus::{focus_later, FocusTarget};
use super::model::{FieldSource, GroupModel, NodeId};
use super::state::{use_builder, BuilderState};

/// Where a dragged node lands relative to the node under the pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Before,
    After,
    /// At the end of the group under the pointer.
    Inside,
}

/// The node being dragged.
#[derive(Clone, Copy)]
pub(crate) struct Dragged {
    node: NodeId,
    parent: GroupModel,
    source: FieldSource,
}

/// What is being dragged and where it would land.
#[derive(Clone, Copy)]
pub(crate) struct DragState {
    dragging: RwSignal<Option<Dragged>>,
    target: RwSignal<Option<(NodeId, Place)>>,
}

impl DragState {
    pub fn new() -> DragState {
        DragState {
            dragging: RwSignal::new(None),
            target: RwSignal::new(None),
        }
    }

    /// Where a drop on `node` would land, for its drop marker (a memo per node, so a drag
    /// over one node re-renders the markers of two, not of all).
    pub fn place_of(&self, node: NodeId) -> Memo<Option<Place>> {
        let target = self.target;
        Memo::new(move |_| {
            target
                .get()
                .filter(|(over, _)| *over == node)
                .map(|(_, place)| place)
        })
    }

    fn end(&self) {
        self.dragging.set(None);
        self.target.set(None);
    }
}

/// The grip a node is dragged by (its dots are drawn by the style sheet). Hidden from
/// screen readers: the move buttons do the same.
#[component]
pub(crate) fn DragHandle(
    /// The node.
    id: NodeId,
    /// The group it is in.
    parent: GroupModel,
    /// Its fields' catalogue: nodes only move among nodes of the same kind.
    source: FieldSource,
) -> impl IntoView {
    let drag = use_builder().drag;
    view! {
        <span
            class="filter-drag"
            draggable="true"
            title="Drag to move"
            aria-hidden="true"
            on:dragstart=move |ev: web_sys::DragEvent| {
                ev.stop_propagation();
                start_drag_data(&ev, id);
                drag.dragging.set(Some(Dragged { node: id, parent, source }));
            }
            on:dragend=move |_| drag.end()
        ></span>
    }
}

/// Sets the drag's data and picture through `dataTransfer` (read by name: this build of
/// web-sys has no `DataTransfer` type).
fn start_drag_data(ev: &web_sys::DragEvent, id: NodeId) {
    let Ok(transfer) = js_sys::Reflect::get(ev, &"dataTransfer".into()) else {
        return;
    };
    let call = |name: &str, args: &js_sys::Array| {
        if let Ok(f) = js_sys::Reflect::get(&transfer, &name.into()) {
            if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                let _ = f.apply(&transfer, args);
            }
        }
    };
    let _ = js_sys::Reflect::set(&transfer, &"effectAllowed".into(), &"move".into());
    call(
        "setData",
        &js_sys::Array::of2(&"text/plain".into(), &JsValue::from(id.to_string())),
    );
    // Show the whole node under the pointer, not just the grip.
    let node = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("[data-fb-node]").ok().flatten());
    if let Some(node) = node {
        call(
            "setDragImage",
            &js_sys::Array::of3(&node, &JsValue::from(16), &JsValue::from(16)),
        );
    }
}

/// `dragover` on a node: allow the drop when it makes sense and mark where it would land.
/// `group` is the node itself when it is a group (its header and footer take drops into it).
pub(crate) fn drag_over(
    state: BuilderState,
    ev: &web_sys::DragEvent,
    node: NodeId,
    source: FieldSource,
    group: bool,
) {
    let drag = state.drag;
    let Some(dragged) = drag.dragging.get_untracked() else {
        return;
    };
    let Some(over) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    // Never into itself; and over itself, not into the group around it either.
    if dragged.node == node || inside_dragged(dragged.node, &over) {
        ev.stop_propagation();
        return;
    }
    // Conditions only move among conditions on the same kind of fields.
    if dragged.source != source {
        return;
    }
    ev.prevent_default();
    ev.stop_propagation();
    let place = if group {
        Place::Inside
    } else {
        let rect = over.get_bounding_client_rect();
        if f64::from(ev.client_y()) < rect.top() + rect.height() / 2.0 {
            Place::Before
        } else {
            Place::After
        }
    };
    if drag.target.get_untracked() != Some((node, place)) {
        drag.target.set(Some((node, place)));
    }
}

/// `drop` on a node: moves the dragged node there. `parent` is the group the node under the
/// pointer sits in; for [`Place::Inside`], `group` is that node as a group.
pub(crate) fn drop_on(
    state: BuilderState,
    ev: &web_sys::DragEvent,
    parent: Option<GroupModel>,
    group: Option<GroupModel>,
) {
    let drag = state.drag;
    let (Some(dragged), Some((over, place))) =
        (drag.dragging.get_untracked(), drag.target.get_untracked())
    else {
        return;
    };
    ev.prevent_default();
    ev.stop_propagation();
    drag.end();
    let Some(moved) = dragged.parent.node(dragged.node) else {
        return;
    };
    let destination = match place {
        Place::Inside => group,
        Place::Before | Place::After => parent,
    };
    let Some(destination) = destination else {
        return;
    };
    dragged.parent.remove(dragged.node);
    let at = match place {
        Place::Inside => destination.children.with_untracked(Vec::len),
        Place::Before => destination.position(over).unwrap_or(0),
        Place::After => destination.position(over).map_or(0, |i| i + 1),
    };
    destination.insert(at, moved);
    state.commit();
    state.announce("Moved.");
    focus_later(FocusTarget::control(dragged.node, "move-up"));
}

/// Whether `element` is the dragged node or inside it (a group dropped into itself).
fn inside_dragged(dragged: NodeId, element: &web_sys::Element) -> bool {
    element
        .closest(&format!("[data-fb-node=\"{dragged}\"]"))
        .ok()
        .flatten()
        .is_some()
}
