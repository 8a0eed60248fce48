//! `cargo xtask dist`: the static site (release build) with its config.json.

use crate::process::exec;
use crate::tools;
use crate::{parse_flags, root};
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a static-site build needs to know.
#[derive(Default, Clone)]
pub struct DistOptions {
    /// The path the site is served under, with leading and trailing slash (`/` or `/sub/`).
    pub public_url: String,
    pub api_base: Option<String>,
    pub gate_url: Option<String>,
    pub out: PathBuf,
}

pub fn parse_options(args: &[String]) -> Result<DistOptions, String> {
    let mut opts = DistOptions {
        public_url: "/".into(),
        out: root().join("dist"),
        ..Default::default()
    };
    for (flag, value) in parse_flags(args, &["--public-url", "--api-base", "--gate-url", "--out"])?
    {
        match flag.as_str() {
            "--public-url" => opts.public_url = normalise_public_url(&value),
            "--api-base" => opts.api_base = Some(value),
            "--gate-url" => opts.gate_url = Some(value),
            "--out" => opts.out = PathBuf::from(value),
            _ => unreachable!("parse_flags only returns known flags"),
        }
    }
    Ok(opts)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let opts = parse_options(args)?;
    build_site(&opts)?;
    eprintln!("xtask: static site written to {}", opts.out.display());
    Ok(())
}

/// `/sub/path` → `/sub/path/`; empty → `/`.
fn normalise_public_url(v: &str) -> String {
    let trimmed = v.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// Installs the web tools if needed, then `trunk build --release` into `opts.out`.
pub fn build_site(opts: &DistOptions) -> Result<(), String> {
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_trunk()?;
    let wasm_opt_dir = tools::ensure_wasm_opt()?;
    exec(
        Command::new("trunk")
            .current_dir(root())
            .env("PATH", tools::path_with(&wasm_opt_dir))
            .args([
                "build",
                "--release",
                "--public-url",
                &opts.public_url,
                "--dist",
            ])
            .arg(&opts.out),
    )?;
    externalize_boot_script(&opts.out, &opts.public_url)?;
    write_spa_redirect(&opts.out, &opts.public_url)?;
    write_config(
        &opts.out,
        opts.api_base.as_deref(),
        opts.gate_url.as_deref(),
    )
}

/// Trunk starts the app with an inline `<script type="module">`; a strict CSP
/// (`script-src 'self' 'wasm-unsafe-eval'`) would refuse it. Move it into a hashed file
/// loaded with subresource integrity, so no inline script needs allowing.
fn externalize_boot_script(out: &Path, public_url: &str) -> Result<(), String> {
    let index_path = out.join("index.html");
    let html = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("cannot read {}: {e}", index_path.display()))?;
    let open = "<script type=\"module\">";
    let Some(start) = html.find(open) else {
        return Ok(()); // already external
    };
    let body_start = start + open.len();
    let end = html[body_start..]
        .find("</script>")
        .map(|i| body_start + i)
        .ok_or("index.html has an unterminated <script>")?;
    let script = html[body_start..end].trim().to_string() + "\n";
    let digest = Sha256::digest(script.as_bytes());
    let name = format!("boot-{}.js", hex(&digest[..8]));
    std::fs::write(out.join(&name), &script).map_err(|e| format!("cannot write {name}: {e}"))?;
    let integrity =
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(script.as_bytes()));
    let tag = format!(
        "<script type=\"module\" src=\"{public_url}{name}\" \
         integrity=\"sha384-{integrity}\" crossorigin=\"anonymous\"></script>"
    );
    let html = format!(
        "{}{}{}",
        &html[..start],
        tag,
        &html[end + "</script>".len()..]
    );
    std::fs::write(&index_path, html).map_err(|e| format!("cannot write index.html: {e}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// For static hosts without an SPA fallback (GitHub Pages, buckets): they serve 404.html for
/// `/tasks/123`, which remembers the path and opens the app's root; the app then restores the
/// path before its router starts (`annotask::restore_spa_redirect`). No inline script.
fn write_spa_redirect(out: &Path, public_url: &str) -> Result<(), String> {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>annotask</title>\n<base href=\"{public_url}\">\n\
         <script src=\"{public_url}spa-redirect.js\"></script>\n</head>\n\
         <body><p>Opening annotask… <a href=\"{public_url}\">continue</a></p></body>\n</html>\n"
    );
    let script = "// Served by 404.html: keep the path the user asked for, then open the app's\n\
                  // root, which puts the path back (annotask::restore_spa_redirect).\n\
                  sessionStorage.setItem('annotask.redirect', \
                  location.pathname + location.search + location.hash);\n\
                  location.replace(document.baseURI);\n";
    std::fs::write(out.join("404.html"), page)
        .map_err(|e| format!("cannot write 404.html: {e}"))?;
    std::fs::write(out.join("spa-redirect.js"), script)
        .map_err(|e| format!("cannot write spa-redirect.js: {e}"))
}

/// config.json tells the app where its API is; absent keys fall back to the page's origin.
pub fn write_config(
    out: &Path,
    api_base: Option<&str>,
    gate_url: Option<&str>,
) -> Result<(), String> {
    let mut fields = Vec::new();
    if let Some(a) = api_base {
        fields.push(format!("  \"apiBase\": {}", json_string(a)));
    }
    if let Some(g) = gate_url {
        fields.push(format!("  \"gateUrl\": {}", json_string(g)));
    }
    let body = if fields.is_empty() {
        "{}\n".to_string()
    } else {
        format!("{{\n{}\n}}\n", fields.join(",\n"))
    };
    let path = out.join("config.json");
    std::fs::write(&path, body).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_url_is_normalised() {
        assert_eq!(normalise_public_url(""), "/");
        assert_eq!(normalise_public_url("/"), "/");
        assert_eq!(normalise_public_url("sub/path"), "/sub/path/");
        assert_eq!(normalise_public_url("/sub/"), "/sub/");
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
