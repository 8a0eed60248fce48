//! "Task type": Annotation or QA; a QA task names its "Parent task", one of the dataset's
//! annotation tasks, found by typing part of its name.

use annotask_core::draft::TaskType;
use leptos::prelude::*;

use super::draft_edits::{set_parent, set_task_type};
use super::form_section::{invalid_attr, FieldMessages};
use super::form_state::{messages_id, TaskForm};

/// The task type radios, and the parent picker for QA.
#[component]
pub fn TaskTypeField(
    form: TaskForm,
    /// Who owns an annotation task (the signed-in user).
    owner: Option<String>,
) -> impl IntoView {
    let task_type = move || form.draft.with(|d| d.task_type);
    let owner = StoredValue::new(owner);
    let choose = move |t: TaskType| form.edit(|d| set_task_type(d, t, owner.get_value()));

    view! {
        <fieldset class="task-form__choices">
            <legend class="field__label">"Task type"</legend>
            <label class="task-form__choice">
                <input
                    type="radio"
                    name="task-type"
                    value="annotation"
                    prop:checked=move || task_type() == TaskType::Annotation
                    on:change=move |_| choose(TaskType::Annotation)
                />
                <span class="task-form__choice-text">
                    <span class="task-form__choice-title">"Annotation"</span>
                    <span class="task-form__choice-hint">"Annotators label the items."</span>
                </span>
            </label>
            <label class="task-form__choice">
                <input
                    type="radio"
                    name="task-type"
                    value="qa"
                    prop:checked=move || task_type() == TaskType::Qa
                    on:change=move |_| choose(TaskType::Qa)
                />
                <span class="task-form__choice-text">
                    <span class="task-form__choice-title">"QA"</span>
                    <span class="task-form__choice-hint">
                        "Reviewers check the items of an annotation task that have a status."
                    </span>
                </span>
            </label>
        </fieldset>
        <Show when=move || task_type() == TaskType::Qa>
            <ParentTaskField form=form />
        </Show>
    }
}

/// The searchable list of annotation tasks a QA task can review.
#[component]
fn ParentTaskField(form: TaskForm) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let parent_id = move || {
        form.draft
            .with(|d| d.parent_task_id.clone().unwrap_or_default())
    };
    let candidates = move || {
        let words = search.get().to_lowercase();
        let current = parent_id();
        form.tasks.with(|tasks| {
            tasks
                .iter()
                .filter(|t| !t.is_qa())
                .filter(|t| t.id == current || t.name.to_lowercase().contains(words.trim()))
                .map(|t| (t.id.clone(), t.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let annotation_tasks = move || form.tasks.with(|t| t.iter().filter(|t| !t.is_qa()).count());
    let choose = move |id: String| {
        let parent = form
            .tasks
            .with_untracked(|t| t.iter().find(|t| t.id == id).cloned());
        form.edit(|d| match &parent {
            Some(parent) => set_parent(d, parent),
            None => {
                d.parent_task_id = None;
                d.parent_task_name = None;
            }
        });
        form.touch("parentTask");
    };
    let described = format!("parent-task-hint {}", messages_id("parentTask"));

    view! {
        <div class="field task-form__field">
            <Show
                when=move || { annotation_tasks() > 0 }
                fallback=|| {
                    view! {
                        <p class="task-form__notice">
                            "This dataset has no annotation task yet. Create one first; a QA task reviews its items."
                        </p>
                    }
                }
            >
                <label class="field__label" for="parent-task-search">"Find a parent task"</label>
                <input
                    class="input task-form__search"
                    id="parent-task-search"
                    type="search"
                    autocomplete="off"
                    placeholder="Type part of a task name"
                    aria-controls="parent-task"
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
            </Show>
            <label class="field__label" for="parent-task">"Parent task"</label>
            <p class="task-form__hint" id="parent-task-hint">
                {move || {
                    let shown = candidates().len();
                    let total = annotation_tasks();
                    if search.with(|s| s.trim().is_empty()) {
                        match total {
                            1 => "1 annotation task in this dataset.".to_owned(),
                            n => format!("{n} annotation tasks in this dataset."),
                        }
                    } else {
                        format!("{shown} of {total} match.")
                    }
                }}
            </p>
            <select
                class="input"
                id="parent-task"
                aria-describedby=described
                aria-invalid=invalid_attr(form, "parentTask")
                on:change=move |ev| choose(event_target_value(&ev))
                on:blur=move |_| form.touch("parentTask")
            >
                <option value="" prop:selected=move || parent_id().is_empty()>
                    "Choose the annotation task to review"
                </option>
                <For each=candidates key=|(id, _)| id.clone() let:candidate>
                    {
                        let (id, name) = candidate;
                        let value = id.clone();
                        view! {
                            <option value=value prop:selected=move || parent_id() == id>
                                {name}
                            </option>
                        }
                    }
                </For>
            </select>
            <FieldMessages form=form field="parentTask" />
        </div>
    }
}
