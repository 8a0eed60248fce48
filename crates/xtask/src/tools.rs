//! Installs the web tool chain when it is missing, and skips what is already there.
//!
//! Versions are pinned where the machine needs them (see shared docs/toolchain.md):
//! trunk 0.22 needs a newer rustc, wasm-bindgen-cli must equal the wasm-bindgen in
//! Cargo.lock, and Debian's wasm-opt (binaryen 108) produces modules that fail in the
//! browser, so wasm-opt comes from npm into the git-ignored `tools/` folder.

use crate::process::{exec, output};
use crate::root;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132.0.0";
pub const DTLPY_VERSION: &str = "1.126.5";

fn say(msg: &str) {
    eprintln!("xtask: {msg}");
}

/// The `tools/` folder for installs that must not touch the system.
pub fn tools_dir() -> PathBuf {
    root().join("tools")
}

pub fn ensure_wasm_target() -> Result<(), String> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    say("installing the wasm32-unknown-unknown target");
    exec(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

pub fn ensure_trunk() -> Result<(), String> {
    let have = output(Command::new("trunk").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(TRUNK_VERSION) {
        return Ok(());
    }
    say(&format!(
        "installing trunk {TRUNK_VERSION} (found: {}); this takes several minutes once",
        if have.is_empty() { "none" } else { &have }
    ));
    exec(Command::new("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

/// The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(v.trim_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

pub fn ensure_wasm_bindgen() -> Result<(), String> {
    let want = locked_wasm_bindgen_version()?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    let runner =
        output(Command::new("wasm-bindgen-test-runner").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str())
        && runner.split_whitespace().nth(1) == Some(want.as_str())
    {
        return Ok(());
    }
    say(&format!(
        "installing wasm-bindgen-cli {want} (found: {}); this takes a few minutes once",
        if have.is_empty() { "none" } else { &have }
    ));
    // Not --locked: the registry lacks one of its locked transitive versions.
    exec(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &want]))
}

/// Installs npm's binaryen into tools/binaryen and returns the folder to put first on PATH.
pub fn ensure_wasm_opt() -> Result<PathBuf, String> {
    let dir = tools_dir().join("binaryen");
    let bin = dir.join("node_modules").join(".bin");
    let have = output(Command::new(bin.join("wasm-opt")).arg("--version")).unwrap_or_default();
    if have.contains(BINARYEN_VERSION.split('.').next().unwrap_or_default()) {
        return Ok(bin);
    }
    need_program(
        "npm",
        "install Node.js and npm (Debian: apt-get install nodejs npm)",
    )?;
    say(&format!(
        "installing wasm-opt (npm binaryen@{BINARYEN_VERSION}) into tools/binaryen"
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    exec(
        Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--prefix",
            ])
            .arg(&dir)
            .arg(format!("binaryen@{BINARYEN_VERSION}")),
    )?;
    Ok(bin)
}

/// PATH with our wasm-opt first, so trunk never picks up Debian's broken one.
pub fn path_with(dir: &Path) -> String {
    let old = std::env::var("PATH").unwrap_or_default();
    format!("{}:{old}", dir.display())
}

fn need_program(name: &str, how: &str) -> Result<(), String> {
    if output(Command::new(name).arg("--version")).is_some() {
        Ok(())
    } else {
        Err(format!("`{name}` is missing: {how}"))
    }
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).as_deref() == Some("0")
}

/// Debian's Chromium and ChromeDriver, which the browser and end-to-end tests drive.
pub fn ensure_chromium() -> Result<(), String> {
    let chromium = Path::new("/usr/bin/chromium");
    let driver = Path::new("/usr/bin/chromedriver");
    if chromium.exists() && driver.exists() {
        return Ok(());
    }
    if is_root() && Path::new("/usr/bin/apt-get").exists() {
        say("installing Debian's chromium and chromium-driver");
        exec(Command::new("apt-get").arg("update").arg("-q"))?;
        return exec(
            Command::new("apt-get")
                .args(["install", "-y", "-q", "chromium", "chromium-driver"])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        );
    }
    Err("Chromium and ChromeDriver are missing: run `sudo apt-get install chromium chromium-driver` \
         (they must be /usr/bin/chromium and /usr/bin/chromedriver)"
        .into())
}

/// `npm ci` in a folder with a committed lockfile, skipped when node_modules is current.
pub fn ensure_npm_ci(dir: &Path) -> Result<(), String> {
    need_program(
        "npm",
        "install Node.js and npm (Debian: apt-get install nodejs npm)",
    )?;
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules").join(".package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&stamp)) {
        (Ok(l), Ok(s)) => match (l.modified(), s.modified()) {
            (Ok(l), Ok(s)) => s >= l,
            _ => false,
        },
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    say(&format!("npm ci in {}", dir.display()));
    exec(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )
}

/// A venv in tools/venv with the official Python SDK, for the contract test.
pub fn ensure_dtlpy_venv() -> Result<PathBuf, String> {
    let venv = tools_dir().join("venv");
    let python = venv.join("bin").join("python");
    let have = output(Command::new(&python).args([
        "-c",
        "import importlib.metadata as m; print(m.version('dtlpy'))",
    ]))
    .unwrap_or_default();
    if have == DTLPY_VERSION {
        return Ok(python);
    }
    need_program(
        "python3",
        "install Python 3 (Debian: apt-get install python3 python3-venv)",
    )?;
    if !python.exists() {
        say("creating the Python venv tools/venv");
        exec(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    say(&format!(
        "installing dtlpy=={DTLPY_VERSION} into tools/venv"
    ));
    exec(Command::new(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("dtlpy=={DTLPY_VERSION}"),
    ]))?;
    Ok(python)
}
