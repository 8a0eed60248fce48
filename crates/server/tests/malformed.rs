//! Bad input on every endpoint that takes a body, path ids or a query string (issue 10, "Bad
//! input"): each answer is a 4xx with the JSON error body `{"status", "message"}` whose message
//! says what was wrong, and the server keeps answering. The in-process tables drive the real
//! router; the last tests send raw bytes to the real binary over TCP.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::*;
use serde_json::{json, Value};

/// The error body of a 4xx: its status matches, its message is non-empty and mentions
/// `phrase` (case-insensitive; `a|b` accepts either).
fn assert_error(reply: &Reply, status: StatusCode, phrase: &str, what: &str) {
    let shown = || {
        let mut text = reply.text.clone();
        if text.len() > 600 {
            let mut cut = 600;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push_str("...");
        }
        text
    };
    assert_eq!(reply.status, status, "{what}: {}", shown());
    assert!(status.is_client_error(), "{what}");
    assert_eq!(
        reply.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..]),
        "{what}"
    );
    assert_eq!(reply.json["status"], status.as_u16(), "{what}: {}", shown());
    let message = reply.json["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{what}: {}", shown());
    let lower = message.to_lowercase();
    assert!(
        phrase.split('|').any(|p| lower.contains(&p.to_lowercase())),
        "{what}: message {:?} does not mention {phrase:?}",
        &message[..message.len().min(300)]
    );
}

/// Sends raw bytes with an optional token and content type.
async fn send_raw(
    server: &TestServer,
    method: &Method,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Reply {
    let mut request = Request::builder().method(method.clone()).uri(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    server.send(request.body(Body::from(body)).unwrap()).await
}

/// The server still answers a normal request.
async fn still_answers(server: &TestServer, token: &str) {
    let me = server.get("/api/v1/users/me", token).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.json["email"], MANAGER);
}

/// Ids the endpoints need to get past "not found".
struct Ids {
    project_id: String,
    dataset_id: String,
    task_id: String,
    assignment_id: String,
    item_id: String,
}

async fn ids(server: &TestServer, token: &str) -> Ids {
    let (project_id, dataset_id) = server.demo_ids(token).await;
    let tasks = server
        .post(
            "/api/v1/annotationtasks/query",
            token,
            json!({"filter": {"name": "demo-labeling"}, "resource": "tasks"}),
        )
        .await;
    let task_id = tasks.json["items"][0]["id"].as_str().unwrap().to_string();
    let assignments = server
        .get(&format!("/api/v1/assignments?taskId={task_id}"), token)
        .await;
    let assignment_id = assignments.json["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let items = server
        .all_items(
            token,
            &dataset_id,
            json!({"metadata.system.refs.id": assignment_id}),
        )
        .await;
    Ids {
        project_id,
        dataset_id,
        task_id,
        assignment_id,
        item_id: items[0]["id"].as_str().unwrap().to_string(),
    }
}

/// Every endpoint that reads a JSON body: (name, method, path, a valid body).
fn body_endpoints(ids: &Ids) -> Vec<(&'static str, Method, String, Value)> {
    vec![
        (
            "token",
            Method::POST,
            "/token?default".to_string(),
            json!({"type": "user_credentials", "username": MANAGER, "password": PASSWORD}),
        ),
        (
            "datasets query",
            Method::POST,
            "/api/v1/datasets/query".into(),
            json!({"filter": {}, "resource": "datasets"}),
        ),
        (
            "items query",
            Method::POST,
            format!("/api/v1/datasets/{}/query", ids.dataset_id),
            json!({"filter": {}}),
        ),
        (
            "create task",
            Method::POST,
            "/api/v1/annotationtasks".into(),
            task_body(
                "new",
                &ids.project_id,
                &ids.dataset_id,
                json!({}),
                &[ANNOTATOR1],
            ),
        ),
        (
            "tasks query",
            Method::POST,
            "/api/v1/annotationtasks/query".into(),
            json!({"filter": {}, "resource": "tasks"}),
        ),
        (
            "task item statuses",
            Method::POST,
            format!("/api/v1/assignments/items/tasks/{}/status", ids.task_id),
            json!({"itemIds": [ids.item_id], "statusPayload": {"status": "completed"}}),
        ),
        (
            "assignment item status",
            Method::POST,
            format!(
                "/api/v1/assignments/{}/items/{}/status",
                ids.assignment_id, ids.item_id
            ),
            json!({"status": "discard"}),
        ),
    ]
}

/// `bytes` with every `from` replaced by `to`.
fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// `[[[[...]]]]`, `levels` deep.
fn nested_arrays(levels: usize) -> String {
    format!("{}{}", "[".repeat(levels), "]".repeat(levels))
}

/// `{"filter": {"$and": [{"$and": [ ... ]}]}}`, `levels` groups deep.
fn nested_filter(levels: usize) -> String {
    format!(
        "{{\"filter\": {}{{}}{}}}",
        "{\"$and\": [".repeat(levels),
        "]}".repeat(levels)
    )
}

/// (what, content type, body, status, phrase).
type BodyCase = (
    &'static str,
    Option<&'static str>,
    Vec<u8>,
    StatusCode,
    &'static str,
);

#[tokio::test]
async fn malformed_bodies_on_every_body_endpoint_are_json_4xx() {
    let server = TestServer::with_items(30);
    let token = server.login(MANAGER).await;
    let ids = ids(&server, &token).await;
    let ten_mb = format!("{{\"name\": \"{}\"}}", "x".repeat(10 * 1024 * 1024));
    let json_type = Some("application/json");
    // Too deep, or (where a typed body expects something else at the top) the wrong type:
    // either way a 400 before any recursion into the depth.
    const DEEP: &str = "recursion limit exceeded|invalid type";
    // (what, content type, body, status, phrase); `KEY` stands for a field the endpoint reads.
    let cases: Vec<BodyCase> = vec![
        (
            "empty body",
            json_type,
            vec![],
            StatusCode::BAD_REQUEST,
            "empty",
        ),
        (
            "no content type, empty body",
            None,
            vec![],
            StatusCode::BAD_REQUEST,
            "empty",
        ),
        (
            "whitespace only",
            json_type,
            b" \r\n\t ".to_vec(),
            StatusCode::BAD_REQUEST,
            "empty",
        ),
        (
            "not JSON",
            json_type,
            b"not json".to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed JSON",
        ),
        (
            "truncated",
            json_type,
            br#"{"filter": {"$and": ["#.to_vec(),
            StatusCode::BAD_REQUEST,
            "EOF while parsing",
        ),
        (
            "invalid UTF-8 in a string",
            json_type,
            b"{\"KEY\": \"\xff\xfe\xc3\x28\"}".to_vec(),
            StatusCode::BAD_REQUEST,
            "not valid UTF-8",
        ),
        (
            "invalid UTF-8 outside strings",
            json_type,
            b"\xef\xbb\xbf\xff{}".to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed JSON",
        ),
        (
            "lone surrogate escape",
            json_type,
            br#"{"KEY": "\ud800"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "hex escape|surrogate",
        ),
        (
            "NaN literal",
            json_type,
            br#"{"KEY": NaN}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed JSON",
        ),
        (
            "number out of range",
            json_type,
            br#"{"KEY": 1e400}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "number out of range",
        ),
        (
            "10,000 nested arrays",
            json_type,
            nested_arrays(10_000).into_bytes(),
            StatusCode::BAD_REQUEST,
            DEEP,
        ),
        (
            "10,000 nested arrays in a field",
            json_type,
            format!("{{\"KEY\": {}}}", nested_arrays(10_000)).into_bytes(),
            StatusCode::BAD_REQUEST,
            DEEP,
        ),
        (
            "10,000 nested filter groups in a field",
            json_type,
            format!(
                "{{\"KEY\": {}{{}}{}}}",
                "{\"$and\": [".repeat(10_000),
                "]}".repeat(10_000)
            )
            .into_bytes(),
            StatusCode::BAD_REQUEST,
            DEEP,
        ),
        (
            "10,000 nested objects in a field",
            json_type,
            format!(
                "{{\"KEY\": {}1{}}}",
                "{\"a\": ".repeat(10_000),
                "}".repeat(10_000)
            )
            .into_bytes(),
            StatusCode::BAD_REQUEST,
            DEEP,
        ),
        (
            "10 MB body",
            json_type,
            ten_mb.clone().into_bytes(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "larger than the limit",
        ),
        (
            "10 MB body without a content type",
            None,
            ten_mb.into_bytes(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "larger than the limit",
        ),
        (
            "form content type",
            Some("application/x-www-form-urlencoded"),
            b"name=x&query=y".to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed JSON",
        ),
        (
            "multipart content type",
            Some("multipart/form-data; boundary=x"),
            b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n".to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed JSON",
        ),
        (
            "text content type",
            Some("text/plain; charset=utf-16"),
            b"\xff\xfe{\x00}\x00".to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed JSON",
        ),
    ];
    let mut tried = 0;
    let endpoints = body_endpoints(&ids);
    for (endpoint, method, path, valid) in &endpoints {
        // A valid body followed by anything but whitespace is not one JSON document.
        for garbage in [" {}", "x", "\u{0}", ",", "]"] {
            let body = format!("{valid}{garbage}");
            let reply = send_raw(&server, method, path, Some(&token), json_type, body.into()).await;
            let what = format!("{endpoint}: valid body then {garbage:?}");
            assert_error(
                &reply,
                StatusCode::BAD_REQUEST,
                "trailing characters",
                &what,
            );
            tried += 1;
        }
        let key = valid.as_object().unwrap().keys().next().unwrap().as_bytes();
        for (what, content_type, body, status, phrase) in &cases {
            let body = replace(body, b"KEY", key);
            let reply = send_raw(&server, method, path, Some(&token), *content_type, body).await;
            assert_error(&reply, *status, phrase, &format!("{endpoint}: {what}"));
            tried += 1;
        }
        // The JSON is fine but not an object.
        for body in ["[]", "\"task\"", "42", "null", "true"] {
            let reply = send_raw(&server, method, path, Some(&token), json_type, body.into()).await;
            let phrase = match *endpoint {
                "token" => "user_credentials",
                "task item statuses" | "assignment item status" => "invalid type|expected struct",
                _ => "must be a JSON object",
            };
            assert_error(
                &reply,
                StatusCode::BAD_REQUEST,
                phrase,
                &format!("{endpoint}: {body}"),
            );
            tried += 1;
        }
        still_answers(&server, &token).await;
    }
    assert_eq!(tried, 7 * (5 + cases.len() + 5));
    println!("{tried} malformed bodies on 7 endpoints");
    // None of it changed anything, and each valid body alone is accepted (so the refusals
    // above were about the malformation).
    let tasks = server
        .post("/api/v1/annotationtasks/query", &token, json!({}))
        .await;
    assert_eq!(tasks.json["totalItemsCount"], 1, "{}", tasks.text);
    for (endpoint, method, path, valid) in &endpoints {
        let reply = server
            .call(method.clone(), path, Some(&token), Some(valid.clone()))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{endpoint}: {}", reply.text);
    }
    // The content type itself is not checked, by design (`ApiJson`: dtlpy and curl users do
    // not always send one): valid JSON under another type is read as JSON.
    let reply = send_raw(
        &server,
        &Method::POST,
        "/api/v1/annotationtasks/query",
        Some(&token),
        Some("text/plain"),
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

#[tokio::test]
async fn wrong_types_and_values_name_the_field() {
    let server = TestServer::with_items(30);
    let token = server.login(MANAGER).await;
    let ids = ids(&server, &token).await;
    let huge = "h".repeat(1_900_000);
    let valid_task = task_body(
        "t",
        &ids.project_id,
        &ids.dataset_id,
        json!({}),
        &[ANNOTATOR1],
    );
    let task_with = |key: &str, value: Value| {
        let mut body = valid_task.clone();
        body[key] = value;
        body
    };
    let deep_query = nested_filter(10_000);
    let queries = |resource: &'static str| -> Vec<(Value, &'static str)> {
        vec![
            (json!({"filter": 5}), "filter: expected an object"),
            (
                json!({"filter": {"$and": 5}}),
                "filter.$and: expected an array",
            ),
            (
                json!({"filter": {"$and": [7]}}),
                "filter.$and[0]: expected an object",
            ),
            (
                json!({"filter": {"a": {"$near": 1}}}),
                "unknown operator $near",
            ),
            (json!({"filter": {"a": {"$match": 5}}}), "filter.a.$match"),
            (json!({"page": -1}), "page: expected a non-negative integer"),
            (
                json!({"page": 1.5}),
                "page: expected a non-negative integer",
            ),
            (
                json!({"page": "0"}),
                "page: expected a non-negative integer",
            ),
            (json!({"pageSize": 1001}), "pageSize must be at most 1000"),
            (
                json!({"pageSize": 1e20}),
                "pageSize: expected a non-negative integer",
            ),
            (
                json!({"pageSize": 4294967296u64}),
                "pageSize: expected a non-negative integer",
            ),
            (json!({"sort": 5}), "sort: expected an object"),
            (json!({"sort": {"name": "up"}}), "sort.name"),
            (json!({"resource": 7}), "resource"),
            (
                json!({"resource": if resource == "items" { "tasks" } else { "items" }}),
                "resource",
            ),
            (json!({"join": 5}), "join: expected an object"),
            (json!({"join": {"on": 5}}), "join.on"),
            (
                json!({"filter": {"$and": [{"name": huge.clone(), "$bad": 1}]}}),
                "unknown operator $bad",
            ),
        ]
    };
    // (endpoint, method, path, body, phrase)
    let mut cases: Vec<(&str, Method, String, Value, &str)> = Vec::new();
    for (query, phrase) in queries("datasets") {
        cases.push((
            "datasets query",
            Method::POST,
            "/api/v1/datasets/query".into(),
            query,
            phrase,
        ));
    }
    for (query, phrase) in queries("tasks") {
        cases.push((
            "tasks query",
            Method::POST,
            "/api/v1/annotationtasks/query".into(),
            query,
            phrase,
        ));
    }
    let items_path = format!("/api/v1/datasets/{}/query", ids.dataset_id);
    for (query, phrase) in queries("items") {
        cases.push((
            "items query",
            Method::POST,
            items_path.clone(),
            query,
            phrase,
        ));
    }
    cases.push((
        "items query",
        Method::POST,
        items_path.clone(),
        json!({"join": {"on": {"resource": "tasks", "local": "a", "forigen": "b"}}}),
        "joins are supported only",
    ));
    for (body, phrase) in [
        (json!({"type": 5}), "user_credentials"),
        (
            json!({"type": "user_credentials", "username": 5, "password": "x"}),
            "invalid type",
        ),
        (
            json!({"type": "user_credentials", "username": "a"}),
            "missing field `password`",
        ),
        (
            json!({"type": "refresh_token"}),
            "missing field `refresh_token`",
        ),
        (
            json!({"type": "refresh_token", "refresh_token": ["x"]}),
            "invalid type",
        ),
    ] {
        cases.push(("token", Method::POST, "/token?default".into(), body, phrase));
    }
    for (body, phrase) in [
        (json!({"name": 5}), "field `name`"),
        (
            task_with("query", json!(5)),
            "a query must be a JSON object",
        ),
        (task_with("query", json!("{not json")), "not valid JSON"),
        (
            task_with("query", json!(deep_query)),
            "recursion limit exceeded",
        ),
        (task_with("query", json!(huge)), "not valid JSON"),
        (
            task_with("query", json!("{\"filter\": {\"a\": {\"$near\": 1}}}")),
            "unknown operator $near",
        ),
        (task_with("workload", json!("all")), "field `workload`"),
        (
            task_with("workload", json!([{"assigneeId": ANNOTATOR1, "load": "x"}])),
            "workload[0].load",
        ),
        (
            task_with("workload", json!([{"assigneeId": ANNOTATOR1, "load": 150}])),
            "between 0 and 100",
        ),
        (
            task_with("workload", json!([{"assigneeId": "nobody@x", "load": 100}])),
            "not a member",
        ),
        (task_with("dueDate", json!("tomorrow")), "field `dueDate`"),
        (task_with("dueDate", json!("NaN")), "field `dueDate`"),
        (task_with("dueDate", Value::Null), "due date"),
        (task_with("priority", json!("high")), "field `priority`"),
        (
            task_with("priority", json!(7)),
            "priority must be 1, 2 or 3",
        ),
        (task_with("datasetId", json!(["x"])), "field `datasetId`"),
        (
            task_with("datasetId", json!("nope")),
            "dataset nope not found",
        ),
        (task_with("datasetId", json!(huge)), "not found"),
        (task_with("projectId", json!("other")), "belongs to project"),
        (
            task_with("recipeId", json!("nope")),
            "recipe nope not found",
        ),
        (task_with("spec", json!("qa")), "field `spec`"),
        (
            task_with("spec", json!({"type": "review"})),
            "unknown task type",
        ),
        (
            task_with("spec", json!({"type": "qa", "parentTaskId": "nope"})),
            "task nope does not exist",
        ),
        (task_with("metadata", json!([])), "field `metadata`"),
        (
            task_with("availableActions", json!({})),
            "field `availableActions`",
        ),
        (
            task_with("limit", json!(-1)),
            "limit must be a positive whole number",
        ),
        (
            task_with("limit", json!(1.5)),
            "limit must be a positive whole number",
        ),
        (task_with("name", json!(huge)), "the limit is"),
        (task_with("name", json!("a\u{0}b")), "control characters"),
        (task_with("name", json!("   ")), "task name"),
        (
            task_with("checkIfExist", json!({"nope": 1})),
            "checkIfExist",
        ),
        (
            task_with(
                "query",
                json!(query_string(json!({"name": "no such item"}))),
            ),
            "matched no items",
        ),
    ] {
        cases.push((
            "create task",
            Method::POST,
            "/api/v1/annotationtasks".into(),
            body,
            phrase,
        ));
    }
    let statuses = format!("/api/v1/assignments/items/tasks/{}/status", ids.task_id);
    let completed = json!({"operation": "create", "status": "completed"});
    for (body, phrase) in [
        (
            json!({"itemIds": "one", "statusPayload": completed}),
            "itemIds",
        ),
        (
            json!({"itemIds": [1], "statusPayload": completed}),
            "itemIds[0]",
        ),
        (
            json!({"itemIds": [ids.item_id]}),
            "missing field `statusPayload`",
        ),
        (
            json!({"itemIds": [ids.item_id], "statusPayload": 5}),
            "statusPayload",
        ),
        (
            json!({"itemIds": [ids.item_id], "statusPayload": {"operation": "explode", "status": "completed"}}),
            "operation must be",
        ),
        (
            json!({"itemIds": [ids.item_id], "statusPayload": {"status": "bogus"}}),
            "is not one of the task's actions",
        ),
        (
            json!({"itemIds": [ids.item_id], "statusPayload": {"status": huge}}),
            "is not one of the task's actions",
        ),
        (
            json!({"itemIds": [], "statusPayload": completed}),
            "at least one item",
        ),
    ] {
        cases.push((
            "task item statuses",
            Method::POST,
            statuses.clone(),
            body,
            phrase,
        ));
    }
    let item_status = format!(
        "/api/v1/assignments/{}/items/{}/status",
        ids.assignment_id, ids.item_id
    );
    for (body, phrase) in [
        (json!({}), "missing field `status`"),
        (json!({"status": 5}), "field `status`"),
        (
            json!({"operation": 1, "status": "completed"}),
            "field `operation`",
        ),
        (
            json!({"operation": "explode", "status": "completed"}),
            "operation must be",
        ),
        (
            json!({"status": "bogus"}),
            "is not one of the task's actions",
        ),
    ] {
        cases.push((
            "assignment item status",
            Method::POST,
            item_status.clone(),
            body,
            phrase,
        ));
    }

    for (endpoint, method, path, body, phrase) in &cases {
        let reply = server
            .call(method.clone(), path, Some(&token), Some(body.clone()))
            .await;
        let shown = body.to_string();
        let what = format!("{endpoint}: {}", &shown[..shown.len().min(120)]);
        assert_error(&reply, StatusCode::BAD_REQUEST, phrase, &what);
    }
    assert!(cases.len() > 100, "{}", cases.len());
    println!("{} wrong types and values", cases.len());
    still_answers(&server, &token).await;
    // Nothing was created or changed by any of it.
    let tasks = server
        .post(
            "/api/v1/annotationtasks/query",
            &token,
            json!({"resource": "tasks"}),
        )
        .await;
    assert_eq!(tasks.json["totalItemsCount"], 1, "{}", tasks.text);
}

/// A 400 whose message and body stay short, however large the value that caused it.
fn assert_short_400(reply: &Reply, phrase: &str, what: &str) {
    assert_error(reply, StatusCode::BAD_REQUEST, phrase, what);
    let message = reply.json["message"].as_str().unwrap();
    assert!(
        message.len() < 1_000,
        "{what}: a message of {} bytes: {:.300}",
        message.len(),
        message
    );
    for error in reply.json["errors"].as_array().into_iter().flatten() {
        assert!(error["message"].as_str().unwrap().len() < 1_000, "{what}");
        assert!(error["field"].as_str().unwrap().len() < 1_000, "{what}");
    }
    assert!(
        reply.text.len() < 3_000,
        "{what}: {} bytes",
        reply.text.len()
    );
}

/// Queries over the size limits (issue "Reliability and security"): a 2 MB glob, a huge field
/// name, a `$in` list or a tree over the limits, on every endpoint that evaluates DQL. Each is
/// refused by validation before any item is looked at, with the JSON path and a short message;
/// and values the server echoes in errors (serde's `invalid type: string "…"`, unknown ids)
/// come back cut, not whole.
#[tokio::test]
async fn oversized_queries_and_echoed_values_are_short_400s() {
    let server = TestServer::with_items(30);
    let token = server.login(MANAGER).await;
    let ids = ids(&server, &token).await;
    // Bodies are at most 2 MiB (BODY_LIMIT_BYTES); these stay just under.
    let glob = "*a".repeat(950_000);
    let huge = "h".repeat(1_900_000);
    let list: Vec<usize> = (0..=10_000).collect();
    let conditions: Vec<Value> = (0..10_001).map(|i| json!({"f": i})).collect();
    let filters: Vec<(Value, &str, &str)> = vec![
        (
            json!({"$and": [{"hidden": false}, {"filename": glob.clone()}]}),
            "filter.$and[1].filename",
            "query.value_too_long",
        ),
        (
            json!({"metadata.system.refs": {"$match": {"id": {"$in": [huge.clone()]}}}}),
            "filter.metadata.system.refs",
            "query.value_too_long",
        ),
        (json!({ huge.clone(): 1 }), "", "query.field_too_long"),
        (
            json!({"name": {"$nin": list}}),
            "filter.name",
            "query.list_too_long",
        ),
        (
            json!({"$or": conditions}),
            "filter",
            "query.too_many_conditions",
        ),
    ];
    let items_path = format!("/api/v1/datasets/{}/query", ids.dataset_id);
    let mut tried = 0;
    for (filter, path, code) in &filters {
        let mut requests = vec![
            // The items query, and the app's live count (a small page of the same).
            (
                "items query",
                items_path.clone(),
                json!({"filter": filter, "resource": "items"}),
            ),
            (
                "items count",
                items_path.clone(),
                json!({"filter": filter, "page": 0, "pageSize": 5, "resource": "items"}),
            ),
            (
                "items query, in the join",
                items_path.clone(),
                json!({"filter": {}, "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": filter}}),
            ),
            (
                "datasets query",
                "/api/v1/datasets/query".to_string(),
                json!({"filter": filter, "resource": "datasets"}),
            ),
            (
                "tasks query",
                "/api/v1/annotationtasks/query".to_string(),
                json!({"filter": filter, "resource": "tasks"}),
            ),
        ];
        let mut task = task_body(
            "big",
            &ids.project_id,
            &ids.dataset_id,
            json!({}),
            &[ANNOTATOR1],
        );
        task["checkIfExist"] = json!({"query": {"filter": filter, "resource": "tasks"}});
        requests.push((
            "task creation, checkIfExist",
            "/api/v1/annotationtasks".into(),
            task,
        ));
        for (what, url, body) in requests {
            let what = format!("{what}: {code}");
            let reply = server.post(&url, &token, body).await;
            assert_short_400(&reply, "invalid query", &what);
            let error = &reply.json["errors"][0];
            assert_eq!(error["code"], *code, "{what}: {}", reply.text);
            let field = error["field"].as_str().unwrap();
            // The number of conditions is the whole query's, reported at `filter`.
            let expected = if what.contains("join") && *code != "query.too_many_conditions" {
                path.replacen("filter", "join.filter", 1)
            } else {
                path.to_string()
            };
            if path.is_empty() {
                // The field itself is the huge part: the path quotes it cut.
                let prefix = if what.contains("join") {
                    "join.filter.hhhh"
                } else {
                    "filter.hhhh"
                };
                assert!(field.starts_with(prefix), "{what}: {field:.300}");
                assert!(
                    field.ends_with("h… (1899800 more characters)"),
                    "{what}: {field:.300}"
                );
            } else {
                assert_eq!(field, expected, "{what}");
            }
            tried += 1;
        }
        // The same filter as a task's items query: the form's validation, field `query`.
        let body = task_body(
            "big",
            &ids.project_id,
            &ids.dataset_id,
            filter.clone(),
            &[ANNOTATOR1],
        );
        let reply = server.post("/api/v1/annotationtasks", &token, body).await;
        assert_short_400(&reply, "the limit is", &format!("task creation: {code}"));
        assert_eq!(reply.json["errors"][0]["code"], *code, "{}", reply.text);
        assert_eq!(reply.json["errors"][0]["field"], "query");
        tried += 1;
    }
    assert_eq!(tried, filters.len() * 7);
    println!("{tried} oversized queries");

    // At the limits, the same requests are fine.
    let at_limit = json!({"$and": [{"filename": "*a".repeat(2048)}, {"name": {"$in": (0..10_000).collect::<Vec<_>>()}}]});
    let reply = server
        .post(&items_path, &token, json!({"filter": at_limit}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:.300}", reply.text);
    assert_eq!(reply.json["totalItemsCount"], 0);

    // Values echoed in errors: a 1.9 MB string where another type is expected, or as an id.
    let mut bad_due = task_body(
        "t",
        &ids.project_id,
        &ids.dataset_id,
        json!({}),
        &[ANNOTATOR1],
    );
    bad_due["dueDate"] = json!(huge);
    let mut bad_dataset = bad_due.clone();
    bad_dataset["dueDate"] = json!(1_899_417_600_000.0);
    bad_dataset["datasetId"] = json!(huge);
    let echoes: Vec<(&str, String, Value, &str)> = vec![
        (
            "task dueDate",
            "/api/v1/annotationtasks".into(),
            bad_due,
            "expected f64",
        ),
        (
            "task datasetId",
            "/api/v1/annotationtasks".into(),
            bad_dataset,
            "not found",
        ),
        (
            "task spec type",
            "/api/v1/annotationtasks".into(),
            json!({"name": "t", "spec": {"type": huge}}),
            "unknown task type",
        ),
        (
            "item statuses",
            format!("/api/v1/assignments/items/tasks/{}/status", ids.task_id),
            json!({"itemIds": huge, "statusPayload": {"status": "completed"}}),
            "expected a sequence",
        ),
        (
            "token",
            "/token?default".into(),
            json!({"type": "user_credentials", "username": MANAGER, "password": [huge]}),
            "invalid type",
        ),
        (
            "resource",
            items_path.clone(),
            json!({"resource": huge}),
            "this endpoint queries resource",
        ),
        (
            "unknown operator",
            items_path.clone(),
            json!({"filter": {"a": { format!("${huge}"): 1 }}}),
            "unknown operator",
        ),
    ];
    for (what, url, body, phrase) in echoes {
        let reply = server.post(&url, &token, body).await;
        assert_short_400(&reply, phrase, what);
    }
    still_answers(&server, &token).await;

    // A 5 MB value cannot arrive over HTTP (the body limit answers 413 first), but the cap
    // does not rely on that: the body parser's own error for it is cut too.
    #[derive(Debug, serde::Deserialize)]
    struct Typed {
        #[allow(dead_code)]
        priority: u32,
    }
    let five_mb = format!("{{\"priority\": \"{}\"}}", "h".repeat(5 * 1024 * 1024));
    let err = annotask_server::error::parse_json::<Typed>(five_mb.as_bytes()).unwrap_err();
    let response = axum::response::IntoResponse::into_response(err);
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let json: Value = serde_json::from_slice(&bytes).unwrap();
    let message = json["message"].as_str().unwrap();
    assert!(message.len() < 1_000, "{} bytes", message.len());
    assert!(message.contains("invalid type: string \"hhhh"), "{message}");
    assert!(message.contains("expected u32"), "{message}");
    assert!(bytes.len() < 3_000, "{} bytes", bytes.len());
}

#[tokio::test]
async fn bad_ids_in_paths_and_bad_query_strings_are_json_4xx() {
    let server = TestServer::with_items(20);
    let token = server.login(MANAGER).await;
    let ids = ids(&server, &token).await;
    let long = "a".repeat(10_000);
    // "not found", or for an item id "the item is not in assignment ...".
    const NOT_FOUND: &str = "not found|is not in";
    // (id, status, phrase): percent-decoding to invalid UTF-8 is a 400; anything else is an id
    // that does not exist.
    let bad_ids: Vec<(&str, StatusCode, &str)> = vec![
        ("%FF", StatusCode::BAD_REQUEST, "invalid path"),
        ("%C3%28", StatusCode::BAD_REQUEST, "invalid path"),
        ("%ED%A0%80", StatusCode::BAD_REQUEST, "invalid path"),
        ("nope", StatusCode::NOT_FOUND, NOT_FOUND),
        ("%00", StatusCode::NOT_FOUND, NOT_FOUND),
        ("a%2Fb", StatusCode::NOT_FOUND, NOT_FOUND),
        ("..%2F..%2Fetc%2Fpasswd", StatusCode::NOT_FOUND, NOT_FOUND),
        ("'%20OR%201=1--", StatusCode::NOT_FOUND, NOT_FOUND),
        ("%F0%9F%98%80", StatusCode::NOT_FOUND, NOT_FOUND),
        ("%20", StatusCode::NOT_FOUND, NOT_FOUND),
        (&long, StatusCode::NOT_FOUND, NOT_FOUND),
    ];
    let mut tried = 0;
    for (route, methods) in annotask_server::api_routes() {
        if !route.contains('{') {
            continue;
        }
        let _ = methods;
        for method in [Method::GET, Method::POST, Method::DELETE] {
            // Only the methods the route has (others are 405s, covered in access.rs).
            let probe = server
                .call(
                    method.clone(),
                    &format!(
                        "/api/v1{}",
                        route
                            .replace("{item_id}", &ids.item_id)
                            .replace("{id}", "nope")
                    ),
                    Some(&token),
                    Some(json!({})),
                )
                .await;
            if probe.status == StatusCode::METHOD_NOT_ALLOWED {
                continue;
            }
            let body = if route.ends_with("/status") && route.contains("{item_id}") {
                json!({"operation": "create", "status": "completed"})
            } else if route.ends_with("/status") {
                json!({"itemIds": [ids.item_id], "statusPayload": {"status": "completed"}})
            } else {
                json!({"resource": "items"})
            };
            for (id, status, phrase) in &bad_ids {
                // Each parameter in turn is the bad one; the others are real.
                let mut variants =
                    vec![route.replace("{id}", id).replace("{item_id}", &ids.item_id)];
                if route.contains("{item_id}") {
                    variants.push(
                        route
                            .replace("{id}", &ids.assignment_id)
                            .replace("{item_id}", id),
                    );
                }
                for path in variants {
                    let path = format!("/api/v1{path}");
                    let reply = server
                        .call(method.clone(), &path, Some(&token), Some(body.clone()))
                        .await;
                    let what = format!("{method} {route} with id {:.40}", id);
                    assert_error(&reply, *status, phrase, &what);
                    tried += 1;
                }
            }
        }
    }
    assert!(tried >= 12 * bad_ids.len(), "{tried}");
    println!("{tried} bad path ids");

    // `GET /assignments` takes a query string.
    let long_task = format!("taskId={long}");
    let bad_queries: Vec<(&str, StatusCode, &str)> = vec![
        ("pageSize=lots", StatusCode::BAD_REQUEST, "pageSize"),
        ("pageSize=-1", StatusCode::BAD_REQUEST, "pageSize"),
        ("pageSize=1.5", StatusCode::BAD_REQUEST, "pageSize"),
        (
            "pageSize=1001",
            StatusCode::BAD_REQUEST,
            "pageSize must be at most 1000",
        ),
        (
            "pageSize=99999999999999999999999",
            StatusCode::BAD_REQUEST,
            "pageSize",
        ),
        ("pageOffset=x", StatusCode::BAD_REQUEST, "pageOffset"),
        ("pageOffset=%FF", StatusCode::BAD_REQUEST, "pageOffset"),
        (
            "taskId=a&taskId=b",
            StatusCode::BAD_REQUEST,
            "duplicate field",
        ),
        (
            "taskId=nope",
            StatusCode::NOT_FOUND,
            "annotation task nope not found",
        ),
        ("taskId=%FF%FE", StatusCode::NOT_FOUND, "not found"),
        ("taskId=%00", StatusCode::NOT_FOUND, "not found"),
        (&long_task, StatusCode::NOT_FOUND, "not found"),
    ];
    for (query, status, phrase) in &bad_queries {
        let reply = server
            .get(&format!("/api/v1/assignments?{query}"), &token)
            .await;
        assert_error(
            &reply,
            *status,
            phrase,
            &format!("GET /assignments?{query:.60}"),
        );
    }
    println!("{} bad query strings", bad_queries.len());
    // Harmless oddities still answer normally.
    for query in [
        "",
        "&&&",
        "=",
        "%%%",
        "projects=%FF",
        "pageOffset=18446744073709551615",
    ] {
        let reply = server
            .get(&format!("/api/v1/assignments?{query}"), &token)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "?{query}: {}", reply.text);
    }
    // Routes outside the API and unknown API routes are JSON 404s too.
    for path in [
        "/api/v1/",
        "/api/v1/annotationtasks/",
        "/api/v1/%FF",
        "/api/v2/projects",
    ] {
        let reply = server.get(path, &token).await;
        assert_error(&reply, StatusCode::NOT_FOUND, "no", path);
    }
    still_answers(&server, &token).await;
}

// --- The real binary over TCP --------------------------------------------------------------

/// The server binary on an in-memory database; killed when dropped.
struct Binary {
    child: Child,
    port: u16,
}

impl Binary {
    fn start() -> Binary {
        let args = ["--db", ":memory:", "--demo", "--demo-items", "20"].map(std::ffi::OsStr::new);
        let (child, port) = spawn_binary(&args, Stdio::null(), None);
        Binary { child, port }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        stream
            .set_write_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        stream
    }

    /// Sends `head` then `body` and reads the whole answer (the server closes after it).
    fn exchange(&self, head: &[u8], body: &[u8]) -> (u16, String) {
        let mut stream = self.connect();
        stream.write_all(head).unwrap();
        stream.write_all(body).unwrap();
        read_answer(stream)
    }

    fn login(&self) -> String {
        let body = json!({"type": "user_credentials", "username": MANAGER, "password": PASSWORD})
            .to_string();
        let head = format!(
            "POST /token?default HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let (status, body) = self.exchange(head.as_bytes(), body.as_bytes());
        assert_eq!(status, 200, "{body}");
        let json: Value = serde_json::from_str(&body).unwrap();
        json["id_token"].as_str().unwrap().to_string()
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The status code and body of an HTTP/1.1 answer read to the end of the connection.
fn read_answer(mut stream: TcpStream) -> (u16, String) {
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw) {
        assert!(!raw.is_empty(), "no answer: {e}");
    }
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A JSON error body with `status` and a message mentioning `phrase`.
fn assert_json_error(status: u16, body: &str, expected: u16, phrase: &str, what: &str) {
    assert_eq!(status, expected, "{what}: {body}");
    let json: Value =
        serde_json::from_str(body).unwrap_or_else(|_| panic!("{what}: not JSON: {body:?}"));
    assert_eq!(json["status"], expected, "{what}");
    let message = json["message"].as_str().unwrap();
    assert!(message.contains(phrase), "{what}: {message:?}");
}

#[test]
fn raw_invalid_utf8_and_oversized_bodies_over_tcp() {
    let server = Binary::start();
    let token = server.login();
    let post = |path: &str, length: usize, extra: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n{extra}Content-Length: {length}\r\nConnection: close\r\n\r\n"
        )
    };

    // Invalid UTF-8 in a JSON body, on every kind of body endpoint.
    let body = b"{\"name\": \"\xff\xfe\", \"query\": \"\xc3\x28\"}";
    for path in [
        "/token?default",
        "/api/v1/annotationtasks",
        "/api/v1/datasets/query",
    ] {
        let (status, answer) = server.exchange(post(path, body.len(), "").as_bytes(), body);
        assert_json_error(status, &answer, 400, "not valid UTF-8", path);
    }

    // A 10,000-deep body.
    let deep = nested_filter(10_000);
    let (status, answer) = server.exchange(
        post("/api/v1/annotationtasks/query", deep.len(), "").as_bytes(),
        deep.as_bytes(),
    );
    assert_json_error(
        status,
        &answer,
        400,
        "recursion limit exceeded",
        "deep body",
    );

    // 10 MB announced: the server answers 413 once the 2 MiB limit is passed. Exactly one
    // byte more than the limit is sent, so the server has read everything sent when it
    // closes (no reset racing the answer).
    let limit = annotask_server::BODY_LIMIT_BYTES;
    let mut over = b"{\"name\": \"".to_vec();
    over.resize(limit + 1, b'x');
    let ten_mb = 10 * 1024 * 1024;
    let (status, answer) = server.exchange(
        post("/api/v1/annotationtasks", ten_mb, "").as_bytes(),
        &over,
    );
    assert_json_error(
        status,
        &answer,
        413,
        "larger than the limit",
        "10 MB, content-length",
    );

    // The same, chunked.
    let mut stream = server.connect();
    let head = format!(
        "POST /api/v1/annotationtasks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut sent = 0;
    while sent <= limit {
        let chunk = &over[..(limit + 1 - sent).min(64 * 1024)];
        stream
            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .unwrap();
        stream.write_all(chunk).unwrap();
        stream.write_all(b"\r\n").unwrap();
        sent += chunk.len();
    }
    let (status, answer) = read_answer(stream);
    assert_json_error(
        status,
        &answer,
        413,
        "larger than the limit",
        "10 MB, chunked",
    );

    // Invalid UTF-8 in the authorization header: a JSON 401.
    let mut head = b"GET /api/v1/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \xff\xfe\r\nConnection: close\r\n\r\n".to_vec();
    let (status, answer) = server.exchange(&head, b"");
    assert_json_error(
        status,
        &answer,
        401,
        "malformed authorization header",
        "header",
    );

    // Percent-encoded invalid UTF-8 in a path reaches the router: a JSON 400.
    let (status, answer) = server.exchange(
        format!("GET /api/v1/annotationtasks/%FF HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n").as_bytes(),
        b"",
    );
    assert_json_error(status, &answer, 400, "invalid path", "%FF in a path");

    // Raw invalid UTF-8 in the request line is not HTTP: hyper refuses it with a bare 400
    // before any route runs (no JSON body is possible there), and the server carries on.
    head = b"GET /api/v1/annotationtasks/\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_vec();
    let (status, _) = server.exchange(&head, b"");
    assert_eq!(status, 400);

    // Still serving.
    let (status, answer) = server.exchange(
        format!("GET /api/v1/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n").as_bytes(),
        b"",
    );
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains(MANAGER));
}

/// The deepest task the server accepts is stored and read back whole: a task whose
/// `description` and `metadata` are nested as deep as allowed, and its Command (which holds
/// the whole request two levels down, in `spec.createTaskPayload`), both readable by a JSON
/// parser with serde_json's limit. One level more is a 400 naming the limit.
#[tokio::test]
async fn the_deepest_accepted_task_reads_back() {
    let server = TestServer::with_items(20);
    let token = server.login(MANAGER).await;
    let (project_id, dataset_id) = server.demo_ids(&token).await;
    let nest = |levels: usize| {
        let mut value = json!(1);
        for _ in 0..levels {
            value = json!({ "a": value });
        }
        value
    };
    // Find the deepest `description` a create request may carry.
    let body_with = |levels: usize| {
        let mut body = task_body("deep", &project_id, &dataset_id, json!({}), &[ANNOTATOR1]);
        body["description"] = nest(levels);
        body["metadata"] = json!({"user": nest(levels.saturating_sub(2))});
        body
    };
    let mut levels = 100;
    loop {
        let reply = server
            .post(
                "/api/v1/annotationtasks/query",
                &token,
                json!({"x": body_with(levels + 1)}),
            )
            .await;
        if reply.status != StatusCode::OK {
            break;
        }
        levels += 1;
    }
    // The deepest body any route reads is deeper than a task may be.
    let limit = annotask_server::routes::tasks::MAX_TASK_BODY_DEPTH;
    assert!(levels + 2 > limit, "{levels}");
    let levels = limit - 1; // the description, inside the body
    let created = server
        .post("/api/v1/annotationtasks", &token, body_with(levels))
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    let task_id = created.json["spec"]["createdTaskId"].as_str().unwrap();
    let task = server
        .get(&format!("/api/v1/annotationtasks/{task_id}"), &token)
        .await;
    assert_eq!(task.status, StatusCode::OK, "{}", task.text);
    assert_eq!(task.json["description"], nest(levels));
    let command_id = created.json["id"].as_str().unwrap();
    let command = server
        .get(&format!("/api/v1/commands/{command_id}"), &token)
        .await;
    assert_eq!(command.status, StatusCode::OK, "{}", command.text);
    assert_eq!(command.json, created.json);
    // One level deeper is refused, saying why.
    let deeper = server
        .post("/api/v1/annotationtasks", &token, body_with(levels + 1))
        .await;
    assert_error(
        &deeper,
        StatusCode::BAD_REQUEST,
        "levels deep; at most 125",
        "one level deeper",
    );
}
