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
    leptos::mount::mount_to_body(app::App);
}

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
