//! DQL over items, task creation (annotation and QA), assignments, statuses, commands.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{json, Value};

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn item_queries_match_an_independent_filter() {
    let server = TestServer::with_items(600);
    let token = server.login(MANAGER).await;
    let (_, dataset_id) = server.demo_ids(&token).await;
    let path = format!("/api/v1/datasets/{dataset_id}/query");

    let everything = server.all_items(&token, &dataset_id, json!({})).await;
    assert_eq!(everything.len(), 600 + 4, "items plus the four folders");
    let sorted = ids(&everything);
    let mut resorted = sorted.clone();
    resorted.sort();
    assert_eq!(sorted, resorted, "ids sort in creation order");

    let count = |filter: Value| {
        let server = &server;
        let token = &token;
        let path = &path;
        async move {
            let reply = server
                .post(
                    path,
                    token,
                    json!({"filter": filter, "page": 0, "pageSize": 0, "resource": "items"}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
            reply.json["totalItemsCount"].as_u64().unwrap() as usize
        }
    };
    let files = |pred: &dyn Fn(&Value) -> bool| {
        everything
            .iter()
            .filter(|i| i["type"] == "file" && i["hidden"] == false && pred(i))
            .count()
    };

    assert_eq!(
        count(json!({"$and": [{"hidden": false}, {"type": "file"}]})).await,
        files(&|_| true)
    );
    assert_eq!(
        count(json!({"$and": [{"hidden": false}, {"type": "file"}, {"dir": "/folder1"}]})).await,
        files(&|i| i["dir"] == "/folder1")
    );
    assert_eq!(
        count(json!({"$and": [{"hidden": false}, {"type": "file"}, {"filename": "/folder1/**"}]}))
            .await,
        files(&|i| i["dir"].as_str().unwrap().starts_with("/folder1"))
    );
    assert_eq!(
        count(json!({"$or": [{"dir": "/folder2"}, {"dir": "/folder3"}], "$and": [{"hidden": false}, {"type": "file"}]})).await,
        files(&|i| i["dir"] == "/folder2" || i["dir"] == "/folder3")
    );
    assert_eq!(
        count(json!({"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.mimetype": "image*"}, {"metadata.system.height": {"$gt": 700}}]})).await,
        files(&|i| i["metadata"]["system"]["mimetype"].as_str().unwrap().starts_with("image") && i["metadata"]["system"]["height"].as_u64().unwrap() > 700)
    );
    assert_eq!(
        count(json!({"$and": [{"hidden": false}, {"type": "file"}, {"metadata.user.weather": {"$in": ["rain", "snow"]}}]})).await,
        files(&|i| ["rain", "snow"].contains(&i["metadata"]["user"]["weather"].as_str().unwrap()))
    );
    assert_eq!(
        count(json!({"$and": [{"hidden": false}, {"type": "file"}, {"createdAt": {"$gte": "2025-01-01T00:00:00.000Z"}}]})).await,
        files(&|i| i["createdAt"].as_str().unwrap() >= "2025-01-01")
    );
    assert_eq!(
        count(json!({"hidden": true})).await,
        everything.iter().filter(|i| i["hidden"] == true).count()
    );
    assert!(
        count(json!({"hidden": true})).await > 0,
        "the demo has hidden items"
    );
    assert_eq!(count(json!({"type": "dir"})).await, 4);
    assert_eq!(
        count(json!({"$and": [{"hidden": false}, {"type": "file"}, {"annotated": true}]})).await,
        files(&|i| i["annotated"] == true)
    );

    // The annotations join: items with a dog.
    let dogs = server
        .post(&path, &token, json!({"filter": {"$and": [{"hidden": false}, {"type": "file"}]}, "pageSize": 0,
            "join": {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, "filter": {"$and": [{"label": {"$in": ["dog"]}}]}}}))
        .await;
    let dog_count = dogs.json["totalItemsCount"].as_u64().unwrap();
    assert!(dog_count > 0 && (dog_count as usize) < files(&|i| i["annotated"] == true));

    // Sort and offset paging.
    let by_name = server
        .post(&path, &token, json!({"filter": {"type": "file"}, "sort": {"filename": "descending"}, "page": 1, "pageSize": 10}))
        .await;
    let names: Vec<&str> = by_name.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["filename"].as_str().unwrap())
        .collect();
    let mut expected: Vec<&str> = everything
        .iter()
        .filter(|i| i["type"] == "file")
        .map(|i| i["filename"].as_str().unwrap())
        .collect();
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, expected[10..20]);
    assert_eq!(by_name.json["hasNextPage"], true);
    assert_eq!(
        by_name.json["totalPagesCount"].as_u64().unwrap() as usize,
        expected.len().div_ceil(10)
    );

    // A body without `filter` gets the SDK's defaults.
    let defaults = server.post(&path, &token, json!({"pageSize": 0})).await;
    assert_eq!(
        defaults.json["totalItemsCount"].as_u64().unwrap() as usize,
        files(&|_| true)
    );

    for bad in [
        json!({"pageSize": 1001}),
        json!({"page": -1}),
        json!({"filter": []}),
        json!({"filter": {"$and": {"a": 1}}}),
        json!({"filter": {"name": {"$near": 1}}}),
        json!({"sort": {"name": "sideways"}}),
        json!({"resource": "tasks"}),
    ] {
        let reply = server.post(&path, &token, bad.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{bad} -> {}",
            reply.text
        );
        assert_eq!(reply.json["status"], 400);
    }
    assert_eq!(
        server
            .post(
                "/api/v1/datasets/000000000000000000000000/query",
                &token,
                json!({})
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn annotation_task_lifecycle() {
    let server = TestServer::with_items(300);
    let manager = server.login(MANAGER).await;
    let (project_id, dataset_id) = server.demo_ids(&manager).await;
    let folder1 = json!({"$and": [{"hidden": false}, {"type": "file"}, {"dir": "/folder1"}]});
    let expected = ids(&server
        .all_items(&manager, &dataset_id, folder1.clone())
        .await);
    assert!(expected.len() > 20);

    let body = task_body(
        "test_task1",
        &project_id,
        &dataset_id,
        folder1.clone(),
        &[ANNOTATOR1, ANNOTATOR2],
    );
    let command = server
        .post("/api/v1/annotationtasks", &manager, body.clone())
        .await;
    assert_eq!(command.status, StatusCode::OK, "{}", command.text);
    assert_eq!(command.json["status"], "success");
    assert_eq!(command.json["progress"], 100);
    assert!(command.json["url"]
        .as_str()
        .unwrap()
        .contains("/api/v1/commands/"));
    assert_eq!(
        command.json["spec"]["createTaskPayload"]["name"],
        "test_task1"
    );
    let task_id = command.json["spec"]["createdTaskId"]
        .as_str()
        .unwrap()
        .to_string();

    let polled = server
        .get(
            &format!("/api/v1/commands/{}", command.json["id"].as_str().unwrap()),
            &manager,
        )
        .await;
    assert_eq!(polled.json, command.json);
    let other = server.login(OWNER).await;
    assert_eq!(
        server
            .get(
                &format!("/api/v1/commands/{}", command.json["id"].as_str().unwrap()),
                &other
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server.get("/api/v1/commands/nope", &manager).await.status,
        StatusCode::NOT_FOUND
    );

    let task = server
        .get(&format!("/api/v1/annotationtasks/{task_id}"), &manager)
        .await;
    assert_eq!(task.status, StatusCode::OK);
    let task = task.json;
    assert_eq!(task["name"], "test_task1");
    assert_eq!(task["creator"], MANAGER);
    assert_eq!(task["projectId"], project_id.as_str());
    assert_eq!(task["dueDate"], 1899417600000.0);
    assert_eq!(task["query"], body["query"]);
    assert_eq!(
        task["totalItems"].as_u64().unwrap() as usize,
        expected.len()
    );
    assert_eq!(
        task["itemStatus"]["remaining"].as_u64().unwrap() as usize,
        expected.len()
    );
    assert_eq!(task["status"], "open");
    let actions: Vec<&str> = task["availableActions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["completed", "discard"]);
    assert!(task["recipeId"].as_str().is_some());

    // Assignments: one per workload unit, an even split, exactly the task's items.
    let assignments = server
        .get(
            &format!("/api/v1/assignments?projects={project_id}&pageSize=500&taskId={task_id}"),
            &manager,
        )
        .await;
    let assignments = assignments.json["items"].as_array().unwrap().clone();
    assert_eq!(assignments.len(), 2);
    let half = expected.len() / 2;
    let mut union = Vec::new();
    for (assignment, annotator) in assignments.iter().zip([ANNOTATOR1, ANNOTATOR2]) {
        assert_eq!(assignment["annotator"], annotator);
        assert_eq!(assignment["metadata"]["system"]["taskId"], task_id.as_str());
        assert_eq!(
            assignment["metadata"]["system"]["datasetId"],
            dataset_id.as_str()
        );
        let n = assignment["totalItems"].as_u64().unwrap() as usize;
        assert!(n == half || n == expected.len() - half);
        let aid = assignment["id"].as_str().unwrap();
        let single = server
            .get(&format!("/api/v1/assignments/{aid}"), &manager)
            .await;
        assert_eq!(single.json["id"], aid);
        let items = server
            .all_items(
                &manager,
                &dataset_id,
                json!({"metadata.system.refs.id": {"$in": [aid]}}),
            )
            .await;
        assert_eq!(items.len(), n);
        union.extend(ids(&items));
    }
    union.sort();
    assert_eq!(union, expected);
    let task_items = server
        .all_items(
            &manager,
            &dataset_id,
            json!({"metadata.system.refs.id": {"$in": [task_id.clone()]}}),
        )
        .await;
    assert_eq!(ids(&task_items), expected);
    assert_eq!(
        server
            .get("/api/v1/assignments/nope", &manager)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get("/api/v1/assignments?taskId=nope", &manager)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Listing and getting by name.
    let listed = server
        .post("/api/v1/annotationtasks/query", &manager, json!({"filter": {"$and": [{"datasetId": dataset_id}, {"name": "test_task1"}]}, "page": 0, "pageSize": 500, "resource": "tasks", "context": {"projectIds": [project_id]}}))
        .await;
    assert_eq!(listed.json["totalItemsCount"], 1);
    let all_tasks = server
        .post(
            "/api/v1/annotationtasks/query",
            &manager,
            json!({"filter": {"$and": [{"datasetId": dataset_id}]}, "resource": "tasks"}),
        )
        .await;
    assert_eq!(
        all_tasks.json["totalItemsCount"], 2,
        "demo-labeling and test_task1"
    );

    // Statuses: the manager on any item, an annotator on their own only.
    let first_assignment = assignments[0]["id"].as_str().unwrap();
    let own_items = server
        .all_items(
            &manager,
            &dataset_id,
            json!({"metadata.system.refs.id": {"$in": [first_assignment]}}),
        )
        .await;
    let completed: Vec<String> = ids(&own_items)[..5].to_vec();
    let set = server
        .post(&format!("/api/v1/assignments/items/tasks/{task_id}/status"), &manager,
            json!({"itemIds": completed, "statusPayload": {"operation": "create", "returnLastStatus": true, "status": "completed"}}))
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert_eq!(set.json.as_object().unwrap().len(), 5);
    let annotator1 = server.login(ANNOTATOR1).await;
    let own = &ids(&own_items)[5];
    let by_annotator = server
        .post(
            &format!("/api/v1/assignments/{first_assignment}/items/{own}/status"),
            &annotator1,
            json!({"operation": "create", "status": "discard"}),
        )
        .await;
    assert_eq!(by_annotator.status, StatusCode::OK, "{}", by_annotator.text);
    let second_assignment = assignments[1]["id"].as_str().unwrap();
    let foreign = ids(&server
        .all_items(
            &manager,
            &dataset_id,
            json!({"metadata.system.refs.id": {"$in": [second_assignment]}}),
        )
        .await)[0]
        .clone();
    let forbidden = server
        .post(&format!("/api/v1/assignments/items/tasks/{task_id}/status"), &annotator1,
            json!({"itemIds": [foreign], "statusPayload": {"operation": "create", "status": "completed"}}))
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let invalid = server
        .post(&format!("/api/v1/assignments/items/tasks/{task_id}/status"), &manager,
            json!({"itemIds": [own], "statusPayload": {"operation": "create", "status": "approved"}}))
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert!(invalid.json["message"]
        .as_str()
        .unwrap()
        .contains("approved"));

    let task = server
        .get(&format!("/api/v1/annotationtasks/{task_id}"), &manager)
        .await
        .json;
    assert_eq!(task["itemStatus"]["completed"], 5);
    assert_eq!(task["itemStatus"]["discard"], 1);
    assert_eq!(
        task["itemStatus"]["remaining"].as_u64().unwrap() as usize,
        expected.len() - 6
    );
    assert_eq!(task["status"], "in progress");
    assert_eq!(
        task["progress"].as_u64().unwrap() as usize,
        600 / expected.len()
    );
    let assignment = server
        .get(&format!("/api/v1/assignments/{first_assignment}"), &manager)
        .await
        .json;
    assert_eq!(assignment["itemStatus"]["completed"], 5);

    // The refs carry the status, so the SDK's "remaining items" query works.
    let remaining = server
        .post(&format!("/api/v1/datasets/{dataset_id}/query"), &manager,
            json!({"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.refs": {"$match": {"id": {"$in": [task_id.clone()]}, "metadata": {"status": {"$exists": false}}}}}]}, "pageSize": 0}))
        .await;
    assert_eq!(
        remaining.json["totalItemsCount"].as_u64().unwrap() as usize,
        expected.len() - 6
    );

    // Clearing a status.
    let cleared = server
        .post(&format!("/api/v1/assignments/items/tasks/{task_id}/status"), &manager,
            json!({"itemIds": [own], "statusPayload": {"operation": "delete", "status": "discard"}}))
        .await;
    assert_eq!(cleared.status, StatusCode::OK);
    let task = server
        .get(&format!("/api/v1/annotationtasks/{task_id}"), &manager)
        .await
        .json;
    assert!(task["itemStatus"].get("discard").is_none());

    // A QA task takes the parent's items that have a status.
    let mut qa = task_body(
        "test_task1_qa",
        &project_id,
        &dataset_id,
        json!({}),
        &[ANNOTATOR1],
    );
    qa["spec"] = json!({"type": "qa", "parentTaskId": task_id});
    qa["query"] = json!(query_string(
        json!({"$and": [{"hidden": false}, {"type": "file"},
        {"metadata.system.refs": {"$match": {"id": task_id, "type": "task", "metadata": {"status": {"$exists": true}}}}}]})
    ));
    let qa_command = server.post("/api/v1/annotationtasks", &manager, qa).await;
    assert_eq!(qa_command.status, StatusCode::OK, "{}", qa_command.text);
    let qa_id = qa_command.json["spec"]["createdTaskId"].as_str().unwrap();
    let qa_task = server
        .get(&format!("/api/v1/annotationtasks/{qa_id}"), &manager)
        .await
        .json;
    assert_eq!(qa_task["totalItems"], 5);
    assert_eq!(qa_task["spec"]["parentTaskId"], task_id.as_str());
    let qa_actions: Vec<&str> = qa_task["availableActions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(qa_actions, ["approved", "discard"]);
    let qa_items = server
        .all_items(
            &manager,
            &dataset_id,
            json!({"metadata.system.refs.id": {"$in": [qa_id]}}),
        )
        .await;
    let mut qa_ids = ids(&qa_items);
    qa_ids.sort();
    let mut want = completed.clone();
    want.sort();
    assert_eq!(qa_ids, want);

    // Deleting: annotators may not; the manager gets a Command and the refs are gone.
    let denied = server
        .call(
            Method::DELETE,
            &format!("/api/v1/annotationtasks/{qa_id}"),
            Some(&annotator1),
            Some(json!({"asynced": true})),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let deleted = server
        .call(
            Method::DELETE,
            &format!("/api/v1/annotationtasks/{qa_id}"),
            Some(&manager),
            Some(json!({"asynced": true})),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);
    assert_eq!(deleted.json["spec"]["deleteTaskId"], qa_id);
    assert_eq!(
        server
            .get(&format!("/api/v1/annotationtasks/{qa_id}"), &manager)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let gone = server
        .all_items(
            &manager,
            &dataset_id,
            json!({"metadata.system.refs.id": {"$in": [qa_id]}}),
        )
        .await;
    assert!(gone.is_empty());
    assert_eq!(
        server
            .call(
                Method::DELETE,
                "/api/v1/annotationtasks/nope",
                Some(&manager),
                None
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn task_creation_is_checked() {
    let server = TestServer::with_items(100);
    let manager = server.login(MANAGER).await;
    let annotator = server.login(ANNOTATOR1).await;
    let owner = server.login(OWNER).await;
    let (project_id, dataset_id) = server.demo_ids(&manager).await;
    let all = json!({"$and": [{"hidden": false}, {"type": "file"}]});

    let by_annotator = server
        .post(
            "/api/v1/annotationtasks",
            &annotator,
            task_body("t", &project_id, &dataset_id, all.clone(), &[ANNOTATOR1]),
        )
        .await;
    assert_eq!(by_annotator.status, StatusCode::FORBIDDEN);
    assert_eq!(by_annotator.json["status"], 403);

    let nothing = json!({"$and": [{"dir": "/nowhere"}]});
    let empty = server
        .post(
            "/api/v1/annotationtasks",
            &manager,
            task_body(
                "t",
                &project_id,
                &dataset_id,
                nothing.clone(),
                &[ANNOTATOR1],
            ),
        )
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(empty.json["message"], "query matched no items");
    let mut allowed = task_body("empty", &project_id, &dataset_id, nothing, &[ANNOTATOR1]);
    allowed["emptyTask"] = json!(true);
    let made = server
        .post("/api/v1/annotationtasks", &manager, allowed)
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);

    let stranger = server
        .post(
            "/api/v1/annotationtasks",
            &manager,
            task_body(
                "t",
                &project_id,
                &dataset_id,
                all.clone(),
                &["someone@else.com"],
            ),
        )
        .await;
    assert_eq!(stranger.status, StatusCode::BAD_REQUEST);
    assert_eq!(stranger.json["errors"][0]["field"], "assignees");
    assert_eq!(stranger.json["errors"][0]["code"], "assignees.not_member");

    let mut bad_loads = task_body(
        "t",
        &project_id,
        &dataset_id,
        all.clone(),
        &[ANNOTATOR1, ANNOTATOR2],
    );
    bad_loads["workload"][0]["load"] = json!(80);
    let reply = server
        .post("/api/v1/annotationtasks", &manager, bad_loads)
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["field"] == "workload"));

    let mut unnamed = task_body("", &project_id, &dataset_id, all.clone(), &[ANNOTATOR1]);
    unnamed["query"] = json!("{not json");
    let reply = server
        .post("/api/v1/annotationtasks", &manager, unnamed)
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = reply.json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"name") && fields.contains(&"query"),
        "{fields:?}"
    );

    let mut qa_without_parent =
        task_body("qa", &project_id, &dataset_id, all.clone(), &[ANNOTATOR1]);
    qa_without_parent["spec"] = json!({"type": "qa"});
    assert_eq!(
        server
            .post("/api/v1/annotationtasks", &manager, qa_without_parent)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    let unknown_dataset = server
        .post(
            "/api/v1/annotationtasks",
            &manager,
            task_body(
                "t",
                &project_id,
                "000000000000000000000000",
                all.clone(),
                &[ANNOTATOR1],
            ),
        )
        .await;
    assert_eq!(unknown_dataset.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown_dataset.json["errors"][0]["field"], "datasetId");

    // The restricted project's dataset is invisible to the manager.
    let datasets = server
        .post(
            "/api/v1/datasets/query",
            &owner,
            json!({"filter": {"$and": [{"name": "confidential"}]}, "resource": "datasets"}),
        )
        .await;
    let confidential = datasets.json["items"][0]["id"].as_str().unwrap();
    let restricted = server
        .post(
            "/api/v1/annotationtasks",
            &manager,
            task_body("t", &project_id, confidential, all.clone(), &[ANNOTATOR1]),
        )
        .await;
    assert_ne!(restricted.status, StatusCode::OK);

    // Custom actions, limit and checkIfExist.
    let mut custom = task_body(
        "custom",
        &project_id,
        &dataset_id,
        all.clone(),
        &[ANNOTATOR1, ANNOTATOR2],
    );
    custom["availableActions"] =
        json!([{"action": "done", "color": "#FFFFFF", "displayName": "done"}]);
    custom["limit"] = json!(7);
    let made = server
        .post("/api/v1/annotationtasks", &manager, custom.clone())
        .await;
    let custom_id = made.json["spec"]["createdTaskId"]
        .as_str()
        .unwrap()
        .to_string();
    let task = server
        .get(&format!("/api/v1/annotationtasks/{custom_id}"), &manager)
        .await
        .json;
    assert_eq!(task["totalItems"], 7);
    assert_eq!(task["availableActions"][0]["action"], "done");
    custom["checkIfExist"] =
        json!({"query": {"filter": {"$and": [{"name": "custom"}]}, "resource": "tasks"}});
    let existing = server
        .post("/api/v1/annotationtasks", &manager, custom)
        .await;
    assert_eq!(existing.json["id"], custom_id.as_str());
    assert_eq!(existing.json["name"], "custom");
}

#[tokio::test]
async fn demo_task_has_statuses() {
    let server = TestServer::with_items(400);
    let token = server.login(MANAGER).await;
    let (_, dataset_id) = server.demo_ids(&token).await;
    let tasks = server
        .post("/api/v1/annotationtasks/query", &token, json!({"filter": {"$and": [{"datasetId": dataset_id}, {"name": "demo-labeling"}]}, "resource": "tasks"}))
        .await;
    let task = &tasks.json["items"][0];
    let status = &task["itemStatus"];
    assert!(status["completed"].as_u64().unwrap() > 0);
    assert!(status["discard"].as_u64().unwrap() > 0);
    assert!(status["remaining"].as_u64().unwrap() > 0);
    assert_eq!(task["assignmentIds"].as_array().unwrap().len(), 4);
    let with_status = server
        .post(&format!("/api/v1/datasets/{dataset_id}/query"), &token,
            json!({"filter": {"$and": [{"hidden": false}, {"type": "file"},
                {"metadata.system.refs": {"$match": {"id": task["id"], "type": "task", "metadata": {"status": {"$exists": true}}}}}]}, "pageSize": 0}))
        .await;
    assert_eq!(
        with_status.json["totalItemsCount"].as_u64().unwrap(),
        status["completed"].as_u64().unwrap() + status["discard"].as_u64().unwrap()
    );
}

#[tokio::test]
async fn responses_read_as_core_entities_and_cached_counts_stay_fresh() {
    use annotask_core::entities::{
        Assignment, Command, Dataset, Item, Member, Page, Project, Recipe, Task,
    };

    let server = TestServer::with_items(120);
    let token = server.login(MANAGER).await;
    let (project_id, dataset_id) = server.demo_ids(&token).await;

    let project: Vec<Project> =
        serde_json::from_value(server.get("/api/v1/projects/demo/name", &token).await.json)
            .unwrap();
    assert_eq!(project[0].id, project_id);
    let members: Vec<Member> = serde_json::from_value(
        server
            .get(&format!("/api/v1/projects/{project_id}/members"), &token)
            .await
            .json,
    )
    .unwrap();
    assert_eq!(members.len(), 10);
    let dataset: Dataset = serde_json::from_value(
        server
            .get(&format!("/api/v1/datasets/{dataset_id}"), &token)
            .await
            .json,
    )
    .unwrap();
    assert_eq!(dataset.id, dataset_id);
    let recipe_id = server
        .get(&format!("/api/v1/datasets/{dataset_id}"), &token)
        .await
        .json["metadata"]["system"]["recipes"][0]
        .as_str()
        .unwrap()
        .to_string();
    let recipe: Recipe = serde_json::from_value(
        server
            .get(&format!("/api/v1/recipes/{recipe_id}"), &token)
            .await
            .json,
    )
    .unwrap();
    assert_eq!(recipe.id, recipe_id);
    let items: Page<Item> = serde_json::from_value(
        server
            .post(
                &format!("/api/v1/datasets/{dataset_id}/query"),
                &token,
                json!({"pageSize": 5}),
            )
            .await
            .json,
    )
    .unwrap();
    assert_eq!(items.items.len(), 5);

    let command = server
        .post(
            "/api/v1/annotationtasks",
            &token,
            task_body(
                "entities",
                &project_id,
                &dataset_id,
                json!({"type": "file"}),
                &[ANNOTATOR1, ANNOTATOR2],
            ),
        )
        .await;
    let command: Command = serde_json::from_value(command.json).unwrap();
    let task_id = command.spec["createdTaskId"].as_str().unwrap().to_string();
    let task: Task = serde_json::from_value(
        server
            .get(&format!("/api/v1/annotationtasks/{task_id}"), &token)
            .await
            .json,
    )
    .unwrap();
    assert_eq!(task.id, task_id);
    assert_eq!(task.assignment_ids.len(), 2);
    let tasks: Page<Task> = serde_json::from_value(
        server
            .post(
                "/api/v1/annotationtasks/query",
                &token,
                json!({"filter": {"$and": [{"datasetId": dataset_id}]}, "resource": "tasks"}),
            )
            .await
            .json,
    )
    .unwrap();
    assert_eq!(tasks.items.len(), 2);
    let assignments: Page<Assignment> = serde_json::from_value(
        server
            .get(&format!("/api/v1/assignments?taskId={task_id}"), &token)
            .await
            .json,
    )
    .unwrap();
    assert_eq!(assignments.items.len(), 2);

    // The same count before and after a status change: the cached result must not be reused.
    let with_status = json!({"filter": {"metadata.system.refs": {"$match": {"id": task_id, "metadata": {"status": {"$exists": true}}}}}, "pageSize": 0});
    let path = format!("/api/v1/datasets/{dataset_id}/query");
    assert_eq!(
        server.post(&path, &token, with_status.clone()).await.json["totalItemsCount"],
        0
    );
    let first_item = server
        .post(
            &path,
            &token,
            json!({"filter": {"metadata.system.refs.id": task_id}, "pageSize": 1}),
        )
        .await
        .json["items"][0]["id"]
        .clone();
    let set = server
        .post(&format!("/api/v1/assignments/items/tasks/{task_id}/status"), &token,
            json!({"itemIds": [first_item], "statusPayload": {"operation": "create", "status": "completed"}}))
        .await;
    assert_eq!(set.status, StatusCode::OK);
    assert_eq!(
        server.post(&path, &token, with_status).await.json["totalItemsCount"],
        1
    );
}
