//! The top bar: the app's name, who is signed in, and Sign out.

use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |_| {
        session.sign_out();
        navigate("/signin", Default::default());
    };
    view! {
        <header class="app-header">
            <A href="/projects" attr:class="app-header__brand">
                <img src="assets/favicon.svg" alt="" width="24" height="24" />
                <span>"annotask"</span>
            </A>
            {move || {
                session
                    .0
                    .get()
                    .map(|s| {
                        view! {
                            <div class="app-header__user">
                                <span class="app-header__email" title="Signed in as">
                                    {s.email}
                                </span>
                                <button class="button button--quiet" type="button" on:click=sign_out.clone()>
                                    "Sign out"
                                </button>
                            </div>
                        }
                    })
            }}
        </header>
    }
}
