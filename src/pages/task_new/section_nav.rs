//! The form's sections in order, with their completeness, as a list of in-page links.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::form_section::SectionBadge;
use super::form_state::SectionStatus;

/// One entry of the list.
#[derive(Clone, Copy)]
pub struct SectionLink {
    pub anchor: &'static str,
    pub title: &'static str,
    pub status: Signal<SectionStatus>,
}

/// The section list shown beside (or above) the form.
#[component]
pub fn SectionNav(sections: Vec<SectionLink>) -> impl IntoView {
    view! {
        <nav class="task-form__nav" aria-label="Form sections">
            <ol class="task-form__nav-list">
                {sections
                    .into_iter()
                    .map(|section| {
                        view! {
                            <li class="task-form__nav-item">
                                <a
                                    class="task-form__nav-link"
                                    href=format!("#{}", section.anchor)
                                    on:click=move |ev| {
                                        // In-page: scroll there and move focus to the heading,
                                        // without a router navigation.
                                        ev.prevent_default();
                                        focus_heading(section.anchor);
                                    }
                                >
                                    {section.title}
                                </a>
                                <SectionBadge status=section.status />
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

/// Scrolls to a section and focuses its heading.
fn focus_heading(anchor: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(heading) = document
        .get_element_by_id(&format!("{anchor}-heading"))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        heading.scroll_into_view();
        let _ = heading.focus();
    }
}

/// Scrolls to the field with this id and focuses it (or the first control inside it, for a
/// group); used by the error summary's links.
pub fn focus_field(id: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(element) = document.get_element_by_id(id) else {
        return;
    };
    let target = if matches!(element.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA") {
        Some(element)
    } else {
        element
            .query_selector("input:not([type=hidden]), select, textarea, button")
            .ok()
            .flatten()
    };
    if let Some(target) = target.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
        target.scroll_into_view();
        let _ = target.focus();
    }
}
