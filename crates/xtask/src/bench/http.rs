//! A minimal blocking HTTP/1.1 client for the loopback API calls of the server benchmarks
//! (one request per connection, as a fresh client would make it).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Response {
    pub status: u16,
    pub body: String,
    /// From sending the request to the whole answer read.
    pub elapsed_ms: f64,
}

impl Response {
    pub fn json(&self) -> Result<Value, String> {
        serde_json::from_str(&self.body)
            .map_err(|e| format!("answer is not JSON ({e}): {}", preview(&self.body)))
    }

    /// The JSON of a 2xx answer, else an error naming the request.
    pub fn ok_json(&self, what: &str) -> Result<Value, String> {
        if (200..300).contains(&self.status) {
            self.json()
        } else {
            Err(format!(
                "{what}: HTTP {} {}",
                self.status,
                preview(&self.body)
            ))
        }
    }
}

fn preview(body: &str) -> String {
    body.chars().take(400).collect()
}

/// A client of one `http://host:port` base URL, with an optional bearer token.
#[derive(Clone)]
pub struct Client {
    addr: String,
    pub token: Option<String>,
}

impl Client {
    pub fn new(base_url: &str) -> Result<Client, String> {
        let addr = base_url
            .strip_prefix("http://")
            .ok_or_else(|| format!("not an http:// URL: {base_url}"))?
            .trim_end_matches('/')
            .to_string();
        Ok(Client { addr, token: None })
    }

    pub fn get(&self, path: &str) -> Result<Response, String> {
        self.send("GET", path, None)
    }

    pub fn post(&self, path: &str, body: &Value) -> Result<Response, String> {
        self.send("POST", path, Some(&body.to_string()))
    }

    pub fn delete(&self, path: &str) -> Result<Response, String> {
        self.send("DELETE", path, Some("{\"asynced\": true}"))
    }

    pub fn send(&self, method: &str, path: &str, body: Option<&str>) -> Result<Response, String> {
        let fail = |e: std::io::Error| format!("{method} {path}: {e}");
        let started = Instant::now();
        let mut stream = TcpStream::connect(&self.addr).map_err(fail)?;
        stream
            .set_read_timeout(Some(Duration::from_secs(300)))
            .map_err(fail)?;
        stream.set_nodelay(true).map_err(fail)?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAccept: application/json\r\n",
            self.addr
        );
        if let Some(token) = &self.token {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        let body = body.unwrap_or("");
        if method != "GET" {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).map_err(fail)?;
        stream.write_all(body.as_bytes()).map_err(fail)?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).map_err(fail)?;
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        parse(&raw, elapsed_ms).map_err(|e| format!("{method} {path}: {e}"))
    }
}

fn parse(raw: &[u8], elapsed_ms: f64) -> Result<Response, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of headers in the answer")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("no status line")?;
    let chunked = lines.any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let payload = &raw[split + 4..];
    let body = if chunked {
        dechunk(payload)?
    } else {
        payload.to_vec()
    };
    Ok(Response {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
        elapsed_ms,
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("bad chunk header")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("bad chunk size {size_text:?}"))?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size {
            return Err("truncated chunk".into());
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_chunked_answers() {
        let r = parse(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}", 1.0).unwrap();
        assert_eq!((r.status, r.body.as_str()), (200, "{}"));
        let r = parse(
            b"HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n",
            1.0,
        )
        .unwrap();
        assert_eq!((r.status, r.body.as_str()), (201, "{\"a\":1}"));
    }
}
