//! The table of tasks. On narrow screens each row becomes a card (CSS), so the table's roles
//! are spelled out: browsers drop the implicit ones once `display` is changed.

use super::list_query::TaskSort;
use crate::components::progress_bar::{Progress, ProgressBar};
use crate::components::relative_time::RelativeTime;
use crate::components::task_badges::{PriorityBadge, StatusBadge, TypeBadge};
use annotask_core::entities::{Task, TaskStatus};
use leptos::prelude::*;
use leptos_router::components::A;

/// Whether a task is past its due date and still has work left.
pub fn is_overdue(task: &Task, now_ms: f64) -> bool {
    let finished = matches!(
        task.status,
        TaskStatus::Completed | TaskStatus::CompletedWithIssues | TaskStatus::Dismissed
    );
    !finished && task.due_date.is_some_and(|due| due < now_ms)
}

#[component]
pub fn TaskTable(
    /// The tasks of the current page, in order.
    rows: Signal<Vec<Task>>,
    /// The order, marked on the column it sorts by.
    sort: Signal<TaskSort>,
) -> impl IntoView {
    let aria_sort = move |column: TaskSort| {
        move || {
            if sort.get() == column {
                "ascending"
            } else {
                "none"
            }
        }
    };
    view! {
        <div class="task-table__wrap">
            <table class="task-table" role="table" aria-labelledby="task-list-title">
                <thead role="rowgroup">
                    <tr role="row">
                        <th role="columnheader" scope="col" aria-sort=aria_sort(TaskSort::Name)>
                            "Name"
                        </th>
                        <th role="columnheader" scope="col">"Type"</th>
                        <th role="columnheader" scope="col">"Status"</th>
                        <th role="columnheader" scope="col">"Priority"</th>
                        <th role="columnheader" scope="col" aria-sort=aria_sort(TaskSort::DueDate)>
                            "Due"
                        </th>
                        <th role="columnheader" scope="col">"Owner"</th>
                        <th role="columnheader" scope="col">"Assignees"</th>
                        <th role="columnheader" scope="col">"Progress"</th>
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    <For each=move || rows.get() key=|t| t.id.clone() let:task>
                        <TaskRow task=task />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn TaskRow(task: Task) -> impl IntoView {
    let href = format!("/tasks/{}", js_sys::encode_uri_component(&task.id));
    let progress = Progress::from_counts(&task.item_status, task.total_items);
    let overdue = is_overdue(&task, js_sys::Date::now());
    let assignees = task.assignment_ids.len();
    let progress_label = format!("Progress of {}", task.name);
    let name = task.name.clone();
    view! {
        <tr role="row" class="task-table__row">
            <th role="rowheader" scope="row" class="task-table__name">
                <A href=href>{name.clone()}</A>
            </th>
            <td role="cell" data-label="Type">
                <TypeBadge task_type=task.task_type() />
            </td>
            <td role="cell" data-label="Status">
                <StatusBadge status=task.status.clone() />
            </td>
            <td role="cell" data-label="Priority">
                <PriorityBadge priority=task.priority />
            </td>
            <td role="cell" data-label="Due" class:task-table__due--overdue=overdue>
                {match task.due_date {
                    Some(ms) => {
                        view! {
                            <span>
                                <RelativeTime ms=ms />
                                {overdue
                                    .then(|| view! { <span class="badge badge--danger">"Overdue"</span> })}
                            </span>
                        }
                            .into_any()
                    }
                    None => view! { <span class="muted">"No due date"</span> }.into_any(),
                }}
            </td>
            <td role="cell" data-label="Owner" class="task-table__owner">
                {task.task_owner.clone().unwrap_or_else(|| "—".into())}
            </td>
            <td role="cell" data-label="Assignees" class="task-table__number">
                {assignees}
            </td>
            <td role="cell" data-label="Progress" class="task-table__progress">
                <ProgressBar label=progress_label progress=progress />
            </td>
        </tr>
    }
}
