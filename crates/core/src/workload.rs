//! Splitting a task between its assignees.
//!
//! Two different splits are involved:
//!
//! - the *percentages* a task is created with: without custom loads the SDK splits 100 into
//!   integers, the remainder going to the first assignees ([`equal_split`], PKG
//!   `Workload.generate`);
//! - the *items* each assignee then receives, which the server computes from those
//!   percentages by the largest-remainder method ([`allocate`], [`assign_items`]).

use std::ops::Range;

/// The SDK's default loads for `n` assignees: `100 // n`, plus one for the first `100 % n`
/// (2 → 50/50, 3 → 34/33/33, 7 → 15,15,14,14,14,14,14). Always sums to 100 for `n > 0`;
/// empty for `n == 0`.
pub fn equal_split(n: usize) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    let n32 = u32::try_from(n).unwrap_or(u32::MAX);
    let (base, extra) = (100 / n32, 100 % n32);
    (0..n)
        .map(|i| base + u32::from((i as u64) < u64::from(extra)))
        .collect()
}

/// How many of `n_items` items each assignee gets for the given loads (percentages, or any
/// non-negative weights; they need not sum to 100).
///
/// Largest remainder: everyone first gets the whole part of their exact share
/// `n_items × load / Σ loads`; the items left over go one each to the largest fractional
/// parts, ties to the lower index. So the result is deterministic, sums to `n_items`, and
/// each count is within 1 of its exact share. Negative or non-finite loads count as 0; when
/// all loads are 0 they count as equal. Empty when `loads` is (no one to give items to).
pub fn allocate(n_items: usize, loads: &[f64]) -> Vec<usize> {
    if loads.is_empty() {
        return Vec::new();
    }
    let weights = normalized_weights(loads);
    let total: f64 = weights.iter().sum();
    let shares: Vec<f64> = weights.iter().map(|w| n_items as f64 * w / total).collect();
    let mut counts: Vec<usize> = shares
        .iter()
        .map(|share| (share.floor() as usize).min(n_items))
        .collect();

    // Fractional parts, quantised so that equal remainders computed along different float
    // paths still tie (and the ordering stays total).
    let remainder =
        |i: usize| ((shares[i] - counts[i] as f64).clamp(0.0, 1.0) * 1e9).round() as u64;
    let mut order: Vec<usize> = (0..loads.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(remainder(i)), i));

    let assigned: usize = counts.iter().sum();
    if assigned <= n_items {
        for &i in order.iter().cycle().take(n_items - assigned) {
            counts[i] += 1;
        }
    } else {
        // Float rounding pushed a floor one too high; take back from the smallest remainders.
        let mut excess = assigned - n_items;
        for &i in order.iter().rev() {
            if excess == 0 {
                break;
            }
            if counts[i] > 0 {
                counts[i] -= 1;
                excess -= 1;
            }
        }
    }
    counts
}

/// The items of each assignee as consecutive index ranges of the item list, in assignee
/// order, with the counts of [`allocate`].
pub fn allocation_ranges(n_items: usize, loads: &[f64]) -> Vec<Range<usize>> {
    let mut start = 0;
    allocate(n_items, loads)
        .into_iter()
        .map(|count| {
            let range = start..start + count;
            start = range.end;
            range
        })
        .collect()
}

/// For each of `n_items` items (in list order), the index of the assignee it goes to: the
/// first assignee's share first, then the second's, and so on ([`allocation_ranges`]).
/// Empty when `loads` is.
pub fn assign_items(n_items: usize, loads: &[f64]) -> Vec<usize> {
    allocation_ranges(n_items, loads)
        .into_iter()
        .enumerate()
        .flat_map(|(assignee, range)| range.map(move |_| assignee))
        .collect()
}

/// Loads as usable weights: negatives and non-finite values become 0, values are scaled by
/// the largest so that the sum cannot overflow, and all-zero loads become equal weights.
fn normalized_weights(loads: &[f64]) -> Vec<f64> {
    let clean: Vec<f64> = loads
        .iter()
        .map(|&load| {
            if load.is_finite() && load > 0.0 {
                load
            } else {
                0.0
            }
        })
        .collect();
    let max = clean.iter().copied().fold(0.0, f64::max);
    if max == 0.0 {
        return vec![1.0; loads.len()];
    }
    clean.iter().map(|w| w / max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_split_matches_the_sdk() {
        assert_eq!(equal_split(0), Vec::<u32>::new());
        assert_eq!(equal_split(1), [100]);
        assert_eq!(equal_split(2), [50, 50]);
        assert_eq!(equal_split(3), [34, 33, 33]);
        assert_eq!(equal_split(7), [15, 15, 14, 14, 14, 14, 14]);
        let many = equal_split(150);
        assert_eq!(many.iter().sum::<u32>(), 100);
        assert_eq!((many[99], many[100]), (1, 0));
    }

    #[test]
    fn allocate_examples() {
        assert_eq!(allocate(10, &[50.0, 50.0]), [5, 5]);
        assert_eq!(allocate(10, &[34.0, 33.0, 33.0]), [4, 3, 3]);
        assert_eq!(allocate(2, &[34.0, 33.0, 33.0]), [1, 1, 0]);
        assert_eq!(allocate(1, &[50.0, 50.0]), [1, 0]); // tie → lower index
        assert_eq!(allocate(7, &[80.0, 20.0]), [6, 1]); // 5.6 / 1.4
        assert_eq!(allocate(0, &[30.0, 70.0]), [0, 0]);
        assert_eq!(allocate(5, &[0.0, 100.0]), [0, 5]);
        assert_eq!(allocate(3, &[0.0, 0.0]), [2, 1]); // all zero → equal
        assert_eq!(allocate(4, &[f64::NAN, -3.0, 1.0]), [0, 0, 4]);
        assert_eq!(allocate(3, &[1e308, 1e308]), [2, 1]);
        assert_eq!(allocate(5, &[]), Vec::<usize>::new());
    }

    #[test]
    fn ranges_and_assignment() {
        assert_eq!(allocation_ranges(5, &[40.0, 60.0]), [0..2, 2..5]);
        assert_eq!(assign_items(5, &[40.0, 60.0]), [0, 0, 1, 1, 1]);
        assert_eq!(assign_items(3, &[0.0, 100.0, 0.0]), [1, 1, 1]);
        assert!(assign_items(3, &[]).is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn allocate_is_exact_fair_and_deterministic(
            n_items in 0usize..5000,
            loads in prop::collection::vec(prop_oneof![0.0f64..=100.0, (0u32..=100).prop_map(f64::from)], 1..12),
        ) {
            let counts = allocate(n_items, &loads);
            prop_assert_eq!(counts.len(), loads.len());
            prop_assert_eq!(counts.iter().sum::<usize>(), n_items);
            let total: f64 = loads.iter().sum();
            for (count, load) in counts.iter().zip(&loads) {
                let exact = if total > 0.0 { n_items as f64 * load / total } else { n_items as f64 / loads.len() as f64 };
                prop_assert!((*count as f64 - exact).abs() < 1.0 + 1e-6, "{} vs exact {}", count, exact);
            }
            prop_assert_eq!(allocate(n_items, &loads), counts.clone());
            let assigned = assign_items(n_items, &loads);
            prop_assert_eq!(assigned.len(), n_items);
            prop_assert!(assigned.windows(2).all(|w| w[0] <= w[1]));
        }

        /// With equal loads the extra items go to the first assignees.
        #[test]
        fn equal_loads_favour_lower_indices(n_items in 0usize..1000, n in 1usize..10) {
            let counts = allocate(n_items, &vec![1.0; n]);
            let (base, extra) = (n_items / n, n_items % n);
            let expected: Vec<usize> = (0..n).map(|i| base + usize::from(i < extra)).collect();
            prop_assert_eq!(counts, expected);
        }

        #[test]
        fn equal_split_sums_to_100(n in 1usize..300) {
            let loads = equal_split(n);
            prop_assert_eq!(loads.iter().sum::<u32>(), 100);
            prop_assert!(loads.windows(2).all(|w| w[0] >= w[1] && w[0] - w[1] <= 1));
        }
    }
}
