//! A plain static file server for the static-site test: no SPA fallback, just files, and
//! `404.html` for anything missing, the way GitHub Pages and most buckets behave.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

/// A loopback port reserved for the file server, so its origin is known before it serves.
pub fn bind() -> Result<(TcpListener, u16), String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot bind a port: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    Ok((listener, port))
}

/// Serves `root` under the URL prefix `prefix` (`/` or `/sub/path/`) from a background thread,
/// with `csp` as the Content-Security-Policy of every answer (as deploy/nginx.conf sends it).
/// The thread lives as long as the process.
pub fn serve(listener: TcpListener, root: PathBuf, prefix: String, csp: String) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (root, prefix, csp) = (root.clone(), prefix.clone(), csp.clone());
            std::thread::spawn(move || {
                let _ = handle(stream, &root, &prefix, &csp);
            });
        }
    });
}

fn handle(mut stream: TcpStream, root: &Path, prefix: &str, csp: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; the request has no body we care about.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let (status, file) = match resolve(root, prefix, path) {
        Some(f) => ("200 OK", Some(f)),
        None => (
            "404 Not Found",
            Some(root.join("404.html")).filter(|p| p.is_file()),
        ),
    };
    let (body, content_type) = match &file {
        Some(f) => (std::fs::read(f)?, content_type(f)),
        None => (b"not found".to_vec(), "text/plain"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Content-Security-Policy: {csp}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// The file a URL path names, if it exists under the prefix (no `..` escapes).
fn resolve(root: &Path, prefix: &str, path: &str) -> Option<PathBuf> {
    let rest = if path == prefix.trim_end_matches('/') {
        ""
    } else {
        path.strip_prefix(prefix)?
    };
    if rest.split('/').any(|seg| seg == "..") {
        return None;
    }
    let mut file = root.join(rest);
    if rest.is_empty() || rest.ends_with('/') {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_only_inside_the_prefix() {
        let dir = std::env::temp_dir().join(format!("xtask-static-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "x").unwrap();
        std::fs::write(dir.join("app.js"), "x").unwrap();
        assert_eq!(resolve(&dir, "/", "/"), Some(dir.join("index.html")));
        assert_eq!(resolve(&dir, "/", "/app.js"), Some(dir.join("app.js")));
        assert_eq!(resolve(&dir, "/", "/tasks/1"), None);
        assert_eq!(resolve(&dir, "/sub/", "/sub"), Some(dir.join("index.html")));
        assert_eq!(
            resolve(&dir, "/sub/", "/sub/app.js"),
            Some(dir.join("app.js"))
        );
        assert_eq!(resolve(&dir, "/sub/", "/app.js"), None);
        assert_eq!(resolve(&dir, "/", "/../etc/passwd"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
