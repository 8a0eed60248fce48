//! An AND / OR group: its combinator, its children (conditions, groups, raw clauses), and
//! the buttons that add to it. Recursive, hence `AnyView`.

use annotask_core::dql::GroupOp;
use leptos::prelude::*;

use super::condition::Condition;
use super::drag_drop::{drag_over, drop_on, DragHandle, Place};
use super::focus::focus_key;
use super::model::{FieldSource, GroupModel, NodeModel};
use super::node_actions::{move_shortcut, position, NodeActions};
use super::raw_clause::RawClause;
use super::state::use_builder;

/// How a combinator reads on screen.
pub(crate) fn op_label(op: GroupOp) -> &'static str {
    match op {
        GroupOp::And => "All of (AND)",
        GroupOp::Or => "Any of (OR)",
    }
}

/// `All of (AND) group, 3 conditions`: what a screen reader announces for the group.
pub(crate) fn group_label(op: GroupOp, count: usize) -> String {
    let noun = if count == 1 {
        "condition"
    } else {
        "conditions"
    };
    format!("{} group, {count} {noun}", op_label(op))
}

/// One group and, recursively, everything in it.
#[component]
pub(crate) fn Group(
    /// The group shown.
    group: GroupModel,
    /// The group it sits in; `None` for a root.
    parent: Option<GroupModel>,
    /// The group around `parent`, where the group moves when it leaves `parent`.
    grandparent: Option<GroupModel>,
    /// Which fields its conditions pick from.
    source: FieldSource,
    /// Whether this is the items filter's root (see `BuilderState::add_group`).
    #[prop(optional)]
    items_root: bool,
) -> AnyView {
    let state = use_builder();
    let id = group.id;
    let op = group.op;
    let count = Memo::new(move |_| group.children.with(Vec::len));
    let messages = state.messages(id);
    let select_id = format!("fb-{id}-op");
    let read_only = state.read_only;

    let header = if read_only {
        view! {
            <span class="filter-group__combinator">
                "Match "<strong>{move || op_label(op.get())}</strong>
            </span>
        }
        .into_any()
    } else {
        view! {
            <label class="filter-group__label" for=select_id.clone()>
                "Match"
            </label>
            <select
                id=select_id
                class="filter-group__select"
                on:change=move |ev| {
                    let op = if event_target_value(&ev) == "or" { GroupOp::Or } else { GroupOp::And };
                    state.set_op(group, op);
                }
            >
                // Made again when the combinator changes (one effect, not one per option).
                {move || {
                    let now = op.get();
                    view! {
                        <option value="and" selected=now == GroupOp::And>
                            {op_label(GroupOp::And)}
                        </option>
                        <option value="or" selected=now == GroupOp::Or>
                            {op_label(GroupOp::Or)}
                        </option>
                    }
                }}
            </select>
        }
        .into_any()
    };
    let actions = (!read_only).then(|| {
        parent.map(|parent| {
            let (at, len) = position(parent, id);
            view! {
                <NodeActions
                    id=id
                    parent=parent
                    grandparent=grandparent
                    source=source
                    noun="group"
                    at=at
                    len=len
                />
            }
        })
    });
    let handle = (!read_only)
        .then(|| parent.map(|parent| view! { <DragHandle id=id parent=parent source=source /> }));
    let drop_place = state.drag.place_of(id);
    let empty_hint = move || {
        (count.get() == 0 && op.get() == GroupOp::And).then(|| {
            view! {
                <p class="filter-group__empty">"No conditions here yet, so every item matches."</p>
            }
        })
    };
    let footer = (!read_only).then(|| {
        view! {
            <div class="filter-group__footer">
                <button
                    type="button"
                    class="button filter-group__add"
                    data-fb-focus=focus_key(id, "add-condition")
                    on:click=move |_| state.add_row(group)
                >
                    <span aria-hidden="true">"+ "</span>
                    "Add condition"
                </button>
                <button
                    type="button"
                    class="button button--quiet filter-group__add"
                    data-fb-focus=focus_key(id, "add-group")
                    on:click=move |_| state.add_group(group, items_root)
                >
                    <span aria-hidden="true">"+ "</span>
                    "Add group"
                </button>
            </div>
        }
    });

    view! {
        <div
            class="filter-group"
            class:filter-group--or=move || op.get() == GroupOp::Or
            class:filter-group--root=parent.is_none()
            class:filter-group--invalid=move || !messages.with(Vec::is_empty)
            class:filter-drop--inside=move || drop_place.get() == Some(Place::Inside)
            role="group"
            aria-label=move || group_label(op.get(), count.get())
            data-fb-node=id
            on:keydown=move |ev| {
                if let (Some(up), Some(parent)) = (move_shortcut(&ev), parent) {
                    ev.prevent_default();
                    ev.stop_propagation();
                    state.move_node(parent, grandparent, id, up);
                }
            }
            on:dragover=move |ev| {
                if !read_only {
                    drag_over(state, &ev, id, source, true);
                }
            }
            on:drop=move |ev| drop_on(state, &ev, parent, Some(group))
        >
            <div class="filter-group__header">{handle} {header} {actions}</div>
            {move || {
                messages
                    .with(|m| !m.is_empty())
                    .then(|| {
                        view! {
                            <div class="filter-group__messages">
                                {messages
                                    .get()
                                    .into_iter()
                                    .map(|m| view! { <p class="filter-builder__message">{m}</p> })
                                    .collect_view()}
                            </div>
                        }
                    })
            }}
            // No list around the nodes: the group's name says how many it holds and each
            // node says which one it is ("Condition 2 of 5").
            <div class="filter-group__children">
                <For
                    each=move || group.children.get()
                    key=|node| node.id()
                    children=move |node| child_view(node, group, parent, source)
                />
            </div>
            {empty_hint}
            {footer}
        </div>
    }
    .into_any()
}

fn child_view(
    node: NodeModel,
    group: GroupModel,
    outer: Option<GroupModel>,
    source: FieldSource,
) -> AnyView {
    match node {
        NodeModel::Group(child) => view! {
            <Group group=child parent=Some(group) grandparent=outer source=source />
        }
        .into_any(),
        NodeModel::Row(row) => view! {
            <Condition row=row parent=group grandparent=outer source=source />
        }
        .into_any(),
        NodeModel::Raw(raw) => view! {
            <RawClause raw=raw parent=group grandparent=outer source=source />
        }
        .into_any(),
    }
}
