//! The root component: reads config.json, provides the session and API handle, and routes.

use crate::api::Api;
use crate::components::fetch_state::ErrorPanel;
use crate::components::header::Header;
use crate::components::project_switcher::PageScope;
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
use leptos_router::hooks::{use_location, use_params_map};
use leptos_router::{path, NavigateOptions};
use wasm_bindgen::JsCast;

#[component]
pub fn App() -> impl IntoView {
    let session = SessionState::new();
    provide_context(session);
    provide_context(PageScope(RwSignal::new(None)));
    crate::components::relative_time::provide_clock();
    let config = LocalResource::new(config::load);

    // Not a <Suspense>: each page shows its own loading states, and a resource read outside
    // them (the header's switcher) must not swap the whole app for this fallback.
    move || match config.get() {
        None => view! { <p class="app-loading" role="status">"Loading annotask…"</p> }.into_any(),
        Some(Ok(cfg)) => {
            let api = Api::new(cfg, session);
            api.keep_token_fresh();
            provide_context(api);
            view! { <AppRoutes /> }.into_any()
        }
        Some(Err(message)) => view! {
            <main class="page">
                <ErrorPanel
                    title="annotask cannot start"
                    message=message
                    on_retry=Callback::new(move |_| config.refetch())
                />
            </main>
        }
        .into_any(),
    }
}

/// The routes; every page but sign-in needs a session.
#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Router base=config::base_path()>
            <FocusAfterNavigation />
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/projects" options=replace() /> } />
                    <Route path=path!("/signin") view=SignInPage />
                    <Route
                        path=path!("/projects")
                        view=|| view! { <RequireSession><ProjectsPage /></RequireSession> }
                    />
                    <Route path=path!("/projects/:project") view=ToDatasets />
                    <Route
                        path=path!("/projects/:project/datasets")
                        view=|| view! { <RequireSession><DatasetsPage /></RequireSession> }
                    />
                    <Route path=path!("/projects/:project/datasets/:dataset") view=ToTasks />
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

/// Redirects take the place of the address that led to them, so Back skips them.
fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

/// `/projects/:project` has nothing of its own: show the project's datasets.
#[component]
fn ToDatasets() -> impl IntoView {
    let params = use_params_map();
    let project = params.read_untracked().get("project").unwrap_or_default();
    let href = format!(
        "/projects/{}/datasets",
        js_sys::encode_uri_component(&project)
    );
    view! { <Redirect path=href options=replace() /> }
}

/// `/projects/:project/datasets/:dataset` likewise: show the dataset's tasks.
#[component]
fn ToTasks() -> impl IntoView {
    let params = use_params_map();
    let (project, dataset) = params.with_untracked(|p| {
        (
            p.get("project").unwrap_or_default(),
            p.get("dataset").unwrap_or_default(),
        )
    });
    let href = format!(
        "/projects/{}/datasets/{}/tasks",
        js_sys::encode_uri_component(&project),
        js_sys::encode_uri_component(&dataset)
    );
    view! { <Redirect path=href options=replace() /> }
}

/// After moving to another page, put keyboard focus at the start of the new content, as a
/// full page load would: the link that was activated goes away with the old page, and focus
/// would otherwise fall back to the top of the document. The router keeps the old page until
/// the new one has its data, so this waits (a few seconds at most) for that moment. Focus the
/// user has meanwhile placed elsewhere is left alone.
#[component]
fn FocusAfterNavigation() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            let target = path.clone();
            leptos::task::spawn_local(async move {
                for _ in 0..60 {
                    gloo_timers::future::TimeoutFuture::new(50).await;
                    let still_here =
                        location.pathname.try_get_untracked().as_ref() == Some(&target);
                    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
                        return;
                    };
                    if !still_here {
                        return;
                    }
                    let focus_lost = document
                        .active_element()
                        .is_none_or(|el| el.tag_name().eq_ignore_ascii_case("body"));
                    if focus_lost {
                        if let Some(main) = document.get_element_by_id("main") {
                            focus_without_scrolling(&main);
                        }
                        return;
                    }
                }
            });
        }
        path
    });
}

/// `element.focus({preventScroll: true})`: the router has already scrolled to the top, and
/// on a narrow screen focusing `<main>` would scroll the header out of view. (Through
/// `Reflect` because web-sys' `FocusOptions` feature is not enabled.)
fn focus_without_scrolling(element: &web_sys::Element) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"preventScroll".into(), &true.into());
    if let Ok(focus) = js_sys::Reflect::get(element, &"focus".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = focus.call1(element, &options);
    }
}
