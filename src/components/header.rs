//! The top bar: the app's name, where the user is (with the project/dataset switcher), who
//! is signed in, and Sign out.

use crate::components::project_switcher::ProjectSwitcher;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |_| {
        // Leave first, so no guarded page sees the missing session and asks to come back.
        navigate("/signin", Default::default());
        session.sign_out();
    };
    // Who is signed in; a token refresh changes the session but not this.
    let email = Memo::new(move |_| session.0.with(|s| s.as_ref().map(|s| s.email.clone())));
    let signed_in = move || email.with(Option::is_some);
    view! {
        <header class="app-header">
            <A href="/projects" attr:class="app-header__brand">
                <img src="assets/favicon.svg" alt="" width="24" height="24" />
                <span class="app-header__brand-name">"annotask"</span>
            </A>
            <Show when=signed_in>
                <ProjectSwitcher />
            </Show>
            {move || {
                email
                    .get()
                    .map(|email| {
                        view! {
                            <div class="app-header__user">
                                <span class="app-header__email" title="Signed in as">
                                    {email}
                                </span>
                                <button
                                    class="button button--quiet"
                                    type="button"
                                    on:click=sign_out.clone()
                                >
                                    "Sign out"
                                </button>
                            </div>
                        }
                    })
            }}
        </header>
    }
}
