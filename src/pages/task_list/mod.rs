//! Placeholder: being written.

use leptos::prelude::*;

#[component]
pub fn TaskListPage() -> impl IntoView {
    view! { <h1>"Tasks"</h1> }
}
