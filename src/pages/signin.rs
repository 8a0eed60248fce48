//! Sign-in: email and password against the gate's `/token?default`, or a token pasted from
//! the hosted platform (checked with `GET /users/me` before it is used).

use crate::api::{use_api, ApiError};
use crate::components::page_title::use_page_title;
use crate::session::{self, use_session};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// Where to go after signing in: the `next` query parameter when it is a local path.
pub fn next_path(raw: Option<String>) -> String {
    match raw {
        // Only same-app paths: "//host" or "https://..." would send the user elsewhere.
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/signin") => p,
        _ => "/projects".into(),
    }
}

/// How the user proves who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Password,
    Token,
}

impl Mode {
    const ALL: [Mode; 2] = [Mode::Password, Mode::Token];

    fn label(self) -> &'static str {
        match self {
            Mode::Password => "Email and password",
            Mode::Token => "Token",
        }
    }

    fn tab_id(self) -> &'static str {
        match self {
            Mode::Password => "signin-tab-password",
            Mode::Token => "signin-tab-token",
        }
    }
}

/// What the user submitted.
#[derive(Clone)]
enum Credentials {
    Password {
        email: String,
        password: String,
        keep: bool,
    },
    Token {
        token: String,
        keep: bool,
    },
}

#[component]
pub fn SignInPage() -> impl IntoView {
    use_page_title(|| "Sign in".into());
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();

    let mode = RwSignal::new(Mode::Password);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let keep = RwSignal::new(false);
    // Why the user is here (an expired session), shown until they sign in.
    let notice = session::take_notice();

    let submit = Action::new_local(move |credentials: &Credentials| {
        let api = api.clone();
        let credentials = credentials.clone();
        async move {
            match credentials {
                Credentials::Password {
                    email,
                    password,
                    keep,
                } => api.sign_in(&email, &password, keep).await,
                Credentials::Token { token, keep } => api.sign_in_with_token(&token, keep).await,
            }
        }
    });

    // Signed in (now, or already when the page opened): go where the user was headed, in
    // place of this page so that Back does not return to a sign-in form.
    Effect::new(move |_| {
        if session.0.with(Option::is_some) {
            let next = next_path(query.get_untracked().get("next"));
            navigate(
                &next,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(s)) = submit.value().get() {
            password.set(String::new());
            session.sign_in(s);
        }
    });

    let error = move || {
        let e = submit.value().get()?.err()?;
        let submitted_with = mode.get();
        Some(describe_error(e, submitted_with))
    };
    // A new attempt or another mode starts without the last error.
    Effect::new(move |_| {
        mode.track();
        submit.value().set(None);
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let keep = keep.get_untracked();
        submit.dispatch(match mode.get_untracked() {
            Mode::Password => Credentials::Password {
                email: email.get_untracked(),
                password: password.get_untracked(),
                keep,
            },
            Mode::Token => Credentials::Token {
                token: token.get_untracked(),
                keep,
            },
        });
    };

    // Tabs follow the WAI-ARIA tabs pattern: one tab stop, arrows move between tabs.
    let on_tab_keydown = move |ev: KeyboardEvent| {
        let next = match ev.key().as_str() {
            "ArrowLeft" | "ArrowRight" | "Home" | "End" => match mode.get_untracked() {
                Mode::Password => Mode::Token,
                Mode::Token => Mode::Password,
            },
            _ => return,
        };
        let next = match ev.key().as_str() {
            "Home" => Mode::Password,
            "End" => Mode::Token,
            _ => next,
        };
        ev.prevent_default();
        mode.set(next);
        if let Some(tab) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(next.tab_id()))
        {
            if let Ok(tab) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(tab) {
                let _ = tab.focus();
            }
        }
    };

    let has_error = move || error().is_some();
    let described_by = move || has_error().then_some("signin-error");

    view! {
        <section class="signin" aria-labelledby="signin-title">
            <h1 id="signin-title">"Sign in to annotask"</h1>
            {notice
                .map(|n| {
                    view! {
                        <p class="notice" role="status">
                            {n}
                        </p>
                    }
                })}
            <div class="tabs" role="tablist" aria-label="How to sign in" on:keydown=on_tab_keydown>
                {Mode::ALL
                    .into_iter()
                    .map(|m| {
                        view! {
                            <button
                                type="button"
                                role="tab"
                                class="tabs__tab"
                                id=m.tab_id()
                                aria-selected=move || (mode.get() == m).to_string()
                                aria-controls="signin-panel"
                                tabindex=move || if mode.get() == m { "0" } else { "-1" }
                                on:click=move |_| mode.set(m)
                            >
                                {m.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            // No accessible name on the panel: named after its tab ("Email and password"),
            // it would answer to the fields' labels too (getByLabel, voice control).
            <div id="signin-panel" role="tabpanel">
                <form class="signin__form" on:submit=on_submit>
                    {move || match mode.get() {
                        Mode::Password => {
                            view! {
                                <label class="field">
                                    <span class="field__label">"Email"</span>
                                    <input
                                        class="input"
                                        type="email"
                                        name="email"
                                        autocomplete="username"
                                        required
                                        bind:value=email
                                        aria-invalid=move || has_error().then_some("true")
                                        aria-describedby=described_by
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
                                        aria-invalid=move || has_error().then_some("true")
                                        aria-describedby=described_by
                                    />
                                </label>
                            }
                                .into_any()
                        }
                        Mode::Token => {
                            view! {
                                <div class="field">
                                    <label class="field__label" for="signin-token">
                                        "Token"
                                    </label>
                                    <p class="field__hint" id="signin-token-hint">
                                        "Paste an API token from the platform (for example, the output of "
                                        <code>"dl.token()"</code>
                                        "). It is checked with the server first. A pasted token can't be renewed: when it expires you will be asked to sign in again."
                                    </p>
                                    <textarea
                                        id="signin-token"
                                        class="input signin__token"
                                        name="token"
                                        rows="4"
                                        required
                                        spellcheck="false"
                                        autocomplete="off"
                                        bind:value=token
                                        aria-invalid=move || has_error().then_some("true")
                                        aria-describedby=move || {
                                            if has_error() {
                                                "signin-token-hint signin-error"
                                            } else {
                                                "signin-token-hint"
                                            }
                                        }
                                    ></textarea>
                                </div>
                            }
                                .into_any()
                        }
                    }}
                    <label class="checkbox">
                        <input type="checkbox" bind:checked=keep />
                        <span>"Keep me signed in"</span>
                    </label>
                    <p class="field__hint signin__keep-hint">
                        "Without it, you are signed out when you close this tab."
                    </p>
                    {move || {
                        error()
                            .map(|m| {
                                view! {
                                    <p class="form-error" id="signin-error" role="alert">
                                        {m}
                                    </p>
                                }
                            })
                    }}
                    <button
                        class="button button--primary"
                        type="submit"
                        disabled=move || submit.pending().get()
                    >
                        {move || if submit.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
            </div>
        </section>
    }
}

/// The sign-in failure in words that say what to do.
fn describe_error(error: ApiError, mode: Mode) -> String {
    match (mode, error) {
        (Mode::Password, ApiError::Unauthorized(m) | ApiError::Rejected { message: m, .. }) => {
            capitalize(&m)
        }
        // The token could not be read as a JWT with an email (Session::from_token).
        (Mode::Token, ApiError::Decode(m)) => format!("{}.", capitalize(&m)),
        (Mode::Token, ApiError::Unauthorized(m) | ApiError::Forbidden(m)) => {
            format!("The server did not accept this token: {m}.")
        }
        (_, e) => e.to_string(),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
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
