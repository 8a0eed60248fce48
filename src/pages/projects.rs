//! The projects the signed-in user belongs to.

use crate::api::use_api;
use crate::components::fetch_state::{EmptyState, ErrorPanel, Loading};
use leptos::prelude::*;

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let api = use_api();
    let projects = LocalResource::new(move || {
        let api = api.clone();
        async move { api.projects().await }
    });

    view! {
        <section class="projects">
            <h1>"Projects"</h1>
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
                                    hint="Ask a project owner to add you as a member."
                                />
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="card-list" aria-label="Projects">
                                    <For each=move || list.clone() key=|p| p.id.clone() let:project>
                                        <li class="card">
                                            <h2 class="card__title">{project.name.clone()}</h2>
                                        </li>
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
