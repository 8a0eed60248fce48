//! The frame every part of the form shares: a numbered section with its completeness
//! badge, and the live list of a field's messages.

use leptos::prelude::*;

use super::form_state::{messages_id, SectionStatus, TaskForm};

/// One numbered section of the form, with a badge saying whether it is complete.
#[component]
pub fn FormSection(
    /// The position in the form, shown before the title.
    number: u8,
    /// The heading.
    title: &'static str,
    /// The section's id (the section list links to it).
    anchor: &'static str,
    /// Complete, to do, or needs attention.
    #[prop(into)]
    status: Signal<SectionStatus>,
    children: Children,
) -> impl IntoView {
    let heading_id = format!("{anchor}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <section class="task-form__section" id=anchor aria-labelledby=labelled_by>
            <header class="task-form__section-header">
                <h2 class="task-form__section-title" id=heading_id tabindex="-1">
                    <span class="task-form__section-number" aria-hidden="true">{number}</span>
                    {title}
                </h2>
                <SectionBadge status=status />
            </header>
            <div class="task-form__section-body">{children()}</div>
        </section>
    }
}

/// "Complete", "To do" or "Needs attention", with an icon that does not rely on colour.
#[component]
pub fn SectionBadge(#[prop(into)] status: Signal<SectionStatus>) -> impl IntoView {
    view! {
        <span class=move || {
            format!("task-form__badge task-form__badge--{}", status.get().modifier())
        }>
            <span class="task-form__badge-icon" aria-hidden="true">
                {move || match status.get() {
                    SectionStatus::Complete => "✓",
                    SectionStatus::Incomplete => "○",
                    SectionStatus::Invalid => "!",
                }}
            </span>
            {move || status.get().label()}
        </span>
    }
}

/// The messages of one field, in a polite live region that the field's
/// `aria-describedby` points at, so they are read both when they appear and on focus.
#[component]
pub fn FieldMessages(form: TaskForm, field: &'static str) -> impl IntoView {
    view! {
        <div class="task-form__messages" id=messages_id(field) aria-live="polite">
            <For each=move || form.messages(field) key=|message| message.clone() let:message>
                <p class="task-form__error">
                    <span class="task-form__error-icon" aria-hidden="true">"!"</span>
                    {message}
                </p>
            </For>
        </div>
    }
}

/// `aria-invalid` for a field of the form.
pub fn invalid_attr(form: TaskForm, field: &'static str) -> impl Fn() -> &'static str + Copy {
    move || {
        if form.shows_error(field) {
            "true"
        } else {
            "false"
        }
    }
}
