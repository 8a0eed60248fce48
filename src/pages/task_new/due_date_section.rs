//! "Due date": a local date and time with shortcuts, the user's time zone and the UTC
//! instant it means; the task stores it as epoch milliseconds.

use leptos::prelude::*;

use super::form_section::{invalid_attr, FieldMessages};
use super::form_state::{messages_id, TaskForm};
use super::local_time::{
    format_local, format_utc, from_input_value, time_zone, to_input_value, utc_offset, Shortcut,
};
use crate::config::now_ms;

/// The due date input and its shortcuts.
#[component]
pub fn DueDateField(form: TaskForm) -> impl IntoView {
    let due = move || form.draft.with(|d| d.due_date_ms);
    // What the input holds. A half-typed date reads as "" until complete; keeping the text
    // apart from the draft means such a state is never written back over the user's typing.
    let text = RwSignal::new(
        form.draft
            .with_untracked(|d| d.due_date_ms)
            .map(to_input_value)
            .unwrap_or_default(),
    );
    let set_due = move |ms: Option<f64>| {
        if form.draft.with_untracked(|d| d.due_date_ms) != ms {
            form.edit(|d| d.due_date_ms = ms);
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if text.get_untracked() != value {
            text.set(value.clone());
        }
        set_due(from_input_value(&value));
    };
    let pick = move |shortcut: Shortcut| {
        let ms = shortcut.resolve(now_ms());
        text.set(to_input_value(ms));
        set_due(Some(ms));
        form.touch("dueDate");
    };
    let zone = time_zone();
    let described = format!("due-date-zone {}", messages_id("dueDate"));

    view! {
        <div class="field task-form__field">
            <label class="field__label" for="due-date">"Due date"</label>
            <div class="task-form__due">
                <input
                    class="input task-form__due-input"
                    id="due-date"
                    type="datetime-local"
                    min=to_input_value(now_ms())
                    aria-describedby=described
                    aria-invalid=invalid_attr(form, "dueDate")
                    prop:value=move || text.get()
                    on:input=on_input
                    on:change=on_input
                    on:blur=move |_| form.touch("dueDate")
                />
                <div class="task-form__shortcuts" role="group" aria-label="Due date shortcuts">
                    {Shortcut::ALL
                        .into_iter()
                        .map(|shortcut| {
                            view! {
                                <button
                                    type="button"
                                    class="button task-form__shortcut"
                                    on:click=move |_| pick(shortcut)
                                >
                                    {shortcut.label()}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
            <p class="task-form__hint" id="due-date-zone">
                {move || {
                    let zone = if zone.is_empty() { "your local time".to_owned() } else { zone.clone() };
                    match due() {
                        Some(ms) => {
                            format!(
                                "Times are in {zone} ({}). Due {} — {}.",
                                utc_offset(ms),
                                format_local(ms),
                                format_utc(ms),
                            )
                        }
                        None => format!("Times are in {zone} ({}).", utc_offset(now_ms())),
                    }
                }}
            </p>
            <FieldMessages form=form field="dueDate" />
        </div>
    }
}
