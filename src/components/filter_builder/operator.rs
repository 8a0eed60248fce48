//! The operator of a row, offered by the field's type (see `Choice::offered`).

use annotask_core::dql::builder::Choice;
use leptos::prelude::*;

use super::model::RowModel;
use super::state::use_builder;

#[component]
pub(crate) fn OperatorSelect(
    /// The row.
    row: RowModel,
    /// The id of the element that describes the row's problems, while there is one.
    described_by: Signal<Option<String>>,
) -> impl IntoView {
    let state = use_builder();
    let id = row.id;
    let select_id = format!("fb-{id}-operator");
    let choice = Memo::new(move |_| row.row.with(|r| r.choice));
    view! {
        <label class="filter-condition__label filter-condition__label--op" for=select_id.clone()>
            "Operator"
        </label>
        <select
            id=select_id
            class="input filter-condition__select filter-condition__op"
            aria-describedby=move || described_by.get()
            on:change=move |ev| {
                if let Some(next) = Choice::from_key(&event_target_value(&ev)) {
                    state.set_choice(row, next);
                }
            }
        >
            // Made again when the type or the choice changes: one effect per row, not
            // two per option.
            {move || {
                let (ty, current) = (row.ty.get(), choice.get());
                Choice::listed(ty, current)
                    .into_iter()
                    .map(|c| {
                        view! {
                            <option value=c.key() selected=c == current>
                                {c.label(ty)}
                            </option>
                        }
                    })
                    .collect_view()
            }}
        </select>
    }
}
