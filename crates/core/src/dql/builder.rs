//! What the visual filter builder needs besides the tree itself: the catalogue of fields and
//! their types, the operators a person picks from ([`Choice`]), how one builder row maps to
//! and from [`FilterNode`]s ([`ConditionRow`]), how typed text becomes a JSON value
//! ([`Scalar`]), the element filters of `$match` ([`element_filter`]), and where a piece of
//! pasted DQL text went wrong ([`parse_query_text`]).
//!
//! Everything here is lossless in the same sense as the tree: a row read from a node prints
//! back to that very node, and a `$match` operand is only shown as a tree when the tree
//! prints back to the same JSON. What the builder cannot show stays JSON.

use serde_json::{Map, Value};

use super::filter::{match_filter_lenient, operator_object};
use super::{DqlError, FilterNode, GroupOp, Operator, Query};
use crate::entities::Item;
use crate::iso8601;

/// What kind of values a field holds; it decides the operators offered and the value editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// A string: names, paths, MIME types, labels.
    Text,
    /// A number: sizes, counts, pixels.
    Number,
    /// An ISO-8601 timestamp string, compared as an instant.
    Date,
    /// `true` or `false`.
    Boolean,
    /// A list of strings, where equality means "contains" (`annotationStatus`).
    List,
    /// A list of objects, matched element by element with `$match` (`metadata.system.refs`).
    Elements,
    /// An object that is only tested for existence (`metadata.user`).
    Object,
}

/// The heading a field is listed under in the field picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldGroup {
    /// The item's own fields.
    Item,
    /// `metadata.system.*`.
    System,
    /// `metadata.user.*`, discovered from the dataset.
    User,
    /// Fields of an item's annotations (the join).
    Annotation,
    /// Fields of a task or assignment reference (inside `$match`).
    Reference,
    /// A dot path typed by hand.
    Custom,
}

impl FieldGroup {
    /// The heading shown in the picker.
    pub fn label(self) -> &'static str {
        match self {
            FieldGroup::Item => "Item",
            FieldGroup::System => "System metadata",
            FieldGroup::User => "User metadata",
            FieldGroup::Annotation => "Annotation",
            FieldGroup::Reference => "Task or assignment reference",
            FieldGroup::Custom => "Other field",
        }
    }
}

/// Where the value editor of a field finds its suggestions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestions {
    /// None: free input.
    None,
    /// The dataset's folders.
    Folders,
    /// The recipe's labels.
    Labels,
    /// A fixed or discovered list of values.
    Values(Vec<String>),
}

/// One field the builder offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// The dot path written into the DQL, e.g. `metadata.system.size`.
    pub path: String,
    /// What people call it, e.g. `Size (bytes)`.
    pub label: String,
    /// The picker heading it is listed under.
    pub group: FieldGroup,
    /// Its type.
    pub ty: FieldType,
    /// Where its value editor finds suggestions.
    pub suggestions: Suggestions,
}

impl FieldSpec {
    fn new(path: &str, label: &str, group: FieldGroup, ty: FieldType) -> FieldSpec {
        FieldSpec {
            path: path.to_owned(),
            label: label.to_owned(),
            group,
            ty,
            suggestions: Suggestions::None,
        }
    }

    fn suggest(mut self, suggestions: Suggestions) -> FieldSpec {
        self.suggestions = suggestions;
        self
    }

    /// A field typed by hand: its type is guessed from a value already there, if any.
    pub fn custom(path: &str, sample: &Value) -> FieldSpec {
        FieldSpec::new(path, path, FieldGroup::Custom, infer_type(sample))
    }
}

fn values(list: &[&str]) -> Suggestions {
    Suggestions::Values(list.iter().map(|v| (*v).to_owned()).collect())
}

/// The item fields of contract §4 (`FiltersKnownFields` and the item entity), without the
/// user metadata, which differs per dataset (see [`user_fields`]).
pub fn item_fields() -> Vec<FieldSpec> {
    use FieldGroup::{Item, System, User};
    use FieldType::*;
    vec![
        FieldSpec::new("dir", "Folder", Item, Text).suggest(Suggestions::Folders),
        FieldSpec::new("filename", "File path", Item, Text),
        FieldSpec::new("name", "Name", Item, Text),
        FieldSpec::new("type", "Type", Item, Text).suggest(values(&["file", "dir"])),
        FieldSpec::new("hidden", "Hidden", Item, Boolean),
        FieldSpec::new("annotated", "Annotated", Item, Boolean),
        FieldSpec::new("createdAt", "Created", Item, Date),
        FieldSpec::new("updatedAt", "Updated", Item, Date),
        FieldSpec::new("annotationsCount", "Annotation count", Item, Number),
        FieldSpec::new("id", "Item id", Item, Text),
        FieldSpec::new("metadata.system.mimetype", "MIME type", System, Text).suggest(values(&[
            "image/jpeg",
            "image/png",
            "image/webp",
            "image/tiff",
            "video/mp4",
        ])),
        FieldSpec::new("metadata.system.size", "Size (bytes)", System, Number),
        FieldSpec::new("metadata.system.width", "Width (px)", System, Number),
        FieldSpec::new("metadata.system.height", "Height (px)", System, Number),
        FieldSpec::new(
            "metadata.system.annotationStatus",
            "Annotation status",
            System,
            List,
        )
        .suggest(values(&["completed", "approved", "discard"])),
        FieldSpec::new("metadata.system.refs", "Task references", System, Elements),
        FieldSpec::new("metadata.user", "Any user metadata", User, Object),
    ]
}

/// The annotation fields a join filters on.
pub fn annotation_fields() -> Vec<FieldSpec> {
    use FieldGroup::Annotation;
    use FieldType::*;
    vec![
        FieldSpec::new("label", "Label", Annotation, Text).suggest(Suggestions::Labels),
        FieldSpec::new("type", "Annotation type", Annotation, Text).suggest(values(&[
            "box", "polygon", "point", "segment", "class", "ellipse", "cube", "note",
        ])),
        FieldSpec::new("attributes", "Attributes", Annotation, List),
    ]
}

/// The fields of one element of `metadata.system.refs`, for `$match`.
pub fn reference_fields() -> Vec<FieldSpec> {
    use FieldGroup::Reference;
    use FieldType::*;
    vec![
        FieldSpec::new("id", "Task or assignment id", Reference, Text),
        FieldSpec::new("type", "Reference type", Reference, Text)
            .suggest(values(&["task", "assignment"])),
        FieldSpec::new("metadata.status", "Status", Reference, Text).suggest(values(&[
            "completed",
            "approved",
            "discard",
        ])),
    ]
}

/// At most this many distinct values of a user field become suggestions; a field with
/// more is free text (ids, timestamps …).
const MAX_SUGGESTED_VALUES: usize = 20;

/// The `metadata.user.*` fields found in a sample of items, in the order first met, each
/// typed by the values seen (all numbers: Number; all booleans: Boolean; all timestamps:
/// Date; all lists: List; otherwise Text) and, when a text field has few distinct values,
/// suggesting them. Nested objects give dot paths (`metadata.user.camera.model`).
pub fn user_fields(sample: &[Item]) -> Vec<FieldSpec> {
    let mut seen: Vec<(String, Vec<&Value>)> = Vec::new();
    for item in sample {
        if let Some(user) = item.user_metadata() {
            collect_leaves(user, "metadata.user", &mut seen);
        }
    }
    seen.into_iter()
        .map(|(path, values)| {
            let ty = common_type(&values);
            let label = path["metadata.user.".len()..].to_owned();
            let mut spec = FieldSpec::new(&path, &label, FieldGroup::User, ty);
            if ty == FieldType::Text {
                let mut distinct: Vec<String> = Vec::new();
                for text in values.iter().filter_map(|v| v.as_str()) {
                    if !distinct.iter().any(|d| d == text) {
                        distinct.push(text.to_owned());
                    }
                }
                if !distinct.is_empty() && distinct.len() <= MAX_SUGGESTED_VALUES {
                    distinct.sort();
                    spec.suggestions = Suggestions::Values(distinct);
                }
            }
            spec
        })
        .collect()
}

fn collect_leaves<'a>(
    object: &'a Map<String, Value>,
    prefix: &str,
    out: &mut Vec<(String, Vec<&'a Value>)>,
) {
    for (key, value) in object {
        let path = format!("{prefix}.{key}");
        match value {
            Value::Object(inner) if !inner.is_empty() => collect_leaves(inner, &path, out),
            _ => match out.iter_mut().find(|(p, _)| *p == path) {
                Some((_, values)) => values.push(value),
                None => out.push((path, vec![value])),
            },
        }
    }
}

fn common_type(values: &[&Value]) -> FieldType {
    let present: Vec<&Value> = values.iter().copied().filter(|v| !v.is_null()).collect();
    let all = |test: fn(&Value) -> bool| !present.is_empty() && present.iter().all(|v| test(v));
    if all(Value::is_number) {
        FieldType::Number
    } else if all(Value::is_boolean) {
        FieldType::Boolean
    } else if all(Value::is_array) {
        FieldType::List
    } else if all(is_timestamp) {
        FieldType::Date
    } else {
        FieldType::Text
    }
}

/// A string that reads as a full timestamp (a bare date is too easily a plain string).
fn is_timestamp(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.len() > 10 && iso8601::parse_millis(text).is_some())
}

/// The type a value suggests, for a field the catalogue does not know.
pub fn infer_type(value: &Value) -> FieldType {
    match value {
        Value::Number(_) => FieldType::Number,
        Value::Bool(_) => FieldType::Boolean,
        Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
            FieldType::Elements
        }
        Value::Array(items) => items.first().map_or(FieldType::Text, infer_type),
        value if is_timestamp(value) => FieldType::Date,
        _ => FieldType::Text,
    }
}

/// The fields whose label or path contains `text` (case-insensitively), in catalogue order.
pub fn search_fields<'a>(fields: &'a [FieldSpec], text: &str) -> Vec<&'a FieldSpec> {
    let needle = text.trim().to_lowercase();
    fields
        .iter()
        .filter(|f| {
            needle.is_empty()
                || f.label.to_lowercase().contains(&needle)
                || f.path.to_lowercase().contains(&needle)
        })
        .collect()
}

/// What a person picks as the "operator" of a row. Several map to one DQL operator
/// ([`Choice::Equals`] and [`Choice::Glob`] are both plain equality) and one to a pair of
/// them ([`Choice::Between`] is `$gte` plus `$lte`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Choice {
    /// Plain equality `{f: v}`; "contains" for lists.
    Equals,
    /// `{f: {"$eq": v}}`: equality that is never a glob. Offered only when the DQL has it.
    ExactlyEquals,
    /// `$ne`.
    NotEquals,
    /// `$in`.
    OneOf,
    /// `$nin`.
    NoneOf,
    /// Plain equality with a `*` pattern.
    Glob,
    /// `$lt`.
    Lt,
    /// `$lte`.
    Lte,
    /// `$gt`.
    Gt,
    /// `$gte`.
    Gte,
    /// `{f: {"$gte": low, "$lte": high}}`.
    Between,
    /// `{"$exists": true}`.
    Exists,
    /// `{"$exists": false}`.
    NotExists,
    /// `$match`: some element matches a nested filter.
    HasElement,
}

impl Choice {
    /// Every choice, for tests and exhaustive pickers.
    pub const ALL: [Choice; 14] = [
        Choice::Equals,
        Choice::ExactlyEquals,
        Choice::NotEquals,
        Choice::OneOf,
        Choice::NoneOf,
        Choice::Glob,
        Choice::Lt,
        Choice::Lte,
        Choice::Gt,
        Choice::Gte,
        Choice::Between,
        Choice::Exists,
        Choice::NotExists,
        Choice::HasElement,
    ];

    /// The choices offered for a field type, most common first (the first is the default).
    pub fn offered(ty: FieldType) -> &'static [Choice] {
        use Choice::*;
        match ty {
            FieldType::Text => &[Equals, NotEquals, OneOf, NoneOf, Glob, Exists, NotExists],
            FieldType::Number | FieldType::Date => &[
                Equals, NotEquals, Lt, Lte, Gt, Gte, Between, Exists, NotExists,
            ],
            FieldType::Boolean => &[Equals, NotEquals, Exists, NotExists],
            FieldType::List => &[Equals, NotEquals, OneOf, NoneOf, Exists, NotExists],
            FieldType::Elements => &[HasElement, Exists, NotExists],
            FieldType::Object => &[Exists, NotExists],
        }
    }

    /// The choices to list for a row: those offered for `ty`, plus `current` when the DQL
    /// uses an operator the type does not usually take (so it can be shown, not lost).
    pub fn listed(ty: FieldType, current: Choice) -> Vec<Choice> {
        let mut list = Choice::offered(ty).to_vec();
        if !list.contains(&current) {
            list.push(current);
        }
        list
    }

    /// The text of the choice for a field of type `ty`.
    pub fn label(self, ty: FieldType) -> &'static str {
        use FieldType::*;
        match (self, ty) {
            (Choice::Equals, List) => "contains",
            (Choice::NotEquals, List) => "does not contain",
            (Choice::OneOf, List) => "contains any of",
            (Choice::NoneOf, List) => "contains none of",
            (Choice::Equals, Number) => "= equals",
            (Choice::NotEquals, Number) => "≠ does not equal",
            (Choice::ExactlyEquals, Number) => "= equals ($eq)",
            (Choice::Lt, Number) => "< less than",
            (Choice::Lte, Number) => "≤ at most",
            (Choice::Gt, Number) => "> greater than",
            (Choice::Gte, Number) => "≥ at least",
            (Choice::Equals, Date) => "= at",
            (Choice::NotEquals, Date) => "≠ not at",
            (Choice::ExactlyEquals, Date) => "= at ($eq)",
            (Choice::Lt, Date) => "< before",
            (Choice::Lte, Date) => "≤ at or before",
            (Choice::Gt, Date) => "> after",
            (Choice::Gte, Date) => "≥ at or after",
            (Choice::Equals, _) => "is",
            (Choice::ExactlyEquals, _) => "is exactly ($eq)",
            (Choice::NotEquals, _) => "is not",
            (Choice::OneOf, _) => "is one of",
            (Choice::NoneOf, _) => "is none of",
            (Choice::Glob, _) => "matches a glob",
            (Choice::Lt, _) => "< less than",
            (Choice::Lte, _) => "≤ at most",
            (Choice::Gt, _) => "> greater than",
            (Choice::Gte, _) => "≥ at least",
            (Choice::Between, _) => "between",
            (Choice::Exists, _) => "exists",
            (Choice::NotExists, _) => "does not exist",
            (Choice::HasElement, _) => "has an entry where",
        }
    }

    /// A stable key for `<select>` option values.
    pub fn key(self) -> &'static str {
        match self {
            Choice::Equals => "eq",
            Choice::ExactlyEquals => "eq-explicit",
            Choice::NotEquals => "ne",
            Choice::OneOf => "in",
            Choice::NoneOf => "nin",
            Choice::Glob => "glob",
            Choice::Lt => "lt",
            Choice::Lte => "lte",
            Choice::Gt => "gt",
            Choice::Gte => "gte",
            Choice::Between => "between",
            Choice::Exists => "exists",
            Choice::NotExists => "not-exists",
            Choice::HasElement => "match",
        }
    }

    /// The choice for a [`Choice::key`].
    pub fn from_key(key: &str) -> Option<Choice> {
        Choice::ALL.into_iter().find(|c| c.key() == key)
    }

    /// How a condition with `operator` and `value` reads.
    pub fn of(operator: Operator, value: &Value) -> Choice {
        match operator {
            Operator::Eq if value.as_str().is_some_and(|v| v.contains('*')) => Choice::Glob,
            Operator::Eq => Choice::Equals,
            Operator::ExplicitEq => Choice::ExactlyEquals,
            Operator::Ne => Choice::NotEquals,
            Operator::In => Choice::OneOf,
            Operator::Nin => Choice::NoneOf,
            Operator::Gt => Choice::Gt,
            Operator::Gte => Choice::Gte,
            Operator::Lt => Choice::Lt,
            Operator::Lte => Choice::Lte,
            Operator::Exists if *value == Value::Bool(false) => Choice::NotExists,
            Operator::Exists => Choice::Exists,
            Operator::Match => Choice::HasElement,
        }
    }

    /// The DQL operator; `None` for [`Choice::Between`], which is two of them.
    pub fn operator(self) -> Option<Operator> {
        Some(match self {
            Choice::Equals | Choice::Glob => Operator::Eq,
            Choice::ExactlyEquals => Operator::ExplicitEq,
            Choice::NotEquals => Operator::Ne,
            Choice::OneOf => Operator::In,
            Choice::NoneOf => Operator::Nin,
            Choice::Lt => Operator::Lt,
            Choice::Lte => Operator::Lte,
            Choice::Gt => Operator::Gt,
            Choice::Gte => Operator::Gte,
            Choice::Exists | Choice::NotExists => Operator::Exists,
            Choice::HasElement => Operator::Match,
            Choice::Between => return None,
        })
    }

    /// Whether the operand is a list.
    pub fn takes_list(self) -> bool {
        matches!(self, Choice::OneOf | Choice::NoneOf)
    }

    /// Whether the operand is one scalar value.
    fn takes_scalar(self) -> bool {
        matches!(
            self,
            Choice::Equals
                | Choice::ExactlyEquals
                | Choice::NotEquals
                | Choice::Glob
                | Choice::Lt
                | Choice::Lte
                | Choice::Gt
                | Choice::Gte
                | Choice::Between
        )
    }
}

/// One row of the builder: a field, a choice and its operand(s). It stands for one
/// [`FilterNode::Condition`], or for a between's pair of bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionRow {
    /// The dot path.
    pub field: String,
    /// The operator as picked.
    pub choice: Choice,
    /// The operand; the low end of a between. `null` means "not entered yet", which
    /// [`crate::validate::validate_query`] reports.
    pub value: Value,
    /// The high end of a between; `null` otherwise.
    pub upper: Value,
}

impl ConditionRow {
    /// A new row on `field` with the type's first choice and its empty operand.
    pub fn new(field: &str, ty: FieldType) -> ConditionRow {
        let choice = Choice::offered(ty)[0];
        ConditionRow {
            field: field.to_owned(),
            choice,
            value: default_operand(ty, choice),
            upper: Value::Null,
        }
    }

    /// The row a node shows as, if it is one: a condition, or an AND object holding exactly
    /// `$gte` then `$lte` on one field (a between). Anything else is a group or raw JSON.
    pub fn from_node(node: &FilterNode) -> Option<ConditionRow> {
        match node {
            FilterNode::Condition {
                field,
                operator,
                value,
            } => Some(ConditionRow {
                field: field.clone(),
                choice: Choice::of(*operator, value),
                value: value.clone(),
                upper: Value::Null,
            }),
            FilterNode::Group {
                op: GroupOp::And,
                merged: true,
                children,
            } => match children.as_slice() {
                [FilterNode::Condition {
                    field: low_field,
                    operator: Operator::Gte,
                    value: low,
                }, FilterNode::Condition {
                    field: high_field,
                    operator: Operator::Lte,
                    value: high,
                }] if low_field == high_field => Some(ConditionRow {
                    field: low_field.clone(),
                    choice: Choice::Between,
                    value: low.clone(),
                    upper: high.clone(),
                }),
                _ => None,
            },
            _ => None,
        }
    }

    /// The node this row prints as; `from_node(&row.to_node())` gives the row back.
    pub fn to_node(&self) -> FilterNode {
        match self.choice.operator() {
            Some(operator) => FilterNode::condition(&self.field, operator, self.value.clone()),
            None => FilterNode::Group {
                op: GroupOp::And,
                merged: true,
                children: vec![
                    FilterNode::condition(&self.field, Operator::Gte, self.value.clone()),
                    FilterNode::condition(&self.field, Operator::Lte, self.upper.clone()),
                ],
            },
        }
    }

    /// The row with another choice, its operand carried over where it still makes sense
    /// (a value becomes a one-entry list and back, the low end of a between …).
    pub fn with_choice(&self, choice: Choice, ty: FieldType) -> ConditionRow {
        // The one value the old operand stands for, if any.
        let scalar = match (self.choice, &self.value) {
            (Choice::Exists | Choice::NotExists | Choice::HasElement, _) => Value::Null,
            (_, Value::Array(list)) => list.first().cloned().unwrap_or(Value::Null),
            (_, Value::Object(_)) => Value::Null,
            (_, other) => other.clone(),
        };
        let value = if choice.takes_list() {
            match &self.value {
                Value::Array(_) => self.value.clone(),
                _ if scalar.is_null() => Value::Array(Vec::new()),
                _ => Value::Array(vec![scalar]),
            }
        } else if choice.takes_scalar() {
            match (choice, &scalar) {
                (Choice::Glob, Value::String(_)) | (Choice::Glob, Value::Null) => scalar,
                (Choice::Glob, _) => Value::Null,
                (_, Value::Null) => default_operand(ty, choice),
                _ => scalar,
            }
        } else if choice == Choice::HasElement && self.choice == choice {
            self.value.clone()
        } else {
            default_operand(ty, choice)
        };
        let upper = if choice == Choice::Between && self.choice == Choice::Between {
            self.upper.clone()
        } else {
            Value::Null
        };
        ConditionRow {
            field: self.field.clone(),
            choice,
            value,
            upper,
        }
    }

    /// The row on another field: the choice and operand stay when the type does, otherwise
    /// the new type's first choice with an empty operand.
    pub fn with_field(&self, field: &str, old: FieldType, new: FieldType) -> ConditionRow {
        if old == new && Choice::offered(new).contains(&self.choice) {
            return ConditionRow {
                field: field.to_owned(),
                ..self.clone()
            };
        }
        ConditionRow::new(field, new)
    }
}

/// The operand a fresh row of `choice` starts with.
pub fn default_operand(ty: FieldType, choice: Choice) -> Value {
    match choice {
        Choice::Exists => Value::Bool(true),
        Choice::NotExists => Value::Bool(false),
        Choice::OneOf | Choice::NoneOf => Value::Array(Vec::new()),
        Choice::HasElement => Value::Object(Map::new()),
        Choice::Equals | Choice::NotEquals if ty == FieldType::Boolean => Value::Bool(true),
        _ => Value::Null,
    }
}

/// How one value is typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// A text box; an empty box is "no value".
    Text,
    /// A number box.
    Number,
    /// A date-and-time picker, in UTC.
    Date,
    /// Yes or no.
    Boolean,
    /// JSON text, for values no other editor can show.
    Json,
}

impl Scalar {
    /// The editor a field type prefers.
    pub fn for_type(ty: FieldType) -> Scalar {
        match ty {
            FieldType::Number => Scalar::Number,
            FieldType::Date => Scalar::Date,
            FieldType::Boolean => Scalar::Boolean,
            FieldType::Text | FieldType::List => Scalar::Text,
            FieldType::Elements | FieldType::Object => Scalar::Json,
        }
    }

    /// The editor for `value` on a field of type `ty`: the preferred one when it can show
    /// the value, else a text box for strings, else JSON.
    pub fn for_value(ty: FieldType, value: &Value) -> Scalar {
        let preferred = Scalar::for_type(ty);
        if preferred.fits(value) {
            preferred
        } else if Scalar::Text.fits(value) {
            Scalar::Text
        } else {
            Scalar::Json
        }
    }

    /// Whether this editor shows `value` without loss (`null` is the empty editor).
    pub fn fits(self, value: &Value) -> bool {
        match (self, value) {
            (_, Value::Null) | (Scalar::Json, _) => true,
            (Scalar::Text, Value::String(_)) | (Scalar::Number, Value::Number(_)) => true,
            (Scalar::Boolean, Value::Bool(_)) => true,
            (Scalar::Date, Value::String(text)) => iso8601::parse_millis(text).is_some(),
            _ => false,
        }
    }

    /// The text the editor shows for `value` (a date as `YYYY-MM-DDTHH:MM:SS` in UTC, the
    /// form a `datetime-local` input takes).
    pub fn format(self, value: &Value) -> String {
        match (self, value) {
            (_, Value::Null) => String::new(),
            (Scalar::Date, Value::String(text)) => match iso8601::parse_millis(text) {
                Some(ms) => datetime_local(ms),
                None => text.clone(),
            },
            (_, Value::String(text)) => text.clone(),
            (_, other) => other.to_string(),
        }
    }

    /// The value for typed `text`: `Ok(null)` for an empty box, an error message when the
    /// text is not a value of this kind.
    pub fn parse(self, text: &str) -> Result<Value, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(Value::Null);
        }
        match self {
            // Text keeps its spaces: they may matter in a name.
            Scalar::Text => Ok(Value::String(text.to_owned())),
            Scalar::Number => parse_number(trimmed).ok_or_else(|| "Enter a number.".to_owned()),
            Scalar::Date => parse_datetime_local(trimmed)
                .map(Value::String)
                .ok_or_else(|| "Enter a date and time.".to_owned()),
            Scalar::Boolean => match trimmed {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err("Choose yes or no.".to_owned()),
            },
            Scalar::Json => serde_json::from_str(trimmed)
                .map_err(|e| format!("Not valid JSON: {}.", strip_location(&e.to_string()))),
        }
    }
}

fn parse_number(text: &str) -> Option<Value> {
    if let Ok(n) = text.parse::<i64>() {
        return Some(Value::from(n));
    }
    let n = text.parse::<f64>().ok().filter(|n| n.is_finite())?;
    serde_json::Number::from_f64(n).map(Value::Number)
}

/// `YYYY-MM-DDTHH:MM:SS`, with `.mmm` when there are milliseconds.
fn datetime_local(ms: i64) -> String {
    let iso = iso8601::format_millis(ms); // YYYY-MM-DDTHH:MM:SS.mmmZ
    let (seconds, millis) = iso[..iso.len() - 1].split_at(19);
    if millis == ".000" {
        seconds.to_owned()
    } else {
        format!("{seconds}{millis}")
    }
}

/// A `datetime-local` value (`YYYY-MM-DDTHH:MM`, seconds and milliseconds optional), read
/// as UTC, in the platform's format `YYYY-MM-DDTHH:MM:SS.mmmZ`.
fn parse_datetime_local(text: &str) -> Option<String> {
    let full = match text.len() {
        16 => format!("{text}:00Z"),
        _ => format!("{text}Z"),
    };
    iso8601::parse_millis(&full).map(iso8601::format_millis)
}

/// How a row's operand is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueEditor {
    /// No operand to edit (exists / does not exist).
    None,
    /// One value.
    Single(Scalar),
    /// A list of values, as chips.
    List(Scalar),
    /// A low and a high end.
    Range(Scalar, Scalar),
    /// A nested filter over list entries (`$match`).
    Elements,
    /// The operand as JSON: nothing else can show it.
    Json,
}

impl ValueEditor {
    /// The editor for a row whose field has type `ty`.
    pub fn for_row(row: &ConditionRow, ty: FieldType) -> ValueEditor {
        let element_ty = match ty {
            FieldType::List | FieldType::Elements | FieldType::Object => FieldType::Text,
            other => other,
        };
        match row.choice {
            Choice::Exists | Choice::NotExists => ValueEditor::None,
            Choice::HasElement if element_filter(&row.value).is_some() => ValueEditor::Elements,
            Choice::HasElement => ValueEditor::Json,
            Choice::OneOf | Choice::NoneOf => {
                let Value::Array(list) = &row.value else {
                    return ValueEditor::Json;
                };
                let scalar = list.first().map_or(Scalar::for_type(element_ty), |v| {
                    Scalar::for_value(element_ty, v)
                });
                if scalar != Scalar::Json && list.iter().all(|v| !v.is_null() && scalar.fits(v)) {
                    ValueEditor::List(scalar)
                } else {
                    ValueEditor::Json
                }
            }
            Choice::Between => ValueEditor::Range(
                Scalar::for_value(element_ty, &row.value),
                Scalar::for_value(element_ty, &row.upper),
            ),
            Choice::Glob => ValueEditor::Single(Scalar::for_value(FieldType::Text, &row.value)),
            _ => ValueEditor::Single(Scalar::for_value(element_ty, &row.value)),
        }
    }
}

/// The filter of a `$match` operand as the builder shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementFilter {
    /// The filter over one list entry, with dot paths (`metadata.status`).
    pub node: FilterNode,
    /// Whether dot paths print as nested objects (`{"metadata": {"status": …}}`, the
    /// SDK's way) rather than as dotted keys (`{"metadata.status": …}`).
    pub nested: bool,
}

/// Reads a `$match` operand as a filter the builder can show, or `None` when no filter
/// prints back to exactly this operand (it then stays JSON).
pub fn element_filter(operand: &Value) -> Option<ElementFilter> {
    if !operand.is_object() {
        return None;
    }
    let node = match_filter_lenient(operand);
    let same = |printed: Value| {
        serde_json::to_string(&printed).ok() == serde_json::to_string(operand).ok()
    };
    [true, false]
        .into_iter()
        .find(|&nested| same(element_operand(&node, nested)))
        .map(|nested| ElementFilter {
            node: node.clone(),
            nested,
        })
}

/// Prints an element filter as a `$match` operand: dot paths as nested objects when
/// `nested` (clauses sharing a prefix share its object), else as dotted keys.
pub fn element_operand(node: &FilterNode, nested: bool) -> Value {
    if !nested {
        return node.to_json();
    }
    match node {
        FilterNode::Condition {
            field,
            operator,
            value,
        } => {
            let operand = match operator.key() {
                Some(key) => single(key, value.clone()),
                None => value.clone(),
            };
            field
                .rsplit('.')
                .fold(operand, |inner, segment| single(segment, inner))
        }
        FilterNode::Group {
            op: GroupOp::And,
            merged: true,
            children,
        } => {
            let printed: Vec<Value> = children.iter().map(|c| element_operand(c, true)).collect();
            let mut object = Map::new();
            let fits = printed.iter().all(|clause| match clause {
                Value::Object(map) => deep_merge(&mut object, map),
                _ => false,
            });
            if fits {
                Value::Object(object)
            } else {
                single("$and", Value::Array(printed))
            }
        }
        FilterNode::Group { op, children, .. } => single(
            op.key(),
            Value::Array(children.iter().map(|c| element_operand(c, true)).collect()),
        ),
        FilterNode::Raw(value) => value.clone(),
    }
}

/// Merges `from` into `into`, sharing the objects of common keys; `false` when two clauses
/// cannot share one (an operator repeats, or a value would change meaning).
fn deep_merge(into: &mut Map<String, Value>, from: &Map<String, Value>) -> bool {
    for (key, value) in from {
        match into.get_mut(key) {
            None => {
                into.insert(key.clone(), value.clone());
            }
            Some(Value::Object(existing)) => {
                let Value::Object(incoming) = value else {
                    return false;
                };
                let existing_ops = operator_object(&Value::Object(existing.clone())).is_some();
                let incoming_ops = operator_object(value).is_some();
                // Both nested filters, or both operator objects: the same kind of object.
                if existing.is_empty() || incoming.is_empty() || existing_ops != incoming_ops {
                    return false;
                }
                if existing_ops && incoming.keys().any(|k| existing.contains_key(k)) {
                    return false;
                }
                if !deep_merge(existing, incoming) {
                    return false;
                }
            }
            Some(_) => return false,
        }
    }
    true
}

fn single(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

/// Why pasted DQL text could not be loaded, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTextError {
    /// The 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// The 1-based column (in characters) of the problem, when known.
    pub column: Option<usize>,
    /// The query path of a DQL problem (`sort.createdAt`); empty for JSON syntax errors.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for QueryTextError {
    /// `Line 3, column 14: …`, with the DQL path when there is one.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, "Line {line}, column {column}: ")?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

/// Parses DQL text as the JSON view does: leniently (clauses the tree cannot show become
/// raw rows), reporting a JSON syntax error at its line and column and a DQL error at its
/// path, located in the text when possible.
pub fn parse_query_text(text: &str) -> Result<Query, QueryTextError> {
    let value: Value = serde_json::from_str(text).map_err(|e| QueryTextError {
        line: Some(e.line()),
        column: Some(e.column().max(1)),
        path: String::new(),
        message: capitalise(&strip_location(&e.to_string())),
    })?;
    Query::parse_lenient(&value).map_err(|DqlError { path, message }| {
        let at = locate_path(text, &path);
        QueryTextError {
            line: at.map(|(line, _)| line),
            column: at.map(|(_, column)| column),
            path,
            message: capitalise(&message),
        }
    })
}

/// serde_json ends its messages with ` at line L column C`; the location is shown apart.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The line and column (1-based) in valid JSON `text` of the key or entry at a DQL error
/// path such as `sort.createdAt`, `join.on` or `filter.$and[2]`; `(1, 1)` for the empty
/// path, `None` when the path is not found.
pub fn locate_path(text: &str, path: &str) -> Option<(usize, usize)> {
    if path.is_empty() {
        return Some(line_column(text, text.len() - text.trim_start().len()));
    }
    let mut scanner = PathScanner {
        bytes: text.as_bytes(),
        text,
        at: 0,
        target: path,
    };
    match scanner.value("") {
        Err(Stop::Found(line, column)) => Some((line, column)),
        _ => None,
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Walks valid JSON text, tracking each value's DQL path, until it meets the target path.
/// `Err(Found)` carries the answer out of the recursion.
struct PathScanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    target: &'a str,
}

/// Why a scan stopped early.
enum Stop {
    /// The target path starts at this (line, column).
    Found(usize, usize),
    /// The text is not what was expected.
    Malformed,
}

impl PathScanner<'_> {
    fn skip_ws(&mut self) {
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn found(&self, start: usize) -> Stop {
        let (line, column) = line_column(self.text, start);
        Stop::Found(line, column)
    }

    fn value(&mut self, path: &str) -> Result<(), Stop> {
        self.skip_ws();
        match self.bytes.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                loop {
                    self.skip_ws();
                    if self.bytes.get(self.at) == Some(&b'}') {
                        self.at += 1;
                        return Ok(());
                    }
                    let start = self.at;
                    let key = self.string()?;
                    let child = if path.is_empty() {
                        key
                    } else {
                        format!("{path}.{key}")
                    };
                    if child == self.target {
                        return Err(self.found(start));
                    }
                    self.skip_ws();
                    self.expect(b':')?;
                    self.value(&child)?;
                    self.skip_ws();
                    if self.bytes.get(self.at) == Some(&b',') {
                        self.at += 1;
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut index = 0;
                loop {
                    self.skip_ws();
                    if self.bytes.get(self.at) == Some(&b']') {
                        self.at += 1;
                        return Ok(());
                    }
                    let child = format!("{path}[{index}]");
                    if child == self.target {
                        return Err(self.found(self.at));
                    }
                    self.value(&child)?;
                    index += 1;
                    self.skip_ws();
                    if self.bytes.get(self.at) == Some(&b',') {
                        self.at += 1;
                    }
                }
            }
            Some(b'"') => self.string().map(|_| ()),
            Some(_) => {
                while self.at < self.bytes.len()
                    && !matches!(self.bytes[self.at], b',' | b'}' | b']')
                    && !self.bytes[self.at].is_ascii_whitespace()
                {
                    self.at += 1;
                }
                Ok(())
            }
            None => Err(Stop::Malformed),
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), Stop> {
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(Stop::Malformed)
        }
    }

    /// Reads a string literal and decodes it.
    fn string(&mut self) -> Result<String, Stop> {
        let start = self.at;
        self.expect(b'"')?;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'"' => {
                    return serde_json::from_str(&self.text[start..self.at])
                        .map_err(|_| Stop::Malformed)
                }
                _ => {}
            }
        }
        Err(Stop::Malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The contract's examples (as in `dql::tests`).
    const EXAMPLES: [&str; 6] = [
        r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"annotated": true}]}, "sort": {"filename": "ascending"}, "page": 0, "pageSize": 1000, "resource": "items"}"#,
        r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.annotationStatus": "approved"}]}, "sort": {"createdAt": "descending"}, "page": 0, "pageSize": 1000, "resource": "items", "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": {"$and": [{"type": "box"}]}}}"#,
        r#"{"filter": {"$or": [{"dir": "/folderName1"}, {"dir": "/folderName2"}], "$and": [{"hidden": false}, {"type": "file"}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#,
        r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}]}, "page": 0, "pageSize": 1000, "resource": "items", "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": {"$and": [{"label": {"$in": ["dog", "cat"]}}]}}}"#,
        r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.refs": {"$match": {"id": {"$in": ["TASK"]}, "metadata": {"status": {"$exists": false}}}}}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#,
        r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.user": {"$exists": true}}, {"metadata.system.height": {"$gt": 100}}, {"metadata.system.width": {"$lte": 50}}, {"name": {"$nin": ["a.jpg","b.jpg"]}}, {"createdAt": {"$gte": "2024-01-01T00:00:00.000Z"}}, {"metadata.system.mimetype": "image*"}, {"filename": "*.jpg"}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#,
    ];

    fn field(path: &str) -> FieldSpec {
        item_fields()
            .into_iter()
            .chain(annotation_fields())
            .find(|f| f.path == path)
            .unwrap()
    }

    /// Every condition of a tree, depth first.
    fn conditions(node: &FilterNode, out: &mut Vec<FilterNode>) {
        match node {
            FilterNode::Group { children, .. } => {
                if let Some(row) = ConditionRow::from_node(node) {
                    out.push(row.to_node());
                } else {
                    children.iter().for_each(|c| conditions(c, out));
                }
            }
            other => out.push(other.clone()),
        }
    }

    #[test]
    fn every_condition_of_the_examples_reads_as_a_row_and_prints_back() {
        for text in EXAMPLES {
            let query = Query::parse_str(text).unwrap();
            let mut nodes = Vec::new();
            conditions(&query.filter, &mut nodes);
            if let Some(join) = &query.join {
                conditions(&join.filter, &mut nodes);
            }
            for node in nodes {
                let row = ConditionRow::from_node(&node).unwrap();
                assert_eq!(row.to_node(), node);
            }
        }
    }

    #[test]
    fn the_example_rows_read_as_people_would_pick_them() {
        let row = |node: FilterNode| ConditionRow::from_node(&node).unwrap().choice;
        let c = FilterNode::condition;
        assert_eq!(row(FilterNode::eq("mime", json!("image*"))), Choice::Glob);
        assert_eq!(row(FilterNode::eq("dir", json!("/a"))), Choice::Equals);
        assert_eq!(
            row(c("a", Operator::Exists, json!(false))),
            Choice::NotExists
        );
        assert_eq!(row(c("a", Operator::Exists, json!(true))), Choice::Exists);
        assert_eq!(row(c("a", Operator::Nin, json!(["x"]))), Choice::NoneOf);
        assert_eq!(row(c("a", Operator::Match, json!({}))), Choice::HasElement);
        assert_eq!(
            row(c("a", Operator::ExplicitEq, json!("x*"))),
            Choice::ExactlyEquals
        );
    }

    #[test]
    fn between_is_gte_then_lte_on_one_field() {
        let query = Query::parse_str(r#"{"filter": {"size": {"$gte": 10, "$lte": 20}}}"#).unwrap();
        let row = ConditionRow::from_node(&query.filter).unwrap();
        assert_eq!(
            row,
            ConditionRow {
                field: "size".into(),
                choice: Choice::Between,
                value: json!(10),
                upper: json!(20)
            }
        );
        assert_eq!(row.to_node(), query.filter);
        assert_eq!(
            row.to_node().to_json(),
            json!({"size": {"$gte": 10, "$lte": 20}})
        );

        // Other pairs stay groups of two conditions.
        for text in [
            r#"{"size": {"$gt": 10, "$lte": 20}}"#,
            r#"{"size": {"$lte": 20, "$gte": 10}}"#,
            r#"{"a": {"$gte": 1}, "b": {"$lte": 2}}"#,
        ] {
            let node = FilterNode::parse(&serde_json::from_str(text).unwrap()).unwrap();
            assert_eq!(ConditionRow::from_node(&node), None, "{text}");
        }
    }

    #[test]
    fn an_empty_between_and_an_inverted_one_are_reported_by_validate_query() {
        use crate::validate::{codes, validate_query};
        let mut query = Query::items_default();
        let row = ConditionRow::new("metadata.system.size", FieldType::Number)
            .with_choice(Choice::Between, FieldType::Number);
        query.push_and(row.to_node());
        let codes_of = |q: &Query| {
            validate_query(q)
                .into_iter()
                .map(|e| e.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes_of(&query),
            [codes::QUERY_VALUE_REQUIRED, codes::QUERY_VALUE_REQUIRED]
        );

        let inverted = ConditionRow {
            value: json!(500),
            upper: json!(100),
            ..row
        };
        let mut query = Query::items_default();
        query.push_and(inverted.to_node());
        assert_eq!(codes_of(&query), [codes::QUERY_RANGE_EMPTY]);
    }

    #[test]
    fn changing_the_choice_carries_the_operand_over() {
        let ty = FieldType::Text;
        let row = ConditionRow {
            field: "name".into(),
            choice: Choice::Equals,
            value: json!("a.jpg"),
            upper: Value::Null,
        };
        let list = row.with_choice(Choice::OneOf, ty);
        assert_eq!(list.value, json!(["a.jpg"]));
        assert_eq!(
            list.with_choice(Choice::NotEquals, ty).value,
            json!("a.jpg")
        );
        assert_eq!(row.with_choice(Choice::Exists, ty).value, json!(true));
        assert_eq!(row.with_choice(Choice::NotExists, ty).value, json!(false));
        assert_eq!(
            row.with_choice(Choice::NotExists, ty)
                .with_choice(Choice::Equals, ty)
                .value,
            Value::Null
        );
        let empty = ConditionRow::new("name", ty).with_choice(Choice::NoneOf, ty);
        assert_eq!(empty.value, json!([]));

        let number = FieldType::Number;
        let gt = ConditionRow {
            field: "size".into(),
            choice: Choice::Gt,
            value: json!(5),
            upper: Value::Null,
        };
        let between = gt.with_choice(Choice::Between, number);
        assert_eq!(
            (between.value.clone(), between.upper.clone()),
            (json!(5), Value::Null)
        );
        let between = ConditionRow {
            upper: json!(9),
            ..between
        };
        assert_eq!(between.with_choice(Choice::Between, number).upper, json!(9));
        assert_eq!(between.with_choice(Choice::Lte, number).value, json!(5));

        let yes = ConditionRow::new("hidden", FieldType::Boolean);
        assert_eq!((yes.choice, yes.value), (Choice::Equals, json!(true)));
    }

    #[test]
    fn changing_the_field_keeps_the_row_when_the_type_stays() {
        let row = ConditionRow {
            field: "name".into(),
            choice: Choice::Glob,
            value: json!("*.jpg"),
            upper: Value::Null,
        };
        let kept = row.with_field("filename", FieldType::Text, FieldType::Text);
        assert_eq!(
            (kept.field.as_str(), kept.choice),
            ("filename", Choice::Glob)
        );
        let reset = row.with_field("size", FieldType::Text, FieldType::Number);
        assert_eq!(reset, ConditionRow::new("size", FieldType::Number));
    }

    #[test]
    fn every_listed_choice_has_a_label_and_a_key() {
        for ty in [
            FieldType::Text,
            FieldType::Number,
            FieldType::Date,
            FieldType::Boolean,
            FieldType::List,
            FieldType::Elements,
            FieldType::Object,
        ] {
            for choice in Choice::ALL {
                assert!(!choice.label(ty).is_empty());
                assert_eq!(Choice::from_key(choice.key()), Some(choice));
            }
            let listed = Choice::listed(ty, Choice::ExactlyEquals);
            assert_eq!(listed.last(), Some(&Choice::ExactlyEquals));
        }
        assert_eq!(Choice::Lte.label(FieldType::Number), "≤ at most");
        assert_eq!(Choice::Equals.label(FieldType::List), "contains");
    }

    #[test]
    fn catalogue_covers_the_issue_fields() {
        for path in [
            "dir",
            "filename",
            "name",
            "type",
            "annotated",
            "createdAt",
            "updatedAt",
            "annotationsCount",
            "metadata.system.mimetype",
            "metadata.system.size",
            "metadata.system.width",
            "metadata.system.height",
            "metadata.system.annotationStatus",
        ] {
            field(path);
        }
        assert_eq!(field("createdAt").ty, FieldType::Date);
        assert_eq!(field("metadata.system.size").ty, FieldType::Number);
        assert_eq!(field("dir").suggestions, Suggestions::Folders);
        assert_eq!(field("label").suggestions, Suggestions::Labels);
        assert_eq!(
            search_fields(&item_fields(), "SIZE")[0].path,
            "metadata.system.size"
        );
        assert_eq!(search_fields(&item_fields(), "").len(), item_fields().len());
        assert!(search_fields(&item_fields(), "nothing-like-it").is_empty());
    }

    #[test]
    fn user_fields_are_discovered_and_typed_from_a_sample() {
        let items: Vec<Item> = serde_json::from_value(json!([
            {"id": "1", "metadata": {"user": {"camera": "sony", "iso": 100, "ok": true,
                "shot": "2024-05-01T10:00:00.000Z", "tags": ["a"], "lens": {"mm": 35}}}},
            {"id": "2", "metadata": {"user": {"camera": "canon", "iso": 200, "extra": null}}},
            {"id": "3", "metadata": {}}
        ]))
        .unwrap();
        let fields = user_fields(&items);
        let summary: Vec<(&str, FieldType)> =
            fields.iter().map(|f| (f.path.as_str(), f.ty)).collect();
        assert_eq!(
            summary,
            [
                ("metadata.user.camera", FieldType::Text),
                ("metadata.user.iso", FieldType::Number),
                ("metadata.user.ok", FieldType::Boolean),
                ("metadata.user.shot", FieldType::Date),
                ("metadata.user.tags", FieldType::List),
                ("metadata.user.lens.mm", FieldType::Number),
                ("metadata.user.extra", FieldType::Text),
            ]
        );
        assert_eq!(fields[0].label, "camera");
        assert_eq!(
            fields[0].suggestions,
            Suggestions::Values(vec!["canon".into(), "sony".into()])
        );
        assert_eq!(fields[3].suggestions, Suggestions::None);
    }

    #[test]
    fn typed_text_becomes_values() {
        assert_eq!(Scalar::Number.parse("1024"), Ok(json!(1024)));
        assert_eq!(Scalar::Number.parse(" 2.5 "), Ok(json!(2.5)));
        assert_eq!(Scalar::Number.parse(""), Ok(Value::Null));
        assert_eq!(Scalar::Number.parse("big"), Err("Enter a number.".into()));
        assert_eq!(Scalar::Text.parse(" a b "), Ok(json!(" a b ")));
        assert_eq!(Scalar::Text.parse("   "), Ok(Value::Null));
        assert_eq!(
            Scalar::Date.parse("2024-01-01T00:00"),
            Ok(json!("2024-01-01T00:00:00.000Z"))
        );
        assert_eq!(
            Scalar::Date.parse("2024-02-29T13:45:07.250"),
            Ok(json!("2024-02-29T13:45:07.250Z"))
        );
        assert!(Scalar::Date.parse("2023-02-29T00:00").is_err());
        assert_eq!(Scalar::Boolean.parse("false"), Ok(json!(false)));
        assert_eq!(Scalar::Json.parse(r#"{"a": [1]}"#), Ok(json!({"a": [1]})));
        assert!(Scalar::Json
            .parse("{")
            .unwrap_err()
            .starts_with("Not valid JSON: "));
    }

    #[test]
    fn values_show_in_their_editor() {
        let date = json!("2024-01-01T00:00:00.000Z");
        assert_eq!(Scalar::Date.format(&date), "2024-01-01T00:00:00");
        assert_eq!(Scalar::Date.parse(&Scalar::Date.format(&date)), Ok(date));
        assert_eq!(
            Scalar::Date.format(&json!("2024-01-01T00:00:00.5+01:00")),
            "2023-12-31T23:00:00.500"
        );
        assert_eq!(Scalar::Number.format(&json!(100)), "100");
        assert_eq!(Scalar::Text.format(&Value::Null), "");
        assert_eq!(Scalar::Json.format(&json!({"a": 1})), r#"{"a":1}"#);
        assert!(Scalar::Date.fits(&json!("2024-01-01")));
        assert!(!Scalar::Date.fits(&json!("yesterday")));
        assert_eq!(
            Scalar::for_value(FieldType::Date, &json!("yesterday")),
            Scalar::Text
        );
        assert_eq!(
            Scalar::for_value(FieldType::Number, &json!([1])),
            Scalar::Json
        );
    }

    #[test]
    fn editors_follow_type_choice_and_value() {
        let editor = |field: &str, text: &str| {
            let node = FilterNode::parse_lenient(&serde_json::from_str(text).unwrap());
            ValueEditor::for_row(
                &ConditionRow::from_node(&node).unwrap(),
                self::field(field).ty,
            )
        };
        use ValueEditor::*;
        assert_eq!(
            editor("name", r#"{"name": {"$nin": ["a", "b"]}}"#),
            List(Scalar::Text)
        );
        assert_eq!(editor("name", r#"{"name": {"$nin": [1, "b"]}}"#), Json);
        assert_eq!(
            editor(
                "metadata.system.size",
                r#"{"metadata.system.size": {"$in": [1, 2]}}"#
            ),
            List(Scalar::Number)
        );
        assert_eq!(
            editor(
                "createdAt",
                r#"{"createdAt": {"$gte": "2024-01-01T00:00:00.000Z"}}"#
            ),
            Single(Scalar::Date)
        );
        assert_eq!(
            editor("annotated", r#"{"annotated": true}"#),
            Single(Scalar::Boolean)
        );
        assert_eq!(
            editor("annotated", r#"{"annotated": "discarded"}"#),
            Single(Scalar::Text)
        );
        assert_eq!(
            editor("name", r#"{"name": {"a": 1}}"#),
            Single(Scalar::Json)
        );
        assert_eq!(
            editor("metadata.user", r#"{"metadata.user": {"$exists": true}}"#),
            None
        );
        assert_eq!(
            editor(
                "metadata.system.refs",
                r#"{"metadata.system.refs": {"$match": {"id": "T"}}}"#
            ),
            Elements
        );
        assert_eq!(
            editor(
                "metadata.system.refs",
                r#"{"metadata.system.refs": {"$match": 5}}"#
            ),
            Json
        );
        assert_eq!(
            editor(
                "metadata.system.size",
                r#"{"metadata.system.size": {"$gte": 1, "$lte": 9}}"#
            ),
            Range(Scalar::Number, Scalar::Number)
        );
        assert_eq!(
            editor(
                "metadata.system.annotationStatus",
                r#"{"metadata.system.annotationStatus": "approved"}"#
            ),
            Single(Scalar::Text)
        );
    }

    #[test]
    fn element_filters_print_back_exactly() {
        for operand in [
            json!({"id": {"$in": ["TASK"]}, "metadata": {"status": {"$exists": false}}}),
            json!({"id": "900399764efb45d6ad907210", "type": "task", "metadata": {"status": {"$exists": true}}}),
            json!({"metadata.status": "completed", "id": "T"}),
            json!({"metadata": {"status": {"$exists": true}, "note": "x"}}),
            json!({"$or": [{"id": "A"}, {"metadata": {"status": "done"}}]}),
            json!({"size": {"$gte": 1, "$lte": 5}}),
            json!({}),
        ] {
            let filter = element_filter(&operand).unwrap_or_else(|| panic!("{operand}"));
            assert_eq!(element_operand(&filter.node, filter.nested), operand);
        }
        let nested = element_filter(&json!({"metadata": {"status": "x"}})).unwrap();
        assert!(nested.nested);
        let dotted = element_filter(&json!({"metadata.status": "x"})).unwrap();
        assert!(!dotted.nested);
        // Mixed styles, and operands that are no filter, stay JSON.
        assert_eq!(
            element_filter(&json!({"metadata.status": "x", "metadata": {"note": 1}})),
            None
        );
        assert_eq!(element_filter(&json!(5)), None);
    }

    #[test]
    fn element_rows_built_by_hand_print_as_the_sdk_does() {
        let node = FilterNode::Group {
            op: GroupOp::And,
            merged: true,
            children: vec![
                FilterNode::condition("id", Operator::In, json!(["TASK"])),
                FilterNode::condition("metadata.status", Operator::Exists, json!(false)),
            ],
        };
        let operand = element_operand(&node, true);
        assert_eq!(
            serde_json::to_string(&operand).unwrap(),
            r#"{"id":{"$in":["TASK"]},"metadata":{"status":{"$exists":false}}}"#
        );
        assert_eq!(element_filter(&operand).unwrap().node, node);

        // Two bounds on one field share its operator object; a repeated operator cannot.
        let pair = |a, b| FilterNode::Group {
            op: GroupOp::And,
            merged: true,
            children: vec![
                FilterNode::condition("m.size", a, json!(1)),
                FilterNode::condition("m.size", b, json!(5)),
            ],
        };
        assert_eq!(
            element_operand(&pair(Operator::Gte, Operator::Lte), true),
            json!({"m": {"size": {"$gte": 1, "$lte": 5}}})
        );
        assert_eq!(
            element_operand(&pair(Operator::Gt, Operator::Gt), true),
            json!({"$and": [{"m": {"size": {"$gt": 1}}}, {"m": {"size": {"$gt": 5}}}]})
        );
        // A plain value and a nested filter on one key cannot share it either.
        let clash = FilterNode::Group {
            op: GroupOp::And,
            merged: true,
            children: vec![
                FilterNode::eq("m", json!("x")),
                FilterNode::eq("m.k", json!(1)),
            ],
        };
        assert_eq!(
            element_operand(&clash, true),
            json!({"$and": [{"m": "x"}, {"m": {"k": 1}}]})
        );
    }

    #[test]
    fn syntax_errors_point_at_line_and_column() {
        let err = parse_query_text("{\n  \"filter\": {\"a\": 1,}\n}").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(21)));
        assert!(err.path.is_empty());
        assert!(
            err.to_string()
                .starts_with("Line 2, column 21: Trailing comma"),
            "{err}"
        );
        let err = parse_query_text("").unwrap_err();
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn dql_errors_point_at_their_path_in_the_text() {
        let text = "{\n  \"filter\": {},\n  \"sort\": {\"createdAt\": \"up\"}\n}";
        let err = parse_query_text(text).unwrap_err();
        assert_eq!(err.path, "sort.createdAt");
        assert_eq!((err.line, err.column), (Some(3), Some(12)));
        assert_eq!(
            err.to_string(),
            r#"Line 3, column 12: sort.createdAt: Expected "ascending" or "descending""#
        );

        let err = parse_query_text("[1]").unwrap_err();
        assert_eq!(
            (err.line, err.column, err.path.as_str()),
            (Some(1), Some(1), "")
        );

        let err = parse_query_text(r#"{"join": {"on": 5}}"#).unwrap_err();
        assert_eq!((err.path.as_str(), err.column), ("join.on", Some(11)));

        assert_eq!(
            locate_path(r#"{"a": [{"b": 1}, {"c\"d": 2}]}"#, "a[1].c\"d"),
            Some((1, 19))
        );
        assert_eq!(locate_path(r#"{"a": [1, 2]}"#, "a[1]"), Some((1, 11)));
        assert_eq!(locate_path(r#"{"a": 1}"#, "b"), None);
    }

    #[test]
    fn lenient_text_keeps_unknown_clauses() {
        let query = parse_query_text(r#"{"filter": {"$and": [{"a": {"$near": 1}}]}}"#).unwrap();
        assert_eq!(
            query.filter,
            FilterNode::and(vec![FilterNode::Raw(json!({"a": {"$near": 1}}))])
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn operand() -> impl Strategy<Value = Value> {
            prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                (-1000i64..1000).prop_map(Value::from),
                "[a-z*/.]{0,6}".prop_map(Value::from),
                proptest::collection::vec("[a-z]{1,3}".prop_map(Value::from), 0..3)
                    .prop_map(Value::Array),
            ]
        }

        fn condition(fields: &'static [&'static str]) -> impl Strategy<Value = FilterNode> {
            (
                proptest::sample::select(fields),
                proptest::sample::select(Operator::ALL.to_vec()),
                operand(),
            )
                .prop_map(|(field, op, value)| FilterNode::condition(field, op, value))
        }

        fn choice() -> impl Strategy<Value = Choice> {
            proptest::sample::select(Choice::ALL.to_vec())
        }

        fn field_type() -> impl Strategy<Value = FieldType> {
            proptest::sample::select(vec![
                FieldType::Text,
                FieldType::Number,
                FieldType::Date,
                FieldType::Boolean,
                FieldType::List,
                FieldType::Elements,
                FieldType::Object,
            ])
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(500))]

            /// Every condition shows as a row that prints back to it.
            #[test]
            fn conditions_round_trip_through_rows(node in condition(&["a", "b.c", "dir"])) {
                let row = ConditionRow::from_node(&node).unwrap();
                prop_assert_eq!(row.to_node(), node);
            }

            /// Whatever choice a row is switched to, it still prints as one node that reads
            /// back as a row of that choice (the operand may be empty, never malformed).
            #[test]
            fn switched_rows_stay_rows(node in condition(&["a"]), next in choice(), ty in field_type()) {
                let row = ConditionRow::from_node(&node).unwrap().with_choice(next, ty);
                let printed = row.to_node();
                let back = ConditionRow::from_node(&printed).unwrap();
                prop_assert_eq!(back.to_node(), printed);
                if next.takes_list() {
                    prop_assert!(row.value.is_array());
                }
            }

            /// An element filter built from dotted conditions prints, nested, as an operand
            /// that reads back to the same operand.
            #[test]
            fn element_filters_print_readable_operands(
                clauses in proptest::collection::vec(
                    condition(&["id", "type", "metadata.status", "metadata.note"]), 0..4),
            ) {
                let node = FilterNode::Group { op: GroupOp::And, merged: true, children: clauses };
                let operand = element_operand(&node, true);
                let filter = element_filter(&operand);
                prop_assert!(filter.is_some(), "{}", operand);
                let filter = filter.unwrap();
                prop_assert_eq!(element_operand(&filter.node, filter.nested), operand);
            }
        }
    }
}
