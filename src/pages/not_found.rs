//! Any URL the app doesn't know.

use crate::components::page_title::use_page_title;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    use_page_title(|| "Page not found".into());
    view! {
        <section class="not-found" aria-labelledby="not-found-title">
            <h1 id="not-found-title">"Page not found"</h1>
            <p>"There is nothing at this address. It may have been mistyped, or the page has moved."</p>
            <A href="/projects" attr:class="button">
                "Go to your projects"
            </A>
        </section>
    }
}
