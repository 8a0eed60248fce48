//! The filter tree of a DQL query, its lossless printer and its parser.
//!
//! # JSON shapes and the tree
//!
//! A DQL filter is a JSON object whose entries are ANDed together. Each entry is either a
//! logical list (`"$and": [...]`, `"$or": [...]`, whose items are filter objects again) or a
//! field clause: `{"field": value}` (plain equality, the SDK's "no operator") or
//! `{"field": {"$op": value, ...}}` (an operator object; several operators are ANDed, which is
//! how a "between" reads: `{"$gte": 1, "$lte": 5}`).
//!
//! | JSON | tree |
//! |---|---|
//! | `{"$and": [a, b]}` / `{"$or": [a, b]}` | `Group { op, children: [a, b], merged: false }` |
//! | `{"f": v}` | `Condition { field: "f", operator: Eq, value: v }` |
//! | `{"f": {"$gt": v}}` | `Condition { field: "f", operator: Gt, value: v }` |
//! | an object with several clauses: `{"a": 1, "b": 2}`, `{"f": {"$gt": 1, "$lt": 5}}`, the SDK's top level `{"$or": [...], "$and": [...]}` | `Group { op: And, children: [one node per clause, in order], merged: true }` |
//! | `{}` | `Group { op: And, children: [], merged: true }` ([`FilterNode::empty`]) |
//! | anything the tree does not model (lenient parsing only) | `Raw(value)` |
//!
//! # Round trip
//!
//! Printing is lossless: for every JSON value `v` that [`FilterNode::parse_lenient`] accepts,
//! `parse_lenient(v).to_json() == v`, key order included. The converse, `parse(t.to_json()) ==
//! t`, holds for *canonical* trees, i.e. the ones the parser produces. A hand-built tree may
//! differ from its canonical form, which is what parsing its JSON gives back:
//!
//! - a `merged` group with exactly one child prints as that child, and parses back as it;
//! - a `merged` group whose children cannot share one object (two clauses on the same key,
//!   other than distinct operators on one field; or a child that does not print as an object)
//!   prints as an `$and` list and parses back with `merged: false`;
//! - clauses of a `merged` group on the same field print next to each other (one operator
//!   object), so they parse back adjacent;
//! - `merged` means nothing for an `Or` group, which always prints as an `$or` list;
//! - a field name starting with `$`, or an `Eq` value that is itself an operator object
//!   (`{"$gt": 1}`), prints JSON that reads as something else;
//! - `Raw` holding JSON that the tree does model parses back as that model.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::DqlError;
use crate::error::{shorten, MAX_QUOTED_CHARS};

/// How a group combines its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupOp {
    /// Every child must match (`$and`).
    And,
    /// At least one child must match (`$or`).
    Or,
}

impl GroupOp {
    /// The JSON key: `"$and"` or `"$or"`.
    pub fn key(self) -> &'static str {
        match self {
            GroupOp::And => "$and",
            GroupOp::Or => "$or",
        }
    }

    /// The group operator for a JSON key, if it is `"$and"` or `"$or"`.
    pub fn from_key(key: &str) -> Option<GroupOp> {
        match key {
            "$and" => Some(GroupOp::And),
            "$or" => Some(GroupOp::Or),
            _ => None,
        }
    }
}

/// A comparison operator of a condition (the SDK's `FiltersOperations`, minus `and`/`or`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// Plain equality, printed without an operator: `{"field": value}`. A string value
    /// containing `*` is a glob (see [`crate::dql::eval`]).
    Eq,
    /// Explicit equality, `{"field": {"$eq": value}}`; kept apart from `Eq` so printing is
    /// lossless. Never a glob.
    ExplicitEq,
    /// `$ne`: true also when the field is missing.
    Ne,
    /// `$gt`.
    Gt,
    /// `$gte`.
    Gte,
    /// `$lt`.
    Lt,
    /// `$lte`.
    Lte,
    /// `$in`: the value is a list; matches when the field equals any of its entries.
    In,
    /// `$nin`: the negation of `$in`, true also when the field is missing.
    Nin,
    /// `$exists`: the value is a boolean.
    Exists,
    /// `$match`: the value is a filter object matched against each element of an array of
    /// objects (MongoDB's `$elemMatch`), e.g. `{"id": "T", "metadata": {"status": {"$exists": true}}}`.
    Match,
}

impl Operator {
    /// Every operator, in the order a picker would offer them.
    pub const ALL: [Operator; 11] = [
        Operator::Eq,
        Operator::ExplicitEq,
        Operator::Ne,
        Operator::Gt,
        Operator::Gte,
        Operator::Lt,
        Operator::Lte,
        Operator::In,
        Operator::Nin,
        Operator::Exists,
        Operator::Match,
    ];

    /// The JSON key (`"$gt"`, …); `None` for plain equality, which has none.
    pub fn key(self) -> Option<&'static str> {
        Some(match self {
            Operator::Eq => return None,
            Operator::ExplicitEq => "$eq",
            Operator::Ne => "$ne",
            Operator::Gt => "$gt",
            Operator::Gte => "$gte",
            Operator::Lt => "$lt",
            Operator::Lte => "$lte",
            Operator::In => "$in",
            Operator::Nin => "$nin",
            Operator::Exists => "$exists",
            Operator::Match => "$match",
        })
    }

    /// The operator for a JSON key such as `"$gte"`; `None` for unknown keys.
    pub fn from_key(key: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|op| op.key() == Some(key))
    }

    /// Whether this is an ordering comparison (`$gt`, `$gte`, `$lt`, `$lte`).
    pub fn is_range(self) -> bool {
        matches!(
            self,
            Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte
        )
    }
}

/// One node of a DQL filter tree. See the [module docs](self) for how it maps to JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterNode {
    /// A logical group.
    Group {
        /// AND or OR.
        op: GroupOp,
        /// The members, in order.
        children: Vec<FilterNode>,
        /// For an AND group: the clauses share one JSON object (`{"a": 1, "b": 2}`,
        /// `{"f": {"$gt": 1, "$lt": 5}}`, `{"$or": [...], "$and": [...]}`) instead of sitting in
        /// an `"$and": [...]` list. Same meaning, different printing. Ignored for OR.
        merged: bool,
    },
    /// A comparison of one field (a dot path such as `metadata.system.size`) with a value.
    Condition {
        /// The dot path of the field.
        field: String,
        /// The comparison.
        operator: Operator,
        /// The operand, any JSON.
        value: Value,
    },
    /// A piece of filter JSON the tree does not model (an unknown operator, a non-object list
    /// entry …), kept verbatim so that nothing is ever dropped. Only lenient parsing makes
    /// these; the evaluator treats them as matching nothing.
    Raw(Value),
}

impl Default for FilterNode {
    /// The empty filter `{}`, which matches everything.
    fn default() -> Self {
        FilterNode::empty()
    }
}

impl FilterNode {
    /// The empty filter `{}` (what the SDK prints for `Filters(use_defaults=False)`).
    pub fn empty() -> FilterNode {
        FilterNode::Group {
            op: GroupOp::And,
            children: Vec::new(),
            merged: true,
        }
    }

    /// An `$and` list.
    pub fn and(children: Vec<FilterNode>) -> FilterNode {
        FilterNode::Group {
            op: GroupOp::And,
            children,
            merged: false,
        }
    }

    /// An `$or` list.
    pub fn or(children: Vec<FilterNode>) -> FilterNode {
        FilterNode::Group {
            op: GroupOp::Or,
            children,
            merged: false,
        }
    }

    /// A condition `{field: {operator: value}}` (or `{field: value}` for [`Operator::Eq`]).
    pub fn condition(field: impl Into<String>, operator: Operator, value: Value) -> FilterNode {
        FilterNode::Condition {
            field: field.into(),
            operator,
            value,
        }
    }

    /// A plain equality `{field: value}`.
    pub fn eq(field: impl Into<String>, value: Value) -> FilterNode {
        FilterNode::condition(field, Operator::Eq, value)
    }

    /// Whether this is a group without children (`{}` or an empty list), which for AND
    /// matches everything.
    pub fn is_empty_group(&self) -> bool {
        matches!(self, FilterNode::Group { children, .. } if children.is_empty())
    }

    /// Whether this is an AND group whose clauses print into one shared object (a `merged`
    /// group whose clauses can share one); its children then sit at the group's own JSON path.
    pub(crate) fn prints_merged(&self) -> bool {
        match self {
            FilterNode::Group {
                op: GroupOp::And,
                merged: true,
                children,
            } => merge_clauses(children).is_some(),
            _ => false,
        }
    }

    /// Prints the node as DQL JSON. Lossless for canonical trees (see the module docs).
    pub fn to_json(&self) -> Value {
        match self {
            FilterNode::Condition {
                field,
                operator,
                value,
            } => {
                let operand = match operator.key() {
                    Some(key) => single_entry(key, value.clone()),
                    None => value.clone(),
                };
                single_entry(field, operand)
            }
            FilterNode::Group {
                op,
                children,
                merged,
            } => {
                if *merged && *op == GroupOp::And {
                    if let Some(object) = merge_clauses(children) {
                        return Value::Object(object);
                    }
                }
                let list = children.iter().map(FilterNode::to_json).collect();
                single_entry(op.key(), Value::Array(list))
            }
            FilterNode::Raw(value) => value.clone(),
        }
    }

    /// Parses a filter object strictly: an unknown `$operator`, a non-object list entry or a
    /// malformed `$match` is an error naming its JSON path, e.g.
    /// `filter.$and[2].createdAt: unknown operator $near` (paths start at `filter`).
    pub fn parse(value: &Value) -> Result<FilterNode, DqlError> {
        Parser { strict: true }.node(value, "filter")
    }

    /// Parses a filter object leniently: whatever the strict parser rejects is kept as
    /// [`FilterNode::Raw`] instead. Never fails.
    pub fn parse_lenient(value: &Value) -> FilterNode {
        Parser { strict: false }
            .node(value, "filter")
            .expect("the lenient parser keeps unknown shapes instead of failing")
    }

    /// Parses with an explicit mode and path prefix (used for `join.filter`).
    pub(crate) fn parse_at(
        value: &Value,
        path: &str,
        strict: bool,
    ) -> Result<FilterNode, DqlError> {
        Parser { strict }.node(value, path)
    }
}

/// Reads a `$match` operand as a filter, for evaluation: nested objects whose keys are not
/// all operators are nested filters, flattened into dot paths, so
/// `{"id": "T", "metadata": {"status": {"$exists": false}}}` becomes the clauses
/// `id == "T"` and `metadata.status $exists false`. The result is for evaluating and
/// validating only; it does not print back to the operand.
pub fn match_filter(operand: &Value) -> Result<FilterNode, DqlError> {
    Parser { strict: true }.match_node(operand, "", "$match")
}

/// Like [`match_filter`], keeping unknown shapes as [`FilterNode::Raw`].
pub(crate) fn match_filter_lenient(operand: &Value) -> FilterNode {
    Parser { strict: false }
        .match_node(operand, "", "$match")
        .expect("the lenient parser keeps unknown shapes instead of failing")
}

/// A key as error messages and paths quote it: cut to [`MAX_QUOTED_CHARS`] characters, so a
/// 2 MB field name does not come back in a 2 MB message.
fn quoted(key: &str) -> Cow<'_, str> {
    shorten(key, MAX_QUOTED_CHARS)
}

/// `{key: value}` as a JSON object.
fn single_entry(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

/// The entries of `value` if it is an operator object: non-empty, every key starting with `$`.
pub(crate) fn operator_object(value: &Value) -> Option<&Map<String, Value>> {
    match value {
        Value::Object(map) if !map.is_empty() && map.keys().all(|k| k.starts_with('$')) => {
            Some(map)
        }
        _ => None,
    }
}

/// Prints the clauses of a merged group into one object, or `None` when they cannot share
/// one (see the module docs); the caller then prints an `$and` list.
fn merge_clauses(children: &[FilterNode]) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    for child in children {
        let Value::Object(clause) = child.to_json() else {
            return None;
        };
        for (key, value) in clause {
            match out.get_mut(&key) {
                None => {
                    out.insert(key, value);
                }
                // Two clauses on one field share its operator object, unless an operator repeats.
                Some(Value::Object(existing)) if operator_object(&value).is_some() => {
                    let Value::Object(ops) = value else {
                        unreachable!("operator_object only accepts objects")
                    };
                    if existing.is_empty()
                        || !existing.keys().all(|k| k.starts_with('$'))
                        || ops.keys().any(|k| existing.contains_key(k))
                    {
                        return None;
                    }
                    existing.extend(ops);
                }
                Some(_) => return None,
            }
        }
    }
    Some(out)
}

/// The recursive-descent parser behind [`FilterNode::parse`] and [`FilterNode::parse_lenient`].
struct Parser {
    /// Fail on unknown shapes instead of keeping them as `Raw`.
    strict: bool,
}

impl Parser {
    /// An unknown shape: an error in strict mode, `Raw(raw)` otherwise.
    fn unknown(&self, raw: Value, path: &str, message: String) -> Result<FilterNode, DqlError> {
        if self.strict {
            Err(DqlError::new(path, message))
        } else {
            Ok(FilterNode::Raw(raw))
        }
    }

    /// Parses one filter object found at `path`.
    fn node(&self, value: &Value, path: &str) -> Result<FilterNode, DqlError> {
        let Value::Object(object) = value else {
            return self.unknown(value.clone(), path, "expected an object".to_owned());
        };
        let mut clauses = Vec::with_capacity(object.len());
        for (key, operand) in object {
            if let Some(op) = GroupOp::from_key(key) {
                let list_path = format!("{path}.{key}");
                let Value::Array(items) = operand else {
                    clauses.push(self.unknown(
                        single_entry(key, operand.clone()),
                        &list_path,
                        "expected an array".to_owned(),
                    )?);
                    continue;
                };
                let children = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.node(item, &format!("{list_path}[{i}]")))
                    .collect::<Result<_, _>>()?;
                clauses.push(FilterNode::Group {
                    op,
                    children,
                    merged: false,
                });
            } else if key.starts_with('$') {
                clauses.push(self.unknown(
                    single_entry(key, operand.clone()),
                    path,
                    format!("unknown operator {}", quoted(key)),
                )?);
            } else {
                let field_path = format!("{path}.{}", quoted(key));
                self.field_clauses(key, operand, &field_path, &mut clauses)?;
            }
        }
        Ok(collapse(clauses))
    }

    /// Parses the clauses of one field, `{"field": operand}`, into `out`.
    fn field_clauses(
        &self,
        field: &str,
        operand: &Value,
        path: &str,
        out: &mut Vec<FilterNode>,
    ) -> Result<(), DqlError> {
        let Some(ops) = operator_object(operand) else {
            out.push(FilterNode::eq(field, operand.clone()));
            return Ok(());
        };
        for (key, value) in ops {
            let Some(operator) = Operator::from_key(key) else {
                let raw = single_entry(field, single_entry(key, value.clone()));
                out.push(self.unknown(raw, path, format!("unknown operator {}", quoted(key)))?);
                continue;
            };
            if operator == Operator::Match && self.strict {
                self.match_node(value, "", &format!("{path}.$match"))?;
            }
            out.push(FilterNode::condition(field, operator, value.clone()));
        }
        Ok(())
    }

    /// Parses a `$match` operand (see [`match_filter`]); `prefix` is the dot path of the
    /// enclosing nested objects, `path` the JSON path for errors.
    fn match_node(&self, value: &Value, prefix: &str, path: &str) -> Result<FilterNode, DqlError> {
        let mut clauses = Vec::new();
        self.match_clauses(value, prefix, path, &mut clauses)?;
        Ok(collapse(clauses))
    }

    fn match_clauses(
        &self,
        value: &Value,
        prefix: &str,
        path: &str,
        out: &mut Vec<FilterNode>,
    ) -> Result<(), DqlError> {
        let Value::Object(object) = value else {
            out.push(self.unknown(value.clone(), path, "expected an object".to_owned())?);
            return Ok(());
        };
        for (key, operand) in object {
            let key_path = format!("{path}.{}", quoted(key));
            if let Some(op) = GroupOp::from_key(key) {
                let Value::Array(items) = operand else {
                    let raw = single_entry(key, operand.clone());
                    out.push(self.unknown(raw, &key_path, "expected an array".to_owned())?);
                    continue;
                };
                let children = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.match_node(item, prefix, &format!("{key_path}[{i}]")))
                    .collect::<Result<_, _>>()?;
                out.push(FilterNode::Group {
                    op,
                    children,
                    merged: false,
                });
            } else if key.starts_with('$') {
                let raw = single_entry(key, operand.clone());
                out.push(self.unknown(raw, path, format!("unknown operator {}", quoted(key)))?);
            } else {
                let field = format!("{prefix}{key}");
                match operand {
                    // A nested filter object: its clauses apply below `field`.
                    Value::Object(map) if !map.is_empty() && operator_object(operand).is_none() => {
                        self.match_clauses(operand, &format!("{field}."), &key_path, out)?;
                    }
                    _ => self.field_clauses(&field, operand, &key_path, out)?,
                }
            }
        }
        Ok(())
    }
}

/// One clause stands for itself; several share one object (a merged AND group).
fn collapse(mut clauses: Vec<FilterNode>) -> FilterNode {
    if clauses.len() == 1 {
        clauses.pop().expect("one clause")
    } else {
        FilterNode::Group {
            op: GroupOp::And,
            children: clauses,
            merged: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(value: Value) {
        let node = FilterNode::parse(&value).unwrap();
        assert_eq!(
            serde_json::to_string(&node.to_json()).unwrap(),
            serde_json::to_string(&value).unwrap()
        );
    }

    #[test]
    fn sdk_list_is_a_plain_and_group() {
        let node =
            FilterNode::parse(&json!({"$and": [{"hidden": false}, {"type": "file"}]})).unwrap();
        assert_eq!(
            node,
            FilterNode::and(vec![
                FilterNode::eq("hidden", json!(false)),
                FilterNode::eq("type", json!("file")),
            ])
        );
    }

    #[test]
    fn or_then_and_at_top_level_is_a_merged_group() {
        let value = json!({"$or": [{"dir": "/a"}, {"dir": "/b"}], "$and": [{"hidden": false}]});
        let node = FilterNode::parse(&value).unwrap();
        assert_eq!(
            node,
            FilterNode::Group {
                op: GroupOp::And,
                merged: true,
                children: vec![
                    FilterNode::or(vec![
                        FilterNode::eq("dir", json!("/a")),
                        FilterNode::eq("dir", json!("/b")),
                    ]),
                    FilterNode::and(vec![FilterNode::eq("hidden", json!(false))]),
                ],
            }
        );
        round_trip(value);
    }

    #[test]
    fn between_shares_one_operator_object() {
        let value = json!({"$and": [{"metadata.system.size": {"$gte": 10, "$lt": 20}}]});
        let node = FilterNode::parse(&value).unwrap();
        let FilterNode::Group { children, .. } = &node else {
            panic!("{node:?}")
        };
        assert_eq!(
            children[0],
            FilterNode::Group {
                op: GroupOp::And,
                merged: true,
                children: vec![
                    FilterNode::condition("metadata.system.size", Operator::Gte, json!(10)),
                    FilterNode::condition("metadata.system.size", Operator::Lt, json!(20)),
                ],
            }
        );
        round_trip(value);
    }

    #[test]
    fn multi_key_objects_and_nested_groups_round_trip() {
        round_trip(
            json!({"a": 1, "b": {"$in": [1, 2]}, "$or": [{"c": {"$exists": true}}, {"$and": [{"d": "x*"}]}]}),
        );
        round_trip(json!({}));
        round_trip(json!({"$and": []}));
        round_trip(json!({"a": {}}));
        round_trip(json!({"a": {"$eq": null}, "b": [1, {"c": 2}]}));
        round_trip(json!({"a": {"$gt": 1, "x": 2}})); // not an operator object: plain equality
    }

    #[test]
    fn explicit_eq_stays_apart_from_plain_eq() {
        let node = FilterNode::parse(&json!({"a": {"$eq": 1}})).unwrap();
        assert_eq!(
            node,
            FilterNode::condition("a", Operator::ExplicitEq, json!(1))
        );
        assert_eq!(node.to_json(), json!({"a": {"$eq": 1}}));
        assert_eq!(FilterNode::eq("a", json!(1)).to_json(), json!({"a": 1}));
    }

    #[test]
    fn strict_errors_name_the_path() {
        let value = json!({"$and": [{"a": 1}, {"b": 2}, {"createdAt": {"$near": 5}}]});
        let err = FilterNode::parse(&value).unwrap_err();
        assert_eq!(
            err.to_string(),
            "filter.$and[2].createdAt: unknown operator $near"
        );

        let err = FilterNode::parse(&json!({"$or": [{"$nor": []}]})).unwrap_err();
        assert_eq!(err.to_string(), "filter.$or[0]: unknown operator $nor");

        let err = FilterNode::parse(&json!({"$and": [5]})).unwrap_err();
        assert_eq!(err.to_string(), "filter.$and[0]: expected an object");

        let err = FilterNode::parse(&json!({"$and": {"a": 1}})).unwrap_err();
        assert_eq!(err.to_string(), "filter.$and: expected an array");

        let value = json!({"refs": {"$match": {"metadata": {"status": {"$near": 1}}}}});
        let err = FilterNode::parse(&value).unwrap_err();
        assert_eq!(
            err.to_string(),
            "filter.refs.$match.metadata.status: unknown operator $near"
        );
    }

    #[test]
    fn lenient_keeps_unknown_shapes_raw() {
        let value = json!({"$and": [{"a": 1}, {"createdAt": {"$near": 5}}, 7, {"$nor": [1]}]});
        let node = FilterNode::parse_lenient(&value);
        assert_eq!(
            node,
            FilterNode::and(vec![
                FilterNode::eq("a", json!(1)),
                FilterNode::Raw(json!({"createdAt": {"$near": 5}})),
                FilterNode::Raw(json!(7)),
                FilterNode::Raw(json!({"$nor": [1]})),
            ])
        );
        assert_eq!(node.to_json(), value);

        // An unknown operator next to a known one on the same field.
        let value = json!({"x": {"$gt": 1, "$near": 2}});
        let node = FilterNode::parse_lenient(&value);
        assert_eq!(
            node,
            FilterNode::Group {
                op: GroupOp::And,
                merged: true,
                children: vec![
                    FilterNode::condition("x", Operator::Gt, json!(1)),
                    FilterNode::Raw(json!({"x": {"$near": 2}})),
                ],
            }
        );
        assert_eq!(
            serde_json::to_string(&node.to_json()).unwrap(),
            r#"{"x":{"$gt":1,"$near":2}}"#
        );
    }

    #[test]
    fn merged_groups_that_cannot_share_an_object_print_as_a_list() {
        let node = FilterNode::Group {
            op: GroupOp::And,
            merged: true,
            children: vec![FilterNode::eq("a", json!(1)), FilterNode::eq("a", json!(2))],
        };
        assert_eq!(node.to_json(), json!({"$and": [{"a": 1}, {"a": 2}]}));

        let node = FilterNode::Group {
            op: GroupOp::And,
            merged: true,
            children: vec![
                FilterNode::condition("a", Operator::Gt, json!(1)),
                FilterNode::condition("a", Operator::Gt, json!(2)),
            ],
        };
        assert_eq!(
            node.to_json(),
            json!({"$and": [{"a": {"$gt": 1}}, {"a": {"$gt": 2}}]})
        );

        // An OR group ignores `merged`.
        let node = FilterNode::Group {
            op: GroupOp::Or,
            merged: true,
            children: vec![FilterNode::eq("a", json!(1))],
        };
        assert_eq!(node.to_json(), json!({"$or": [{"a": 1}]}));
    }

    #[test]
    fn match_operands_read_as_nested_filters() {
        let operand = json!({"id": {"$in": ["T"]}, "metadata": {"status": {"$exists": false}}});
        assert_eq!(
            match_filter(&operand).unwrap(),
            FilterNode::Group {
                op: GroupOp::And,
                merged: true,
                children: vec![
                    FilterNode::condition("id", Operator::In, json!(["T"])),
                    FilterNode::condition("metadata.status", Operator::Exists, json!(false)),
                ],
            }
        );
        assert!(match_filter(&json!(5)).is_err());
        assert_eq!(match_filter_lenient(&json!(5)), FilterNode::Raw(json!(5)));
    }

    #[test]
    fn operator_keys_round_trip() {
        for op in Operator::ALL {
            match op.key() {
                Some(key) => assert_eq!(Operator::from_key(key), Some(op)),
                None => assert_eq!(op, Operator::Eq),
            }
        }
        assert_eq!(Operator::from_key("$near"), None);
    }
}
