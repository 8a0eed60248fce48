//! The header's breadcrumb: Projects / current project ▾ / current dataset ▾, where each ▾
//! opens a list of the others to jump to.
//!
//! The lists are disclosure menus of links (WAI-ARIA disclosure navigation) rather than
//! `<select>`s: a select that navigates on change moves the user away while they are still
//! arrowing through its options.

use crate::api::use_api;
use crate::components::progress_bar::count_noun;
use crate::config;
use crate::session::use_session;
use leptos::ev::{FocusEvent, KeyboardEvent};
use leptos::html::{Button, Div};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// Where the user is: the project and dataset the current page belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub project_id: Option<String>,
    pub dataset_id: Option<String>,
}

/// The scope a route path names: `/projects/:project/…` and
/// `/projects/:project/datasets/:dataset/…` (the path without the app's base).
pub fn scope_from_path(path: &str) -> Scope {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let decode = |s: &str| {
        js_sys::decode_uri_component(s)
            .map(String::from)
            .unwrap_or_else(|_| s.to_string())
    };
    match segments.as_slice() {
        ["projects", project, "datasets", dataset, ..] => Scope {
            project_id: Some(decode(project)),
            dataset_id: Some(decode(dataset)),
        },
        ["projects", project, ..] => Scope {
            project_id: Some(decode(project)),
            dataset_id: None,
        },
        _ => Scope::default(),
    }
}

/// The scope of a page whose URL does not name it (the task page, `/tasks/:id`, learns its
/// project and dataset from the task). Provided by `App`.
#[derive(Clone, Copy)]
pub struct PageScope(pub RwSignal<Option<Scope>>);

impl PageScope {
    /// Sets the scope for as long as the calling page is mounted.
    pub fn set_while_mounted(self, scope: Scope) {
        self.0.set(Some(scope.clone()));
        on_cleanup(move || {
            // The next page may already have set its own scope; leave that one alone.
            if self.0.try_get_untracked().flatten().as_ref() == Some(&scope) {
                let _ = self.0.try_set(None);
            }
        });
    }
}

/// One entry of a switcher menu.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    id: String,
    name: String,
    href: String,
    detail: Option<String>,
}

/// A switcher menu's list as it loads.
#[derive(Clone, Debug, PartialEq)]
enum Entries {
    Loading,
    Failed(String),
    Ready(Vec<Entry>),
}

#[component]
pub fn ProjectSwitcher() -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let location = use_location();
    let page_scope = use_context::<PageScope>();
    let base = config::base_path();

    let scope = Memo::new(move |_| {
        let from_path = scope_from_path(config::strip_base(&location.pathname.get(), &base));
        if from_path.project_id.is_some() {
            from_path
        } else {
            page_scope.and_then(|s| s.0.get()).unwrap_or_default()
        }
    });
    let project_id = Memo::new(move |_| scope.get().project_id);
    let dataset_id = Memo::new(move |_| scope.get().dataset_id);
    // Keyed on who is signed in, not on the token, so a token refresh does not reload.
    let email = Memo::new(move |_| session.0.with(|s| s.as_ref().map(|s| s.email.clone())));

    let projects = LocalResource::new({
        let api = api.clone();
        move || {
            let api = api.clone();
            let signed_in = email.get().is_some();
            async move {
                if signed_in {
                    api.projects().await
                } else {
                    Ok(Vec::new())
                }
            }
        }
    });
    let datasets = LocalResource::new(move || {
        let api = api.clone();
        let project = project_id.get();
        let signed_in = email.get().is_some();
        async move {
            match project {
                Some(p) if signed_in => api.datasets(&p).await,
                _ => Ok(Vec::new()),
            }
        }
    });

    let project_entries = Signal::derive(move || match projects.get() {
        None => Entries::Loading,
        Some(Err(e)) => Entries::Failed(e.to_string()),
        Some(Ok(list)) => Entries::Ready(
            list.into_iter()
                .map(|p| Entry {
                    href: format!("/projects/{}/datasets", enc(&p.id)),
                    id: p.id,
                    name: p.name,
                    detail: None,
                })
                .collect(),
        ),
    });
    let dataset_entries = Signal::derive(move || match datasets.get() {
        None => Entries::Loading,
        Some(Err(e)) => Entries::Failed(e.to_string()),
        Some(Ok(list)) => {
            let project = project_id.get().unwrap_or_default();
            Entries::Ready(
                list.into_iter()
                    .map(|d| Entry {
                        href: format!("/projects/{}/datasets/{}/tasks", enc(&project), enc(&d.id)),
                        detail: d.items_count.map(|n| count_noun(n.into(), "item", "items")),
                        id: d.id,
                        name: d.name,
                    })
                    .collect(),
            )
        }
    });

    view! {
        <nav class="switcher" aria-label="Breadcrumb">
            <ol class="switcher__trail">
                <li class="switcher__crumb">
                    <A href="/projects" attr:class="switcher__home">
                        "Projects"
                    </A>
                </li>
                <Show when=move || project_id.get().is_some()>
                    <li class="switcher__crumb">
                        <SwitcherMenu
                            kind="Project"
                            menu_id="switcher-project"
                            entries=project_entries
                            current=Signal::derive(move || project_id.get())
                            on_retry=Callback::new(move |_| projects.refetch())
                            all_href=Signal::derive(|| "/projects".to_string())
                            all_text="All projects"
                        />
                    </li>
                </Show>
                <Show when=move || dataset_id.get().is_some()>
                    <li class="switcher__crumb">
                        <SwitcherMenu
                            kind="Dataset"
                            menu_id="switcher-dataset"
                            entries=dataset_entries
                            current=Signal::derive(move || dataset_id.get())
                            on_retry=Callback::new(move |_| datasets.refetch())
                            all_href=Signal::derive(move || {
                                format!(
                                    "/projects/{}/datasets",
                                    enc(&project_id.get().unwrap_or_default()),
                                )
                            })
                            all_text="All datasets of this project"
                        />
                    </li>
                </Show>
            </ol>
        </nav>
    }
}

/// A button naming the current project (or dataset) that opens a list of links to the others.
#[component]
fn SwitcherMenu(
    /// "Project" or "Dataset": shown small above the name and part of the button's name.
    kind: &'static str,
    /// The id of the popup, for `aria-controls`.
    menu_id: &'static str,
    entries: Signal<Entries>,
    /// The id of the current project/dataset.
    current: Signal<Option<String>>,
    on_retry: Callback<()>,
    /// Where "All …" leads.
    all_href: Signal<String>,
    all_text: &'static str,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let container = NodeRef::<Div>::new();
    let button = NodeRef::<Button>::new();

    let current_name = move || match entries.get() {
        Entries::Ready(list) => {
            let id = current.get();
            list.into_iter()
                .find(|e| Some(&e.id) == id.as_ref())
                .map(|e| e.name)
                .unwrap_or_else(|| "not in your list".into())
        }
        Entries::Loading => "…".into(),
        Entries::Failed(_) => "unavailable".into(),
    };

    let close_and_refocus = move || {
        open.set(false);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.stop_propagation();
            close_and_refocus();
        }
    };
    // Close when focus leaves the menu (Tab past its end, a click elsewhere).
    let on_focusout = move |ev: FocusEvent| {
        let inside = match (ev.related_target(), container.get_untracked()) {
            (Some(target), Some(el)) => target
                .dyn_into::<web_sys::Node>()
                .is_ok_and(|node| el.contains(Some(&node))),
            _ => false,
        };
        if !inside {
            open.set(false);
        }
    };

    view! {
        <div class="switcher__menu" node_ref=container on:keydown=on_keydown on:focusout=on_focusout>
            <button
                type="button"
                class="switcher__button"
                node_ref=button
                aria-expanded=move || open.get().to_string()
                aria-controls=menu_id
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span class="switcher__kind">{kind}</span>
                <span class="switcher__value">{current_name}</span>
                <span class="switcher__chevron" aria-hidden="true">
                    "▾"
                </span>
            </button>
            <div
                id=menu_id
                class="switcher__popup"
                hidden=move || !open.get()
                // A chosen link navigates; the menu has done its job.
                on:click=move |ev| {
                    let on_link = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|el| el.closest("a").ok().flatten())
                        .is_some();
                    if on_link {
                        open.set(false);
                    }
                }
            >
                {move || match entries.get() {
                    Entries::Loading => {
                        view! {
                            <p class="switcher__note" role="status">
                                "Loading…"
                            </p>
                        }
                            .into_any()
                    }
                    Entries::Failed(message) => {
                        view! {
                            <div class="switcher__note" role="alert">
                                <p>{format!("Could not load the list: {message}")}</p>
                                <button
                                    type="button"
                                    class="button button--small"
                                    on:click=move |_| on_retry.run(())
                                >
                                    "Retry"
                                </button>
                            </div>
                        }
                            .into_any()
                    }
                    Entries::Ready(list) if list.is_empty() => {
                        view! { <p class="switcher__note">"Nothing here yet."</p> }.into_any()
                    }
                    Entries::Ready(list) => {
                        view! {
                            <ul class="switcher__list">
                                <For each=move || list.clone() key=|e| e.id.clone() let:entry>
                                    <li>
                                        <A
                                            href=entry.href.clone()
                                            attr:class="switcher__link"
                                            attr:aria-current=move || {
                                                (current.get().as_ref() == Some(&entry.id))
                                                    .then_some("true")
                                            }
                                        >
                                            <span>{entry.name.clone()}</span>
                                            {entry
                                                .detail
                                                .clone()
                                                .map(|d| view! { <span class="switcher__detail">{d}</span> })}
                                        </A>
                                    </li>
                                </For>
                            </ul>
                        }
                            .into_any()
                    }
                }}
                <A href=move || all_href.get() attr:class="switcher__all">
                    {all_text}
                </A>
            </div>
        </div>
    }
}

/// Percent-encodes one path segment.
fn enc(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}
