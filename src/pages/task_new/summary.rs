//! What will be created, in words, plus the exact request body for those who want it.

use annotask_core::draft::{Allocation, TaskType};
use leptos::prelude::*;

use super::form_state::TaskForm;
use super::items_source::ItemsSource;
use super::local_time::{format_local, format_utc};
use super::priority_section::priority_label;
use crate::components::progress_bar::format_count;

/// The summary list.
#[component]
pub fn Summary(form: TaskForm) -> impl IntoView {
    let d = move || form.draft.get();
    let kind = move || match form.draft.with(|d| d.task_type) {
        TaskType::Annotation => "Annotation task".to_owned(),
        TaskType::Qa => match form.draft.with(|d| d.parent_task_name.clone()) {
            Some(parent) => format!("QA task reviewing “{parent}”"),
            None => "QA task (no parent task chosen)".to_owned(),
        },
    };
    let name = move || {
        let name = d().trimmed_name().to_owned();
        if name.is_empty() {
            "No name yet".to_owned()
        } else {
            name
        }
    };
    let due = move || match d().due_date_ms {
        Some(ms) => format!("{} ({})", format_local(ms), format_utc(ms)),
        None => "No due date yet".to_owned(),
    };
    let people = move || {
        let draft = d();
        if draft.assignees.is_empty() {
            return "No assignees yet".to_owned();
        }
        let loads = draft.loads();
        let counts = form
            .item_count
            .get()
            .map(|n| annotask_core::workload::allocate(n as usize, &loads));
        let names = form.members.with(|members| {
            draft
                .assignees
                .iter()
                .enumerate()
                .take(12)
                .map(|(i, email)| {
                    let name = members
                        .iter()
                        .find(|m| m.email.eq_ignore_ascii_case(email))
                        .map_or_else(|| email.clone(), |m| m.display_name());
                    let load = loads.get(i).copied().unwrap_or(0.0);
                    match counts.as_ref().and_then(|c| c.get(i)) {
                        Some(n) => format!("{name} {load}% ({} items)", format_count(*n as u64)),
                        None => format!("{name} {load}%"),
                    }
                })
                .collect::<Vec<_>>()
        });
        let more = draft.assignees.len().saturating_sub(12);
        let mut text = names.join(", ");
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
        text
    };
    let allocation = move || match d().allocation {
        Allocation::Distribution => "Distribution".to_owned(),
        Allocation::Pulling {
            batch_size,
            max_batch_workload,
        } => format!("Pulling, batches of {batch_size}, at most {max_batch_workload} items each"),
    };
    let statuses = move || {
        let draft = d();
        let all = if draft.statuses.is_empty() {
            annotask_core::draft::ItemAction::defaults_for(draft.task_type)
        } else {
            draft.statuses.clone()
        };
        all.iter()
            .map(|s| {
                if s.display_name.trim().is_empty() {
                    "(unnamed)".to_owned()
                } else {
                    s.display_name.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let items = move || {
        let draft = d();
        let what = match ItemsSource::infer(&draft.query) {
            ItemsSource::Dataset => "the whole dataset".to_owned(),
            ItemsSource::Folder {
                path,
                subfolders: false,
            } => format!("folder {path}"),
            ItemsSource::Folder {
                path,
                subfolders: true,
            } => {
                format!("folder {path} and its sub-folders")
            }
            ItemsSource::Filter => "a filter".to_owned(),
        };
        let what = if draft.task_type == TaskType::Qa {
            format!("{what}, limited to the parent task's items that have a status")
        } else {
            what
        };
        match form.item_count.get() {
            Some(n) => format!("{} items from {what}", format_count(n)),
            None => format!("Items from {what}"),
        }
    };
    let payload = move || {
        serde_json::to_string_pretty(&form.draft.with(|d| d.to_payload())).unwrap_or_default()
    };

    view! {
        <dl class="task-form__summary">
            <dt>"Type"</dt>
            <dd>{kind}</dd>
            <dt>"Name"</dt>
            <dd>{name}</dd>
            <dt>"Due"</dt>
            <dd>{due}</dd>
            <dt>"Priority"</dt>
            <dd>{move || priority_label(form.draft.with(|d| d.priority))}</dd>
            <dt>"Assignees"</dt>
            <dd>{people}</dd>
            <dt>"Allocation"</dt>
            <dd>{allocation}</dd>
            <dt>"Statuses"</dt>
            <dd>{statuses}</dd>
            <dt>"Items"</dt>
            <dd>{items}</dd>
            <dt>"Owner"</dt>
            <dd>{move || d().owner.unwrap_or_else(|| "You".to_owned())}</dd>
        </dl>
        <details class="task-form__payload">
            <summary>"Request body"</summary>
            <pre>{payload}</pre>
        </details>
    }
}
