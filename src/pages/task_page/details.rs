//! Every field of a task, as a description list.

use super::task_href;
use crate::components::progress_bar::{count_noun, format_count};
use crate::components::relative_time::{absolute_time, RelativeTime};
use crate::components::task_badges::{priority_label, status_label, type_label};
use annotask_core::entities::Task;
use annotask_core::iso8601;
use leptos::prelude::*;
use leptos_router::components::A;

/// The item counts by status, `remaining` last: "completed 3 · discard 1 · remaining 96".
pub fn status_breakdown(counts: &annotask_core::entities::ItemStatusCounts) -> String {
    let mut parts = vec![format!("completed {}", format_count(counts.completed))];
    parts.extend(
        counts
            .others
            .iter()
            // `actions` and the like are not counts.
            .filter_map(|(status, n)| Some(format!("{status} {}", format_count(n.as_u64()?)))),
    );
    parts.push(format!("remaining {}", format_count(counts.remaining)));
    parts.join(" · ")
}

#[component]
pub fn TaskDetails(task: Task) -> impl IntoView {
    let system = &task.metadata.system;
    let allocation = match (system.batch_size, system.max_batch_workload) {
        (Some(batch), max) => format!(
            "Pulling: batches of {batch}{}",
            max.map(|m| format!(", at most {m} items per assignee"))
                .unwrap_or_default()
        ),
        (None, Some(max)) => format!("Pulling: at most {max} items per assignee"),
        (None, None) => "Distribution: items are split between the assignees".into(),
    };
    let consensus = system.consensus_task_type.as_ref().map(|kind| {
        let mut text = status_label(kind);
        if let Some(p) = system.consensus_percentage {
            text.push_str(&format!(": {p}% of items"));
        }
        if let Some(n) = system.consensus_assignees {
            text.push_str(&format!(", {n} assignees per item"));
        }
        text
    });
    let actions = task
        .effective_actions()
        .into_iter()
        .map(|a| a.display_name)
        .collect::<Vec<_>>()
        .join(", ");
    let description = task
        .description
        .as_ref()
        .and_then(|d| d.get("content").and_then(|c| c.as_str()).or(d.as_str()))
        .filter(|d| !d.trim().is_empty())
        .map(str::to_string);
    let moment = |iso: &str| {
        iso8601::parse_millis(iso).map(|ms| {
            let ms = ms as f64;
            view! { {absolute_time(ms)} " (" <RelativeTime ms=ms /> ")" }
        })
    };
    let created = moment(&task.created_at);
    let updated = moment(&task.updated_at);

    view! {
        <section class="task-section" aria-labelledby="task-details-title">
            <h2 id="task-details-title" class="section-title">"Details"</h2>
            <dl class="facts">
                <div class="facts__row">
                    <dt>"Type"</dt>
                    <dd>{type_label(task.task_type())}</dd>
                </div>
                <div class="facts__row">
                    <dt>"Status"</dt>
                    <dd>{status_label(task.status.as_str())}</dd>
                </div>
                <div class="facts__row">
                    <dt>"Priority"</dt>
                    <dd>{priority_label(task.priority)}</dd>
                </div>
                <div class="facts__row">
                    <dt>"Due date"</dt>
                    <dd>
                        {match task.due_date {
                            Some(ms) => {
                                view! { {absolute_time(ms)} " (" <RelativeTime ms=ms /> ")" }
                                    .into_any()
                            }
                            None => "None".into_any(),
                        }}
                    </dd>
                </div>
                <div class="facts__row">
                    <dt>"Owner"</dt>
                    <dd>{task.task_owner.clone().unwrap_or_else(|| "—".into())}</dd>
                </div>
                <div class="facts__row">
                    <dt>"Creator"</dt>
                    <dd>{task.creator.clone().unwrap_or_else(|| "—".into())}</dd>
                </div>
                <div class="facts__row">
                    <dt>"Items"</dt>
                    <dd>
                        {count_noun(task.total_items, "item", "items")} <br />
                        <span class="muted">{status_breakdown(&task.item_status)}</span>
                    </dd>
                </div>
                <div class="facts__row">
                    <dt>"Waiting for review"</dt>
                    <dd>{format_count(task.for_review)}</dd>
                </div>
                <div class="facts__row">
                    <dt>"Open issues"</dt>
                    <dd>{format_count(task.issues)}</dd>
                </div>
                <div class="facts__row">
                    <dt>"Item statuses"</dt>
                    <dd>{actions}</dd>
                </div>
                <div class="facts__row">
                    <dt>"Allocation"</dt>
                    <dd>{allocation}</dd>
                </div>
                {consensus
                    .map(|c| {
                        view! {
                            <div class="facts__row">
                                <dt>"Consensus"</dt>
                                <dd>{c}</dd>
                            </div>
                        }
                    })}
                {task
                    .parent_task_id()
                    .map(str::to_string)
                    .map(|id| {
                        view! {
                            <div class="facts__row">
                                <dt>"Parent task"</dt>
                                <dd>
                                    <A href=task_href(&id)>{id.clone()}</A>
                                </dd>
                            </div>
                        }
                    })}
                {created
                    .map(|c| {
                        view! {
                            <div class="facts__row">
                                <dt>"Created"</dt>
                                <dd>{c}</dd>
                            </div>
                        }
                    })}
                {updated
                    .map(|u| {
                        view! {
                            <div class="facts__row">
                                <dt>"Updated"</dt>
                                <dd>{u}</dd>
                            </div>
                        }
                    })}
                {description
                    .map(|d| {
                        view! {
                            <div class="facts__row facts__row--wide">
                                <dt>"Description"</dt>
                                <dd>{d}</dd>
                            </div>
                        }
                    })}
                <div class="facts__row">
                    <dt>"Recipe"</dt>
                    <dd class="mono">{task.recipe_id.clone()}</dd>
                </div>
                <div class="facts__row">
                    <dt>"Task id"</dt>
                    <dd class="mono">{task.id.clone()}</dd>
                </div>
            </dl>
        </section>
    }
}
