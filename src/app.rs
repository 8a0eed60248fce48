//! The root component: reads config.json, provides the session and API handle, and routes.

use crate::api::Api;
use crate::components::fetch_state::ErrorPanel;
use crate::components::header::Header;
use crate::components::require_session::RequireSession;
use crate::config;
use crate::pages::datasets::DatasetsPage;
use crate::pages::not_found::NotFound;
use crate::pages::projects::ProjectsPage;
use crate::pages::signin::SignInPage;
use crate::pages::task_list::TaskListPage;
use crate::pages::task_new::TaskNewPage;
use crate::pages::task_page::TaskPage;
use crate::session::SessionState;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let session = SessionState::new();
    provide_context(session);
    let config = LocalResource::new(config::load);

    view! {
        <Suspense fallback=|| view! { <p class="app-loading" role="status">"Loading annotask…"</p> }>
            {move || Suspend::new(async move {
                match config.await {
                    Ok(cfg) => {
                        provide_context(Api { config: cfg, session });
                        view! { <AppRoutes /> }.into_any()
                    }
                    Err(message) => {
                        view! {
                            <main class="page">
                                <ErrorPanel
                                    title="annotask cannot start"
                                    message=message
                                    on_retry=Callback::new(move |_| config.refetch())
                                />
                            </main>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The routes; every page but sign-in needs a session.
#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Router base=config::base_path()>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/projects" /> } />
                    <Route path=path!("/signin") view=SignInPage />
                    <Route
                        path=path!("/projects")
                        view=|| view! { <RequireSession><ProjectsPage /></RequireSession> }
                    />
                    <Route
                        path=path!("/projects/:project/datasets")
                        view=|| view! { <RequireSession><DatasetsPage /></RequireSession> }
                    />
                    <Route
                        path=path!("/projects/:project/datasets/:dataset/tasks")
                        view=|| view! { <RequireSession><TaskListPage /></RequireSession> }
                    />
                    <Route
                        path=path!("/projects/:project/datasets/:dataset/tasks/new")
                        view=|| view! { <RequireSession><TaskNewPage /></RequireSession> }
                    />
                    <Route
                        path=path!("/tasks/:id")
                        view=|| view! { <RequireSession><TaskPage /></RequireSession> }
                    />
                </Routes>
            </main>
        </Router>
    }
}
