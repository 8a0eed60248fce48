//! The builder's own copy of the filter tree: every node has a stable id (the DQL tree has
//! none) and its own signals, so an edit re-renders the one row it touches, not the tree.
//! The tree prints back to exactly the [`FilterNode`] it was read from; edits build a new
//! [`FilterNode`] from it (see [`GroupModel::to_node`]).

use std::sync::atomic::{AtomicU64, Ordering};

use annotask_core::dql::builder::{
    element_filter, element_operand, Choice, ConditionRow, FieldSpec, FieldType,
};
use annotask_core::dql::{FilterNode, GroupOp};
use leptos::prelude::*;
use serde_json::Value;

/// A node's id: unique across every builder on the page, so it also makes DOM ids.
pub(crate) type NodeId = u64;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh id.
pub(crate) fn next_id() -> NodeId {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Which catalogue a row's fields come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FieldSource {
    /// The items filter.
    Items,
    /// The join: an item's annotations.
    Annotations,
    /// Inside `$match`: one task or assignment reference.
    References,
}

/// How a field's type is found: the catalogue, else a guess from the value.
pub(crate) type TypeOf<'a> = &'a dyn Fn(FieldSource, &str, &Value) -> FieldType;

/// An AND / OR group.
#[derive(Clone, Copy)]
pub(crate) struct GroupModel {
    pub id: NodeId,
    pub op: RwSignal<GroupOp>,
    /// Printing detail kept from the DQL (see `FilterNode::Group::merged`).
    pub merged: bool,
    /// The group only holds a filter that was not a group itself (a root must be a group
    /// on screen); while it has that one child, it prints as the child alone.
    pub wrapper: bool,
    pub children: RwSignal<Vec<NodeModel>>,
}

/// A condition row: one field, one choice, its operand(s).
#[derive(Clone, Copy)]
pub(crate) struct RowModel {
    pub id: NodeId,
    pub row: RwSignal<ConditionRow>,
    pub ty: RwSignal<FieldType>,
    /// The element filter of a `$match` row, when it can be shown as a tree.
    pub elements: RwSignal<Option<ElementModel>>,
    /// Whether to show the row's problems: it was loaded, or focus has left it once.
    /// A row just added is not scolded for being empty.
    pub touched: RwSignal<bool>,
}

/// The nested filter of a `$match` row.
#[derive(Clone, Copy)]
pub(crate) struct ElementModel {
    pub root: GroupModel,
    /// Dot paths print as nested objects (the SDK's way) rather than dotted keys.
    pub nested: bool,
}

/// A clause the builder cannot show, kept verbatim.
#[derive(Clone, Copy)]
pub(crate) struct RawModel {
    pub id: NodeId,
    pub value: StoredValue<Value>,
}

/// One node of the builder's tree.
#[derive(Clone, Copy)]
pub(crate) enum NodeModel {
    Group(GroupModel),
    Row(RowModel),
    Raw(RawModel),
}

impl NodeModel {
    pub fn id(&self) -> NodeId {
        match self {
            NodeModel::Group(g) => g.id,
            NodeModel::Row(r) => r.id,
            NodeModel::Raw(r) => r.id,
        }
    }

    /// Reads a DQL node; `touched` marks rows whose problems show at once.
    pub fn from_node(
        node: &FilterNode,
        source: FieldSource,
        type_of: TypeOf,
        touched: bool,
    ) -> NodeModel {
        if let Some(row) = ConditionRow::from_node(node) {
            let ty = type_of(source, &row.field, &row.value);
            return NodeModel::Row(RowModel::new(row, ty, type_of, touched));
        }
        match node {
            FilterNode::Group {
                op,
                children,
                merged,
            } => NodeModel::Group(GroupModel {
                id: next_id(),
                op: RwSignal::new(*op),
                merged: *merged,
                wrapper: false,
                children: RwSignal::new(
                    children
                        .iter()
                        .map(|c| NodeModel::from_node(c, source, type_of, touched))
                        .collect(),
                ),
            }),
            other => NodeModel::Raw(RawModel {
                id: next_id(),
                value: StoredValue::new(other.to_json()),
            }),
        }
    }

    /// The DQL node this prints as.
    pub fn to_node(self) -> FilterNode {
        match self {
            NodeModel::Group(g) => g.to_node(),
            NodeModel::Row(r) => r.to_node(),
            NodeModel::Raw(r) => FilterNode::Raw(r.value.get_value()),
        }
    }
}

impl GroupModel {
    /// A new group (printed as an `$and` / `$or` list, as the SDK does).
    pub fn new(op: GroupOp, children: Vec<NodeModel>) -> GroupModel {
        GroupModel {
            id: next_id(),
            op: RwSignal::new(op),
            merged: false,
            wrapper: false,
            children: RwSignal::new(children),
        }
    }

    /// The root group of a filter: the filter itself when it is a group, else a wrapper.
    /// (A between at the root stays a group of two conditions, so the root is a group.)
    pub fn root(node: &FilterNode, source: FieldSource, type_of: TypeOf) -> GroupModel {
        match node {
            FilterNode::Group {
                op,
                children,
                merged,
            } => GroupModel {
                id: next_id(),
                op: RwSignal::new(*op),
                merged: *merged,
                wrapper: false,
                children: RwSignal::new(
                    children
                        .iter()
                        .map(|c| NodeModel::from_node(c, source, type_of, true))
                        .collect(),
                ),
            },
            other => GroupModel {
                id: next_id(),
                op: RwSignal::new(GroupOp::And),
                merged: true,
                wrapper: true,
                children: RwSignal::new(vec![NodeModel::from_node(other, source, type_of, true)]),
            },
        }
    }

    /// The DQL node this group prints as.
    pub fn to_node(self) -> FilterNode {
        let mut children: Vec<FilterNode> = self
            .children
            .with_untracked(|c| c.iter().map(|n| n.to_node()).collect());
        if self.wrapper && children.len() == 1 {
            return children.pop().expect("one child");
        }
        FilterNode::Group {
            op: self.op.get_untracked(),
            children,
            merged: self.merged,
        }
    }

    /// Whether the tree path of a DQL node that this group printed skips the group: a
    /// wrapper with one child prints as that child.
    pub fn prints_as_child(&self) -> bool {
        self.wrapper && self.children.with_untracked(Vec::len) == 1
    }

    /// The node at a tree path of the DQL this group printed (child indices, as
    /// `query_issues` gives them). A row stands for its whole subtree (a between's bounds).
    pub fn locate(&self, path: &[usize]) -> Option<NodeId> {
        if self.prints_as_child() {
            let only = self.children.with_untracked(|c| c[0]);
            return locate_in(only, path);
        }
        locate_in(NodeModel::Group(*self), path)
    }

    pub fn position(&self, id: NodeId) -> Option<usize> {
        self.children
            .with_untracked(|c| c.iter().position(|n| n.id() == id))
    }

    pub fn node(&self, id: NodeId) -> Option<NodeModel> {
        self.children
            .with_untracked(|c| c.iter().find(|n| n.id() == id).copied())
    }

    pub fn insert(&self, at: usize, node: NodeModel) {
        self.children.update(|c| c.insert(at.min(c.len()), node));
    }

    pub fn push(&self, node: NodeModel) {
        self.children.update(|c| c.push(node));
    }

    /// Removes a child; its former position.
    pub fn remove(&self, id: NodeId) -> Option<usize> {
        let at = self.position(id)?;
        self.children.update(|c| {
            c.remove(at);
        });
        Some(at)
    }
}

fn locate_in(mut node: NodeModel, path: &[usize]) -> Option<NodeId> {
    for &index in path {
        match node {
            NodeModel::Group(g) => node = g.children.with_untracked(|c| c.get(index).copied())?,
            // A row or raw clause absorbs the rest of the path.
            _ => return Some(node.id()),
        }
    }
    Some(node.id())
}

/// Moves a node one place up or down among its siblings, or out of its group (next to it,
/// in the group around) at the group's first or last place. Whether it moved.
pub(crate) fn move_node(
    parent: GroupModel,
    grandparent: Option<GroupModel>,
    id: NodeId,
    up: bool,
) -> bool {
    let Some(at) = parent.position(id) else {
        return false;
    };
    let len = parent.children.with_untracked(Vec::len);
    if (up && at > 0) || (!up && at + 1 < len) {
        let other = if up { at - 1 } else { at + 1 };
        parent.children.update(|c| c.swap(at, other));
        return true;
    }
    let Some(outer) = grandparent else {
        return false;
    };
    let (Some(node), Some(group_at)) = (parent.node(id), outer.position(parent.id)) else {
        return false;
    };
    parent.remove(id);
    outer.insert(if up { group_at } else { group_at + 1 }, node);
    true
}

/// Whether [`move_node`] can move the node at `at` of `len` siblings.
pub(crate) fn can_move(at: usize, len: usize, has_outer: bool, up: bool) -> bool {
    has_outer || if up { at > 0 } else { at + 1 < len }
}

impl RowModel {
    /// A row; a `$match` row gets its element tree when it has one.
    pub fn new(row: ConditionRow, ty: FieldType, type_of: TypeOf, touched: bool) -> RowModel {
        let elements = element_model(&row, type_of);
        RowModel {
            id: next_id(),
            row: RwSignal::new(row),
            ty: RwSignal::new(ty),
            elements: RwSignal::new(elements),
            touched: RwSignal::new(touched),
        }
    }

    /// An empty row, waiting for its field.
    pub fn blank() -> RowModel {
        RowModel {
            id: next_id(),
            row: RwSignal::new(ConditionRow::new("", FieldType::Text)),
            ty: RwSignal::new(FieldType::Text),
            elements: RwSignal::new(None),
            touched: RwSignal::new(false),
        }
    }

    /// Points the row at another field (keeping what still fits the field's type).
    pub fn set_field(&self, spec: &FieldSpec, type_of: TypeOf) {
        let old = self.ty.get_untracked();
        let next = self
            .row
            .with_untracked(|r| r.with_field(&spec.path, old, spec.ty));
        self.ty.set(spec.ty);
        self.replace(next, type_of);
    }

    /// Switches the row's choice (carrying the operand over where it fits).
    pub fn set_choice(&self, choice: Choice, type_of: TypeOf) {
        let ty = self.ty.get_untracked();
        let next = self.row.with_untracked(|r| r.with_choice(choice, ty));
        self.replace(next, type_of);
    }

    fn replace(&self, next: ConditionRow, type_of: TypeOf) {
        let had_elements = self.elements.with_untracked(Option::is_some);
        let wants_elements = next.choice == Choice::HasElement;
        if wants_elements != had_elements {
            self.elements.set(if wants_elements {
                element_model(&next, type_of)
            } else {
                None
            });
        }
        self.row.set(next);
    }

    /// Sets the operand (or, with `upper`, a between's high end) when it differs.
    pub fn set_operand(&self, upper: bool, value: Value) {
        let same = self.row.with_untracked(|r| {
            if upper {
                r.upper == value
            } else {
                r.value == value
            }
        });
        if !same {
            self.row.update(|r| {
                if upper {
                    r.upper = value;
                } else {
                    r.value = value;
                }
            });
        }
    }

    /// The DQL node of the row; a `$match` row first takes its operand from its element tree.
    pub fn to_node(self) -> FilterNode {
        if let Some(elements) = self.elements.get_untracked() {
            let operand = element_operand(&elements.root.to_node(), elements.nested);
            self.set_operand(false, operand);
        }
        self.row.with_untracked(ConditionRow::to_node)
    }
}

fn element_model(row: &ConditionRow, type_of: TypeOf) -> Option<ElementModel> {
    if row.choice != Choice::HasElement {
        return None;
    }
    let filter = element_filter(&row.value)?;
    Some(ElementModel {
        root: GroupModel::root(&filter.node, FieldSource::References, type_of),
        nested: filter.nested,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use annotask_core::dql::builder::infer_type;
    use serde_json::json;
    use wasm_bindgen_test::*;

    fn guess(_: FieldSource, _: &str, value: &Value) -> FieldType {
        infer_type(value)
    }

    fn round_trip(text: &str) {
        let node = FilterNode::parse_lenient(&serde_json::from_str(text).unwrap());
        let root = GroupModel::root(&node, FieldSource::Items, &guess);
        assert_eq!(root.to_node(), node, "{text}");
    }

    #[wasm_bindgen_test]
    fn trees_print_back_to_the_node_they_were_read_from() {
        round_trip(r#"{"$and": [{"hidden": false}, {"type": "file"}]}"#);
        round_trip(r#"{"$or": [{"dir": "/a"}], "$and": [{"hidden": false}]}"#);
        round_trip(r#"{"dir": "/a"}"#);
        round_trip(r#"{}"#);
        round_trip(r#"{"size": {"$gte": 1, "$lte": 5}}"#);
        round_trip(r#"{"$and": [{"size": {"$gte": 1, "$lte": 5}}, {"x": {"$near": 1}}, 7]}"#);
        round_trip(
            r#"{"$and": [{"metadata.system.refs": {"$match": {"id": {"$in": ["T"]}, "metadata": {"status": {"$exists": false}}}}}]}"#,
        );
    }

    #[wasm_bindgen_test]
    fn issue_paths_find_their_node() {
        let node = FilterNode::parse(
            &json!({"$and": [{"a": 1}, {"$or": [{"b": 2}, {"c": {"$gte": 1, "$lte": 0}}]}]}),
        )
        .unwrap();
        let root = GroupModel::root(&node, FieldSource::Items, &guess);
        let child = |g: GroupModel, i: usize| g.children.with_untracked(|c| c[i]);
        let NodeModel::Group(or) = child(root, 1) else {
            panic!("an OR group")
        };
        assert_eq!(root.locate(&[]), Some(root.id));
        assert_eq!(root.locate(&[1, 0]), Some(child(or, 0).id()));
        // A between's bound belongs to the between row.
        assert_eq!(root.locate(&[1, 1, 1]), Some(child(or, 1).id()));
        assert_eq!(root.locate(&[5]), None);

        let single = GroupModel::root(&FilterNode::eq("a", json!(1)), FieldSource::Items, &guess);
        assert_eq!(single.locate(&[]), Some(child(single, 0).id()));
    }

    #[wasm_bindgen_test]
    fn nodes_move_among_siblings_and_out_of_their_group() {
        let node =
            FilterNode::parse(&json!({"$and": [{"a": 1}, {"$or": [{"b": 2}, {"c": 3}]}]})).unwrap();
        let root = GroupModel::root(&node, FieldSource::Items, &guess);
        let NodeModel::Group(or) = root.children.with_untracked(|c| c[1]) else {
            panic!("an OR group")
        };
        let b = or.children.with_untracked(|c| c[0].id());
        assert!(move_node(or, Some(root), b, false));
        assert_eq!(
            root.to_node().to_json(),
            json!({"$and": [{"a": 1}, {"$or": [{"c": 3}, {"b": 2}]}]})
        );
        assert!(move_node(or, Some(root), b, false));
        assert_eq!(
            root.to_node().to_json(),
            json!({"$and": [{"a": 1}, {"$or": [{"c": 3}]}, {"b": 2}]})
        );
        assert!(!move_node(root, None, b, false));
        assert!(
            can_move(0, 3, true, true)
                && !can_move(0, 3, false, true)
                && can_move(0, 3, false, false)
        );
    }
}
