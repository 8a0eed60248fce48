//! "Task name": required, with its rules in view, and a warning (not an error) when the
//! dataset already has a task of that name.

use annotask_core::validate::NAME_MAX_CHARS;
use leptos::prelude::*;

use super::form_section::{invalid_attr, FieldMessages};
use super::form_state::{messages_id, TaskForm};

/// The task name input.
#[component]
pub fn NameField(form: TaskForm) -> impl IntoView {
    let name = move || form.draft.with(|d| d.name.clone());
    let duplicate = move || {
        let wanted = form.draft.with(|d| d.trimmed_name().to_lowercase());
        if wanted.is_empty() {
            return None;
        }
        form.tasks.with(|tasks| {
            tasks
                .iter()
                .find(|t| t.name.trim().to_lowercase() == wanted)
                .map(|t| t.name.clone())
        })
    };
    let described = format!("task-name-hint {} task-name-warning", messages_id("name"));

    view! {
        <div class="field task-form__field">
            <label class="field__label" for="task-name">"Task name"</label>
            <p class="task-form__hint" id="task-name-hint">
                {format!("Required. Up to {NAME_MAX_CHARS} characters, without tabs or line breaks.")}
            </p>
            <input
                class="input"
                id="task-name"
                type="text"
                autocomplete="off"
                aria-describedby=described
                aria-invalid=invalid_attr(form, "name")
                prop:value=name
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    form.edit(|d| d.name = value);
                }
                on:blur=move |_| form.touch("name")
            />
            <FieldMessages form=form field="name" />
            <div id="task-name-warning" aria-live="polite">
                {move || {
                    duplicate()
                        .map(|existing| {
                            view! {
                                <p class="task-form__warning">
                                    <span class="task-form__warning-icon" aria-hidden="true">"⚠"</span>
                                    {format!(
                                        "This dataset already has a task named “{existing}”. You can still create this one, but a distinct name is easier to find."
                                    )}
                                </p>
                            }
                        })
                }}
            </div>
        </div>
    }
}
