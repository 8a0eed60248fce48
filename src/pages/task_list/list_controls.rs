//! The task list's search, filters and sort order, and its pager.

use super::list_query::{TaskListPage, TaskListQuery, TaskSort, STATUSES};
use crate::components::task_badges::{status_label, type_label};
use annotask_core::entities::{TaskStatus, TaskType};
use leptos::prelude::*;

/// Search by name, filter by type and status, choose the order. Each change is applied at
/// once (the list is already loaded) and goes back to page 1.
#[component]
pub fn ListControls(
    /// The current search, filters and order.
    query: Memo<TaskListQuery>,
    /// Asked to show another query; the flag says whether to replace the history entry.
    set_query: Callback<(TaskListQuery, bool)>,
) -> impl IntoView {
    let update = move |change: &dyn Fn(&mut TaskListQuery), replace: bool| {
        let mut next = query.get_untracked().first_page();
        change(&mut next);
        set_query.run((next, replace));
    };
    view! {
        <form class="list-controls" role="search" aria-label="Filter tasks" on:submit=|ev| ev.prevent_default()>
            <div class="field list-controls__search">
                <label class="field__label" for="task-search">
                    "Search by name"
                </label>
                <input
                    id="task-search"
                    class="input"
                    type="search"
                    autocomplete="off"
                    prop:value=move || query.read().search.clone()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        update(&|q| q.search = text.clone(), true)
                    }
                />
            </div>
            <div class="field">
                <label class="field__label" for="task-type">
                    "Type"
                </label>
                <select
                    id="task-type"
                    class="input"
                    prop:value=move || {
                        query.read().task_type.map(TaskType::as_str).unwrap_or_default().to_string()
                    }
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        update(&|q| q.task_type = TaskType::parse(&value), false)
                    }
                >
                    <option value="">"All types"</option>
                    {[TaskType::Annotation, TaskType::Qa]
                        .into_iter()
                        .map(|t| {
                            view! {
                                <option
                                    value=t.as_str()
                                    selected=move || query.read().task_type == Some(t)
                                >
                                    {type_label(t)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="task-status">
                    "Status"
                </label>
                <select
                    id="task-status"
                    class="input"
                    prop:value=move || {
                        query.read().status.as_ref().map(|s| s.as_str().to_string()).unwrap_or_default()
                    }
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        update(
                            &|q| {
                                q.status = (!value.is_empty()).then(|| TaskStatus::parse(&value))
                            },
                            false,
                        )
                    }
                >
                    <option value="">"All statuses"</option>
                    {STATUSES
                        .into_iter()
                        .map(|s| {
                            let selected = s.clone();
                            view! {
                                <option
                                    value=s.as_str().to_string()
                                    selected=move || query.read().status.as_ref() == Some(&selected)
                                >
                                    {status_label(s.as_str())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="task-sort">
                    "Sort by"
                </label>
                <select
                    id="task-sort"
                    class="input"
                    prop:value=move || query.read().sort.as_param()
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        update(&|q| q.sort = TaskSort::parse(&value).unwrap_or_default(), false)
                    }
                >
                    {TaskSort::ALL
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option value=s.as_param() selected=move || query.read().sort == s>
                                    {s.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        </form>
    }
}

/// Previous / Page n of m / Next, shown only when there is more than one page.
#[component]
pub fn Pager(
    page: Memo<TaskListPage>,
    query: Memo<TaskListQuery>,
    set_query: Callback<(TaskListQuery, bool)>,
) -> impl IntoView {
    // Pages are history entries: Back returns to the previous page.
    let go = move |n: usize| {
        let next = TaskListQuery {
            page: n,
            ..query.get_untracked()
        };
        set_query.run((next, false));
    };
    view! {
        <Show when=move || { page.read().page_count > 1 }>
            <nav class="pager" aria-label="Pages of tasks">
                <button
                    type="button"
                    class="button"
                    disabled=move || page.read().page <= 1
                    on:click=move |_| go(page.get_untracked().page - 1)
                >
                    "Previous page"
                </button>
                <span class="pager__position">
                    {move || format!("Page {} of {}", page.read().page, page.read().page_count)}
                </span>
                <button
                    type="button"
                    class="button"
                    disabled=move || page.read().page >= page.read().page_count
                    on:click=move |_| go(page.get_untracked().page + 1)
                >
                    "Next page"
                </button>
            </nav>
        </Show>
    }
}
