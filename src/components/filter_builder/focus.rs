//! Keeping the keyboard focus where the user expects it after the tree changes shape.
//!
//! Moving, adding or deleting a node re-renders part of the tree, and a focused element
//! that is re-inserted or removed loses the focus. Every focusable control of the builder
//! carries `data-fb-focus="<node id>:<control>"` and every node `data-fb-node="<id>"`, so
//! the focus can be put back once the DOM has been updated. This is UI state only: it
//! never enters the query.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::model::NodeId;

/// Where the focus should go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FocusTarget {
    /// A control by its `data-fb-focus` key; falls back to the first enabled control of
    /// the node when that control is gone or disabled.
    Key(String),
    /// The first element matching a CSS selector.
    Selector(String),
}

impl FocusTarget {
    /// A node's control, e.g. `control(7, "field")`.
    pub fn control(node: NodeId, control: &str) -> FocusTarget {
        FocusTarget::Key(format!("{node}:{control}"))
    }

    /// The builder control that has the focus now, if any.
    pub fn active() -> Option<FocusTarget> {
        document()
            .active_element()
            .and_then(|el| el.get_attribute("data-fb-focus"))
            .map(FocusTarget::Key)
    }
}

/// The `data-fb-focus` key of a node's control.
pub(crate) fn focus_key(node: NodeId, control: &str) -> String {
    format!("{node}:{control}")
}

/// Focuses the target once the pending DOM updates are done.
pub(crate) fn focus_later(target: FocusTarget) {
    request_animation_frame(move || focus_now(&target));
}

fn focus_now(target: &FocusTarget) {
    let doc = document();
    let find = |selector: &str| doc.query_selector(selector).ok().flatten();
    let element = match target {
        FocusTarget::Selector(selector) => find(selector),
        FocusTarget::Key(key) => find(&format!("[data-fb-focus=\"{key}\"]:not([disabled])"))
            .or_else(|| {
                let node = key.split(':').next().unwrap_or_default();
                find(&format!(
                    "[data-fb-node=\"{node}\"] :is(input, select, textarea, button):not([disabled])"
                ))
            }),
    };
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}
