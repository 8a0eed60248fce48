//! One module per route.
pub mod datasets;
pub mod not_found;
pub mod projects;
pub mod signin;
pub mod task_list;
pub mod task_new;
pub mod task_page;
