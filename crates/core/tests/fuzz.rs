//! Bad input never panics: the DQL parser, printer, validator and evaluator, and the task
//! payload decoding, fed arbitrary and malformed JSON (issue 10, "Bad input").
//!
//! Each property runs a fixed number of cases from a fixed seed, so a run is reproducible;
//! together they try [`TOTAL_CASES`] inputs (at least 100,000). Besides "no panic", a few
//! cheap properties are checked on the way: lenient parsing prints back what it read, the
//! item split never loses or duplicates an item, and the sort order is total.
//!
//! Nesting: serde_json refuses input nested deeper than 128 levels, and everything here that
//! recurses (parser, printer, validator, evaluator) recurses at most once per JSON level, so
//! the deepest accepted input is also the deepest recursion; `deepest_accepted_query_*`
//! checks that this fits a small stack with room to spare, and that 10,000 levels are an
//! error, not a crash.
//!
//! Every evaluation also runs the compiled query ([`Query::compile`]) and the compiled globs,
//! which must answer as the reference evaluator does.

use std::cmp::Ordering;

use annotask_core::dql::glob::{field_glob_matches, glob_matches, FieldGlob, Glob};
use annotask_core::dql::{
    compare_items, match_filter, values_at, CompiledQuery, FilterNode, Query, SortDir,
};
use annotask_core::draft::{CreateTaskPayload, TaskDraft};
use annotask_core::entities::{Member, Task};
use annotask_core::validate::{self, ValidationContext};
use annotask_core::{iso8601, python_json, workload};
use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, RngSeed};
use serde_json::{json, Map, Value};

/// Cases per property; they add up to [`TOTAL_CASES`].
const ARBITRARY_FILTERS: u32 = 20_000;
const SHAPED_QUERIES: u32 = 25_000;
const TEXT_MUTATIONS: u32 = 15_000;
const PAYLOADS: u32 = 15_000;
const EVALUATIONS: u32 = 25_000;
const TOTAL_CASES: u32 =
    ARBITRARY_FILTERS + SHAPED_QUERIES + TEXT_MUTATIONS + PAYLOADS + EVALUATIONS;

// The fuzz run tries at least 100,000 inputs, checked when compiling.
const _: () = assert!(TOTAL_CASES >= 100_000);

fn config(cases: u32, seed: u64) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        // ChaCha, the default, is most of the run time in a debug build.
        rng_algorithm: RngAlgorithm::XorShift,
        failure_persistence: None,
        // Shrinking a seed gives unrelated inputs; a few tries may still find a smaller one.
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------

/// Strings that mean something to DQL, dates, numbers-as-text and odd Unicode.
const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "*",
    "**",
    "***",
    "a*b",
    "*.jpg",
    "/folder1/**",
    "/folder1/*",
    "**/*",
    "/",
    "//",
    "image*",
    "$and",
    "$or",
    "$match",
    "$in",
    "$nin",
    "$gt",
    "$gte",
    "$lt",
    "$lte",
    "$eq",
    "$ne",
    "$exists",
    "$near",
    "$elemMatch",
    "$",
    "NaN",
    "-NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1e400",
    "-1e400",
    "1e-400",
    "0x10",
    "1_000",
    "9007199254740993",
    "18446744073709551616",
    "-0",
    "0.000000000000000000000000001",
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:00:00.000Z",
    "2024-01-01",
    "2024-02-30",
    "2024-02-29T23:59:59.999-23:59",
    "0000-01-01T00:00:00.000+23:59",
    "9999-12-31T23:59:59.9999999999Z",
    "2024-01-01T24:00:00Z",
    "2024-01-01T00:00:00.Z",
    "2024-01-01t00:00:00z",
    "2024-13-01",
    "-001-01-01",
    "\u{0}",
    "\u{7f}",
    "\u{1b}[31m",
    "\u{202e}rtl",
    "\u{feff}",
    "\u{fffd}",
    "\u{10ffff}",
    "\u{1F600}",
    "e\u{301}",
    "\u{fb01}",
    "\u{df}",
    "\u{130}",
    "\u{3a3}\u{3c2}",
    "\\",
    "\"",
    "\n",
    "\t",
    "a.b.c",
    ".",
    "..",
    "a..b",
    ".a",
    "a.",
    "0",
    "00",
    "-1",
    "4294967296",
    "id",
    "name",
    "type",
    "dir",
    "filename",
    "hidden",
    "annotated",
    "createdAt",
    "metadata",
    "metadata.system.refs",
    "metadata.system.refs.id",
    "metadata.system.refs.0.id",
    "metadata.system.refs.metadata.status",
    "metadata.system.annotationStatus",
    "metadata.system.size",
    "metadata.user",
    "label",
    "file",
    "annotation",
    "qa",
    "items",
    "annotations",
    "completed",
    "discard",
    "ascending",
    "descending",
    "annotator1@demo.annotask",
    "ANNOTATOR1@DEMO.ANNOTASK ",
];

const OPERATORS: &[&str] = &[
    "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists", "$match", "$near",
    "$and", "$or", "$",
];

const FIELDS: &[&str] = &[
    "id",
    "name",
    "type",
    "dir",
    "filename",
    "hidden",
    "annotated",
    "createdAt",
    "label",
    "metadata.system.size",
    "metadata.system.mimetype",
    "metadata.system.refs",
    "metadata.system.refs.id",
    "metadata.system.refs.0.id",
    "metadata.system.refs.metadata.status",
    "metadata.system.annotationStatus",
    "metadata.user",
    "metadata.user.a",
    "a.b",
    "",
    ".",
    "$x",
];

const NUMBERS: &[i64] = &[
    0,
    1,
    -1,
    2,
    3,
    4,
    50,
    100,
    101,
    1000,
    1001,
    i64::MIN,
    i64::MAX,
    1_899_417_600_000,
];

const FLOATS: &[f64] = &[
    0.5,
    -0.0,
    1e308,
    -1e308,
    f64::MIN_POSITIVE,
    5e-324,
    1e15,
    1e16,
    99.99999999,
    33.3,
    33.4,
    2.5,
    1_899_417_600_000.0,
    9_007_199_254_740_993.0,
];

/// Byte sequences spliced into JSON text: huge numbers, NaN, lone surrogates, invalid UTF-8.
const TOKENS: &[&[u8]] = &[
    b"1e400",
    b"-1e400",
    b"123456789012345678901234567890",
    b"NaN",
    b"Infinity",
    b"-",
    b"[",
    b"{",
    b"}",
    b"]",
    b",",
    b":",
    b"\"",
    b"\\",
    b"\"\\ud800\"",
    b"\"\\udfff\\ud800\"",
    b"\"\\u0000\"",
    b"\xff",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\x00",
    b"null",
    b"true",
    b"{\"$and\":[",
    b"{\"$match\":{",
];

const EMAILS: &[&str] = &[
    "annotator1@demo.annotask",
    "ANNOTATOR2@demo.annotask ",
    "manager@demo.annotask",
    "owner@demo.annotask",
    "viewer@demo.annotask",
    "nobody@example.com",
    "",
];

/// Builds one case's input from the seed proptest draws (SplitMix64). proptest's composed
/// strategies spend most of a debug build's time generating; this keeps 100,000 cases within
/// seconds. A failure reports the seed, and the assertions print the input.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, list: &[T]) -> T {
        list[self.below(list.len())]
    }

    /// Any char: ASCII with controls, the BMP, astral planes, anything at all.
    fn any_char(&mut self) -> char {
        let code = match self.below(4) {
            0 => self.below(0x80),
            1 => self.below(0x800),
            2 => 0x10000 + self.below(0x10_0000),
            _ => self.below(0x11_0000),
        };
        char::from_u32(code as u32).unwrap_or('\u{fffd}')
    }

    /// Odd strings: DQL words, dates, numbers as text, any Unicode, now and then a few KiB.
    fn odd_string(&mut self) -> String {
        if self.chance(8) {
            let n = 1 + self.below(64);
            return self.pick(ODD_STRINGS).repeat(n);
        }
        self.short_string()
    }

    /// Like [`Gen::odd_string`] without the long ones (glob patterns: matching is
    /// proportional to pattern × text).
    fn short_string(&mut self) -> String {
        const CHARS: &[char] = &['a', 'b', 'c', '*', '.', '/', '$', '0', '9', ' '];
        match self.below(8) {
            0..=3 => self.pick(ODD_STRINGS).to_owned(),
            4 | 5 => (0..self.below(13)).map(|_| self.pick(CHARS)).collect(),
            _ => (0..self.below(10)).map(|_| self.any_char()).collect(),
        }
    }

    fn number(&mut self) -> Value {
        match self.below(5) {
            0 => Value::from(self.next() as i64),
            1 => Value::from(self.next()),
            2 => Value::from(self.pick(NUMBERS)),
            // Any bit pattern; NaN and the infinities are not JSON and become null.
            3 => Value::from(f64::from_bits(self.next())),
            _ => Value::from(self.pick(FLOATS)),
        }
    }

    fn leaf(&mut self) -> Value {
        match self.below(7) {
            0 => Value::Null,
            1 => Value::Bool(self.chance(50)),
            2 | 3 => self.number(),
            _ => Value::String(self.odd_string()),
        }
    }

    /// Object keys: mostly DQL keys and field paths, sometimes anything.
    fn key(&mut self) -> String {
        if self.chance(75) {
            self.pick(ODD_STRINGS).to_owned()
        } else {
            self.odd_string()
        }
    }

    /// Any JSON value, up to `depth` levels deep.
    fn json(&mut self, depth: usize) -> Value {
        if depth == 0 || self.chance(40) {
            return self.leaf();
        }
        let n = self.below(6);
        if self.chance(50) {
            Value::Array((0..n).map(|_| self.json(depth - 1)).collect())
        } else {
            Value::Object((0..n).map(|_| (self.key(), self.json(depth - 1))).collect())
        }
    }

    fn field(&mut self) -> String {
        if self.chance(80) {
            self.pick(FIELDS).to_owned()
        } else {
            self.odd_string()
        }
    }

    /// An operand: scalars, small lists, any JSON.
    fn operand(&mut self) -> Value {
        match self.below(7) {
            0..=3 => self.leaf(),
            4 | 5 => Value::Array((0..self.below(4)).map(|_| self.leaf()).collect()),
            _ => self.json(3),
        }
    }

    /// One field clause: `{f: v}`, `{f: {"$op": v}}` or `{f: {"$op1": v1, "$op2": v2}}`.
    fn clause(&mut self) -> Value {
        let field = self.field();
        let operand = if self.chance(40) {
            self.operand()
        } else {
            let ops: Map<String, Value> = (0..1 + self.below(2))
                .map(|_| {
                    // Mostly the known operators, so that strict parsing often succeeds.
                    let op = if self.chance(85) {
                        self.pick(&OPERATORS[..10])
                    } else {
                        self.pick(OPERATORS)
                    };
                    (op.to_owned(), self.operand())
                })
                .collect();
            Value::Object(ops)
        };
        single(field, operand)
    }

    /// DQL-shaped filters: clauses, `$and`/`$or` lists, merged objects, `$match` operands.
    fn filter(&mut self, depth: usize) -> Value {
        if depth == 0 || self.chance(35) {
            return self.clause();
        }
        match self.below(5) {
            0 => {
                json!({"$and": (0..self.below(5)).map(|_| self.filter(depth - 1)).collect::<Vec<_>>()})
            }
            1 => {
                json!({"$or": (0..self.below(5)).map(|_| self.filter(depth - 1)).collect::<Vec<_>>()})
            }
            2 => {
                let mut merged = Map::new();
                for _ in 0..1 + self.below(3) {
                    if let Value::Object(map) = self.filter(depth - 1) {
                        merged.extend(map);
                    }
                }
                Value::Object(merged)
            }
            3 => {
                let field = self.field();
                single(field, json!({"$match": self.filter(depth - 1)}))
            }
            _ => {
                let field = self.field();
                let nested = single(field, self.filter(depth - 1));
                json!({"metadata.system.refs": {"$match": nested}})
            }
        }
    }

    /// A whole DQL query object, with optional sort, paging, join and extra keys.
    fn query(&mut self) -> Value {
        let mut query = Map::new();
        let filter = if self.chance(80) {
            self.filter(5)
        } else {
            self.json(6)
        };
        query.insert("filter".into(), filter);
        if self.chance(30) {
            let sort: Map<String, Value> = (0..self.below(3))
                .map(|_| {
                    let dir = match self.below(3) {
                        0 => json!("ascending"),
                        1 => json!("descending"),
                        _ => self.leaf(),
                    };
                    (self.field(), dir)
                })
                .collect();
            query.insert("sort".into(), Value::Object(sort));
        }
        for key in ["page", "pageSize", "resource"] {
            if self.chance(30) {
                let value = match (key, self.below(3)) {
                    ("resource", 0) => json!("items"),
                    ("resource", 1) => json!("annotations"),
                    (_, 2) => self.leaf(),
                    _ => self.number(),
                };
                query.insert(key.into(), value);
            }
        }
        if self.chance(20) {
            let on = match self.below(3) {
                0 => json!({"resource": "annotations", "local": "itemId", "forigen": "id"}),
                1 => json!({"resource": "items", "local": "id", "forigen": "itemId"}),
                _ => self.json(3),
            };
            let mut join = Map::new();
            join.insert("on".into(), on);
            if self.chance(80) {
                join.insert("filter".into(), self.filter(3));
            }
            query.insert("join".into(), Value::Object(join));
        }
        if self.chance(10) {
            let (key, value) = (self.key(), self.json(3));
            query.entry(key).or_insert(value);
        }
        Value::Object(query)
    }

    /// A document like the server's items (refs, statuses, user metadata), fields dropped or
    /// replaced by anything at random; now and then any JSON at all.
    fn document(&mut self) -> Value {
        if self.chance(20) {
            return self.json(6);
        }
        let mut item = Map::new();
        item.insert("id".into(), self.leaf());
        if self.chance(80) {
            let filename = match self.below(3) {
                0 => json!("/folder1/a.jpg"),
                1 => json!("/folder1/sub/b.png"),
                _ => self.leaf(),
            };
            item.insert("filename".into(), filename.clone());
            item.insert("name".into(), filename);
        }
        for (key, usual) in [
            ("type", json!("file")),
            ("hidden", json!(false)),
            ("createdAt", json!("2024-01-01T00:00:00.000Z")),
            ("dir", json!("/folder1")),
        ] {
            match self.below(4) {
                0 => {}
                1 => {
                    let odd = self.leaf();
                    item.insert(key.into(), odd);
                }
                _ => {
                    item.insert(key.into(), usual);
                }
            }
        }
        if self.chance(85) {
            let mut system = Map::new();
            system.insert("mimetype".into(), json!("image/jpeg"));
            if self.chance(70) {
                system.insert("size".into(), self.number());
            }
            if self.chance(80) {
                let refs = if self.chance(85) {
                    Value::Array((0..self.below(4)).map(|_| self.reference()).collect())
                } else {
                    self.json(3)
                };
                system.insert("refs".into(), refs);
            }
            if self.chance(50) {
                let statuses = (0..self.below(3)).map(|_| self.leaf()).collect();
                system.insert("annotationStatus".into(), Value::Array(statuses));
            }
            let mut metadata = Map::new();
            metadata.insert("system".into(), Value::Object(system));
            if self.chance(50) {
                metadata.insert("user".into(), self.json(3));
            }
            item.insert("metadata".into(), Value::Object(metadata));
        }
        Value::Object(item)
    }

    fn reference(&mut self) -> Value {
        let kind = match self.below(3) {
            0 => json!("task"),
            1 => json!("assignment"),
            _ => self.leaf(),
        };
        let id = match self.below(3) {
            0 => json!("T1"),
            1 => json!("A1"),
            _ => self.leaf(),
        };
        let mut reference = json!({"type": kind, "id": id});
        match self.below(4) {
            0 => {}
            1 => reference["metadata"] = json!({"status": "completed"}),
            2 => reference["metadata"] = json!({}),
            _ => reference["metadata"] = self.json(2),
        }
        reference
    }

    /// An e-mail, or any scalar `sloppy` % of the time.
    fn email(&mut self, sloppy: u64) -> Value {
        if self.chance(sloppy) {
            self.leaf()
        } else {
            Value::from(self.pick(EMAILS))
        }
    }

    /// A string, or any scalar `sloppy` % of the time.
    fn text(&mut self, sloppy: u64) -> Value {
        if self.chance(sloppy) {
            self.leaf()
        } else {
            Value::String(self.odd_string())
        }
    }

    /// `typed`, or any JSON `percent` % of the time.
    fn or_anything(&mut self, percent: u64, typed: impl FnOnce(&mut Gen) -> Value) -> Value {
        if self.chance(percent) {
            self.json(4)
        } else {
            typed(self)
        }
    }

    /// A create-task body: each known key present or not; in half the bodies every key is
    /// well typed, in the other half each is anything at all 15 % of the time.
    fn payload(&mut self) -> Value {
        let sloppy = if self.chance(50) { 15 } else { 0 };
        let mut body = Map::new();
        let keys = [
            "name",
            "query",
            "taskOwner",
            "spec",
            "datasetId",
            "projectId",
            "recipeId",
            "dueDate",
            "workload",
            "priority",
            "limit",
            "availableActions",
            "metadata",
            "emptyTask",
            "description",
            "asynced",
            "assignmentIds",
            "checkIfExist",
        ];
        for key in keys {
            if !self.chance(70) {
                continue;
            }
            let value = self.or_anything(sloppy, |g| match key {
                "name" if g.chance(50) => json!("task"),
                "name" => Value::String(g.odd_string()),
                "query" => {
                    let query = g.query();
                    match g.below(3) {
                        0 => Value::String(query.to_string()),
                        1 => Value::String(python_json::dumps(&query)),
                        _ => query,
                    }
                }
                "taskOwner" => g.email(sloppy),
                "spec" => {
                    let kind = match g.below(3) {
                        0 => json!("annotation"),
                        1 => json!("qa"),
                        _ => g.text(sloppy),
                    };
                    let mut spec = json!({"type": kind});
                    if g.chance(50) {
                        spec["parentTaskId"] = if g.chance(50) { json!("T1") } else { g.text(sloppy) };
                    }
                    spec
                }
                "datasetId" | "projectId" | "recipeId" if g.chance(70) => json!("6592008000000000000000aa"),
                "dueDate" if g.chance(50) => json!(1_899_417_600_000.0),
                "priority" if g.chance(50) => json!(2),
                "dueDate" | "priority" | "limit" => g.number(),
                "workload" if g.chance(40) => json!([
                    {"assigneeId": "annotator1@demo.annotask", "load": 50},
                    {"assigneeId": "annotator2@demo.annotask", "load": 50},
                ]),
                "workload" => Value::Array(
                    (0..g.below(5))
                        .map(|_| {
                            let load = if g.chance(sloppy) { g.leaf() } else { g.number() };
                            json!({"assigneeId": g.email(sloppy), "load": load})
                        })
                        .collect(),
                ),
                "availableActions" => Value::Array(
                    (0..g.below(4))
                        .map(|_| {
                            json!({"action": g.text(sloppy), "displayName": g.text(sloppy), "color": g.text(sloppy), "icon": g.text(sloppy)})
                        })
                        .collect(),
                ),
                "metadata" => {
                    let mut system = Map::new();
                    for key in ["batchSize", "maxBatchWorkload"] {
                        if g.chance(50) {
                            system.insert(key.into(), g.number());
                        }
                    }
                    if g.chance(50) {
                        let allowed = (0..g.below(4)).map(|_| g.email(sloppy)).collect();
                        system.insert("allowedAssignees".into(), Value::Array(allowed));
                    }
                    json!({"system": system, "user": g.json(3)})
                }
                "emptyTask" | "asynced" => Value::Bool(g.chance(50)),
                "assignmentIds" => json!([]),
                "checkIfExist" => json!({"query": g.query()}),
                _ => g.leaf(),
            });
            body.insert(key.to_owned(), value);
        }
        if self.chance(10) {
            let (key, value) = (self.key(), self.json(3));
            body.entry(key).or_insert(value);
        }
        Value::Object(body)
    }

    /// Valid JSON text made malformed: bytes cut out or spliced in, truncated.
    fn mutate(&mut self, text: String) -> Vec<u8> {
        let mut bytes = text.into_bytes();
        for _ in 0..self.below(4) {
            let at = self.below(bytes.len() + 1);
            if self.chance(25) {
                let end = (at + self.below(8)).min(bytes.len());
                bytes.drain(at..end);
            } else {
                let token = self.pick(TOKENS);
                bytes.splice(at..at, token.iter().copied());
            }
        }
        if self.chance(50) {
            let keep = self.below(bytes.len() + 1);
            bytes.truncate(keep);
        }
        bytes
    }
}

/// `{key: value}`.
fn single(key: String, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key, value);
    Value::Object(map)
}

// ---------------------------------------------------------------------------------------
// What every parsed query goes through
// ---------------------------------------------------------------------------------------

/// Prints, re-parses, validates and evaluates a parsed query; panics only on a bug.
fn exercise_query(query: &Query) {
    let printed = query.to_json();
    let text = query.to_python_string();
    // What the server stores is what it reads back (up to serde_json's float parsing,
    // which without its `float_roundtrip` feature may land one ulp off).
    let reread = Query::parse_str_lenient(&text).expect("a printed query parses");
    assert!(same_json(&reread.to_json(), &printed), "{text}");
    let _ = validate::query_issues(query);
    let _ = validate::validate_query_limits(query);
    let sample = json!({"id": "i", "hidden": false, "type": "file", "metadata": {"system": {"refs": [{"type": "task", "id": "T1"}]}}});
    let annotations = [json!({"label": "cat", "type": "box"})];
    check_compiled(query, &query.compile(), &sample, &annotations);
}

/// The compiled query answers as the reference (which must not panic either).
fn check_compiled(query: &Query, compiled: &CompiledQuery, item: &Value, annotations: &[Value]) {
    assert_eq!(
        compiled.matches_item(item, annotations),
        query.matches_item(item, annotations),
        "compiled and reference disagree: {} on {item}",
        query.to_json()
    );
}

/// Equality of JSON values with floats compared to within a few ulps.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, p), (l, q))| k == l && same_json(p, q))
        }
        _ => a == b,
    }
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(ARBITRARY_FILTERS, 1))]

    /// Arbitrary JSON as a filter and as a query: strict parsing fails cleanly or gives a tree
    /// that prints, validates and evaluates; lenient parsing always prints back what it read.
    #[test]
    fn dql_parsers_take_arbitrary_json(seed in any::<u64>()) {
        let value = Gen(seed).json(6);
        let lenient = FilterNode::parse_lenient(&value);
        prop_assert_eq!(&lenient.to_json(), &value);
        if let Ok(strict) = FilterNode::parse(&value) {
            prop_assert_eq!(&strict.to_json(), &value);
        }
        let _ = match_filter(&value);
        for candidate in [value.clone(), json!({"filter": value}), json!({"filter": {}, "join": value})] {
            // Strict success implies the same tree leniently (the shaped-queries property
            // checks that), so the lenient tree needs exercising only when strict failed.
            match Query::parse(&candidate) {
                Ok(query) => exercise_query(&query),
                Err(_) => {
                    if let Ok(query) = Query::parse_lenient(&candidate) {
                        exercise_query(&query);
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config(SHAPED_QUERIES, 2))]

    /// DQL-shaped queries (known and unknown operators, groups, `$match`, sort, paging, joins).
    #[test]
    fn dql_shaped_queries_parse_print_and_validate(seed in any::<u64>()) {
        let value = Gen(seed).query();
        let strict = Query::parse(&value);
        let lenient = Query::parse_lenient(&value);
        if let Ok(query) = &strict {
            exercise_query(query);
            // Strict success implies lenient success with the same tree.
            prop_assert_eq!(lenient.as_ref().ok(), Some(query));
        }
        if let Ok(query) = &lenient {
            exercise_query(query);
        }
        // The filter alone prints back exactly (key order included).
        if let Some(filter) = value.get("filter") {
            prop_assert_eq!(&FilterNode::parse_lenient(filter).to_json(), filter);
        }
    }
}

proptest! {
    #![proptest_config(config(TEXT_MUTATIONS, 3))]

    /// Malformed JSON text (truncations, splices, huge numbers, NaN, lone surrogates, invalid
    /// UTF-8) as a query string and as a whole task payload.
    #[test]
    fn malformed_text_is_an_error_not_a_panic(seed in any::<u64>()) {
        let mut gen = Gen(seed);
        let text = match gen.below(3) {
            0 => gen.query().to_string(),
            1 => python_json::dumps(&gen.query()),
            _ => gen.payload().to_string(),
        };
        let bytes = gen.mutate(text);
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(query) = Query::parse_str(&text) {
            exercise_query(&query);
        }
        if let Ok(query) = Query::parse_str_lenient(&text) {
            exercise_query(&query);
        }
        if let Ok(payload) = serde_json::from_slice::<CreateTaskPayload>(&bytes) {
            exercise_payload(&payload);
        }
        let _ = serde_json::from_slice::<TaskDraft>(&bytes);
        let _ = serde_json::from_slice::<Task>(&bytes);
    }
}

fn context_members() -> Vec<Member> {
    [
        ("annotator1@demo.annotask", "annotator"),
        ("annotator2@demo.annotask", "annotator"),
        ("manager@demo.annotask", "annotationManager"),
        ("owner@demo.annotask", "owner"),
        ("viewer@demo.annotask", "viewer"),
    ]
    .iter()
    .map(|(email, role)| {
        serde_json::from_value(json!({"id": email, "email": email, "role": role})).unwrap()
    })
    .collect()
}

fn context_tasks() -> Vec<Task> {
    vec![serde_json::from_value(json!({"id": "T1", "name": "parent", "query": "{}"})).unwrap()]
}

/// Everything the server does with a decoded payload before touching the database.
fn exercise_payload(payload: &CreateTaskPayload) {
    let members = context_members();
    let tasks = context_tasks();
    let ctx = ValidationContext::new(1_700_000_000_000.0)
        .with_members(&members)
        .with_tasks(&tasks);
    let (draft, _) = payload.to_draft();
    let _ = validate::validate(&draft, &ctx);
    let _ = payload.validate(&ctx);
    let _ = payload.validate(&ValidationContext::new(f64::NAN));
    let effective = draft.effective_query();
    exercise_query(&effective);
    let _ = draft.to_payload();
    let _ = serde_json::to_value(payload).expect("a payload serializes");
    let loads = draft.loads();
    for n in [0usize, 1, 7, 100_000] {
        check_split(n, &loads);
    }
    // The app keeps drafts in localStorage. Reading one back can fail (a query near
    // serde_json's depth limit is nested deeper inside the draft), but never panics.
    let saved = serde_json::to_string(&draft).expect("a draft serializes");
    let _ = serde_json::from_str::<TaskDraft>(&saved);
}

/// The server's item split: consecutive ranges covering every item exactly once.
fn check_split(n: usize, loads: &[f64]) {
    let ranges = workload::allocation_ranges(n, loads);
    assert_eq!(ranges.len(), loads.len());
    if loads.is_empty() {
        return;
    }
    let mut next = 0;
    for range in &ranges {
        assert_eq!(range.start, next, "{loads:?}");
        next = range.end;
    }
    assert_eq!(
        next, n,
        "items lost or duplicated by the split of {n} over {loads:?}"
    );
}

proptest! {
    #![proptest_config(config(PAYLOADS, 4))]

    /// Task bodies with every field well typed or not; then the split over any loads.
    #[test]
    fn task_payloads_decode_or_fail_cleanly(seed in any::<u64>()) {
        let mut gen = Gen(seed);
        let body = gen.payload();
        let loads: Vec<f64> = (0..gen.below(6))
            .map(|_| match gen.below(3) {
                0 => f64::from_bits(gen.next()),
                _ => gen.number().as_f64().unwrap_or(0.0),
            })
            .collect();
        let n = gen.below(5000);
        match serde_json::from_value::<CreateTaskPayload>(body.clone()) {
            Ok(payload) => exercise_payload(&payload),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        let text = body.to_string();
        let from_text = serde_json::from_str::<CreateTaskPayload>(&text);
        prop_assert_eq!(from_text.is_ok(), serde_json::from_value::<CreateTaskPayload>(body.clone()).is_ok());
        // The same body as the app's saved draft and as a stored task.
        let _ = serde_json::from_value::<TaskDraft>(body.clone());
        if let Ok(task) = serde_json::from_value::<Task>(body) {
            let _ = serde_json::to_value(&task);
        }
        check_split(n, &loads);
    }
}

/// The checks of a total order on three documents.
fn check_total_order(sort: &[(String, SortDir)], a: &Value, b: &Value, c: &Value) {
    let ab = compare_items(sort, a, b);
    assert_eq!(
        ab,
        compare_items(sort, b, a).reverse(),
        "antisymmetry: {a} {b}"
    );
    assert_eq!(compare_items(sort, a, a), Ordering::Equal);
    let bc = compare_items(sort, b, c);
    let ac = compare_items(sort, a, c);
    if ab != Ordering::Greater && bc != Ordering::Greater {
        assert_ne!(ac, Ordering::Greater, "transitivity: {a} {b} {c}");
    }
    if ab != Ordering::Less && bc != Ordering::Less {
        assert_ne!(ac, Ordering::Less, "transitivity: {a} {b} {c}");
    }
}

proptest! {
    #![proptest_config(config(EVALUATIONS, 5))]

    /// Random queries against random items and annotations: matching, dot paths, globs,
    /// dates and sorting never panic, and the sort order stays total.
    #[test]
    fn evaluator_takes_random_queries_and_items(seed in any::<u64>()) {
        let mut gen = Gen(seed);
        let query = if gen.chance(75) { gen.query() } else { gen.json(6) };
        let docs: Vec<Value> = (0..1 + gen.below(4)).map(|_| gen.document()).collect();
        let annotations: Vec<Vec<Value>> = (0..4)
            .map(|_| (0..gen.below(3)).map(|_| gen.json(4)).collect())
            .collect();
        let path = gen.field();
        let pattern = gen.short_string();
        let text = gen.odd_string();
        let parsed = Query::parse_lenient(&query).ok().into_iter().chain(Query::parse(&query).ok());
        for query in parsed {
            let compiled = query.compile();
            for (i, doc) in docs.iter().enumerate() {
                check_compiled(&query, &compiled, doc, &annotations[i % annotations.len()]);
                check_compiled(&query, &compiled, doc, &[]);
            }
            let mut sorted = docs.clone();
            query.sort_items(&mut sorted);
            let last = docs.len() - 1;
            check_total_order(&query.sort, &docs[0], &docs[last / 2], &docs[last]);
        }
        for doc in &docs {
            let _ = values_at(doc, &path);
        }
        let by_path = vec![(path.clone(), SortDir::Ascending)];
        let last = docs.len() - 1;
        check_total_order(&by_path, &docs[0], &docs[last / 2], &docs[last]);
        for field in ["filename", "dir", "name"] {
            prop_assert_eq!(
                FieldGlob::new(field, &pattern).matches(&text),
                field_glob_matches(field, &pattern, &text)
            );
        }
        for path_aware in [false, true] {
            prop_assert_eq!(
                Glob::new(&pattern, path_aware).matches(&text),
                glob_matches(&pattern, &text, path_aware)
            );
        }
        if let Some(ms) = iso8601::parse_millis(&text) {
            let _ = iso8601::format_millis(ms);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Nesting
// ---------------------------------------------------------------------------------------

/// `{"$and": [{"$and": [ ... {"a": 1} ... ]}]}` with `levels` nested groups.
fn nested_groups(levels: usize) -> String {
    let mut text = String::with_capacity(levels * 12 + 8);
    for _ in 0..levels {
        text.push_str("{\"$and\": [");
    }
    text.push_str("{\"a\": 1}");
    for _ in 0..levels {
        text.push_str("]}");
    }
    text
}

/// `{"refs": {"$match": {"a": {"a": ... {"$exists": true} ...}}}}`: nested `$match` objects.
fn nested_match(levels: usize) -> String {
    let mut text = String::from("{\"refs\": {\"$match\": ");
    for _ in 0..levels {
        text.push_str("{\"a\": ");
    }
    text.push_str("{\"$exists\": true}");
    for _ in 0..levels {
        text.push('}');
    }
    text.push_str("}}");
    text
}

/// The largest `levels` whose text serde_json still accepts as a query's filter.
fn deepest_accepted(make: fn(usize) -> String) -> usize {
    let accepted = |levels: usize| {
        let text = format!("{{\"filter\": {}}}", make(levels));
        serde_json::from_str::<Value>(&text).is_ok()
    };
    let mut levels = 1;
    while accepted(levels + 1) {
        levels += 1;
        assert!(levels < 1000, "serde_json's recursion limit is gone");
    }
    levels
}

/// Half the 2 MiB that test threads, tokio's blocking pool and `std::thread` get by default.
/// In a debug build the deepest query serde_json accepts needs about 0.4 MiB to parse
/// (serde_json's own parse of the text takes about as much) and 0.5 MiB to validate and
/// evaluate; a release build needs far less.
const SMALL_STACK: usize = 1024 * 1024;

/// Runs `work` on a thread with [`SMALL_STACK`], so a recursion that grows with the input
/// shows up as a crash here first.
fn on_small_stack(work: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(work)
        .unwrap()
        .join()
        .expect("the work panicked");
}

#[test]
fn deepest_accepted_query_parses_and_evaluates_on_a_small_stack() {
    for make in [nested_groups as fn(usize) -> String, nested_match] {
        let levels = deepest_accepted(make);
        assert!(levels > 30, "{levels}");
        let text = format!("{{\"filter\": {}}}", make(levels));
        on_small_stack(move || {
            let query = Query::parse_str(&text).expect("the deepest accepted query is valid");
            exercise_query(&query);
            let doc = json!({"a": 1, "refs": [{"a": {"a": 1}}]});
            check_compiled(&query, &query.compile(), &doc, &[]);
            let payload = json!({"name": "deep", "query": text});
            let payload: CreateTaskPayload = serde_json::from_value(payload).unwrap();
            exercise_payload(&payload);
        });
    }
}

#[test]
fn ten_thousand_levels_are_an_error_not_a_crash() {
    for make in [nested_groups as fn(usize) -> String, nested_match] {
        let text = format!("{{\"filter\": {}}}", make(10_000));
        on_small_stack(move || {
            let err = Query::parse_str(&text).unwrap_err();
            assert!(err.to_string().contains("recursion limit"), "{err}");
            assert!(Query::parse_str_lenient(&text).is_err());
            let payload = json!({"name": "deep", "query": text}).to_string();
            let payload: CreateTaskPayload = serde_json::from_str(&payload).unwrap();
            let (_, errors) = payload.to_draft();
            assert!(
                errors
                    .iter()
                    .any(|e| e.field == "query" && e.message.contains("recursion limit")),
                "{errors:?}"
            );
            // The same depth as the body itself.
            let body = format!("{{\"name\": \"deep\", \"metadata\": {}}}", make(10_000));
            let err = serde_json::from_str::<CreateTaskPayload>(&body).unwrap_err();
            assert!(err.to_string().contains("recursion limit"), "{err}");
        });
    }
}
