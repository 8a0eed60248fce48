//! The results: rows of (benchmark, figure, reference, ratio, goal, met?), written as
//! `target/bench/bench.md` (a markdown table and the closing note) and `bench.json`.

use serde_json::{json, Value};

/// How a figure is read and printed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unit {
    Ms,
    Bytes,
    PerSecond,
}

/// What a figure must reach.
#[derive(Clone, Debug, PartialEq)]
pub enum Goal {
    None,
    /// The figure stays below this (same unit).
    Below(f64),
    /// The figure stays at or below this (same unit).
    AtMost(f64),
    /// Faster (smaller) than the reference: ratio < 1.
    BeatReference,
}

/// One line of the table.
#[derive(Clone, Debug)]
pub struct Row {
    /// A stable key (`app.filter.render`), used for the notes and in the JSON.
    pub id: String,
    pub section: String,
    pub benchmark: String,
    pub value: f64,
    pub unit: Unit,
    /// What the figure is (`median of 10`, `p50 of 15`); printed under the figure.
    pub stat: String,
    /// Replaces the printed figure (e.g. gzipped and raw sizes together).
    pub shown: Option<String>,
    /// `(what it is, value in the same unit)`.
    pub reference: Option<(String, f64)>,
    pub goal: Goal,
    /// The raw samples, for the JSON.
    pub samples: Vec<f64>,
    /// Why the row has no figure (a part that could not run); printed instead.
    pub not_run: Option<String>,
    /// Further facts about the measurement (for the JSON and the closing note).
    pub info: Value,
}

impl Row {
    pub fn new(id: &str, section: &str, benchmark: &str, value: f64, unit: Unit) -> Row {
        Row {
            id: id.into(),
            section: section.into(),
            benchmark: benchmark.into(),
            value,
            unit,
            stat: String::new(),
            shown: None,
            reference: None,
            goal: Goal::None,
            samples: Vec::new(),
            not_run: None,
            info: Value::Null,
        }
    }

    /// A row for a part that did not run, with the reason.
    pub fn skipped(id: &str, section: &str, benchmark: &str, reason: &str, goal: Goal) -> Row {
        let mut row = Row::new(id, section, benchmark, f64::NAN, Unit::Ms);
        row.not_run = Some(reason.into());
        row.goal = goal;
        row
    }

    pub fn stat(mut self, stat: impl Into<String>) -> Row {
        self.stat = stat.into();
        self
    }

    pub fn shown(mut self, text: impl Into<String>) -> Row {
        self.shown = Some(text.into());
        self
    }

    pub fn reference(mut self, label: impl Into<String>, value: f64) -> Row {
        self.reference = Some((label.into(), value));
        self
    }

    pub fn goal(mut self, goal: Goal) -> Row {
        self.goal = goal;
        self
    }

    pub fn info(mut self, info: Value) -> Row {
        self.info = info;
        self
    }

    pub fn samples(mut self, samples: &[f64]) -> Row {
        self.samples = samples.to_vec();
        self
    }

    /// figure / reference.
    pub fn ratio(&self) -> Option<f64> {
        let (_, r) = self.reference.as_ref()?;
        (self.not_run.is_none() && *r > 0.0).then(|| self.value / r)
    }

    /// Whether the goal is met; `None` without a goal, `Some(false)` when not run.
    pub fn met(&self) -> Option<bool> {
        if self.goal == Goal::None {
            return None;
        }
        if self.not_run.is_some() {
            return Some(false);
        }
        Some(match self.goal {
            Goal::None => unreachable!(),
            Goal::Below(limit) => self.value < limit,
            Goal::AtMost(limit) => self.value <= limit,
            Goal::BeatReference => self.ratio().is_some_and(|r| r < 1.0),
        })
    }

    pub fn goal_text(&self) -> String {
        match self.goal {
            Goal::None => "—".into(),
            Goal::Below(v) => format!("< {}", format_value(v, self.unit)),
            Goal::AtMost(v) => format!("≤ {}", format_value(v, self.unit)),
            Goal::BeatReference => "faster than the peer (ratio < 1)".into(),
        }
    }

    pub fn figure_text(&self) -> String {
        if let Some(reason) = &self.not_run {
            return format!("not run: {reason}");
        }
        let main = self
            .shown
            .clone()
            .unwrap_or_else(|| format_value(self.value, self.unit));
        if self.stat.is_empty() {
            main
        } else {
            format!("{main} ({})", self.stat)
        }
    }

    fn reference_text(&self) -> String {
        match &self.reference {
            Some((label, v)) => format!("{}: {label}", format_value(*v, self.unit)),
            None => "—".into(),
        }
    }
}

/// `1,234.5 ms`, `12.3 s`, `512.0 KiB`, `1.21 GiB`, `350 req/s`.
pub fn format_value(v: f64, unit: Unit) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    match unit {
        Unit::Ms if v >= 10_000.0 => format!("{:.1} s", v / 1000.0),
        Unit::Ms if v >= 100.0 => format!("{} ms", thousands(v.round() as u64)),
        Unit::Ms if v >= 10.0 => format!("{v:.1} ms"),
        Unit::Ms => format!("{v:.2} ms"),
        Unit::Bytes if v >= 1024.0 * 1024.0 * 1024.0 => {
            format!("{:.2} GiB", v / (1024.0 * 1024.0 * 1024.0))
        }
        Unit::Bytes if v >= 10.0 * 1024.0 * 1024.0 => format!("{:.0} MiB", v / (1024.0 * 1024.0)),
        Unit::Bytes => format!("{:.1} KiB", v / 1024.0),
        Unit::PerSecond => format!("{v:.0} req/s"),
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Ms => "ms",
        Unit::Bytes => "bytes",
        Unit::PerSecond => "per second",
    }
}

/// Where and when the figures were taken.
pub struct Machine {
    pub date: String,
    pub cores: usize,
    pub memory_gib: f64,
    pub os: String,
    pub rustc: String,
    pub chromium: String,
    pub node: String,
    pub load_before: String,
}

impl Machine {
    pub fn line(&self) -> String {
        format!(
            "{}; machine: {} cores, {:.0} GiB, {}; {}; {}; node {} (load average before the run: {})",
            self.date,
            self.cores,
            self.memory_gib,
            self.os,
            self.rustc,
            self.chromium,
            self.node,
            self.load_before
        )
    }
}

/// The markdown: heading line, the table, and the closing note.
pub fn markdown(machine: &Machine, rows: &[Row], notes: &[String]) -> String {
    let mut md = String::new();
    md.push_str(&format!("Measured {}.\n\n", machine.line()));
    md.push_str("| benchmark | figure | reference (floor/peer) | ratio | goal | met? |\n");
    md.push_str("|---|---|---|---|---|---|\n");
    let mut section = "";
    for row in rows {
        if row.section != section {
            section = &row.section;
            md.push_str(&format!("| **{section}** | | | | | |\n"));
        }
        let ratio = row.ratio().map_or_else(
            || "—".to_string(),
            |r| {
                if r < 0.01 {
                    format!("{r:.4}×")
                } else {
                    format!("{r:.2}×")
                }
            },
        );
        let met = match row.met() {
            None => "—",
            Some(true) => "yes",
            Some(false) => "**no**",
        };
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            cell(&row.benchmark),
            cell(&row.figure_text()),
            cell(&row.reference_text()),
            ratio,
            cell(&row.goal_text()),
            met
        ));
    }
    if !notes.is_empty() {
        md.push('\n');
        for note in notes {
            md.push_str(note);
            md.push_str("\n\n");
        }
    }
    md
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn json(machine: &Machine, rows: &[Row], notes: &[String], extra: Value) -> Value {
    let num = |v: f64| if v.is_finite() { json!(v) } else { Value::Null };
    json!({
        "date": machine.date,
        "machine": {
            "cores": machine.cores,
            "memory_gib": machine.memory_gib,
            "os": machine.os,
            "rustc": machine.rustc,
            "chromium": machine.chromium,
            "node": machine.node,
            "load_average_before": machine.load_before,
        },
        "rows": rows.iter().map(|r| json!({
            "id": r.id,
            "section": r.section,
            "benchmark": r.benchmark,
            "figure": num(r.value),
            "unit": unit_name(r.unit),
            "stat": r.stat,
            "shown": r.figure_text(),
            "reference": r.reference.as_ref().map(|(label, v)| json!({"what": label, "value": num(*v)})),
            "ratio": r.ratio().map(num),
            "goal": r.goal_text(),
            "met": r.met(),
            "not_run": r.not_run,
            "info": r.info,
            "samples": r.samples.iter().map(|v| num(*v)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "notes": notes,
        "details": extra,
    })
}

/// Median of samples (NaN when empty).
pub fn median(samples: &[f64]) -> f64 {
    percentile(samples, 50.0)
}

/// Nearest-rank percentile with linear interpolation between neighbours.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut v: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let rank = (p / 100.0) * (v.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (rank - lo as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[1.0, 2.0, 3.0, 4.0]), 2.5);
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0, 5.0], 100.0), 5.0);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn values_print_readably() {
        assert_eq!(format_value(1234.4, Unit::Ms), "1,234 ms");
        assert_eq!(format_value(12.34, Unit::Ms), "12.3 ms");
        assert_eq!(format_value(2048.0, Unit::Bytes), "2.0 KiB");
        assert_eq!(format_value(15_000.0, Unit::Ms), "15.0 s");
    }

    #[test]
    fn goals_and_ratios() {
        let row = Row::new("a", "s", "b", 8.0, Unit::Ms)
            .reference("peer", 16.0)
            .goal(Goal::BeatReference);
        assert_eq!(row.ratio(), Some(0.5));
        assert_eq!(row.met(), Some(true));
        let row = Row::new("a", "s", "b", 20.0, Unit::Ms).goal(Goal::Below(16.0));
        assert_eq!(row.met(), Some(false));
        let skipped = Row::skipped("a", "s", "b", "no memory", Goal::Below(1.0));
        assert_eq!(skipped.met(), Some(false));
    }
}
