//! Sign-in, tokens, users, projects, members, datasets, recipes, errors, CORS, static files.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use serde_json::{json, Value};

use annotask_server::auth::{Claims, JwtKey};
use annotask_server::RouterOptions;

#[tokio::test]
async fn token_grants_and_failures() {
    let server = TestServer::with_items(50);
    let ok = server
        .call(
            Method::POST,
            "/token?default",
            None,
            Some(json!({"username": MANAGER, "password": PASSWORD, "type": "user_credentials"})),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    let refresh = ok.json["refresh_token"].as_str().unwrap().to_string();
    let token = ok.json["id_token"].as_str().unwrap();
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["email"], MANAGER);
    let lifetime = claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap();
    assert_eq!(lifetime, 3600);

    let wrong = server
        .call(
            Method::POST,
            "/token?default",
            None,
            Some(json!({"username": MANAGER, "password": "nope", "type": "user_credentials"})),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json["status"], 401);
    let unknown = server
        .call(
            Method::POST,
            "/token?default",
            None,
            Some(json!({"username": "who@x", "password": PASSWORD, "type": "user_credentials"})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);

    let refreshed = server
        .call(
            Method::POST,
            "/token?default",
            None,
            Some(json!({"type": "refresh_token", "refresh_token": refresh})),
        )
        .await;
    assert_eq!(refreshed.status, StatusCode::OK);
    let new_token = refreshed.json["id_token"].as_str().unwrap();
    assert_eq!(
        server.get("/api/v1/users/me", new_token).await.json["email"],
        MANAGER
    );
    let bad_refresh = server
        .call(
            Method::POST,
            "/token?default",
            None,
            Some(json!({"type": "refresh_token", "refresh_token": "forged"})),
        )
        .await;
    assert_eq!(bad_refresh.status, StatusCode::UNAUTHORIZED);

    let bad_type = server
        .call(
            Method::POST,
            "/token?default",
            None,
            Some(json!({"type": "magic"})),
        )
        .await;
    assert_eq!(bad_type.status, StatusCode::BAD_REQUEST);
    assert!(bad_type.json["message"]
        .as_str()
        .unwrap()
        .contains("user_credentials"));
    let malformed = server
        .send(
            Request::post("/token?default")
                .body(Body::from("{\"type\":"))
                .unwrap(),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(
        malformed.json["message"]
            .as_str()
            .unwrap()
            .contains("malformed JSON"),
        "{}",
        malformed.text
    );
}

#[tokio::test]
async fn api_routes_need_a_valid_token() {
    let server = TestServer::with_items(20);
    let token = server.login(MANAGER).await;
    assert_eq!(
        server.get("/api/v1/users/me", &token).await.status,
        StatusCode::OK
    );

    let missing = server
        .call(Method::GET, "/api/v1/projects", None, None)
        .await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.json["status"], 401);
    for path in [
        "/api/v1/users/me",
        "/api/v1/projects",
        "/api/v1/assignments",
        "/api/v1/commands/x",
        "/api/v1/recipes/x",
    ] {
        assert_eq!(
            server.call(Method::GET, path, None, None).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    for path in [
        "/api/v1/datasets/query",
        "/api/v1/annotationtasks",
        "/api/v1/annotationtasks/query",
    ] {
        let reply = server.call(Method::POST, path, None, Some(json!({}))).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
    }

    assert_eq!(
        server.get("/api/v1/users/me", "garbage").await.status,
        StatusCode::UNAUTHORIZED
    );

    // Signed with another key.
    let forged = JwtKey::random().issue("x", MANAGER);
    let reply = server.get("/api/v1/users/me", &forged).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.json["message"]
        .as_str()
        .unwrap()
        .contains("signature"));

    // alg: none with the real claims.
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
        token.split('.').nth(1).unwrap()
    );
    assert_eq!(
        server.get("/api/v1/users/me", &none).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Expired, with the server's own key.
    let expired = server.state.jwt.sign(&Claims {
        sub: "x".into(),
        email: MANAGER.into(),
        iat: 1,
        exp: 2,
    });
    let reply = server.get("/api/v1/users/me", &expired).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.json["message"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn projects_and_members_follow_membership() {
    let server = TestServer::with_items(20);
    let manager = server.login(MANAGER).await;
    let owner = server.login(OWNER).await;

    let mine = server.get("/api/v1/projects", &manager).await;
    let names: Vec<&str> = mine
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["demo"]);
    let owners = server.get("/api/v1/projects", &owner).await;
    assert_eq!(owners.json.as_array().unwrap().len(), 2);

    let demo = server.get("/api/v1/projects/demo/name", &manager).await;
    assert_eq!(demo.status, StatusCode::OK);
    let project = &demo.json[0];
    assert_eq!(project["role"], "annotationManager");
    assert_eq!(project["contributors"].as_array().unwrap().len(), 10);
    let id = project["id"].as_str().unwrap();
    assert_eq!(id.len(), 24);

    let by_id = server
        .get(&format!("/api/v1/projects/{id}"), &manager)
        .await;
    assert_eq!(by_id.json["name"], "demo");

    // The restricted project does not exist for the manager.
    assert_eq!(
        server
            .get("/api/v1/projects/restricted/name", &manager)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let restricted = server.get("/api/v1/projects/restricted/name", &owner).await;
    let restricted_id = restricted.json[0]["id"].as_str().unwrap();
    assert_eq!(
        server
            .get(&format!("/api/v1/projects/{restricted_id}"), &manager)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get(
                &format!("/api/v1/projects/{restricted_id}/members"),
                &manager
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get("/api/v1/projects/000000000000000000000000", &owner)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let members = server
        .get(&format!("/api/v1/projects/{id}/members"), &manager)
        .await;
    let members = members.json.as_array().unwrap();
    assert_eq!(members.len(), 10);
    let roles: Vec<(&str, &str)> = members
        .iter()
        .map(|m| (m["email"].as_str().unwrap(), m["role"].as_str().unwrap()))
        .collect();
    assert!(roles.contains(&(OWNER, "owner")));
    assert!(roles.contains(&(MANAGER, "annotationManager")));
    assert_eq!(roles.iter().filter(|r| r.1 == "annotator").count(), 8);
    let restricted_members = server
        .get(&format!("/api/v1/projects/{restricted_id}/members"), &owner)
        .await;
    assert_eq!(restricted_members.json.as_array().unwrap().len(), 1);

    let me = server.get("/api/v1/users/me", &manager).await;
    assert_eq!(me.json["email"], MANAGER);
    assert_eq!(me.json["type"], "human");
}

#[tokio::test]
async fn datasets_and_recipes() {
    let server = TestServer::with_items(30);
    let manager = server.login(MANAGER).await;
    let owner = server.login(OWNER).await;
    let (project_id, dataset_id) = server.demo_ids(&manager).await;

    let listing = server
        .post("/api/v1/datasets/query", &manager, json!({"filter": {"$and": []}, "resource": "datasets", "context": {"projects": [project_id]}}))
        .await;
    assert_eq!(listing.json["totalItemsCount"], 1);
    assert_eq!(listing.json["hasNextPage"], false);
    let none = server
        .post(
            "/api/v1/datasets/query",
            &manager,
            json!({"filter": {"$and": [{"name": "nope"}]}, "resource": "datasets"}),
        )
        .await;
    assert_eq!(none.json["totalItemsCount"], 0);
    // The owner sees the restricted project's dataset too; the manager does not.
    let all_owner = server
        .post(
            "/api/v1/datasets/query",
            &owner,
            json!({"resource": "datasets"}),
        )
        .await;
    assert_eq!(all_owner.json["totalItemsCount"], 2);
    let confidential_id = all_owner.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "confidential")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        server
            .get(&format!("/api/v1/datasets/{confidential_id}"), &manager)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let wrong_resource = server
        .post(
            "/api/v1/datasets/query",
            &manager,
            json!({"resource": "items"}),
        )
        .await;
    assert_eq!(wrong_resource.status, StatusCode::BAD_REQUEST);

    let dataset = server
        .get(&format!("/api/v1/datasets/{dataset_id}"), &manager)
        .await;
    assert_eq!(dataset.json["name"], "images");
    assert_eq!(dataset.json["projects"][0], project_id.as_str());
    assert_eq!(dataset.json["itemsCount"], 30);
    let recipe_id = dataset.json["metadata"]["system"]["recipes"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        server.get("/api/v1/datasets/nope", &manager).await.status,
        StatusCode::NOT_FOUND
    );

    let recipe = server
        .get(&format!("/api/v1/recipes/{recipe_id}"), &manager)
        .await;
    assert_eq!(recipe.status, StatusCode::OK);
    let labels: Vec<&str> = recipe.json["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["tag"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["cat", "dog", "car", "person"]);
    assert_eq!(
        server.get("/api/v1/recipes/nope", &manager).await.status,
        StatusCode::NOT_FOUND
    );
    let confidential = server
        .get(&format!("/api/v1/datasets/{confidential_id}"), &owner)
        .await;
    let confidential_recipe = confidential.json["metadata"]["system"]["recipes"][0]
        .as_str()
        .unwrap();
    assert_eq!(
        server
            .get(&format!("/api/v1/recipes/{confidential_recipe}"), &manager)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn errors_are_json() {
    let server = TestServer::with_items(10);
    let token = server.login(MANAGER).await;

    let unknown = server.get("/api/v1/no/such/route", &token).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json["status"], 404);
    let outside = server.call(Method::GET, "/api/other", None, None).await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
    assert_eq!(outside.json["status"], 404);

    let wrong_method = server
        .call(Method::PUT, "/api/v1/projects", Some(&token), None)
        .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.json["status"], 405);

    let (_, dataset_id) = server.demo_ids(&token).await;
    let path = format!("/api/v1/datasets/{dataset_id}/query");
    let garbage = server
        .send(
            Request::post(path.as_str())
                .header("authorization", format!("Bearer {token}"))
                .body(Body::from("not json"))
                .unwrap(),
        )
        .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
    assert!(garbage.json["message"]
        .as_str()
        .unwrap()
        .contains("malformed JSON"));

    let big = "x".repeat(3 * 1024 * 1024);
    let oversized = server
        .send(
            Request::post(path.as_str())
                .header("authorization", format!("Bearer {token}"))
                .body(Body::from(format!("{{\"filter\": \"{big}\"}}")))
                .unwrap(),
        )
        .await;
    assert_eq!(oversized.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        oversized.json["message"]
            .as_str()
            .unwrap()
            .contains("limit"),
        "{}",
        oversized.text
    );

    let wrong_type = server
        .post(
            "/api/v1/annotationtasks",
            &token,
            json!({"name": 5, "datasetId": dataset_id, "query": "{}", "workload": "all"}),
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong_type.json["errors"][0]["field"], "name");
    assert!(wrong_type.json["message"]
        .as_str()
        .unwrap()
        .contains("name"));

    let bad_status_body = server
        .post(
            "/api/v1/assignments/items/tasks/x/status",
            &token,
            json!({"itemIds": "one"}),
        )
        .await;
    assert_eq!(bad_status_body.status, StatusCode::BAD_REQUEST);
    assert!(
        bad_status_body.json["message"]
            .as_str()
            .unwrap()
            .contains("itemIds"),
        "{}",
        bad_status_body.text
    );

    let bad_query = server
        .get("/api/v1/assignments?pageSize=lots", &token)
        .await;
    assert_eq!(bad_query.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_query.json["status"], 400);
}

#[tokio::test]
async fn cors_is_off_by_default_and_lists_origins() {
    let closed = TestServer::with_items(5);
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/token?default")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,user_query")
            .body(Body::empty())
            .unwrap()
    };
    let reply = closed.send(preflight("http://localhost:5173")).await;
    assert!(reply.headers.get("access-control-allow-origin").is_none());

    let open = TestServer::with_options(
        5,
        RouterOptions {
            allow_origins: vec!["http://localhost:5173".into()],
            ..Default::default()
        },
    );
    let reply = open.send(preflight("http://localhost:5173")).await;
    assert_eq!(
        reply.headers.get("access-control-allow-origin").unwrap(),
        "http://localhost:5173"
    );
    let allowed = reply
        .headers
        .get("access-control-allow-headers")
        .unwrap()
        .to_str()
        .unwrap()
        .to_lowercase();
    for header in ["authorization", "content-type", "user_query"] {
        assert!(allowed.contains(header), "{allowed}");
    }
    let other = open.send(preflight("http://evil.example")).await;
    assert!(other.headers.get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn static_files_with_fallback_and_cache_headers() {
    let dir = std::env::temp_dir().join(format!(
        "annotask-static-{}",
        annotask_server::ids::random_hex(6)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>annotask</title>",
    )
    .unwrap();
    std::fs::write(dir.join("config.json"), "{}").unwrap();
    std::fs::write(dir.join("annotask-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
    let server = TestServer::with_options(
        5,
        RouterOptions {
            static_dir: Some(dir.clone()),
            ..Default::default()
        },
    );

    let index = server.call(Method::GET, "/", None, None).await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.text.contains("annotask"));
    assert_eq!(index.headers["cache-control"], "no-cache");
    let route = server.call(Method::GET, "/tasks/new", None, None).await;
    assert_eq!(route.status, StatusCode::OK);
    assert!(route.text.contains("<title>annotask"));
    assert_eq!(route.headers["cache-control"], "no-cache");
    let config = server.call(Method::GET, "/config.json", None, None).await;
    assert_eq!(config.headers["cache-control"], "no-cache");
    let wasm = server
        .call(
            Method::GET,
            "/annotask-0123456789abcdef_bg.wasm",
            None,
            None,
        )
        .await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(
        wasm.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let missing_asset = server
        .call(Method::GET, "/missing-0123456789abcdef.js", None, None)
        .await;
    assert_eq!(missing_asset.status, StatusCode::NOT_FOUND);
    let api = server
        .call(Method::GET, "/api/v1/nothing-here", None, None)
        .await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.json["status"], 404);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn file_database_keeps_its_secret_beside_it() {
    let dir = std::env::temp_dir().join(format!(
        "annotask-file-{}",
        annotask_server::ids::random_hex(6)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let db_path = dir.join("annotask.db");
    let db = annotask_server::Database::open(db_path.to_str().unwrap()).unwrap();
    let secret = db.secret_path().unwrap();
    assert_eq!(secret, dir.join("annotask.secret"));
    let key = JwtKey::load_or_create(&secret).unwrap();
    let token = key.issue("u", "a@b");
    let again = JwtKey::load_or_create(&secret).unwrap();
    assert!(again.verify(&token).is_ok());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}
