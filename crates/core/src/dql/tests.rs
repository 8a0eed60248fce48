//! Query-level tests: the contract's examples, the SDK-like builders, and the round-trip
//! property tests.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use super::*;

/// The examples of contract §4 as printed there (Python's `json.dumps` layout). Example 6
/// is elided in the contract after the filter; it is completed with the SDK's defaults.
const EXAMPLES: [&str; 6] = [
    r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"annotated": true}]}, "sort": {"filename": "ascending"}, "page": 0, "pageSize": 1000, "resource": "items"}"#,
    r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.annotationStatus": "approved"}]}, "sort": {"createdAt": "descending"}, "page": 0, "pageSize": 1000, "resource": "items", "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": {"$and": [{"type": "box"}]}}}"#,
    r#"{"filter": {"$or": [{"dir": "/folderName1"}, {"dir": "/folderName2"}], "$and": [{"hidden": false}, {"type": "file"}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#,
    r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}]}, "page": 0, "pageSize": 1000, "resource": "items", "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": {"$and": [{"label": {"$in": ["dog", "cat"]}}]}}}"#,
    r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.refs": {"$match": {"id": {"$in": ["TASK"]}, "metadata": {"status": {"$exists": false}}}}}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#,
    r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.user": {"$exists": true}}, {"metadata.system.height": {"$gt": 100}}, {"metadata.system.width": {"$lte": 50}}, {"name": {"$nin": ["a.jpg","b.jpg"]}}, {"createdAt": {"$gte": "2024-01-01T00:00:00.000Z"}}, {"metadata.system.mimetype": "image*"}, {"filename": "*.jpg"}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#,
];

/// The `query` strings of the LIVE payloads (contract §1 and §2), unescaped.
const LIVE_TASK_QUERY: &str = r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"dir": "/folder1"}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#;
const LIVE_QA_QUERY: &str = r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.refs": {"$match": {"id": "900399764efb45d6ad907210", "type": "task", "metadata": {"status": {"$exists": true}}}}}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#;

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn contract_examples_print_back_identically() {
    for (i, text) in EXAMPLES.iter().enumerate() {
        let value: Value = serde_json::from_str(text).unwrap();
        let query = Query::parse(&value).unwrap_or_else(|e| panic!("example {}: {e}", i + 1));
        assert_eq!(query.to_json(), value, "example {}", i + 1);
        assert_eq!(
            compact(&query.to_json()),
            compact(&value),
            "example {}",
            i + 1
        );
    }
    // Examples 1–5 are verbatim `json.dumps` output, so the Python printing matches too.
    for text in &EXAMPLES[..5] {
        assert_eq!(Query::parse_str(text).unwrap().to_python_string(), *text);
    }
}

#[test]
fn live_task_queries_print_back_identically() {
    for text in [LIVE_TASK_QUERY, LIVE_QA_QUERY] {
        let query = Query::parse_str(text).unwrap();
        assert_eq!(query.to_python_string(), text);
    }
}

#[test]
fn example_trees_have_the_expected_shape() {
    let query = Query::parse_str(EXAMPLES[2]).unwrap();
    assert_eq!(
        query.filter,
        FilterNode::Group {
            op: GroupOp::And,
            merged: true,
            children: vec![
                FilterNode::or(vec![
                    FilterNode::eq("dir", json!("/folderName1")),
                    FilterNode::eq("dir", json!("/folderName2")),
                ]),
                FilterNode::and(vec![
                    FilterNode::eq("hidden", json!(false)),
                    FilterNode::eq("type", json!("file")),
                ]),
            ],
        }
    );
    assert_eq!(query.and_clauses().len(), 2);

    let query = Query::parse_str(EXAMPLES[1]).unwrap();
    assert_eq!(
        query.sort,
        vec![("createdAt".to_owned(), SortDir::Descending)]
    );
    let join = query.join.unwrap();
    assert_eq!(join.on, JoinOn::items_to_annotations());
    assert_eq!(
        join.filter,
        FilterNode::and(vec![FilterNode::eq("type", json!("box"))])
    );
}

#[test]
fn builders_reproduce_the_sdk_examples() {
    let mut q1 = Query::items_default();
    q1.add("annotated", Operator::Eq, json!(true));
    q1.sort_by("filename", SortDir::Ascending);

    let mut q2 = Query::items_default();
    q2.add(
        "metadata.system.annotationStatus",
        Operator::Eq,
        json!("approved"),
    );
    q2.add_join("type", Operator::Eq, json!("box"));
    q2.sort_by("createdAt", SortDir::Descending);

    let mut q3 = Query::items_default();
    q3.add_or("dir", Operator::Eq, json!("/folderName1"));
    q3.add_or("dir", Operator::Eq, json!("/folderName2"));

    let mut q4 = Query::items_default();
    q4.add_join("label", Operator::In, json!(["dog", "cat"]));

    let mut q5 = Query::items_default();
    q5.add(
        "metadata.system.refs",
        Operator::Match,
        json!({"id": {"$in": ["TASK"]}, "metadata": {"status": {"$exists": false}}}),
    );

    let mut q6 = Query::items_default();
    q6.add("metadata.user", Operator::Exists, json!(true));
    q6.add("metadata.system.height", Operator::Gt, json!(100));
    q6.add("metadata.system.width", Operator::Lte, json!(50));
    q6.add("name", Operator::Nin, json!(["a.jpg", "b.jpg"]));
    q6.add(
        "createdAt",
        Operator::Gte,
        json!("2024-01-01T00:00:00.000Z"),
    );
    q6.add("metadata.system.mimetype", Operator::Eq, json!("image*"));
    q6.add("filename", Operator::Eq, json!("*.jpg"));

    for (i, query) in [q1, q2, q3, q4, q5, q6].iter().enumerate() {
        let expected: Value = serde_json::from_str(EXAMPLES[i]).unwrap();
        assert_eq!(
            compact(&query.to_json()),
            compact(&expected),
            "example {}",
            i + 1
        );
    }
}

#[test]
fn items_default_is_the_sdk_default() {
    assert_eq!(
        compact(&Query::items_default().to_json()),
        r#"{"filter":{"$and":[{"hidden":false},{"type":"file"}]},"page":0,"pageSize":1000,"resource":"items"}"#
    );
    assert_eq!(Query::default(), Query::items_default());
    assert_eq!(
        compact(&Query::new("items").to_json()),
        r#"{"filter":{},"page":0,"pageSize":1000,"resource":"items"}"#
    );
}

#[test]
fn unique_fields_replace_the_defaults() {
    let mut query = Query::items_default();
    query.add("type", Operator::Eq, json!("dir"));
    assert_eq!(
        query.filter.to_json(),
        json!({"$and": [{"hidden": false}, {"type": "dir"}]})
    );
    query.add("hidden", Operator::Eq, json!(true));
    query.add("dir", Operator::Eq, json!("/a"));
    query.add("dir", Operator::Eq, json!("/b")); // not unique: both stay
    assert_eq!(
        query.filter.to_json(),
        json!({"$and": [{"type": "dir"}, {"hidden": true}, {"dir": "/a"}, {"dir": "/b"}]})
    );

    // Annotations have `type` as their unique field.
    let mut query = Query::new("annotations");
    query.add("type", Operator::In, json!(["box"]));
    query.add("type", Operator::Eq, json!("point"));
    assert_eq!(query.filter.to_json(), json!({"$and": [{"type": "point"}]}));
    assert_eq!(Query::new("tasks").unique_fields(), &[] as &[&str]);
}

#[test]
fn push_and_mirrors_create_qa_task() {
    let clause = FilterNode::eq("x", json!(1));
    let cases = [
        (json!({}), json!({"$and": [{"x": 1}]})),
        (
            json!({"$and": [{"a": 1}]}),
            json!({"$and": [{"a": 1}, {"x": 1}]}),
        ),
        (
            json!({"$or": [{"a": 1}]}),
            json!({"$or": [{"a": 1}], "$and": [{"x": 1}]}),
        ),
        (
            json!({"$or": [{"a": 1}], "$and": [{"b": 2}]}),
            json!({"$or": [{"a": 1}], "$and": [{"b": 2}, {"x": 1}]}),
        ),
        (
            json!({"name": "n"}),
            json!({"name": "n", "$and": [{"x": 1}]}),
        ),
        (
            json!({"a": 1, "b": 2}),
            json!({"a": 1, "b": 2, "$and": [{"x": 1}]}),
        ),
    ];
    for (filter, expected) in cases {
        let mut query = Query::new("items");
        query.filter = FilterNode::parse(&filter).unwrap();
        query.push_and(clause.clone());
        assert_eq!(
            compact(&query.filter.to_json()),
            compact(&expected),
            "{filter}"
        );
    }
}

#[test]
fn add_or_goes_before_and() {
    let mut query = Query::new("items");
    query.add("a", Operator::Eq, json!(1));
    query.add_or("b", Operator::Eq, json!(2));
    query.add_or("c", Operator::Eq, json!(3));
    assert_eq!(
        compact(&query.filter.to_json()),
        r#"{"$or":[{"b":2},{"c":3}],"$and":[{"a":1}]}"#
    );
}

#[test]
fn annotations_queries_join_back_to_items() {
    let mut query = Query::new("annotations");
    query.add_join("dir", Operator::Eq, json!("/a"));
    assert_eq!(query.join.unwrap().on, JoinOn::annotations_to_items());
}

#[test]
fn sort_by_keeps_key_positions() {
    let mut query = Query::items_default();
    query.sort_by("a", SortDir::Ascending);
    query.sort_by("b", SortDir::Ascending);
    query.sort_by("a", SortDir::Descending);
    assert_eq!(
        query.to_json()["sort"],
        json!({"a": "descending", "b": "ascending"})
    );
    let text = compact(&query.to_json());
    assert!(
        text.starts_with(r#"{"filter":"#)
            && text.contains(r#""sort":{"a":"descending","b":"ascending"},"page""#)
    );
}

#[test]
fn extras_are_kept_in_order() {
    // The SDK's dataset listing (contract §5) and task listing bodies.
    for text in [
        r#"{"filter":{"$and":[{"name":"images"}]},"page":0,"pageSize":1000,"resource":"datasets","context":{"projects":["p1"]}}"#,
        r#"{"filter":{"$and":[{"datasetId":"d1"}]},"page":0,"pageSize":500,"resource":"tasks","context":{"projectIds":["p1"]},"systemSpace":true,"references":{"operation":"create","refs":[{"type":"task","id":"t"}]}}"#,
        r#"{"filter":{},"page":3,"pageSize":10,"resource":"items","join":{"on":{"resource":"annotations","local":"itemId","forigen":"id"},"filter":{"label":"x"},"zzz":1}}"#,
    ] {
        let query = Query::parse_str(text).unwrap();
        assert_eq!(compact(&query.to_json()), text);
    }
    let query = Query::parse_str(r#"{"filter":{},"resource":"tasks","context":{"a":1}}"#).unwrap();
    assert_eq!(
        query.extra,
        json!({"context": {"a": 1}}).as_object().unwrap().clone()
    );
    assert_eq!((query.page, query.page_size), (0, DEFAULT_PAGE_SIZE));
}

#[test]
fn missing_parts_take_the_sdk_defaults() {
    let query = Query::parse(&json!({"filter": {"name": "x"}})).unwrap();
    assert_eq!(
        compact(&query.to_json()),
        r#"{"filter":{"name":"x"},"page":0,"pageSize":1000,"resource":"items"}"#
    );
    let query = Query::parse(&json!({})).unwrap();
    assert_eq!(query.filter, FilterNode::empty());
}

#[test]
fn malformed_queries_are_errors() {
    let cases = [
        (json!([]), "a query must be a JSON object"),
        (json!({"page": -1}), "page: expected a non-negative integer"),
        (
            json!({"pageSize": 1.5}),
            "pageSize: expected a non-negative integer",
        ),
        (json!({"resource": 1}), "resource: expected a string"),
        (
            json!({"sort": {"a": "up"}}),
            "sort.a: expected \"ascending\" or \"descending\"",
        ),
        (json!({"sort": []}), "sort: expected an object"),
        (json!({"join": {"filter": {}}}), "join.on: missing"),
        (json!({"join": 1}), "join: expected an object"),
        (
            json!({"join": {"on": {"resource": "annotations"}}}),
            "join.on: expected {\"resource\", \"local\", \"forigen\"} strings",
        ),
        (
            json!({"join": {"on": {"resource": "a", "local": "b", "forigen": "c"}, "filter": {"x": {"$near": 1}}}}),
            "join.filter.x: unknown operator $near",
        ),
        (
            json!({"filter": {"$and": [{}, {}, {"createdAt": {"$near": [1, 2]}}]}}),
            "filter.$and[2].createdAt: unknown operator $near",
        ),
    ];
    for (value, message) in cases {
        assert_eq!(
            Query::parse(&value).unwrap_err().to_string(),
            message,
            "{value}"
        );
    }
    assert!(Query::parse_str("{")
        .unwrap_err()
        .to_string()
        .starts_with("not valid JSON"));
    // The lenient parser still rejects a malformed query, but keeps unknown filter shapes.
    assert!(Query::parse_lenient(&json!({"page": "x"})).is_err());
    let value =
        json!({"filter": {"x": {"$near": 1}}, "page": 0, "pageSize": 1000, "resource": "items"});
    assert_eq!(Query::parse_lenient(&value).unwrap().to_json(), value);
    assert_eq!(
        Query::parse_str_lenient(r#"{"filter":{"x":{"$near":1}}}"#)
            .unwrap()
            .filter,
        FilterNode::Raw(json!({"x": {"$near": 1}}))
    );
}

#[test]
fn serde_uses_the_dql_form() {
    let query = Query::parse_str(EXAMPLES[1]).unwrap();
    let text = serde_json::to_string(&query).unwrap();
    assert_eq!(text, compact(&query.to_json()));
    let back: Query = serde_json::from_str(&text).unwrap();
    assert_eq!(back, query);
    let node: FilterNode = serde_json::from_str(r#"{"a":{"$near":1}}"#).unwrap();
    assert_eq!(node, FilterNode::Raw(json!({"a": {"$near": 1}})));
    assert_eq!(
        serde_json::to_value(&node).unwrap(),
        json!({"a": {"$near": 1}})
    );
}

// ---------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------

/// A JSON value of any type, nested up to three levels; object keys may start with `$`.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Eighths print in few digits, so they survive a trip through JSON text exactly.
        (-8_000_000i32..8_000_000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
        "[a-z*/.é]{0,6}".prop_map(Value::from),
        Just(json!("2024-01-01T00:00:00.000Z")),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::vec(("\\$?[a-z]{1,3}", inner), 0..3)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// A field path: common item fields and random dot paths (never starting with `$`).
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "hidden",
            "type",
            "dir",
            "filename",
            "name",
            "createdAt",
            "metadata.system.size",
            "metadata.system.refs",
            "metadata.user.tag",
        ])
        .prop_map(str::to_owned),
        "[a-z]{1,4}(\\.[a-z]{1,4}){0,2}",
    ]
}

/// A `$match` operand the strict parser accepts: fields with plain values, known operators
/// or nested objects of the same kind.
fn match_operand() -> impl Strategy<Value = Value> {
    let value = prop_oneof![
        any::<i64>().prop_map(Value::from),
        "[a-z]{0,4}".prop_map(Value::from),
        any::<bool>().prop_map(|b| json!({"$exists": b})),
        prop::collection::vec("[a-z]{0,3}", 0..3).prop_map(|v| json!({"$in": v})),
    ];
    let nested = value.prop_recursive(2, 8, 3, |inner| {
        prop::collection::vec(("[a-z]{1,3}", inner), 1..3)
            .prop_map(|entries| Value::Object(entries.into_iter().collect()))
    });
    prop::collection::vec(("[a-z]{1,3}", nested), 0..3)
        .prop_map(|entries| Value::Object(entries.into_iter().collect()))
}

/// A condition with any operator; `Eq` operands are never operator objects (that JSON reads
/// as the operator itself, see the filter module docs).
fn condition() -> impl Strategy<Value = FilterNode> {
    let operand = any_json().prop_filter("an Eq operand must not look like operators", |v| {
        filter::operator_object(v).is_none()
    });
    prop_oneof![
        (
            field(),
            prop::sample::select(Operator::ALL.to_vec()),
            operand
        )
            .prop_map(|(field, operator, value)| {
                let operator = if operator == Operator::Match {
                    Operator::Eq
                } else {
                    operator
                };
                FilterNode::condition(field, operator, value)
            }),
        (field(), match_operand()).prop_map(|(field, value)| FilterNode::condition(
            field,
            Operator::Match,
            value
        )),
    ]
}

/// A clause with an operator the tree does not know, kept as `Raw` by the lenient parser.
fn raw_clause() -> impl Strategy<Value = FilterNode> {
    (
        field(),
        prop::sample::select(vec!["$near", "$regex", "$size"]),
        any_json(),
    )
        .prop_map(|(field, op, value)| FilterNode::Raw(json!({ field: { op: value } })))
}

/// Random trees of depth ≤ 4 built from the constructors, `merged` groups included.
fn tree(with_raw: bool) -> impl Strategy<Value = FilterNode> {
    let leaf = if with_raw {
        prop_oneof![4 => condition(), 1 => raw_clause()].boxed()
    } else {
        condition().boxed()
    };
    leaf.prop_recursive(4, 48, 4, |inner| {
        (
            prop::sample::select(vec![GroupOp::And, GroupOp::Or]),
            any::<bool>(),
            prop::collection::vec(inner, 0..5),
        )
            .prop_map(|(op, merged, children)| FilterNode::Group {
                op,
                children,
                merged,
            })
    })
}

/// The canonical form of a generated tree, i.e. what parsing its printed JSON must give,
/// computed from the rules in the filter module docs (independently of the parser).
fn normalize(node: &FilterNode) -> FilterNode {
    let FilterNode::Group {
        op,
        children,
        merged,
    } = node
    else {
        return node.clone();
    };
    let children: Vec<FilterNode> = children.iter().map(normalize).collect();
    if *op == GroupOp::Or || !merged {
        return FilterNode::Group {
            op: *op,
            children,
            merged: false,
        };
    }
    // A merged child that is still merged after normalisation printed as one object: its
    // clauses join this object.
    let clauses: Vec<FilterNode> = children
        .iter()
        .flat_map(|child| match child {
            FilterNode::Group {
                merged: true,
                children,
                ..
            } => children.clone(),
            other => vec![other.clone()],
        })
        .collect();
    // Clauses sharing a key must all be distinct operators on one field.
    let key_of = |clause: &FilterNode| -> (String, Option<String>) {
        match clause {
            FilterNode::Condition {
                field, operator, ..
            } => (field.clone(), operator.key().map(str::to_owned)),
            FilterNode::Group { op, .. } => (op.key().to_owned(), None),
            FilterNode::Raw(Value::Object(map)) => {
                let (field, ops) = map.iter().next().expect("raw clauses have one key");
                let op = ops.as_object().and_then(|o| o.keys().next()).cloned();
                (field.clone(), op)
            }
            FilterNode::Raw(_) => unreachable!("generated raws are objects"),
        }
    };
    // Clauses by key in first-occurrence order, each with its operator key.
    type Clauses = Vec<(Option<String>, FilterNode)>;
    let mut grouped: Vec<(String, Clauses)> = Vec::new();
    for clause in clauses {
        let (key, op) = key_of(&clause);
        match grouped.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push((op, clause)),
            None => grouped.push((key, vec![(op, clause)])),
        }
    }
    let mergeable = grouped.iter().all(|(_, list)| {
        list.len() == 1
            || list
                .iter()
                .enumerate()
                .all(|(i, (op, _))| op.is_some() && list[..i].iter().all(|(other, _)| other != op))
    });
    if !mergeable {
        return FilterNode::Group {
            op: GroupOp::And,
            children,
            merged: false,
        };
    }
    let mut clauses: Vec<FilterNode> = grouped
        .into_iter()
        .flat_map(|(_, list)| list.into_iter().map(|(_, clause)| clause))
        .collect();
    if clauses.len() == 1 {
        return clauses.pop().unwrap();
    }
    FilterNode::Group {
        op: GroupOp::And,
        children: clauses,
        merged: true,
    }
}

/// A filter-like JSON object: logical lists, fields with plain values or operator objects
/// (known and unknown operators), unknown `$` keys, non-object list entries.
fn filter_json() -> impl Strategy<Value = Value> {
    let operand = prop_oneof![
        any_json(),
        prop::collection::vec(
            (
                prop::sample::select(vec!["$gt", "$lte", "$in", "$eq", "$exists", "$near"]),
                any_json()
            ),
            1..3
        )
        .prop_map(|ops| Value::Object(ops.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
    ];
    let leaf = prop::collection::vec((field(), operand), 0..3)
        .prop_map(|entries| Value::Object(entries.into_iter().collect()));
    leaf.prop_recursive(4, 32, 4, |inner| {
        let list_entry = prop_oneof![4 => inner, 1 => any_json()];
        prop::collection::vec(
            (
                prop::sample::select(vec!["$and", "$or", "$nor", "x", "$and"]),
                prop_oneof![
                    4 => prop::collection::vec(list_entry, 0..4).prop_map(Value::Array),
                    1 => any_json(),
                ],
            ),
            0..3,
        )
        .prop_map(|entries| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
            )
        })
    })
}

fn any_query() -> impl Strategy<Value = Query> {
    (
        tree(true),
        proptest::option::of(tree(true)),
        prop::collection::vec((field(), any::<bool>()), 0..3),
        any::<u32>(),
        any::<u32>(),
        prop::sample::select(vec!["items", "annotations", "tasks", "datasets"]),
        prop::collection::vec(
            (
                prop::sample::select(vec!["context", "systemSpace", "references", "zz"]),
                any_json(),
            ),
            0..3,
        ),
    )
        .prop_map(|(filter, join, sort, page, page_size, resource, extra)| {
            let mut sort_keys: Vec<(String, SortDir)> = Vec::new();
            for (field, descending) in sort {
                if sort_keys.iter().all(|(f, _)| *f != field) {
                    let dir = if descending {
                        SortDir::Descending
                    } else {
                        SortDir::Ascending
                    };
                    sort_keys.push((field, dir));
                }
            }
            Query {
                filter,
                join: join.map(|filter| Join {
                    on: JoinOn::items_to_annotations(),
                    filter,
                    extra: Map::new(),
                }),
                sort: sort_keys,
                page,
                page_size,
                resource: resource.to_owned(),
                extra: extra.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            }
        })
}

fn has_raw(node: &FilterNode) -> bool {
    match node {
        FilterNode::Raw(_) => true,
        FilterNode::Group { children, .. } => children.iter().any(has_raw),
        FilterNode::Condition { .. } => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Trees without unknown shapes: print → strict parse gives the canonical tree, and
    /// print → parse → print is the identity.
    #[test]
    fn strict_round_trip(node in tree(false)) {
        let printed = node.to_json();
        let parsed = FilterNode::parse(&printed).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&parsed, &normalize(&node));
        prop_assert_eq!(compact(&parsed.to_json()), compact(&printed));
    }

    /// Trees with `Raw` clauses: the strict parser refuses them, the lenient one round-trips.
    #[test]
    fn lenient_round_trip(node in tree(true)) {
        let printed = node.to_json();
        let parsed = FilterNode::parse_lenient(&printed);
        prop_assert_eq!(&parsed, &normalize(&node));
        prop_assert_eq!(compact(&parsed.to_json()), compact(&printed));
        prop_assert_eq!(FilterNode::parse(&printed).is_ok(), !has_raw(&node));
        // A canonical tree is its own normal form.
        prop_assert_eq!(normalize(&parsed), parsed);
    }

    /// Any filter-like JSON prints back exactly, key order included.
    #[test]
    fn json_prints_back_exactly(value in filter_json()) {
        let parsed = FilterNode::parse_lenient(&value);
        prop_assert_eq!(compact(&parsed.to_json()), compact(&value));
        if let Ok(strict) = FilterNode::parse(&value) {
            prop_assert_eq!(strict, parsed);
        }
    }

    /// Whole queries: print → parse gives the query back (filters in canonical form) and
    /// prints identically.
    #[test]
    fn query_round_trip(query in any_query()) {
        let printed = query.to_json();
        let parsed = Query::parse_lenient(&printed).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut expected = query.clone();
        expected.filter = normalize(&query.filter);
        if let Some(join) = &mut expected.join {
            join.filter = normalize(&join.filter);
        }
        prop_assert_eq!(&parsed, &expected);
        prop_assert_eq!(compact(&parsed.to_json()), compact(&printed));
        let text = parsed.to_python_string();
        prop_assert_eq!(Query::parse_str_lenient(&text).map_err(|e| TestCaseError::fail(e.to_string()))?, parsed);
    }
}
