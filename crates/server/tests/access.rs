//! Who may call what (issue 10, "Access"): every `/api/v1` route refuses requests without a
//! valid token, annotators cannot manage tasks, and nothing of a project is reachable by id
//! for someone who is not a member of it.

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use serde_json::{json, Value};

use annotask_server::auth::{Claims, JwtKey};

const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

/// A route's path with its parameters filled in.
fn concrete(path: &str) -> String {
    format!(
        "/api/v1{}",
        path.replace("{item_id}", "i0").replace("{id}", "x0")
    )
}

/// Every `(method, route)` the router answers under `/api/v1`, found by asking it: paths from
/// [`annotask_server::api_routes`] (what `build_router` mounts), methods by probing each path
/// without a token. A method the route lacks answers 405; one it has must answer 401, so a
/// route that forgot its `AuthUser` fails here.
async fn api_surface(server: &TestServer) -> Vec<(Method, &'static str)> {
    let mut surface = Vec::new();
    for (path, _) in annotask_server::api_routes() {
        let mut methods = 0;
        for method in METHODS {
            let reply = server
                .call(method.clone(), &concrete(path), None, Some(json!({})))
                .await;
            match reply.status {
                StatusCode::METHOD_NOT_ALLOWED => {}
                StatusCode::UNAUTHORIZED => {
                    methods += 1;
                    surface.push((method, path));
                }
                other => panic!(
                    "{method} {path} without a token answered {other}, not 401 or 405: {}",
                    reply.text
                ),
            }
        }
        assert!(methods > 0, "{path}: no method answers");
    }
    surface
}

#[tokio::test]
async fn every_api_route_refuses_missing_expired_forged_and_unsigned_tokens() {
    let server = TestServer::with_items(20);
    let manager = server.login(MANAGER).await;
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(manager.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    let (sub, exp) = (
        claims["sub"].as_str().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );

    let expired = server.state.jwt.sign(&Claims {
        sub: sub.into(),
        email: MANAGER.into(),
        iat: 1,
        exp: 2,
    });
    let forged = JwtKey::random().sign(&Claims {
        sub: sub.into(),
        email: MANAGER.into(),
        iat: 1,
        exp,
    });
    let unsigned_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let claims_part = manager.split('.').nth(1).unwrap();
    let alg_none = format!("{unsigned_header}.{claims_part}.");
    // `alg: none` keeping the genuine signature: the algorithm alone must be refused.
    let alg_none_signed = format!(
        "{unsigned_header}.{claims_part}.{}",
        manager.split('.').nth(2).unwrap()
    );
    let lowercase_alg = format!(
        "{}.{claims_part}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"NONE"}"#)
    );
    // (authorization header, what the message must say)
    let bad: Vec<(Option<String>, &str)> = vec![
        (None, "missing authorization header"),
        (Some(format!("Bearer {expired}")), "token expired"),
        (Some(format!("Bearer {forged}")), "invalid token signature"),
        (
            Some(format!("Bearer {alg_none}")),
            "unsupported token algorithm",
        ),
        (
            Some(format!("Bearer {alg_none_signed}")),
            "unsupported token algorithm",
        ),
        (
            Some(format!("Bearer {lowercase_alg}")),
            "unsupported token algorithm",
        ),
        (Some("Bearer ".into()), "malformed token"),
        (Some("Bearer a.b".into()), "malformed token"),
        (Some(format!("Basic {manager}")), "not a Bearer token"),
        (Some(manager.clone()), "not a Bearer token"),
    ];

    let surface = api_surface(&server).await;
    assert!(surface.len() >= 18, "{surface:?}");
    let mut checked = 0;
    for (method, path) in &surface {
        for (authorization, reason) in &bad {
            let mut request = Request::builder()
                .method(method.clone())
                .uri(concrete(path))
                .header("content-type", "application/json");
            if let Some(value) = authorization {
                request = request.header("authorization", value);
            }
            let reply = server.send(request.body(Body::from("{}")).unwrap()).await;
            let what = format!("{method} {path} with {authorization:?}");
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{what}: {}",
                reply.text
            );
            assert_eq!(reply.json["status"], 401, "{what}: {}", reply.text);
            let message = reply.json["message"].as_str().unwrap_or_default();
            assert!(message.contains(reason), "{what}: {message:?}");
            checked += 1;
        }
        // And the real token gets past authentication (whatever the placeholder ids then do).
        let reply = server
            .call(
                method.clone(),
                &concrete(path),
                Some(&manager),
                Some(json!({})),
            )
            .await;
        assert_ne!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path}: {}",
            reply.text
        );
    }
    assert_eq!(checked, surface.len() * bad.len());
    println!(
        "{} (method, route) pairs from the router x {} bad tokens = {checked} refusals",
        surface.len(),
        bad.len()
    );
}

#[tokio::test]
async fn annotators_cannot_manage_tasks_or_see_the_restricted_project() {
    let server = TestServer::with_items(40);
    let annotator = server.login(ANNOTATOR1).await;
    let owner = server.login(OWNER).await;
    let (project_id, dataset_id) = server.demo_ids(&annotator).await;

    let create = server
        .post(
            "/api/v1/annotationtasks",
            &annotator,
            task_body("mine", &project_id, &dataset_id, json!({}), &[ANNOTATOR1]),
        )
        .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN, "{}", create.text);
    assert!(create.json["message"]
        .as_str()
        .unwrap()
        .contains("may not manage tasks"));

    let tasks = server
        .post(
            "/api/v1/annotationtasks/query",
            &annotator,
            json!({"filter": {"$and": [{"name": "demo-labeling"}]}, "resource": "tasks"}),
        )
        .await;
    assert_eq!(tasks.json["totalItemsCount"], 1, "{}", tasks.text);
    let task_id = tasks.json["items"][0]["id"].as_str().unwrap().to_string();
    let delete = server
        .call(
            Method::DELETE,
            &format!("/api/v1/annotationtasks/{task_id}"),
            Some(&annotator),
            Some(json!({"asynced": true})),
        )
        .await;
    assert_eq!(delete.status, StatusCode::FORBIDDEN, "{}", delete.text);
    assert_eq!(delete.json["status"], 403);
    assert_eq!(
        server
            .get(&format!("/api/v1/annotationtasks/{task_id}"), &annotator)
            .await
            .status,
        StatusCode::OK,
        "the task survived the refused delete"
    );

    // The restricted project does not exist for an annotator, by name, id or listing.
    let restricted = server.get("/api/v1/projects/restricted/name", &owner).await;
    let restricted_id = restricted.json[0]["id"].as_str().unwrap().to_string();
    for path in [
        "/api/v1/projects/restricted/name".to_string(),
        format!("/api/v1/projects/{restricted_id}"),
        format!("/api/v1/projects/{restricted_id}/members"),
    ] {
        let reply = server.get(&path, &annotator).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            reply.text
        );
        assert_eq!(reply.json["status"], 404);
    }
    let mine = server.get("/api/v1/projects", &annotator).await;
    assert!(!mine.text.contains(&restricted_id), "{}", mine.text);
    let datasets = server
        .post(
            "/api/v1/datasets/query",
            &annotator,
            json!({"resource": "datasets", "context": {"projects": [restricted_id]}}),
        )
        .await;
    assert_eq!(datasets.json["totalItemsCount"], 0, "{}", datasets.text);
}

/// The ids of one task made by the owner in the `restricted` project.
struct Restricted {
    project_id: String,
    dataset_id: String,
    recipe_id: String,
    task_id: String,
    command_id: String,
    assignment_id: String,
    item_id: String,
    items: usize,
}

async fn restricted_task(server: &TestServer, owner: &str) -> Restricted {
    let project = server.get("/api/v1/projects/restricted/name", owner).await;
    let project_id = project.json[0]["id"].as_str().unwrap().to_string();
    let datasets = server
        .post(
            "/api/v1/datasets/query",
            owner,
            json!({"resource": "datasets", "context": {"projects": [project_id]}}),
        )
        .await;
    let dataset = &datasets.json["items"][0];
    assert_eq!(dataset["name"], "confidential");
    let dataset_id = dataset["id"].as_str().unwrap().to_string();
    let recipe_id = dataset["metadata"]["system"]["recipes"][0]
        .as_str()
        .unwrap()
        .to_string();
    let mut body = task_body("secret", &project_id, &dataset_id, json!({}), &[OWNER]);
    body["taskOwner"] = json!(OWNER);
    let created = server.post("/api/v1/annotationtasks", owner, body).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    let command_id = created.json["id"].as_str().unwrap().to_string();
    let task_id = created.json["spec"]["createdTaskId"]
        .as_str()
        .unwrap()
        .to_string();
    let assignments = server
        .get(&format!("/api/v1/assignments?taskId={task_id}"), owner)
        .await;
    let assignment_id = assignments.json["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let items = server
        .all_items(
            owner,
            &dataset_id,
            json!({"metadata.system.refs.id": {"$in": [task_id]}}),
        )
        .await;
    assert!(!items.is_empty());
    Restricted {
        project_id,
        dataset_id,
        recipe_id,
        task_id,
        command_id,
        assignment_id,
        item_id: items[0]["id"].as_str().unwrap().to_string(),
        items: items.len(),
    }
}

#[tokio::test]
async fn no_one_reads_another_projects_tasks_items_or_assignments_by_id() {
    let server = TestServer::with_items(30);
    let owner = server.login(OWNER).await;
    let manager = server.login(MANAGER).await;
    let annotator = server.login(ANNOTATOR1).await;
    let r = restricted_task(&server, &owner).await;

    let status_body = json!({"itemIds": [r.item_id], "statusPayload": {"operation": "create", "status": "completed"}});
    let item_status = json!({"operation": "create", "status": "completed"});
    // (route, method, concrete path, body): every route with an id in its path, plus the
    // listing that takes a task id in its query string.
    let cases: Vec<(&str, Method, String, Option<Value>)> = vec![
        (
            "/projects/{id}",
            Method::GET,
            format!("/api/v1/projects/{}", r.project_id),
            None,
        ),
        (
            "/projects/{id}/name",
            Method::GET,
            "/api/v1/projects/restricted/name".into(),
            None,
        ),
        (
            "/projects/{id}/members",
            Method::GET,
            format!("/api/v1/projects/{}/members", r.project_id),
            None,
        ),
        (
            "/datasets/{id}",
            Method::GET,
            format!("/api/v1/datasets/{}", r.dataset_id),
            None,
        ),
        (
            "/datasets/{id}/query",
            Method::POST,
            format!("/api/v1/datasets/{}/query", r.dataset_id),
            Some(json!({"filter": {}, "resource": "items"})),
        ),
        (
            "/recipes/{id}",
            Method::GET,
            format!("/api/v1/recipes/{}", r.recipe_id),
            None,
        ),
        (
            "/annotationtasks/{id}",
            Method::GET,
            format!("/api/v1/annotationtasks/{}", r.task_id),
            None,
        ),
        (
            "/commands/{id}",
            Method::GET,
            format!("/api/v1/commands/{}", r.command_id),
            None,
        ),
        (
            "/assignments/{id}",
            Method::GET,
            format!("/api/v1/assignments/{}", r.assignment_id),
            None,
        ),
        (
            "/assignments",
            Method::GET,
            format!("/api/v1/assignments?taskId={}", r.task_id),
            None,
        ),
        (
            "/assignments/items/tasks/{id}/status",
            Method::POST,
            format!("/api/v1/assignments/items/tasks/{}/status", r.task_id),
            Some(status_body),
        ),
        (
            "/assignments/{id}/items/{item_id}/status",
            Method::POST,
            format!(
                "/api/v1/assignments/{}/items/{}/status",
                r.assignment_id, r.item_id
            ),
            Some(item_status),
        ),
        // Last: as the owner it deletes the task.
        (
            "/annotationtasks/{id}",
            Method::DELETE,
            format!("/api/v1/annotationtasks/{}", r.task_id),
            Some(json!({"asynced": true})),
        ),
    ];
    // A new route with an id in its path must get a case here.
    let covered: BTreeSet<&str> = cases.iter().map(|c| c.0).collect();
    for (path, _) in annotask_server::api_routes() {
        if path.contains('{') {
            assert!(covered.contains(path), "no cross-project case for {path}");
        }
    }

    for (route, method, path, body) in &cases {
        for (who, token) in [("manager", &manager), ("annotator", &annotator)] {
            let reply = server
                .call(method.clone(), path, Some(token), body.clone())
                .await;
            let what = format!("{method} {path} ({route}) as the {who}");
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{what}: {}",
                reply.text
            );
            assert_eq!(reply.json["status"], 404, "{what}");
            let text = reply.json["message"].as_str().unwrap();
            assert!(
                text.contains("not found") || text.contains("not in"),
                "{what}: {text}"
            );
        }
        // The id is real: its owner gets an answer.
        let reply = server
            .call(method.clone(), path, Some(&owner), body.clone())
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{method} {path} as the owner: {}",
            reply.text
        );
    }
    // The owner's delete went through.
    assert_eq!(
        server
            .get(&format!("/api/v1/annotationtasks/{}", r.task_id), &owner)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Listings do not leak it either.
    let other = restricted_task(&server, &owner).await;
    for token in [&manager, &annotator] {
        let all = server.get("/api/v1/assignments", token).await;
        assert_eq!(all.status, StatusCode::OK);
        assert!(!all.text.contains(&other.assignment_id), "{}", all.text);
        for context in [json!({}), json!({"projectIds": [other.project_id]})] {
            let tasks = server
                .post(
                    "/api/v1/annotationtasks/query",
                    token,
                    json!({"resource": "tasks", "context": context}),
                )
                .await;
            assert!(!tasks.text.contains(&other.task_id), "{}", tasks.text);
        }
        let datasets = server
            .post(
                "/api/v1/datasets/query",
                token,
                json!({"resource": "datasets"}),
            )
            .await;
        assert!(
            !datasets.text.contains(&other.dataset_id),
            "{}",
            datasets.text
        );
        // Status changes on it are refused as if it did not exist.
        let refused = server
            .post(
                &format!("/api/v1/assignments/items/tasks/{}/status", other.task_id),
                token,
                json!({"itemIds": [other.item_id], "statusPayload": {"operation": "create", "status": "completed"}}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.text);
        // Creating a task on its dataset reads as "no such dataset", not "forbidden".
        let create = server
            .post(
                "/api/v1/annotationtasks",
                token,
                task_body(
                    "steal",
                    &other.project_id,
                    &other.dataset_id,
                    json!({}),
                    &[ANNOTATOR1],
                ),
            )
            .await;
        assert_eq!(create.status, StatusCode::BAD_REQUEST, "{}", create.text);
        assert_eq!(
            create.json["errors"][0]["field"], "datasetId",
            "{}",
            create.text
        );
    }
    let still = server
        .get(
            &format!("/api/v1/annotationtasks/{}", other.task_id),
            &owner,
        )
        .await;
    assert_eq!(still.json["totalItems"], other.items);
    assert_eq!(still.json["itemStatus"]["completed"], 0, "{}", still.text);
}
