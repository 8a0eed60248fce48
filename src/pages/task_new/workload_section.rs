//! "Workload": how the items are split between the assignees.

use annotask_core::draft::WorkloadMode;
use leptos::prelude::*;

use super::form_section::FieldMessages;
use super::form_state::{messages_id, TaskForm};
use crate::components::workload_editor::{WorkloadAssignee, WorkloadEditor};

/// The workload editor wired to the draft.
#[component]
pub fn WorkloadField(form: TaskForm) -> impl IntoView {
    // The assignees with the names the picker shows.
    let assignees = Signal::derive(move || {
        form.draft.with(|d| {
            form.members.with(|members| {
                d.assignees
                    .iter()
                    .map(|email| WorkloadAssignee {
                        email: email.clone(),
                        name: members
                            .iter()
                            .find(|m| m.email.eq_ignore_ascii_case(email.trim()))
                            .map_or_else(|| email.clone(), |m| m.display_name()),
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <div class="field task-form__field">
            <WorkloadEditor
                assignees=assignees
                mode=Signal::derive(move || form.draft.with(|d| d.workload.clone()))
                on_change=Callback::new(move |mode: WorkloadMode| {
                    form.edit(|d| d.workload = mode);
                })
                item_count=form.item_count
                id="workload"
                described_by=messages_id("workload")
                invalid=Signal::derive(move || form.shows_error("workload"))
                on_blur=Callback::new(move |_| form.touch("workload"))
            />
            <FieldMessages form=form field="workload" />
        </div>
    }
}
