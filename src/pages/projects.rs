//! The projects the signed-in user belongs to.

use crate::api::use_api;
use crate::components::fetch_state::{EmptyState, ErrorPanel, Loading};
use crate::components::page_title::use_page_title;
use crate::components::progress_bar::count_noun;
use annotask_core::entities::{Project, Role};
use leptos::prelude::*;
use leptos_router::components::A;

/// A role as people say it: "annotationManager" → "Annotation manager".
pub fn role_label(role: &Role) -> String {
    match role {
        Role::Owner => "Owner".into(),
        Role::Engineer => "Engineer".into(),
        Role::AnnotationManager => "Annotation manager".into(),
        Role::Annotator => "Annotator".into(),
        Role::Other(other) => other.clone(),
    }
}

#[component]
pub fn ProjectsPage() -> impl IntoView {
    use_page_title(|| "Projects".into());
    let api = use_api();
    let projects = LocalResource::new(move || {
        let api = api.clone();
        async move { api.projects().await }
    });

    view! {
        <section class="projects" aria-labelledby="projects-title">
            <h1 id="projects-title">"Projects"</h1>
            <Transition fallback=|| view! { <Loading label="Loading projects…" /> }>
                {move || Suspend::new(async move {
                    match projects.await {
                        Err(e) => {
                            view! {
                                <ErrorPanel
                                    title="Could not load projects"
                                    message=e.to_string()
                                    on_retry=Callback::new(move |_| projects.refetch())
                                />
                            }
                                .into_any()
                        }
                        Ok(list) if list.is_empty() => {
                            view! {
                                <EmptyState
                                    title="No projects yet"
                                    hint="You are not a member of any project. Ask a project owner to add you, then reload this page."
                                />
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="card-list" aria-label="Projects">
                                    <For each=move || list.clone() key=|p| p.id.clone() let:project>
                                        <ProjectCard project=project />
                                    </For>
                                </ul>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// One project: its name (a link to its datasets), the user's role, and how much is in it.
#[component]
fn ProjectCard(project: Project) -> impl IntoView {
    let api = use_api();
    let id = project.id.clone();
    // The dataset count needs a query of its own; the card is useful before it arrives.
    let datasets = LocalResource::new(move || {
        let api = api.clone();
        let id = id.clone();
        async move { api.datasets(&id).await.map(|d| d.len() as u64) }
    });
    let href = format!(
        "/projects/{}/datasets",
        js_sys::encode_uri_component(&project.id)
    );
    view! {
        <li class="card card--link">
            <h2 class="card__title">
                <A href=href attr:class="card__link">
                    {project.name.clone()}
                </A>
            </h2>
            <ul class="card__facts">
                // Its own Suspense: the list need not wait for every card's count.
                <li>
                    <Suspense fallback=|| "Counting datasets…">
                        {move || Suspend::new(async move {
                            match datasets.await {
                                Ok(n) => count_noun(n, "dataset", "datasets"),
                                Err(e) => format!("Datasets: unavailable ({e})"),
                            }
                        })}
                    </Suspense>
                </li>
                <li>{count_noun(project.contributors.len() as u64, "member", "members")}</li>
                {project
                    .role
                    .as_ref()
                    .map(|r| view! { <li>{format!("Your role: {}", role_label(r))}</li> })}
            </ul>
        </li>
    }
}
