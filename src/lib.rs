//! annotask: a single-page app in which a labeling manager creates annotation and QA tasks
//! on a Dataloop-style platform. It talks to the platform's REST API (or annotask-server)
//! through [`api`]; the business rules come from `annotask-core`, shared with the server.

pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod pages;
pub mod session;

/// Mounts the app on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    restore_spa_redirect();
    leptos::mount::mount_to_body(app::App);
}

/// On a static host without an SPA fallback, a deep link such as `/tasks/123` is answered by
/// `404.html`, which stores the path and opens the app's root (see `cargo xtask dist`). Put
/// the path back before the router reads the location, so the user lands where they aimed.
pub fn restore_spa_redirect() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(storage) = window.session_storage().ok().flatten() else {
        return;
    };
    let Ok(Some(path)) = storage.get_item("annotask.redirect") else {
        return;
    };
    let _ = storage.remove_item("annotask.redirect");
    // Only a path on this site: never let a stored value send the user elsewhere.
    if path.starts_with('/') && !path.starts_with("//") {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
    }
}

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
