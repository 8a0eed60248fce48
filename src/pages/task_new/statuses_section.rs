//! "Statuses": the statuses annotators can give an item. The platform's defaults
//! (completed and discard; approved and discard for QA) are always there; custom ones
//! with a name and a colour come on top.

use annotask_core::draft::{ItemAction, TaskType};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::draft_edits::{custom_statuses, set_custom_statuses};
use super::form_section::{invalid_attr, FieldMessages};
use super::form_state::{messages_id, TaskForm};

/// A new custom status's colour: the accent blue, readable as a button colour.
const NEW_STATUS_COLOR: &str = "#3157d5";

/// The default statuses and the custom-status editor.
#[component]
pub fn StatusesField(form: TaskForm) -> impl IntoView {
    let custom = Memo::new(move |_| form.draft.with(custom_statuses));
    let defaults = move || form.draft.with(|d| ItemAction::defaults_for(d.task_type));
    // Stable keys for the custom rows (a status has no id, and its name is being edited).
    let next_id = StoredValue::new(0_u64);
    let new_id = move || {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        id
    };
    let ids = RwSignal::new(
        (0..custom.with_untracked(Vec::len))
            .map(|_| new_id())
            .collect::<Vec<_>>(),
    );
    // Keep one key per row when the list changes from elsewhere (a task type switch).
    Effect::new(move |_| {
        let wanted = custom.with(Vec::len);
        if ids.with_untracked(Vec::len) != wanted {
            ids.update(|ids| {
                ids.truncate(wanted);
                while ids.len() < wanted {
                    ids.push(new_id());
                }
            });
        }
    });
    let add = move |_| {
        ids.update(|ids| ids.push(new_id()));
        form.edit(|d| {
            let mut list = custom_statuses(d);
            let mut status = ItemAction::new("");
            status.color = NEW_STATUS_COLOR.to_owned();
            list.push(status);
            set_custom_statuses(d, list);
        });
        // Focus the new row's name box once it is rendered.
        request_animation_frame(move || {
            let count = form.draft.with_untracked(|d| d.statuses.len());
            if let Some(input) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|doc| doc.get_element_by_id(&format!("status-name-{count}")))
            {
                let _ = input
                    .dyn_into::<web_sys::HtmlElement>()
                    .map(|el| el.focus());
            }
        });
    };

    view! {
        <fieldset class="task-form__statuses" id="statuses" aria-describedby=format!("statuses-hint {}", messages_id("statuses"))>
            <legend class="field__label">"Statuses"</legend>
            <p class="task-form__hint" id="statuses-hint">
                {move || {
                    let kind = match form.draft.with(|d| d.task_type) {
                        TaskType::Annotation => "an annotation task",
                        TaskType::Qa => "a QA task",
                    };
                    format!(
                        "Annotators mark each item with a status. The defaults of {kind} are always available; add your own below."
                    )
                }}
            </p>
            <ul class="task-form__status-list" aria-label="Default statuses">
                <For each=defaults key=|s| s.action.clone() let:status>
                    <li class="task-form__status-chip">
                        <span
                            class="task-form__swatch"
                            style:background-color=status.color.clone()
                            aria-hidden="true"
                        ></span>
                        {status.display_name.clone()}
                        <span class="task-form__status-default">"default"</span>
                    </li>
                </For>
            </ul>
            <Show when=move || custom.with(|c| !c.is_empty())>
                <ul class="task-form__custom-statuses" aria-label="Custom statuses">
                    <For each=move || ids.get() key=|id| *id let:id>
                        <CustomStatusRow form=form id=id ids=ids custom=custom />
                    </For>
                </ul>
            </Show>
            <button type="button" class="button task-form__add-status" on:click=add>
                <span aria-hidden="true">"+"</span>
                "Add status"
            </button>
            <FieldMessages form=form field="statuses" />
        </fieldset>
    }
}

/// One custom status: name, colour, remove.
#[component]
fn CustomStatusRow(
    form: TaskForm,
    id: u64,
    ids: RwSignal<Vec<u64>>,
    custom: Memo<Vec<ItemAction>>,
) -> impl IntoView {
    let position = move || ids.with(|ids| ids.iter().position(|i| *i == id));
    let status = move || position().and_then(|i| custom.with(|c| c.get(i).cloned()));
    let update = move |change: &dyn Fn(&mut ItemAction)| {
        let Some(i) = ids.with_untracked(|ids| ids.iter().position(|x| *x == id)) else {
            return;
        };
        form.edit(|d| {
            let mut list = custom_statuses(d);
            if let Some(status) = list.get_mut(i) {
                change(status);
            }
            set_custom_statuses(d, list);
        });
    };
    let remove = move |_| {
        let Some(i) = ids.with_untracked(|ids| ids.iter().position(|x| *x == id)) else {
            return;
        };
        ids.update(|ids| {
            ids.remove(i);
        });
        form.edit(|d| {
            let mut list = custom_statuses(d);
            if i < list.len() {
                list.remove(i);
            }
            set_custom_statuses(d, list);
        });
    };
    // Rows are numbered among all the statuses, defaults first, as validation counts them
    // ("Status 3 needs a name").
    let defaults = move || {
        form.draft
            .with(|d| ItemAction::defaults_for(d.task_type).len())
    };
    let number = move || position().map_or(0, |i| defaults() + i + 1);
    let name_id = move || format!("status-name-{}", number());
    let color_id = move || format!("status-color-{}", number());

    view! {
        <li class="task-form__custom-status">
            <div class="field">
                <label class="field__label" for=name_id>
                    {move || format!("Status {} name", number())}
                </label>
                <input
                    class="input"
                    id=name_id
                    type="text"
                    autocomplete="off"
                    aria-describedby=messages_id("statuses")
                    aria-invalid=invalid_attr(form, "statuses")
                    prop:value=move || status().map(|s| s.action).unwrap_or_default()
                    on:input=move |ev| {
                        let name = event_target_value(&ev);
                        update(&|s: &mut ItemAction| {
                            s.action = name.clone();
                            s.display_name = name.clone();
                        });
                    }
                    on:blur=move |_| form.touch("statuses")
                />
            </div>
            <div class="field">
                <label class="field__label" for=color_id>
                    {move || format!("Status {} colour", number())}
                </label>
                <input
                    class="task-form__color"
                    id=color_id
                    type="color"
                    prop:value=move || status().map(|s| s.color).unwrap_or_default()
                    on:input=move |ev| {
                        let color = event_target_value(&ev);
                        update(&|s: &mut ItemAction| s.color = color.clone());
                    }
                />
            </div>
            <button
                type="button"
                class="button button--quiet task-form__remove-status"
                aria-label=move || {
                    let name = status().map(|s| s.action).unwrap_or_default();
                    if name.trim().is_empty() {
                        format!("Remove status {}", number())
                    } else {
                        format!("Remove status “{name}”")
                    }
                }
                on:click=remove
            >
                "Remove"
            </button>
        </li>
    }
}
