//! Guards a page: without a session, go to sign-in and come back here afterwards.

use crate::config;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// Shows its children only with a session. Without one (never signed in, signed out in
/// another way, or refused by the server on a 401) it replaces the current history entry
/// with `/signin?next=<this page>`, so that signing in returns here and Back does not
/// bounce through a page that can't be shown.
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    let base = config::base_path();
    Effect::new(move |_| {
        if session.0.get().is_some() {
            return;
        }
        let pathname = location.pathname.get_untracked();
        let here = config::strip_base(&pathname, &base);
        // Signing out navigates to sign-in itself, without a page to come back to.
        if here.starts_with("/signin") {
            return;
        }
        // The router keeps the query without its `?`.
        let search = location.search.get_untracked();
        let here = if search.is_empty() {
            here.to_string()
        } else {
            format!("{here}?{search}")
        };
        let next = String::from(js_sys::encode_uri_component(&here));
        navigate(
            &format!("/signin?next={next}"),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
    move || session.0.get().is_some().then(|| children())
}
