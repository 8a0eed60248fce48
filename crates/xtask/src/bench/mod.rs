//! `cargo xtask bench`: every benchmark in one run, written to `target/bench/bench.md` (a
//! markdown table and the closing note) and `target/bench/bench.json` (with every sample).
//!
//! The machine is shared and noisy, so every figure is measured in the same run as its
//! reference (a floor: the least the same work can cost; or a peer: another implementation
//! of the same thing), interleaved with it, and the ratio is what counts. Everything is
//! built before the first measurement, so no compiler competes with it; the 1,000,000-item
//! part runs last and only when enough memory is free.
//!
//! Parts (`--only WORD,...` picks some): size, nav, filter, picker (the browser; `app`
//! means all four), server (100,000 items, with the load test), 1m (1,000,000 items).

mod app;
mod http;
mod notes;
mod report;
mod server;
mod wasm_code;

use std::process::Command;
use std::time::Instant;

use serde_json::{json, Map, Value};

use crate::process::{output, target_dir};
use report::{Machine, Row};

const USAGE: &str = "usage: cargo xtask bench [--only size,nav,filter,picker,app,server,1m] \
[--runs N (>= 10)] [--quick] [--min-free-gib G]";

struct Options {
    parts: Vec<&'static str>,
    runs: usize,
    /// Fewer runs everywhere, for trying the bench itself; not for the README.
    quick: bool,
    min_free_gib: f64,
}

const ALL: [&str; 6] = ["size", "nav", "filter", "picker", "server", "1m"];

fn parse(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        parts: ALL.to_vec(),
        runs: 10,
        quick: false,
        min_free_gib: 10.0,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--only" => {
                let words: Vec<String> = value()?
                    .split(',')
                    .map(|w| w.trim().to_lowercase())
                    .collect();
                opts.parts = ALL
                    .iter()
                    .copied()
                    .filter(|p| {
                        words.iter().any(|w| {
                            w == p
                                || (w == "app" && ["size", "nav", "filter", "picker"].contains(p))
                        })
                    })
                    .collect();
                if opts.parts.is_empty() {
                    return Err(format!("--only names no part\n{USAGE}"));
                }
            }
            "--runs" => {
                opts.runs = value()?
                    .parse()
                    .map_err(|_| format!("--runs needs a number\n{USAGE}"))?;
            }
            "--min-free-gib" => {
                opts.min_free_gib = value()?
                    .parse()
                    .map_err(|_| format!("--min-free-gib needs a number\n{USAGE}"))?;
            }
            "--quick" => opts.quick = true,
            _ => return Err(format!("unknown option `{a}`\n{USAGE}")),
        }
    }
    if opts.quick {
        opts.runs = opts.runs.min(3);
    } else if opts.runs < 10 {
        return Err(format!("--runs must be at least 10 (medians of at least 10 runs); --quick is for trying\n{USAGE}"));
    }
    Ok(opts)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let opts = parse(args)?;
    let wants = |p: &str| opts.parts.contains(&p);
    let started = Instant::now();
    let out_dir = target_dir().join("bench");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let load_before = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();

    // Build everything first: nothing compiles while something is measured.
    let browser = ["size", "nav", "filter", "picker"].iter().any(|p| wants(p));
    let built = if browser {
        eprintln!("xtask: bench: building the app, the harness page and the peer page");
        Some(app::build()?)
    } else {
        None
    };
    let servers = ["nav", "server", "1m"].iter().any(|p| wants(p));
    let bins = if servers || browser {
        eprintln!("xtask: bench: building annotask-server and the SQLite floor (server profile)");
        Some(server::build()?)
    } else {
        None
    };

    let mut rows: Vec<Row> = Vec::new();
    let mut details = Map::new();
    let mut chromium = None;
    if let Some(built) = &built {
        if wants("size") {
            let (r, d) = app::size_rows(built)?;
            rows.extend(r);
            details.insert("size".into(), d);
        }
        let parts: Vec<&str> = ["nav", "filter", "picker"]
            .into_iter()
            .filter(|p| wants(p))
            .collect();
        if !parts.is_empty() {
            eprintln!("xtask: bench: browser benchmarks ({})", parts.join(", "));
            let results = app::run_browser(
                built,
                bins.as_ref().expect("built with the browser parts"),
                opts.runs,
                &parts,
            )?;
            rows.extend(app::browser_rows(&results)?);
            chromium = results["chromium"].as_str().map(str::to_string);
            details.insert("browser".into(), results);
        }
    }
    if let Some(bins) = &bins {
        if wants("server") {
            let (r, d) = server::run_100k(bins, opts.quick)?;
            rows.extend(r);
            details.insert("server_100k".into(), d);
        }
        // Last: it needs most of the machine's memory for a while.
        if wants("1m") {
            let (r, d) = server::run_1m(bins, opts.quick, opts.min_free_gib)?;
            rows.extend(r);
            details.insert("server_1m".into(), d);
        }
    }

    let machine = Machine {
        date: output(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])).unwrap_or_default(),
        cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
        memory_gib: mem_total_gib(),
        os: os_name(),
        rustc: output(Command::new("rustc").arg("--version")).unwrap_or_default(),
        chromium: format!(
            "Chromium {}",
            chromium.unwrap_or_else(|| chromium_version().unwrap_or_default())
        ),
        node: output(Command::new("node").arg("--version")).unwrap_or_default(),
        load_before,
    };
    let notes = notes::closing(&rows, &details, opts.quick);
    let md = report::markdown(&machine, &rows, &notes);
    let mut json = report::json(&machine, &rows, &notes, Value::Object(details));
    json["elapsed_s"] = json!(started.elapsed().as_secs_f64());
    json["quick"] = json!(opts.quick);
    let md_path = out_dir.join("bench.md");
    let json_path = out_dir.join("bench.json");
    std::fs::write(&md_path, &md)
        .map_err(|e| format!("cannot write {}: {e}", md_path.display()))?;
    std::fs::write(
        &json_path,
        serde_json::to_string_pretty(&json).expect("JSON serializes"),
    )
    .map_err(|e| format!("cannot write {}: {e}", json_path.display()))?;
    println!("{md}");
    eprintln!(
        "xtask: bench: done in {:.0} s; wrote {} and {}",
        started.elapsed().as_secs_f64(),
        md_path.display(),
        json_path.display()
    );
    Ok(())
}

fn mem_total_gib() -> f64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0)
}

fn os_name() -> String {
    std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|r| {
            r.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| "unknown OS".into())
}

fn chromium_version() -> Option<String> {
    output(Command::new("/usr/bin/chromium").arg("--version"))
        .and_then(|v| v.split_whitespace().nth(1).map(str::to_string))
}
