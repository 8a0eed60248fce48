//! The state one builder shares with its parts (through context): the model trees, the
//! query they write, the problems found in it, and every edit the toolbar buttons make.
//!
//! The [`Query`] signal stays the one source of truth for the outside: every edit rebuilds
//! the filter from the model ([`BuilderState::commit`]), and a query that changes from
//! outside (the JSON view, the form) rebuilds the model ([`BuilderState::reload`]).

use annotask_core::dql::builder::{Choice, FieldSpec, FieldType};
use annotask_core::dql::{GroupOp, Join, JoinOn, Query, SortDir};
use annotask_core::validate::query_issues;
use std::collections::HashMap;

use leptos::prelude::*;
use serde_json::{Map, Value};

use super::drag_drop::DragState;
use super::fields::Catalogue;
use super::focus::{focus_later, FocusTarget};
use super::model::{move_node, next_id, FieldSource, GroupModel, NodeId, NodeModel, RowModel};

/// One sort key: a field and a direction.
#[derive(Clone, Copy)]
pub(crate) struct SortKeyModel {
    pub id: NodeId,
    pub field: RwSignal<String>,
    pub dir: RwSignal<SortDir>,
}

/// See the [module docs](self).
#[derive(Clone, Copy)]
pub(crate) struct BuilderState {
    pub query: RwSignal<Query>,
    pub read_only: bool,
    pub catalogue: Catalogue,
    /// The items filter.
    pub items_root: RwSignal<GroupModel>,
    /// The join's filter (conditions on an item's annotations), when there is a join.
    pub join_root: RwSignal<Option<GroupModel>>,
    pub sort: RwSignal<Vec<SortKeyModel>>,
    /// The problems `query_issues` found last, each placed on its node.
    issues: StoredValue<Vec<(NodeId, String)>>,
    /// Each shown node's messages. One signal per node, set only when its own messages
    /// change: a memo of all the problems read by every row would wake all 200 rows on
    /// every keystroke just to find that nothing changed for them.
    messages: StoredValue<HashMap<NodeId, RwSignal<Vec<String>>>>,
    /// What the last edit did, for screen readers.
    pub announcement: RwSignal<String>,
    /// The node being dragged, if any.
    pub drag: DragState,
    /// The query the builder wrote last, to tell its own writes from outside changes.
    committed: StoredValue<Query>,
    /// The builder's own owner. Model signals are created under it, not under the
    /// component whose button made them: that component may be re-rendered (a group
    /// moving) and would take the signals with it.
    owner: StoredValue<Owner>,
}

impl BuilderState {
    /// The state for `query`, following it when it changes from outside.
    pub fn new(query: RwSignal<Query>, read_only: bool, catalogue: Catalogue) -> BuilderState {
        let owner = Owner::current().expect("the builder is created inside a component");
        let initial = query.get_untracked();
        let items_root = RwSignal::new(GroupModel::root(
            &initial.filter,
            FieldSource::Items,
            &|s, p, v| catalogue.type_of(s, p, v),
        ));
        let join_root = RwSignal::new(None);
        let sort = RwSignal::new(Vec::new());
        let issues = StoredValue::new(Vec::new());
        let messages = StoredValue::new(HashMap::new());
        let state = BuilderState {
            query,
            read_only,
            catalogue,
            items_root,
            join_root,
            sort,
            issues,
            messages,
            announcement: RwSignal::new(String::new()),
            drag: DragState::new(),
            committed: StoredValue::new(initial.clone()),
            owner: StoredValue::new(owner),
        };
        state.load_join_and_sort(&initial);
        Effect::new(move |_| state.place_issues());
        Effect::new(move |_| {
            let outside = query.with(|q| state.committed.with_value(|c| c != q));
            if outside {
                state.reload(&query.get_untracked());
            }
        });
        state
    }

    /// Runs `make` (which creates model signals) under the builder's owner.
    pub fn build<T>(&self, make: impl FnOnce() -> T) -> T {
        let owner = self.owner.get_value();
        owner.with(make)
    }

    fn type_of(&self) -> impl Fn(FieldSource, &str, &Value) -> FieldType {
        let catalogue = self.catalogue;
        move |source, path, value| catalogue.type_of(source, path, value)
    }

    /// Rebuilds the whole model from a query that changed from outside.
    pub fn reload(&self, query: &Query) {
        self.committed.set_value(query.clone());
        let type_of = self.type_of();
        let root = self.build(|| GroupModel::root(&query.filter, FieldSource::Items, &type_of));
        self.items_root.set(root);
        self.load_join_and_sort(query);
    }

    fn load_join_and_sort(&self, query: &Query) {
        let type_of = self.type_of();
        let join = self.build(|| {
            query
                .join
                .as_ref()
                .map(|join| GroupModel::root(&join.filter, FieldSource::Annotations, &type_of))
        });
        self.join_root.set(join);
        let sort = query
            .sort
            .iter()
            .map(|(field, dir)| self.new_sort_key(field, *dir))
            .collect();
        self.sort.set(sort);
    }

    /// A sort key model (not yet in the list).
    pub fn new_sort_key(&self, field: &str, dir: SortDir) -> SortKeyModel {
        self.build(|| SortKeyModel {
            id: next_id(),
            field: RwSignal::new(field.to_owned()),
            dir: RwSignal::new(dir),
        })
    }

    /// Writes the model into the query (filter, join filter and sort; everything else the
    /// query holds stays as it was).
    pub fn commit(&self) {
        let filter = self.items_root.get_untracked().to_node();
        let join_filter = self.join_root.get_untracked().map(GroupModel::to_node);
        // A sort key whose field is not picked yet is not written.
        let sort = self.sort.with_untracked(|keys| {
            keys.iter()
                .map(|k| (k.field.get_untracked(), k.dir.get_untracked()))
                .filter(|(field, _)| !field.is_empty())
                .collect()
        });
        // Everything but the filters is copied; the old filters are not (they are the big part).
        let next = self.query.with_untracked(|q| Query {
            filter,
            join: join_filter.map(|filter| match &q.join {
                Some(join) => Join {
                    on: join.on.clone(),
                    filter,
                    extra: join.extra.clone(),
                },
                None => Join {
                    on: if q.resource == "annotations" {
                        JoinOn::annotations_to_items()
                    } else {
                        JoinOn::items_to_annotations()
                    },
                    filter,
                    extra: Map::new(),
                },
            }),
            sort,
            page: q.page,
            page_size: q.page_size,
            resource: q.resource.clone(),
            extra: q.extra.clone(),
        });
        self.committed.set_value(next.clone());
        self.query.set(next);
    }

    /// Finds the query's problems and gives each node its own (tracking the query and the
    /// model roots; run by an effect).
    fn place_issues(&self) {
        let (items, join) = (self.items_root.get(), self.join_root.get());
        let placed: Vec<(NodeId, String)> = self.query.with(|q| {
            query_issues(q)
                .into_iter()
                .filter_map(|issue| {
                    let root = if issue.in_join { join? } else { items };
                    Some((root.locate(&issue.node)?, issue.error.message))
                })
                .collect()
        });
        let changed: Vec<(RwSignal<Vec<String>>, Vec<String>)> = self.messages.with_value(|all| {
            all.iter()
                .filter_map(|(id, signal)| {
                    let mine = messages_of(&placed, *id);
                    signal
                        .try_with_untracked(|shown| *shown != mine)
                        .unwrap_or(false)
                        .then_some((*signal, mine))
                })
                .collect()
        });
        self.issues.set_value(placed);
        for (signal, mine) in changed {
            signal.set(mine);
        }
    }

    /// The messages of one node, for as long as the calling component lives.
    pub fn messages(&self, id: NodeId) -> ReadSignal<Vec<String>> {
        let signal = RwSignal::new(self.issues.with_value(|all| messages_of(all, id)));
        self.messages.update_value(|all| {
            all.insert(id, signal);
        });
        let messages = self.messages;
        on_cleanup(move || {
            messages.try_update_value(|all| {
                // A node shown again elsewhere (moved between groups) registered anew.
                if all.get(&id) == Some(&signal) {
                    all.remove(&id);
                }
            });
        });
        signal.read_only()
    }

    pub fn announce(&self, text: impl Into<String>) {
        self.announcement.set(text.into());
    }

    /// Adds an empty condition at the end of `group` and puts the focus in its field.
    pub fn add_row(&self, group: GroupModel) {
        let row = self.build(RowModel::blank);
        group.push(NodeModel::Row(row));
        self.commit();
        self.announce("Condition added. Pick its field.");
        focus_later(FocusTarget::control(row.id, "field"));
    }

    /// Adds a group (of the other combinator, with one empty condition) to `group`.
    ///
    /// On the items filter's top-level `$and` list, the new OR group becomes the SDK's
    /// top-level `$or` instead, as `Filters.add(..., method=OR)` prints it:
    /// `{"$or": [...], "$and": [...]}`. Same meaning, and the JSON SDK users expect.
    pub fn add_group(&self, group: GroupModel, items_root: bool) {
        let op = match group.op.get_untracked() {
            GroupOp::And => GroupOp::Or,
            GroupOp::Or => GroupOp::And,
        };
        let (row, new_group) = self.build(|| {
            let row = RowModel::blank();
            (row, GroupModel::new(op, vec![NodeModel::Row(row)]))
        });
        let sdk_top_level = items_root && !group.merged && group.op.get_untracked() == GroupOp::And;
        if sdk_top_level {
            let root = self.build(|| GroupModel {
                id: next_id(),
                op: RwSignal::new(GroupOp::And),
                merged: true,
                wrapper: false,
                children: RwSignal::new(vec![NodeModel::Group(new_group), NodeModel::Group(group)]),
            });
            self.items_root.set(root);
        } else {
            group.push(NodeModel::Group(new_group));
        }
        self.commit();
        let what = if op == GroupOp::Or {
            "Any of (OR)"
        } else {
            "All of (AND)"
        };
        self.announce(format!(
            "{what} group added with one condition. Pick its field."
        ));
        focus_later(FocusTarget::control(row.id, "field"));
    }

    pub fn set_op(&self, group: GroupModel, op: GroupOp) {
        group.op.set(op);
        self.commit();
    }

    /// Copies a node (with new ids) right after itself and focuses the copy.
    pub fn duplicate(&self, parent: GroupModel, id: NodeId, source: FieldSource) {
        let (Some(node), Some(at)) = (parent.node(id), parent.position(id)) else {
            return;
        };
        let type_of = self.type_of();
        let copy = self.build(|| NodeModel::from_node(&node.to_node(), source, &type_of, true));
        parent.insert(at + 1, copy);
        self.commit();
        self.announce("Duplicated.");
        focus_later(FocusTarget::control(copy.id(), "duplicate"));
    }

    /// Removes a node; the focus goes to the node now in its place, or the one before, or
    /// the group's "Add condition" button.
    pub fn delete(&self, parent: GroupModel, id: NodeId) {
        let Some(at) = parent.remove(id) else {
            return;
        };
        self.commit();
        self.announce("Deleted.");
        let next = parent.children.with_untracked(|c| {
            c.get(at)
                .or_else(|| at.checked_sub(1).and_then(|i| c.get(i)))
                .map(NodeModel::id)
        });
        focus_later(match next {
            Some(node) => FocusTarget::control(node, "delete"),
            None => FocusTarget::control(parent.id, "add-condition"),
        });
    }

    /// Moves a node up or down (see [`move_node`]), keeping the focus where it was.
    pub fn move_node(
        &self,
        parent: GroupModel,
        grandparent: Option<GroupModel>,
        id: NodeId,
        up: bool,
    ) {
        let focused = FocusTarget::active();
        if move_node(parent, grandparent, id, up) {
            self.commit();
            self.announce(if up { "Moved up." } else { "Moved down." });
            focus_later(focused.unwrap_or(FocusTarget::control(id, "field")));
        }
    }

    /// Points a row at another field.
    pub fn set_field(&self, row: RowModel, spec: &FieldSpec) {
        let type_of = self.type_of();
        self.build(|| row.set_field(spec, &type_of));
        self.commit();
    }

    /// Switches a row's operator.
    pub fn set_choice(&self, row: RowModel, choice: Choice) {
        let type_of = self.type_of();
        self.build(|| row.set_choice(choice, &type_of));
        self.commit();
    }

    /// Starts the join's filter (conditions on an item's annotations) with one empty row.
    pub fn add_join(&self) {
        let (row, root) = self.build(|| {
            let row = RowModel::blank();
            (
                row,
                GroupModel::new(GroupOp::And, vec![NodeModel::Row(row)]),
            )
        });
        self.join_root.set(Some(root));
        self.commit();
        self.announce("Annotation condition added. Pick its field.");
        focus_later(FocusTarget::control(row.id, "field"));
    }

    pub fn remove_join(&self) {
        self.join_root.set(None);
        self.commit();
        self.announce("Annotation conditions removed.");
        focus_later(FocusTarget::Selector(
            "[data-fb-focus='join:add-join']".to_owned(),
        ));
    }
}

/// The distinct messages placed on one node.
fn messages_of(placed: &[(NodeId, String)], id: NodeId) -> Vec<String> {
    let mut mine: Vec<String> = Vec::new();
    for (node, message) in placed {
        if *node == id && !mine.contains(message) {
            mine.push(message.clone());
        }
    }
    mine
}

/// The state of the builder this component is part of.
pub(crate) fn use_builder() -> BuilderState {
    expect_context::<BuilderState>()
}
