//! The searchable, grouped field picker: a WAI-ARIA combobox (list autocomplete) over the
//! catalogue, headed by group (Item, System metadata, User metadata, Annotation …). What
//! is typed filters by name and by dot path; a path no field has can be used as is.
//!
//! It is its label, its box and (while open) its list, with no element around them: a
//! condition row places them on its grid; a sort key puts them in a `.field-picker` box.

use annotask_core::dql::builder::{search_fields, FieldGroup, FieldSpec};
use leptos::prelude::*;
use serde_json::Value;

use super::model::FieldSource;
use super::state::use_builder;

#[component]
pub(crate) fn FieldPicker(
    /// The picked dot path ("" while none is picked).
    #[prop(into)]
    path: Signal<String>,
    /// Which catalogue to offer.
    source: FieldSource,
    /// Called with the picked field.
    on_pick: Callback<FieldSpec>,
    /// The input's id, which the visible label points at.
    input_id: String,
    /// The visible label.
    label: &'static str,
    /// The id of the element that describes the input's problems, while there is one.
    #[prop(optional, into)]
    described_by: Option<Signal<Option<String>>>,
    /// Whether to mark the input invalid.
    #[prop(into)]
    invalid: Signal<bool>,
) -> impl IntoView {
    let catalogue = use_builder().catalogue;
    let display = Memo::new(move |_| {
        let path = path.get();
        if path.is_empty() {
            return String::new();
        }
        catalogue.spec(source, &path).map_or(path, |f| f.label)
    });
    let open = RwSignal::new(false);
    // What was typed since the list opened: `None` lists every field. The box shows it,
    // and otherwise the picked field's name.
    let typed = RwSignal::new(None::<String>);
    let active = RwSignal::new(0usize);

    let options = Memo::new(move |_| {
        let fields = catalogue.fields(source);
        let query = typed.get().unwrap_or_default();
        let mut list: Vec<FieldSpec> = search_fields(&fields, &query)
            .into_iter()
            .cloned()
            .collect();
        let path = query.trim();
        let known = fields.iter().any(|f| f.path == path);
        if !path.is_empty() && !known && !path.contains(char::is_whitespace) {
            list.push(FieldSpec::custom(path, &Value::Null));
        }
        list
    });

    let listbox_id = format!("{input_id}-list");
    let option_id = {
        let input_id = input_id.clone();
        move |i: usize| format!("{input_id}-opt-{i}")
    };

    // Keeps the highlighted option in view as the arrows move it.
    let scroll_to_active = {
        let option_id = option_id.clone();
        move || {
            let id = option_id(active.get_untracked());
            request_animation_frame(move || {
                if let Some(el) = document().get_element_by_id(&id) {
                    el.scroll_into_view_with_bool(false);
                }
            });
        }
    };
    let open_all = {
        let scroll_to_active = scroll_to_active.clone();
        move || {
            typed.set(None);
            let current = path.get_untracked();
            let at = options.with_untracked(|o| o.iter().position(|f| f.path == current));
            active.set(at.unwrap_or(0));
            open.set(true);
            scroll_to_active();
        }
    };
    let close = move || {
        open.set(false);
        typed.set(None);
    };
    let pick = move |index: usize| {
        let Some(spec) = options.with_untracked(|o| o.get(index).cloned()) else {
            return;
        };
        open.set(false);
        typed.set(None);
        on_pick.run(spec);
    };
    // On leaving the box with a typed name that names exactly one field, take it.
    let pick_typed = move || {
        let Some(query) = typed.get_untracked() else {
            return false;
        };
        let query = query.trim().to_lowercase();
        let exact = options.with_untracked(|o| {
            o.iter()
                .position(|f| f.label.to_lowercase() == query || f.path.to_lowercase() == query)
        });
        match exact {
            Some(index) if !query.is_empty() => {
                pick(index);
                true
            }
            _ => false,
        }
    };

    let on_keydown = {
        let open_all = open_all.clone();
        move |ev: web_sys::KeyboardEvent| {
            if ev.alt_key() && ev.shift_key() {
                return; // the row's move shortcut
            }
            let count = options.with_untracked(Vec::len);
            match ev.key().as_str() {
                "ArrowDown" => {
                    ev.prevent_default();
                    if !open.get_untracked() {
                        open_all();
                    } else if count > 0 {
                        active.update(|a| *a = (*a + 1).min(count - 1));
                        scroll_to_active();
                    }
                }
                "ArrowUp" => {
                    ev.prevent_default();
                    if open.get_untracked() {
                        active.update(|a| *a = a.saturating_sub(1));
                        scroll_to_active();
                    }
                }
                "Home" | "End" if open.get_untracked() && typed.with_untracked(Option::is_none) => {
                    ev.prevent_default();
                    active.set(if ev.key() == "Home" {
                        0
                    } else {
                        count.saturating_sub(1)
                    });
                    scroll_to_active();
                }
                "Enter" => {
                    // Never let Enter submit the form around the builder.
                    ev.prevent_default();
                    if open.get_untracked() && count > 0 {
                        pick(active.get_untracked());
                    } else if !open.get_untracked() {
                        open_all();
                    }
                }
                "Escape" if open.get_untracked() => {
                    ev.prevent_default();
                    ev.stop_propagation();
                    close();
                }
                "Tab" if open.get_untracked() => {
                    // Typing a name and tabbing on takes the highlighted field.
                    if typed.with_untracked(Option::is_some) && count > 0 {
                        pick(active.get_untracked());
                    } else {
                        close();
                    }
                }
                _ => {}
            }
        }
    };

    let active_id = {
        let option_id = option_id.clone();
        move || (open.get() && options.with(|o| !o.is_empty())).then(|| option_id(active.get()))
    };
    let listbox_id_for_groups = listbox_id.clone();
    // The list's contents, made while it is open.
    let list = move || {
        let options = options.get();
        if options.is_empty() {
            return view! { <div class="field-picker__none">"No field matches. Type a dot path such as metadata.user.camera."</div> }
                .into_any();
        }
        let mut groups: Vec<(FieldGroup, Vec<(usize, FieldSpec)>)> = Vec::new();
        for (i, spec) in options.into_iter().enumerate() {
            match groups.last_mut() {
                Some((group, members)) if *group == spec.group => members.push((i, spec)),
                _ => groups.push((spec.group, vec![(i, spec)])),
            }
        }
        let option_id = option_id.clone();
        let heading_prefix = format!("{listbox_id_for_groups}-group");
        groups
            .into_iter()
            .enumerate()
            .map(|(n, (group, members))| {
                let heading_id = format!("{heading_prefix}-{n}");
                let option_id = option_id.clone();
                let labelled_by = heading_id.clone();
                view! {
                    <div role="group" class="field-picker__group" aria-labelledby=labelled_by>
                        <div role="presentation" class="field-picker__heading" id=heading_id>
                            {group.label()}
                        </div>
                        {members
                            .into_iter()
                            .map(|(i, spec)| {
                                let name = if spec.group == FieldGroup::Custom {
                                    format!("Use “{}”", spec.path)
                                } else {
                                    spec.label.clone()
                                };
                                view! {
                                    <div
                                        role="option"
                                        id=option_id(i)
                                        class="field-picker__option"
                                        class:field-picker__option--active=move || active.get() == i
                                        aria-selected=move || (active.get() == i).to_string()
                                        on:mousedown=|ev| ev.prevent_default()
                                        on:mousemove=move |_| {
                                            if active.get_untracked() != i {
                                                active.set(i);
                                            }
                                        }
                                        on:click=move |_| pick(i)
                                    >
                                        <span class="field-picker__name">{name}</span>
                                        " "
                                        <span class="field-picker__path">{spec.path.clone()}</span>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    // The list exists only while it is open: 200 rows do not carry 200 empty popups.
    let popup = {
        let listbox_id = listbox_id.clone();
        move || {
            open.get().then(|| {
                view! {
                    <div
                        id=listbox_id.clone()
                        role="listbox"
                        class="field-picker__popup"
                        aria-label=format!("{label} options")
                    >
                        {list.clone()}
                    </div>
                }
            })
        }
    };

    view! {
        <label class="filter-condition__label filter-condition__label--field" for=input_id.clone()>
            {label}
        </label>
        <input
            id=input_id
            class="input field-picker__input"
            role="combobox"
            autocomplete="off"
            spellcheck="false"
            placeholder="Pick a field"
            aria-autocomplete="list"
            aria-expanded=move || open.get().to_string()
            aria-controls=move || open.get().then(|| listbox_id.clone())
            aria-activedescendant=active_id
            aria-describedby=move || described_by.and_then(|d| d.get())
            aria-invalid=move || invalid.get().then_some("true")
            prop:value=move || typed.get().unwrap_or_else(|| display.get())
            on:input=move |ev| {
                typed.set(Some(event_target_value(&ev)));
                active.set(0);
                open.set(true);
            }
            on:click=move |_| {
                if !open.get_untracked() {
                    open_all();
                }
            }
            on:keydown=on_keydown
            on:blur=move |_| {
                if open.get_untracked() && !pick_typed() {
                    close();
                }
            }
        />
        {popup}
    }
}
