//! Components shared by several pages.
pub mod assignee_picker;
pub mod fetch_state;
pub mod filter_builder;
pub mod header;
pub mod load_error;
pub mod page_title;
pub mod progress_bar;
pub mod project_switcher;
pub mod relative_time;
pub mod require_session;
pub mod task_badges;
pub mod workload_editor;
