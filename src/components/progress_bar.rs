//! A task's or assignment's progress: how many of its items have a status.

use annotask_core::entities::ItemStatusCounts;
use leptos::prelude::*;

/// Items with a status out of all items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

impl Progress {
    /// From a task's or assignment's `itemStatus` and `totalItems`: every item that is not
    /// `remaining` has a status (completed, discard, approved, …).
    pub fn from_counts(counts: &ItemStatusCounts, total: u64) -> Progress {
        Progress {
            done: total.saturating_sub(counts.remaining),
            total,
        }
    }

    /// Whole percent, rounded down as the platform does, so 999 of 1000 is not "100%".
    pub fn percent(&self) -> u64 {
        (self.done.min(self.total) * 100)
            .checked_div(self.total)
            .unwrap_or(0)
    }

    /// "12 of 100 items (12%)"; "No items" for an empty task.
    pub fn describe(&self) -> String {
        if self.total == 0 {
            "No items".into()
        } else {
            format!(
                "{} of {} items ({}%)",
                format_count(self.done),
                format_count(self.total),
                self.percent()
            )
        }
    }
}

/// A count with thousands separators: 5000 → "5,000".
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 item", "5,000 items".
pub fn count_noun(n: u64, singular: &str, plural: &str) -> String {
    format!(
        "{} {}",
        format_count(n),
        if n == 1 { singular } else { plural }
    )
}

/// A bar with the figures beside it, exposed as an ARIA progressbar.
#[component]
pub fn ProgressBar(
    /// What is measured, e.g. "Progress of demo-labeling": the bar's accessible name.
    #[prop(into)]
    label: String,
    progress: Progress,
) -> impl IntoView {
    let percent = progress.percent();
    let complete = progress.total > 0 && progress.done >= progress.total;
    view! {
        <div class="progress">
            <div
                class="progress__track"
                role="progressbar"
                aria-label=label
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=percent
                aria-valuetext=progress.describe()
            >
                <div
                    class="progress__fill"
                    class:progress__fill--complete=complete
                    style:width=format!("{percent}%")
                ></div>
            </div>
            <span class="progress__text" aria-hidden="true">
                {if progress.total == 0 {
                    "No items".to_string()
                } else {
                    format!(
                        "{} / {} · {percent}%",
                        format_count(progress.done),
                        format_count(progress.total),
                    )
                }}
            </span>
        </div>
    }
}
