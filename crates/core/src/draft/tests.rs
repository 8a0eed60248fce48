//! Payload tests against the contract's LIVE captures, and the payload → draft round trip.

use serde_json::{json, Value};

use super::*;
use crate::entities::Task;
use crate::validate::ValidationContext;

const PROJECT: &str = "6000000000000000000000a1";
const DATASET: &str = "6000000000000000000000b1";
const RECIPE: &str = "6000000000000000000000c1";
const PARENT: &str = "900399764efb45d6ad907210";

/// The LIVE annotation payload of contract §1, verbatim.
const LIVE_TASK_PAYLOAD: &str = r#"{"name": "test_task1",
 "query": "{\"filter\": {\"$and\": [{\"hidden\": false}, {\"type\": \"file\"}, {\"dir\": \"/folder1\"}]}, \"page\": 0, \"pageSize\": 1000, \"resource\": \"items\"}",
 "taskOwner": "owner@example.com",
 "spec": {"type": "annotation"},
 "datasetId": "6000000000000000000000b1",
 "projectId": "6000000000000000000000a1",
 "assignmentIds": [],
 "recipeId": "6000000000000000000000c1",
 "dueDate": 1899417600000.0,
 "asynced": true,
 "priority": 2,
 "workload": [{"assigneeId": "annotator1@example.com", "load": 50},
              {"assigneeId": "annotator2@example.com", "load": 50}]}"#;

/// The LIVE QA payload of contract §2: "the same keys as §1" with the listed differences.
const LIVE_QA_PAYLOAD: &str = r#"{"name": "test_task1_qa",
 "query": "{\"filter\": {\"$and\": [{\"hidden\": false}, {\"type\": \"file\"}, {\"metadata.system.refs\": {\"$match\": {\"id\": \"900399764efb45d6ad907210\", \"type\": \"task\", \"metadata\": {\"status\": {\"$exists\": true}}}}}]}, \"page\": 0, \"pageSize\": 1000, \"resource\": \"items\"}",
 "taskOwner": "owner@example.com",
 "spec": {"type": "qa", "parentTaskId": "900399764efb45d6ad907210"},
 "datasetId": "6000000000000000000000b1",
 "projectId": "6000000000000000000000a1",
 "assignmentIds": [],
 "recipeId": "6000000000000000000000c1",
 "dueDate": 1899504000000.0,
 "asynced": true,
 "priority": 2,
 "workload": [{"assigneeId": "annotator1@example.com", "load": 100}]}"#;

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap()
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn live_draft() -> TaskDraft {
    let mut draft = TaskDraft::new(PROJECT, DATASET, RECIPE);
    draft.name = "test_task1".into();
    draft.due_date_ms = Some(1_899_417_600_000.0);
    draft.assignees = vec![
        "annotator1@example.com".into(),
        "annotator2@example.com".into(),
    ];
    draft.owner = Some("owner@example.com".into());
    draft.query.add("dir", Operator::Eq, json!("/folder1"));
    draft
}

fn live_parent() -> Task {
    serde_json::from_value(json!({
        "id": PARENT, "name": "test_task1", "creator": "owner@example.com", "projectId": PROJECT,
        "datasetId": DATASET, "recipeId": RECIPE, "spec": {"type": "annotation"}
    }))
    .unwrap()
}

#[test]
fn annotation_payload_matches_live_capture() {
    assert_eq!(
        compact(&live_draft().to_payload()),
        compact(&parse(LIVE_TASK_PAYLOAD))
    );
}

#[test]
fn qa_payload_matches_live_capture() {
    let mut draft = TaskDraft::qa_of(&live_parent());
    draft.due_date_ms = Some(1_899_504_000_000.0);
    draft.assignees = vec!["annotator1@example.com".into()];
    assert_eq!(draft.name, "test_task1_qa");
    assert_eq!(draft.parent_task_name.as_deref(), Some("test_task1"));
    assert_eq!(
        compact(&draft.to_payload()),
        compact(&parse(LIVE_QA_PAYLOAD))
    );
    // The builder's query stays without the parent clause.
    assert_eq!(draft.query, Query::items_default());
}

#[test]
fn live_payloads_read_back_into_the_same_drafts() {
    for text in [LIVE_TASK_PAYLOAD, LIVE_QA_PAYLOAD] {
        let payload: CreateTaskPayload = serde_json::from_str(text).unwrap();
        let (draft, errors) = payload.to_draft();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(draft.workload, WorkloadMode::Equal);
        // Reading back does not append the QA clause a second time.
        assert_eq!(compact(&draft.to_payload()), compact(&parse(text)));
        assert_eq!(
            compact(&serde_json::to_value(&payload).unwrap()),
            compact(&parse(text))
        );
    }
    let payload: CreateTaskPayload = serde_json::from_str(LIVE_TASK_PAYLOAD).unwrap();
    assert_eq!(payload.to_draft().0, live_draft());
}

#[test]
fn optional_keys_follow_the_sdk_order() {
    let mut draft = live_draft();
    draft.statuses = vec![
        ItemAction::new("done"),
        ItemAction {
            action: "discard".into(),
            color: "#FF0000".into(),
            display_name: "Discard".into(),
            icon: None,
        },
    ];
    draft.allocation = Allocation::Pulling {
        batch_size: 5,
        max_batch_workload: 7,
    };
    draft.empty_task = true;
    draft.priority = Priority::High;
    let payload = draft.to_payload();
    let keys: Vec<&str> = payload
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "name",
            "query",
            "taskOwner",
            "spec",
            "datasetId",
            "projectId",
            "assignmentIds",
            "recipeId",
            "dueDate",
            "asynced",
            "priority",
            "workload",
            "availableActions",
            "metadata",
            "emptyTask"
        ]
    );
    assert_eq!(payload["priority"], json!(3));
    assert_eq!(
        compact(&payload["availableActions"]),
        r##"[{"action":"done","color":"#FFFFFF","displayName":"done"},{"action":"discard","color":"#FF0000","displayName":"Discard"}]"##
    );
    assert_eq!(
        compact(&payload["metadata"]),
        r#"{"system":{"allowedAssignees":["annotator1@example.com","annotator2@example.com"],"batchSize":5,"maxBatchWorkload":7,"scoring":false}}"#
    );

    // And it reads back.
    let read: CreateTaskPayload = serde_json::from_value(payload.clone()).unwrap();
    let (back, errors) = read.to_draft();
    assert!(errors.is_empty());
    assert_eq!(back, draft);
}

#[test]
fn workload_units() {
    let mut draft = live_draft();
    draft.assignees.push("annotator3@example.com".into());
    assert_eq!(
        compact(&draft.to_payload()["workload"]),
        r#"[{"assigneeId":"annotator1@example.com","load":34},{"assigneeId":"annotator2@example.com","load":33},{"assigneeId":"annotator3@example.com","load":33}]"#
    );
    draft.workload = WorkloadMode::Custom(vec![80.0, 12.5, 7.5]);
    assert_eq!(
        compact(&draft.to_payload()["workload"]),
        r#"[{"assigneeId":"annotator1@example.com","load":80},{"assigneeId":"annotator2@example.com","load":12.5},{"assigneeId":"annotator3@example.com","load":7.5}]"#
    );
    let read: CreateTaskPayload = serde_json::from_value(draft.to_payload()).unwrap();
    assert_eq!(
        read.to_draft().0.workload,
        WorkloadMode::Custom(vec![80.0, 12.5, 7.5])
    );

    draft.assignees.clear();
    draft.workload = WorkloadMode::Equal;
    assert!(draft.to_payload().get("workload").is_none());
}

#[test]
fn names_are_trimmed_and_unknown_owner_is_null() {
    let mut draft = live_draft();
    draft.name = "  Cats ä  ".into();
    draft.owner = None;
    draft.due_date_ms = None;
    let payload = draft.to_payload();
    assert_eq!(payload["name"], json!("Cats ä"));
    assert_eq!(payload["taskOwner"], Value::Null);
    assert_eq!(payload["dueDate"], Value::Null);
}

#[test]
fn query_strings_use_python_escapes() {
    let mut draft = live_draft();
    draft.query = Query::items_default();
    draft.query.add("dir", Operator::Eq, json!("/çà"));
    let text = draft.to_payload()["query"].as_str().unwrap().to_owned();
    assert!(text.contains(r#"{"dir": "/\u00e7\u00e0"}"#), "{text}");
}

#[test]
fn qa_clause_joins_any_filter_shape() {
    let mut draft = TaskDraft::qa_of(&live_parent());
    draft.query =
        Query::parse_str(r#"{"filter": {"$or": [{"dir": "/a"}, {"dir": "/b"}]}}"#).unwrap();
    let query = draft.effective_query();
    assert_eq!(
        compact(&query.filter.to_json()),
        format!(
            r#"{{"$or":[{{"dir":"/a"}},{{"dir":"/b"}}],"$and":[{}]}}"#,
            compact(&qa_source_clause(PARENT).to_json())
        )
    );
    // Applying it twice changes nothing.
    let mut twice = draft.clone();
    twice.query = query.clone();
    assert_eq!(twice.effective_query(), query);
    // An annotation task never gets it, even with a parent id.
    draft.task_type = TaskType::Annotation;
    assert_eq!(draft.effective_query(), draft.query);
}

#[test]
fn shape_problems_are_reported_with_a_usable_draft() {
    let payload: CreateTaskPayload = serde_json::from_value(json!({
        "name": "t", "query": "{\"filter\": {\"x\": {\"$near\": 1}}}", "spec": {"type": "consensus"},
        "priority": 5, "metadata": {"system": {"batchSize": 5.5, "maxBatchWorkload": "7"}},
        "datasetId": DATASET, "projectId": PROJECT, "recipeId": RECIPE, "dueDate": 2.0e12,
        "workload": [{"assigneeId": "a@x", "load": 100}], "limit": 10, "mystery": true
    }))
    .unwrap();
    assert_eq!(payload.extra["mystery"], json!(true));
    let (draft, errors) = payload.to_draft();
    let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "query.invalid",
            "taskType.invalid",
            "priority.invalid",
            "batchSize.invalid",
            "maxBatchWorkload.invalid"
        ]
    );
    assert!(
        errors[0]
            .message
            .contains("filter.x: unknown operator $near"),
        "{}",
        errors[0].message
    );
    assert_eq!(draft.query, Query::items_default());
    assert_eq!(draft.task_type, TaskType::Annotation);
    assert_eq!(draft.priority, Priority::Medium);
    assert_eq!(
        draft.allocation,
        Allocation::Pulling {
            batch_size: 5,
            max_batch_workload: 0
        }
    );

    // `validate` adds the rule violations: the max workload of 0 is out of range.
    let errors = payload.validate(&ValidationContext::new(0.0)).unwrap_err();
    let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "query.invalid",
            "taskType.invalid",
            "priority.invalid",
            "batchSize.invalid",
            "maxBatchWorkload.invalid",
            "maxBatchWorkload.range"
        ]
    );
}

#[test]
fn missing_parts() {
    let payload: CreateTaskPayload = serde_json::from_value(json!({
        "metadata": {"system": {"allowedAssignees": ["a@x", "b@x"], "batchSize": 5, "maxBatchWorkload": 7}},
        "query": {"filter": {"$and": [{"hidden": false}]}}
    }))
    .unwrap();
    let (draft, errors) = payload.to_draft();
    assert!(errors.is_empty());
    assert_eq!(draft.assignees, ["a@x", "b@x"]);
    assert_eq!(
        draft.allocation,
        Allocation::Pulling {
            batch_size: 5,
            max_batch_workload: 7
        }
    );
    assert_eq!(draft.query.and_clauses().len(), 1);

    let (_, errors) = CreateTaskPayload::default().to_draft();
    assert_eq!(errors[0].code, "query.required");

    let mut good: CreateTaskPayload = serde_json::from_str(LIVE_TASK_PAYLOAD).unwrap();
    assert!(good.validate(&ValidationContext::new(0.0)).is_ok());
    good.name = Some(" ".into());
    let errors = good.validate(&ValidationContext::new(0.0)).unwrap_err();
    assert_eq!(errors[0].code, "name.required");
}

#[test]
fn drafts_survive_local_storage() {
    let mut draft = live_draft();
    draft.workload = WorkloadMode::Custom(vec![60.0, 40.0]);
    draft.allocation = Allocation::Pulling {
        batch_size: 5,
        max_batch_workload: 8,
    };
    draft.statuses = vec![ItemAction::new("done")];
    draft.parent_task_name = Some("p".into());
    let text = serde_json::to_string(&draft).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        value["workload"],
        json!({"mode": "custom", "loads": [60.0, 40.0]})
    );
    assert_eq!(
        value["allocation"],
        json!({"method": "pulling", "batchSize": 5, "maxBatchWorkload": 8})
    );
    assert_eq!(
        value["query"]["filter"]["$and"][2],
        json!({"dir": "/folder1"})
    );
    assert_eq!(value["taskType"], json!("annotation"));
    assert_eq!(value["priority"], json!(2));
    assert_eq!(serde_json::from_str::<TaskDraft>(&text).unwrap(), draft);

    let equal = serde_json::to_value(WorkloadMode::Equal).unwrap();
    assert_eq!(equal, json!({"mode": "equal"}));
    let empty: TaskDraft = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, TaskDraft::default());
    assert_eq!(empty.query, Query::items_default());
}
