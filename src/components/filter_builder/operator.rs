//! The operator of a row, offered by the field's type (see `Choice::offered`).

use annotask_core::dql::builder::Choice;
use leptos::prelude::*;

use super::focus::focus_key;
use super::model::RowModel;
use super::state::use_builder;

#[component]
pub(crate) fn OperatorSelect(
    /// The row.
    row: RowModel,
    /// The id of the element that describes the row's problems.
    described_by: String,
) -> impl IntoView {
    let state = use_builder();
    let id = row.id;
    let select_id = format!("fb-{id}-operator");
    let choice = Memo::new(move |_| row.row.with(|r| r.choice));
    let choices = Memo::new(move |_| Choice::listed(row.ty.get(), choice.get()));
    view! {
        <div class="filter-condition__operator">
            <label class="filter-condition__label" for=select_id.clone()>
                "Operator"
            </label>
            <select
                id=select_id
                class="input filter-condition__select"
                aria-describedby=described_by
                data-fb-focus=focus_key(id, "operator")
                on:change=move |ev| {
                    if let Some(next) = Choice::from_key(&event_target_value(&ev)) {
                        state.set_choice(row, next);
                    }
                }
            >
                <For each=move || choices.get() key=|c| c.key() let:c>
                    <option value=c.key() prop:selected=move || choice.get() == c>
                        {move || c.label(row.ty.get())}
                    </option>
                </For>
            </select>
        </div>
    }
}
