//! `cargo xtask dist`: the static site (release build) with its config.json.

use crate::process::exec;
use crate::tools;
use crate::{parse_flags, root};
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
    write_config(
        &opts.out,
        opts.api_base.as_deref(),
        opts.gate_url.as_deref(),
    )
}

/// config.json tells the app where its API is; absent keys fall back to the page's origin.
fn write_config(out: &Path, api_base: Option<&str>, gate_url: Option<&str>) -> Result<(), String> {
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
