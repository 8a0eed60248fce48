//! Placeholder: being written.

use leptos::prelude::*;

#[component]
pub fn DatasetsPage() -> impl IntoView {
    view! { <h1>"Datasets"</h1> }
}
