//! The HTTP routes, one module per resource.

pub mod assignments;
pub mod commands;
pub mod datasets;
pub mod items;
pub mod projects;
pub mod recipes;
pub mod tasks;
pub mod token;
pub mod users;
