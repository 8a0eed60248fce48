//! Components shared by several pages.
pub mod fetch_state;
pub mod filter_builder;
pub mod header;
pub mod require_session;
