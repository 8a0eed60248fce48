//! `cargo xtask test`: every check in one go, stopping at the first failure.

use crate::dist::{build_site, DistOptions};
use crate::process::{exec, target_dir, Server};
use crate::stages::Stages;
use crate::{root, tools};
use std::path::{Path, PathBuf};
use std::process::Command;

fn cargo() -> Command {
    let mut c = Command::new("cargo");
    c.current_dir(root());
    c
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("`cargo xtask test` takes no arguments (got `{a}`)"));
    }
    let mut stages = Stages::new();
    stages.run("format (cargo fmt --check)", || {
        exec(cargo().args(["fmt", "--all", "--check"]))
    })?;
    stages.run("tools (install what is missing)", || {
        tools::ensure_wasm_target()?;
        tools::ensure_chromium()?;
        // wasm-bindgen's version comes from Cargo.lock, which needs resolving first.
        exec(
            cargo()
                .args(["metadata", "--format-version", "1", "--quiet"])
                .stdout(std::process::Stdio::null()),
        )?;
        tools::ensure_wasm_bindgen()?;
        tools::ensure_trunk()?;
        tools::ensure_wasm_opt()?;
        tools::ensure_npm_ci(&root().join("tests/e2e"))?;
        tools::ensure_dtlpy_venv()?;
        Ok(())
    })?;
    stages.run("clippy (native crates)", || {
        exec(cargo().args([
            "clippy",
            "--workspace",
            "--exclude",
            "annotask",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    stages.run("clippy (app, wasm32)", || {
        exec(cargo().args([
            "clippy",
            "-p",
            "annotask",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    stages.run("native tests (cargo test)", || {
        exec(cargo().args(["test", "--workspace", "--exclude", "annotask"]))
    })?;
    stages.run(
        "browser tests (wasm-bindgen-test, headless Chromium)",
        || {
            exec(
                cargo()
                    .args([
                        "test",
                        "-p",
                        "annotask",
                        "--target",
                        "wasm32-unknown-unknown",
                    ])
                    .env("CHROMEDRIVER", "/usr/bin/chromedriver"),
            )
        },
    )?;
    let dist = target_dir().join("e2e-dist");
    stages.run("build the app (trunk, release)", || {
        build_site(&DistOptions {
            public_url: "/".into(),
            out: dist.clone(),
            ..Default::default()
        })?;
        exec(cargo().args(["build", "-p", "annotask-server"]))
    })?;
    stages.run("end-to-end tests (Playwright, real server)", || e2e(&dist))?;
    stages.run("contract test (official Python SDK dtlpy)", contract)?;
    stages.finish();
    Ok(())
}

fn server_binary() -> PathBuf {
    target_dir().join("debug").join("annotask-server")
}

/// A fresh folder under target/ for one stage's throwaway database and logs.
fn scratch(name: &str) -> Result<PathBuf, String> {
    let dir = target_dir().join("xtask").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

fn start_demo_server(dir: &Path, static_dir: Option<&Path>) -> Result<Server, String> {
    let db = dir.join("annotask.db");
    let mut args = vec![
        "--addr".to_string(),
        "127.0.0.1:0".into(),
        "--db".into(),
        db.display().to_string(),
        "--demo".into(),
    ];
    if let Some(s) = static_dir {
        args.push("--static".into());
        args.push(s.display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Server::start(&server_binary(), &args, &dir.join("server.log"))
}

/// `cargo xtask e2e [--fast] [--name NAME] [-- PLAYWRIGHT ARGS]`: build the app and the
/// server, then run (part of) the Playwright suite, e.g. `-- tests/create-task.spec.ts`.
/// `--fast` builds the app without release optimisations; `--name` keeps parallel runs apart.
pub fn e2e_only(args: &[String]) -> Result<(), String> {
    let (ours, playwright) = match args.iter().position(|a| a == "--") {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (args, &[][..]),
    };
    let mut name = "e2e-only".to_string();
    let mut fast = false;
    let mut it = ours.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--fast" => fast = true,
            "--name" => name = it.next().ok_or("--name needs a value")?.clone(),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    let dist = target_dir().join("xtask").join(format!("{name}-dist"));
    if fast {
        tools::ensure_trunk()?;
        exec(
            Command::new("trunk")
                .current_dir(root())
                .args(["build", "--public-url", "/", "--dist"])
                .arg(&dist),
        )?;
    } else {
        build_site(&DistOptions {
            public_url: "/".into(),
            out: dist.clone(),
            ..Default::default()
        })?;
    }
    exec(cargo().args(["build", "-p", "annotask-server"]))?;
    tools::ensure_npm_ci(&root().join("tests/e2e"))?;
    run_playwright(&dist, &name, playwright)
}

fn e2e(dist: &Path) -> Result<(), String> {
    run_playwright(dist, "e2e", &[])
}

fn run_playwright(dist: &Path, name: &str, extra: &[String]) -> Result<(), String> {
    let dir = scratch(name)?;
    let server = start_demo_server(&dir, Some(dist))?;
    eprintln!(
        "xtask: annotask-server at {} (log: {})",
        server.url,
        dir.join("server.log").display()
    );
    let result = exec(
        Command::new("npx")
            .args(["playwright", "test"])
            .args(extra)
            .current_dir(root().join("tests/e2e"))
            .env("BASE_URL", &server.url)
            .env("SERVER_PID", server.pid().to_string()),
    );
    server.stop();
    result
}

fn contract() -> Result<(), String> {
    let python = tools::ensure_dtlpy_venv()?;
    let dir = scratch("contract")?;
    let server = start_demo_server(&dir, None)?;
    let result = exec(
        Command::new(&python)
            .arg(root().join("crates/server/tests/dtlpy/contract_test.py"))
            .env("ANNOTASK_URL", &server.url)
            .env("DATALOOP_PATH", dir.join("dataloop")),
    );
    server.stop();
    result
}
