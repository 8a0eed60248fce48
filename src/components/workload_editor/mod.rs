//! Splits a task's items between its assignees: the SDK's equal split, or custom
//! percentages that must sum to 100 (with "Distribute the rest"). For every assignee it
//! shows the share, how many of the current items they will get (the server's
//! largest-remainder allocation, [`annotask_core::workload::allocate`]) and a small bar.
//!
//! The editor only reads and reports a [`WorkloadMode`]; whether the loads are valid is
//! decided by annotask-core's `validate()`, whose messages the form shows beside it.

pub mod loads;

use annotask_core::draft::WorkloadMode;
use annotask_core::workload::allocate;
use leptos::ev::FocusEvent;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use loads::{distribute_rest, equal_loads, format_load, parse_load, rest, total};

/// One assignee as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadAssignee {
    /// The e-mail the load belongs to.
    pub email: String,
    /// The name shown (and used in the load box's label).
    pub name: String,
}

/// Edits how a task's items are split between its assignees.
#[component]
pub fn WorkloadEditor(
    /// The assignees, in the order of the loads.
    #[prop(into)]
    assignees: Signal<Vec<WorkloadAssignee>>,
    /// Equal split or custom loads.
    #[prop(into)]
    mode: Signal<WorkloadMode>,
    /// Told the new mode whenever the user changes the split.
    on_change: Callback<WorkloadMode>,
    /// How many items the task will have, for the per-assignee counts (None while unknown).
    #[prop(into)]
    item_count: Signal<Option<u64>>,
    /// The id of the group; the inputs' ids derive from it.
    #[prop(into, default = "workload".to_string())]
    id: String,
    /// Ids of further elements describing the field (e.g. its error messages).
    #[prop(into, optional)]
    described_by: MaybeProp<String>,
    /// Marks the load boxes invalid (`aria-invalid`).
    #[prop(into, optional)]
    invalid: MaybeProp<bool>,
    /// Called when focus leaves the editor (a form marks the field touched then).
    #[prop(optional)]
    on_blur: Option<Callback<()>>,
) -> impl IntoView {
    let is_custom = move || matches!(mode.get(), WorkloadMode::Custom(_));
    // The loads shown, always one per assignee (custom loads are padded while the form
    // catches up with a changed assignee list).
    let shown_loads = Memo::new(move |_| {
        let n = assignees.with(Vec::len);
        match mode.get() {
            WorkloadMode::Equal => equal_loads(n),
            WorkloadMode::Custom(mut loads) => {
                loads.resize(n, 0.0);
                loads
            }
        }
    });
    let counts = Memo::new(move |_| {
        let n = item_count.get()?;
        Some(shown_loads.with(|l| allocate(n as usize, l)))
    });
    let set_load = move |email: &str, load: f64| {
        let emails: Vec<String> =
            assignees.with_untracked(|a| a.iter().map(|x| x.email.clone()).collect());
        let mut loads = shown_loads.get_untracked();
        if let Some(i) = emails.iter().position(|e| e.eq_ignore_ascii_case(email)) {
            loads[i] = load;
        }
        on_change.run(WorkloadMode::Custom(loads));
    };

    let root_ref = NodeRef::<html::Fieldset>::new();
    let on_focusout = move |ev: FocusEvent| {
        let inside = match (root_ref.get_untracked(), ev.related_target()) {
            (Some(root), Some(target)) => target
                .dyn_ref::<web_sys::Node>()
                .is_some_and(|node| root.contains(Some(node))),
            _ => false,
        };
        if !inside {
            if let Some(cb) = on_blur {
                cb.run(());
            }
        }
    };

    let hint_id = format!("{id}-hint");
    let described = {
        let hint_id = hint_id.clone();
        move || match described_by.get() {
            Some(more) if !more.is_empty() => format!("{hint_id} {more}"),
            _ => hint_id.clone(),
        }
    };
    let radio_name = format!("{id}-mode");
    let id = StoredValue::new(id);
    let load_invalid = move || invalid.get().unwrap_or(false);

    view! {
        <fieldset
            class="workload-editor"
            id=id.get_value()
            node_ref=root_ref
            aria-describedby=described
            on:focusout=on_focusout
        >
            <legend class="field__label">"Workload"</legend>
            <div class="workload-editor__modes">
                <label class="workload-editor__mode">
                    <input
                        type="radio"
                        name=radio_name.clone()
                        value="equal"
                        prop:checked=move || !is_custom()
                        on:change=move |_| on_change.run(WorkloadMode::Equal)
                    />
                    <span>"Equal split"</span>
                </label>
                <label class="workload-editor__mode">
                    <input
                        type="radio"
                        name=radio_name
                        value="custom"
                        prop:checked=is_custom
                        on:change=move |_| {
                            on_change.run(WorkloadMode::Custom(shown_loads.get_untracked()))
                        }
                    />
                    <span>"Custom percentages"</span>
                </label>
            </div>
            <p class="workload-editor__hint" id=hint_id>
                {move || {
                    if is_custom() {
                        "Give each assignee a percentage of the items; together they must make 100%."
                    } else {
                        "Everyone gets the same share; when 100 does not divide evenly, the first assignees get one percent more (as the SDK splits)."
                    }
                }}
            </p>
            <Show
                when=move || assignees.with(|a| !a.is_empty())
                fallback=|| {
                    view! {
                        <p class="workload-editor__empty">
                            "Add assignees above to split the items between them."
                        </p>
                    }
                }
            >
                <table class="workload-editor__table">
                    <thead>
                        <tr>
                            <th scope="col">"Assignee"</th>
                            <th scope="col">"Share"</th>
                            <th scope="col">"Items"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || assignees.get()
                            key=|a| a.email.to_lowercase()
                            let:assignee
                        >
                            <WorkloadRow
                                assignee=assignee
                                assignees=assignees
                                loads=shown_loads
                                counts=counts
                                custom=Signal::derive(is_custom)
                                invalid=Signal::derive(load_invalid)
                                id_prefix=id.get_value()
                                set_load=Callback::new(move |(email, load): (String, f64)| set_load(&email, load))
                            />
                        </For>
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">"Total"</th>
                            <td>
                                <span
                                    class="workload-editor__total"
                                    class:workload-editor__total--off=move || {
                                        shown_loads.with(|l| rest(l) != 0.0)
                                    }
                                >
                                    {move || format!("{}%", format_load(shown_loads.with(|l| total(l))))}
                                </span>
                                {move || {
                                    let missing = shown_loads.with(|l| rest(l));
                                    (missing != 0.0)
                                        .then(|| {
                                            let text = if missing > 0.0 {
                                                format!("{}% left", format_load(missing))
                                            } else {
                                                format!("{}% too much", format_load(-missing))
                                            };
                                            view! { <span class="workload-editor__rest">{text}</span> }
                                        })
                                }}
                            </td>
                            <td>
                                {move || {
                                    item_count.get().map_or_else(|| "—".to_owned(), |n| n.to_string())
                                }}
                            </td>
                        </tr>
                    </tfoot>
                </table>
                <Show when=is_custom>
                    <button
                        type="button"
                        class="button workload-editor__distribute"
                        disabled=move || shown_loads.with(|l| rest(l) <= 0.0)
                        on:click=move |_| {
                            let spread = shown_loads.with_untracked(|l| distribute_rest(l));
                            on_change.run(WorkloadMode::Custom(spread));
                        }
                    >
                        "Distribute the rest"
                    </button>
                </Show>
            </Show>
        </fieldset>
    }
}

/// One assignee's line: name, share (a box in custom mode), item count and bar.
#[component]
fn WorkloadRow(
    assignee: WorkloadAssignee,
    assignees: Signal<Vec<WorkloadAssignee>>,
    loads: Memo<Vec<f64>>,
    counts: Memo<Option<Vec<usize>>>,
    custom: Signal<bool>,
    invalid: Signal<bool>,
    id_prefix: String,
    set_load: Callback<(String, f64)>,
) -> impl IntoView {
    let email = StoredValue::new(assignee.email.clone());
    // Where this assignee is now; rows are keyed by e-mail, so earlier removals move it.
    let position = Memo::new(move |_| {
        email.with_value(|e| {
            assignees.with(|a| a.iter().position(|x| x.email.eq_ignore_ascii_case(e)))
        })
    });
    let load = move || {
        loads
            .with(|l| position.get().and_then(|i| l.get(i).copied()))
            .unwrap_or(0.0)
    };
    let count = move || {
        counts.with(|c| {
            c.as_ref()
                .and_then(|c| position.get().and_then(|i| c.get(i).copied()))
        })
    };
    // What the box shows: kept apart from the load so that typing "12." or clearing the box
    // is not overwritten; it follows the load when that changes from elsewhere.
    let text = RwSignal::new(format_load(untrack(load)));
    Effect::new(move |_| {
        let current = load();
        if parse_load(&text.get_untracked()) != Some(current) {
            text.set(format_load(current));
        }
    });
    let input_id = format!(
        "{id_prefix}-load-{}",
        assignee
            .email
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
    );
    let name = assignee.name.clone();
    view! {
        <tr class="workload-editor__row">
            <th scope="row" class="workload-editor__name" title=assignee.email.clone()>
                {assignee.name.clone()}
                // The bar chart of the split: one bar per assignee, under their name.
                <span class="workload-editor__bar" aria-hidden="true">
                    <span
                        class="workload-editor__bar-fill"
                        style:width=move || format!("{}%", load().clamp(0.0, 100.0))
                    ></span>
                </span>
            </th>
            <td class="workload-editor__share">
                <Show
                    when=move || custom.get()
                    fallback=move || view! { <span>{move || format!("{}%", format_load(load()))}</span> }
                >
                    <label class="workload-editor__sr-only" for=input_id.clone()>
                        {format!("Load for {name} (%)")}
                    </label>
                    <span class="workload-editor__input-wrap">
                        <input
                            class="input workload-editor__input"
                            id=input_id.clone()
                            type="number"
                            inputmode="decimal"
                            min="0"
                            max="100"
                            step="any"
                            aria-invalid=move || if invalid.get() { "true" } else { "false" }
                            prop:value=move || text.get()
                            on:input=move |ev| {
                                let typed = event_target_value(&ev);
                                text.set(typed.clone());
                                if let Some(value) = parse_load(&typed) {
                                    set_load.run((email.get_value(), value));
                                }
                            }
                        />
                        <span aria-hidden="true">"%"</span>
                    </span>
                </Show>
            </td>
            <td class="workload-editor__count">
                {move || count().map_or_else(|| "—".to_owned(), |n| n.to_string())}
            </td>
        </tr>
    }
}
