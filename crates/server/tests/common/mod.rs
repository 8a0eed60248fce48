//! In-process test server: the real router over an in-memory database with the demo seed.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use tower::ServiceExt;

use annotask_server::auth::JwtKey;
use annotask_server::{build_router, demo_seed, AppState, Database, RouterOptions};

pub const PASSWORD: &str = "annotask-demo";
pub const MANAGER: &str = "manager@demo.annotask";
pub const OWNER: &str = "owner@demo.annotask";
pub const ANNOTATOR1: &str = "annotator1@demo.annotask";
pub const ANNOTATOR2: &str = "annotator2@demo.annotask";

pub struct TestServer {
    pub router: Router,
    pub state: AppState,
}

/// A response: status, headers and the body parsed as JSON (`Null` when empty or not JSON).
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
    pub json: Value,
}

impl TestServer {
    pub fn with_items(items: usize) -> TestServer {
        Self::with_options(items, RouterOptions::default())
    }

    pub fn with_options(items: usize, options: RouterOptions) -> TestServer {
        let db = Database::open(":memory:").unwrap();
        assert!(demo_seed::seed_if_empty(&db, items).unwrap());
        let state = AppState::new(db, JwtKey::random());
        let router = build_router(state.clone(), options).unwrap();
        TestServer { router, state }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            json,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        let body = match body {
            Some(b) => {
                builder = builder.header("content-type", "application/json");
                Body::from(b.to_string())
            }
            None => Body::empty(),
        };
        self.send(builder.body(body).unwrap()).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn login(&self, email: &str) -> String {
        let reply = self
            .call(
                Method::POST,
                "/token?default",
                None,
                Some(json!({"username": email, "password": PASSWORD, "type": "user_credentials"})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        reply.json["id_token"].as_str().unwrap().to_string()
    }

    /// The demo project's id and its dataset `images`.
    pub async fn demo_ids(&self, token: &str) -> (String, String) {
        let projects = self.get("/api/v1/projects/demo/name", token).await;
        let project_id = projects.json[0]["id"].as_str().unwrap().to_string();
        let datasets = self
            .post(
                "/api/v1/datasets/query",
                token,
                json!({"filter": {"$and": [{"name": "images"}]}, "page": 0, "pageSize": 1000,
                       "resource": "datasets", "context": {"projects": [project_id]}}),
            )
            .await;
        (
            project_id,
            datasets.json["items"][0]["id"]
                .as_str()
                .unwrap()
                .to_string(),
        )
    }

    /// Every item of a dataset matching `filter` (all pages, keyset paging on id as the SDK does).
    pub async fn all_items(&self, token: &str, dataset_id: &str, filter: Value) -> Vec<Value> {
        let mut out = Vec::new();
        let mut last: Option<String> = None;
        loop {
            let f = match &last {
                Some(last) => json!({"$and": [filter.clone(), {"id": {"$gt": last}}]}),
                None => filter.clone(),
            };
            let reply = self
                .post(
                    &format!("/api/v1/datasets/{dataset_id}/query"),
                    token,
                    json!({"filter": f, "sort": {"id": "ascending"}, "page": 0, "pageSize": 100, "resource": "items"}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
            let items = reply.json["items"].as_array().unwrap().clone();
            if items.is_empty() {
                break;
            }
            last = items.last().unwrap()["id"].as_str().map(str::to_string);
            out.extend(items);
            if !reply.json["hasNextPage"].as_bool().unwrap() {
                break;
            }
        }
        out
    }
}

/// The SDK's `query` string for a filter.
pub fn query_string(filter: Value) -> String {
    json!({"filter": filter, "page": 0, "pageSize": 1000, "resource": "items"}).to_string()
}

/// A task body like the SDK sends.
pub fn task_body(
    name: &str,
    project_id: &str,
    dataset_id: &str,
    filter: Value,
    assignees: &[&str],
) -> Value {
    let n = assignees.len();
    let workload: Vec<Value> = assignees
        .iter()
        .enumerate()
        .map(|(i, a)| json!({"assigneeId": a, "load": 100 / n + usize::from(i < 100 % n)}))
        .collect();
    json!({
        "name": name,
        "query": query_string(filter),
        "taskOwner": MANAGER,
        "spec": {"type": "annotation"},
        "datasetId": dataset_id,
        "projectId": project_id,
        "assignmentIds": [],
        "dueDate": 1899417600000.0,
        "asynced": true,
        "priority": 2,
        "workload": workload,
    })
}

/// Starts the real `annotask-server` binary on a free port with `args` after `--addr`, and
/// waits for its first line (`annotask-server listening on http://127.0.0.1:PORT`). Returns
/// the child and the port; `stderr` is where its log goes, quoted if the line is not there.
pub fn spawn_binary(
    args: &[&std::ffi::OsStr],
    stderr: std::process::Stdio,
    log: Option<&std::path::Path>,
) -> (std::process::Child, u16) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_annotask-server"))
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("the server binary starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("the server prints a line");
    let port = line
        .trim()
        .strip_prefix("annotask-server listening on http://127.0.0.1:")
        .unwrap_or_else(|| {
            let log = log
                .and_then(|p| std::fs::read_to_string(p).ok())
                .unwrap_or_default();
            panic!("unexpected first line {line:?}; log:\n{log}")
        })
        .parse()
        .expect("a port number");
    (child, port)
}
