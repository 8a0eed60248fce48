//! Which crates the app's wasm code comes from: the function sizes of the build before
//! wasm-opt (which still has its name section), summed by the crate that names each
//! function. Explains the download size in the closing note.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{json, Value};

fn leb(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let (mut result, mut shift) = (0u64, 0);
    loop {
        let byte = *bytes.get(*at)?;
        *at += 1;
        result |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(result);
        }
        shift += 7;
    }
}

fn name_bytes<'a>(bytes: &'a [u8], at: &mut usize) -> Option<&'a [u8]> {
    let len = leb(bytes, at)? as usize;
    let slice = bytes.get(*at..*at + len)?;
    *at += len;
    Some(slice)
}

/// The crate a (legacy-mangled or plain) Rust symbol belongs to: its first path segment,
/// looking through `<impl ...>` and `<T as Trait>`.
fn crate_of(symbol: &str) -> String {
    let first = match symbol.strip_prefix("_ZN") {
        Some(rest) => {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let len: usize = digits.parse().unwrap_or(0);
            let rest = &rest[digits.len()..];
            rest.get(..len).unwrap_or(rest).to_string()
        }
        None => symbol.to_string(),
    };
    let cleaned = first
        .trim_start_matches('_')
        .replace("$LT$", "<")
        .replace("$RF$", "&")
        .replace("$u20$", " ")
        .replace("..", "::");
    let start = cleaned.trim_start_matches(['<', '&', ' ', '*']);
    let start = start.strip_prefix("impl ").unwrap_or(start);
    let start = start.strip_prefix("mut ").unwrap_or(start);
    start
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// `{"total_bytes", "functions", "by_crate": [{"crate", "bytes", "functions"}...]}`.
pub fn by_crate(wasm: &Path) -> Option<Value> {
    let bytes = std::fs::read(wasm).ok()?;
    let mut at = 8;
    let mut imported = 0u64;
    let mut bodies = Vec::new();
    let mut names: HashMap<u64, String> = HashMap::new();
    while at < bytes.len() {
        let id = bytes[at];
        at += 1;
        let size = leb(&bytes, &mut at)? as usize;
        let end = at + size;
        let mut p = at;
        match id {
            2 => {
                for _ in 0..leb(&bytes, &mut p)? {
                    name_bytes(&bytes, &mut p)?;
                    name_bytes(&bytes, &mut p)?;
                    let kind = *bytes.get(p)?;
                    p += 1;
                    match kind {
                        0 => {
                            leb(&bytes, &mut p)?;
                            imported += 1;
                        }
                        1 => {
                            p += 1; // element type
                            let flags = leb(&bytes, &mut p)?;
                            leb(&bytes, &mut p)?;
                            if flags & 1 == 1 {
                                leb(&bytes, &mut p)?;
                            }
                        }
                        2 => {
                            let flags = leb(&bytes, &mut p)?;
                            leb(&bytes, &mut p)?;
                            if flags & 1 == 1 {
                                leb(&bytes, &mut p)?;
                            }
                        }
                        3 => p += 2,
                        _ => return None,
                    }
                }
            }
            10 => {
                for _ in 0..leb(&bytes, &mut p)? {
                    let body = leb(&bytes, &mut p)? as usize;
                    bodies.push(body);
                    p += body;
                }
            }
            0 if name_bytes(&bytes, &mut p)? == b"name" => {
                while p < end {
                    let sub = bytes[p];
                    p += 1;
                    let len = leb(&bytes, &mut p)? as usize;
                    let sub_end = p + len;
                    if sub == 1 {
                        for _ in 0..leb(&bytes, &mut p)? {
                            let index = leb(&bytes, &mut p)?;
                            let name = String::from_utf8_lossy(name_bytes(&bytes, &mut p)?);
                            names.insert(index, name.into_owned());
                        }
                    }
                    p = sub_end;
                }
            }
            _ => {}
        }
        at = end;
    }
    if names.is_empty() {
        return None;
    }
    let mut crates: HashMap<String, (usize, usize)> = HashMap::new();
    for (i, size) in bodies.iter().enumerate() {
        let name = names
            .get(&(imported + i as u64))
            .map_or_else(|| "?".to_string(), |n| crate_of(n));
        let entry = crates.entry(name).or_default();
        entry.0 += size;
        entry.1 += 1;
    }
    let mut list: Vec<(String, (usize, usize))> = crates.into_iter().collect();
    list.sort_by_key(|(_, (bytes, _))| std::cmp::Reverse(*bytes));
    Some(json!({
        "file": wasm.display().to_string(),
        "total_bytes": bodies.iter().sum::<usize>(),
        "functions": bodies.len(),
        "by_crate": list
            .iter()
            .take(25)
            .map(|(name, (b, f))| json!({"crate": name, "bytes": b, "functions": f}))
            .collect::<Vec<_>>(),
    }))
}

#[cfg(test)]
mod tests {
    use super::crate_of;

    #[test]
    fn finds_the_crate_of_a_symbol() {
        assert_eq!(
            crate_of("_ZN6tachys4view5Mount5mount17h0123456789abcdefE"),
            "tachys"
        );
        assert_eq!(
            crate_of(
                "_ZN98_$LT$reactive_graph..effect..Effect$u20$as$u20$core..Drop$GT$4drop17h0123E"
            ),
            "reactive_graph"
        );
        assert_eq!(crate_of("annotask::start"), "annotask");
    }
}
