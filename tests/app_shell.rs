//! Browser tests of the app shell's pure pieces (session, config, navigation, list logic,
//! formatting) and of its small display components.
#![cfg(target_arch = "wasm32")]

use annotask::api::ApiError;
use annotask::components::load_error::LoadError;
use annotask::components::progress_bar::{count_noun, format_count, Progress, ProgressBar};
use annotask::components::project_switcher::{scope_from_path, Scope};
use annotask::components::relative_time::{relative_time, RelativeTime};
use annotask::config::{base_path_from, strip_base, AppConfig};
use annotask::pages::signin::next_path;
use annotask::pages::task_list::list_query::{TaskListQuery, TaskSort, PAGE_SIZE};
use annotask::session::{decode_claims, Session};
use annotask_core::entities::{ItemStatusCounts, Task, TaskStatus, TaskType};
use base64::Engine;
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const MINUTE: f64 = 60_000.0;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;
const NOW: f64 = 1_800_000_000_000.0;

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

/// An unsigned JWT with these claims (annotask never verifies signatures; the server does).
fn jwt(claims: serde_json::Value) -> String {
    let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!(
        "{}.{}.{}",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims.to_string().as_bytes()),
        b64(b"signature")
    )
}

// ---------- relative time ----------

#[wasm_bindgen_test]
fn relative_time_reads_like_speech() {
    assert_eq!(relative_time(NOW + 3.0 * DAY, NOW), "in 3 days");
    assert_eq!(relative_time(NOW - 2.0 * HOUR, NOW), "2 hours ago");
    assert_eq!(relative_time(NOW + 1.0 * MINUTE, NOW), "in 1 minute");
    assert_eq!(relative_time(NOW - 10_000.0, NOW), "just now");
    assert_eq!(relative_time(NOW + 30_000.0, NOW), "in a moment");
    assert_eq!(relative_time(NOW + 44.0 * MINUTE, NOW), "in 44 minutes");
    assert_eq!(relative_time(NOW + 45.0 * MINUTE, NOW), "in 1 hour");
    assert_eq!(relative_time(NOW - 21.0 * HOUR, NOW), "21 hours ago");
    assert_eq!(relative_time(NOW - 22.0 * HOUR, NOW), "1 day ago");
    assert_eq!(relative_time(NOW + 25.0 * DAY, NOW), "in 25 days");
    assert_eq!(relative_time(NOW + 26.0 * DAY, NOW), "in 1 month");
    assert_eq!(relative_time(NOW + 60.0 * DAY, NOW), "in 2 months");
    assert_eq!(relative_time(NOW - 400.0 * DAY, NOW), "1 year ago");
    assert_eq!(relative_time(NOW + 3.0 * 365.0 * DAY, NOW), "in 3 years");
}

#[wasm_bindgen_test]
fn relative_time_component_carries_the_exact_moment() {
    let root = container();
    let due = js_sys::Date::now() + 3.0 * DAY + HOUR;
    let _mounted = leptos::mount::mount_to(root.clone(), move || view! { <RelativeTime ms=due /> });
    let time = root.query_selector("time").unwrap().expect("a <time>");
    let iso = time.get_attribute("datetime").unwrap();
    assert!(iso.ends_with('Z') && iso.contains('T'), "{iso}");
    let title = time.get_attribute("title").unwrap();
    assert!(!title.is_empty());
    let text = time.text_content().unwrap();
    assert!(text.starts_with("in 3 days"), "{text}");
    // The exact date is in the text too, for screen readers (hidden from sight).
    assert!(text.contains(&title), "{text} / {title}");
}

// ---------- session ----------

#[wasm_bindgen_test]
fn jwt_claims_are_decoded() {
    let token = jwt(json!({"email": "manager@demo.annotask", "exp": 1_900_000_000, "sub": "u1"}));
    let claims = decode_claims(&token).expect("a JWT");
    assert_eq!(claims.email.as_deref(), Some("manager@demo.annotask"));
    assert_eq!(claims.exp, Some(1_900_000_000.0));
    assert!(decode_claims("not a token").is_none());
    assert!(decode_claims("a.b").is_none());
    assert!(decode_claims("a.!!!.c").is_none());
    assert!(decode_claims(&format!("{token}.extra")).is_none());
}

#[wasm_bindgen_test]
fn sessions_come_from_tokens_with_an_email() {
    let token = jwt(json!({"email": "a@b.c", "exp": 1_900_000_000}));
    let s = Session::from_token(&format!("  {token}\n"), Some("r".into()), true).unwrap();
    assert_eq!(s.token, token, "pasted whitespace is trimmed");
    assert_eq!(s.email, "a@b.c");
    assert_eq!(s.expires_at_ms, Some(1_900_000_000_000.0));
    assert!(s.persistent);
    let err = Session::from_token(&jwt(json!({"exp": 1})), None, false).unwrap_err();
    assert!(err.contains("email"), "{err}");
    assert!(Session::from_token("garbage", None, false).is_err());
}

#[wasm_bindgen_test]
fn expiry_timers_refresh_early_or_end_pasted_tokens_on_time() {
    let exp_secs = (NOW + HOUR) / 1000.0;
    let token = jwt(json!({"email": "a@b.c", "exp": exp_secs}));
    let refreshable = Session::from_token(&token, Some("r".into()), false).unwrap();
    let pasted = Session::from_token(&token, None, false).unwrap();
    let margin = 2.0 * MINUTE;
    assert_eq!(
        refreshable.expiry_timer_ms(NOW, margin),
        Some(HOUR - margin)
    );
    assert_eq!(pasted.expiry_timer_ms(NOW, margin), Some(HOUR));
    // Already past: act at once, never a negative delay.
    assert_eq!(
        refreshable.expiry_timer_ms(NOW + 2.0 * HOUR, margin),
        Some(0.0)
    );
    assert!(refreshable.expires_within(NOW + HOUR - MINUTE, margin));
    assert!(!refreshable.expires_within(NOW, margin));
    let forever = Session::from_token(&jwt(json!({"email": "a@b.c"})), None, false).unwrap();
    assert_eq!(forever.expiry_timer_ms(NOW, margin), None);
}

#[wasm_bindgen_test]
fn sign_in_returns_only_to_local_pages() {
    assert_eq!(next_path(None), "/projects");
    assert_eq!(
        next_path(Some("/tasks/1?x=1".into())),
        "/tasks/1?x=1",
        "the query is kept"
    );
    assert_eq!(next_path(Some("//evil.example/x".into())), "/projects");
    assert_eq!(next_path(Some("https://evil.example".into())), "/projects");
    assert_eq!(next_path(Some("/signin?next=/x".into())), "/projects");
}

// ---------- config and paths ----------

#[wasm_bindgen_test]
fn base_paths_from_base_href() {
    let origin = "https://app.example";
    assert_eq!(base_path_from("https://app.example/", origin), "");
    assert_eq!(
        base_path_from("https://app.example/sub/path/", origin),
        "/sub/path"
    );
    assert_eq!(
        base_path_from("https://app.example/sub/?x#y", origin),
        "/sub"
    );
    assert_eq!(base_path_from("https://elsewhere.example/sub/", origin), "");
    assert_eq!(strip_base("/sub/tasks/1", "/sub"), "/tasks/1");
    assert_eq!(strip_base("/sub", "/sub"), "/");
    assert_eq!(strip_base("/subway/x", "/sub"), "/subway/x");
    assert_eq!(strip_base("/tasks/1", ""), "/tasks/1");
}

#[wasm_bindgen_test]
fn config_json_defaults_and_request_timeout() {
    let origin = "https://app.example.com";
    let empty = AppConfig::from_json("", origin).unwrap();
    assert_eq!(empty.api_base, "https://app.example.com/api/v1");
    assert_eq!(empty.gate_url, origin);
    assert_eq!(empty.request_timeout_ms, 30_000);

    let set = AppConfig::from_json(
        r#"{"apiBase": "https://gate.example.com/api/v1/", "gateUrl": " https://gate.example.com/ ", "requestTimeoutSeconds": 2.5}"#,
        origin,
    )
    .unwrap();
    assert_eq!(set.api_base, "https://gate.example.com/api/v1");
    assert_eq!(set.gate_url, "https://gate.example.com");
    assert_eq!(set.request_timeout_ms, 2_500);
    assert_eq!(
        AppConfig::from_json(r#"{"requestTimeoutSeconds": 0}"#, origin)
            .unwrap()
            .request_timeout_ms,
        0,
        "0 waits for ever"
    );
    for bad in [
        r#"{"requestTimeoutSeconds": -1}"#,
        r#"{"requestTimeoutSeconds": 4000}"#,
        r#"{"requestTimeoutSeconds": "30"}"#,
        "{",
    ] {
        let error = AppConfig::from_json(bad, origin).unwrap_err();
        assert!(
            error.starts_with("config.json is not valid"),
            "{bad}: {error}"
        );
    }
}

#[wasm_bindgen_test]
fn a_timeout_reads_as_a_busy_server_and_can_be_retried() {
    let error = ApiError::Timeout { seconds: 30 };
    assert!(error.is_transient());
    assert_eq!(
        error.to_string(),
        "The server did not answer within 30 s. It may be busy; try again."
    );
}

#[wasm_bindgen_test]
fn the_header_reads_project_and_dataset_from_the_path() {
    assert_eq!(scope_from_path("/projects"), Scope::default());
    assert_eq!(
        scope_from_path("/projects/p1/datasets"),
        Scope {
            project_id: Some("p1".into()),
            dataset_id: None
        }
    );
    assert_eq!(
        scope_from_path("/projects/p%201/datasets/d1/tasks/new"),
        Scope {
            project_id: Some("p 1".into()),
            dataset_id: Some("d1".into())
        }
    );
    assert_eq!(scope_from_path("/tasks/t1"), Scope::default());
}

// ---------- counts and progress ----------

#[wasm_bindgen_test]
fn counts_and_progress() {
    assert_eq!(format_count(0), "0");
    assert_eq!(format_count(999), "999");
    assert_eq!(format_count(5000), "5,000");
    assert_eq!(format_count(1_234_567), "1,234,567");
    assert_eq!(count_noun(1, "item", "items"), "1 item");
    assert_eq!(count_noun(5000, "item", "items"), "5,000 items");

    let counts: ItemStatusCounts =
        serde_json::from_value(json!({"completed": 10, "discard": 5, "remaining": 85})).unwrap();
    let p = Progress::from_counts(&counts, 100);
    assert_eq!((p.done, p.total, p.percent()), (15, 100, 15));
    assert_eq!(p.describe(), "15 of 100 items (15%)");
    // Rounded down: almost done is not done.
    assert_eq!(
        Progress {
            done: 999,
            total: 1000
        }
        .percent(),
        99
    );
    assert_eq!(Progress { done: 0, total: 0 }.percent(), 0);
    assert_eq!(Progress { done: 0, total: 0 }.describe(), "No items");
}

#[wasm_bindgen_test]
fn progress_bar_is_an_aria_progressbar() {
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), || {
        view! { <ProgressBar label="Progress of t" progress=Progress { done: 1, total: 4 } /> }
    });
    let bar = root.query_selector("[role=progressbar]").unwrap().unwrap();
    assert_eq!(
        bar.get_attribute("aria-label").as_deref(),
        Some("Progress of t")
    );
    assert_eq!(bar.get_attribute("aria-valuenow").as_deref(), Some("25"));
    assert_eq!(
        bar.get_attribute("aria-valuetext").as_deref(),
        Some("1 of 4 items (25%)")
    );
    let fill: web_sys::HtmlElement = root
        .query_selector(".progress__fill")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(fill.style().get_property_value("width").unwrap(), "25%");
}

// ---------- load errors ----------

#[wasm_bindgen_test]
fn a_404_reads_as_not_found_or_no_access() {
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), || {
        view! {
            <leptos_router::components::Router>
                <LoadError
                    what="project"
                    error=ApiError::NotFound("project x not found".into())
                    on_retry=Callback::new(|_| {})
                />
            </leptos_router::components::Router>
        }
    });
    let h1 = root.query_selector("h1").unwrap().expect("a heading");
    assert_eq!(
        h1.text_content().as_deref(),
        Some("Project not found or no access")
    );
    assert!(root
        .query_selector("a[href='/projects']")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
fn a_server_failure_shows_its_message_and_retries() {
    let root = container();
    let retries = RwSignal::new(0);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <LoadError
                what="task"
                error=ApiError::Server { status: 503, message: "database is locked".into() }
                on_retry=Callback::new(move |_| retries.update(|n| *n += 1))
            />
        }
    });
    let text = root.text_content().unwrap();
    assert!(text.contains("Could not load the task"), "{text}");
    assert!(text.contains("database is locked"), "{text}");
    let button: web_sys::HtmlElement = root
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    assert_eq!(retries.get_untracked(), 1);
}

// ---------- the task list's search, filters, order and pages ----------

fn task(id: &str, name: &str, kind: &str, status: &str, due: Option<f64>, created: &str) -> Task {
    serde_json::from_value(json!({
        "id": id, "name": name, "spec": {"type": kind}, "status": status,
        "dueDate": due, "createdAt": created,
    }))
    .unwrap()
}

fn sample() -> Vec<Task> {
    vec![
        task(
            "1",
            "Cats",
            "annotation",
            "open",
            Some(3.0),
            "2024-01-03T00:00:00.000Z",
        ),
        task(
            "2",
            "dogs QA",
            "qa",
            "in progress",
            Some(1.0),
            "2024-01-01T00:00:00.000Z",
        ),
        task(
            "3",
            "cars",
            "annotation",
            "completed",
            None,
            "2024-01-05T00:00:00.000Z",
        ),
        task(
            "4",
            "Birds",
            "annotation",
            "open",
            Some(2.0),
            "2024-01-02T00:00:00.000Z",
        ),
    ]
}

fn names(q: &TaskListQuery, tasks: &[Task]) -> Vec<String> {
    q.apply(tasks).rows.into_iter().map(|t| t.name).collect()
}

#[wasm_bindgen_test]
fn task_list_sorts_by_due_date_name_or_creation() {
    let tasks = sample();
    let mut q = TaskListQuery::default();
    assert_eq!(
        names(&q, &tasks),
        ["dogs QA", "Birds", "Cats", "cars"],
        "no due date last"
    );
    q.sort = TaskSort::Name;
    assert_eq!(
        names(&q, &tasks),
        ["Birds", "cars", "Cats", "dogs QA"],
        "case ignored"
    );
    q.sort = TaskSort::Newest;
    assert_eq!(names(&q, &tasks), ["cars", "Cats", "Birds", "dogs QA"]);
}

#[wasm_bindgen_test]
fn task_list_searches_and_filters() {
    let tasks = sample();
    let q = TaskListQuery {
        search: " CA ".into(),
        ..Default::default()
    };
    assert_eq!(names(&q, &tasks), ["Cats", "cars"]);
    assert!(q.is_filtered());
    let q = TaskListQuery {
        task_type: Some(TaskType::Qa),
        ..Default::default()
    };
    assert_eq!(names(&q, &tasks), ["dogs QA"]);
    let q = TaskListQuery {
        status: Some(TaskStatus::Open),
        sort: TaskSort::Name,
        ..Default::default()
    };
    assert_eq!(names(&q, &tasks), ["Birds", "Cats"]);
    let q = TaskListQuery {
        search: "zebra".into(),
        ..Default::default()
    };
    let page = q.apply(&tasks);
    assert_eq!((page.matching, page.page, page.page_count), (0, 1, 1));
    assert_eq!(page.range(), (0, 0));
}

#[wasm_bindgen_test]
fn task_list_pages() {
    let tasks: Vec<Task> = (0..(PAGE_SIZE * 2 + 5))
        .map(|i| {
            task(
                &format!("{i:03}"),
                &format!("t{i:03}"),
                "annotation",
                "open",
                None,
                "",
            )
        })
        .collect();
    let q = TaskListQuery {
        page: 2,
        sort: TaskSort::Name,
        ..Default::default()
    };
    let page = q.apply(&tasks);
    assert_eq!(page.page_count, 3);
    assert_eq!(page.rows.len(), PAGE_SIZE);
    assert_eq!(page.rows[0].name, format!("t{PAGE_SIZE:03}"));
    assert_eq!(page.range(), (PAGE_SIZE + 1, PAGE_SIZE * 2));
    // A page past the end (the list shrank) shows the last page.
    let page = TaskListQuery { page: 9, ..q }.apply(&tasks);
    assert_eq!((page.page, page.rows.len()), (3, 5));
}

#[wasm_bindgen_test]
fn task_list_state_round_trips_through_the_url() {
    let q = TaskListQuery {
        search: "cats & dogs".into(),
        task_type: Some(TaskType::Qa),
        status: Some(TaskStatus::InProgress),
        sort: TaskSort::Newest,
        page: 3,
    };
    let text = q.to_query_string();
    assert_eq!(
        text,
        "q=cats%20%26%20dogs&type=qa&status=in%20progress&sort=newest&page=3"
    );
    let params: std::collections::HashMap<String, String> = text
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (
                k.to_string(),
                String::from(js_sys::decode_uri_component(v).unwrap()),
            )
        })
        .collect();
    assert_eq!(TaskListQuery::from_params(|k| params.get(k).cloned()), q);
    // Defaults leave the URL plain; junk falls back to defaults.
    assert_eq!(TaskListQuery::default().to_query_string(), "");
    let junk = TaskListQuery::from_params(|k| match k {
        "type" => Some("consensus".into()),
        "sort" => Some("sideways".into()),
        "page" => Some("-2".into()),
        _ => None,
    });
    assert_eq!(
        junk,
        TaskListQuery {
            page: 1,
            ..Default::default()
        }
    );
    assert_eq!(
        TaskListQuery {
            page: 4,
            ..Default::default()
        }
        .first_page()
        .page,
        1
    );
}
