//! What a page shows when the thing it is about could not be loaded.

use crate::api::ApiError;
use crate::components::fetch_state::{ErrorPanel, Loading};
use leptos::prelude::*;
use leptos_router::components::A;

/// A page-level load failure. The server answers 404 both for what does not exist and for
/// what the user may not see (so that ids of other projects can't be probed); the page says
/// exactly that instead of a bare "not found". Other failures get the server's message and
/// a Retry button.
#[component]
pub fn LoadError(
    /// What was being loaded: "project", "dataset" or "task".
    what: &'static str,
    error: ApiError,
    /// Loads it again.
    on_retry: Callback<()>,
) -> impl IntoView {
    match error {
        ApiError::NotFound(_) | ApiError::Forbidden(_) => {
            let title = format!("{} not found or no access", capitalize(what));
            view! {
                <section class="no-access" aria-labelledby="no-access-title">
                    <h1 id="no-access-title">{title}</h1>
                    <p>
                        {format!(
                            "This {what} does not exist, or you are not a member of its project. \
                             If you followed a link, ask the project's owner to add you."
                        )}
                    </p>
                    <A href="/projects" attr:class="button">
                        "Go to your projects"
                    </A>
                </section>
            }
            .into_any()
        }
        // The session was refused: RequireSession is already on its way to sign-in.
        ApiError::Unauthorized(_) => {
            view! { <Loading label="Your session has expired. Opening sign-in…" /> }.into_any()
        }
        other => view! {
            <ErrorPanel
                title=format!("Could not load the {what}")
                message=other.to_string()
                on_retry=on_retry
            />
        }
        .into_any(),
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
