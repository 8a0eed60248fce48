//! annotask-server benchmarks over the HTTP API, each beside its floor: SQLite alone doing
//! the same scan or writing the same rows (`crates/server/examples/sqlite_floor.rs`), or for
//! the load test the cheapest authenticated endpoint under the same load.
//!
//! Server and floor take turns in rounds, so a burst of load from elsewhere on the shared
//! machine falls on both rather than on one.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::http::Client;
use super::report::{median, percentile, Goal, Row, Unit};
use crate::process::{exec, output, target_dir, Server};
use crate::root;

pub const MANAGER: &str = "manager@demo.annotask";
pub const PASSWORD: &str = "annotask-demo";

/// The server binary and the floor program, built with the `server` profile.
pub struct Binaries {
    pub server: PathBuf,
    pub floor: PathBuf,
}

pub fn build() -> Result<Binaries, String> {
    exec(Command::new("cargo").current_dir(root()).args([
        "build",
        "--profile",
        "server",
        "-p",
        "annotask-server",
        "--bin",
        "annotask-server",
        "--example",
        "sqlite_floor",
    ]))?;
    let dir = target_dir().join("server");
    Ok(Binaries {
        server: dir.join("annotask-server"),
        floor: dir.join("examples").join("sqlite_floor"),
    })
}

/// A seeded server, signed in, with the demo dataset's ids.
pub struct Seeded {
    pub server: Server,
    pub client: Client,
    pub db: PathBuf,
    pub project: String,
    pub dataset: String,
    pub seed_ms: f64,
}

/// Starts annotask-server on a fresh database seeded with `items` demo items.
pub fn start_seeded(bins: &Binaries, dir: &Path, items: usize) -> Result<Seeded, String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let db = dir.join("annotask.db");
    let db_text = db.display().to_string();
    let items_text = items.to_string();
    let started = Instant::now();
    // Server::start waits for `listening on`, which comes after the seed is written.
    let server = Server::start(
        &bins.server,
        &[
            "--addr",
            "127.0.0.1:0",
            "--db",
            &db_text,
            "--demo",
            "--demo-items",
            &items_text,
        ],
        &dir.join("server.log"),
    )?;
    let seed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut client = Client::new(&server.url)?;
    let token = client
        .post(
            "/token?default",
            &json!({"type": "user_credentials", "username": MANAGER, "password": PASSWORD}),
        )?
        .ok_json("sign-in")?;
    client.token = Some(
        token["id_token"]
            .as_str()
            .ok_or("the token answer has no id_token")?
            .to_string(),
    );
    let projects = client.get("/api/v1/projects")?.ok_json("projects")?;
    let project = projects
        .as_array()
        .and_then(|a| a.iter().find(|p| p["name"] == "demo"))
        .and_then(|p| p["id"].as_str())
        .ok_or("no demo project")?
        .to_string();
    let datasets = client
        .post(
            "/api/v1/datasets/query",
            &json!({"filter": {"$and": [{"name": "images"}]}, "page": 0, "pageSize": 10,
                    "resource": "datasets", "context": {"projects": [project]}}),
        )?
        .ok_json("datasets")?;
    let dataset = datasets["items"][0]["id"]
        .as_str()
        .ok_or("no images dataset")?
        .to_string();
    Ok(Seeded {
        server,
        client,
        db,
        project,
        dataset,
        seed_ms,
    })
}

/// The DQL count the app's live count sends, with a size bound that differs per run so the
/// server's result cache never answers it (each run evaluates the filter over every item).
fn count_body(min_size: i64) -> Value {
    json!({
        "filter": {"$and": [
            {"hidden": false},
            {"type": "file"},
            {"metadata.system.size": {"$gte": min_size}}
        ]},
        "page": 0,
        "pageSize": 5,
        "resource": "items"
    })
}

fn count_once(s: &Seeded, min_size: i64) -> Result<(f64, u64), String> {
    let r = s.client.post(
        &format!("/api/v1/datasets/{}/query", s.dataset),
        &count_body(min_size),
    )?;
    let total = r.ok_json("count")?["totalItemsCount"]
        .as_u64()
        .ok_or("no totalItemsCount")?;
    Ok((r.elapsed_ms, total))
}

/// Runs the floor program; returns its per-run times and row count.
fn floor(
    bins: &Binaries,
    s: &Seeded,
    runs: usize,
    mode: &str,
    arg: &str,
) -> Result<(Vec<f64>, u64), String> {
    let out = output(Command::new(&bins.floor).arg("--db").arg(&s.db).args([
        "--dataset",
        &s.dataset,
        "--runs",
        &runs.to_string(),
        mode,
        arg,
    ]))
    .ok_or_else(|| format!("the SQLite floor ({mode}) failed"))?;
    let v: Value = serde_json::from_str(&out).map_err(|e| format!("floor output {out:?}: {e}"))?;
    let times = v["runs_ms"]
        .as_array()
        .ok_or("floor output has no runs_ms")?
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    Ok((times, v["rows"].as_u64().unwrap_or(0)))
}

/// The first query after start (it loads the dataset from SQLite into memory), then
/// `rounds` × `per_round` counts beside as many floor scans. Returns the rows.
fn count_rows(
    bins: &Binaries,
    s: &Seeded,
    section: &str,
    id: &str,
    label: &str,
    (rounds, per_round): (usize, usize),
    goal: Goal,
) -> Result<Vec<Row>, String> {
    let (first_ms, _) = count_once(s, 0)?;
    let mut server = Vec::new();
    let mut floor_ms = Vec::new();
    let mut bound = 100_000i64;
    let mut cpu = 0.0;
    let mut load = Vec::new();
    for _ in 0..rounds {
        let mut last = 0;
        load.push(load_average());
        let cpu_before = cpu_ms(s.server.pid()).unwrap_or(f64::NAN);
        for i in 0..per_round {
            let (ms, total) = count_once(s, bound + i as i64)?;
            server.push(ms);
            last = total;
        }
        cpu += cpu_ms(s.server.pid()).unwrap_or(f64::NAN) - cpu_before;
        // One untimed scan first warms SQLite's cache, as the server's first query did.
        let (mut times, rows) = floor(bins, s, per_round + 1, "scan", &(bound - 1).to_string())?;
        times.remove(0);
        if rows != last {
            return Err(format!(
                "the server counted {last} items and SQLite {rows} for the same filter"
            ));
        }
        floor_ms.extend(times);
        bound += per_round as i64;
    }
    let floor_p50 = median(&floor_ms);
    let n = server.len();
    Ok(vec![
        Row::new(
            &format!("{id}.first"),
            section,
            &format!("first DQL count after start, {label} (loads the dataset into memory)"),
            first_ms,
            Unit::Ms,
        )
        .stat("once")
        .reference("raw SQLite json_extract scan, p50", floor_p50)
        .samples(&[first_ms]),
        Row::new(
            &format!("{id}.count"),
            section,
            &format!("DQL count over {label} (HTTP, a new filter each time)"),
            median(&server),
            Unit::Ms,
        )
        .stat(format!(
            "p50 of {n}; p90 {:.1} ms; server CPU {:.0} ms a count (both threads); load average {:.1}",
            percentile(&server, 90.0),
            cpu / n as f64,
            median(&load)
        ))
        .reference(
            format!(
                "raw SQLite json_extract scan of the same rows, p50 of {}",
                floor_ms.len()
            ),
            floor_p50,
        )
        .info(json!({
            "server_cpu_ms_per_count": cpu / n as f64,
            "load_average": median(&load),
            "floor_ms": floor_ms,
        }))
        .goal(goal)
        .samples(&server),
    ])
}

fn create_body(s: &Seeded, name: &str, query: &Value, assignees: usize) -> Value {
    let load = 100.0 / assignees as f64;
    let workload: Vec<Value> = (1..=assignees)
        .map(|n| json!({"assigneeId": format!("annotator{n}@demo.annotask"), "load": load}))
        .collect();
    json!({
        "name": name,
        "datasetId": s.dataset,
        "projectId": s.project,
        "query": query.to_string(),
        "spec": {"type": "annotation"},
        "taskOwner": MANAGER,
        "dueDate": 4_102_444_800_000.0_f64,
        "asynced": true,
        "priority": 2,
        "assignmentIds": [],
        "workload": workload,
    })
}

/// Creates a task, checks it holds `expect_items` (when given), deletes it again (untimed).
fn create_once(
    s: &Seeded,
    name: &str,
    query: &Value,
    assignees: usize,
    expect_items: Option<u64>,
) -> Result<f64, String> {
    let r = s.client.post(
        "/api/v1/annotationtasks",
        &create_body(s, name, query, assignees),
    )?;
    let command = r.ok_json("create task")?;
    if command["status"] != "success" {
        return Err(format!("task creation did not succeed: {command}"));
    }
    let task_id = command["spec"]["createdTaskId"]
        .as_str()
        .ok_or("the command has no createdTaskId")?
        .to_string();
    if let Some(expected) = expect_items {
        let task = s
            .client
            .get(&format!("/api/v1/annotationtasks/{task_id}"))?
            .ok_json("get task")?;
        if task["totalItems"].as_u64() != Some(expected) {
            return Err(format!(
                "the task has {} items, expected {expected}",
                task["totalItems"]
            ));
        }
    }
    s.client
        .delete(&format!("/api/v1/annotationtasks/{task_id}"))?
        .ok_json("delete task")?;
    Ok(r.elapsed_ms)
}

fn all_files() -> Value {
    json!({"filter": {"$and": [{"type": "file"}]}, "page": 0, "pageSize": 1000, "resource": "items"})
}

fn about_100_items() -> Value {
    json!({"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"name": "img_0001*"}]},
           "page": 0, "pageSize": 1000, "resource": "items"})
}

/// Peak resident memory of a process (`VmHWM`), in bytes.
pub fn peak_memory(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0)
}

/// CPU time (user + system) a process has used so far, in ms (`/proc/<pid>/stat`, whose
/// clock ticks are 10 ms on Linux).
pub fn cpu_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after `(name)`, which may hold spaces: utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(") ")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) * 10.0)
}

/// The 1-minute load average (how busy the shared machine is).
pub fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(f64::NAN)
}

/// `MemAvailable` in bytes.
pub fn available_memory() -> Option<f64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0)
}

fn file_size(path: &Path) -> f64 {
    let mut total = 0;
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        total += std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    }
    total as f64
}

/// The 100,000-item part: counts, task creation, the load test, peak memory.
pub fn run_100k(bins: &Binaries, quick: bool) -> Result<(Vec<Row>, Value), String> {
    const SECTION: &str = "Server, 100,000 items";
    let dir = target_dir().join("bench").join("server-100k");
    eprintln!("xtask: bench: seeding 100,000 items");
    let s = start_seeded(bins, &dir, 100_000)?;
    let mut rows = vec![Row::new(
        "server100k.seed",
        SECTION,
        "start-up seeding 100,000 demo items (--demo)",
        s.seed_ms,
        Unit::Ms,
    )
    .stat("once")];

    eprintln!("xtask: bench: DQL counts over 100,000 items");
    let (rounds, per) = if quick { (1, 5) } else { (3, 5) };
    rows.extend(count_rows(
        bins,
        &s,
        SECTION,
        "server100k",
        "100,000 items",
        (rounds, per),
        Goal::Below(100.0),
    )?);

    eprintln!("xtask: bench: creating tasks over 100,000 items");
    let (rounds, per) = if quick { (1, 3) } else { (2, 5) };
    let mut create = Vec::new();
    let mut floor_ms = Vec::new();
    let mut n = 0;
    for _ in 0..rounds {
        for _ in 0..per {
            n += 1;
            create.push(create_once(
                &s,
                &format!("bench-100k-{n}"),
                &all_files(),
                5,
                Some(100_000),
            )?);
        }
        let (times, rows_written) = floor(bins, &s, per, "insert", "5")?;
        if rows_written != 100_000 {
            return Err(format!(
                "the SQLite floor wrote {rows_written} task items, not 100,000"
            ));
        }
        floor_ms.extend(times);
    }
    rows.push(
        Row::new(
            "server100k.create",
            SECTION,
            "create a task over 100,000 items, 5 assignees (POST /annotationtasks)",
            median(&create),
            Unit::Ms,
        )
        .stat(format!(
            "median of {}; max {:.0} ms",
            create.len(),
            percentile(&create, 100.0)
        ))
        .reference(
            format!(
                "raw SQLite insert of the same rows in one transaction, median of {}",
                floor_ms.len()
            ),
            median(&floor_ms),
        )
        .goal(Goal::Below(2000.0))
        .samples(&create),
    );

    // One client, one ~100-item task at a time: the service time the load test divides.
    let mut small = Vec::new();
    for n in 0..if quick { 3 } else { 10 } {
        small.push(create_once(
            &s,
            &format!("bench-small-{n}"),
            &about_100_items(),
            2,
            None,
        )?);
    }
    rows.push(
        Row::new(
            "server100k.create_small",
            SECTION,
            "create a ~100-item task over 100,000 items, one client (the load test's task)",
            median(&small),
            Unit::Ms,
        )
        .stat(format!("median of {}", small.len()))
        .samples(&small),
    );

    eprintln!("xtask: bench: load test (wrk, 16 connections)");
    let duration = if quick { 4 } else { 10 };
    let load = load_test(&s, duration)?;
    rows.extend(load.0);

    let peak = peak_memory(s.server.pid()).unwrap_or(f64::NAN);
    rows.push(
        Row::new(
            "server100k.memory",
            SECTION,
            "server peak memory (VmHWM) after all of the above",
            peak,
            Unit::Bytes,
        )
        .reference("the SQLite database on disk", file_size(&s.db))
        .samples(&[peak]),
    );
    s.server.stop();
    let _ = std::fs::remove_dir_all(&dir);
    Ok((rows, json!({"load_test": load.1})))
}

/// Installs Debian's wrk if it is missing.
fn ensure_wrk() -> Result<(), String> {
    if Path::new("/usr/bin/wrk").exists() {
        return Ok(());
    }
    let root_user = output(Command::new("id").arg("-u")).as_deref() == Some("0");
    if !root_user {
        return Err("wrk is missing: sudo apt-get install wrk".into());
    }
    eprintln!("xtask: installing Debian's wrk (load generator)");
    let install = || {
        exec(
            Command::new("apt-get")
                .args(["install", "-y", "-q", "wrk"])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    };
    if install().is_err() {
        exec(Command::new("apt-get").args(["update", "-q"]))?;
        install()?;
    }
    Ok(())
}

fn wrk(s: &Seeded, mode: &str, seconds: u32) -> Result<Value, String> {
    let script = root().join("benches").join("wrk").join("annotask.lua");
    let out = Command::new("wrk")
        .args([
            "-t2",
            "-c16",
            &format!("-d{seconds}s"),
            "--timeout",
            "10s",
            "-s",
        ])
        .arg(&script)
        .arg(&s.server.url)
        .env("BENCH_MODE", mode)
        .env("BENCH_TOKEN", s.client.token.as_deref().unwrap_or(""))
        .env("BENCH_DATASET", &s.dataset)
        .env("BENCH_PROJECT", &s.project)
        .output()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("BENCH_JSON "))
        .ok_or_else(|| {
            format!(
                "wrk printed no result: {text} {}",
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
    serde_json::from_str(line).map_err(|e| format!("wrk result {line:?}: {e}"))
}

/// `POST /annotationtasks` under 16 concurrent connections for `seconds`, beside
/// `GET /users/me` under the same load (the floor of HTTP + token check + one read).
fn load_test(s: &Seeded, seconds: u32) -> Result<(Vec<Row>, Value), String> {
    const SECTION: &str = "Server, 100,000 items";
    ensure_wrk()?;
    let floor = wrk(s, "me", seconds)?;
    let create = wrk(s, "create", seconds)?;
    let rate = |v: &Value| {
        v["requests"].as_f64().unwrap_or(0.0) / (v["duration_us"].as_f64().unwrap_or(1.0) / 1e6)
    };
    let ms = |v: &Value, key: &str| v[key].as_f64().unwrap_or(f64::NAN) / 1000.0;
    let errors = |v: &Value| {
        [
            "errors_status",
            "errors_connect",
            "errors_read",
            "errors_write",
            "errors_timeout",
        ]
        .iter()
        .map(|k| v[*k].as_u64().unwrap_or(0))
        .sum::<u64>()
    };
    if errors(&create) > 0 {
        return Err(format!("the load test had errors: {create}"));
    }
    let requests = create["requests"].as_u64().unwrap_or(0);
    let floor_label = "GET /users/me under the same load";
    let mut rows = vec![Row::new(
        "server100k.load.rate",
        SECTION,
        "POST /annotationtasks throughput, 16 concurrent clients (wrk; each a ~100-item task)",
        rate(&create),
        Unit::PerSecond,
    )
    .stat(format!("{requests} tasks in {seconds} s, 0 errors"))
    .reference(floor_label, rate(&floor))];
    for (key, name) in [("p50_us", "p50"), ("p90_us", "p90"), ("p99_us", "p99")] {
        rows.push(
            Row::new(
                &format!("server100k.load.{name}"),
                SECTION,
                &format!("POST /annotationtasks latency {name}, 16 concurrent clients"),
                ms(&create, key),
                Unit::Ms,
            )
            .reference(floor_label, ms(&floor, key)),
        );
    }
    Ok((
        rows,
        json!({"create": create, "users_me": floor, "seconds": seconds}),
    ))
}

/// Stops the server if free memory runs low while it holds a large dataset, so the
/// benchmark never pushes a shared machine into swapping or the OOM killer.
struct MemoryGuard {
    stop: Arc<AtomicBool>,
    tripped: Arc<AtomicBool>,
}

impl MemoryGuard {
    fn watch(pid: u32, floor_bytes: f64) -> MemoryGuard {
        let stop = Arc::new(AtomicBool::new(false));
        let tripped = Arc::new(AtomicBool::new(false));
        let (s, t) = (Arc::clone(&stop), Arc::clone(&tripped));
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                if available_memory().is_some_and(|a| a < floor_bytes) {
                    t.store(true, Ordering::Relaxed);
                    let _ = Command::new("kill")
                        .args(["-KILL", &pid.to_string()])
                        .status();
                    return;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        });
        MemoryGuard { stop, tripped }
    }

    fn tripped(&self) -> bool {
        self.tripped.load(Ordering::Relaxed)
    }
}

impl Drop for MemoryGuard {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

pub const SECTION_1M: &str = "Server, 1,000,000 items";

/// Rows for the 1M part when it cannot run.
pub fn skipped_1m(reason: &str) -> Vec<Row> {
    vec![
        Row::skipped(
            "server1m.count",
            SECTION_1M,
            "DQL count over 1,000,000 items",
            reason,
            Goal::None,
        ),
        Row::skipped(
            "server1m.memory",
            SECTION_1M,
            "server peak memory (VmHWM) with 1,000,000 items",
            reason,
            Goal::None,
        ),
    ]
}

/// The 1,000,000-item part: seeding, counts beside the floor, a small task, peak memory.
pub fn run_1m(
    bins: &Binaries,
    quick: bool,
    min_free_gib: f64,
) -> Result<(Vec<Row>, Value), String> {
    let available = available_memory().unwrap_or(0.0);
    let gib = 1024.0 * 1024.0 * 1024.0;
    if available < min_free_gib * gib {
        let reason = format!(
            "only {:.1} GiB of memory available, {min_free_gib:.0} GiB needed (--min-free-gib)",
            available / gib
        );
        eprintln!("xtask: bench: skipping the 1,000,000-item part: {reason}");
        return Ok((skipped_1m(&reason), json!({"skipped": reason})));
    }
    let dir = target_dir().join("bench").join("server-1m");
    eprintln!("xtask: bench: seeding 1,000,000 items (about half a minute)");
    let s = start_seeded(bins, &dir, 1_000_000)?;
    // Leave at least 1.5 GiB to everyone else.
    let guard = MemoryGuard::watch(s.server.pid(), 1.5 * gib);
    let result = (|| {
        let mut rows = vec![Row::new(
            "server1m.seed",
            SECTION_1M,
            "start-up seeding 1,000,000 demo items (--demo)",
            s.seed_ms,
            Unit::Ms,
        )
        .stat("once")];
        eprintln!("xtask: bench: DQL counts over 1,000,000 items");
        let (rounds, per) = if quick { (1, 3) } else { (2, 5) };
        rows.extend(count_rows(
            bins,
            &s,
            SECTION_1M,
            "server1m",
            "1,000,000 items",
            (rounds, per),
            Goal::None,
        )?);
        eprintln!("xtask: bench: small tasks in the 1,000,000-item dataset");
        let mut create = Vec::new();
        for n in 0..if quick { 2 } else { 5 } {
            create.push(create_once(
                &s,
                &format!("bench-1m-{n}"),
                &about_100_items(),
                2,
                None,
            )?);
        }
        rows.push(
            Row::new(
                "server1m.create",
                SECTION_1M,
                "create a ~100-item task in the 1,000,000-item dataset (query evaluated over all)",
                median(&create),
                Unit::Ms,
            )
            .stat(format!("median of {}", create.len()))
            .samples(&create),
        );
        let peak = peak_memory(s.server.pid()).unwrap_or(f64::NAN);
        rows.push(
            Row::new(
                "server1m.memory",
                SECTION_1M,
                "server peak memory (VmHWM) with 1,000,000 items loaded",
                peak,
                Unit::Bytes,
            )
            .reference("the SQLite database on disk", file_size(&s.db))
            .samples(&[peak]),
        );
        Ok::<_, String>(rows)
    })();
    let tripped = guard.tripped();
    drop(guard);
    s.server.stop();
    let _ = std::fs::remove_dir_all(&dir);
    if tripped {
        let reason =
            "stopped: free memory fell below 1.5 GiB while the server held 1,000,000 items";
        return Ok((skipped_1m(reason), json!({"aborted": reason})));
    }
    Ok((result?, json!({})))
}
