//! `json.dumps(value)` exactly as Python prints it with default arguments.
//!
//! The SDK sends a task's DQL as a *string* made by `json.dumps(query)` (PKG
//! `repositories/tasks.py:create`), which differs from compact JSON: `", "` and `": "`
//! separators, non-ASCII escaped as `\uXXXX` (`ensure_ascii=True`) and floats in Python's
//! `repr` style (`1e-05`, `1e+16`, `100.0`). Printing the same bytes lets tests compare our
//! payloads with the LIVE captures byte for byte, and lets the server store exactly the string
//! a Python client would have sent.
//!
//! One SDK quirk is deliberately *not* copied: the SDK then runs `.replace("'", '"')` over the
//! text, which corrupts any value containing an apostrophe (`/it's` becomes invalid JSON).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;
use serde_json::Value;

/// Serializes `value` the way Python's `json.dumps(value)` does.
pub fn dumps(value: &Value) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    value
        .serialize(&mut ser)
        .expect("writing JSON into a Vec cannot fail");
    String::from_utf8(out).expect("the formatter writes ASCII only")
}

/// A serde_json formatter with Python's default separators, escaping and float style.
struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn write_f32<W: ?Sized + Write>(&mut self, w: &mut W, value: f32) -> io::Result<()> {
        w.write_all(float_repr(f64::from(value)).as_bytes())
    }

    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        w.write_all(float_repr(value).as_bytes())
    }

    /// serde_json already escapes `"`, `\` and control characters the way Python does
    /// (`\n`, `\u001f`, lowercase hex); what is left is everything outside printable ASCII.
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        for c in fragment.chars() {
            if (' '..='~').contains(&c) {
                w.write_all(&[c as u8])?;
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}

/// Python's `repr(float)`: the shortest digits that round-trip, in fixed notation when the
/// decimal exponent is in `-5 < exp < 16`, otherwise as `d.ddde±XX`.
fn float_repr(value: f64) -> String {
    if !value.is_finite() {
        // Python prints these, but they are not JSON and a serde_json Value cannot hold them.
        return "null".to_owned();
    }
    let (digits, exp) = shortest_digits(value.abs());
    let sign = if value.is_sign_negative() { "-" } else { "" };

    if (-5 < exp) && (exp < 16) {
        let point = exp + 1; // digits before the decimal point
        let text = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{int}.{frac}")
        };
        format!("{sign}{text}")
    } else {
        let (first, rest) = digits.split_at(1);
        let mantissa = if rest.is_empty() {
            first.to_owned()
        } else {
            format!("{first}.{rest}")
        };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{exp_sign}{:02}", exp.unsigned_abs())
    }
}

/// The shortest decimal digits that read back as `value` (≥ 0) and the decimal exponent of
/// the first one, as Python's `repr` picks them.
///
/// Rust's `{:e}` gives the same shortest digits ("1.8994176e12") except in one case: when
/// `value` lies exactly halfway between two equally short candidates, Rust takes the upper
/// one and Python (David Gay's dtoa) the one with the even last digit.
fn shortest_digits(value: f64) -> (String, i32) {
    let sci = format!("{value:e}");
    let (mantissa, exp) = sci.split_once('e').expect("{:e} always has an exponent");
    let exp: i32 = exp.parse().expect("{:e} exponent is an integer");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();

    let last = digits.as_bytes()[digits.len() - 1] - b'0';
    if last % 2 == 1 {
        let lower = format!("{}{}", &digits[..digits.len() - 1], last - 1);
        let scale = exp - (lower.len() as i32 - 1);
        let reads_back = format!("{lower}e{scale}").parse() == Ok(value);
        if reads_back && is_halfway(value, &lower, exp) {
            return (lower, exp);
        }
    }
    (digits, exp)
}

/// Whether `value` is exactly `lower` + half a unit of its last digit (digits `lower`,
/// decimal exponent `exp`).
fn is_halfway(value: f64, lower: &str, exp: i32) -> bool {
    // Every f64 has a finite decimal expansion of at most 767 significant digits.
    let exact = format!("{value:.800e}");
    let (mantissa, exact_exp) = exact.split_once('e').expect("{:e} always has an exponent");
    let exact_digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    exact_exp.parse() == Ok(exp)
        && exact_digits
            .strip_prefix(lower)
            .and_then(|rest| rest.strip_prefix('5'))
            .is_some_and(|rest| rest.bytes().all(|b| b == b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn separators_match_python() {
        let value = json!({"filter": {"$and": [{"hidden": false}, {"type": "file"}]}, "page": 0, "pageSize": 1000, "resource": "items"});
        assert_eq!(
            dumps(&value),
            r#"{"filter": {"$and": [{"hidden": false}, {"type": "file"}]}, "page": 0, "pageSize": 1000, "resource": "items"}"#
        );
        assert_eq!(dumps(&json!([])), "[]");
        assert_eq!(dumps(&json!({})), "{}");
        assert_eq!(dumps(&json!([1, [2, {}], null])), "[1, [2, {}], null]");
    }

    #[test]
    fn strings_are_escaped_like_ensure_ascii() {
        // Checked against Python 3: json.dumps("é\"\\\n\u0001\x7f😀/'")
        let value = json!("é\"\\\n\u{1}\u{7f}😀/'");
        assert_eq!(dumps(&value), r#""\u00e9\"\\\n\u0001\u007f\ud83d\ude00/'""#);
    }

    #[test]
    fn floats_follow_python_repr() {
        let cases = [
            (1_899_417_600_000.0, "1899417600000.0"),
            (100.0, "100.0"),
            (0.5, "0.5"),
            (-2.25, "-2.25"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.2345e20, "1.2345e+20"),
            (123.456, "123.456"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e300, "1e+300"),
            // Exactly halfway between ...129.2 and ...129.3: Python takes the even digit.
            // (Written as sums: the literals would be rounded by the reader, not by us.)
            (-(2_131_840_612_963_129.0 + 0.25), "-2131840612963129.2"),
            (2_131_840_612_963_129.0 + 0.75, "2131840612963129.8"),
            (0.125, "0.125"),
        ];
        for (value, expected) in cases {
            assert_eq!(float_repr(value), expected, "{value}");
        }
        assert_eq!(
            dumps(&json!({"dueDate": 1_899_417_600_000.0})),
            r#"{"dueDate": 1899417600000.0}"#
        );
    }
}
