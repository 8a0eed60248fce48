//! Times DQL counts over the demo dataset in memory, without HTTP: what
//! `POST /datasets/{id}/query` spends evaluating a filter (the `server100k.count` bench
//! measures the same work through HTTP, beside its SQLite floor).
//!
//! `cargo run --profile server -p annotask-server --example dql_count -- [ITEMS] [RUNS]`
//! seeds an in-memory database with ITEMS demo items (100,000 by default), loads them into
//! the item store and, for a few typical filters, prints the p50 and minimum over RUNS runs
//! (15 by default) of one single-threaded scan (the CPU a count costs) and of the server's own
//! evaluation (`matching_positions`, split over the cores). Every run uses a distinct size
//! bound, so the result cache never answers.

use std::time::Instant;

use annotask_server::item_store::ItemStore;
use annotask_server::query::ResourceQuery;
use annotask_server::routes::items::matching_positions;
use annotask_server::{demo_seed, Database};
use serde_json::{json, Value};

fn main() {
    let mut args = std::env::args().skip(1);
    let items: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(15);
    let db = Database::open(":memory:").expect("an in-memory database opens");
    let started = Instant::now();
    demo_seed::seed_if_empty(&db, items).expect("the demo seed is written");
    eprintln!(
        "seeded {items} items in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let store = ItemStore::default();
    let conn = db.lock();
    let dataset_id: String = conn
        .query_row("SELECT id FROM datasets WHERE name = 'images'", [], |r| {
            r.get(0)
        })
        .expect("the demo dataset exists");
    let loaded = store
        .dataset(&conn, &dataset_id)
        .expect("the dataset loads");
    {
        let mut items = loaded.write().unwrap();
        store
            .ensure_annotations(&conn, &dataset_id, &mut items)
            .expect("the annotations load");
    }
    let items = loaded.read().unwrap();

    // (name, filter with `MIN` where the per-run size bound goes, join filter)
    let filters: [(&str, Value, Option<Value>); 4] = [
        (
            "bench count (hidden, type, size >=)",
            json!({"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.size": {"$gte": "MIN"}}]}),
            None,
        ),
        (
            "folder glob + mimetype + user field + $in",
            json!({"$and": [{"hidden": false}, {"type": "file"}, {"filename": "/folder1/**"},
                            {"metadata.system.mimetype": "image*"},
                            {"metadata.user.camera": {"$in": ["canon-r5", "sony-a7"]}},
                            {"metadata.user.split": "train"},
                            {"metadata.system.size": {"$gte": "MIN"}}]}),
            None,
        ),
        (
            "dates + $nin + refs $match",
            json!({"$and": [{"hidden": false}, {"type": "file"},
                            {"createdAt": {"$gte": "2024-06-01T00:00:00.000Z"}},
                            {"metadata.user.weather": {"$nin": ["rain", "snow"]}},
                            {"metadata.system.refs": {"$match": {"type": "task", "metadata": {"status": {"$exists": true}}}}},
                            {"metadata.system.size": {"$gte": "MIN"}}]}),
            None,
        ),
        (
            "annotations join (label $in)",
            json!({"$and": [{"hidden": false}, {"type": "file"}, {"metadata.system.size": {"$gte": "MIN"}}]}),
            Some(json!({"$and": [{"label": {"$in": ["cat", "dog"]}}, {"type": "box"}]})),
        ),
    ];
    println!(
        "{} items, {runs} runs each; times in ms (p50 / min)",
        items.items.len()
    );
    for (name, filter, join) in filters {
        let mut scan_ms = Vec::new();
        let mut server_ms = Vec::new();
        let mut counted = 0;
        for run in 0..runs {
            let bound = 100_000 + run as i64;
            let text = filter.to_string().replace("\"MIN\"", &bound.to_string());
            let mut body = json!({"filter": serde_json::from_str::<Value>(&text).unwrap(),
                                  "page": 0, "pageSize": 5, "resource": "items"});
            if let Some(join) = &join {
                body["join"] = json!({"on": {"resource": "annotations", "local": "itemId", "forigen": "id"},
                                      "filter": join});
            }
            let request = ResourceQuery::parse(&body, "items").expect("the filter is valid");
            let started = Instant::now();
            let n = (0..items.items.len())
                .filter(|&i| request.matches(&items.items[i], &items.annotations[i]))
                .count();
            scan_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            let started = Instant::now();
            let found = matching_positions(&items, &request);
            server_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(found.len(), n);
            counted = n;
        }
        println!(
            "{name:<45} {counted:>6} found   1 thread {:>6.1} / {:>6.1}   server {:>6.1} / {:>6.1}",
            p50(&mut scan_ms),
            min(&scan_ms),
            p50(&mut server_ms),
            min(&server_ms)
        );
    }
}

fn p50(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn min(times: &[f64]) -> f64 {
    times.iter().copied().fold(f64::INFINITY, f64::min)
}
