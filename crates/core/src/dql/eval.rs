//! Evaluating DQL against JSON documents (items, annotations, tasks …), MongoDB style.
//!
//! - **Dot paths** walk into nested objects and into *every* element of an array on the way:
//!   `metadata.system.refs.id` reaches the `id` of each ref. A numeric segment also indexes an
//!   array (`refs.0.id`). See [`values_at`].
//! - **Equality** (`Eq`, `$eq`, `$in`) matches when any reached value equals the operand, or
//!   when a reached array has an element equal to it; an array operand equals an array value
//!   exactly. A `null` operand also matches a missing field. Numbers compare as numbers
//!   (`1 == 1.0`); two strings that both parse as ISO-8601 dates compare as instants.
//! - **Globs**: a plain-equality (`Eq`) string operand containing `*` is a glob; how far `*`
//!   reaches depends on the field (see [`super::glob`]). `$eq`, `$ne` and `$in` compare
//!   literally.
//! - **`$ne` / `$nin`** are the negations of `$eq` / `$in`, so they are true for a missing field.
//! - **`$gt`, `$gte`, `$lt`, `$lte`** compare numbers with numbers and strings with strings
//!   (dates as instants when both sides parse, otherwise by code points); any other pairing
//!   is false.
//! - **`$exists`** is true when the path reaches at least one value (`null` included); its
//!   operand is read as a truth value (`false`, `0` and `null` are false).
//! - **`$match`** (MongoDB's `$elemMatch`): some object element of an array at the path
//!   matches the operand read as a nested filter (see [`super::match_filter`]).
//! - An AND group matches when all children do (so `{}` matches everything); an OR group when
//!   at least one does (so an empty `$or` matches nothing). [`FilterNode::Raw`] matches nothing.
//!
//! This evaluator reads the query afresh for every document; it is the reference.
//! [`super::compiled`] applies the same rules with the query compiled once, for scans over
//! many documents, and is tested to answer exactly as this does.

use std::cmp::Ordering;

use serde_json::{Number, Value};

use super::filter::match_filter_lenient;
use super::glob::{field_glob_matches, is_glob};
use super::{FilterNode, GroupOp, Operator, Query, SortDir};
use crate::iso8601;

/// Whether `doc` matches `filter`.
pub fn matches(filter: &FilterNode, doc: &Value) -> bool {
    match filter {
        FilterNode::Group {
            op: GroupOp::And,
            children,
            ..
        } => children.iter().all(|child| matches(child, doc)),
        FilterNode::Group {
            op: GroupOp::Or,
            children,
            ..
        } => children.iter().any(|child| matches(child, doc)),
        FilterNode::Condition {
            field,
            operator,
            value,
        } => condition_matches(field, *operator, value, doc),
        FilterNode::Raw(_) => false,
    }
}

impl Query {
    /// Whether `item` is selected by this query: it matches `filter` and, when there is a
    /// join, at least one of `annotations` (the item's own annotations) matches the join's
    /// filter. Paging is not applied here.
    pub fn matches_item(&self, item: &Value, annotations: &[Value]) -> bool {
        matches(&self.filter, item)
            && self.join.as_ref().is_none_or(|join| {
                annotations
                    .iter()
                    .any(|annotation| matches(&join.filter, annotation))
            })
    }

    /// Sorts `docs` by this query's sort keys, ties broken by `id` (see [`compare_items`]).
    pub fn sort_items(&self, docs: &mut [Value]) {
        docs.sort_by(|a, b| compare_items(&self.sort, a, b));
    }
}

/// The values a dot path reaches in `doc`, walking into every element of the arrays met on
/// the way (not into the last one: an array at the end of the path is one value). Empty when
/// the path reaches nothing.
pub fn values_at<'a>(doc: &'a Value, path: &str) -> Vec<&'a Value> {
    let segments: Vec<&str> = path.split('.').collect();
    let mut out = Vec::new();
    walk(doc, &segments, &mut out);
    out
}

fn walk<'a>(value: &'a Value, segments: &[&str], out: &mut Vec<&'a Value>) {
    let Some((segment, rest)) = segments.split_first() else {
        out.push(value);
        return;
    };
    match value {
        Value::Object(map) => {
            if let Some(child) = map.get(*segment) {
                walk(child, rest, out);
            }
        }
        Value::Array(items) => {
            if let Some(child) = segment.parse::<usize>().ok().and_then(|i| items.get(i)) {
                walk(child, rest, out);
            }
            for item in items.iter().filter(|item| item.is_object()) {
                walk(item, segments, out);
            }
        }
        _ => {}
    }
}

/// The reached values plus the elements of reached arrays: what equality and ordering test.
fn candidates<'a>(leaves: &'a [&'a Value]) -> impl Iterator<Item = &'a Value> + 'a {
    leaves.iter().flat_map(|leaf| {
        let elements = match leaf {
            Value::Array(items) => items.as_slice(),
            _ => &[],
        };
        std::iter::once(*leaf).chain(elements)
    })
}

fn condition_matches(field: &str, operator: Operator, operand: &Value, doc: &Value) -> bool {
    let leaves = values_at(doc, field);
    match operator {
        Operator::Eq => match operand {
            Value::String(pattern) if is_glob(pattern) => candidates(&leaves).any(|candidate| {
                candidate
                    .as_str()
                    .is_some_and(|text| field_glob_matches(field, pattern, text))
            }),
            _ => equals_any(&leaves, operand),
        },
        Operator::ExplicitEq => equals_any(&leaves, operand),
        Operator::Ne => !equals_any(&leaves, operand),
        Operator::In => in_list(&leaves, operand),
        Operator::Nin => !in_list(&leaves, operand),
        Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte => {
            candidates(&leaves).any(|candidate| {
                compare_values(candidate, operand).is_some_and(|ord| match operator {
                    Operator::Gt => ord == Ordering::Greater,
                    Operator::Gte => ord != Ordering::Less,
                    Operator::Lt => ord == Ordering::Less,
                    _ => ord != Ordering::Greater,
                })
            })
        }
        Operator::Exists => {
            let exists = !leaves.is_empty();
            exists == truthy(operand)
        }
        Operator::Match => {
            let element_filter = match_filter_lenient(operand);
            leaves.iter().any(|leaf| {
                leaf.as_array().is_some_and(|items| {
                    items
                        .iter()
                        .any(|item| item.is_object() && matches(&element_filter, item))
                })
            })
        }
    }
}

/// Equality as described in the module docs, without globs.
fn equals_any(leaves: &[&Value], operand: &Value) -> bool {
    if operand.is_null() && leaves.is_empty() {
        return true;
    }
    candidates(leaves).any(|candidate| json_eq(candidate, operand))
}

fn in_list(leaves: &[&Value], operand: &Value) -> bool {
    match operand {
        Value::Array(list) => list.iter().any(|entry| equals_any(leaves, entry)),
        single => equals_any(leaves, single),
    }
}

pub(crate) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        _ => true,
    }
}

/// Deep equality where numbers compare by value and date strings as instants.
pub(crate) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare_numbers(x, y).is_eq(),
        (Value::String(x), Value::String(y)) => {
            x == y || matches!((date(x), date(y)), (Some(p), Some(q)) if p == q)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, p)| y.get(key).is_some_and(|q| json_eq(p, q)))
        }
        _ => a == b,
    }
}

/// The ordering of two values for `$gt` and friends; `None` when they are not comparable.
pub(crate) fn compare_values(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Some(compare_numbers(x, y)),
        (Value::String(x), Value::String(y)) => Some(match (date(x), date(y)) {
            (Some(p), Some(q)) => p.cmp(&q),
            _ => x.cmp(y),
        }),
        _ => None,
    }
}

pub(crate) fn date(text: &str) -> Option<i64> {
    iso8601::parse_millis(text)
}

/// The numeric order of two JSON numbers: exact for two integers (even beyond 2^53),
/// by value otherwise, so `5 == 5.0`.
fn compare_numbers(a: &Number, b: &Number) -> Ordering {
    match (exact_integer(a), exact_integer(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => TotalF64(float(a)).cmp(&TotalF64(float(b))),
    }
}

pub(crate) fn exact_integer(n: &Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

pub(crate) fn float(n: &Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

/// A total-order key for sorting numbers: the value, then the exact integer (floats first).
/// Unlike [`compare_numbers`] this never ties `5` with `5.0`, which keeps the order
/// transitive when huge integers and floats mix.
fn number_sort_key(n: &Number) -> (TotalF64, Option<i128>) {
    (TotalF64(float(n)), exact_integer(n))
}

/// `f64` ordered by `total_cmp` (JSON numbers are never NaN).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TotalF64(pub(crate) f64);

impl PartialEq for TotalF64 {
    fn eq(&self, other: &Self) -> bool {
        self.0.total_cmp(&other.0) == Ordering::Equal
    }
}
impl Eq for TotalF64 {}
impl PartialOrd for TotalF64 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for TotalF64 {
    fn cmp(&self, other: &Self) -> Ordering {
        // -0.0 and 0.0 are the same JSON number.
        let normal = |x: f64| if x == 0.0 { 0.0 } else { x };
        normal(self.0).total_cmp(&normal(other.0))
    }
}

/// Compares two documents for a query's `sort`: key by key, by the first value each sort path
/// reaches, reversed for descending keys; ties (and an empty `sort`) are broken by `id`,
/// ascending. This is a total order, safe for `sort_by`:
/// missing/`null` < numbers < strings < objects < arrays < booleans; numbers by value;
/// strings that parse as dates before other strings, dates by instant, other strings by code
/// points; arrays element by element.
pub fn compare_items(sort: &[(String, SortDir)], a: &Value, b: &Value) -> Ordering {
    for (path, dir) in sort {
        let ord = sort_cmp(
            values_at(a, path).first().copied(),
            values_at(b, path).first().copied(),
        );
        let ord = match dir {
            SortDir::Ascending => ord,
            SortDir::Descending => ord.reverse(),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    sort_cmp(a.get("id"), b.get("id"))
}

fn type_rank(value: Option<&Value>) -> u8 {
    match value {
        None | Some(Value::Null) => 0,
        Some(Value::Number(_)) => 1,
        Some(Value::String(_)) => 2,
        Some(Value::Object(_)) => 3,
        Some(Value::Array(_)) => 4,
        Some(Value::Bool(_)) => 5,
    }
}

fn sort_cmp(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    type_rank(a).cmp(&type_rank(b)).then_with(|| match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            number_sort_key(x).cmp(&number_sort_key(y))
        }
        (Some(Value::String(x)), Some(Value::String(y))) => match (date(x), date(y)) {
            (Some(p), Some(q)) => p.cmp(&q).then_with(|| x.cmp(y)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => x.cmp(y),
        },
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::Array(x)), Some(Value::Array(y))) => x
            .iter()
            .zip(y)
            .map(|(p, q)| sort_cmp(Some(p), Some(q)))
            .find(|ord| ord.is_ne())
            .unwrap_or_else(|| x.len().cmp(&y.len())),
        (Some(x @ Value::Object(_)), Some(y @ Value::Object(_))) => {
            x.to_string().cmp(&y.to_string())
        }
        _ => Ordering::Equal,
    })
}

#[cfg(test)]
mod tests;
