//! Every rule a task draft must satisfy, shared by the form (live, through a `Memo`) and
//! the server (on `POST /annotationtasks`), so the two can never disagree.
//!
//! [`validate`] returns *all* problems at once, each a [`FieldError`] whose `field` is one of
//! the form's fields (`name`, `dueDate`, `assignees`, `workload`, `parentTask`, `batchSize`,
//! `maxBatchWorkload`, `statuses`, `query`, `projectId`, `datasetId`, `recipeId`) and whose
//! `code` is one of [`codes`]. [`validate_query`] and [`query_issues`] check the conditions
//! of a DQL query for the filter builder, with paths, including the size limits
//! ([`MAX_DQL_STRING_CHARS`], [`MAX_DQL_FIELD_CHARS`], [`MAX_DQL_LIST_VALUES`],
//! [`MAX_DQL_CONDITIONS`]); [`validate_query_limits`] checks those limits alone, for the
//! server's query endpoints.

use serde_json::Value;
use std::collections::{HashMap, HashSet};

use crate::dql::eval::compare_values;
use crate::dql::filter::match_filter_lenient;
use crate::dql::{match_filter, FilterNode, GroupOp, Operator, Query};
use crate::draft::{Allocation, TaskDraft, TaskType, WorkloadMode};
use crate::entities::{Member, Task};
use crate::error::{shorten, FieldError, MAX_QUOTED_CHARS};

/// The stable error codes, `<field>.<problem>`.
pub mod codes {
    /// The name is empty (after trimming).
    pub const NAME_REQUIRED: &str = "name.required";
    /// The name is longer than [`super::NAME_MAX_CHARS`] characters (after trimming).
    pub const NAME_TOO_LONG: &str = "name.too_long";
    /// The name contains control characters (tabs, line breaks …).
    pub const NAME_CONTROL_CHARS: &str = "name.control_chars";
    /// No (finite) due date.
    pub const DUE_DATE_REQUIRED: &str = "dueDate.required";
    /// The due date is not after `ValidationContext::now_ms`.
    pub const DUE_DATE_PAST: &str = "dueDate.past";
    /// No assignee.
    pub const ASSIGNEES_REQUIRED: &str = "assignees.required";
    /// An assignee entry is blank.
    pub const ASSIGNEE_BLANK: &str = "assignees.blank";
    /// The same e-mail appears twice (compared case-insensitively).
    pub const ASSIGNEE_DUPLICATE: &str = "assignees.duplicate";
    /// An assignee is not a member of the project.
    pub const ASSIGNEE_NOT_MEMBER: &str = "assignees.not_member";
    /// An assignee's role may not annotate (or the member has no role).
    pub const ASSIGNEE_ROLE: &str = "assignees.role";
    /// Custom loads and assignees differ in number.
    pub const WORKLOAD_LENGTH: &str = "workload.length";
    /// A custom load is outside 0–100.
    pub const WORKLOAD_RANGE: &str = "workload.range";
    /// Custom loads do not add up to 100 (± [`super::LOAD_TOLERANCE`]).
    pub const WORKLOAD_SUM: &str = "workload.sum";
    /// A QA task without a parent task.
    pub const PARENT_TASK_REQUIRED: &str = "parentTask.required";
    /// The parent task is not among `ValidationContext::tasks`.
    pub const PARENT_TASK_NOT_FOUND: &str = "parentTask.not_found";
    /// The parent task is itself a QA task.
    pub const PARENT_TASK_NOT_ANNOTATION: &str = "parentTask.not_annotation";
    /// The pulling batch size is outside 3–100.
    pub const BATCH_SIZE_RANGE: &str = "batchSize.range";
    /// The payload's `metadata.system.batchSize` is not a whole number.
    pub const BATCH_SIZE_INVALID: &str = "batchSize.invalid";
    /// The max batch workload is outside `batchSize + 2` to `2 × batchSize`.
    pub const MAX_BATCH_WORKLOAD_RANGE: &str = "maxBatchWorkload.range";
    /// The payload's `metadata.system.maxBatchWorkload` is not a whole number.
    pub const MAX_BATCH_WORKLOAD_INVALID: &str = "maxBatchWorkload.invalid";
    /// A custom status has no name.
    pub const STATUS_BLANK: &str = "statuses.blank";
    /// Two custom statuses share a name (compared case-insensitively).
    pub const STATUS_DUPLICATE: &str = "statuses.duplicate";
    /// No project id.
    pub const PROJECT_REQUIRED: &str = "projectId.required";
    /// No dataset id.
    pub const DATASET_REQUIRED: &str = "datasetId.required";
    /// No recipe id.
    pub const RECIPE_REQUIRED: &str = "recipeId.required";
    /// The payload has no `query`.
    pub const QUERY_REQUIRED: &str = "query.required";
    /// The payload's `query` is not valid DQL.
    pub const QUERY_INVALID: &str = "query.invalid";
    /// The items query queries another resource.
    pub const QUERY_RESOURCE: &str = "query.resource";
    /// A condition has no field.
    pub const QUERY_FIELD_REQUIRED: &str = "query.field_required";
    /// A condition's field starts with `$`.
    pub const QUERY_FIELD_INVALID: &str = "query.field_invalid";
    /// A condition has no value (`null`, or an empty `$in`/`$nin` list or range bound).
    pub const QUERY_VALUE_REQUIRED: &str = "query.value_required";
    /// A condition's value has the wrong type for its operator.
    pub const QUERY_VALUE_TYPE: &str = "query.value_type";
    /// Range bounds on one field exclude every value (e.g. `$gte 5` with `$lt 3`).
    pub const QUERY_RANGE_EMPTY: &str = "query.range_empty";
    /// An OR group without conditions, which matches nothing.
    pub const QUERY_GROUP_EMPTY: &str = "query.group_empty";
    /// A clause the filter tree cannot model (kept verbatim; the server rejects it).
    pub const QUERY_UNSUPPORTED: &str = "query.unsupported";
    /// A string in a condition's value (in a `$in` list, a `$match` object …) is longer than
    /// [`super::MAX_DQL_STRING_CHARS`] characters.
    pub const QUERY_VALUE_TOO_LONG: &str = "query.value_too_long";
    /// A condition's field name (a dot path, also inside `$match`) is longer than
    /// [`super::MAX_DQL_FIELD_CHARS`] characters.
    pub const QUERY_FIELD_TOO_LONG: &str = "query.field_too_long";
    /// A `$in` or `$nin` list has more than [`super::MAX_DQL_LIST_VALUES`] values.
    pub const QUERY_LIST_TOO_LONG: &str = "query.list_too_long";
    /// The query has more than [`super::MAX_DQL_CONDITIONS`] conditions and groups.
    pub const QUERY_TOO_MANY_CONDITIONS: &str = "query.too_many_conditions";
    /// The payload's `spec.type` is neither `annotation` nor `qa`.
    pub const TASK_TYPE_INVALID: &str = "taskType.invalid";
    /// The payload's `priority` is not 1, 2 or 3.
    pub const PRIORITY_INVALID: &str = "priority.invalid";
}

/// The longest task name, in characters (after trimming).
pub const NAME_MAX_CHARS: usize = 256;
/// The smallest pulling batch.
pub const BATCH_SIZE_MIN: u32 = 3;
/// The largest pulling batch.
pub const BATCH_SIZE_MAX: u32 = 100;
/// How far custom loads may sum from 100 (float noise such as 33.3 + 33.3 + 33.4).
pub const LOAD_TOLERANCE: f64 = 1e-6;

// The size limits of a DQL query. The server evaluates a query against every item of a
// dataset (100,000s of them), so a query's size multiplies into CPU time: without limits one
// request with a 2 MB glob or a million conditions pins a core for minutes. Each limit is far
// above what a person or the SDK writes.

/// The longest string in a condition's value, in characters (in a `$in` list and inside a
/// `$match` object too; object keys inside a value count as strings).
pub const MAX_DQL_STRING_CHARS: usize = 4096;
/// The longest field name (dot path) of a condition, in characters.
pub const MAX_DQL_FIELD_CHARS: usize = 256;
/// The most values of one `$in` or `$nin` list.
pub const MAX_DQL_LIST_VALUES: usize = 10_000;
/// The most nodes of a query's filter trees (`filter` and `join.filter` together, with the
/// conditions inside `$match` objects): every condition and every group counts as one, since
/// each is evaluated for every item. 1,000 keeps the worst query over 100,000 items near
/// 3 s of CPU (10,000 cost 27 s); longer enumerations belong in one `$in` list.
pub const MAX_DQL_CONDITIONS: usize = 1_000;

/// What validation needs to know beyond the draft.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValidationContext<'a> {
    /// The current time in epoch milliseconds; the due date must be later.
    pub now_ms: f64,
    /// The project's members; `None` skips the membership and role checks.
    pub members: Option<&'a [Member]>,
    /// The tasks a QA parent may be one of; `None` skips the parent lookup.
    pub tasks: Option<&'a [Task]>,
}

impl<'a> ValidationContext<'a> {
    /// A context at `now_ms` without members or tasks to check against.
    pub fn new(now_ms: f64) -> Self {
        ValidationContext {
            now_ms,
            members: None,
            tasks: None,
        }
    }

    /// The same context checking assignees against `members`.
    pub fn with_members(self, members: &'a [Member]) -> Self {
        ValidationContext {
            members: Some(members),
            ..self
        }
    }

    /// The same context looking QA parents up in `tasks`.
    pub fn with_tasks(self, tasks: &'a [Task]) -> Self {
        ValidationContext {
            tasks: Some(tasks),
            ..self
        }
    }
}

/// Every problem with `draft`, in form order (empty when it may be created).
pub fn validate(draft: &TaskDraft, ctx: &ValidationContext<'_>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    check_name(draft.trimmed_name(), &mut errors);
    check_due_date(draft.due_date_ms, ctx.now_ms, &mut errors);
    check_assignees(&draft.assignees, ctx.members, &mut errors);
    if let WorkloadMode::Custom(loads) = &draft.workload {
        check_loads(loads, &draft.assignees, &mut errors);
    }
    if draft.task_type == TaskType::Qa {
        check_parent(draft.parent_task_id.as_deref(), ctx.tasks, &mut errors);
    }
    if let Allocation::Pulling {
        batch_size,
        max_batch_workload,
    } = draft.allocation
    {
        check_pulling(batch_size, max_batch_workload, &mut errors);
    }
    check_statuses(draft, &mut errors);
    if draft.query.resource != "items" {
        errors.push(FieldError::new(
            "query",
            codes::QUERY_RESOURCE,
            format!(
                "A task's query must select items, not {}.",
                shorten(&draft.query.resource, MAX_QUOTED_CHARS)
            ),
        ));
    }
    errors.extend(
        validate_query(&draft.query)
            .into_iter()
            .map(|e| FieldError {
                message: format!("{}: {}", e.field, e.message),
                field: "query".to_owned(),
                code: e.code,
            }),
    );
    for (field, code, value, what) in [
        (
            "projectId",
            codes::PROJECT_REQUIRED,
            &draft.project_id,
            "project",
        ),
        (
            "datasetId",
            codes::DATASET_REQUIRED,
            &draft.dataset_id,
            "dataset",
        ),
        (
            "recipeId",
            codes::RECIPE_REQUIRED,
            &draft.recipe_id,
            "recipe",
        ),
    ] {
        if value.trim().is_empty() {
            errors.push(FieldError::new(
                field,
                code,
                format!("The task needs a {what}."),
            ));
        }
    }
    errors
}

fn check_name(name: &str, errors: &mut Vec<FieldError>) {
    if name.is_empty() {
        errors.push(FieldError::new(
            "name",
            codes::NAME_REQUIRED,
            "Enter a task name.",
        ));
        return;
    }
    let length = name.chars().count();
    if length > NAME_MAX_CHARS {
        errors.push(FieldError::new(
            "name",
            codes::NAME_TOO_LONG,
            format!("The name has {length} characters; the limit is {NAME_MAX_CHARS}."),
        ));
    }
    if name.chars().any(char::is_control) {
        errors.push(FieldError::new(
            "name",
            codes::NAME_CONTROL_CHARS,
            "The name cannot contain tabs, line breaks or other control characters.",
        ));
    }
}

fn check_due_date(due: Option<f64>, now_ms: f64, errors: &mut Vec<FieldError>) {
    match due {
        Some(due) if due.is_finite() => {
            if due <= now_ms {
                errors.push(FieldError::new(
                    "dueDate",
                    codes::DUE_DATE_PAST,
                    "The due date must be in the future.",
                ));
            }
        }
        _ => errors.push(FieldError::new(
            "dueDate",
            codes::DUE_DATE_REQUIRED,
            "Pick a due date.",
        )),
    }
}

fn check_assignees(assignees: &[String], members: Option<&[Member]>, errors: &mut Vec<FieldError>) {
    let field = "assignees";
    if assignees.is_empty() {
        errors.push(FieldError::new(
            field,
            codes::ASSIGNEES_REQUIRED,
            "Add at least one assignee.",
        ));
        return;
    }
    // Lookups by lowercased e-mail keep this linear: "select all" over 10,000 members must
    // not make every keystroke in the form quadratic.
    let by_email: Option<HashMap<String, &Member>> = members.map(|ms| {
        ms.iter()
            .map(|m| (m.email.trim().to_ascii_lowercase(), m))
            .collect()
    });
    let mut seen = HashSet::with_capacity(assignees.len());
    for (i, assignee) in assignees.iter().enumerate() {
        let email = assignee.trim();
        let shown = shorten(email, MAX_QUOTED_CHARS);
        if email.is_empty() {
            errors.push(FieldError::new(
                field,
                codes::ASSIGNEE_BLANK,
                format!("Assignee {} has no e-mail.", i + 1),
            ));
            continue;
        }
        let key = email.to_ascii_lowercase();
        if !seen.insert(key.clone()) {
            errors.push(FieldError::new(
                field,
                codes::ASSIGNEE_DUPLICATE,
                format!("{shown} is assigned twice."),
            ));
            continue;
        }
        let Some(by_email) = &by_email else { continue };
        match by_email.get(&key) {
            None => errors.push(FieldError::new(
                field,
                codes::ASSIGNEE_NOT_MEMBER,
                format!("{shown} is not a member of this project."),
            )),
            Some(member) if !member.may_annotate() => {
                let role = member.role.as_ref().map_or("no role", |role| role.as_str());
                errors.push(FieldError::new(
                    field,
                    codes::ASSIGNEE_ROLE,
                    format!("{shown} ({role}) may not annotate."),
                ));
            }
            Some(_) => {}
        }
    }
}

fn check_loads(loads: &[f64], assignees: &[String], errors: &mut Vec<FieldError>) {
    let field = "workload";
    if loads.len() != assignees.len() {
        errors.push(FieldError::new(
            field,
            codes::WORKLOAD_LENGTH,
            format!(
                "There are {} loads for {} assignees.",
                loads.len(),
                assignees.len()
            ),
        ));
    }
    for (i, load) in loads.iter().enumerate() {
        if !(load.is_finite() && (0.0..=100.0).contains(load)) {
            let who = assignees.get(i).map_or_else(
                || format!("load {}", i + 1),
                |a| shorten(a.trim(), MAX_QUOTED_CHARS).into_owned(),
            );
            errors.push(FieldError::new(
                field,
                codes::WORKLOAD_RANGE,
                format!("The load of {who} must be between 0 and 100%."),
            ));
        }
    }
    let sum: f64 = loads.iter().sum();
    if !loads.is_empty() && sum.is_finite() && (sum - 100.0).abs() > LOAD_TOLERANCE {
        // Round for display: 99.99999999 would otherwise read as a bug.
        let shown = (sum * 1000.0).round() / 1000.0;
        errors.push(FieldError::new(
            field,
            codes::WORKLOAD_SUM,
            format!("The loads add up to {shown}%, not 100%."),
        ));
    }
}

fn check_parent(parent: Option<&str>, tasks: Option<&[Task]>, errors: &mut Vec<FieldError>) {
    let field = "parentTask";
    let Some(parent) = parent.filter(|p| !p.trim().is_empty()) else {
        errors.push(FieldError::new(
            field,
            codes::PARENT_TASK_REQUIRED,
            "Pick the annotation task to review.",
        ));
        return;
    };
    let Some(tasks) = tasks else { return };
    match tasks.iter().find(|task| task.id == parent) {
        None => errors.push(FieldError::new(
            field,
            codes::PARENT_TASK_NOT_FOUND,
            format!("Task {} does not exist.", shorten(parent, MAX_QUOTED_CHARS)),
        )),
        Some(task) if task.is_qa() => errors.push(FieldError::new(
            field,
            codes::PARENT_TASK_NOT_ANNOTATION,
            format!(
                "\"{}\" is a QA task; a QA task reviews an annotation task.",
                shorten(&task.name, MAX_QUOTED_CHARS)
            ),
        )),
        Some(_) => {}
    }
}

fn check_pulling(batch: u32, max: u32, errors: &mut Vec<FieldError>) {
    if !(BATCH_SIZE_MIN..=BATCH_SIZE_MAX).contains(&batch) {
        errors.push(FieldError::new(
            "batchSize",
            codes::BATCH_SIZE_RANGE,
            format!("The batch size must be between {BATCH_SIZE_MIN} and {BATCH_SIZE_MAX}."),
        ));
        // The max-workload bounds derive from the batch size; checking them against an
        // invalid one would only repeat this error.
        return;
    }
    let (low, high) = (batch + 2, batch * 2);
    if !(low..=high).contains(&max) {
        errors.push(FieldError::new(
            "maxBatchWorkload",
            codes::MAX_BATCH_WORKLOAD_RANGE,
            format!("With batches of {batch}, the max workload must be between {low} and {high}."),
        ));
    }
}

fn check_statuses(draft: &TaskDraft, errors: &mut Vec<FieldError>) {
    for (i, status) in draft.statuses.iter().enumerate() {
        let name = status.action.trim();
        if name.is_empty() {
            errors.push(FieldError::new(
                "statuses",
                codes::STATUS_BLANK,
                format!("Status {} needs a name.", i + 1),
            ));
            continue;
        }
        let seen_before = draft.statuses[..i]
            .iter()
            .any(|earlier| earlier.action.trim().to_lowercase() == name.to_lowercase());
        if seen_before {
            errors.push(FieldError::new(
                "statuses",
                codes::STATUS_DUPLICATE,
                format!(
                    "The status \"{}\" appears twice.",
                    shorten(name, MAX_QUOTED_CHARS)
                ),
            ));
        }
    }
}

/// A problem with one node of a query's filter tree, located both ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryIssue {
    /// Whether the node is in `join.filter` rather than `filter`.
    pub in_join: bool,
    /// Child indices from the root of that filter to the node (`[]` is the root itself), for
    /// the filter builder to put the message next to the node.
    pub node: Vec<usize>,
    /// The problem; `field` is the node's JSON path, e.g. `filter.$and[2].createdAt`.
    pub error: FieldError,
}

/// The condition-level problems of `query` (its filter, then its join's filter), each with
/// the JSON path of the offending node in `field`: the filter builder's rules and the size
/// limits ([`MAX_DQL_STRING_CHARS`] and the others).
pub fn validate_query(query: &Query) -> Vec<FieldError> {
    query_issues(query)
        .into_iter()
        .map(|issue| issue.error)
        .collect()
}

/// Like [`validate_query`], also locating each problem in the tree.
///
/// A query over [`MAX_DQL_CONDITIONS`] gets that one problem only: listing the problems of
/// each of its conditions would be as large as the query itself.
pub fn query_issues(query: &Query) -> Vec<QueryIssue> {
    issues(query, false)
}

/// Only the size limits of `query` ([`MAX_DQL_STRING_CHARS`], [`MAX_DQL_FIELD_CHARS`],
/// [`MAX_DQL_LIST_VALUES`], [`MAX_DQL_CONDITIONS`]), each with the JSON path of the offending
/// node in `field`. The server applies these to every query it evaluates: unlike the filter
/// builder's rules (a value for every condition, no empty `$or` …), which describe a sensible
/// form and not valid DQL, a query that breaks a limit is refused whatever sends it.
pub fn validate_query_limits(query: &Query) -> Vec<FieldError> {
    issues(query, true)
        .into_iter()
        .map(|issue| issue.error)
        .collect()
}

fn issues(query: &Query, limits_only: bool) -> Vec<QueryIssue> {
    let nodes =
        count_nodes(&query.filter) + query.join.as_ref().map_or(0, |j| count_nodes(&j.filter));
    if nodes > MAX_DQL_CONDITIONS {
        return vec![QueryIssue {
            in_join: false,
            node: Vec::new(),
            error: FieldError::new(
                "filter",
                codes::QUERY_TOO_MANY_CONDITIONS,
                format!(
                    "The query has {nodes} conditions and groups; the limit is {MAX_DQL_CONDITIONS}."
                ),
            ),
        }];
    }
    let mut walker = Walker {
        limits_only,
        in_join: false,
        node: Vec::new(),
        issues: Vec::new(),
    };
    walker.visit(&query.filter, "filter");
    if let Some(join) = &query.join {
        walker.in_join = true;
        walker.visit(&join.filter, "join.filter");
    }
    walker.issues
}

/// The nodes of a filter tree, with those of the element filters of `$match` conditions.
fn count_nodes(node: &FilterNode) -> usize {
    match node {
        FilterNode::Group { children, .. } => 1 + children.iter().map(count_nodes).sum::<usize>(),
        FilterNode::Condition {
            operator: Operator::Match,
            value,
            ..
        } => 1 + count_nodes(&match_filter_lenient(value)),
        FilterNode::Condition { .. } | FilterNode::Raw(_) => 1,
    }
}

/// Walks a filter tree, tracking both kinds of path.
struct Walker {
    /// Check the size limits only, not the filter builder's rules.
    limits_only: bool,
    in_join: bool,
    /// The tree path of the node being visited.
    node: Vec<usize>,
    issues: Vec<QueryIssue>,
}

impl Walker {
    fn report(&mut self, node: Vec<usize>, path: String, code: &str, message: String) {
        self.issues.push(QueryIssue {
            in_join: self.in_join,
            node,
            error: FieldError::new(path, code, message),
        });
    }

    fn visit(&mut self, filter: &FilterNode, path: &str) {
        match filter {
            FilterNode::Condition {
                field,
                operator,
                value,
            } => {
                // A field over the limit is quoted only in part, as in every message.
                let path = format!("{path}.{}", shorten(field, MAX_QUOTED_CHARS));
                self.check_condition(field, *operator, value, &path);
            }
            FilterNode::Raw(_) if self.limits_only => {}
            FilterNode::Raw(raw) => self.report(
                self.node.clone(),
                path.to_owned(),
                codes::QUERY_UNSUPPORTED,
                format!(
                    "This clause cannot be edited or run here: {}",
                    shorten(&raw.to_string(), MAX_QUOTED_CHARS)
                ),
            ),
            FilterNode::Group { op, children, .. } => {
                if children.is_empty() && *op == GroupOp::Or && !self.limits_only {
                    self.report(
                        self.node.clone(),
                        format!("{path}.$or"),
                        codes::QUERY_GROUP_EMPTY,
                        "An OR group without conditions matches nothing.".to_owned(),
                    );
                }
                let shared_object = filter.prints_merged();
                let child_path = |i: usize| {
                    if shared_object {
                        path.to_owned()
                    } else {
                        format!("{path}.{}[{i}]", op.key())
                    }
                };
                if *op == GroupOp::And && !self.limits_only {
                    self.check_ranges(children, &child_path);
                }
                for (i, child) in children.iter().enumerate() {
                    self.node.push(i);
                    self.visit(child, &child_path(i));
                    self.node.pop();
                }
            }
        }
    }

    fn check_condition(&mut self, field: &str, operator: Operator, value: &Value, path: &str) {
        let limits_only = self.limits_only;
        let mut report = |code: &str, message: &str| {
            self.report(self.node.clone(), path.to_owned(), code, message.to_owned());
        };
        for (code, message) in limit_problems(field, operator, value) {
            report(code, &message);
        }
        if limits_only {
            return;
        }
        if field.trim().is_empty() {
            report(codes::QUERY_FIELD_REQUIRED, "Pick a field.");
        } else if field.starts_with('$') {
            report(
                codes::QUERY_FIELD_INVALID,
                "A field name cannot start with $.",
            );
        }
        if value.is_null() {
            report(codes::QUERY_VALUE_REQUIRED, "Enter a value.");
            return;
        }
        match operator {
            _ if operator.is_range() => match value {
                Value::Number(_) => {}
                Value::String(text) if text.is_empty() => {
                    report(codes::QUERY_VALUE_REQUIRED, "Enter a value.");
                }
                Value::String(_) => {}
                _ => report(
                    codes::QUERY_VALUE_TYPE,
                    "Compare with a number, a date or a text.",
                ),
            },
            Operator::In | Operator::Nin => match value {
                Value::Array(list) if list.is_empty() => {
                    report(codes::QUERY_VALUE_REQUIRED, "Add at least one value.");
                }
                Value::Array(_) => {}
                _ => report(
                    codes::QUERY_VALUE_TYPE,
                    "This operator needs a list of values.",
                ),
            },
            Operator::Exists if !value.is_boolean() => {
                report(
                    codes::QUERY_VALUE_TYPE,
                    "Choose whether the field exists (true or false).",
                );
            }
            Operator::Match if !value.is_object() => {
                report(
                    codes::QUERY_VALUE_TYPE,
                    "This operator needs an object of conditions.",
                );
            }
            Operator::Match => {
                if let Err(e) = match_filter(value) {
                    report(
                        codes::QUERY_UNSUPPORTED,
                        &format!(
                            "The element filter is not valid: {}",
                            shorten(&e.to_string(), MAX_QUOTED_CHARS)
                        ),
                    );
                }
            }
            _ => {}
        }
    }

    /// Range bounds on one field among the direct conditions of an AND group that leave no
    /// value, e.g. `{"size": {"$gte": 10, "$lt": 5}}` or `$gt 5` with `$lte 5`.
    fn check_ranges(&mut self, children: &[FilterNode], child_path: &dyn Fn(usize) -> String) {
        let bounds: Vec<(usize, &str, Operator, &Value)> = children
            .iter()
            .enumerate()
            .filter_map(|(i, child)| match child {
                FilterNode::Condition {
                    field,
                    operator,
                    value,
                } if operator.is_range() => Some((i, field.as_str(), *operator, value)),
                _ => None,
            })
            .collect();
        let mut reported: Vec<&str> = Vec::new();
        for &(i, field, upper_op, upper) in &bounds {
            if !matches!(upper_op, Operator::Lt | Operator::Lte) || reported.contains(&field) {
                continue;
            }
            let empty = bounds.iter().any(|&(_, other, lower_op, lower)| {
                other == field
                    && matches!(lower_op, Operator::Gt | Operator::Gte)
                    && compare_values(lower, upper).is_some_and(|ord| {
                        ord.is_gt()
                            || (ord.is_eq()
                                && (lower_op == Operator::Gt || upper_op == Operator::Lt))
                    })
            });
            if empty {
                reported.push(field);
                let mut node = self.node.clone();
                node.push(i);
                self.report(
                    node,
                    format!("{}.{field}", child_path(i)),
                    codes::QUERY_RANGE_EMPTY,
                    "The lower bound is above the upper bound, so nothing can match.".to_owned(),
                );
            }
        }
    }
}

/// The size limits a condition breaks, each as `(code, message)`, at most one per code: the
/// field name's length, the `$in`/`$nin` list's length and the longest string anywhere in the
/// value; and the field names and lists of the conditions inside a `$match` object.
fn limit_problems(field: &str, operator: Operator, value: &Value) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    shape_problems(field, operator, value, "", &mut problems);
    // One walk over the whole value covers the strings inside `$match` objects too.
    if let Some(chars) = first_string_over(value, MAX_DQL_STRING_CHARS) {
        problems.push((
            codes::QUERY_VALUE_TOO_LONG,
            format!("A value has {chars} characters; the limit is {MAX_DQL_STRING_CHARS}."),
        ));
    }
    problems
}

/// The field name and list limits of a condition and of the conditions inside its `$match`
/// object (recursively), added to `problems` unless their code is there already; `context`
/// starts each message.
fn shape_problems(
    field: &str,
    operator: Operator,
    value: &Value,
    context: &str,
    problems: &mut Vec<(&'static str, String)>,
) {
    let mut add = |code: &'static str, message: String| {
        if !problems.iter().any(|(c, _)| *c == code) {
            problems.push((code, format!("{context}{message}")));
        }
    };
    if let Some(chars) = char_count_over(field, MAX_DQL_FIELD_CHARS) {
        add(
            codes::QUERY_FIELD_TOO_LONG,
            format!("The field name has {chars} characters; the limit is {MAX_DQL_FIELD_CHARS}."),
        );
    }
    if let (Operator::In | Operator::Nin, Value::Array(list)) = (operator, value) {
        if list.len() > MAX_DQL_LIST_VALUES {
            add(
                codes::QUERY_LIST_TOO_LONG,
                format!(
                    "The list has {} values; the limit is {MAX_DQL_LIST_VALUES}.",
                    list.len()
                ),
            );
        }
    }
    if operator == Operator::Match {
        let element_filter = match_filter_lenient(value);
        let mut nested = Vec::new();
        conditions_of(&element_filter, &mut nested);
        for (field, operator, value) in nested {
            shape_problems(field, operator, value, "In the element filter: ", problems);
        }
    }
}

/// The conditions of a filter tree, in order.
fn conditions_of<'a>(node: &'a FilterNode, out: &mut Vec<(&'a str, Operator, &'a Value)>) {
    match node {
        FilterNode::Group { children, .. } => {
            for child in children {
                conditions_of(child, out);
            }
        }
        FilterNode::Condition {
            field,
            operator,
            value,
        } => out.push((field, *operator, value)),
        FilterNode::Raw(_) => {}
    }
}

/// The number of characters of `text` if it is over `limit`.
fn char_count_over(text: &str, limit: usize) -> Option<usize> {
    // A string of at most `limit` bytes has at most `limit` characters; only longer ones are
    // counted.
    if text.len() <= limit {
        return None;
    }
    Some(text.chars().count()).filter(|&chars| chars > limit)
}

/// The length in characters of the first string in `value` (object keys included) that is
/// over `limit`, if any.
fn first_string_over(value: &Value, limit: usize) -> Option<usize> {
    match value {
        Value::String(text) => char_count_over(text, limit),
        Value::Array(items) => items.iter().find_map(|item| first_string_over(item, limit)),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            char_count_over(key, limit).or_else(|| first_string_over(item, limit))
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
