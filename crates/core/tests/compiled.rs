//! The compiled evaluator ([`Query::compile`]) gives exactly the answers of the reference
//! ([`annotask_core::dql::matches`], [`Query::matches_item`]) on random filters and documents.
//!
//! Filters and documents draw their keys and values from one small vocabulary, so conditions
//! reach values and match about as often as not; the vocabulary holds what the evaluator
//! treats specially: numbers that are equal across types (`1`, `1.0`, `-0.0`, integers beyond
//! 2^53), dates written two ways for one instant, paths with `/` for globs, array indices as
//! keys, arrays of objects and arrays of arrays. `$in` lists are long enough now and then to
//! take the compiled form's hash sets.

use annotask_core::dql::{matches, values_at, FilterNode, GroupOp, Join, JoinOn, Operator, Query};
use annotask_core::iso8601;
use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, RngSeed};
use serde_json::{json, Map, Value};

/// Few keys, so that paths often reach something.
const KEYS: &[&str] = &["a", "b", "0", "1", "filename", "tags"];

/// A small set of values, so that operands often equal what documents hold, with what the
/// evaluator treats specially: numbers equal across types, integers beyond 2^53 (exact with
/// each other, by value with floats), one instant spelled two ways, paths for globs.
fn scalars() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(false),
        json!(0),
        json!(1),
        json!(2),
        json!(-0.0),
        json!(1.0),
        json!(2.0),
        json!(2.5),
        json!(9_007_199_254_740_993u64),
        json!(9_007_199_254_740_992u64),
        json!(9_007_199_254_740_992.0),
        json!(""),
        json!("a"),
        json!("a/b"),
        json!("/f/a.jpg"),
        json!("/f/sub/b.png"),
        json!("é"),
        json!("2024-01-01T00:00:00.000Z"),
        json!("2024-01-01T01:00:00+01:00"),
        json!("2024-01-02"),
    ]
}

/// Glob operands: with `/` or not, one star or several, crossing `/` or not.
const GLOBS: &[&str] = &[
    "*",
    "a*",
    "*b",
    "*a*",
    "a*b",
    "*.jpg",
    "/f/*",
    "/f/**",
    "**.png",
    "/*/",
    "*/*",
    "é*",
    "2024-01-0*",
    "a**b*",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop::sample::select(scalars())
}

/// A document value: scalars, arrays (of objects too) and objects over [`KEYS`].
fn doc_value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..4).prop_map(|entries| {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect(),
                )
            }),
        ]
    })
}

/// A document: an object with a few keys.
fn document() -> impl Strategy<Value = Value> {
    let value = prop_oneof![2 => scalar(), 1 => doc_value()];
    prop::collection::vec((prop::sample::select(KEYS), value), 1..7).prop_map(|entries| {
        Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    })
}

/// A dot path of one to three keys, mostly short.
fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(KEYS).prop_map(str::to_owned),
        2 => prop::collection::vec(prop::sample::select(KEYS), 2..4).prop_map(|keys| keys.join(".")),
    ]
}

/// A list operand: strings, numbers or anything, sometimes longer than
/// `HASHED_LIST_MIN`.
fn list() -> impl Strategy<Value = Value> {
    let strings: Vec<Value> = scalars().into_iter().filter(Value::is_string).collect();
    let numbers: Vec<Value> = scalars().into_iter().filter(Value::is_number).collect();
    prop_oneof![
        prop::collection::vec(prop::sample::select(strings), 0..16),
        prop::collection::vec(prop::sample::select(numbers), 0..16),
        prop::collection::vec(doc_value(), 0..14),
    ]
    .prop_map(Value::Array)
}

/// An operand for any operator: scalars, globs, lists, arrays and objects.
fn operand() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => scalar(),
        2 => prop::sample::select(GLOBS).prop_map(Value::from),
        2 => list(),
        1 => doc_value(),
    ]
}

/// A `$match` operand: fields with values, operator objects or nested objects.
fn match_operand() -> impl Strategy<Value = Value> {
    let field_value = prop_oneof![
        scalar(),
        prop::sample::select(GLOBS).prop_map(Value::from),
        any::<bool>().prop_map(|b| json!({"$exists": b})),
        list().prop_map(|l| json!({"$in": l})),
        scalar().prop_map(|v| json!({"$gte": v})),
        scalar().prop_map(|v| json!({"$ne": v})),
    ];
    let nested = field_value.prop_recursive(2, 8, 3, |inner| {
        prop::collection::vec((prop::sample::select(KEYS), inner), 1..3).prop_map(|entries| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
            )
        })
    });
    prop_oneof![
        prop::collection::vec((prop::sample::select(KEYS), nested), 0..3).prop_map(|entries| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect::<Map<_, _>>(),
            )
        }),
        // Not an object: matches nothing.
        scalar(),
    ]
}

fn condition() -> impl Strategy<Value = FilterNode> {
    prop_oneof![
        6 => (path(), prop::sample::select(Operator::ALL.to_vec()), operand())
            .prop_map(|(field, operator, value)| FilterNode::condition(field, operator, value)),
        1 => (path(), match_operand())
            .prop_map(|(field, value)| FilterNode::condition(field, Operator::Match, value)),
        1 => (path(), any::<bool>())
            .prop_map(|(field, b)| FilterNode::condition(field, Operator::Exists, json!(b))),
        1 => Just(FilterNode::Raw(json!({"a": {"$near": 1}}))),
    ]
}

/// Every value in `docs` (containers included) with its variants: the same number as an
/// integer and as a float, the same instant spelled as the evaluator prints it, globs cut
/// from strings.
fn values_in(docs: &[Value]) -> Vec<Value> {
    fn walk(value: &Value, out: &mut Vec<Value>) {
        out.push(value.clone());
        match value {
            Value::Array(items) => items.iter().for_each(|item| walk(item, out)),
            Value::Object(map) => map.values().for_each(|item| walk(item, out)),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    out.push(json!(i as f64));
                } else if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1e15) {
                    out.push(json!(f as i64));
                }
            }
            Value::String(text) => {
                if let Some(ms) = iso8601::parse_millis(text) {
                    out.push(json!(iso8601::format_millis(ms)));
                }
                let chars: Vec<char> = text.chars().collect();
                let cut = chars.len() / 2;
                let (head, tail): (String, String) =
                    (chars[..cut].iter().collect(), chars[cut..].iter().collect());
                out.push(json!(format!("{head}*")));
                out.push(json!(format!("*{tail}")));
                out.push(json!(format!("{head}**")));
                if let Some((dir, _)) = text.rsplit_once('/') {
                    out.push(json!(format!("{dir}/*")));
                    out.push(json!(format!("{dir}/**")));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    docs.iter().for_each(|doc| walk(doc, &mut out));
    out
}

/// `value` spelled differently but equal as the evaluator compares: integers as floats and
/// back, dates as the evaluator prints them, object keys in reverse order.
fn variant(value: &Value) -> Value {
    match value {
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) if i.unsigned_abs() < 1 << 53 => json!(i as f64),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => json!(f as i64),
            _ => value.clone(),
        },
        Value::String(text) => match iso8601::parse_millis(text) {
            Some(ms) => json!(iso8601::format_millis(ms)),
            None => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(variant).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .rev()
                .map(|(key, item)| (key.clone(), variant(item)))
                .collect(),
        ),
        _ => value.clone(),
    }
}

/// The dot paths that reach something in `docs`, through arrays of objects and by index.
fn paths_in(docs: &[Value]) -> Vec<String> {
    fn walk(value: &Value, prefix: &str, out: &mut Vec<String>) {
        let join = |key: &str| {
            if prefix.is_empty() {
                key.to_owned()
            } else {
                format!("{prefix}.{key}")
            }
        };
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let path = join(key);
                    out.push(path.clone());
                    walk(child, &path, out);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if !prefix.is_empty() {
                        out.push(join(&i.to_string()));
                    }
                    // Paths go on through the elements that are objects, with and without
                    // an index.
                    walk(item, prefix, out);
                    walk(item, &join(&i.to_string()), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    docs.iter().for_each(|doc| walk(doc, "", &mut out));
    out
}

/// `$match` conditions that match something in `docs`: a path reaching an array, with one
/// of its object elements (whole, or its first entry) as the operand.
fn match_targets(docs: &[Value]) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for path in paths_in(docs) {
        for doc in docs {
            for leaf in values_at(doc, &path) {
                let Value::Array(items) = leaf else { continue };
                for item in items.iter().filter(|item| item.is_object()) {
                    out.push((path.clone(), item.clone()));
                    if let Some((key, value)) = item.as_object().and_then(|m| m.iter().next()) {
                        out.push((path.clone(), json!({ key: value })));
                    }
                }
            }
        }
    }
    out
}

/// `$in` conditions on arrays and objects that `docs` hold: a path reaching one (or an array
/// holding one), with a differently spelled but equal copy of it.
fn composite_targets(docs: &[Value]) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for path in paths_in(docs) {
        for doc in docs {
            for leaf in values_at(doc, &path) {
                let elements = leaf.as_array().into_iter().flatten();
                for composite in std::iter::once(leaf).chain(elements) {
                    if composite.is_array() || composite.is_object() {
                        out.push((path.clone(), variant(composite)));
                    }
                }
            }
        }
    }
    out
}

/// Conditions on the paths and values of `docs` (and now and then on anything).
fn condition_over(docs: &[Value]) -> BoxedStrategy<FilterNode> {
    let (paths, values, targets) = (paths_in(docs), values_in(docs), match_targets(docs));
    let fillers: Vec<Value> = (10..30).map(|n| json!([n])).collect();
    let in_composites = if composite_targets(docs).is_empty() {
        Just(FilterNode::empty()).boxed()
    } else {
        (
            prop::sample::select(composite_targets(docs)),
            prop::sample::select(vec![Operator::In, Operator::Nin]),
            prop::collection::vec(prop::sample::select(fillers), 8..15),
            any::<prop::sample::Index>(),
        )
            .prop_map(|((field, target), operator, mut list, at)| {
                let at = at.index(list.len() + 1);
                list.insert(at, target);
                FilterNode::condition(field, operator, Value::Array(list))
            })
            .boxed()
    };
    let path = if paths.is_empty() {
        path().boxed()
    } else {
        prop_oneof![4 => prop::sample::select(paths), 1 => path()].boxed()
    };
    // Long lists of numbers (hashed), where a number may be there only as an integer or
    // only as a float: the document's numbers among others.
    let mut numbers: Vec<Value> = values.iter().filter(|v| v.is_number()).cloned().collect();
    numbers.extend((10..40).map(|n| json!(n)));
    numbers.extend((10..20).map(|n| json!(f64::from(n) + 0.5)));
    let number_list = prop::collection::vec(prop::sample::select(numbers), 9..16);
    // Long lists of arrays and objects (hashed): the document's, spelled differently but
    // equal, among others.
    let mut composites: Vec<Value> = values
        .iter()
        .filter(|v| v.is_array() || v.is_object())
        .flat_map(|v| [v.clone(), variant(v)])
        .collect();
    composites.extend((10..30).map(|n| json!([n])));
    composites.extend((10..20).map(|n| json!({"a": n})));
    let composite_list = prop::collection::vec(prop::sample::select(composites), 9..16);
    let value = if values.is_empty() {
        operand().boxed()
    } else {
        prop_oneof![
            4 => prop::sample::select(values.clone()),
            2 => operand(),
            2 => prop::collection::vec(prop::sample::select(values), 0..16).prop_map(Value::Array),
            1 => number_list.prop_map(Value::Array),
            1 => composite_list.prop_map(Value::Array),
        ]
        .boxed()
    };
    let on_anything = (path.clone(), match_operand());
    let element = if targets.is_empty() {
        on_anything.boxed()
    } else {
        prop_oneof![2 => prop::sample::select(targets), 1 => on_anything].boxed()
    };
    prop_oneof![
        8 => (path.clone(), prop::sample::select(Operator::ALL.to_vec()), value)
            .prop_map(|(field, operator, value)| FilterNode::condition(field, operator, value)),
        2 => element
            .prop_map(|(field, value)| FilterNode::condition(field, Operator::Match, value)),
        1 => in_composites,
        1 => condition(),
    ]
    .boxed()
}

/// A filter over `docs`' paths and values, and the documents.
fn filter_and_docs() -> impl Strategy<Value = (FilterNode, Vec<Value>)> {
    prop::collection::vec(document(), 1..5).prop_flat_map(|docs| {
        let tree = condition_over(&docs).prop_recursive(3, 16, 4, |inner| {
            (
                prop::sample::select(vec![GroupOp::And, GroupOp::Or]),
                any::<bool>(),
                prop::collection::vec(inner, 0..4),
            )
                .prop_map(|(op, merged, children)| FilterNode::Group {
                    op,
                    children,
                    merged,
                })
        });
        (tree, Just(docs))
    })
}

fn filter() -> impl Strategy<Value = FilterNode> {
    condition().prop_recursive(3, 24, 4, |inner| {
        (
            prop::sample::select(vec![GroupOp::And, GroupOp::Or]),
            any::<bool>(),
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(op, merged, children)| FilterNode::Group {
                op,
                children,
                merged,
            })
    })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 5_000,
        rng_seed: RngSeed::Fixed(7),
        rng_algorithm: RngAlgorithm::XorShift,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// A compiled filter answers as the reference on every document.
    #[test]
    fn compiled_filters_agree_with_the_reference((filter, docs) in filter_and_docs()) {
        let compiled = filter.compile();
        for doc in &docs {
            prop_assert_eq!(
                compiled.matches(doc),
                matches(&filter, doc),
                "filter {} on {}",
                filter.to_json(),
                doc
            );
        }
    }

    /// A compiled query with a join answers as the reference on items and annotations.
    #[test]
    fn compiled_queries_agree_with_the_reference(
        (filter, mut docs) in filter_and_docs(),
        join in proptest::option::of(filter()),
    ) {
        let item = docs.remove(0);
        let annotations = docs;
        let query = Query {
            filter,
            join: join.map(|filter| Join {
                on: JoinOn::items_to_annotations(),
                filter,
                extra: Map::new(),
            }),
            ..Query::new("items")
        };
        let compiled = query.compile();
        prop_assert_eq!(
            compiled.matches_item(&item, &annotations),
            query.matches_item(&item, &annotations),
            "query {} on {} with {:?}",
            query.to_json(),
            item,
            annotations
        );
    }
}

/// The vocabulary really exercises both answers: over a fixed sample, a fair share of the
/// conditions match and a fair share do not (a generator drifting to "never matches" would
/// make the agreement above meaningless).
#[test]
fn the_generators_match_often_enough() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::new(config());
    // Per operator: (matches, does not match).
    let mut counts = [(0, 0); Operator::ALL.len()];
    for _ in 0..20_000 {
        let docs = vec![document().new_tree(&mut runner).unwrap().current()];
        let condition = condition_over(&docs)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        if let FilterNode::Condition { operator, .. } = &condition {
            let i = Operator::ALL.iter().position(|o| o == operator).unwrap();
            if matches(&condition, &docs[0]) {
                counts[i].0 += 1;
            } else {
                counts[i].1 += 1;
            }
        }
    }
    for (operator, (yes, no)) in Operator::ALL.iter().zip(counts) {
        assert!(
            yes >= 25 && no >= 25,
            "{operator:?}: {yes} match, {no} do not"
        );
    }
}
