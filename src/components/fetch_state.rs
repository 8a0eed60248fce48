//! The three states every fetch shows besides its data: loading, failed, and empty.

use leptos::prelude::*;

/// After this long a loading indicator (or the create button) says the server is slow, so a
/// user waiting on a busy server knows the page is not stuck.
pub const SLOW_AFTER_MS: u32 = 3_000;

/// What a wait longer than [`SLOW_AFTER_MS`] adds to the loading line.
pub const SLOW_NOTICE: &str = "The server is slow to answer; still waiting…";

/// Shown while data loads; announced politely to screen readers. After [`SLOW_AFTER_MS`] it
/// also says that the server is slow (the request gives up after `requestTimeoutSeconds`).
#[component]
pub fn Loading(
    /// What is loading, e.g. "Loading projects…".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let slow = slow_after(SLOW_AFTER_MS);
    view! {
        <div class="fetch-state fetch-state--loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>{label}</span>
            <Show when=move || slow.get()>
                <span class="fetch-state__slow">{SLOW_NOTICE}</span>
            </Show>
        </div>
    }
}

/// A signal that turns true `ms` after the calling component is created (never, if it is
/// gone by then).
pub fn slow_after(ms: u32) -> ReadSignal<bool> {
    let (slow, set_slow) = signal(false);
    if let Ok(handle) = set_timeout_with_handle(
        move || {
            set_slow.try_set(true);
        },
        std::time::Duration::from_millis(ms.into()),
    ) {
        on_cleanup(move || handle.clear());
    }
    slow
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
