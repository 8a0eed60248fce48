//! `cargo xtask dev`: set up, build the app and serve it with the API and demo data.

use crate::dist::{build_site, DistOptions};
use crate::process::{exec, target_dir};
use crate::{parse_flags, root};
use std::process::{Command, Stdio};

pub fn run(args: &[String]) -> Result<(), String> {
    let mut addr = "127.0.0.1:8080".to_string();
    let mut db = root().join("annotask.db");
    for (flag, value) in parse_flags(args, &["--addr", "--db"])? {
        match flag.as_str() {
            "--addr" => addr = value,
            "--db" => db = value.into(),
            _ => unreachable!(),
        }
    }
    let dist = root().join("dist");
    build_site(&DistOptions {
        public_url: "/".into(),
        out: dist.clone(),
        ..Default::default()
    })?;
    exec(Command::new("cargo").current_dir(root()).args([
        "build",
        "--profile",
        "server",
        "-p",
        "annotask-server",
    ]))?;
    let server = target_dir().join("server").join("annotask-server");

    // Ctrl-C reaches the server too (same process group); we only wait for it to finish
    // its graceful shutdown instead of dying first and leaving the terminal in a mess.
    ctrlc::set_handler(|| {}).map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;
    eprintln!("xtask: starting annotask-server (Ctrl-C stops it)");
    let status = Command::new(&server)
        .arg("--addr")
        .arg(&addr)
        .arg("--db")
        .arg(&db)
        .arg("--static")
        .arg(&dist)
        .arg("--demo")
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot start {}: {e}", server.display()))?;
    // 130 = interrupted by Ctrl-C, which is how the user is meant to stop it.
    if status.success() || status.code() == Some(130) || status.code().is_none() {
        eprintln!("xtask: stopped");
        Ok(())
    } else {
        Err(format!("annotask-server exited with {status}"))
    }
}
