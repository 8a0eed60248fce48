//! Faults (issue 10): the real binary killed with SIGKILL while it creates a 100,000-item task
//! leaves the whole task or none of it; data survives a clean restart; concurrent creations
//! over overlapping items keep every item exactly once per task.
//!
//! The kill test seeds a temp-file database with the debug binary itself, then creates tasks
//! over all 100,000 items and kills the server at different points: a few fixed delays after
//! the request was sent (these land while the dataset is still being loaded, before any
//! write), the moment the WAL file changes while the write transaction is open (the commit
//! writing its frames: a torn WAL tail), and the moment the write transaction, seen open, is
//! seen closed again (committed, before the answer); or, should the WAL write be too quick to
//! catch, the moment the write transaction is seen open. Whether a write transaction is open
//! is read from the file itself: a second connection's `BEGIN IMMEDIATE` fails with
//! `SQLITE_BUSY` exactly while another connection holds the write lock. After every kill the
//! server is restarted on the same file and the outcome is checked with SQL on the file and
//! through the API. `ANNOTASK_FAULT_ITEMS` overrides the item count (for quick local runs).

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use rusqlite::Connection;
use serde_json::{json, Value};
use tower::ServiceExt;

use common::*;

const ANNOTATOR3: &str = "annotator3@demo.annotask";
const ANNOTATOR4: &str = "annotator4@demo.annotask";

// --- A server process and a tiny HTTP client ----------------------------------------------

/// The server binary on a database file. Dropping it kills it (SIGKILL).
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    /// Starts the binary on `db` and waits for its `listening on` line. With `--demo` an
    /// empty database is seeded first (which takes a while for 100,000 items).
    fn start(db: &Path, items: usize, log: &Path) -> Server {
        let items = items.to_string();
        let args: [&std::ffi::OsStr; 4] = [
            "--db".as_ref(),
            db.as_os_str(),
            "--demo".as_ref(),
            "--demo-items".as_ref(),
        ];
        let mut args = args.to_vec();
        args.push(items.as_ref());
        let (child, port) = spawn_binary(&args, Stdio::from(File::create(log).unwrap()), Some(log));
        Server { child, port }
    }

    /// SIGKILL: no chance to finish anything.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM: a graceful shutdown, which must exit 0.
    fn terminate(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        assert!(exit.success(), "graceful shutdown exits 0, got {exit:?}");
    }

    fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        http(self.port, method, path, token, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    fn get(&self, path: &str, token: &str) -> Value {
        let (status, json) = self.call("GET", path, Some(token), None);
        assert_eq!(status, 200, "GET {path}: {json}");
        json
    }

    fn post(&self, path: &str, token: &str, body: Value) -> Value {
        let (status, json) = self.call("POST", path, Some(token), Some(&body));
        assert_eq!(status, 200, "POST {path}: {json}");
        json
    }

    fn login(&self, email: &str) -> (String, String) {
        let body = json!({"type": "user_credentials", "username": email, "password": PASSWORD});
        let (status, json) = self.call("POST", "/token?default", None, Some(&body));
        assert_eq!(status, 200, "{json}");
        (
            json["id_token"].as_str().unwrap().to_string(),
            json["refresh_token"].as_str().unwrap().to_string(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One HTTP/1.1 request over a fresh connection: the status and the body as JSON.
fn http(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    // Generous: a debug build loads 100,000 items in tens of seconds on a busy machine.
    stream.set_read_timeout(Some(Duration::from_secs(900)))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("no complete answer: {text:?}"),
        )
    })?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let json = serde_json::from_str(body).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("incomplete body ({e})"),
        )
    })?;
    Ok((status, json))
}

/// A fresh directory under the system temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "annotask-{name}-{}",
        annotask_server::ids::random_hex(6)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// --- Looking at the file directly -----------------------------------------------------------

/// A second connection to the server's database file, to see whether a write transaction is
/// open. It never checkpoints, even when closed last, so recovery after a kill is left to the
/// restarted server.
struct Probe(Connection);

impl Probe {
    fn open(db: &Path) -> Probe {
        let conn = Connection::open(db).unwrap();
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
        .unwrap();
        conn.busy_timeout(Duration::ZERO).unwrap();
        Probe(conn)
    }

    /// Whether another connection holds the write lock right now.
    fn writer_active(&self) -> bool {
        match self.0.execute_batch("BEGIN IMMEDIATE") {
            Ok(()) => {
                self.0.execute_batch("ROLLBACK").unwrap();
                false
            }
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy =>
            {
                true
            }
            Err(e) => panic!("probe: {e}"),
        }
    }
}

/// Whole-database invariants, straight from the file: every task ref names an existing task
/// and an assignment of that task, every assignment an existing task, every ref an existing
/// item, each task's `assignmentIds` are its assignments, and SQLite's own checks pass.
fn check_file_consistency(db: &Path, thorough: bool) {
    let conn = Connection::open(db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT COUNT(*) FROM task_items WHERE task_id NOT IN (SELECT id FROM tasks)"),
        0,
        "item refs naming a missing task"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM assignments WHERE task_id NOT IN (SELECT id FROM tasks)"),
        0,
        "orphan assignments"
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM task_items ti LEFT JOIN assignments a ON a.id = ti.assignment_id
             WHERE a.id IS NULL OR a.task_id != ti.task_id"
        ),
        0,
        "item refs naming a missing assignment, or another task's"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM task_items WHERE item_id NOT IN (SELECT id FROM items)"),
        0,
        "refs to missing items"
    );
    let mut stmt = conn.prepare("SELECT id, body FROM tasks").unwrap();
    let tasks: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (id, body) in tasks {
        let body: Value = serde_json::from_str(&body).unwrap();
        let listed: BTreeSet<String> = body["assignmentIds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect();
        let stored: BTreeSet<String> = conn
            .prepare("SELECT id FROM assignments WHERE task_id = ?1")
            .unwrap()
            .query_map([&id], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(listed, stored, "task {id}: assignmentIds vs assignments");
    }
    if thorough {
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let broken: i64 = conn
            .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(broken, 0, "foreign key violations");
    }
}

/// What the file holds of the task named `name`: `None`, or its id with its item count and
/// each assignment's item count. Panics on a partial task (more than one, or assignments
/// without their items, or a task without its Command).
fn task_in_file(db: &Path, name: &str) -> Option<(String, i64, Vec<i64>)> {
    let conn = Connection::open(db).unwrap();
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM tasks WHERE name = ?1")
        .unwrap()
        .query_map([name], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let commands: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM commands WHERE json_extract(body, '$.spec.createTaskPayload.name') = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap();
    match ids.as_slice() {
        [] => {
            assert_eq!(commands, 0, "{name}: a Command without its task");
            None
        }
        [id] => {
            assert_eq!(commands, 1, "{name}: the task without its Command");
            let items: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM task_items WHERE task_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .unwrap();
            let per_assignment: Vec<i64> = conn
                .prepare(
                    "SELECT (SELECT COUNT(*) FROM task_items ti WHERE ti.assignment_id = a.id)
                     FROM assignments a WHERE a.task_id = ?1 ORDER BY a.annotator",
                )
                .unwrap()
                .query_map([id], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            Some((id.clone(), items, per_assignment))
        }
        more => panic!("{name}: {} tasks", more.len()),
    }
}

// --- The SIGKILL test -----------------------------------------------------------------------

/// Where a kill landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Landed {
    /// Before the write transaction began (loading or evaluating).
    BeforeWrite,
    /// While the write transaction was open, before its commit started writing the WAL.
    MidWrite,
    /// While the commit was writing the WAL (the transaction still open): a torn WAL tail.
    DuringCommit,
    /// After the commit, before the answer reached the client.
    AfterCommit,
    /// After the answer (the commit was quicker than the probe).
    AfterAnswer,
}

/// When to kill the server during a creation.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// This long after sending the request.
    Delay(Duration),
    /// As soon as the write transaction is seen open.
    WriteOpen,
    /// As soon as the WAL file changes while the write transaction is open (the commit, or a
    /// spill, writing its frames).
    WalWrite,
    /// As soon as the write transaction, once seen open, is seen closed again.
    WriteClosed,
}

/// What a kill met.
#[derive(Debug, Clone, Copy)]
struct Kill {
    /// A write transaction was open when the server was killed.
    writer_active: bool,
    /// The WAL file had changed since the write transaction was first seen open.
    wal_written: bool,
    /// The client got its answer.
    answered: bool,
}

/// The size and modification time of the WAL file.
fn wal_stamp(db: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(db.with_extension("db-wal")).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// Sends a create request and kills the server as `when` says. The probe connection is
/// closed right after the kill, so the restarted server is the one that recovers the file.
fn create_and_kill(server: Server, db: &Path, token: &str, body: Value, when: KillAt) -> Kill {
    let probe = Probe::open(db);
    let (done_tx, done) = mpsc::channel();
    let port = server.port;
    let token = token.to_string();
    let client = std::thread::spawn(move || {
        let answer = http(
            port,
            "POST",
            "/api/v1/annotationtasks",
            Some(&token),
            Some(&body),
        );
        let _ = done_tx.send(());
        answer
    });
    let deadline = Instant::now() + Duration::from_secs(900);
    // The WAL as it was when the write transaction was first seen open.
    let mut wal_at_open = None;
    let (writer_active, wal_written) = loop {
        assert!(Instant::now() < deadline, "no kill point within 15 minutes");
        let finished = done.try_recv().is_ok();
        let active = probe.writer_active();
        if active && wal_at_open.is_none() {
            wal_at_open = Some(wal_stamp(db));
        }
        let seen_open = wal_at_open.is_some();
        let kill_now = match when {
            KillAt::Delay(delay) => {
                std::thread::sleep(delay);
                true
            }
            KillAt::WriteOpen => active || finished,
            KillAt::WalWrite => {
                let changed = active && wal_at_open.is_some_and(|w| w != wal_stamp(db));
                changed || (seen_open && !active) || finished
            }
            KillAt::WriteClosed => (seen_open && !active) || finished,
        };
        if kill_now {
            let active = probe.writer_active();
            let written = wal_at_open.is_some_and(|w| w != wal_stamp(db));
            server.kill();
            drop(probe);
            break (active, written);
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let answered = matches!(client.join().unwrap(), Ok((200, _)));
    Kill {
        writer_active,
        wal_written,
        answered,
    }
}

#[test]
fn sigkill_while_creating_a_100k_item_task_leaves_all_of_it_or_none() {
    let items: usize = std::env::var("ANNOTASK_FAULT_ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = temp_dir("sigkill");
    let db = dir.join("annotask.db");
    let mut starts = 0;
    let start = |starts: &mut usize| {
        *starts += 1;
        Server::start(&db, items, &dir.join(format!("server-{starts}.log")))
    };
    let began = Instant::now();
    let mut server = start(&mut starts);
    let seeded_in = began.elapsed();

    let (token, _) = server.login(MANAGER);
    let (project_id, dataset_id): (String, String) = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT project_id, id FROM datasets WHERE name = 'images'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let demo_task: (String, i64) = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT t.id, COUNT(*) FROM tasks t JOIN task_items ti ON ti.task_id = t.id
             WHERE t.name = 'demo-labeling' GROUP BY t.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let demo_before = server.get(&format!("/api/v1/annotationtasks/{}", demo_task.0), &token);

    // Every file of the dataset (the 100,000 items; not the folder entries), split 50/50.
    let body = |name: &str| {
        task_body(
            name,
            &project_id,
            &dataset_id,
            json!({"type": "file"}),
            &[ANNOTATOR1, ANNOTATOR2],
        )
    };
    // Three kills at fixed delays, then one while the commit writes the WAL; then either one
    // right after the commit or, if that kill came too late (the commit was quicker than the
    // probe), one right after the write transaction opened. Each of these last ones costs a
    // dataset load (seconds in a debug build), so only those needed run.
    let plan = [
        KillAt::Delay(Duration::ZERO),
        KillAt::Delay(Duration::from_millis(20)),
        KillAt::Delay(Duration::from_millis(300)),
        KillAt::WalWrite,
    ];
    let mut outcomes: Vec<(String, KillAt, Landed)> = Vec::new();
    let mut created: Vec<String> = Vec::new();
    let mut trial = 0;
    let mut plan = plan.to_vec();
    while let Some(when) = (!plan.is_empty()).then(|| plan.remove(0)) {
        trial += 1;
        let name = format!("kill-{trial}");
        let kill = create_and_kill(server, &db, &token, body(&name), when);
        server = start(&mut starts);
        let (token_now, _) = server.login(MANAGER);
        check_file_consistency(&db, false);
        let in_file = task_in_file(&db, &name);
        let listed = server.post(
            "/api/v1/annotationtasks/query",
            &token_now,
            json!({"filter": {"name": name}, "resource": "tasks"}),
        );
        let landed = match &in_file {
            None => {
                assert_eq!(listed["totalItemsCount"], 0, "{name}: {listed}");
                assert!(!kill.answered, "{name}: answered, yet nothing was stored");
                match (kill.writer_active, kill.wal_written) {
                    (false, _) => Landed::BeforeWrite,
                    (true, false) => Landed::MidWrite,
                    (true, true) => Landed::DuringCommit,
                }
            }
            Some((id, total, per_assignment)) => {
                // All of it: every item, split 50/50, the same through the API.
                assert_eq!(*total, items as i64, "{name}");
                assert_eq!(per_assignment.iter().sum::<i64>(), *total, "{name}");
                assert_eq!(
                    per_assignment,
                    &[items as i64 / 2, items as i64 - items as i64 / 2]
                );
                assert_eq!(listed["totalItemsCount"], 1, "{name}: {listed}");
                let task = server.get(&format!("/api/v1/annotationtasks/{id}"), &token_now);
                assert_eq!(task["totalItems"], items, "{name}");
                let assignments =
                    server.get(&format!("/api/v1/assignments?taskId={id}"), &token_now);
                let counts: Vec<u64> = assignments["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["totalItems"].as_u64().unwrap())
                    .collect();
                assert_eq!(counts.iter().sum::<u64>(), items as u64, "{name}");
                created.push(id.clone());
                if kill.answered {
                    Landed::AfterAnswer
                } else {
                    Landed::AfterCommit
                }
            }
        };
        let mid_write = matches!(landed, Landed::MidWrite | Landed::DuringCommit);
        match when {
            KillAt::WalWrite if mid_write => plan.push(KillAt::WriteClosed),
            KillAt::WalWrite => plan.push(KillAt::WriteOpen),
            // The write transaction stays open for seconds, so this practically always lands;
            // if it raced the commit, try again (bounded).
            KillAt::WriteOpen if !mid_write && trial < 9 => plan.push(KillAt::WriteOpen),
            _ => {}
        }
        outcomes.push((name, when, landed));
    }

    // Afterwards, the whole picture through the API of the last restarted server: every
    // task's items carry its refs, each assignment's too, and no item names a task or an
    // assignment that does not exist. What was there before the kills is unchanged.
    let (token, _) = server.login(MANAGER);
    let tasks = server.post(
        "/api/v1/annotationtasks/query",
        &token,
        json!({"resource": "tasks", "pageSize": 1000}),
    );
    let tasks = tasks["items"].as_array().unwrap().clone();
    assert_eq!(tasks.len(), 1 + created.len());
    let items_query = |filter: Value| {
        server.post(
            &format!("/api/v1/datasets/{dataset_id}/query"),
            &token,
            json!({"filter": filter, "page": 0, "pageSize": 0, "resource": "items"}),
        )["totalItemsCount"]
            .as_u64()
            .unwrap()
    };
    let mut task_ids = Vec::new();
    let mut assignment_ids = Vec::new();
    for task in &tasks {
        let id = task["id"].as_str().unwrap();
        task_ids.push(id.to_string());
        let total = task["totalItems"].as_u64().unwrap();
        assert_eq!(
            items_query(json!({"metadata.system.refs": {"$match": {"type": "task", "id": id}}})),
            total,
            "task {id}"
        );
        let assignments = server.get(&format!("/api/v1/assignments?taskId={id}"), &token);
        let mut sum = 0;
        for assignment in assignments["items"].as_array().unwrap() {
            let aid = assignment["id"].as_str().unwrap();
            assignment_ids.push(aid.to_string());
            let n = assignment["totalItems"].as_u64().unwrap();
            assert_eq!(
                items_query(
                    json!({"metadata.system.refs": {"$match": {"type": "assignment", "id": aid}}})
                ),
                n,
                "assignment {aid}"
            );
            sum += n;
        }
        assert_eq!(sum, total, "task {id}: assignments vs total");
    }
    assert_eq!(
        items_query(
            json!({"metadata.system.refs": {"$match": {"type": "task", "id": {"$nin": task_ids}}}})
        ),
        0,
        "items naming a missing task"
    );
    assert_eq!(
        items_query(
            json!({"metadata.system.refs": {"$match": {"type": "assignment", "id": {"$nin": assignment_ids}}}})
        ),
        0,
        "items naming a missing assignment"
    );
    let demo_after = server.get(&format!("/api/v1/annotationtasks/{}", demo_task.0), &token);
    for key in [
        "totalItems",
        "itemStatus",
        "assignmentIds",
        "progress",
        "status",
    ] {
        assert_eq!(demo_after[key], demo_before[key], "demo-labeling {key}");
    }
    assert_eq!(demo_after["totalItems"], demo_task.1);
    server.kill();
    check_file_consistency(&db, true);

    let count = |l: Landed| outcomes.iter().filter(|o| o.2 == l).count();
    let summary = format!(
        "SIGKILL during a {items}-item task creation: {} kills ({} before the write, {} mid-write, {} during the commit's WAL write, {} after the commit but before the answer, {} after the answer); {} starts; every task whole or absent; seeding took {:.0?}, all {:.0?}",
        outcomes.len(),
        count(Landed::BeforeWrite),
        count(Landed::MidWrite),
        count(Landed::DuringCommit),
        count(Landed::AfterCommit),
        count(Landed::AfterAnswer),
        starts,
        seeded_in,
        began.elapsed()
    );
    println!("{summary}");
    for (name, when, landed) in &outcomes {
        println!("  {name}: kill at {when:?} -> {landed:?}");
    }
    assert!(count(Landed::BeforeWrite) >= 1, "{summary}");
    assert!(
        count(Landed::MidWrite) + count(Landed::DuringCommit) >= 1,
        "{summary}"
    );
    assert!(
        count(Landed::AfterCommit) + count(Landed::AfterAnswer) >= 1,
        "{summary}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

// --- Clean restarts -------------------------------------------------------------------------

/// Drops what depends on the address the server listens on (`url`s carry the port).
fn without_urls(mut value: Value) -> Value {
    match &mut value {
        Value::Object(map) => {
            map.remove("url");
            for child in map.values_mut() {
                *child = without_urls(child.take());
            }
        }
        Value::Array(items) => {
            for child in items.iter_mut() {
                *child = without_urls(child.take());
            }
        }
        _ => {}
    }
    value
}

#[test]
fn everything_created_before_a_clean_restart_is_there_after() {
    let dir = temp_dir("restart");
    let db = dir.join("annotask.db");
    let server = Server::start(&db, 300, &dir.join("first.log"));
    let (token, refresh) = server.login(MANAGER);
    let project = server.get("/api/v1/projects/demo/name", &token);
    let project_id = project[0]["id"].as_str().unwrap().to_string();
    let datasets = server.post(
        "/api/v1/datasets/query",
        &token,
        json!({"resource": "datasets", "context": {"projects": [project_id]}}),
    );
    let dataset_id = datasets["items"][0]["id"].as_str().unwrap().to_string();

    // A task, a QA task on it, statuses, a deleted task.
    let command = server.post(
        "/api/v1/annotationtasks",
        &token,
        task_body(
            "kept",
            &project_id,
            &dataset_id,
            json!({"dir": "/folder1"}),
            &[ANNOTATOR1, ANNOTATOR2, ANNOTATOR3],
        ),
    );
    let task_id = command["spec"]["createdTaskId"]
        .as_str()
        .unwrap()
        .to_string();
    let mut items = Vec::new();
    let listing = server.post(
        &format!("/api/v1/datasets/{dataset_id}/query"),
        &token,
        json!({"filter": {"metadata.system.refs.id": task_id}, "page": 0, "pageSize": 1000, "resource": "items"}),
    );
    for item in listing["items"].as_array().unwrap() {
        items.push(item["id"].as_str().unwrap().to_string());
    }
    assert!(items.len() > 20);
    server.post(
        &format!("/api/v1/assignments/items/tasks/{task_id}/status"),
        &token,
        json!({"itemIds": items[..10], "statusPayload": {"operation": "create", "status": "completed"}}),
    );
    server.post(
        &format!("/api/v1/assignments/items/tasks/{task_id}/status"),
        &token,
        json!({"itemIds": items[10..15], "statusPayload": {"operation": "create", "status": "discard"}}),
    );
    let mut qa = task_body(
        "kept_qa",
        &project_id,
        &dataset_id,
        json!({}),
        &[ANNOTATOR2],
    );
    qa["spec"] = json!({"type": "qa", "parentTaskId": task_id});
    let qa = server.post("/api/v1/annotationtasks", &token, qa);
    let gone = server.post(
        "/api/v1/annotationtasks",
        &token,
        task_body(
            "gone",
            &project_id,
            &dataset_id,
            json!({"dir": "/folder2"}),
            &[ANNOTATOR1],
        ),
    );
    let gone_id = gone["spec"]["createdTaskId"].as_str().unwrap().to_string();
    let (status, _) = server.call(
        "DELETE",
        &format!("/api/v1/annotationtasks/{gone_id}"),
        Some(&token),
        Some(&json!({"asynced": true})),
    );
    assert_eq!(status, 200);

    let snapshot = |server: &Server, token: &str| {
        let tasks = server.post(
            "/api/v1/annotationtasks/query",
            token,
            json!({"resource": "tasks"}),
        );
        let assignments = server.get("/api/v1/assignments", token);
        let refs = server.post(
            &format!("/api/v1/datasets/{dataset_id}/query"),
            token,
            json!({"filter": {"metadata.system.refs": {"$exists": true}}, "sort": {"id": "ascending"}, "page": 0, "pageSize": 1000, "resource": "items"}),
        );
        let commands: Vec<Value> = [command["id"].as_str().unwrap(), qa["id"].as_str().unwrap()]
            .iter()
            .map(|id| server.get(&format!("/api/v1/commands/{id}"), token))
            .collect();
        without_urls(
            json!({"tasks": tasks, "assignments": assignments, "items": refs, "commands": commands}),
        )
    };
    let before = snapshot(&server, &token);
    assert_eq!(
        before["tasks"]["totalItemsCount"], 3,
        "demo-labeling, kept, kept_qa"
    );
    server.terminate();

    let server = Server::start(&db, 300, &dir.join("second.log"));
    // The token from before the restart is still good (the secret is kept beside the file),
    // and so is the refresh token.
    let after = snapshot(&server, &token);
    assert_eq!(after, before);
    let (status, refreshed) = server.call(
        "POST",
        "/token?default",
        None,
        Some(&json!({"type": "refresh_token", "refresh_token": refresh})),
    );
    assert_eq!(status, 200, "{refreshed}");
    let task = server.get(&format!("/api/v1/annotationtasks/{task_id}"), &token);
    assert_eq!(task["itemStatus"]["completed"], 10);
    assert_eq!(task["itemStatus"]["discard"], 5);
    let (status, _) = server.call(
        "GET",
        &format!("/api/v1/annotationtasks/{gone_id}"),
        Some(&token),
        None,
    );
    assert_eq!(status, 404, "the deleted task stays deleted");
    // And it keeps working: a new task after the restart.
    server.post(
        "/api/v1/annotationtasks",
        &token,
        task_body(
            "after",
            &project_id,
            &dataset_id,
            json!({"dir": "/folder3"}),
            &[ANNOTATOR1],
        ),
    );
    server.terminate();
    check_file_consistency(&db, true);
    std::fs::remove_dir_all(dir).unwrap();
}

// --- Concurrent creations -------------------------------------------------------------------

/// Every item matching `filter`, 1000 a page (the SDK's keyset paging on id).
async fn item_pages(
    server: &TestServer,
    token: &str,
    dataset_id: &str,
    filter: Value,
) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    loop {
        let page_filter = match out.last() {
            Some(last) => json!({"$and": [filter.clone(), {"id": {"$gt": last["id"]}}]}),
            None => filter.clone(),
        };
        let reply = server
            .post(
                &format!("/api/v1/datasets/{dataset_id}/query"),
                token,
                json!({"filter": page_filter, "sort": {"id": "ascending"}, "page": 0, "pageSize": 1000, "resource": "items"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        let items = reply.json["items"].as_array().unwrap().clone();
        let more = reply.json["hasNextPage"].as_bool().unwrap();
        out.extend(items);
        if !more {
            return out;
        }
    }
}

async fn item_ids(
    server: &TestServer,
    token: &str,
    dataset_id: &str,
    filter: Value,
) -> Vec<String> {
    item_pages(server, token, dataset_id, filter)
        .await
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creations_over_overlapping_items_keep_each_item_once_per_task() {
    const TASKS: usize = 32;
    let server = Arc::new(TestServer::with_items(800));
    let token = server.login(MANAGER).await;
    let (project_id, dataset_id) = server.demo_ids(&token).await;
    let ids = item_ids(&server, &token, &dataset_id, json!({})).await;

    // Task k covers a window of ids that overlaps its neighbours' (a few cover everything),
    // with one to four assignees and uneven loads.
    let annotators = [ANNOTATOR1, ANNOTATOR2, ANNOTATOR3, ANNOTATOR4];
    let mut expected: Vec<(String, BTreeSet<String>, usize)> = Vec::new();
    let mut requests = Vec::new();
    for k in 0..TASKS {
        let name = format!("concurrent-{k:02}");
        let (filter, wanted): (Value, BTreeSet<String>) = if k % 8 == 7 {
            (json!({}), ids.iter().cloned().collect())
        } else {
            let start = (k * 37) % (ids.len() - 300);
            let window = &ids[start..start + 100 + k * 5];
            let last = window.last().unwrap();
            (
                json!({"$and": [{"id": {"$gte": window[0]}}, {"id": {"$lte": last}}]}),
                window.iter().cloned().collect(),
            )
        };
        let assignees = &annotators[..1 + k % 4];
        let mut body = task_body(&name, &project_id, &dataset_id, filter, assignees);
        if assignees.len() == 3 {
            body["workload"] = json!([
                {"assigneeId": assignees[0], "load": 10},
                {"assigneeId": assignees[1], "load": 60.5},
                {"assigneeId": assignees[2], "load": 29.5},
            ]);
        }
        expected.push((name, wanted, assignees.len()));
        let request = Request::post("/api/v1/annotationtasks")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        requests.push(request);
    }
    // All at once, with queries of the same items running alongside.
    let mut handles = Vec::new();
    for request in requests {
        let router = server.router.clone();
        handles.push(tokio::spawn(async move {
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap())
        }));
        let router = server.router.clone();
        let query = Request::post(format!("/api/v1/datasets/{dataset_id}/query"))
            .header("authorization", format!("Bearer {token}"))
            .body(Body::from(
                json!({"filter": {"metadata.system.refs.type": "task"}, "pageSize": 10})
                    .to_string(),
            ))
            .unwrap();
        handles.push(tokio::spawn(async move {
            let response = router.oneshot(query).await.unwrap();
            (response.status(), Value::Null)
        }));
    }
    let mut created: HashMap<String, String> = HashMap::new();
    for handle in handles {
        let (status, body) = handle.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        if let Some(id) = body["spec"]["createdTaskId"].as_str() {
            let name = body["spec"]["createTaskPayload"]["name"].as_str().unwrap();
            created.insert(name.to_string(), id.to_string());
        }
    }
    assert_eq!(created.len(), TASKS);

    // Straight from the database: (task, item) -> assignment.
    let stored: BTreeMap<String, Vec<(String, String)>> = {
        let conn = server.state.db.lock();
        let mut stmt = conn
            .prepare(
                "SELECT task_id, item_id, assignment_id FROM task_items ORDER BY task_id, item_id",
            )
            .unwrap();
        let mut map: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .unwrap();
        for row in rows {
            let (task, item, assignment) = row.unwrap();
            map.entry(task).or_default().push((item, assignment));
        }
        map
    };
    let mut total_refs = 0;
    for (name, wanted, assignees) in &expected {
        let id = &created[name];
        // The stored rows: each wanted item once, nothing else.
        let rows = &stored[id];
        let items: BTreeSet<String> = rows.iter().map(|r| r.0.clone()).collect();
        assert_eq!(rows.len(), items.len(), "{name}: duplicate rows");
        assert_eq!(&items, wanted, "{name}: stored rows");
        total_refs += rows.len();
        // Through the API: the task's total, and each assignment's count is its rows'.
        let task = server
            .get(&format!("/api/v1/annotationtasks/{id}"), &token)
            .await;
        assert_eq!(task.json["totalItems"], wanted.len(), "{name}");
        let assignments = server
            .get(&format!("/api/v1/assignments?taskId={id}"), &token)
            .await;
        let assignments = assignments.json["items"].as_array().unwrap().clone();
        assert_eq!(assignments.len(), *assignees, "{name}");
        let mut sum = 0;
        for assignment in &assignments {
            let aid = assignment["id"].as_str().unwrap();
            let n = rows.iter().filter(|r| r.1 == aid).count();
            assert_eq!(assignment["totalItems"], n, "{name}: {aid}");
            sum += n;
        }
        assert_eq!(sum, wanted.len(), "{name}: the assignments share the items");
        // The items' refs: exactly the wanted items carry the task, once each, with the
        // assignment the database has.
        let refs = item_pages(
            &server,
            &token,
            &dataset_id,
            json!({"metadata.system.refs.id": {"$in": [id]}}),
        )
        .await;
        let found: Vec<String> = refs
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect();
        let unique: BTreeSet<String> = found.iter().cloned().collect();
        assert_eq!(unique.len(), found.len(), "{name}: duplicates");
        assert_eq!(&unique, wanted, "{name}: items lost or added");
        let assignment_of: HashMap<&str, &str> =
            rows.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect();
        for item in &refs {
            let item_refs = item["metadata"]["system"]["refs"].as_array().unwrap();
            let mine: Vec<&Value> = item_refs
                .iter()
                .filter(|r| r["id"] == id.as_str())
                .collect();
            assert_eq!(mine.len(), 1, "{name}: one task ref per item");
            let expected_assignment = assignment_of[item["id"].as_str().unwrap()];
            let with_assignment = item_refs
                .iter()
                .filter(|r| r["type"] == "assignment" && r["id"] == expected_assignment)
                .count();
            assert_eq!(with_assignment, 1, "{name}: the item's assignment ref");
        }
    }
    println!(
        "{TASKS} concurrent creations over overlapping windows of {} items: {total_refs} item refs, each task exactly its items",
        ids.len()
    );
}
