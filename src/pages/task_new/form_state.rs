//! The form's state around the one [`TaskDraft`]: which fields were touched, whether a
//! submit was attempted, the server's field errors, and the live validation of
//! annotask-core (the very `validate()` the server runs).
//!
//! Errors are computed all the time (section marks and the Create button need them) but a
//! field only *shows* its own once the user has left it or tried to submit: nobody wants to
//! be told "Enter a task name" before they had the chance to.

use std::collections::HashSet;

use annotask_core::draft::TaskDraft;
use annotask_core::entities::{Member, Task};
use annotask_core::validate::{validate, ValidationContext};
use annotask_core::FieldError;
use leptos::prelude::*;

use crate::config::now_ms;

/// Whether a section is done, from the errors of its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionStatus {
    /// No problems.
    Complete,
    /// Problems the user has not been told about yet (nothing touched there).
    Incomplete,
    /// Problems that are shown.
    Invalid,
}

impl SectionStatus {
    /// The badge text.
    pub fn label(self) -> &'static str {
        match self {
            SectionStatus::Complete => "Complete",
            SectionStatus::Incomplete => "To do",
            SectionStatus::Invalid => "Needs attention",
        }
    }

    /// The BEM modifier of the badge.
    pub fn modifier(self) -> &'static str {
        match self {
            SectionStatus::Complete => "complete",
            SectionStatus::Incomplete => "incomplete",
            SectionStatus::Invalid => "invalid",
        }
    }
}

/// The form's state; `Copy`, so every section receives it as a plain prop.
#[derive(Clone, Copy)]
pub struct TaskForm {
    /// The draft being edited: the single source of truth, saved to localStorage.
    pub draft: RwSignal<TaskDraft>,
    /// The project's members (the assignee picker offers them, validation checks against them).
    pub members: Signal<Vec<Member>>,
    /// The dataset's tasks (QA parents, the duplicate-name warning, validation).
    pub tasks: Signal<Vec<Task>>,
    /// Fields the user has left at least once.
    touched: RwSignal<HashSet<&'static str>>,
    /// Fields left while a mouse button or finger was down, revealed once it is released.
    deferred: StoredValue<Vec<&'static str>>,
    /// Whether a pointer is pressed right now.
    pointer_down: StoredValue<bool>,
    /// Whether "Create task" was pressed since the form opened or was discarded.
    pub submitted: RwSignal<bool>,
    /// Field errors of the server's last refusal, shown until the draft changes.
    pub server_errors: RwSignal<Vec<FieldError>>,
    /// Every problem with the draft, live.
    pub errors: Memo<Vec<FieldError>>,
    /// How many items the current query selects (None while unknown).
    pub item_count: RwSignal<Option<u64>>,
}

impl TaskForm {
    /// A form editing `draft` for a dataset with these members and tasks.
    pub fn new(draft: TaskDraft, members: Vec<Member>, tasks: Vec<Task>) -> TaskForm {
        let draft = RwSignal::new(draft);
        let members = Signal::stored(members);
        let tasks = Signal::stored(tasks);
        let errors = Memo::new(move |_| {
            members.with(|m| tasks.with(|t| draft.with(|d| validate_at(d, m, t, now_ms()))))
        });
        let form = TaskForm {
            draft,
            members,
            tasks,
            touched: RwSignal::new(HashSet::new()),
            deferred: StoredValue::new(Vec::new()),
            pointer_down: StoredValue::new(false),
            submitted: RwSignal::new(false),
            server_errors: RwSignal::new(Vec::new()),
            errors,
            item_count: RwSignal::new(None),
        };
        form.watch_pointer();
        form
    }

    /// Leaving a field with the mouse happens on *press*: revealing its errors right then
    /// would push the rest of the form down under the pointer, and the click being made
    /// would land on something else. So a field left during a press shows its errors once
    /// the press is over (and its click has happened).
    fn watch_pointer(self) {
        let down = window_event_listener(leptos::ev::pointerdown, move |_| {
            self.pointer_down.set_value(true);
        });
        let release = move || {
            self.pointer_down.set_value(false);
            set_timeout(
                move || {
                    let fields = self
                        .deferred
                        .try_update_value(std::mem::take)
                        .unwrap_or_default();
                    for field in fields {
                        self.touch(field);
                    }
                },
                std::time::Duration::ZERO,
            );
        };
        let up = window_event_listener(leptos::ev::pointerup, move |_| release());
        let cancel = window_event_listener(leptos::ev::pointercancel, move |_| release());
        on_cleanup(move || {
            down.remove();
            up.remove();
            cancel.remove();
        });
    }

    /// Changes the draft. The server's field errors were about the draft it saw, so they go.
    pub fn edit(&self, change: impl FnOnce(&mut TaskDraft)) {
        self.draft.update(change);
        if self.server_errors.with_untracked(|e| !e.is_empty()) {
            self.server_errors.set(Vec::new());
        }
    }

    /// Marks a field as visited, so its errors show from now on.
    pub fn touch(&self, field: &'static str) {
        if self.pointer_down.try_get_value() == Some(true) {
            self.deferred.update_value(|d| d.push(field));
            return;
        }
        if self.touched.try_with_untracked(|t| !t.contains(field)) == Some(true) {
            self.touched.update(|t| {
                t.insert(field);
            });
        }
    }

    /// Whether the user should see the errors of `field` now.
    fn revealed(&self, field: &str) -> bool {
        self.submitted.get() || self.touched.with(|t| t.contains(field))
    }

    /// The messages to show beside `field` (reactive): the live ones once revealed, and the
    /// server's always; each message once.
    pub fn messages(&self, field: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if self.revealed(field) {
            self.errors.with(|errors| {
                out.extend(
                    errors
                        .iter()
                        .filter(|e| e.field == field)
                        .map(|e| e.message.clone()),
                )
            });
        }
        self.server_errors.with(|errors| {
            for e in errors.iter().filter(|e| belongs_to(&e.field, field)) {
                if !out.contains(&e.message) {
                    out.push(e.message.clone());
                }
            }
        });
        out
    }

    /// Whether `field` shows an error (for `aria-invalid`).
    pub fn shows_error(&self, field: &str) -> bool {
        !self.messages(field).is_empty()
    }

    /// The status of a section made of `fields`.
    pub fn status(&self, fields: &[&str]) -> SectionStatus {
        let failing: Vec<&str> = self.errors.with(|errors| {
            fields
                .iter()
                .copied()
                .filter(|f| errors.iter().any(|e| e.field == *f))
                .collect()
        });
        let server = self.server_errors.with(|errors| {
            errors
                .iter()
                .any(|e| fields.iter().any(|f| belongs_to(&e.field, f)))
        });
        if server || failing.iter().any(|f| self.revealed(f)) {
            SectionStatus::Invalid
        } else if failing.is_empty() {
            SectionStatus::Complete
        } else {
            SectionStatus::Incomplete
        }
    }

    /// Validates the draft as it is now, with the current time (a due date can pass while
    /// the form sits open, so submitting does not trust the memo's last run).
    pub fn validate_now(&self) -> Vec<FieldError> {
        self.members.with_untracked(|m| {
            self.tasks.with_untracked(|t| {
                self.draft
                    .with_untracked(|d| validate_at(d, m, t, now_ms()))
            })
        })
    }
}

fn validate_at(draft: &TaskDraft, members: &[Member], tasks: &[Task], now: f64) -> Vec<FieldError> {
    let ctx = ValidationContext::new(now)
        .with_members(members)
        .with_tasks(tasks);
    validate(draft, &ctx)
}

/// Whether a server error's field (`"name"`, or a path such as `"workload[1].load"` or
/// `"metadata.system.batchSize"`) belongs to the form field `field`.
fn belongs_to(error_field: &str, field: &str) -> bool {
    let head = error_field
        .split(['.', '['])
        .find(|part| !part.is_empty() && *part != "metadata" && *part != "system")
        .unwrap_or(error_field);
    head == field
        || (field == "parentTask" && (head == "spec" || head == "parentTaskId"))
        || (field == "statuses" && head == "availableActions")
}

/// The id of the element listing `field`'s messages (for `aria-describedby`).
pub fn messages_id(field: &str) -> String {
    format!("{field}-messages")
}

/// The form fields the server may name that have no place in the form; their errors are
/// shown in the submit area instead.
pub const FORM_LEVEL_FIELDS: [&str; 4] = ["projectId", "datasetId", "recipeId", "taskType"];

#[cfg(test)]
mod tests {
    use super::belongs_to;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn server_fields_map_to_form_fields() {
        assert!(belongs_to("name", "name"));
        assert!(belongs_to("workload[1].load", "workload"));
        assert!(belongs_to("metadata.system.batchSize", "batchSize"));
        assert!(belongs_to("spec.parentTaskId", "parentTask"));
        assert!(belongs_to("availableActions[0]", "statuses"));
        assert!(!belongs_to("query", "name"));
    }
}
