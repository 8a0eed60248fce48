//! One module per route.
pub mod not_found;
pub mod projects;
pub mod signin;
