//! The three states every fetch shows besides its data: loading, failed, and empty.

use leptos::prelude::*;

/// Shown while data loads; announced politely to screen readers.
#[component]
pub fn Loading(
    /// What is loading, e.g. "Loading projects…".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    view! {
        <div class="fetch-state fetch-state--loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>{label}</span>
        </div>
    }
}

/// A failed fetch: what went wrong, in the server's words, and a Retry button.
#[component]
pub fn ErrorPanel(
    /// A short headline, e.g. "Could not load projects".
    #[prop(into)]
    title: String,
    /// The detail (usually the server's message).
    #[prop(into)]
    message: String,
    /// Called when the user presses Retry; without it there is no button.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="fetch-state fetch-state--error" role="alert">
            <p class="fetch-state__title">{title}</p>
            <p class="fetch-state__message">{message}</p>
            {on_retry
                .map(|cb| {
                    view! {
                        <button class="button" type="button" on:click=move |_| cb.run(())>
                            "Retry"
                        </button>
                    }
                })}
        </div>
    }
}

/// Nothing to show yet, and what to do about it.
#[component]
pub fn EmptyState(
    #[prop(into)] title: String,
    /// What the user can do next.
    #[prop(into)]
    hint: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="fetch-state fetch-state--empty">
            <p class="fetch-state__title">{title}</p>
            <p class="fetch-state__message">{hint}</p>
            {children.map(|c| c())}
        </div>
    }
}
