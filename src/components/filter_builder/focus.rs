//! Keeping the keyboard focus where the user expects it after the tree changes shape.
//!
//! Moving, adding or deleting a node re-renders part of the tree, and a focused element
//! that is re-inserted or removed loses the focus. Every node carries `data-fb-node="<id>"`
//! and every focusable control of the builder can be named `<node id>:<control>`, so the
//! focus can be put back once the DOM has been updated: a control with an id is
//! `fb-<node>-<control>` (field, operator, value …), a node's buttons are found by their
//! class in its own button row, and the rest carry `data-fb-focus="<node>:<control>"`.
//! (Ids and classes the rows have anyway: 200 rows do not carry 1,400 more attributes.)
//! This is UI state only: it never enters the query.

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
        let el = document().active_element()?;
        if let Some(key) = el.get_attribute("data-fb-focus") {
            return Some(FocusTarget::Key(key));
        }
        let node = el
            .closest("[data-fb-node]")
            .ok()
            .flatten()?
            .get_attribute("data-fb-node")?;
        let control = match NODE_BUTTONS
            .iter()
            .find(|(_, class)| el.class_list().contains(class))
        {
            Some((control, _)) => (*control).to_owned(),
            None => el.id().strip_prefix(&format!("fb-{node}-"))?.to_owned(),
        };
        Some(FocusTarget::Key(format!("{node}:{control}")))
    }
}

/// A node's buttons: their control names and classes.
const NODE_BUTTONS: [(&str, &str); 4] = [
    ("move-up", "filter-actions__button--up"),
    ("move-down", "filter-actions__button--down"),
    ("duplicate", "filter-actions__button--duplicate"),
    ("delete", "filter-actions__button--delete"),
];

/// A node's own button row (not a nested node's): a condition's or a clause's, or a group's
/// in its header.
fn node_button(node: &str, class: &str) -> String {
    format!(
        "[data-fb-node=\"{node}\"] > .filter-actions > .{class}, \
         [data-fb-node=\"{node}\"] > .filter-group__header > .filter-actions > .{class}"
    )
}

/// The `data-fb-focus` key of a node's control (for the controls found by neither an id
/// nor a class).
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
    let enabled = |el: web_sys::Element| (!el.has_attribute("disabled")).then_some(el);
    let element = match target {
        FocusTarget::Selector(selector) => find(selector),
        FocusTarget::Key(key) => {
            let (node, control) = key.split_once(':').unwrap_or((key, ""));
            let control_element = match NODE_BUTTONS.iter().find(|(name, _)| *name == control) {
                Some((_, class)) => find(&node_button(node, class)),
                None => doc
                    .get_element_by_id(&format!("fb-{node}-{control}"))
                    .or_else(|| find(&format!("[data-fb-focus=\"{key}\"]"))),
            };
            control_element.and_then(enabled).or_else(|| {
                find(&format!(
                    "[data-fb-node=\"{node}\"] :is(input, select, textarea, button):not([disabled])"
                ))
            })
        }
    };
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}
