//! Validation tests: one per rule, all-at-once reporting, and query issues with paths.

use serde_json::json;

use super::*;
use crate::dql::{FilterNode, Join, JoinOn, Operator, Query};
use crate::draft::{ItemAction, TaskDraft};
use crate::entities::{Role, User};

const NOW: f64 = 1_700_000_000_000.0;

fn valid_draft() -> TaskDraft {
    let mut draft = TaskDraft::new("p", "d", "r");
    draft.name = "Cats".into();
    draft.due_date_ms = Some(NOW + 86_400_000.0);
    draft.assignees = vec!["a@x.io".into(), "b@x.io".into()];
    draft
}

fn member(email: &str, role: Option<Role>) -> User {
    User {
        email: email.into(),
        role,
        ..User::default()
    }
}

fn codes_of(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.code.as_str()).collect()
}

fn check(draft: &TaskDraft) -> Vec<String> {
    validate(draft, &ValidationContext::new(NOW))
        .into_iter()
        .map(|e| e.code)
        .collect()
}

#[test]
fn a_complete_draft_is_valid() {
    assert_eq!(check(&valid_draft()), Vec::<String>::new());
}

#[test]
fn names() {
    let mut draft = valid_draft();
    for (name, expected) in [
        ("", vec!["name.required"]),
        ("  \t ", vec!["name.required"]),
        ("  Cats  ", vec![]),
        ("a\tb", vec!["name.control_chars"]),
        ("line\nbreak", vec!["name.control_chars"]),
    ] {
        draft.name = name.into();
        assert_eq!(check(&draft), expected, "{name:?}");
    }
    draft.name = "é".repeat(NAME_MAX_CHARS);
    assert_eq!(check(&draft), Vec::<String>::new());
    draft.name = format!(" {} ", "é".repeat(NAME_MAX_CHARS + 1));
    assert_eq!(check(&draft), ["name.too_long"]);
    draft.name = format!("{}\u{7}", "x".repeat(NAME_MAX_CHARS + 1));
    assert_eq!(check(&draft), ["name.too_long", "name.control_chars"]);
}

#[test]
fn due_dates() {
    let mut draft = valid_draft();
    draft.due_date_ms = None;
    assert_eq!(check(&draft), ["dueDate.required"]);
    draft.due_date_ms = Some(f64::NAN);
    assert_eq!(check(&draft), ["dueDate.required"]);
    draft.due_date_ms = Some(NOW);
    assert_eq!(check(&draft), ["dueDate.past"]);
    draft.due_date_ms = Some(NOW + 1.0);
    assert!(check(&draft).is_empty());
}

#[test]
fn assignees_without_members() {
    let mut draft = valid_draft();
    draft.assignees.clear();
    assert_eq!(check(&draft), ["assignees.required"]);
    draft.assignees = vec![
        "a@x.io".into(),
        " ".into(),
        "A@X.io ".into(),
        "c@x.io".into(),
    ];
    assert_eq!(check(&draft), ["assignees.blank", "assignees.duplicate"]);
}

#[test]
fn assignees_must_be_members_who_may_annotate() {
    let members = [
        member("a@x.io", Some(Role::Annotator)),
        member("B@x.io", Some(Role::AnnotationManager)),
        member("c@x.io", Some(Role::Other("viewer".into()))),
        member("d@x.io", None),
        member("e@x.io", Some(Role::Owner)),
        member("f@x.io", Some(Role::Engineer)),
    ];
    let ctx = ValidationContext::new(NOW).with_members(&members);
    let mut draft = valid_draft();
    draft.assignees = ["a@x.io", "b@x.io", "e@x.io", "f@x.io"]
        .map(String::from)
        .to_vec();
    assert!(validate(&draft, &ctx).is_empty());
    draft.assignees = ["c@x.io", "d@x.io", "z@x.io"].map(String::from).to_vec();
    let errors = validate(&draft, &ctx);
    assert_eq!(
        codes_of(&errors),
        ["assignees.role", "assignees.role", "assignees.not_member"]
    );
    assert_eq!(errors[0].message, "c@x.io (viewer) may not annotate.");
    assert_eq!(errors[1].message, "d@x.io (no role) may not annotate.");
    assert_eq!(errors[2].message, "z@x.io is not a member of this project.");
    assert!(errors.iter().all(|e| e.field == "assignees"));
}

#[test]
fn custom_loads() {
    let mut draft = valid_draft();
    draft.assignees.push("c@x.io".into());
    draft.workload = WorkloadMode::Custom(vec![33.3, 33.3, 33.4]);
    assert!(check(&draft).is_empty(), "float noise is tolerated");
    draft.workload = WorkloadMode::Custom(vec![50.0, 50.0]);
    assert_eq!(check(&draft), ["workload.length"]);
    draft.workload = WorkloadMode::Custom(vec![120.0, -20.0, 0.0]);
    assert_eq!(check(&draft), ["workload.range", "workload.range"]);
    draft.workload = WorkloadMode::Custom(vec![30.0, 30.0, 30.0]);
    let errors = validate(&draft, &ValidationContext::new(NOW));
    assert_eq!(codes_of(&errors), ["workload.sum"]);
    assert_eq!(errors[0].message, "The loads add up to 90%, not 100%.");
    draft.workload = WorkloadMode::Custom(vec![100.0, 0.0, 0.0]);
    assert!(check(&draft).is_empty());
    draft.workload = WorkloadMode::Custom(vec![f64::NAN, 0.0, 100.0]);
    assert_eq!(check(&draft), ["workload.range"]);
}

#[test]
fn qa_parents() {
    let mut draft = valid_draft();
    draft.task_type = TaskType::Qa;
    assert_eq!(check(&draft), ["parentTask.required"]);
    draft.parent_task_id = Some("t1".into());
    assert!(
        check(&draft).is_empty(),
        "no task list: the id is not looked up"
    );

    let tasks: Vec<Task> = vec![
        serde_json::from_value(json!({"id": "t1", "name": "A", "spec": {"type": "annotation"}}))
            .unwrap(),
        serde_json::from_value(
            json!({"id": "q1", "name": "A_qa", "spec": {"type": "qa", "parentTaskId": "t1"}}),
        )
        .unwrap(),
    ];
    let ctx = ValidationContext::new(NOW).with_tasks(&tasks);
    assert!(validate(&draft, &ctx).is_empty());
    draft.parent_task_id = Some("q1".into());
    assert_eq!(
        codes_of(&validate(&draft, &ctx)),
        ["parentTask.not_annotation"]
    );
    draft.parent_task_id = Some("nope".into());
    assert_eq!(codes_of(&validate(&draft, &ctx)), ["parentTask.not_found"]);
}

#[test]
fn pulling_bounds() {
    let mut draft = valid_draft();
    let cases = [
        (2, 4, vec!["batchSize.range"]),
        (101, 200, vec!["batchSize.range"]),
        (3, 5, vec![]),
        (3, 6, vec![]),
        (3, 4, vec!["maxBatchWorkload.range"]),
        (3, 7, vec!["maxBatchWorkload.range"]),
        (5, 7, vec![]),
        (5, 10, vec![]),
        (5, 11, vec!["maxBatchWorkload.range"]),
        (100, 200, vec![]),
        (100, 102, vec![]),
    ];
    for (batch_size, max_batch_workload, expected) in cases {
        draft.allocation = Allocation::Pulling {
            batch_size,
            max_batch_workload,
        };
        assert_eq!(check(&draft), expected, "{batch_size}/{max_batch_workload}");
    }
}

#[test]
fn custom_statuses() {
    let mut draft = valid_draft();
    draft.statuses = vec![
        ItemAction::new("done"),
        ItemAction::new(" "),
        ItemAction::new("Done "),
        ItemAction::new("skip"),
    ];
    let errors = validate(&draft, &ValidationContext::new(NOW));
    assert_eq!(codes_of(&errors), ["statuses.blank", "statuses.duplicate"]);
    assert_eq!(errors[0].message, "Status 2 needs a name.");
}

#[test]
fn every_problem_at_once() {
    let mut draft = TaskDraft {
        task_type: TaskType::Qa,
        workload: WorkloadMode::Custom(vec![10.0]),
        allocation: Allocation::Pulling {
            batch_size: 1,
            max_batch_workload: 1,
        },
        statuses: vec![ItemAction::new("")],
        query: Query::new("annotations"),
        ..TaskDraft::default()
    };
    draft.query.add("label", Operator::In, json!([]));
    let errors = validate(&draft, &ValidationContext::new(NOW));
    assert_eq!(
        codes_of(&errors),
        [
            "name.required",
            "dueDate.required",
            "assignees.required",
            "workload.length",
            "workload.sum",
            "parentTask.required",
            "batchSize.range",
            "statuses.blank",
            "query.resource",
            "query.value_required",
            "projectId.required",
            "datasetId.required",
            "recipeId.required",
        ]
    );
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "name",
            "dueDate",
            "assignees",
            "workload",
            "workload",
            "parentTask",
            "batchSize",
            "statuses",
            "query",
            "query",
            "projectId",
            "datasetId",
            "recipeId"
        ]
    );
    assert_eq!(
        errors[9].message,
        "filter.$and[0].label: Add at least one value."
    );
}

fn issues_of(filter: serde_json::Value) -> Vec<(Vec<usize>, String, String)> {
    let mut query = Query::new("items");
    query.filter = FilterNode::parse_lenient(&filter);
    query_issues(&query)
        .into_iter()
        .map(|i| (i.node, i.error.field, i.error.code))
        .collect()
}

fn issue(node: &[usize], path: &str, code: &str) -> (Vec<usize>, String, String) {
    (node.to_vec(), path.to_owned(), code.to_owned())
}

#[test]
fn query_conditions() {
    assert_eq!(
        issues_of(json!({"$and": [
            {"hidden": false},
            {"name": null},
            {"size": {"$gt": true}},
            {"size": {"$lt": ""}},
            {"tags": {"$in": "x"}},
            {"m": {"$exists": "yes"}},
            {"refs": {"$match": 5}},
            {"refs": {"$match": {"a": {"$near": 1}}}},
            {"": 1},
            {"x": {"$near": 1}},
        ]})),
        [
            issue(&[1], "filter.$and[1].name", "query.value_required"),
            issue(&[2], "filter.$and[2].size", "query.value_type"),
            issue(&[3], "filter.$and[3].size", "query.value_required"),
            issue(&[4], "filter.$and[4].tags", "query.value_type"),
            issue(&[5], "filter.$and[5].m", "query.value_type"),
            issue(&[6], "filter.$and[6].refs", "query.value_type"),
            issue(&[7], "filter.$and[7].refs", "query.unsupported"),
            issue(&[8], "filter.$and[8].", "query.field_required"),
            issue(&[9], "filter.$and[9]", "query.unsupported"),
        ]
    );
    // Valid conditions of every kind raise nothing.
    assert!(issues_of(json!({"$and": [
        {"a": ""}, {"a": {"$ne": 0}}, {"b": {"$gte": "2024-01-01"}}, {"c": {"$nin": [1]}},
        {"d": {"$exists": false}}, {"e": {"$match": {"id": "T", "metadata": {"status": {"$exists": true}}}}},
        {"$or": [{"f": 1}]}, {"g": {"$gte": 1, "$lte": 1}}
    ]}))
    .is_empty());
}

#[test]
fn empty_ranges_and_groups() {
    assert_eq!(
        issues_of(json!({"$and": [
            {"size": {"$gte": 10, "$lt": 5}},
            {"$or": []},
            {"$and": [{"w": {"$gt": 5}}, {"w": {"$lte": 5}}]},
            {"d": {"$gte": "2024-02-01T00:00:00Z", "$lte": "2024-01-31T23:00:00-02:00"}},
        ]})),
        [
            issue(&[0, 1], "filter.$and[0].size", "query.range_empty"),
            issue(&[1], "filter.$and[1].$or", "query.group_empty"),
            issue(&[2, 1], "filter.$and[2].$and[1].w", "query.range_empty"),
        ]
    );
    // The last case is not empty: 2024-01-31T23:00-02:00 is 2024-02-01T01:00Z.
    assert_eq!(
        issues_of(
            json!({"d": {"$gt": "2024-02-01T01:00:00Z", "$lte": "2024-01-31T23:00:00-02:00"}})
        ),
        [issue(&[1], "filter.d", "query.range_empty")]
    );
}

#[test]
fn join_issues_are_marked() {
    let mut query = Query::items_default();
    query.join = Some(Join {
        on: JoinOn::items_to_annotations(),
        filter: FilterNode::and(vec![FilterNode::condition(
            "label",
            Operator::In,
            json!([]),
        )]),
        extra: Default::default(),
    });
    let issues = query_issues(&query);
    assert_eq!(issues.len(), 1);
    assert!(issues[0].in_join);
    assert_eq!(issues[0].node, [0]);
    assert_eq!(issues[0].error.field, "join.filter.$and[0].label");
    assert_eq!(validate_query(&query)[0].code, "query.value_required");
}

/// The codes `validate_query_limits` reports for a query with `filter`, with their paths.
fn limits_of(filter: serde_json::Value) -> Vec<(String, String)> {
    let mut query = Query::new("items");
    query.filter = FilterNode::parse_lenient(&filter);
    validate_query_limits(&query)
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

fn limit(path: &str, code: &str) -> (String, String) {
    (path.to_owned(), code.to_owned())
}

#[test]
fn string_operands_up_to_the_limit() {
    let at = "é".repeat(MAX_DQL_STRING_CHARS);
    let over = "é".repeat(MAX_DQL_STRING_CHARS + 1);
    for (make, path) in [
        (
            (|s: &str| json!({"filename": s})) as fn(&str) -> serde_json::Value,
            "filter.filename",
        ),
        (|s| json!({"name": {"$in": ["a", s]}}), "filter.name"),
        (|s| json!({"name": {"$nin": [[s]]}}), "filter.name"),
        (|s| json!({"refs": {"$match": {"id": s}}}), "filter.refs"),
        (
            |s| json!({"refs": {"$match": {"metadata": {"status": {"$in": [s]}}}}}),
            "filter.refs",
        ),
        (|s| json!({"a": {"$gte": s}}), "filter.a"),
        // Keys inside a value are strings of it too.
        (|s| json!({"a": {"$eq": {s: 1}}}), "filter.a"),
    ] {
        assert_eq!(limits_of(make(&at)), [], "{path}");
        assert_eq!(
            limits_of(make(&over)),
            [limit(path, codes::QUERY_VALUE_TOO_LONG)],
            "{path}"
        );
    }
    // Reported once per condition, however many values are too long.
    let many = json!({"$and": [{"a": {"$in": [over.clone(), over.clone()]}}, {"b": over}]});
    assert_eq!(
        limits_of(many),
        [
            limit("filter.$and[0].a", codes::QUERY_VALUE_TOO_LONG),
            limit("filter.$and[1].b", codes::QUERY_VALUE_TOO_LONG),
        ]
    );
}

#[test]
fn field_names_up_to_the_limit() {
    let at = "f".repeat(MAX_DQL_FIELD_CHARS);
    let over = "é".repeat(MAX_DQL_FIELD_CHARS + 1);
    assert_eq!(limits_of(json!({ at.clone(): 1 })), []);
    let issues = limits_of(json!({ over.clone(): 1 }));
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].1, codes::QUERY_FIELD_TOO_LONG);
    // The path quotes the field in part only.
    assert_eq!(
        issues[0].0,
        format!("filter.{}… (57 more characters)", "é".repeat(200))
    );
    // Inside `$match`, the dot path of each nested condition counts.
    assert_eq!(
        limits_of(json!({"refs": {"$match": { at.clone(): 1 }}})),
        []
    );
    assert_eq!(
        limits_of(json!({"refs": {"$match": {"a": { at.clone(): 1 }}}})),
        [limit("filter.refs", codes::QUERY_FIELD_TOO_LONG)]
    );
    // The message says what and how much.
    let mut query = Query::new("items");
    query.filter = FilterNode::eq(over, json!(1));
    let errors = validate_query(&query);
    assert_eq!(
        errors[0].message,
        "The field name has 257 characters; the limit is 256."
    );
}

#[test]
fn in_lists_up_to_the_limit() {
    for operator in ["$in", "$nin"] {
        let at: Vec<usize> = (0..MAX_DQL_LIST_VALUES).collect();
        let over: Vec<usize> = (0..=MAX_DQL_LIST_VALUES).collect();
        assert_eq!(limits_of(json!({"a": { operator: at }})), []);
        assert_eq!(
            limits_of(json!({"a": { operator: over.clone() }})),
            [limit("filter.a", codes::QUERY_LIST_TOO_LONG)]
        );
        // Inside `$match` too.
        assert_eq!(
            limits_of(json!({"refs": {"$match": {"id": { operator: over }}}})),
            [limit("filter.refs", codes::QUERY_LIST_TOO_LONG)]
        );
    }
    // Other operators may compare with a long array (equality with an array).
    let long: Vec<usize> = (0..=MAX_DQL_LIST_VALUES).collect();
    assert_eq!(limits_of(json!({"a": long})), []);
}

#[test]
fn conditions_up_to_the_limit() {
    // The `$and` group and its conditions: exactly the limit.
    let conditions = |n: usize| -> Vec<serde_json::Value> {
        (0..n).map(|i| json!({ format!("f{i}"): i })).collect()
    };
    let at = json!({"$and": conditions(MAX_DQL_CONDITIONS - 1)});
    assert_eq!(limits_of(at.clone()), []);
    let mut query = Query::new("items");
    query.filter = FilterNode::parse_lenient(&at);
    assert_eq!(query_issues(&query), []);
    // One more, in the join: reported once, at the root, instead of anything else.
    query.join = Some(Join {
        on: JoinOn::items_to_annotations(),
        filter: FilterNode::or(Vec::new()),
        extra: Default::default(),
    });
    let issues = query_issues(&query);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].node, Vec::<usize>::new());
    assert_eq!(issues[0].error.field, "filter");
    assert_eq!(issues[0].error.code, codes::QUERY_TOO_MANY_CONDITIONS);
    assert_eq!(
        issues[0].error.message,
        "The query has 1001 conditions and groups; the limit is 1000."
    );
    // The conditions of `$match` objects count: the group, its 998 conditions, and a
    // `$match` with 2 nested ones.
    let mut list = conditions(MAX_DQL_CONDITIONS - 2);
    list.push(json!({"refs": {"$match": {"a": 1, "b": 2}}}));
    assert_eq!(
        limits_of(json!({"$and": list})),
        [limit("filter", codes::QUERY_TOO_MANY_CONDITIONS)]
    );
}

#[test]
fn messages_quote_user_values_in_part() {
    let huge = "x".repeat(1_000_000);
    let mut query = Query::new("items");
    query.filter = FilterNode::Raw(json!({ "a": { "$near": huge.clone() } }));
    let issues = validate_query(&query);
    assert_eq!(issues[0].code, codes::QUERY_UNSUPPORTED);
    assert!(issues[0].message.len() < 400, "{}", issues[0].message.len());
    assert!(issues[0].message.ends_with("more characters)"));

    let mut draft = valid_draft();
    draft.assignees = vec![huge.clone(), huge.clone()];
    draft.query.resource = huge.clone();
    draft.parent_task_id = Some(huge.clone());
    draft.task_type = crate::draft::TaskType::Qa;
    draft.statuses = vec![ItemAction::new(&huge), ItemAction::new(&huge)];
    let members = [member("a@x.io", Some(Role::Annotator))];
    let tasks = [];
    let ctx = ValidationContext::new(NOW)
        .with_members(&members)
        .with_tasks(&tasks);
    let errors = validate(&draft, &ctx);
    assert!(errors.len() >= 4, "{errors:?}");
    for error in &errors {
        assert!(
            error.message.len() < 400,
            "{}: {}",
            error.code,
            error.message.len()
        );
    }
}
