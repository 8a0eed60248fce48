//! A task's assignments: who works on it, on how many items, and how far they are.

use super::details::status_breakdown;
use crate::api::use_api;
use crate::components::fetch_state::{EmptyState, ErrorPanel, Loading};
use crate::components::progress_bar::{format_count, Progress, ProgressBar};
use crate::components::task_badges::AssignmentStatusBadge;
use annotask_core::entities::{Assignment, Task};
use leptos::prelude::*;

#[component]
pub fn AssignmentsSection(task: Task) -> impl IntoView {
    let api = use_api();
    let (project_id, task_id) = (task.project_id.clone(), task.id.clone());
    let assignments = LocalResource::new(move || {
        let api = api.clone();
        let (project_id, task_id) = (project_id.clone(), task_id.clone());
        async move { api.assignments(&project_id, &task_id).await }
    });
    let pulling = task.metadata.system.batch_size.is_some();

    view! {
        <section class="task-section" aria-labelledby="task-assignments-title">
            <h2 id="task-assignments-title" class="section-title">"Assignments"</h2>
            <Transition fallback=|| view! { <Loading label="Loading assignments…" /> }>
                {move || Suspend::new(async move {
                    match assignments.await {
                        Err(e) => {
                            view! {
                                <ErrorPanel
                                    title="Could not load the assignments"
                                    message=e.to_string()
                                    on_retry=Callback::new(move |_| assignments.refetch())
                                />
                            }
                                .into_any()
                        }
                        Ok(list) if list.is_empty() => {
                            let hint = if pulling {
                                "Assignees pull batches of items when they start working; their assignments appear here then."
                            } else {
                                "Nobody works on this task yet. Assignments appear here once the task has assignees."
                            };
                            view! { <EmptyState title="No assignments yet" hint=hint /> }
                                .into_any()
                        }
                        Ok(list) => view! { <AssignmentTable list /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AssignmentTable(list: Vec<Assignment>) -> impl IntoView {
    view! {
        <div class="task-table__wrap">
            <table class="task-table task-table--assignments" role="table" aria-labelledby="task-assignments-title">
                <thead role="rowgroup">
                    <tr role="row">
                        <th role="columnheader" scope="col">"Assignee"</th>
                        <th role="columnheader" scope="col">"Status"</th>
                        <th role="columnheader" scope="col">"Items"</th>
                        <th role="columnheader" scope="col">"By item status"</th>
                        <th role="columnheader" scope="col">"Progress"</th>
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    <For each=move || list.clone() key=|a| a.id.clone() let:assignment>
                        <AssignmentRow assignment=assignment />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn AssignmentRow(assignment: Assignment) -> impl IntoView {
    let progress = Progress::from_counts(&assignment.item_status, assignment.total_items);
    let label = format!("Progress of {}", assignment.annotator);
    view! {
        <tr role="row" class="task-table__row">
            <th role="rowheader" scope="row" class="task-table__name">
                {assignment.annotator.clone()}
            </th>
            <td role="cell" data-label="Status">
                <AssignmentStatusBadge status=assignment.status.clone() />
            </td>
            <td role="cell" data-label="Items" class="task-table__number">
                {format_count(assignment.total_items)}
            </td>
            <td role="cell" data-label="By item status" class="task-table__breakdown">
                {status_breakdown(&assignment.item_status)}
            </td>
            <td role="cell" data-label="Progress" class="task-table__progress">
                <ProgressBar label=label progress=progress />
            </td>
        </tr>
    }
}
