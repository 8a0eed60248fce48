//! The document title follows the page, so tabs, history and screen readers name it.

use leptos::prelude::*;

/// Sets `document.title` to "`title` · annotask" whenever `title` changes.
pub fn use_page_title(title: impl Fn() -> String + 'static) {
    Effect::new(move |_| {
        let title = title();
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&if title.is_empty() {
                "annotask".to_string()
            } else {
                format!("{title} · annotask")
            });
        }
    });
}
