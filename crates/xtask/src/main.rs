//! `cargo xtask <command>`: the project's developer commands.
//!
//! Each command installs the tools it needs (and skips those already there), so a fresh
//! Debian machine with only rustup/cargo, node/npm and apt can run them.

mod bench;
mod dev;
mod dist;
mod process;
mod stages;
mod static_server;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

Commands:
  dev     install what is missing, build the app (release) and serve it with the API
          on http://127.0.0.1:8080 (persistent database ./annotask.db, demo data)
          options: --addr HOST:PORT  --db PATH
  test    every check in one go, stopping at the first failure:
          fmt, clippy (native and wasm32), native tests, browser tests (wasm-bindgen-test),
          end-to-end tests (Playwright), the dtlpy contract test, the static-site test
          option: --only WORD,WORD  (run only the stages whose names contain a word)
  e2e     build, start a fresh server and run Playwright: [--fast] [--name NAME] [-- ARGS]
  dist    release build of the static site into dist/
          options: --public-url /sub/path/  --api-base URL  --gate-url URL  --out DIR
  bench   run the benchmarks; writes target/bench/bench.md and bench.json
          options: --only size,nav,filter,picker,server,1m  --runs N  --quick  --min-free-gib N
";

/// The workspace root (xtask lives in crates/xtask).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(|p| p.parent())
        .expect("xtask lives two levels below the workspace root")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, rest) = match args.split_first() {
        Some((c, r)) => (c.as_str(), r),
        None => {
            eprint!("{HELP}");
            return ExitCode::from(2);
        }
    };
    let result = match cmd {
        "dev" => dev::run(rest),
        "test" => test::run(rest),
        "dist" => dist::run(rest),
        "e2e" => test::e2e_only(rest),
        "bench" => bench::run(rest),
        "-h" | "--help" | "help" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("xtask: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// Reads `--flag value` pairs; unknown flags are an error so typos don't pass silently.
pub fn parse_flags(args: &[String], known: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if !known.contains(&flag.as_str()) {
            return Err(format!(
                "unknown option `{flag}` (expected one of: {})",
                known.join(", ")
            ));
        }
        let value = it
            .next()
            .ok_or_else(|| format!("option `{flag}` needs a value"))?;
        out.push((flag.clone(), value.clone()));
    }
    Ok(out)
}
