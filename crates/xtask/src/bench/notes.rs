//! The closing note under the table: how the figures were taken, and for every figure that
//! misses its goal, why (what was found when it was looked into; the numbers in it come
//! from the same run).

use serde_json::{Map, Value};

use super::report::{format_value, Row, Unit};

const METHOD: &str = "How to read this: each figure is measured in the same run as its reference \
and interleaved with it, because the machine is shared (other builds run beside it); the ratio \
(figure ÷ reference) is what carries over between runs, the absolute times less so. Browser \
times are taken inside the page with the Performance API. The filter builder and the picker \
are annotask's own components mounted with synthetic data on a bench page built like the app \
(`benches/harness`, trunk release build), react-querybuilder on a page bundled by esbuild \
(`benches/rqb`); both pages render the same 200-condition tree from `benches/tree.mjs`. A \
keystroke (Playwright's keyboard) is timed from the key event's timestamp to the first task \
after its handlers, with style and layout forced: the work it costs; the time to the next \
painted frame also waits for the 60 Hz frame and is in bench.json. Server times are taken by \
a loopback HTTP client and include the request and the JSON answer; the SQLite floor is the \
same rows read or written by SQLite alone (`crates/server/examples/sqlite_floor.rs`); the \
load test is Debian's wrk with `benches/wrk/annotask.lua`.";

fn ms(v: &Value) -> String {
    v.as_f64()
        .map_or_else(|| "?".into(), |x| format_value(x, Unit::Ms))
}

fn kib(v: f64) -> String {
    format!("{:.0} KiB", v / 1024.0)
}

/// Why a row misses its goal, by row id.
fn explanation(row: &Row, details: &Map<String, Value>) -> Option<String> {
    let info = &row.info;
    match row.id.as_str() {
        "size.wasm_js" => {
            let size = details.get("size")?;
            let code = &size["code_before_wasm_opt"];
            let total = code["total_bytes"].as_f64().unwrap_or(f64::NAN);
            let list = code["by_crate"].as_array().cloned().unwrap_or_default();
            let share = |names: &[&str]| {
                let (bytes, functions) = list
                    .iter()
                    .filter(|c| names.contains(&c["crate"].as_str().unwrap_or("")))
                    .fold((0.0, 0), |(b, f), c| {
                        (
                            b + c["bytes"].as_f64().unwrap_or(0.0),
                            f + c["functions"].as_u64().unwrap_or(0),
                        )
                    });
                (100.0 * bytes / total, functions)
            };
            let (leptos, leptos_fns) =
                share(&["tachys", "reactive_graph", "leptos", "leptos_router"]);
            let (core, core_fns) = share(&["core", "alloc"]);
            let (ours, ours_fns) = share(&["annotask", "annotask_core"]);
            Some(format!(
                "The budget is the one `cargo xtask test` enforces in its static-site stage, so \
                 that stage fails on this tree as well. Nearly all of it is the wasm, and in the \
                 build before wasm-opt (which still names its functions) {leptos:.0}% of the code \
                 is Leptos' generic rendering and reactive code (tachys, reactive_graph, leptos, \
                 leptos_router: {leptos_fns} functions), compiled once for every distinct view \
                 shape and closure type, and {core:.0}% more is core/alloc closure and iterator \
                 shims ({core_fns} functions), while annotask's and annotask-core's own functions \
                 are {ours:.0}% ({ours_fns}). The size therefore grows with every view and signal \
                 closure a page adds rather than with the logic: the bench harness, which holds \
                 only the filter builder and the assignee picker, is already {} of wasm + JS \
                 gzipped. Shrinking it (fewer distinct view types) or raising the budget is the \
                 app's call, outside the bench.",
                kib(size["harness_wasm_js_gzip"].as_f64().unwrap_or(f64::NAN))
            ))
        }
        "filter.render" => Some(format!(
            "Both builders render every one of the 200 conditions (no virtualisation in \
             either), but annotask's puts {} elements in the page against \
             react-querybuilder's {}: each condition is one grid of labelled Field/Operator/Value \
             controls, move/duplicate/delete buttons and a drag handle (issue 7's keyboard and \
             screen-reader support; hints, error messages and suggestion lists appear only when \
             needed), and the builder also shows the whole DQL pretty-printed in its JSON view. \
             The synchronous part of the mount (script and DOM creation) takes {} against {}, \
             and style, layout and paint after it {} against {}.",
            info["annotask_elements"],
            info["rqb_elements"],
            ms(&info["annotask_script_ms"]),
            ms(&info["rqb_script_ms"]),
            ms(&info["annotask_rest_ms"]),
            ms(&info["rqb_rest_ms"])
        )),
        "filter.edit" => Some(format!(
            "A traced keystroke (Chromium's timeline, untimed, on the same pages) spends {} in \
             script, {} in style and layout and {} in paint in annotask's builder, against {}, \
             {} and {} in react-querybuilder. {} The builder's JSON view ({} characters of \
             DQL) is printed again 250 ms after the last keystroke, outside this timing; with \
             the view hidden (`display: none`, traced in the same runs) the keystroke's style \
             and layout take {} and its paint {}, so what is left is the tree's own update.",
            ms(&info["annotask"]["script_ms"]),
            ms(&info["annotask"]["style_layout_ms"]),
            ms(&info["annotask"]["paint_ms"]),
            ms(&info["rqb"]["script_ms"]),
            ms(&info["rqb"]["style_layout_ms"]),
            ms(&info["rqb"]["paint_ms"]),
            {
                let part = |who: &str, what: &str| info[who][what].as_f64().unwrap_or(f64::NAN);
                let script = part("annotask", "script_ms") - part("rqb", "script_ms");
                let rendering = part("annotask", "style_layout_ms") + part("annotask", "paint_ms")
                    - part("rqb", "style_layout_ms")
                    - part("rqb", "paint_ms");
                if script.abs() <= 0.25 * part("rqb", "script_ms") {
                    "The script is on a par; the difference is style, layout and paint."
                } else if rendering > script {
                    "Script takes longer too, but most of the difference is style, layout and paint."
                } else {
                    "Most of the difference is script."
                }
            },
            info["annotask_json_chars"],
            ms(&info["annotask_without_json_view"]["style_layout_ms"]),
            ms(&info["annotask_without_json_view"]["paint_ms"])
        )),
        "picker.keystroke" => Some(format!(
            "A bare <input> in the same page takes {} for the same keystrokes (the browser's \
             own share: event delivery, text editing, layout). A traced keystroke spends {} in \
             script, {} in style and layout and {} in paint. The p95 is {} (bare input: {}).",
            row.reference
                .as_ref()
                .map_or_else(|| "?".into(), |(_, v)| format_value(*v, Unit::Ms)),
            ms(&info["trace"]["script_ms"]),
            ms(&info["trace"]["style_layout_ms"]),
            ms(&info["trace"]["paint_ms"]),
            ms(&info["p95_ms"]),
            ms(&info["bare_p95_ms"])
        )),
        "server100k.count" => {
            let cpu = info["server_cpu_ms_per_count"].as_f64().unwrap_or(f64::NAN);
            let load = info["load_average"].as_f64().unwrap_or(f64::NAN);
            let cores = if row.value > 0.75 * cpu {
                format!(
                    "with the shared machine's load average at {load:.1} the two threads did not \
                     get both cores, and the wall time came close to the CPU time"
                )
            } else {
                format!(
                    "in this run the two threads got both cores (load average {load:.1}) and the \
                     wall time is about half the CPU time: at the limit, not under it"
                )
            };
            let floor = row
                .reference
                .as_ref()
                .map_or_else(|| "?".into(), |(_, v)| format_value(*v, Unit::Ms));
            let against_floor = match row.ratio() {
                Some(r) if r < 1.0 => format!(
                    "faster than SQLite's own json_extract scan of the same rows (the floor, \
                     {floor}), so the in-memory evaluation already beats the database"
                ),
                Some(r) => format!(
                    "{r:.1}× SQLite's own json_extract scan of the same rows (the floor, {floor})"
                ),
                None => "not compared with the floor".into(),
            };
            Some(format!(
                "The server spends {} of CPU on each count (both of its evaluation threads \
                 together), so even with both cores to itself a count takes at least {}; {cores}. \
                 That is about {:.1} µs of CPU an item for three conditions: the count is \
                 annotask-core's compiled DQL (paths split, globs and dates parsed once per \
                 query) run over the 100,000 items the server holds in memory as serde_json \
                 trees, one separately allocated object per item; most of the time is the \
                 trees' map lookups and the cache misses between items. It is {against_floor}; \
                 reaching 100 ms with room to spare needs the common fields in typed, \
                 contiguous columns, which is a server change outside the bench. The HTTP side \
                 is not the cost: the answer holds 5 items.",
                format_value(cpu, Unit::Ms),
                format_value(cpu / 2.0, Unit::Ms),
                cpu * 1000.0 / 100_000.0,
            ))
        }
        _ => None,
    }
}

/// What the load test shows, which has no goal but needs reading.
fn load_note(rows: &[Row]) -> Option<String> {
    let rate = rows.iter().find(|r| r.id == "server100k.load.rate")?;
    let single = rows.iter().find(|r| r.id == "server100k.create_small")?;
    let p50 = rows.iter().find(|r| r.id == "server100k.load.p50")?;
    Some(format!(
        "The load test's throughput ({}) is about one task per single-client creation time \
         ({}): creations are serialised, since annotask-server has one SQLite connection and \
         a creation holds it (and the dataset's write lock) for its whole run, and each one \
         evaluates its query over all 100,000 items again because any task creation empties \
         the server's cached query results. Under 16 clients the p50 latency ({}) is that \
         queue. No goal is set for it.",
        format_value(rate.value, Unit::PerSecond),
        format_value(single.value, Unit::Ms),
        format_value(p50.value, Unit::Ms)
    ))
}

pub fn closing(rows: &[Row], details: &Map<String, Value>, quick: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if quick {
        notes.push(
            "**Quick run** (`--quick`): fewer runs than the issue asks for; for trying the \
             bench, not for the README."
                .to_string(),
        );
    }
    notes.push(METHOD.to_string());
    if let Some(note) = load_note(rows) {
        notes.push(note);
    }
    let missed: Vec<&Row> = rows.iter().filter(|r| r.met() == Some(false)).collect();
    if missed.is_empty() {
        notes.push("Every figure that has a goal meets it.".to_string());
        return notes;
    }
    let mut text = String::from("Goals missed, and why:\n");
    for row in missed {
        let why = if let Some(reason) = &row.not_run {
            format!("It did not run ({reason}).")
        } else {
            explanation(row, details).unwrap_or_else(|| {
                "NO EXPLANATION RECORDED: investigate, and add one in \
                 crates/xtask/src/bench/notes.rs."
                    .to_string()
            })
        };
        text.push_str(&format!(
            "\n- **{}**: {} against a goal of {}. {}",
            row.benchmark,
            row.figure_text(),
            row.goal_text(),
            why
        ));
    }
    notes.push(text);
    notes
}
