//! Browser tests (wasm-bindgen-test in headless Chromium): mount components and use them.
#![cfg(target_arch = "wasm32")]

use annotask::components::fetch_state::ErrorPanel;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container in the page for one test's component.
fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

#[wasm_bindgen_test]
fn error_panel_shows_the_message_and_retries() {
    let root = container();
    let retries = RwSignal::new(0);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <ErrorPanel
                title="Could not load projects"
                message="the server answered 503"
                on_retry=Callback::new(move |_| retries.update(|n| *n += 1))
            />
        }
    });
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("Could not load projects"), "{text}");
    assert!(text.contains("the server answered 503"), "{text}");
    let alert = root.query_selector("[role=alert]").unwrap();
    assert!(alert.is_some(), "the error is announced as an alert");
    let button: web_sys::HtmlElement = root
        .query_selector("button")
        .unwrap()
        .expect("a Retry button")
        .unchecked_into();
    assert_eq!(button.text_content().as_deref(), Some("Retry"));
    button.click();
    button.click();
    assert_eq!(retries.get_untracked(), 2);
}
