//! DQL compiled once for evaluation against many documents.
//!
//! [`super::eval::matches`] reads the query as it goes: for every document and condition it
//! splits the dot path, collects the values reached into a new vector, tokenizes globs and
//! parses date operands. That is the reference, simple to check against the rules in
//! [`super::eval`]'s docs. A [`CompiledQuery`] (from [`Query::compile`]) or a
//! [`CompiledFilter`] (from [`FilterNode::compile`]) does that work once per query instead:
//!
//! - dot paths are split into segments, each with its array index parsed;
//! - glob operands are compiled into a [`FieldGlob`];
//! - string operands carry their instant when they parse as ISO-8601 dates (a document's
//!   string is then parsed only when the operand is a date), numbers their exact integer and
//!   float values;
//! - `$in`/`$nin` lists with at least [`HASHED_LIST_MIN`] strings, numbers, or arrays and
//!   objects look them up in hash sets;
//! - `$match` operands are read as element filters once;
//! - nested AND groups are flattened (the order of the conditions is kept).
//!
//! Evaluation walks the document without allocating: the values a path reaches are visited
//! one by one and the walk stops at the first one that decides the condition.
//!
//! The answers are exactly those of the reference (a property test compares the two on random
//! filters and documents), so the two can be used interchangeably.

use std::cmp::Ordering;
use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher};

use serde_json::{Number, Value};

use super::eval::{date, exact_integer, float, json_eq, truthy, TotalF64};
use super::filter::match_filter_lenient;
use super::glob::{is_glob, FieldGlob};
use super::{FilterNode, GroupOp, Operator, Query};

/// A `$in`/`$nin` list looks up its strings (its numbers, its arrays and objects) in a hash
/// set from this many of them on; shorter lists are compared one by one, which is faster than
/// hashing.
pub const HASHED_LIST_MIN: usize = 9;

/// A [`Query`] compiled for evaluation: its filter and its join's filter. Paging and sorting
/// are not part of it.
#[derive(Debug, Clone)]
pub struct CompiledQuery {
    filter: CompiledFilter,
    join: Option<CompiledFilter>,
}

impl Query {
    /// Compiles the filter and the join's filter for evaluation (see the
    /// [module docs](super::compiled)).
    pub fn compile(&self) -> CompiledQuery {
        CompiledQuery {
            filter: self.filter.compile(),
            join: self.join.as_ref().map(|join| join.filter.compile()),
        }
    }
}

impl CompiledQuery {
    /// Whether `item` is selected: the same answer as [`Query::matches_item`].
    pub fn matches_item(&self, item: &Value, annotations: &[Value]) -> bool {
        self.filter.matches(item)
            && self.join.as_ref().is_none_or(|join| {
                annotations
                    .iter()
                    .any(|annotation| join.matches(annotation))
            })
    }

    /// The compiled `filter`.
    pub fn filter(&self) -> &CompiledFilter {
        &self.filter
    }

    /// The compiled `join.filter`, when the query has a join.
    pub fn join_filter(&self) -> Option<&CompiledFilter> {
        self.join.as_ref()
    }
}

/// A [`FilterNode`] compiled for evaluation.
#[derive(Debug, Clone)]
pub struct CompiledFilter {
    node: Node,
}

impl FilterNode {
    /// Compiles the filter for evaluation (see the [module docs](super::compiled)).
    pub fn compile(&self) -> CompiledFilter {
        CompiledFilter {
            node: Node::compile(self),
        }
    }
}

impl CompiledFilter {
    /// Whether `doc` matches: the same answer as [`super::matches`] on the source filter.
    pub fn matches(&self, doc: &Value) -> bool {
        self.node.matches(doc)
    }
}

#[derive(Debug, Clone)]
enum Node {
    /// Every child matches (`true` without children).
    All(Vec<Node>),
    /// Some child matches (`false` without children).
    Any(Vec<Node>),
    /// Matches nothing: a [`FilterNode::Raw`] clause, or a range against a value that
    /// compares with nothing.
    Never,
    Condition(Box<Condition>),
}

impl Node {
    fn compile(filter: &FilterNode) -> Node {
        match filter {
            FilterNode::Group {
                op: GroupOp::And,
                children,
                ..
            } => {
                let mut all = Vec::with_capacity(children.len());
                for child in children {
                    // `a AND (b AND c)` is `a AND b AND c`, in the same order.
                    match Node::compile(child) {
                        Node::All(grandchildren) => all.extend(grandchildren),
                        node => all.push(node),
                    }
                }
                Node::All(all)
            }
            FilterNode::Group {
                op: GroupOp::Or,
                children,
                ..
            } => Node::Any(children.iter().map(Node::compile).collect()),
            FilterNode::Condition {
                field,
                operator,
                value,
            } => Condition::compile(field, *operator, value),
            FilterNode::Raw(_) => Node::Never,
        }
    }

    fn matches(&self, doc: &Value) -> bool {
        match self {
            Node::All(children) => children.iter().all(|child| child.matches(doc)),
            Node::Any(children) => children.iter().any(|child| child.matches(doc)),
            Node::Never => false,
            Node::Condition(condition) => condition.matches(doc),
        }
    }
}

/// One segment of a dot path.
#[derive(Debug, Clone)]
struct Segment {
    /// The key looked up in objects.
    key: Box<str>,
    /// The segment as an array index, if it reads as one.
    index: Option<usize>,
}

#[derive(Debug, Clone)]
struct Condition {
    path: Vec<Segment>,
    test: Test,
}

#[derive(Debug, Clone)]
enum Test {
    /// A plain-equality glob: some reached string matches.
    Glob(FieldGlob),
    /// `Eq`, `$eq`, and `$in` with a single operand: some reached value equals it.
    Equals(Operand),
    /// `$ne` (and `$nin` with a single operand).
    NotEquals(Operand),
    /// `$in` with a list.
    In(InList),
    /// `$nin` with a list.
    NotIn(InList),
    /// `$gt` and friends against a number or a string: some reached value compares so.
    Range(Operand, Operator),
    /// `$exists`: whether the path reaches anything must be this.
    Exists(bool),
    /// `$match`: some reached array has an object element matching the element filter.
    Match(Node),
}

impl Condition {
    fn compile(field: &str, operator: Operator, value: &Value) -> Node {
        let test = match operator {
            Operator::Eq => match value {
                Value::String(pattern) if is_glob(pattern) => {
                    Test::Glob(FieldGlob::new(field, pattern))
                }
                _ => Test::Equals(Operand::new(value)),
            },
            Operator::ExplicitEq => Test::Equals(Operand::new(value)),
            Operator::Ne => Test::NotEquals(Operand::new(value)),
            Operator::In => match value {
                Value::Array(list) => Test::In(InList::new(list)),
                single => Test::Equals(Operand::new(single)),
            },
            Operator::Nin => match value {
                Value::Array(list) => Test::NotIn(InList::new(list)),
                single => Test::NotEquals(Operand::new(single)),
            },
            Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte => match value {
                Value::Number(_) | Value::String(_) => Test::Range(Operand::new(value), operator),
                // Nothing compares with a boolean, null, array or object.
                _ => return Node::Never,
            },
            Operator::Exists => Test::Exists(truthy(value)),
            Operator::Match => Test::Match(Node::compile(&match_filter_lenient(value))),
        };
        let path = field
            .split('.')
            .map(|segment| Segment {
                key: segment.into(),
                index: segment.parse().ok(),
            })
            .collect();
        Node::Condition(Box::new(Condition { path, test }))
    }

    fn matches(&self, doc: &Value) -> bool {
        let path = self.path.as_slice();
        match &self.test {
            Test::Glob(glob) => any_candidate(doc, path, &mut |candidate| {
                candidate.as_str().is_some_and(|text| glob.matches(text))
            }),
            Test::Equals(operand) => equals_any(doc, path, operand),
            Test::NotEquals(operand) => !equals_any(doc, path, operand),
            Test::In(list) => in_list(doc, path, list),
            Test::NotIn(list) => !in_list(doc, path, list),
            Test::Range(operand, operator) => any_candidate(doc, path, &mut |candidate| {
                operand
                    .compare(candidate)
                    .is_some_and(|ord| match operator {
                        Operator::Gt => ord == Ordering::Greater,
                        Operator::Gte => ord != Ordering::Less,
                        Operator::Lt => ord == Ordering::Less,
                        _ => ord != Ordering::Greater,
                    })
            }),
            Test::Exists(wanted) => any_leaf(doc, path, &mut |_| true) == *wanted,
            Test::Match(element_filter) => any_leaf(doc, path, &mut |leaf| {
                leaf.as_array().is_some_and(|items| {
                    items
                        .iter()
                        .any(|item| item.is_object() && element_filter.matches(item))
                })
            }),
        }
    }
}

/// Calls `found` with each value `path` reaches in `value` (those of
/// [`super::values_at`], possibly in another order) until it returns `true`; returns whether
/// it did.
fn any_leaf<'a, F: FnMut(&'a Value) -> bool>(
    value: &'a Value,
    path: &[Segment],
    found: &mut F,
) -> bool {
    let Some((segment, rest)) = path.split_first() else {
        return found(value);
    };
    match value {
        Value::Object(map) => map
            .get(&*segment.key)
            .is_some_and(|child| any_leaf(child, rest, found)),
        Value::Array(items) => {
            segment
                .index
                .and_then(|i| items.get(i))
                .is_some_and(|child| any_leaf(child, rest, found))
                || items
                    .iter()
                    .any(|item| item.is_object() && any_leaf(item, path, found))
        }
        _ => false,
    }
}

/// Like [`any_leaf`] over what equality and ordering test: the reached values and the
/// elements of reached arrays.
fn any_candidate<'a, F: FnMut(&'a Value) -> bool>(
    value: &'a Value,
    path: &[Segment],
    found: &mut F,
) -> bool {
    any_leaf(value, path, &mut |leaf: &'a Value| {
        found(leaf)
            || leaf
                .as_array()
                .is_some_and(|items| items.iter().any(&mut *found))
    })
}

/// Equality as in [`super::eval`]: a `null` operand also matches a path that reaches nothing.
fn equals_any(doc: &Value, path: &[Segment], operand: &Operand) -> bool {
    if matches!(operand, Operand::Null) {
        return null_or_nothing(doc, path);
    }
    any_candidate(doc, path, &mut |candidate| operand.equals(candidate))
}

fn in_list(doc: &Value, path: &[Segment], list: &InList) -> bool {
    if list.null {
        // `null` in the list matches a path that reaches nothing, like `$eq: null`.
        let mut reached = false;
        let found = any_candidate(doc, path, &mut |candidate| {
            reached = true;
            list.contains(candidate)
        });
        return found || !reached;
    }
    any_candidate(doc, path, &mut |candidate| list.contains(candidate))
}

/// Whether `path` reaches nothing, or a `null` (or an array with a `null` element).
fn null_or_nothing(doc: &Value, path: &[Segment]) -> bool {
    let mut reached = false;
    let found = any_candidate(doc, path, &mut |candidate| {
        reached = true;
        candidate.is_null()
    });
    found || !reached
}

/// A number operand with what comparing it needs.
#[derive(Debug, Clone, Copy)]
struct NumberOperand {
    /// The exact integer, if it is one.
    exact: Option<i128>,
    float: f64,
}

impl NumberOperand {
    fn new(n: &Number) -> NumberOperand {
        NumberOperand {
            exact: exact_integer(n),
            float: float(n),
        }
    }

    /// The order of `n` relative to this operand, as [`super::eval`] compares numbers: exact
    /// for two integers, by value otherwise.
    fn compare(&self, n: &Number) -> Ordering {
        match (exact_integer(n), self.exact) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => TotalF64(float(n)).cmp(&TotalF64(self.float)),
        }
    }
}

/// An operand, read once.
#[derive(Debug, Clone)]
enum Operand {
    Null,
    Bool(bool),
    Number(NumberOperand),
    Str {
        text: Box<str>,
        /// The instant, when the text parses as an ISO-8601 date.
        date: Option<i64>,
    },
    /// An array or an object, compared deeply.
    Other(Value),
}

impl Operand {
    fn new(value: &Value) -> Operand {
        match value {
            Value::Null => Operand::Null,
            Value::Bool(b) => Operand::Bool(*b),
            Value::Number(n) => Operand::Number(NumberOperand::new(n)),
            Value::String(text) => Operand::Str {
                text: text.as_str().into(),
                date: date(text),
            },
            other => Operand::Other(other.clone()),
        }
    }

    /// Whether `candidate` equals this operand, as `json_eq` has it.
    fn equals(&self, candidate: &Value) -> bool {
        match (self, candidate) {
            (Operand::Null, Value::Null) => true,
            (Operand::Bool(b), Value::Bool(c)) => b == c,
            (Operand::Number(n), Value::Number(c)) => n.compare(c).is_eq(),
            (Operand::Str { text, date: wanted }, Value::String(c)) => {
                **text == **c || wanted.is_some_and(|wanted| date(c) == Some(wanted))
            }
            (Operand::Other(value), _) => json_eq(candidate, value),
            _ => false,
        }
    }

    /// The order of `candidate` relative to this operand, as `compare_values` has it.
    fn compare(&self, candidate: &Value) -> Option<Ordering> {
        match (self, candidate) {
            (Operand::Number(n), Value::Number(c)) => Some(n.compare(c)),
            (Operand::Str { text, date: wanted }, Value::String(c)) => {
                let by_date = wanted.and_then(|wanted| Some(date(c)?.cmp(&wanted)));
                Some(by_date.unwrap_or_else(|| c.as_str().cmp(text)))
            }
            _ => None,
        }
    }
}

/// The entries of a `$in`/`$nin` list, sorted by type for lookups.
#[derive(Debug, Clone)]
struct InList {
    /// The list has a `null`.
    null: bool,
    /// The booleans in the list.
    bools: [bool; 2],
    strings: Strings,
    /// The instants of the strings that parse as dates.
    dates: Vec<i64>,
    numbers: Numbers,
    /// Arrays and objects, compared deeply.
    composites: Composites,
}

impl InList {
    fn new(list: &[Value]) -> InList {
        let mut strings = Vec::new();
        let mut numbers = Vec::new();
        let mut composites = Vec::new();
        let mut in_list = InList {
            null: false,
            bools: [false; 2],
            strings: Strings::Few(Vec::new()),
            dates: Vec::new(),
            numbers: Numbers::Few(Vec::new()),
            composites: Composites::Few(Vec::new()),
        };
        for entry in list {
            match entry {
                Value::Null => in_list.null = true,
                Value::Bool(b) => in_list.bools[usize::from(*b)] = true,
                Value::String(text) => {
                    in_list.dates.extend(date(text));
                    strings.push(text.as_str());
                }
                Value::Number(n) => numbers.push(n),
                composite => composites.push(composite),
            }
        }
        in_list.dates.sort_unstable();
        in_list.dates.dedup();
        in_list.strings = Strings::new(&strings);
        in_list.numbers = Numbers::new(&numbers);
        in_list.composites = Composites::new(&composites);
        in_list
    }

    /// Whether `candidate` equals an entry.
    fn contains(&self, candidate: &Value) -> bool {
        match candidate {
            Value::Null => self.null,
            Value::Bool(b) => self.bools[usize::from(*b)],
            Value::String(text) => {
                self.strings.contains(text)
                    || (!self.dates.is_empty()
                        && date(text).is_some_and(|d| self.dates.binary_search(&d).is_ok()))
            }
            Value::Number(n) => self.numbers.contains(n),
            _ => self.composites.contains(candidate),
        }
    }
}

/// The arrays and objects of a list.
#[derive(Debug, Clone)]
enum Composites {
    Few(Vec<Value>),
    /// By [`json_hash`]: only the entries with a candidate's hash are compared with it.
    /// Comparing a document's array with each of 10,000 arrays, for each of 100,000 items,
    /// would take minutes.
    Many {
        state: RandomState,
        by_hash: HashMap<u64, Vec<Value>>,
    },
}

impl Composites {
    fn new(composites: &[&Value]) -> Composites {
        if composites.len() < HASHED_LIST_MIN {
            return Composites::Few(composites.iter().map(|&c| c.clone()).collect());
        }
        // Random keys: a client cannot choose entries that all share one hash.
        let state = RandomState::new();
        let mut by_hash: HashMap<u64, Vec<Value>> = HashMap::new();
        for &composite in composites {
            by_hash
                .entry(json_hash(composite, &state))
                .or_default()
                .push(composite.clone());
        }
        Composites::Many { state, by_hash }
    }

    /// Whether `candidate` (an array or an object) equals an entry.
    fn contains(&self, candidate: &Value) -> bool {
        let list = match self {
            Composites::Few(list) => list,
            Composites::Many { state, by_hash } => {
                match by_hash.get(&json_hash(candidate, state)) {
                    Some(list) => list,
                    None => return false,
                }
            }
        };
        list.iter().any(|entry| json_eq(candidate, entry))
    }
}

/// A hash of a JSON value under which values that `json_eq` calls equal hash alike: numbers
/// by their float value ([`float_key`]), strings that parse as dates by their instant, object
/// entries in any order.
fn json_hash(value: &Value, state: &RandomState) -> u64 {
    let mut hasher = state.build_hasher();
    match value {
        Value::Null => 0u8.hash(&mut hasher),
        Value::Bool(b) => (1u8, b).hash(&mut hasher),
        Value::Number(n) => (2u8, float_key(float(n))).hash(&mut hasher),
        Value::String(text) => match date(text) {
            Some(instant) => (3u8, instant).hash(&mut hasher),
            None => (4u8, text).hash(&mut hasher),
        },
        Value::Array(items) => {
            (5u8, items.len()).hash(&mut hasher);
            for item in items {
                json_hash(item, state).hash(&mut hasher);
            }
        }
        Value::Object(map) => {
            // A sum does not depend on the order of the entries.
            let entries = map.iter().fold(0u64, |sum, (key, item)| {
                sum.wrapping_add(state.hash_one((key, json_hash(item, state))))
            });
            (6u8, map.len(), entries).hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// The strings of a list.
#[derive(Debug, Clone)]
enum Strings {
    Few(Vec<Box<str>>),
    Many(HashSet<Box<str>>),
}

impl Strings {
    fn new(strings: &[&str]) -> Strings {
        let boxed = strings.iter().map(|&s| Box::from(s));
        if strings.len() >= HASHED_LIST_MIN {
            Strings::Many(boxed.collect())
        } else {
            Strings::Few(boxed.collect())
        }
    }

    fn contains(&self, text: &str) -> bool {
        match self {
            Strings::Few(list) => list.iter().any(|s| **s == *text),
            Strings::Many(set) => set.contains(text),
        }
    }
}

/// The numbers of a list.
#[derive(Debug, Clone)]
enum Numbers {
    Few(Vec<NumberOperand>),
    /// Two numbers are equal when both are exact integers and equal, or else when their
    /// float values are (see [`NumberOperand::compare`]), so three sets answer it.
    Many {
        /// The exact integers.
        integers: HashSet<i128>,
        /// The float values (as [`float_key`]s) of the numbers that are not exact integers.
        inexact: HashSet<u64>,
        /// The float values of all of them.
        floats: HashSet<u64>,
    },
}

impl Numbers {
    fn new(numbers: &[&Number]) -> Numbers {
        if numbers.len() < HASHED_LIST_MIN {
            return Numbers::Few(numbers.iter().map(|n| NumberOperand::new(n)).collect());
        }
        let mut integers = HashSet::new();
        let mut inexact = HashSet::new();
        let mut floats = HashSet::new();
        for n in numbers {
            let key = float_key(float(n));
            floats.insert(key);
            match exact_integer(n) {
                Some(integer) => {
                    integers.insert(integer);
                }
                None => {
                    inexact.insert(key);
                }
            }
        }
        Numbers::Many {
            integers,
            inexact,
            floats,
        }
    }

    fn contains(&self, n: &Number) -> bool {
        match self {
            Numbers::Few(list) => list.iter().any(|entry| entry.compare(n).is_eq()),
            Numbers::Many {
                integers,
                inexact,
                floats,
            } => {
                let key = float_key(float(n));
                match exact_integer(n) {
                    // Equal to an exact integer exactly, or to any other number by value.
                    Some(integer) => integers.contains(&integer) || inexact.contains(&key),
                    // Not an exact integer: compared by value with every entry.
                    None => floats.contains(&key),
                }
            }
        }
    }
}

/// The bits of `x` with `-0.0` read as `0.0`: equal keys exactly when [`TotalF64`] calls the
/// values equal.
fn float_key(x: f64) -> u64 {
    if x == 0.0 {
        0.0f64.to_bits()
    } else {
        x.to_bits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn both(filter: Value, doc: &Value) -> bool {
        let node = FilterNode::parse(&filter).unwrap();
        let reference = super::super::matches(&node, doc);
        assert_eq!(node.compile().matches(doc), reference, "{filter} on {doc}");
        reference
    }

    #[test]
    fn long_in_lists_use_sets_with_the_same_answers() {
        let doc = json!({"s": "b7", "n": 7, "f": 7.0, "z": -0.0, "d": "2024-01-01T01:00:00+01:00",
                         "big": 9_007_199_254_740_993u64, "arr": [1, "x"], "none": null});
        let strings: Vec<Value> = (0..20).map(|i| json!(format!("b{i}"))).collect();
        let numbers: Vec<Value> = (0..20).map(|i| json!(i)).collect();
        let floats: Vec<Value> = (0..20).map(|i| json!(f64::from(i))).collect();
        assert!(both(json!({"s": {"$in": strings}}), &doc));
        assert!(!both(json!({"n": {"$in": strings}}), &doc));
        assert!(both(json!({"n": {"$in": numbers}}), &doc));
        assert!(both(json!({"n": {"$in": floats}}), &doc));
        assert!(both(json!({"f": {"$in": numbers}}), &doc));
        assert!(both(json!({"z": {"$in": numbers}}), &doc));
        assert!(!both(json!({"n": {"$nin": numbers}}), &doc));
        // Exact integers beyond 2^53 compare exactly with each other, by value with floats.
        let mut big: Vec<Value> = (0..10)
            .map(|i| json!(9_007_199_254_740_992u64 + 2 * i))
            .collect();
        assert!(!both(json!({"big": {"$in": big.clone()}}), &doc));
        big.push(json!(9_007_199_254_740_992.0));
        assert!(both(json!({"big": {"$in": big}}), &doc));
        // Dates compare as instants.
        let mut dates: Vec<Value> = (0..10).map(|i| json!(format!("2023-01-0{i}"))).collect();
        assert!(!both(json!({"d": {"$in": dates.clone()}}), &doc));
        dates.push(json!("2024-01-01T00:00:00.000Z"));
        assert!(both(json!({"d": {"$in": dates}}), &doc));
        // A null entry matches a missing field and a null.
        let mut with_null = strings.clone();
        with_null.push(Value::Null);
        assert!(both(json!({"missing": {"$in": with_null.clone()}}), &doc));
        assert!(both(json!({"none": {"$in": with_null.clone()}}), &doc));
        assert!(!both(json!({"n": {"$in": with_null}}), &doc));
        // Arrays: their elements are candidates, and an array entry equals an array.
        assert!(both(json!({"arr": {"$in": [[1, "x"], 5]}}), &doc));
        assert!(both(
            json!({"arr": {"$in": strings.iter().cloned().chain([json!("x")]).collect::<Vec<_>>()}}),
            &doc
        ));
    }

    #[test]
    fn long_lists_of_arrays_and_objects_use_hashes_with_the_same_answers() {
        let doc = json!({"refs": [{"type": "task", "id": 1, "at": "2024-01-01T01:00:00+01:00"},
                                  {"type": "assignment", "id": "A"}],
                         "pair": [1, "2024-01-01T00:00:00Z"]});
        let mut arrays: Vec<Value> = (0..10)
            .map(|i| json!([i, "2024-01-01T00:00:00Z"]))
            .collect();
        let mut objects: Vec<Value> = (0..10).map(|i| json!({"type": "task", "id": i})).collect();
        assert!(both(json!({"pair": {"$in": arrays.clone()}}), &doc));
        assert!(!both(json!({"refs": {"$in": arrays.clone()}}), &doc));
        assert!(!both(json!({"refs": {"$in": objects.clone()}}), &doc));
        // Equal as the evaluator has it: numbers across types, dates as instants, keys in
        // any order.
        objects.push(json!({"at": "2024-01-01T00:00:00.000Z", "id": 1.0, "type": "task"}));
        assert!(both(json!({"refs": {"$in": objects.clone()}}), &doc));
        assert!(!both(json!({"refs": {"$nin": objects}}), &doc));
        arrays.push(json!([{"type": "assignment", "id": "A"}, 5]));
        assert!(!both(json!({"refs": {"$in": arrays.clone()}}), &doc));
        arrays.push(json!([
            {"id": 1, "type": "task", "at": "2024-01-01T00:00:00Z"},
            {"id": "A", "type": "assignment"}
        ]));
        assert!(both(json!({"refs": {"$in": arrays}}), &doc));
    }

    #[test]
    fn paths_visit_every_reached_value() {
        let doc = json!({"refs": [{"id": "a"}, {"id": ["b", "c"]}, 5, [{"id": "d"}]],
                         "m": {"0": {"x": 1}}, "list": [{"x": 2}, {"x": 3}]});
        assert!(both(json!({"refs.id": "c"}), &doc));
        assert!(both(json!({"refs.id": "a"}), &doc));
        // Arrays inside arrays are not walked into.
        assert!(!both(json!({"refs.id": "d"}), &doc));
        assert!(both(json!({"refs.0.id": "a"}), &doc));
        assert!(both(json!({"m.0.x": 1}), &doc));
        assert!(both(json!({"list.1.x": 3}), &doc));
        assert!(both(json!({"list.+1.x": 3}), &doc));
        assert!(both(json!({"list.x": {"$gt": 2}}), &doc));
        assert!(!both(json!({"list.x": {"$gt": 3}}), &doc));
        assert!(both(json!({"refs.id": {"$exists": true}}), &doc));
        assert!(both(json!({"refs.nope": {"$exists": false}}), &doc));
        assert!(both(
            json!({"refs": {"$match": {"id": {"$in": ["b"]}}}}),
            &doc
        ));
        assert!(both(json!({"list": {"$ne": null}}), &doc));
        assert!(both(json!({"nope": null}), &doc));
        assert!(!both(json!({"list.x": null}), &doc));
    }
}
