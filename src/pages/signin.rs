//! Sign-in: email and password against the gate's `/token?default`.

use crate::api::{use_api, ApiError};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Where to go after signing in: the `next` query parameter when it is a local path.
fn next_path(raw: Option<String>) -> String {
    match raw {
        // Only same-app paths: "//host" or "https://..." would send the user elsewhere.
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/signin") => p,
        _ => "/projects".into(),
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let keep = RwSignal::new(false);

    let submit = Action::new_local(move |(email, password, keep): &(String, String, bool)| {
        let api = api.clone();
        let (email, password, keep) = (email.clone(), password.clone(), *keep);
        async move { api.sign_in(&email, &password, keep).await }
    });

    // On success, store the session and go back where the user was headed.
    let nav = navigate.clone();
    Effect::new(move |_| {
        if let Some(Ok(s)) = submit.value().get() {
            session.sign_in(s);
            let next = next_path(query.get_untracked().get("next"));
            nav(&next, Default::default());
        }
    });

    let error = move || match submit.value().get() {
        Some(Err(ApiError::Unauthorized(m))) | Some(Err(ApiError::Rejected { message: m, .. })) => {
            Some(m)
        }
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.dispatch((
            email.get_untracked(),
            password.get_untracked(),
            keep.get_untracked(),
        ));
    };

    view! {
        <section class="signin">
            <h1>"Sign in to annotask"</h1>
            <form class="signin__form" on:submit=on_submit>
                <label class="field">
                    <span class="field__label">"Email"</span>
                    <input
                        class="input"
                        type="email"
                        name="email"
                        autocomplete="username"
                        required
                        bind:value=email
                    />
                </label>
                <label class="field">
                    <span class="field__label">"Password"</span>
                    <input
                        class="input"
                        type="password"
                        name="password"
                        autocomplete="current-password"
                        required
                        bind:value=password
                    />
                </label>
                <label class="checkbox">
                    <input type="checkbox" bind:checked=keep />
                    <span>"Keep me signed in"</span>
                </label>
                {move || {
                    error()
                        .map(|m| {
                            view! {
                                <p class="form-error" role="alert">
                                    {m}
                                </p>
                            }
                        })
                }}
                <button class="button button--primary" type="submit" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::next_path;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn next_path_only_allows_local_paths() {
        assert_eq!(next_path(None), "/projects");
        assert_eq!(next_path(Some("/tasks/1".into())), "/tasks/1");
        assert_eq!(next_path(Some("//evil.example".into())), "/projects");
        assert_eq!(next_path(Some("https://evil.example".into())), "/projects");
        assert_eq!(next_path(Some("/signin".into())), "/projects");
    }
}
