//! A project's datasets, each leading to its tasks.

use crate::api::use_api;
use crate::components::fetch_state::{EmptyState, ErrorPanel, Loading};
use crate::components::load_error::LoadError;
use crate::components::page_title::use_page_title;
use crate::components::progress_bar::count_noun;
use crate::components::relative_time::RelativeTime;
use annotask_core::entities::Dataset;
use annotask_core::iso8601;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DatasetsPage() -> impl IntoView {
    let api = use_api();
    let params = use_params_map();
    let project_id = Memo::new(move |_| params.read().get("project").unwrap_or_default());

    let project = LocalResource::new({
        let api = api.clone();
        move || {
            let api = api.clone();
            let id = project_id.get();
            async move { api.project(&id).await }
        }
    });
    let datasets = LocalResource::new(move || {
        let api = api.clone();
        let id = project_id.get();
        async move { api.datasets(&id).await }
    });
    use_page_title(move || match project.get() {
        Some(Ok(p)) => format!("Datasets of {}", p.name),
        _ => "Datasets".into(),
    });

    view! {
        <Transition fallback=|| view! { <Loading label="Loading the project…" /> }>
            {move || Suspend::new(async move {
                match project.await {
                    Err(e) => {
                        view! {
                            <LoadError
                                what="project"
                                error=e
                                on_retry=Callback::new(move |_| project.refetch())
                            />
                        }
                            .into_any()
                    }
                    Ok(p) => {
                        view! {
                            <section class="datasets" aria-labelledby="datasets-title">
                                <p class="page-kicker">"Project"</p>
                                <h1 id="datasets-title">{p.name.clone()}</h1>
                                <h2 class="section-title">"Datasets"</h2>
                                <DatasetList datasets project_id=project_id.get_untracked() />
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn DatasetList(
    datasets: LocalResource<Result<Vec<Dataset>, crate::api::ApiError>>,
    project_id: String,
) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <Loading label="Loading datasets…" /> }>
            {move || {
                let project_id = project_id.clone();
                Suspend::new(async move {
                    match datasets.await {
                        Err(e) => {
                            view! {
                                <ErrorPanel
                                    title="Could not load the datasets"
                                    message=e.to_string()
                                    on_retry=Callback::new(move |_| datasets.refetch())
                                />
                            }
                                .into_any()
                        }
                        Ok(list) if list.is_empty() => {
                            view! {
                                <EmptyState
                                    title="No datasets in this project"
                                    hint="Tasks are created over a dataset's items. Add a dataset to this project on the platform, then reload this page."
                                />
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="card-list" aria-label="Datasets">
                                    <For each=move || list.clone() key=|d| d.id.clone() let:dataset>
                                        <DatasetCard dataset=dataset project_id=project_id.clone() />
                                    </For>
                                </ul>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn DatasetCard(dataset: Dataset, project_id: String) -> impl IntoView {
    let href = format!(
        "/projects/{}/datasets/{}/tasks",
        js_sys::encode_uri_component(&project_id),
        js_sys::encode_uri_component(&dataset.id)
    );
    let created = iso8601::parse_millis(&dataset.created_at);
    view! {
        <li class="card card--link">
            <h3 class="card__title">
                <A href=href attr:class="card__link">
                    {dataset.name.clone()}
                </A>
            </h3>
            <ul class="card__facts">
                <li>
                    {dataset
                        .items_count
                        .map(|n| count_noun(n.into(), "item", "items"))
                        .unwrap_or_else(|| "Item count unknown".into())}
                </li>
                {created
                    .map(|ms| {
                        view! {
                            <li>
                                "Created " <RelativeTime ms=ms as f64 />
                            </li>
                        }
                    })}
                {dataset.readonly.unwrap_or(false).then(|| view! { <li>"Read-only"</li> })}
            </ul>
        </li>
    }
}
