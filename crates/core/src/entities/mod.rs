//! The platform's JSON entities as serde types (contract §1, §5 and §6).
//!
//! All of them read the hosted platform's JSON leniently: missing fields take defaults,
//! `null` reads as empty, numbers where strings or integers were expected are converted
//! (timestamps in epoch milliseconds become ISO strings), and unknown fields are kept in an
//! `extra` map (printed back after the known fields) so that nothing is lost on the way
//! through. Field names and casing are the SDK's (`camelCase`).

mod assignment;
mod auth;
mod command;
mod dataset;
mod item;
mod lenient;
mod page;
mod project;
mod recipe;
mod task;
mod user;

pub use assignment::{Assignment, AssignmentMetadata, AssignmentStatus, AssignmentSystemMetadata};
pub use auth::{TokenRequest, TokenResponse};
pub use command::{Command, CommandStatus};
pub use dataset::{Dataset, DatasetMetadata, DatasetSystemMetadata};
pub use item::{Annotated, Item, ItemRef};
pub use page::Page;
pub use project::Project;
pub use recipe::{Label, Recipe};
pub use task::{
    ItemAction, ItemStatusCounts, Priority, Task, TaskMetadata, TaskSpec, TaskStatus,
    TaskSystemMetadata, TaskType,
};
pub use user::{Member, Role, User};
