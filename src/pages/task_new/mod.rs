//! The create-task form: one page, numbered sections in order, each marked complete or
//! not; the same `validate()` as the server (annotask-core) with the errors beside their
//! fields; the draft saved to localStorage per dataset and restored on return, with
//! "Discard draft"; and creation followed through its Command to the new task's page.
//!
//! `?type=qa&parent=<taskId>` (the task page's "Create QA task") opens the form as a QA
//! task of that parent, as `create_qa_task` prepares it.

mod allocation_section;
mod assignees_section;
mod draft_edits;
mod draft_notice;
mod draft_storage;
mod due_date_section;
mod form_body;
mod form_section;
mod form_state;
mod items_section;
mod items_source;
mod local_time;
mod name_section;
mod priority_section;
mod section_nav;
mod statuses_section;
mod submit;
mod submit_area;
mod summary;
mod task_type_section;
mod workload_section;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::use_api;
use crate::components::fetch_state::{ErrorPanel, Loading};
use crate::components::load_error::LoadError;
use crate::components::page_title::use_page_title;

use draft_notice::{Prefill, TaskFormView};

/// The route's page: loads the dataset, its project's members and its tasks, then shows
/// the form.
#[component]
pub fn TaskNewPage() -> impl IntoView {
    let api = use_api();
    let params = use_params_map();
    let query = use_query_map();
    let project_id = Memo::new(move |_| params.with(|p| p.get("project").unwrap_or_default()));
    let dataset_id = Memo::new(move |_| params.with(|p| p.get("dataset").unwrap_or_default()));
    use_page_title(|| "New task".to_owned());

    let dataset = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, id) = (api.clone(), dataset_id.get());
            async move { api.dataset(&id).await }
        })
    };
    let members = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, id) = (api.clone(), project_id.get());
            async move { api.members(&id).await }
        })
    };
    let tasks = LocalResource::new(move || {
        let (api, project, dataset) = (api.clone(), project_id.get(), dataset_id.get());
        async move { api.tasks(&project, &dataset).await }
    });
    let retry = Callback::new(move |_| {
        dataset.refetch();
        members.refetch();
        tasks.refetch();
    });
    let tasks_href = move || {
        format!(
            "/projects/{}/datasets/{}/tasks",
            project_id.get(),
            dataset_id.get()
        )
    };

    view! {
        <div class="task-new">
            <p class="task-new__back">
                <A href=tasks_href>"← Back to the dataset's tasks"</A>
            </p>
            <Transition fallback=|| {
                view! { <Loading label="Loading the dataset, its members and its tasks…" /> }
            }>
                {move || Suspend::new(async move {
                    let (dataset, members, tasks) = (dataset.await, members.await, tasks.await);
                    match (dataset, members, tasks) {
                        (Err(e), _, _) => {
                            view! { <LoadError what="dataset" error=e on_retry=retry /> }.into_any()
                        }
                        (_, Err(e), _) => {
                            view! {
                                <ErrorPanel
                                    title="Could not load the project's members"
                                    message=e.to_string()
                                    on_retry=retry
                                />
                            }
                                .into_any()
                        }
                        (_, _, Err(e)) => {
                            view! {
                                <ErrorPanel
                                    title="Could not load the dataset's tasks"
                                    message=e.to_string()
                                    on_retry=retry
                                />
                            }
                                .into_any()
                        }
                        (Ok(dataset), Ok(members), Ok(tasks)) => {
                            let prefill = Prefill::from_query(
                                query.with_untracked(|q| q.get("type")),
                                query.with_untracked(|q| q.get("parent")),
                            );
                            view! {
                                <TaskFormView
                                    project_id=project_id.get_untracked()
                                    dataset=dataset
                                    members=members
                                    tasks=tasks
                                    prefill=prefill
                                />
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </div>
    }
}
