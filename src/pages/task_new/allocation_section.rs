//! "Allocation": Distribution (items dealt out up front, the default) or Pulling (assignees
//! take batches from a shared queue), with the pulling limits.

use annotask_core::draft::Allocation;
use annotask_core::validate::{BATCH_SIZE_MAX, BATCH_SIZE_MIN};
use leptos::prelude::*;

use super::form_section::{invalid_attr, FieldMessages};
use super::form_state::{messages_id, TaskForm};

/// The SDK's example pulling settings, a sensible start.
const DEFAULT_BATCH: u32 = 5;
const DEFAULT_MAX_WORKLOAD: u32 = 7;

/// The allocation method and, for pulling, its batch limits.
#[component]
pub fn AllocationField(form: TaskForm) -> impl IntoView {
    let pulling = move || {
        form.draft
            .with(|d| matches!(d.allocation, Allocation::Pulling { .. }))
    };
    let choose_pulling = move |on: bool| {
        form.edit(|d| {
            d.allocation = if on {
                Allocation::Pulling {
                    batch_size: DEFAULT_BATCH,
                    max_batch_workload: DEFAULT_MAX_WORKLOAD,
                }
            } else {
                Allocation::Distribution
            }
        })
    };
    view! {
        <fieldset class="task-form__choices">
            <legend class="field__label">"Allocation"</legend>
            <label class="task-form__choice">
                <input
                    type="radio"
                    name="allocation"
                    value="distribution"
                    prop:checked=move || !pulling()
                    on:change=move |_| choose_pulling(false)
                />
                <span class="task-form__choice-text">
                    <span class="task-form__choice-title">"Distribution"</span>
                    <span class="task-form__choice-hint">
                        "Items are dealt out to the assignees up front, by their workload."
                    </span>
                </span>
            </label>
            <label class="task-form__choice">
                <input
                    type="radio"
                    name="allocation"
                    value="pulling"
                    prop:checked=pulling
                    on:change=move |_| choose_pulling(true)
                />
                <span class="task-form__choice-text">
                    <span class="task-form__choice-title">"Pulling"</span>
                    <span class="task-form__choice-hint">
                        "Assignees take batches from a shared queue as they go."
                    </span>
                </span>
            </label>
        </fieldset>
        <Show when=pulling>
            <div class="task-form__row">
                <PullingNumber form=form field="batchSize" id="batch-size" label="Batch size" />
                <PullingNumber
                    form=form
                    field="maxBatchWorkload"
                    id="max-batch-workload"
                    label="Max batch workload"
                />
            </div>
        </Show>
    }
}

/// One of the two pulling limits, with its allowed range in view.
#[component]
fn PullingNumber(
    form: TaskForm,
    /// `batchSize` or `maxBatchWorkload`.
    field: &'static str,
    id: &'static str,
    label: &'static str,
) -> impl IntoView {
    let is_batch = field == "batchSize";
    let limits = move || {
        form.draft.with(|d| match d.allocation {
            Allocation::Pulling {
                batch_size,
                max_batch_workload,
            } => (batch_size, max_batch_workload),
            Allocation::Distribution => (DEFAULT_BATCH, DEFAULT_MAX_WORKLOAD),
        })
    };
    let value = move || {
        let (batch, max) = limits();
        if is_batch {
            batch
        } else {
            max
        }
    };
    // The typed text, so that clearing the box to retype does not snap back to 0.
    let text = RwSignal::new(untrack(value).to_string());
    Effect::new(move |_| {
        let current = value();
        if text.get_untracked().trim().parse::<u32>().unwrap_or(0) != current {
            text.set(current.to_string());
        }
    });
    let hint = move || {
        if is_batch {
            format!("Items per batch, {BATCH_SIZE_MIN} to {BATCH_SIZE_MAX}.")
        } else {
            let (batch, _) = limits();
            format!(
                "The most items one assignee may hold: from batch size + 2 to twice the batch size ({} to {}).",
                batch + 2,
                batch * 2
            )
        }
    };
    let hint_id = format!("{id}-hint");
    let described = format!("{hint_id} {}", messages_id(field));
    view! {
        <div class="field task-form__field">
            <label class="field__label" for=id>{label}</label>
            <p class="task-form__hint" id=hint_id>{hint}</p>
            <input
                class="input task-form__number"
                id=id
                type="number"
                inputmode="numeric"
                min="0"
                step="1"
                aria-describedby=described
                aria-invalid=invalid_attr(form, field)
                prop:value=move || text.get()
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    text.set(typed.clone());
                    let number = typed.trim().parse::<u32>().unwrap_or(0);
                    form.edit(|d| {
                        if let Allocation::Pulling { batch_size, max_batch_workload } = &mut d.allocation {
                            if is_batch {
                                *batch_size = number;
                            } else {
                                *max_batch_workload = number;
                            }
                        }
                    });
                }
                on:blur=move |_| form.touch(field)
            />
            <FieldMessages form=form field=field />
        </div>
    }
}
