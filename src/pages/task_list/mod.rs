//! A dataset's tasks: searchable, filterable, sortable and paged, with each task's
//! progress, and the way to the create-task form.

mod list_controls;
pub mod list_query;
mod task_table;

use crate::api::{use_api, ApiError};
use crate::components::fetch_state::{EmptyState, ErrorPanel, Loading};
use crate::components::load_error::LoadError;
use crate::components::page_title::use_page_title;
use crate::components::progress_bar::count_noun;
use annotask_core::entities::{Project, Task};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use list_controls::{ListControls, Pager};
use list_query::TaskListQuery;
use task_table::TaskTable;

/// `/projects/:project/datasets/:dataset/tasks` with the ids percent-encoded.
pub fn tasks_path(project_id: &str, dataset_id: &str) -> String {
    format!(
        "/projects/{}/datasets/{}/tasks",
        js_sys::encode_uri_component(project_id),
        js_sys::encode_uri_component(dataset_id)
    )
}

#[component]
pub fn TaskListPage() -> impl IntoView {
    let api = use_api();
    let params = use_params_map();
    let project_id = Memo::new(move |_| params.read().get("project").unwrap_or_default());
    let dataset_id = Memo::new(move |_| params.read().get("dataset").unwrap_or_default());

    let project = LocalResource::new({
        let api = api.clone();
        move || {
            let api = api.clone();
            let id = project_id.get();
            async move { api.project(&id).await }
        }
    });
    let dataset = LocalResource::new({
        let api = api.clone();
        move || {
            let api = api.clone();
            let id = dataset_id.get();
            async move { api.dataset(&id).await }
        }
    });
    let tasks = LocalResource::new(move || {
        let api = api.clone();
        let (project, dataset) = (project_id.get(), dataset_id.get());
        async move { api.tasks(&project, &dataset).await }
    });
    use_page_title(move || match dataset.get() {
        Some(Ok(d)) => format!("Tasks of {}", d.name),
        _ => "Tasks".into(),
    });

    view! {
        <Transition fallback=|| view! { <Loading label="Loading the dataset…" /> }>
            {move || Suspend::new(async move {
                match (project.await, dataset.await) {
                    (Err(e), _) => {
                        view! {
                            <LoadError
                                what="project"
                                error=e
                                on_retry=Callback::new(move |_| project.refetch())
                            />
                        }
                            .into_any()
                    }
                    (_, Err(e)) => {
                        view! {
                            <LoadError
                                what="dataset"
                                error=e
                                on_retry=Callback::new(move |_| dataset.refetch())
                            />
                        }
                            .into_any()
                    }
                    (Ok(p), Ok(d)) => {
                        let new_task_href = format!(
                            "{}/new",
                            tasks_path(&project_id.get_untracked(), &dataset_id.get_untracked()),
                        );
                        let may_create = may_create_tasks(&p);
                        view! {
                            <section class="task-list" aria-labelledby="task-list-title">
                                <div class="page-header">
                                    <div>
                                        <p class="page-kicker">
                                            {format!("{} · dataset", p.name)}
                                        </p>
                                        <h1 id="task-list-title">{format!("Tasks of {}", d.name)}</h1>
                                        <p class="page-header__meta">
                                            {d
                                                .items_count
                                                .map(|n| count_noun(n.into(), "item", "items"))}
                                        </p>
                                    </div>
                                    {may_create
                                        .then(|| {
                                            view! {
                                                <A href=new_task_href.clone() attr:class="button button--primary">
                                                    "New task"
                                                </A>
                                            }
                                        })}
                                </div>
                                <TaskListBody tasks may_create new_task_href />
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Managers create tasks; an annotator's role can't (the server would refuse with 403).
fn may_create_tasks(project: &Project) -> bool {
    project.role.as_ref().is_none_or(|r| r.may_manage_tasks())
}

/// The controls, the table and the pager, over the loaded tasks.
#[component]
fn TaskListBody(
    tasks: LocalResource<Result<Vec<Task>, ApiError>>,
    may_create: bool,
    new_task_href: String,
) -> impl IntoView {
    let query_map = use_query_map();
    let navigate = use_navigate();
    let params = use_params_map();
    let list_query =
        Memo::new(move |_| query_map.with(|q| TaskListQuery::from_params(|key| q.get(key))));
    // Every change of search, filter, sort or page is a new URL; typing replaces the entry
    // rather than adding one per key.
    let set_query = Callback::new(move |(next, replace): (TaskListQuery, bool)| {
        let path = params.with_untracked(|p| {
            tasks_path(
                &p.get("project").unwrap_or_default(),
                &p.get("dataset").unwrap_or_default(),
            )
        });
        let search = next.to_query_string();
        let url = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        navigate(
            &url,
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    });

    view! {
        <ListControls query=list_query set_query />
        <Transition fallback=|| view! { <Loading label="Loading tasks…" /> }>
            {move || {
                let new_task_href = new_task_href.clone();
                Suspend::new(async move {
                    match tasks.await {
                        Err(e) => {
                            view! {
                                <ErrorPanel
                                    title="Could not load the tasks"
                                    message=e.to_string()
                                    on_retry=Callback::new(move |_| tasks.refetch())
                                />
                            }
                                .into_any()
                        }
                        Ok(all) if all.is_empty() => {
                            let hint = if may_create {
                                "Create a task to send this dataset's items to annotators or reviewers."
                            } else {
                                "Tasks that a manager creates over this dataset will be listed here."
                            };
                            view! {
                                <EmptyState title="No tasks in this dataset yet" hint=hint>
                                    {may_create
                                        .then(|| {
                                            view! {
                                                <A href=new_task_href.clone() attr:class="button">
                                                    "Create the first task"
                                                </A>
                                            }
                                        })}
                                </EmptyState>
                            }
                                .into_any()
                        }
                        Ok(all) => {
                            let page = Memo::new(move |_| list_query.read().apply(&all));
                            view! {
                                <TaskResults page list_query set_query />
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Transition>
    }
}

/// The count, the table (or why it is empty) and the pager for one page of the list.
#[component]
fn TaskResults(
    page: Memo<list_query::TaskListPage>,
    list_query: Memo<TaskListQuery>,
    set_query: Callback<(TaskListQuery, bool)>,
) -> impl IntoView {
    let summary = move || {
        let p = page.read();
        if p.matching == 0 {
            return "No tasks match.".to_string();
        }
        let (first, last) = p.range();
        let noun = count_noun(p.matching as u64, "task", "tasks");
        if p.page_count > 1 {
            format!("Showing {first}–{last} of {noun}.")
        } else if list_query.read().is_filtered() {
            format!("{noun} match.")
        } else {
            format!("{noun}.")
        }
    };
    let clear = move |_| {
        let q = list_query.get_untracked();
        set_query.run((
            TaskListQuery {
                sort: q.sort,
                ..TaskListQuery::default()
            },
            false,
        ));
    };
    view! {
        <p class="task-list__summary" role="status">
            {summary}
        </p>
        {move || {
            if page.read().matching == 0 {
                view! {
                    <EmptyState
                        title="No tasks match the search and filters"
                        hint="Try another part of the name, or clear the filters to see every task."
                    >
                        <button type="button" class="button" on:click=clear>
                            "Clear search and filters"
                        </button>
                    </EmptyState>
                }
                    .into_any()
            } else {
                view! {
                    <TaskTable rows=Signal::derive(move || page.read().rows.clone()) sort=Signal::derive(move || list_query.read().sort) />
                }
                    .into_any()
            }
        }}
        <Pager page query=list_query set_query />
    }
}
