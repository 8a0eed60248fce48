//! "Priority": Low, Medium (the default) or High.

use annotask_core::draft::Priority;
use leptos::prelude::*;

use super::form_state::TaskForm;

/// The people-facing name of a priority.
pub fn priority_label(priority: Priority) -> &'static str {
    match priority {
        Priority::Low => "Low",
        Priority::Medium => "Medium",
        Priority::High => "High",
    }
}

/// The priority radios.
#[component]
pub fn PriorityField(form: TaskForm) -> impl IntoView {
    let current = move || form.draft.with(|d| d.priority);
    view! {
        <fieldset class="task-form__choices task-form__choices--inline">
            <legend class="field__label">"Priority"</legend>
            {Priority::ALL
                .into_iter()
                .map(|priority| {
                    view! {
                        <label class="task-form__pill">
                            <input
                                type="radio"
                                name="priority"
                                value=priority.as_number().to_string()
                                prop:checked=move || current() == priority
                                on:change=move |_| form.edit(|d| d.priority = priority)
                            />
                            <span>{priority_label(priority)}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
