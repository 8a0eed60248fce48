//! One task: every field, its items query as a readable filter tree (or raw JSON), its
//! assignments with each assignee's progress, and the way on (a QA task over it, or up
//! to its parent).

mod assignments;
mod details;
mod query_view;

use crate::api::use_api;
use crate::components::fetch_state::Loading;
use crate::components::load_error::LoadError;
use crate::components::page_title::use_page_title;
use crate::components::progress_bar::{Progress, ProgressBar};
use crate::components::project_switcher::{PageScope, Scope};
use crate::components::task_badges::{PriorityBadge, StatusBadge, TypeBadge};
use crate::pages::task_list::tasks_path;
use annotask_core::entities::Task;
use assignments::AssignmentsSection;
use details::TaskDetails;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use query_view::QueryView;

/// The create-task form, set up for a QA task over `task` (the form reads `type` and
/// `parent`).
pub fn qa_task_href(task: &Task) -> String {
    format!(
        "{}/new?type=qa&parent={}",
        tasks_path(&task.project_id, &task.dataset_id),
        js_sys::encode_uri_component(&task.id)
    )
}

/// `/tasks/:id`.
pub fn task_href(task_id: &str) -> String {
    format!("/tasks/{}", js_sys::encode_uri_component(task_id))
}

#[component]
pub fn TaskPage() -> impl IntoView {
    let api = use_api();
    let params = use_params_map();
    let task_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let task = LocalResource::new(move || {
        let api = api.clone();
        let id = task_id.get();
        async move { api.task(&id).await }
    });
    use_page_title(move || match task.get() {
        Some(Ok(t)) => t.name,
        _ => "Task".into(),
    });

    view! {
        <Transition fallback=|| view! { <Loading label="Loading the task…" /> }>
            {move || Suspend::new(async move {
                match task.await {
                    Err(e) => {
                        view! {
                            <LoadError
                                what="task"
                                error=e
                                on_retry=Callback::new(move |_| task.refetch())
                            />
                        }
                            .into_any()
                    }
                    Ok(t) => view! { <TaskView task=t /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TaskView(task: Task) -> impl IntoView {
    let api = use_api();
    // The header's switcher can't read the project and dataset from this URL.
    if let Some(scope) = use_context::<PageScope>() {
        scope.set_while_mounted(Scope {
            project_id: Some(task.project_id.clone()),
            dataset_id: Some(task.dataset_id.clone()),
        });
    }
    let dataset = LocalResource::new({
        let api = api.clone();
        let id = task.dataset_id.clone();
        move || {
            let api = api.clone();
            let id = id.clone();
            async move { api.dataset(&id).await }
        }
    });
    // The role decides whether "Create QA task" is offered (annotators may not create).
    let project = LocalResource::new({
        let api = api.clone();
        let id = task.project_id.clone();
        move || {
            let api = api.clone();
            let id = id.clone();
            async move { api.project(&id).await }
        }
    });
    let parent = LocalResource::new({
        let parent_id = task.parent_task_id().map(str::to_string);
        move || {
            let api = api.clone();
            let parent_id = parent_id.clone();
            async move {
                match parent_id {
                    Some(id) => api.task(&id).await.map(Some),
                    None => Ok(None),
                }
            }
        }
    });

    let back_href = tasks_path(&task.project_id, &task.dataset_id);
    // These reads sit in Suspense of their own, so that the page does not wait for them.
    let back_text = move || {
        Suspend::new(async move {
            match dataset.await {
                Ok(d) => format!("All tasks of {}", d.name),
                Err(_) => "All tasks of this dataset".into(),
            }
        })
    };
    let may_create = move || async move {
        matches!(project.await, Ok(p) if p.role.as_ref().is_none_or(|r| r.may_manage_tasks()))
    };
    let progress = Progress::from_counts(&task.item_status, task.total_items);
    let qa_href = qa_task_href(&task);
    let parent_id = task.parent_task_id().map(str::to_string);
    let is_qa = task.is_qa();

    view! {
        <article class="task-page" aria-labelledby="task-title">
            <p class="page-kicker">
                <A href=back_href attr:class="back-link">
                    <span aria-hidden="true">"← "</span>
                    <Suspense fallback=|| "All tasks of this dataset">{back_text}</Suspense>
                </A>
            </p>
            <div class="page-header">
                <div>
                    <h1 id="task-title" class="task-page__title">{task.name.clone()}</h1>
                    <p class="task-page__badges">
                        <TypeBadge task_type=task.task_type() />
                        <StatusBadge status=task.status.clone() />
                        <PriorityBadge priority=task.priority />
                        <span class="visually-hidden">" priority"</span>
                    </p>
                </div>
                <div class="page-header__actions">
                    {(!is_qa)
                        .then(|| {
                            let qa_href = qa_href.clone();
                            view! {
                                <Suspense>
                                    {move || {
                                        let qa_href = qa_href.clone();
                                        Suspend::new(async move {
                                            may_create()
                                                .await
                                                .then(|| {
                                                    view! {
                                                        <A href=qa_href attr:class="button button--primary">
                                                            "Create QA task"
                                                        </A>
                                                    }
                                                })
                                        })
                                    }}
                                </Suspense>
                            }
                        })}
                    {parent_id
                        .clone()
                        .map(|id| {
                            let href = task_href(&id);
                            let text = move || {
                                Suspend::new(async move {
                                    match parent.await {
                                        Ok(Some(p)) => format!("Parent task: {}", p.name),
                                        _ => "Parent task".into(),
                                    }
                                })
                            };
                            view! {
                                <A href=href attr:class="button">
                                    <Suspense fallback=|| "Parent task">{text}</Suspense>
                                </A>
                            }
                        })}
                </div>
            </div>
            <ProgressBar label=format!("Progress of {}", task.name) progress=progress />
            <TaskDetails task=task.clone() />
            <QueryView task=task.clone() />
            <AssignmentsSection task=task />
        </article>
    }
}
