//! Evaluator tests: the contract's examples against a hand-built item set, then each rule.

use std::cmp::Ordering;

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::dql::{compare_items, values_at, FilterNode, Operator, Query, SortDir};

/// The reference evaluator, checked against the compiled one on every call.
fn matches(filter: &FilterNode, doc: &Value) -> bool {
    let reference = crate::dql::matches(filter, doc);
    assert_eq!(
        filter.compile().matches(doc),
        reference,
        "compiled and reference disagree: {} on {doc}",
        filter.to_json()
    );
    reference
}

/// [`Query::matches_item`], checked against the compiled query.
fn matches_item(query: &Query, item: &Value, annotations: &[Value]) -> bool {
    let reference = query.matches_item(item, annotations);
    assert_eq!(
        query.compile().matches_item(item, annotations),
        reference,
        "compiled and reference disagree: {} on {item}",
        query.to_json()
    );
    reference
}

const QA_PARENT: &str = "900399764efb45d6ad907210";

/// Eight items, each built to pass or fail particular clauses of the examples (see the
/// expectations in each test).
fn items() -> Vec<Value> {
    vec![
        json!({"id": "i1", "filename": "/folder1/a.jpg", "dir": "/folder1", "name": "a.jpg", "type": "file",
               "hidden": false, "annotated": true, "createdAt": "2023-06-01T10:00:00.000Z",
               "metadata": {"system": {"mimetype": "image/jpeg", "height": 200, "width": 40,
                   "annotationStatus": ["approved"],
                   "refs": [{"type": "task", "id": "TASK", "metadata": {"status": "completed"}},
                            {"type": "assignment", "id": "A1", "metadata": {"status": "completed"}}]},
                   "user": {"a": 1}}}),
        json!({"id": "i2", "filename": "/folder1/sub/b.jpg", "dir": "/folder1/sub", "name": "b.jpg", "type": "file",
               "hidden": false, "annotated": false, "createdAt": "2024-02-01T00:00:00.000Z",
               "metadata": {"system": {"mimetype": "image/jpeg", "height": 50, "width": 50,
                   "annotationStatus": [],
                   "refs": [{"type": "task", "id": "TASK"}, {"type": "task", "id": QA_PARENT, "metadata": {}}]}}}),
        // Created exactly at 2024-01-01T00:00Z, written with an offset so that only an
        // instant comparison (not a text one) finds it >= "2024-01-01T00:00:00.000Z".
        json!({"id": "i3", "filename": "/folderName1/c.jpg", "dir": "/folderName1", "name": "c.jpg", "type": "file",
               "hidden": false, "annotated": true, "createdAt": "2023-12-31T23:30:00.000-00:30",
               "metadata": {"system": {"mimetype": "image/jpeg", "height": 101, "width": 50,
                   "annotationStatus": ["completed", "approved"], "refs": []},
                   "user": {}}}),
        json!({"id": "i4", "filename": "/folderName2/d.mp4", "dir": "/folderName2", "name": "d.mp4", "type": "file",
               "hidden": false, "annotated": "discarded", "createdAt": "2025-01-01T00:00:00Z",
               "metadata": {"system": {"mimetype": "video/mp4", "height": 1080, "width": 1920}}}),
        json!({"id": "i5", "filename": "/folderName1/e.jpg", "dir": "/folderName1", "name": "e.jpg", "type": "file",
               "hidden": true, "annotated": true, "createdAt": "2024-06-01T00:00:00Z",
               "metadata": {"system": {"mimetype": "image/jpeg", "height": 500, "width": 5,
                   "annotationStatus": ["approved"]}, "user": {}}}),
        json!({"id": "i6", "filename": "/folder1", "dir": "/", "name": "folder1", "type": "dir",
               "hidden": false, "annotated": true, "createdAt": "2024-01-02T00:00:00Z",
               "metadata": {"system": {}}}),
        json!({"id": "i7", "filename": "/a.jpg", "dir": "/", "name": "a.jpg", "type": "file",
               "hidden": false, "annotated": true, "createdAt": "2024-05-05T00:00:00Z",
               "metadata": {"system": {"mimetype": "image/jpeg", "height": 101, "width": 10,
                   "refs": [{"type": "task", "id": "OTHER", "metadata": {"status": "completed"}}]},
                   "user": {"x": 1}}}),
        json!({"id": "i8", "filename": "/folderName1/f.png", "dir": "/folderName1", "name": "f.png", "type": "file",
               "hidden": false, "annotated": false, "createdAt": "2024-03-01T00:00:00Z",
               "metadata": {"system": {"mimetype": "image/png", "height": 300, "width": 20,
                   "refs": [{"type": "task", "id": QA_PARENT, "metadata": {"status": "discard"}}]},
                   "user": {}}}),
    ]
}

fn annotations_of(item_id: &str) -> Vec<Value> {
    let annotation =
        |kind: &str, label: &str| json!({"itemId": item_id, "type": kind, "label": label});
    match item_id {
        "i1" | "i5" => vec![annotation("box", "dog")],
        "i2" => vec![annotation("point", "cat")],
        "i3" => vec![annotation("box", "bird")],
        "i7" => vec![annotation("polygon", "cat"), annotation("box", "dog")],
        "i8" => vec![annotation("box", "cat")],
        _ => vec![],
    }
}

/// The ids of the items `query` selects, in its sort order (ties by id).
fn select(query_text: &str) -> Vec<String> {
    let query = Query::parse_str(query_text).unwrap();
    let mut selected: Vec<Value> = items()
        .into_iter()
        .filter(|item| matches_item(&query, item, &annotations_of(item["id"].as_str().unwrap())))
        .collect();
    query.sort_items(&mut selected);
    selected
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn example_1_annotated_sorted_by_filename() {
    // i4 is "discarded", i5 hidden, i6 a directory.
    assert_eq!(
        select(
            r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"annotated": true}]}, "sort": {"filename": "ascending"}, "page": 0, "pageSize": 1000, "resource": "items"}"#
        ),
        ["i7", "i1", "i3"]
    );
}

#[test]
fn example_2_status_in_list_with_a_box_newest_first() {
    // "approved" is an element of annotationStatus for i1, i3 and (hidden) i5; both have a box.
    assert_eq!(
        select(
            r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.annotationStatus": "approved"}]}, "sort": {"createdAt": "descending"}, "page": 0, "pageSize": 1000, "resource": "items", "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": {"$and": [{"type": "box"}]}}}"#
        ),
        ["i3", "i1"]
    );
}

#[test]
fn example_3_or_on_dirs() {
    assert_eq!(
        select(
            r#"{"filter": {"$or": [{"dir": "/folderName1"}, {"dir": "/folderName2"}], "$and": [{"hidden": false}, {"type": "file"}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#
        ),
        ["i3", "i4", "i8"]
    );
}

#[test]
fn example_4_join_label_in() {
    // i3's only annotation is a bird; i4 and i6 have none; i5 is hidden.
    assert_eq!(
        select(
            r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}]}, "page": 0, "pageSize": 1000, "resource": "items", "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": {"$and": [{"label": {"$in": ["dog", "cat"]}}]}}}"#
        ),
        ["i1", "i2", "i7", "i8"]
    );
}

#[test]
fn example_5_remaining_task_items() {
    // i1's TASK ref has a status; i2's has none.
    assert_eq!(
        select(
            r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.refs": {"$match": {"id": {"$in": ["TASK"]}, "metadata": {"status": {"$exists": false}}}}}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#
        ),
        ["i2"]
    );
}

#[test]
fn example_6_exists_gt_lte_nin_gte_glob() {
    // i1 and i7 fail on name, i8 on the filename glob, i2 on metadata.user, i4 on the width.
    assert_eq!(
        select(
            r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.user": {"$exists": true}}, {"metadata.system.height": {"$gt": 100}}, {"metadata.system.width": {"$lte": 50}}, {"name": {"$nin": ["a.jpg","b.jpg"]}}, {"createdAt": {"$gte": "2024-01-01T00:00:00.000Z"}}, {"metadata.system.mimetype": "image*"}, {"filename": "*.jpg"}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#
        ),
        ["i3"]
    );
}

#[test]
fn live_task_and_qa_queries() {
    // §1: the folder itself only, not its sub-folder (i2) or the folder entry (i6).
    assert_eq!(
        select(
            r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"dir": "/folder1"}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#
        ),
        ["i1"]
    );
    // §2: items with any status in the parent task: i8 ("discard"), not i2 (no status).
    assert_eq!(
        select(&format!(
            r#"{{"filter": {{"$and": [{{"hidden": false}}, {{"type": "file"}}, {{"metadata.system.refs": {{"$match": {{"id": "{QA_PARENT}", "type": "task", "metadata": {{"status": {{"$exists": true}}}}}}}}}}]}}, "page": 0, "pageSize": 1000, "resource": "items"}}"#
        )),
        ["i8"]
    );
}

#[test]
fn task_items_by_ref_id_walk_into_arrays() {
    // `task.get_items()`: {"metadata.system.refs.id": {"$in": [taskId]}} without defaults.
    assert_eq!(
        select(
            r#"{"filter": {"$and": [{"metadata.system.refs.id": {"$in": ["TASK"]}}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#
        ),
        ["i1", "i2"]
    );
    assert_eq!(
        select(
            r#"{"filter": {"$and": [{"metadata.system.refs.id": "A1"}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#
        ),
        ["i1"]
    );
}

fn check(filter: Value, doc: &Value) -> bool {
    matches(&FilterNode::parse(&filter).unwrap(), doc)
}

#[test]
fn dot_paths_and_arrays() {
    let doc = json!({"a": {"b": [{"c": 1}, {"c": 2, "d": [5, 6]}, 7]}, "tags": ["x", "y"], "m": [[1, 2]]});
    assert_eq!(values_at(&doc, "a.b.c"), [&json!(1), &json!(2)]);
    assert_eq!(values_at(&doc, "a.b.1.c"), [&json!(2)]);
    assert!(values_at(&doc, "a.x").is_empty());
    assert!(check(json!({"a.b.c": 2}), &doc));
    assert!(!check(json!({"a.b.c": 3}), &doc));
    assert!(check(json!({"a.b.d": 6}), &doc));
    assert!(check(json!({"a.b.0.c": 1}), &doc));
    assert!(check(json!({"tags": "y"}), &doc));
    assert!(check(json!({"tags": ["x", "y"]}), &doc));
    assert!(!check(json!({"tags": ["y", "x"]}), &doc));
    assert!(check(json!({"m": [1, 2]}), &doc)); // an element equal to the array operand
    assert!(check(json!({"tags": {"$in": ["z", "x"]}}), &doc));
    assert!(check(json!({"tags": {"$nin": ["z"]}}), &doc));
    assert!(!check(json!({"tags": {"$nin": ["x"]}}), &doc));
    assert!(check(json!({"tags": {"$ne": "z"}}), &doc));
    assert!(!check(json!({"tags": {"$ne": "x"}}), &doc));
}

#[test]
fn missing_fields() {
    let doc = json!({"a": 1, "n": null});
    assert!(check(json!({"b": {"$ne": 1}}), &doc));
    assert!(check(json!({"b": {"$nin": [1]}}), &doc));
    assert!(!check(json!({"b": {"$in": [1]}}), &doc));
    assert!(!check(json!({"b": {"$gt": 0}}), &doc));
    assert!(check(json!({"b": null}), &doc));
    assert!(check(json!({"n": null}), &doc));
    assert!(!check(json!({"a": null}), &doc));
    assert!(check(json!({"b": {"$exists": false}}), &doc));
    assert!(check(json!({"n": {"$exists": true}}), &doc));
    assert!(!check(json!({"a": {"$exists": false}}), &doc));
    assert!(check(json!({"a": {"$exists": 1}}), &doc));
}

#[test]
fn numbers_dates_and_type_mismatches() {
    let doc = json!({"n": 5, "f": 2.5, "s": "b", "d": "2024-01-01T00:00:00Z", "t": true});
    assert!(check(json!({"n": 5.0}), &doc));
    assert!(check(json!({"n": {"$eq": 5.0}}), &doc));
    assert!(check(json!({"f": {"$gt": 2, "$lt": 3}}), &doc));
    assert!(!check(json!({"f": {"$gt": 2.5}}), &doc));
    assert!(check(json!({"f": {"$gte": 2.5}}), &doc));
    assert!(check(json!({"s": {"$gt": "a"}}), &doc));
    assert!(!check(json!({"n": {"$gt": "4"}}), &doc));
    assert!(!check(json!({"s": {"$lt": 100}}), &doc));
    assert!(!check(json!({"t": {"$gt": false}}), &doc));
    assert!(check(json!({"d": "2024-01-01T01:00:00.000+01:00"}), &doc));
    assert!(check(
        json!({"d": {"$lt": "2024-01-01T00:30:00+00:00"}}),
        &doc
    ));
    assert!(check(json!({"d": {"$gte": "2024-01-01"}}), &doc));
    assert!(!check(json!({"d": {"$gt": "2024-01-01"}}), &doc));
    assert!(check(
        json!({"d": {"$in": ["2024-01-01T00:00:00.000Z"]}}),
        &doc
    ));
}

#[test]
fn globs_apply_to_plain_equality_only() {
    let doc =
        json!({"filename": "/a/b/c.jpg", "name": "c.jpg", "createdAt": "2024-03-05T10:00:00.000Z"});
    assert!(check(json!({"filename": "/a/**"}), &doc));
    assert!(!check(json!({"filename": "/a/*"}), &doc));
    assert!(check(json!({"filename": "/a/b/*"}), &doc));
    assert!(check(json!({"filename": "*.jpg"}), &doc));
    assert!(check(json!({"name": "c*"}), &doc));
    assert!(check(json!({"createdAt": "2024-03-*"}), &doc));
    assert!(!check(json!({"name": {"$eq": "c*"}}), &doc));
    assert!(check(json!({"name": {"$ne": "c*"}}), &doc));
    assert!(!check(json!({"name": {"$in": ["c*"]}}), &doc));
}

#[test]
fn match_is_elem_match_with_nested_filters() {
    let doc = json!({"refs": [
        {"type": "task", "id": "T", "metadata": {"status": "completed"}},
        {"type": "assignment", "id": "A"},
        "not an object"
    ]});
    assert!(check(
        json!({"refs": {"$match": {"id": "T", "type": "task"}}}),
        &doc
    ));
    // Both conditions must hold for the same element.
    assert!(!check(
        json!({"refs": {"$match": {"id": "A", "type": "task"}}}),
        &doc
    ));
    assert!(check(
        json!({"refs": {"$match": {"id": "A", "metadata": {"status": {"$exists": false}}}}}),
        &doc
    ));
    assert!(!check(
        json!({"refs": {"$match": {"id": "T", "metadata": {"status": {"$exists": false}}}}}),
        &doc
    ));
    assert!(check(
        json!({"refs": {"$match": {"metadata": {"status": "completed"}}}}),
        &doc
    ));
    assert!(check(
        json!({"refs": {"$match": {"$or": [{"id": "X"}, {"id": "A"}]}}}),
        &doc
    ));
    assert!(check(json!({"refs": {"$match": {}}}), &doc));
    // Not an array: nothing to match.
    assert!(!check(json!({"refs.0": {"$match": {"id": "T"}}}), &doc));
    assert!(!check(json!({"missing": {"$match": {}}}), &doc));
    // A malformed operand matches nothing (the strict parser rejects it anyway).
    let node = FilterNode::condition("refs", Operator::Match, json!(5));
    assert!(!matches(&node, &doc));
}

#[test]
fn groups_and_raw() {
    let doc = json!({"a": 1});
    assert!(matches(&FilterNode::empty(), &doc));
    assert!(matches(&FilterNode::and(vec![]), &doc));
    assert!(!matches(&FilterNode::or(vec![]), &doc));
    assert!(check(json!({"$or": [{"a": 2}, {"a": 1}]}), &doc));
    assert!(!check(json!({"$and": [{"a": 2}, {"a": 1}]}), &doc));
    assert!(check(
        json!({"a": 1, "$or": [{"b": {"$exists": false}}]}),
        &doc
    ));
    assert!(!matches(&FilterNode::Raw(json!({"a": {"$near": 1}})), &doc));
}

#[test]
fn joins_need_a_matching_annotation() {
    let query = Query::parse_str(
        r#"{"filter": {}, "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": {"label": "dog"}}}"#,
    )
    .unwrap();
    let item = json!({"id": "i"});
    assert!(!matches_item(&query, &item, &[]));
    assert!(!matches_item(&query, &item, &[json!({"label": "cat"})]));
    assert!(matches_item(
        &query,
        &item,
        &[json!({"label": "cat"}), json!({"label": "dog"})]
    ));
    assert!(matches_item(&Query::new("items"), &item, &[]));
}

#[test]
fn sorting_by_paths_with_id_tie_break() {
    let a = json!({"id": "a", "n": 2, "s": "x", "d": "2024-01-01T00:00:00Z"});
    // An hour before a, though its text sorts after a's.
    let b = json!({"id": "b", "n": 10, "s": "x", "d": "2024-01-01T01:00:00+02:00"});
    let c = json!({"id": "c", "s": "w"});
    let asc = |field: &str| vec![(field.to_owned(), SortDir::Ascending)];
    let desc = |field: &str| vec![(field.to_owned(), SortDir::Descending)];

    assert_eq!(compare_items(&asc("n"), &a, &b), Ordering::Less); // numerically, not "10" < "2"
    assert_eq!(compare_items(&desc("n"), &a, &b), Ordering::Greater);
    assert_eq!(compare_items(&asc("n"), &c, &a), Ordering::Less); // missing first
    assert_eq!(compare_items(&asc("s"), &a, &b), Ordering::Less); // tie → id
    assert_eq!(compare_items(&desc("s"), &b, &a), Ordering::Greater); // tie → id, still ascending
    assert_eq!(compare_items(&asc("d"), &b, &a), Ordering::Less); // instants, not text
    assert_eq!(compare_items(&[], &b, &a), Ordering::Greater);
    let sort = vec![
        ("s".to_owned(), SortDir::Ascending),
        ("n".to_owned(), SortDir::Descending),
    ];
    let mut docs = [a.clone(), b.clone(), c.clone()];
    docs.sort_by(|x, y| compare_items(&sort, x, y));
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["c", "b", "a"]);
}

/// Small documents whose `k` is any kind of JSON value, for the total-order property.
fn sort_doc() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-5i64..5).prop_map(Value::from),
        (-20i32..20).prop_map(|n| Value::from(f64::from(n) / 4.0)),
        prop::sample::select(vec![
            "a",
            "b",
            "2024-01-01T00:00:00Z",
            "2024-01-01T01:00:00+01:00",
            "2023-12-31T23:00:00-01:00",
            "2024-01-01",
        ])
        .prop_map(Value::from),
        prop::collection::vec((-2i64..2).prop_map(Value::from), 0..3).prop_map(Value::from),
        (-2i64..2).prop_map(|n| json!({"x": n})),
    ];
    (proptest::option::of(key), "[ab]{0,1}").prop_map(|(k, id)| match k {
        Some(k) => json!({"id": id, "k": k}),
        None => json!({"id": id}),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// `compare_items` is a total order (required by `sort_by`): antisymmetric and transitive.
    #[test]
    fn compare_items_is_a_total_order(a in sort_doc(), b in sort_doc(), c in sort_doc(), descending: bool) {
        let dir = if descending { SortDir::Descending } else { SortDir::Ascending };
        let sort = vec![("k".to_owned(), dir)];
        let cmp = |x: &Value, y: &Value| compare_items(&sort, x, y);
        prop_assert_eq!(cmp(&a, &b), cmp(&b, &a).reverse());
        prop_assert_eq!(cmp(&a, &a), Ordering::Equal);
        if cmp(&a, &b) != Ordering::Greater && cmp(&b, &c) != Ordering::Greater {
            prop_assert_ne!(cmp(&a, &c), Ordering::Greater);
        }
    }
}
