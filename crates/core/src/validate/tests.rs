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
