//! The floor for annotask-server's benchmarks (`cargo xtask bench`): the same rows read or
//! written by SQLite alone, with no HTTP, no JSON model and no in-memory store.
//!
//! `sqlite_floor --db PATH --dataset ID --runs N scan MIN_SIZE`: counts the dataset's
//! visible files with `metadata.system.size >= MIN_SIZE + run` (the DQL count the server is
//! asked, one distinct bound per run) with `json_extract` over the stored item bodies.
//!
//! `sqlite_floor --db PATH --dataset ID --runs N insert ASSIGNEES`: writes what creating a
//! task over every file item of the dataset writes (the task row, one assignment per
//! assignee, one `task_items` row per item, the command row) in one transaction with the
//! server's pragmas, committed; each run's rows are deleted again, untimed, so the database
//! the server uses is left as it was.
//!
//! Prints one JSON object: `{"runs_ms": [...], "rows": N}`. Run it while the server is idle:
//! SQLite's WAL lets it read and write beside the server's open connection.

use std::time::Instant;

use rusqlite::{params, Connection};

fn main() {
    if let Err(e) = run() {
        eprintln!("sqlite_floor: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut db = None;
    let mut dataset = None;
    let mut runs = 10usize;
    let mut rest = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--db" => db = it.next(),
            "--dataset" => dataset = it.next(),
            "--runs" => {
                runs = it
                    .next()
                    .and_then(|r| r.parse().ok())
                    .ok_or("--runs needs a number")?
            }
            _ => rest.push(a),
        }
    }
    let db = db.ok_or("--db is required")?;
    let dataset = dataset.ok_or("--dataset is required")?;
    let conn = Connection::open(&db).map_err(|e| format!("cannot open {db}: {e}"))?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(|e| e.to_string())?;
    // The server's settings (database.rs).
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;",
    )
    .map_err(|e| e.to_string())?;
    let (runs_ms, rows) = match rest.as_slice() {
        [mode, min] if mode == "scan" => {
            scan(&conn, &dataset, runs, min.parse().map_err(|_| "bad MIN_SIZE")?)
        }
        [mode, n] if mode == "insert" => {
            insert(&conn, &dataset, runs, n.parse().map_err(|_| "bad ASSIGNEES")?)
        }
        _ => return Err("usage: sqlite_floor --db PATH --dataset ID [--runs N] scan MIN_SIZE | insert ASSIGNEES".into()),
    }
    .map_err(|e| e.to_string())?;
    let list: Vec<String> = runs_ms.iter().map(|ms| format!("{ms:.3}")).collect();
    println!("{{\"runs_ms\": [{}], \"rows\": {rows}}}", list.join(", "));
    Ok(())
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// The server's DQL `{"hidden": false, "type": "file", "metadata.system.size": {"$gte": n}}`
/// as SQL over the same rows.
fn scan(
    conn: &Connection,
    dataset: &str,
    runs: usize,
    min: i64,
) -> rusqlite::Result<(Vec<f64>, u64)> {
    let mut stmt = conn.prepare(
        "SELECT COUNT(*) FROM items WHERE dataset_id = ?1
           AND json_extract(body, '$.hidden') = 0
           AND json_extract(body, '$.type') = 'file'
           AND json_extract(body, '$.metadata.system.size') >= ?2",
    )?;
    let mut times = Vec::with_capacity(runs);
    let mut count = 0;
    for run in 0..runs {
        let t = Instant::now();
        count = stmt.query_row(params![dataset, min + run as i64], |r| r.get::<_, i64>(0))?;
        times.push(ms(t));
    }
    Ok((times, count as u64))
}

/// The rows creating a task over all of the dataset's files writes, as the server writes
/// them (routes/tasks.rs `write_task` and the command), one transaction per run.
fn insert(
    conn: &Connection,
    dataset: &str,
    runs: usize,
    assignees: usize,
) -> rusqlite::Result<(Vec<f64>, u64)> {
    let (project, _recipe): (String, String) = conn.query_row(
        "SELECT project_id, recipe_id FROM datasets WHERE id = ?1",
        [dataset],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // Which items: chosen before the clock starts (the server's in-memory query is timed in
    // the figure, not here: this is the write alone).
    let item_ids: Vec<String> = conn
        .prepare("SELECT id FROM items WHERE dataset_id = ?1 AND json_extract(body, '$.type') = 'file' ORDER BY id")?
        .query_map([dataset], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let body_of = |id: &str| {
        format!(
            "{{\"id\":\"{id}\",\"name\":\"floor-{id}\",\"datasetId\":\"{dataset}\",\"projectId\":\"{project}\",\"spec\":{{\"type\":\"annotation\"}},\"metadata\":{{\"system\":{{}}}}}}"
        )
    };
    let share = item_ids.len().div_ceil(assignees.max(1));
    let mut times = Vec::with_capacity(runs);
    for run in 0..runs {
        let task_id = format!("ffff{:020x}", std::process::id() as u64 * 1000 + run as u64);
        let t = Instant::now();
        let tx = conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO tasks (id, project_id, dataset_id, name, body) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![task_id, project, dataset, format!("floor-{task_id}"), body_of(&task_id)],
        )?;
        {
            let mut insert_assignment = tx.prepare_cached(
                "INSERT INTO assignments (id, task_id, annotator, body) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut insert_item = tx.prepare_cached(
                "INSERT INTO task_items (task_id, item_id, assignment_id, status) VALUES (?1, ?2, ?3, NULL)",
            )?;
            for (a, chunk) in item_ids.chunks(share).enumerate() {
                let assignment_id = format!("{task_id}{a:02}");
                let annotator = format!("annotator{}@demo.annotask", a + 1);
                insert_assignment.execute(params![
                    assignment_id,
                    task_id,
                    annotator,
                    body_of(&assignment_id)
                ])?;
                for item in chunk {
                    insert_item.execute(params![task_id, item, assignment_id])?;
                }
            }
        }
        tx.execute(
            "INSERT INTO commands (id, body) VALUES (?1, ?2)",
            params![format!("{task_id}cc"), body_of(&task_id)],
        )?;
        tx.commit()?;
        times.push(ms(t));
        // Put the database back as it was (untimed).
        let tx = conn.unchecked_transaction()?;
        tx.execute("DELETE FROM task_items WHERE task_id = ?1", [&task_id])?;
        tx.execute("DELETE FROM assignments WHERE task_id = ?1", [&task_id])?;
        tx.execute("DELETE FROM tasks WHERE id = ?1", [&task_id])?;
        tx.execute(
            "DELETE FROM commands WHERE id = ?1",
            [format!("{task_id}cc")],
        )?;
        tx.commit()?;
    }
    Ok((times, item_ids.len() as u64))
}
