//! Placeholder: being written.

use leptos::prelude::*;

#[component]
pub fn TaskNewPage() -> impl IntoView {
    view! { <h1>"New task"</h1> }
}
