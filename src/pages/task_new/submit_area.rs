//! The end of the form: the problems left (when a submit was refused), the server's answer,
//! the "Create task" button and the progress of the creation.

use annotask_core::FieldError;
use leptos::html;
use leptos::prelude::*;

use super::form_state::{TaskForm, FORM_LEVEL_FIELDS};
use super::section_nav::focus_field;
use super::submit::{CreationProgress, SubmitError};
use crate::components::fetch_state::{slow_after, SLOW_AFTER_MS};

/// The id of the control a field's error links to.
fn field_target(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" => "task-name",
        "dueDate" => "due-date",
        "assignees" => "assignees",
        "workload" => "workload",
        "parentTask" => "parent-task",
        "batchSize" => "batch-size",
        "maxBatchWorkload" => "max-batch-workload",
        "statuses" => "statuses",
        "query" => "items",
        _ => return None,
    })
}

/// Problems, failures, progress and the Create button.
#[component]
pub fn SubmitArea(
    form: TaskForm,
    /// Whether a creation is under way.
    #[prop(into)]
    pending: Signal<bool>,
    /// The Command's progress while creating.
    #[prop(into)]
    progress: Signal<Option<CreationProgress>>,
    /// The last creation's failure, if any.
    #[prop(into)]
    failure: Signal<Option<SubmitError>>,
    /// Bumped on every refused submit, to move focus to the problem list.
    #[prop(into)]
    refusals: Signal<u32>,
) -> impl IntoView {
    let problems_ref = NodeRef::<html::Div>::new();
    let problems = move || -> Vec<FieldError> {
        if !form.submitted.get() {
            return Vec::new();
        }
        form.errors.get()
    };
    // A refused submit moves focus to the list, so keyboard and screen-reader users land on
    // what to fix.
    Effect::new(move |previous: Option<u32>| {
        let count = refusals.get();
        if previous.is_some_and(|p| p != count) {
            request_animation_frame(move || {
                if let Some(el) = problems_ref.get_untracked() {
                    el.scroll_into_view();
                    let _ = el.focus();
                }
            });
        }
        count
    });
    let server_general = move || {
        form.server_errors.with(|errors| {
            errors
                .iter()
                .filter(|e| {
                    FORM_LEVEL_FIELDS.contains(&e.field.as_str())
                        || field_target(&e.field).is_none()
                })
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
        })
    };

    view! {
        <div class="task-form__submit">
            <Show when=move || !problems().is_empty()>
                <div
                    class="task-form__problems"
                    node_ref=problems_ref
                    role="alert"
                    tabindex="-1"
                    aria-labelledby="task-form-problems-title"
                >
                    <p class="task-form__problems-title" id="task-form-problems-title">
                        {move || match problems().len() {
                            1 => "Fix 1 problem before creating the task:".to_owned(),
                            n => format!("Fix {n} problems before creating the task:"),
                        }}
                    </p>
                    <ul>
                        {move || {
                            problems()
                                .into_iter()
                                .map(|problem| {
                                    match field_target(&problem.field) {
                                        Some(target) => {
                                            view! {
                                                <li>
                                                    <a
                                                        href=format!("#{target}")
                                                        on:click=move |ev| {
                                                            ev.prevent_default();
                                                            focus_field(target);
                                                        }
                                                    >
                                                        {problem.message.clone()}
                                                    </a>
                                                </li>
                                            }
                                                .into_any()
                                        }
                                        None => view! { <li>{problem.message.clone()}</li> }.into_any(),
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                </div>
            </Show>
            {move || {
                (!pending.get())
                    .then(|| failure.get())
                    .flatten()
                    .map(|failure| {
                        let general = server_general();
                        let fields = !failure.field_errors().is_empty();
                        view! {
                            <div class="task-form__failure" role="alert">
                                <p class="task-form__failure-title">"The task was not created."</p>
                                <p>{failure.to_string()}</p>
                                {general
                                    .into_iter()
                                    .map(|message| view! { <p>{message}</p> })
                                    .collect_view()}
                                <p class="task-form__failure-hint">
                                    {if fields {
                                        "The fields the server refused are marked above. Everything you entered is kept."
                                    } else {
                                        "Everything you entered is kept; try again when the server is back."
                                    }}
                                </p>
                            </div>
                        }
                    })
            }}
            <div class="task-form__actions">
                <button
                    type="submit"
                    class="button button--primary task-form__create"
                    disabled=move || pending.get()
                    aria-describedby="task-form-progress"
                >
                    {move || if pending.get() { "Creating…" } else { "Create task" }}
                </button>
                <div class="task-form__progress" id="task-form-progress" role="status">
                    <Show when=move || pending.get()>
                        <CreationStatus progress=progress />
                    </Show>
                </div>
            </div>
        </div>
    }
}

/// The creation's progress bar and line, while it runs. Created when a creation starts, so
/// its "server is slow" timer counts from the click.
#[component]
fn CreationStatus(progress: Signal<Option<CreationProgress>>) -> impl IntoView {
    let slow = slow_after(SLOW_AFTER_MS);
    let state = move || {
        progress
            .get()
            .map(|p| (p.percent, p.status.to_string()))
            .unwrap_or((0.0, "sending".to_owned()))
    };
    view! {
        <progress
            class="task-form__progress-bar"
            max="100"
            value=move || state().0.to_string()
            aria-label="Task creation progress"
        ></progress>
        <span>{move || format!("Creating the task… {:.0}% ({})", state().0, state().1)}</span>
        // Only before the server has answered at all: once a Command reports progress, the
        // bar shows that work is moving.
        <Show when=move || slow.get() && progress.with(Option::is_none)>
            <span class="task-form__slow">
                "The server is slow to answer. The task is sent once; keep this page open."
            </span>
        </Show>
    }
}
