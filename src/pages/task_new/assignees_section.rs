//! "Assignees": the project's members who may annotate, picked with the assignee picker.

use leptos::prelude::*;

use super::draft_edits::set_assignees;
use super::form_section::FieldMessages;
use super::form_state::{messages_id, TaskForm};
use crate::components::assignee_picker::AssigneePicker;

/// The assignee picker wired to the draft.
#[component]
pub fn AssigneesField(form: TaskForm) -> impl IntoView {
    view! {
        <div class="field task-form__field">
            <AssigneePicker
                members=form.members
                selected=Signal::derive(move || form.draft.with(|d| d.assignees.clone()))
                on_change=Callback::new(move |list: Vec<String>| {
                    form.edit(|d| set_assignees(d, list));
                })
                label="Assignees"
                id="assignees"
                described_by=messages_id("assignees")
                invalid=Signal::derive(move || form.shows_error("assignees"))
                on_blur=Callback::new(move |_| form.touch("assignees"))
            />
            <FieldMessages form=form field="assignees" />
        </div>
    }
}
