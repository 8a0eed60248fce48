//! Editing custom loads: keeping them aligned with the assignees, and "Distribute the rest".
//! Plain functions, so the rules are tested apart from the editor's DOM.

use annotask_core::validate::LOAD_TOLERANCE;
use annotask_core::workload::equal_split;

/// The loads' sum, rounded to the thousandth so float noise (33.3 + 33.3 + 33.4) reads as 100.
pub fn total(loads: &[f64]) -> f64 {
    let sum: f64 = loads.iter().filter(|l| l.is_finite()).sum();
    (sum * 1000.0).round() / 1000.0
}

/// What is missing to reach 100% (negative when the loads exceed it).
pub fn rest(loads: &[f64]) -> f64 {
    let missing = 100.0 - total(loads);
    if missing.abs() <= LOAD_TOLERANCE {
        0.0
    } else {
        missing
    }
}

/// Splits what is missing to reach 100% over the assignees without a load yet, or over
/// everyone when all have one: the same whole percents to each, the points that do not
/// divide evenly one each to the smallest loads (50 and 49 become 50 and 50), and any
/// fraction to the smallest. Loads that already reach or exceed 100% are returned unchanged.
pub fn distribute_rest(loads: &[f64]) -> Vec<f64> {
    let mut out: Vec<f64> = loads
        .iter()
        .map(|l| if l.is_finite() { *l } else { 0.0 })
        .collect();
    let missing = rest(&out);
    if out.is_empty() || missing <= 0.0 {
        return out;
    }
    let empty: Vec<usize> = (0..out.len()).filter(|&i| out[i] == 0.0).collect();
    let targets = if empty.is_empty() {
        (0..out.len()).collect()
    } else {
        empty
    };
    let whole = missing.floor();
    let fraction = ((missing - whole) * 1000.0).round() / 1000.0;
    let n = targets.len() as u64;
    let (base, extra) = (whole as u64 / n, whole as u64 % n);
    // The leftover points go to the smallest loads first (ties: the earlier assignee).
    let mut smallest = targets.clone();
    smallest.sort_by(|&a, &b| out[a].total_cmp(&out[b]).then(a.cmp(&b)));
    for &i in &targets {
        out[i] += base as f64;
    }
    for &i in smallest.iter().take(extra as usize) {
        out[i] += 1.0;
    }
    if fraction > 0.0 {
        out[smallest[0]] += fraction;
    }
    out.iter().map(|l| (l * 1000.0).round() / 1000.0).collect()
}

/// The custom loads after the assignees changed from `before` to `after`: everyone keeps
/// their load (matched by e-mail, ignoring case), newcomers start at 0.
pub fn realign(before: &[String], loads: &[f64], after: &[String]) -> Vec<f64> {
    after
        .iter()
        .map(|email| {
            before
                .iter()
                .position(|b| b.trim().eq_ignore_ascii_case(email.trim()))
                .and_then(|i| loads.get(i).copied())
                .unwrap_or(0.0)
        })
        .collect()
}

/// Each assignee's percentage for the equal split, as the SDK computes it.
pub fn equal_loads(n: usize) -> Vec<f64> {
    equal_split(n).into_iter().map(f64::from).collect()
}

/// A load as people read it: whole numbers without decimals, others with up to three.
pub fn format_load(load: f64) -> String {
    if load.fract() == 0.0 {
        format!("{load:.0}")
    } else {
        let text = format!("{load:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Reads what was typed into a load box: empty reads as 0 (so clearing a box to retype it
/// does not fight the user), anything unparseable as `None`.
pub fn parse_load(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return Some(0.0);
    }
    text.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|l| l.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_rest_goes_to_those_without_a_load_then_to_the_smallest() {
        assert_eq!(distribute_rest(&[50.0, 49.0]), [50.0, 50.0]);
        assert_eq!(distribute_rest(&[60.0, 0.0, 0.0]), [60.0, 20.0, 20.0]);
        assert_eq!(
            distribute_rest(&[50.0, 0.0, 0.0, 0.0]),
            [50.0, 17.0, 17.0, 16.0]
        );
        assert_eq!(distribute_rest(&[10.0, 20.0, 30.0]), [24.0, 33.0, 43.0]);
        assert_eq!(distribute_rest(&[33.5, 33.0]), [49.5, 50.5]);
        assert_eq!(distribute_rest(&[70.0, 40.0]), [70.0, 40.0]);
        assert_eq!(distribute_rest(&[]), Vec::<f64>::new());
        assert_eq!(total(&distribute_rest(&[12.5, 0.0, 0.0])), 100.0);
    }

    #[wasm_bindgen_test]
    fn loads_are_typed_and_shown_plainly() {
        assert_eq!(parse_load(""), Some(0.0));
        assert_eq!(parse_load(" 12,5 "), Some(12.5));
        assert_eq!(parse_load("abc"), None);
        assert_eq!(format_load(50.0), "50");
        assert_eq!(format_load(33.333_333_3), "33.333");
        assert_eq!(rest(&[33.3, 33.3, 33.4]), 0.0);
        assert_eq!(
            realign(
                &["a".into(), "b".into()],
                &[70.0, 30.0],
                &["B".into(), "c".into()]
            ),
            [30.0, 0.0]
        );
    }
}
