//! The app's benchmarks: download size, and the browser benchmarks of `benches/app.mjs`
//! (navigation to the create-task form, the filter builder beside react-querybuilder, the
//! assignee picker's keystrokes), each beside its reference.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use super::report::{median, percentile, Goal, Row, Unit};
use super::server::Binaries;
use crate::dist::{build_site, DistOptions};
use crate::process::{exec, target_dir, Server};
use crate::{root, static_server, tools};

/// The gzipped wasm + JS the app may reach: the budget `cargo xtask test` enforces.
const SIZE_BUDGET_GZIP_BYTES: f64 = crate::test::SIZE_BUDGET_GZIP_BYTES as f64;

/// What the browser benchmarks need, built before anything is measured.
pub struct Built {
    /// The app's release build (as `cargo xtask dist` makes it).
    pub site: PathBuf,
    /// The bench pages: `harness/` (trunk) and `rqb/` (esbuild).
    pub pages: PathBuf,
}

fn benches() -> PathBuf {
    root().join("benches")
}

/// Builds the app, the harness page and the react-querybuilder page.
pub fn build() -> Result<Built, String> {
    let bench = target_dir().join("bench");
    let site = bench.join("site");
    build_site(&DistOptions {
        public_url: "/".into(),
        out: site.clone(),
        ..Default::default()
    })?;
    let pages = bench.join("pages");
    // The harness: annotask's components with the app's release profile and wasm-opt.
    let wasm_opt = tools::ensure_wasm_opt()?;
    exec(
        Command::new("trunk")
            .current_dir(root())
            .env("PATH", tools::path_with(&wasm_opt))
            .args([
                "build",
                "benches/harness/index.html",
                "--release",
                "--public-url",
                "/harness/",
                "--dist",
            ])
            .arg(pages.join("harness")),
    )?;
    // The peer: react-querybuilder 8 + React production build, bundled by esbuild.
    tools::ensure_npm_ci(&benches())?;
    let rqb = pages.join("rqb");
    std::fs::create_dir_all(&rqb).map_err(|e| format!("cannot create {}: {e}", rqb.display()))?;
    exec(
        Command::new(benches().join("node_modules/.bin/esbuild"))
            .current_dir(benches())
            .args([
                "rqb/main.jsx",
                "--bundle",
                "--minify",
                "--format=iife",
                "--log-level=warning",
                "--define:process.env.NODE_ENV=\"production\"",
            ])
            .arg(format!("--outfile={}", rqb.join("rqb.js").display())),
    )?;
    std::fs::copy(benches().join("rqb/index.html"), rqb.join("index.html"))
        .map_err(|e| format!("cannot copy the react-querybuilder page: {e}"))?;
    Ok(Built { site, pages })
}

/// Sums the gzipped and raw sizes of a build's files by extension.
fn sizes(dir: &Path) -> Result<Vec<(String, u64, u64)>, String> {
    crate::test::gzip_sizes(dir)
}

fn sum(sizes: &[(String, u64, u64)], exts: &[&str]) -> (f64, f64) {
    sizes
        .iter()
        .filter(|(name, _, _)| exts.iter().any(|e| name.ends_with(&format!(".{e}"))))
        .fold((0.0, 0.0), |(raw, gz), (_, r, g)| {
            (raw + *r as f64, gz + *g as f64)
        })
}

fn kib(v: f64) -> String {
    format!("{:.1} KiB", v / 1024.0)
}

/// Download size rows (no browser needed).
pub fn size_rows(built: &Built) -> Result<(Vec<Row>, Value), String> {
    const SECTION: &str = "App: download size (release build, gzip -9)";
    let app = sizes(&built.site)?;
    let peer = sizes(&built.pages.join("rqb"))?;
    let (peer_raw, peer_gz) = sum(&peer, &["js", "css"]);
    let mut rows = Vec::new();
    for (id, label, exts) in [
        ("size.wasm", "wasm", &["wasm"][..]),
        ("size.js", "JS", &["js"][..]),
        ("size.css", "CSS", &["css"][..]),
    ] {
        let (raw, gz) = sum(&app, exts);
        rows.push(Row::new(id, SECTION, label, gz, Unit::Bytes).shown(format!(
            "{} gzipped, {} raw",
            kib(gz),
            kib(raw)
        )));
    }
    let (raw, gz) = sum(&app, &["wasm", "js"]);
    rows.push(
        Row::new(
            "size.wasm_js",
            SECTION,
            "wasm + JS (what the size budget counts)",
            gz,
            Unit::Bytes,
        )
        .shown(format!("{} gzipped, {} raw", kib(gz), kib(raw)))
        .goal(Goal::AtMost(SIZE_BUDGET_GZIP_BYTES)),
    );
    let (raw, gz) = sum(&app, &["wasm", "js", "css"]);
    rows.push(
        Row::new("size.total", SECTION, "total: wasm + JS + CSS", gz, Unit::Bytes)
            .shown(format!("{} gzipped, {} raw", kib(gz), kib(raw)))
            .reference(
                format!(
                    "peer bundle react + react-dom + react-querybuilder, JS + CSS gzipped ({} raw; one component, not an app)",
                    kib(peer_raw)
                ),
                peer_gz,
            ),
    );
    // Where the code comes from (the build before wasm-opt still names its functions).
    let code = super::wasm_code::by_crate(
        &target_dir()
            .join("wasm32-unknown-unknown")
            .join("release")
            .join("annotask.wasm"),
    );
    let harness = sizes(&built.pages.join("harness"))?;
    let (_, harness_gz) = sum(&harness, &["wasm", "js"]);
    let files: Vec<Value> = app
        .iter()
        .map(|(n, r, g)| json!({"file": n, "raw": r, "gzip": g}))
        .collect();
    Ok((
        rows,
        json!({"files": files, "peer_raw": peer_raw, "peer_gzip": peer_gz,
               "harness_wasm_js_gzip": harness_gz, "code_before_wasm_opt": code}),
    ))
}

/// Runs `benches/app.mjs` against a demo server and the bench pages; returns its JSON.
pub fn run_browser(
    built: &Built,
    bins: &Binaries,
    runs: usize,
    parts: &[&str],
) -> Result<Value, String> {
    tools::ensure_chromium()?;
    let dir = target_dir().join("bench").join("app");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let db = dir.join("annotask.db").display().to_string();
    let site = built.site.display().to_string();
    let server = Server::start(
        &bins.server,
        &[
            "--addr",
            "127.0.0.1:0",
            "--db",
            &db,
            "--demo",
            "--static",
            &site,
        ],
        &dir.join("server.log"),
    )?;
    // The bench pages on their own loopback port. Their CSP lets the harness's inline boot
    // script and the timing code's eval run; it is a bench page, not the app.
    let (listener, port) = static_server::bind()?;
    static_server::serve(
        listener,
        built.pages.clone(),
        "/".into(),
        "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data:".into(),
    );
    let out = dir.join("app.json");
    let result = exec(
        Command::new("node")
            .arg(benches().join("app.mjs"))
            .current_dir(benches())
            .env("APP_URL", &server.url)
            .env("PAGES_URL", format!("http://127.0.0.1:{port}"))
            .env("SITE_DIR", &built.site)
            .env("OUT", &out)
            .env("RUNS", runs.to_string())
            .env("ONLY", parts.join(",")),
    );
    server.stop();
    result?;
    let text =
        std::fs::read_to_string(&out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", out.display()))
}

fn samples(v: &Value, key: &str) -> Result<Vec<f64>, String> {
    let list: Vec<f64> = v[key]
        .as_array()
        .ok_or_else(|| format!("the browser results have no {key}"))?
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    if list.is_empty() {
        return Err(format!("the browser results for {key} are empty"));
    }
    Ok(list)
}

/// Medians of the traced keystrokes' `{script, layout, paint}` main-thread times.
fn trace(v: &Value, key: &str) -> Value {
    let list = v[key].as_array().cloned().unwrap_or_default();
    let part = |name: &str| {
        median(
            &list
                .iter()
                .filter_map(|e| e[name].as_f64())
                .collect::<Vec<_>>(),
        )
    };
    json!({"script_ms": part("script"), "style_layout_ms": part("layout"), "paint_ms": part("paint")})
}

/// Median over runs of a render's time after its synchronous part (style, layout, paint).
fn rest(fb: &Value, name: &str) -> Result<f64, String> {
    let total = samples(fb, &format!("{name}_render_ms"))?;
    let script = samples(fb, &format!("{name}_render_script_ms"))?;
    Ok(median(
        &total
            .iter()
            .zip(&script)
            .map(|(t, s)| t - s)
            .collect::<Vec<_>>(),
    ))
}

/// Rows from the browser results.
pub fn browser_rows(results: &Value) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    let nav = &results["navigation"];
    if !nav.is_null() {
        const SECTION: &str = "App: navigation (headless Chromium)";
        for (kind, what) in [
            ("cold", "first visit: new browser profile, empty caches"),
            ("warm", "second visit: same profile, files cached"),
        ] {
            let app = samples(nav, &format!("app_{kind}_ms"))?;
            let floor = samples(nav, &format!("static_{kind}_ms"))?;
            rows.push(
                Row::new(
                    &format!("nav.{kind}"),
                    SECTION,
                    &format!("navigation to an interactive create-task form, {what}"),
                    median(&app),
                    Unit::Ms,
                )
                .stat(format!("median of {}", app.len()))
                .reference(
                    format!(
                        "static HTML copy of the same form, no app, median of {}",
                        floor.len()
                    ),
                    median(&floor),
                )
                .samples(&app),
            );
        }
    }
    let fb = &results["filter_builder"];
    if !fb.is_null() {
        const SECTION: &str = "App: filter builder, 200 conditions in 20 groups";
        let ours = samples(fb, "annotask_render_ms")?;
        let peer = samples(fb, "rqb_render_ms")?;
        rows.push(
            Row::new(
                "filter.render",
                SECTION,
                "render the query (mount to painted frame)",
                median(&ours),
                Unit::Ms,
            )
            .stat(format!("median of {}", ours.len()))
            .reference(
                format!(
                    "react-querybuilder 8 (React 19 production), same tree, median of {}",
                    peer.len()
                ),
                median(&peer),
            )
            .info(json!({
                "annotask_script_ms": median(&samples(fb, "annotask_render_script_ms")?),
                "annotask_rest_ms": rest(fb, "annotask")?,
                "rqb_rest_ms": rest(fb, "rqb")?,
                "rqb_script_ms": median(&samples(fb, "rqb_render_script_ms")?),
                "annotask_elements": fb["annotask_elements"],
                "rqb_elements": fb["rqb_elements"],
            }))
            .goal(Goal::BeatReference)
            .samples(&ours),
        );
        let ours = samples(fb, "annotask_edit_ms")?;
        let peer = samples(fb, "rqb_edit_ms")?;
        rows.push(
            Row::new(
                "filter.edit",
                SECTION,
                "one edit: a keystroke in a value, to DOM updated and laid out",
                median(&ours),
                Unit::Ms,
            )
            .stat(format!("median of {}", ours.len()))
            .reference(
                format!(
                    "react-querybuilder 8, the same keystroke, median of {}",
                    peer.len()
                ),
                median(&peer),
            )
            .info(json!({
                "annotask": trace(fb, "annotask_edit_trace"),
                "rqb": trace(fb, "rqb_edit_trace"),
                "annotask_without_json_view": trace(fb, "annotask_edit_trace_no_json"),
                "annotask_json_chars": fb["annotask_json_chars"],
            }))
            .goal(Goal::BeatReference)
            .samples(&ours),
        );
    }
    let picker = &results["picker"];
    if !picker.is_null() {
        const SECTION: &str = "App: assignee picker, 10,000 members";
        let keys = samples(picker, "keystroke_ms")?;
        let bare = samples(picker, "bare_keystroke_ms")?;
        let paint = samples(picker, "keystroke_paint_ms")?;
        rows.push(
            Row::new(
                "picker.keystroke",
                SECTION,
                "keystroke to updated list (script, DOM, style, layout)",
                median(&keys),
                Unit::Ms,
            )
            .stat(format!(
                "median of {}; p95 {:.1} ms; to next painted frame {:.1} ms",
                keys.len(),
                percentile(&keys, 95.0),
                median(&paint)
            ))
            .reference(
                format!(
                    "the same keystrokes in a bare <input>, median of {}",
                    bare.len()
                ),
                median(&bare),
            )
            .info(json!({
                "trace": trace(picker, "keystroke_trace"),
                "p95_ms": percentile(&keys, 95.0),
                "bare_p95_ms": percentile(&bare, 95.0),
            }))
            .goal(Goal::Below(16.0))
            .samples(&keys),
        );
        let mount = samples(picker, "mount_ms")?;
        rows.push(
            Row::new(
                "picker.mount",
                SECTION,
                "mount the picker with 10,000 members (index built, to painted frame)",
                median(&mount),
                Unit::Ms,
            )
            .stat(format!("median of {}", mount.len()))
            .samples(&mount),
        );
    }
    Ok(rows)
}
