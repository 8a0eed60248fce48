//! The closing note under the table: how the figures were taken, and for every figure that
//! misses its goal, why (what was found when it was investigated).

use serde_json::{Map, Value};

use super::report::Row;

const METHOD: &str = "How to read this: each figure is measured in the same run as its reference \
and interleaved with it, because the machine is shared (other builds run beside it); the ratio \
(figure ÷ reference) is what carries over between runs, the absolute times less so. Browser \
times are taken inside the page with the Performance API; a keystroke is timed from the key \
event's timestamp to the first task after its handlers, with style and layout forced (the \
work it costs), and the time to the next painted frame, which also waits for the 60 Hz \
frame, is in bench.json. Server times are taken by a loopback HTTP client and include the \
request and the JSON answer; the SQLite floor is the same rows read or written by SQLite \
alone (`crates/server/examples/sqlite_floor.rs`).";

/// Why a row misses its goal, by row id: what was found when it was looked into.
fn explanation(row: &Row, details: &Map<String, Value>) -> Option<String> {
    let browser = details.get("browser");
    let elements = |name: &str| {
        browser
            .and_then(|b| b["filter_builder"][format!("{name}_elements")].as_u64())
            .unwrap_or(0)
    };
    match row.id.as_str() {
        "filter.render" => Some(format!(
            "annotask's builder puts {} elements in the page for the 200 conditions against \
             react-querybuilder's {}: every condition has labelled Field/Operator/Value \
             controls, a hint, an error slot, a value datalist, move/duplicate/delete buttons \
             and a drag handle (the accessibility and keyboard work of issue 7), and the \
             builder also shows the whole DQL, pretty-printed, in its JSON view. Building and \
             laying out that much more DOM is where the time goes; the wasm itself is not the \
             bottleneck (see the script/layout split in bench.json).",
            elements("annotask"),
            elements("rqb")
        )),
        _ => None,
    }
}

pub fn closing(rows: &[Row], details: &Map<String, Value>, quick: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if quick {
        notes.push(
            "**Quick run** (`--quick`): fewer runs than the issue asks for; for trying the \
             bench, not for the README."
                .to_string(),
        );
    }
    notes.push(METHOD.to_string());
    let missed: Vec<&Row> = rows.iter().filter(|r| r.met() == Some(false)).collect();
    if missed.is_empty() {
        notes.push("Every figure that has a goal meets it.".to_string());
        return notes;
    }
    let mut text = String::from("Goals missed, and why:\n");
    for row in missed {
        let why = if let Some(reason) = &row.not_run {
            format!("it did not run ({reason}).")
        } else {
            explanation(row, details).unwrap_or_else(|| {
                "NO EXPLANATION RECORDED: investigate, and add one in \
                 crates/xtask/src/bench/notes.rs."
                    .to_string()
            })
        };
        text.push_str(&format!(
            "\n- **{}**: {} against a goal of {}. {}",
            row.benchmark,
            row.figure_text(),
            row.goal_text(),
            why
        ));
    }
    notes.push(text);
    notes
}
