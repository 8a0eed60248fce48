//! A task's type, status and priority as short labels, the same on every page.

use annotask_core::entities::{AssignmentStatus, Priority, TaskStatus, TaskType};
use leptos::prelude::*;

pub fn type_label(t: TaskType) -> &'static str {
    match t {
        TaskType::Annotation => "Annotation",
        TaskType::Qa => "QA",
    }
}

pub fn priority_label(p: Priority) -> &'static str {
    match p {
        Priority::Low => "Low",
        Priority::Medium => "Medium",
        Priority::High => "High",
    }
}

/// "In progress" for "in progress": the platform's words, capitalised.
pub fn status_label(status: &str) -> String {
    let mut chars = status.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Unknown".into(),
    }
}

/// The badge colour of a task status.
fn status_tone(status: &TaskStatus) -> &'static str {
    match status {
        TaskStatus::Open => "neutral",
        TaskStatus::InProgress => "accent",
        TaskStatus::Completed => "success",
        TaskStatus::CompletedWithIssues => "warning",
        TaskStatus::Dismissed | TaskStatus::Other(_) => "muted",
    }
}

fn assignment_tone(status: &AssignmentStatus) -> &'static str {
    match status {
        AssignmentStatus::Todo => "neutral",
        AssignmentStatus::InProgress => "accent",
        AssignmentStatus::Done => "success",
        AssignmentStatus::CompletedWithIssues => "warning",
        AssignmentStatus::Other(_) => "muted",
    }
}

#[component]
pub fn TypeBadge(task_type: TaskType) -> impl IntoView {
    view! {
        <span class=format!("badge badge--type-{}", task_type.as_str())>
            {type_label(task_type)}
        </span>
    }
}

#[component]
pub fn StatusBadge(status: TaskStatus) -> impl IntoView {
    view! {
        <span class=format!("badge badge--{}", status_tone(&status))>
            {status_label(status.as_str())}
        </span>
    }
}

#[component]
pub fn AssignmentStatusBadge(status: AssignmentStatus) -> impl IntoView {
    view! {
        <span class=format!("badge badge--{}", assignment_tone(&status))>
            {status_label(status.as_str())}
        </span>
    }
}

#[component]
pub fn PriorityBadge(priority: Priority) -> impl IntoView {
    view! {
        <span class=format!(
            "priority priority--{}",
            priority_label(priority).to_lowercase(),
        )>{priority_label(priority)}</span>
    }
}
