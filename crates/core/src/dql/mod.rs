//! The Dataloop Query Language (DQL): a query tree that parses and prints the SDK's JSON
//! losslessly, plus its evaluator ([`eval`], the reference) and the compiled form the server
//! runs over many documents ([`compiled`], [`Query::compile`]).
//!
//! A query as `Filters.prepare()` prints it (contract §4):
//!
//! ```json
//! {"filter": {"$or": [...], "$and": [...]}, "sort": {"name": "ascending"},
//!  "page": 0, "pageSize": 1000, "resource": "items",
//!  "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": {...}},
//!  "context": {...}, "systemSpace": true, "references": {...}}
//! ```
//!
//! [`Query::to_json`] prints the keys in that order: `filter`, `sort` (only when non-empty),
//! `page`, `pageSize`, `resource`, `join` (only when set), then every other key
//! ([`Query::extra`]) in the order it was read. A query whose keys came in that order prints
//! back byte for byte; any other order prints the same value in the SDK's order. A missing
//! `filter`, `page`, `pageSize` or `resource` reads as `{}`, 0, 1000 and `"items"` and is
//! printed explicitly, as the SDK does for a `custom_filter`; an empty `sort` object is
//! dropped.

pub mod builder;
pub mod compiled;
pub mod eval;
pub mod filter;
pub mod glob;

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

pub use compiled::{CompiledFilter, CompiledQuery};
pub use eval::{compare_items, matches, values_at};
pub use filter::{match_filter, FilterNode, GroupOp, Operator};

/// The SDK's default and maximum page size.
pub const DEFAULT_PAGE_SIZE: u32 = 1000;

/// A problem found while parsing DQL JSON, with the JSON path it was found at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DqlError {
    /// Where the problem is, e.g. `filter.$and[2].createdAt`; empty for the query itself.
    pub path: String,
    /// What is wrong, e.g. `unknown operator $near`.
    pub message: String,
}

impl DqlError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        DqlError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for DqlError {
    /// `path: message`, e.g. `filter.$and[2].createdAt: unknown operator $near`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for DqlError {}

/// A sort direction, printed as the SDK's `"ascending"` / `"descending"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortDir {
    /// Smallest first.
    #[default]
    Ascending,
    /// Largest first.
    Descending,
}

impl SortDir {
    /// `"ascending"` or `"descending"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SortDir::Ascending => "ascending",
            SortDir::Descending => "descending",
        }
    }
}

/// How a join links two resources: `{"resource": "annotations", "local": "itemId", "forigen": "id"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinOn {
    /// The joined resource, e.g. `"annotations"`.
    pub resource: String,
    /// The joined resource's field, e.g. `"itemId"`.
    pub local: String,
    /// This query's field, e.g. `"id"`. Misspelled in the protocol itself; kept so.
    pub forigen: String,
}

impl JoinOn {
    /// The join from items to their annotations (the SDK's `add_join` on an items filter).
    pub fn items_to_annotations() -> JoinOn {
        JoinOn {
            resource: "annotations".to_owned(),
            local: "itemId".to_owned(),
            forigen: "id".to_owned(),
        }
    }

    /// The join from annotations to their items (the SDK's `add_join` on an annotations filter).
    pub fn annotations_to_items() -> JoinOn {
        JoinOn {
            resource: "items".to_owned(),
            local: "id".to_owned(),
            forigen: "itemId".to_owned(),
        }
    }
}

/// A join clause: the query matches an item when some joined entity (an annotation of the
/// item) matches `filter`.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// How the resources are linked.
    pub on: JoinOn,
    /// The filter the joined entity must match.
    pub filter: FilterNode,
    /// Any other keys of the join object, kept in order.
    pub extra: Map<String, Value>,
}

/// A DQL query. See the [module docs](self) for its JSON form.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The root of the filter tree.
    pub filter: FilterNode,
    /// The join clause, if any.
    pub join: Option<Join>,
    /// Sort keys, most significant first: `(dot path, direction)`.
    pub sort: Vec<(String, SortDir)>,
    /// The zero-based page number.
    pub page: u32,
    /// The page size (the SDK allows at most 1000).
    pub page_size: u32,
    /// The resource queried: `"items"`, `"annotations"`, `"tasks"`, `"datasets"`, …
    pub resource: String,
    /// Every other top-level key (`context`, `systemSpace`, `references`, …), in order.
    pub extra: Map<String, Value>,
}

impl Default for Query {
    /// The items query with the SDK's defaults, [`Query::items_default`].
    fn default() -> Self {
        Query::items_default()
    }
}

impl Query {
    /// `dl.Filters().prepare()`:
    /// `{"filter":{"$and":[{"hidden":false},{"type":"file"}]},"page":0,"pageSize":1000,"resource":"items"}`.
    pub fn items_default() -> Query {
        Query {
            filter: FilterNode::and(vec![
                FilterNode::eq("hidden", Value::Bool(false)),
                FilterNode::eq("type", Value::from("file")),
            ]),
            ..Query::new("items")
        }
    }

    /// A query on `resource` without defaults: `"filter": {}` (the SDK's `use_defaults=False`).
    pub fn new(resource: impl Into<String>) -> Query {
        Query {
            filter: FilterNode::empty(),
            join: None,
            sort: Vec::new(),
            page: 0,
            page_size: DEFAULT_PAGE_SIZE,
            resource: resource.into(),
            extra: Map::new(),
        }
    }

    /// Parses a query strictly: unknown filter operators and shapes are errors (see
    /// [`FilterNode::parse`]). This is what the server applies to a task's `query` string.
    pub fn parse(value: &Value) -> Result<Query, DqlError> {
        Query::parse_with(value, true)
    }

    /// Parses a query, keeping filter shapes the tree does not model as [`FilterNode::Raw`].
    /// Still fails when the query itself is malformed (not an object, a bad `page`, `sort`
    /// or `join.on`).
    pub fn parse_lenient(value: &Value) -> Result<Query, DqlError> {
        Query::parse_with(value, false)
    }

    /// Parses JSON text strictly, e.g. the `query` string of a task payload.
    pub fn parse_str(text: &str) -> Result<Query, DqlError> {
        Query::parse(&parse_text(text)?)
    }

    /// Parses JSON text leniently.
    pub fn parse_str_lenient(text: &str) -> Result<Query, DqlError> {
        Query::parse_lenient(&parse_text(text)?)
    }

    fn parse_with(value: &Value, strict: bool) -> Result<Query, DqlError> {
        let Value::Object(object) = value else {
            return Err(DqlError::new("", "a query must be a JSON object"));
        };
        let mut query = Query::new("items");
        for (key, field) in object {
            match key.as_str() {
                "filter" => query.filter = FilterNode::parse_at(field, "filter", strict)?,
                "sort" => query.sort = parse_sort(field)?,
                "page" => query.page = parse_count(field, "page")?,
                "pageSize" => query.page_size = parse_count(field, "pageSize")?,
                "resource" => {
                    query.resource = field
                        .as_str()
                        .ok_or_else(|| DqlError::new("resource", "expected a string"))?
                        .to_owned();
                }
                "join" => query.join = Some(parse_join(field, strict)?),
                _ => {
                    query.extra.insert(key.clone(), field.clone());
                }
            }
        }
        Ok(query)
    }

    /// Prints the query as the SDK does (see the [module docs](self) for the key order).
    /// Keys in [`Query::extra`] that clash with a modelled key are skipped.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("filter".to_owned(), self.filter.to_json());
        if !self.sort.is_empty() {
            let sort = self
                .sort
                .iter()
                .map(|(field, dir)| (field.clone(), Value::from(dir.as_str())))
                .collect();
            out.insert("sort".to_owned(), Value::Object(sort));
        }
        out.insert("page".to_owned(), Value::from(self.page));
        out.insert("pageSize".to_owned(), Value::from(self.page_size));
        out.insert("resource".to_owned(), Value::from(self.resource.as_str()));
        if let Some(join) = &self.join {
            let mut object = Map::new();
            let on = serde_json::to_value(&join.on).expect("JoinOn is plain strings");
            object.insert("on".to_owned(), on);
            object.insert("filter".to_owned(), join.filter.to_json());
            for (key, value) in &join.extra {
                object.entry(key.clone()).or_insert_with(|| value.clone());
            }
            out.insert("join".to_owned(), Value::Object(object));
        }
        for (key, value) in &self.extra {
            out.entry(key.clone()).or_insert_with(|| value.clone());
        }
        Value::Object(out)
    }

    /// The query as the SDK puts it in a task payload: `json.dumps(query)` (Python's
    /// separators; see [`crate::python_json`]).
    pub fn to_python_string(&self) -> String {
        crate::python_json::dumps(&self.to_json())
    }

    /// The fields the SDK treats as "unique" for this resource: adding one of them with
    /// [`Query::add`] replaces the earlier conditions on it. Items: `type`, `hidden`;
    /// annotations: `type`; services and packages: `global`. (The SDK only has them when its
    /// defaults are on; here they always apply.)
    pub fn unique_fields(&self) -> &'static [&'static str] {
        match self.resource.as_str() {
            "items" => &["type", "hidden"],
            "annotations" => &["type"],
            "services" | "packages" => &["global"],
            _ => &[],
        }
    }

    /// The SDK's `Filters.add(field, value, operator)` (method AND): appends the condition to
    /// the top-level `$and` list, first removing the conditions on `field` there if it is a
    /// [unique field](Query::unique_fields).
    pub fn add(&mut self, field: &str, operator: Operator, value: Value) {
        let unique = self.unique_fields().contains(&field);
        let list = and_list_mut(&mut self.filter);
        if unique {
            list.retain(
                |node| !matches!(node, FilterNode::Condition { field: f, .. } if f == field),
            );
        }
        list.push(FilterNode::condition(field, operator, value));
    }

    /// The SDK's `Filters.add(..., method=OR)`: appends the condition to the top-level `$or`
    /// list, which prints before `$and` as in `Filters.prepare()`.
    pub fn add_or(&mut self, field: &str, operator: Operator, value: Value) {
        or_list_mut(&mut self.filter).push(FilterNode::condition(field, operator, value));
    }

    /// The SDK's `Filters.add_join(field, value, operator)`: appends the condition to the
    /// join's `$and` list, creating the join (items → annotations, or annotations → items
    /// for an annotations query) when there is none.
    pub fn add_join(&mut self, field: &str, operator: Operator, value: Value) {
        let on = if self.resource == "annotations" {
            JoinOn::annotations_to_items()
        } else {
            JoinOn::items_to_annotations()
        };
        let join = self.join.get_or_insert_with(|| Join {
            on,
            filter: FilterNode::empty(),
            extra: Map::new(),
        });
        and_list_mut(&mut join.filter).push(FilterNode::condition(field, operator, value));
    }

    /// The SDK's `Filters.sort_by(field, direction)`: sets the direction of `field`, keeping
    /// its place if it is already a sort key.
    pub fn sort_by(&mut self, field: &str, dir: SortDir) {
        match self.sort.iter_mut().find(|(f, _)| f == field) {
            Some(entry) => entry.1 = dir,
            None => self.sort.push((field.to_owned(), dir)),
        }
    }

    /// The entries of the top-level `$and` list (empty when there is none). For the default
    /// items query these start with `hidden` and `type`.
    pub fn and_clauses(&self) -> &[FilterNode] {
        match &self.filter {
            FilterNode::Group {
                op: GroupOp::And,
                merged: false,
                children,
            } => children,
            FilterNode::Group {
                op: GroupOp::And,
                merged: true,
                children,
            } => children
                .iter()
                .find_map(|child| match child {
                    FilterNode::Group {
                        op: GroupOp::And,
                        merged: false,
                        children,
                    } => Some(children.as_slice()),
                    _ => None,
                })
                .unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Appends `node` to the top-level `$and` list, as `create_qa_task` appends its parent
    /// clause to `query['filter']['$and']`: a filter without such a list gains one
    /// (`{"$or": [...]}` becomes `{"$or": [...], "$and": [node]}`).
    pub fn push_and(&mut self, node: FilterNode) {
        and_list_mut(&mut self.filter).push(node);
    }
}

impl Serialize for Query {
    /// Serializes as the DQL JSON of [`Query::to_json`].
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Query {
    /// Deserializes DQL JSON with [`Query::parse_lenient`], so a saved query never loses a
    /// clause it does not understand.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Query::parse_lenient(&value).map_err(serde::de::Error::custom)
    }
}

impl Serialize for FilterNode {
    /// Serializes as the DQL JSON of [`FilterNode::to_json`].
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for FilterNode {
    /// Deserializes DQL JSON with [`FilterNode::parse_lenient`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(FilterNode::parse_lenient(&Value::deserialize(
            deserializer,
        )?))
    }
}

fn parse_text(text: &str) -> Result<Value, DqlError> {
    serde_json::from_str(text).map_err(|e| DqlError::new("", format!("not valid JSON: {e}")))
}

fn parse_sort(value: &Value) -> Result<Vec<(String, SortDir)>, DqlError> {
    let Value::Object(object) = value else {
        return Err(DqlError::new("sort", "expected an object"));
    };
    object
        .iter()
        .map(|(field, dir)| {
            let dir = match dir.as_str() {
                Some("ascending") => SortDir::Ascending,
                Some("descending") => SortDir::Descending,
                _ => {
                    return Err(DqlError::new(
                        format!("sort.{}", crate::shorten(field, crate::MAX_QUOTED_CHARS)),
                        "expected \"ascending\" or \"descending\"",
                    ))
                }
            };
            Ok((field.clone(), dir))
        })
        .collect()
}

fn parse_count(value: &Value, path: &str) -> Result<u32, DqlError> {
    value
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| DqlError::new(path, "expected a non-negative integer"))
}

fn parse_join(value: &Value, strict: bool) -> Result<Join, DqlError> {
    let Value::Object(object) = value else {
        return Err(DqlError::new("join", "expected an object"));
    };
    let on = object
        .get("on")
        .ok_or_else(|| DqlError::new("join.on", "missing"))?;
    let on: JoinOn = serde_json::from_value(on.clone()).map_err(|_| {
        DqlError::new(
            "join.on",
            "expected {\"resource\", \"local\", \"forigen\"} strings",
        )
    })?;
    let filter = match object.get("filter") {
        Some(filter) => FilterNode::parse_at(filter, "join.filter", strict)?,
        None => FilterNode::empty(),
    };
    let extra = object
        .iter()
        .filter(|(key, _)| !matches!(key.as_str(), "on" | "filter"))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    Ok(Join { on, filter, extra })
}

/// The top-level `$and` list of `filter`, reshaping the filter so that it has one (see
/// [`Query::push_and`]).
fn and_list_mut(filter: &mut FilterNode) -> &mut Vec<FilterNode> {
    logical_list_mut(filter, GroupOp::And)
}

/// The top-level `$or` list of `filter`, reshaping the filter so that it has one, placed
/// before any `$and` list.
fn or_list_mut(filter: &mut FilterNode) -> &mut Vec<FilterNode> {
    logical_list_mut(filter, GroupOp::Or)
}

fn logical_list_mut(filter: &mut FilterNode, wanted: GroupOp) -> &mut Vec<FilterNode> {
    let is_list = |node: &FilterNode| matches!(node, FilterNode::Group { op, merged: false, .. } if *op == wanted);
    // The filter is the list itself, e.g. `{"$and": [...]}`.
    if is_list(filter) {
        let FilterNode::Group { children, .. } = filter else {
            unreachable!()
        };
        return children;
    }
    // Otherwise it must be a merged object with the list as one of its keys.
    if !matches!(
        filter,
        FilterNode::Group {
            op: GroupOp::And,
            merged: true,
            ..
        }
    ) {
        let old = std::mem::take(filter);
        *filter = FilterNode::Group {
            op: GroupOp::And,
            merged: true,
            children: vec![old],
        };
    }
    let FilterNode::Group { children, .. } = filter else {
        unreachable!("the filter was just made a merged group")
    };
    let index = match children.iter().position(is_list) {
        Some(index) => index,
        None => {
            // `$or` goes first and `$and` last, the order of `Filters.prepare()`.
            let at = if wanted == GroupOp::Or {
                0
            } else {
                children.len()
            };
            let list = FilterNode::Group {
                op: wanted,
                children: Vec::new(),
                merged: false,
            };
            children.insert(at, list);
            at
        }
    };
    let FilterNode::Group { children, .. } = &mut children[index] else {
        unreachable!("the index points at a group")
    };
    children
}

#[cfg(test)]
mod tests;
