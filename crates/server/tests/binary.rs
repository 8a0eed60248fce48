//! The real binary: the start-up line, a request over TCP, graceful shutdown on SIGTERM.

mod common;

use common::spawn_binary;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn prints_the_listening_line_and_shuts_down_on_sigterm() {
    // The first line names the port it got for 127.0.0.1:0 (spawn_binary checks its form).
    let args = ["--db", ":memory:", "--demo", "--demo-items", "20"].map(std::ffi::OsStr::new);
    let (mut child, port) = spawn_binary(&args, Stdio::null(), None);
    assert_ne!(port, 0);

    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /api/v1/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 401"), "{response}");
    assert!(response.contains("\"status\":401"));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful shutdown exits 0, got {exit:?}");
}

#[test]
fn help_documents_every_flag() {
    let output = Command::new(env!("CARGO_BIN_EXE_annotask-server"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--addr",
        "--db",
        "--static",
        "--demo",
        "--demo-items",
        "--allow-origin",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}
