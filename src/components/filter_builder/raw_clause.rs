//! A clause the tree cannot show (an unknown operator, a list entry that is no object …):
//! shown read-only and kept verbatim, never dropped. It can be moved or deleted here and
//! edited in the JSON view.

use leptos::prelude::*;

use super::drag_drop::{drag_over, drop_on, DragHandle, Place};
use super::model::{FieldSource, GroupModel, RawModel};
use super::node_actions::{move_shortcut, position, NodeActions};
use super::state::use_builder;

#[component]
pub(crate) fn RawClause(
    /// The clause.
    raw: RawModel,
    /// The group it is in.
    parent: GroupModel,
    /// The group around that.
    grandparent: Option<GroupModel>,
    /// The fields of the group (for a duplicate).
    source: FieldSource,
) -> impl IntoView {
    let state = use_builder();
    let id = raw.id;
    let messages = state.messages(id);
    let json = raw.value.with_value(|v| v.to_string());
    let note_id = format!("fb-{id}-note");
    let drop_place = state.drag.place_of(id);
    let described_by = note_id.clone();
    view! {
        <div
            class="filter-raw"
            class:filter-drop--before=move || drop_place.get() == Some(Place::Before)
            class:filter-drop--after=move || drop_place.get() == Some(Place::After)
            role="group"
            aria-label="Clause the builder cannot edit"
            aria-describedby=described_by
            data-fb-node=id
            on:keydown=move |ev| {
                if let Some(up) = move_shortcut(&ev) {
                    ev.prevent_default();
                    ev.stop_propagation();
                    state.move_node(parent, grandparent, id, up);
                }
            }
            on:dragover=move |ev| drag_over(state, &ev, id, source, false)
            on:drop=move |ev| drop_on(state, &ev, Some(parent), None)
        >
            {(!state.read_only).then(|| view! { <DragHandle id=id parent=parent source=source /> })}
            <code class="filter-raw__json">{json}</code>
            {(!state.read_only)
                .then(|| {
                    let (at, len) = position(parent, id);
                    view! {
                        <NodeActions
                            id=id
                            parent=parent
                            grandparent=grandparent
                            source=source
                            noun="clause"
                            at=at
                            len=len
                        />
                    }
                })}
            <p id=note_id class="filter-raw__note">
                "Kept exactly as written. The builder cannot edit this clause; change it in the JSON view."
            </p>
            <For each=move || messages.get() key=|m| m.clone() let:message>
                <p class="filter-builder__message">{message}</p>
            </For>
        </div>
    }
}
