//! A multi-select combobox over a project's members (WAI-ARIA combobox + listbox patterns).
//!
//! Type to search by name and e-mail, ArrowDown/ArrowUp (PageDown/PageUp) to move, Enter to
//! add or remove the active member, Backspace in the empty box to remove the last chip,
//! Escape to close. Only members whose role may annotate are offered.
//!
//! It stays instant with 10,000 members: the search runs over haystacks computed once
//! ([`member_index`]), and the listbox renders only the rows in view plus a small overscan
//! ([`virtual_window`]); the active option is announced through `aria-activedescendant`, and
//! every option carries `aria-setsize`/`aria-posinset` so screen readers still tell "3 of 9,412".
//!
//! The members come in as a signal rather than being fetched inside, so a benchmark page can
//! mount the picker with synthetic members.

pub mod member_index;
pub mod virtual_window;

use std::collections::HashSet;

use annotask_core::entities::Member;
use leptos::ev::{FocusEvent, KeyboardEvent};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use member_index::MemberIndex;
use virtual_window::{reveal, viewport_height, visible_range, ROW_HEIGHT};

/// More chips than this are summarised as "and N more", so selecting thousands of members
/// does not put thousands of buttons in the page.
const CHIP_LIMIT: usize = 60;

/// Picks several members of a project.
#[component]
pub fn AssigneePicker(
    /// Everyone who could be picked (usually the project's members); members whose role may
    /// not annotate are left out.
    #[prop(into)]
    members: Signal<Vec<Member>>,
    /// The picked e-mails, in order.
    #[prop(into)]
    selected: Signal<Vec<String>>,
    /// Told the new list of e-mails whenever the user adds or removes someone.
    on_change: Callback<Vec<String>>,
    /// The visible label, which is also the combobox's accessible name.
    #[prop(into, default = "Assignees".to_string())]
    label: String,
    /// The id of the text box; the listbox and option ids derive from it.
    #[prop(into, default = "assignees".to_string())]
    id: String,
    /// Ids of further elements describing the field (e.g. its error messages).
    #[prop(into, optional)]
    described_by: MaybeProp<String>,
    /// Marks the field invalid (`aria-invalid`).
    #[prop(into, optional)]
    invalid: MaybeProp<bool>,
    /// Called when focus leaves the picker (a form marks the field touched then).
    #[prop(optional)]
    on_blur: Option<Callback<()>>,
) -> impl IntoView {
    let index = Memo::new(move |_| members.with(|m| MemberIndex::new(m)));
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    // The active option, as a position in `matches`.
    let active = RwSignal::new(None::<usize>);
    let scroll_top = RwSignal::new(0.0_f64);
    let announcement = RwSignal::new(String::new());

    let matches = Memo::new(move |_| index.with(|ix| query.with(|q| ix.search(q))));
    let picked = Memo::new(move |_| {
        selected.with(|list| {
            list.iter()
                .map(|e| e.trim().to_lowercase())
                .collect::<HashSet<_>>()
        })
    });
    let listbox_shown = move || open.get() && matches.with(|m| !m.is_empty());

    let root_ref = NodeRef::<html::Div>::new();
    let input_ref = NodeRef::<html::Input>::new();
    let listbox_ref = NodeRef::<html::Div>::new();

    let listbox_id = format!("{id}-listbox");
    let hint_id = format!("{id}-hint");
    // Copy, so every row closure can name its option id.
    let option_prefix = StoredValue::new(format!("{id}-option-"));
    let name_of = move |email: &str| {
        index
            .with_untracked(|ix| ix.find(email).map(|c| c.name.clone()))
            .unwrap_or_else(|| email.to_owned())
    };

    // Scrolls the listbox so that the option at `position` is in view.
    let scroll_to = move |position: usize| {
        let total = matches.with_untracked(Vec::len);
        let next = reveal(scroll_top.get_untracked(), position, total);
        if next != scroll_top.get_untracked() {
            scroll_top.set(next);
            if let Some(el) = listbox_ref.get_untracked() {
                el.set_scroll_top(next as i32);
            }
        }
    };
    let set_active = move |position: Option<usize>| {
        active.set(position);
        if let Some(p) = position {
            scroll_to(p);
        }
    };
    let open_list = move || {
        if !open.get_untracked() {
            open.set(true);
            scroll_top.set(0.0);
            let any = matches.with_untracked(|m| !m.is_empty());
            active.set(any.then_some(0));
        }
    };

    let toggle = move |position: usize| {
        let Some(candidate) = matches
            .with_untracked(|m| m.get(position).copied())
            .and_then(|i| index.with_untracked(|ix| ix.get(i).cloned()))
        else {
            return;
        };
        let mut list = selected.get_untracked();
        let key = candidate.key.clone();
        let before = list.len();
        list.retain(|e| e.trim().to_lowercase() != key);
        let added = list.len() == before;
        if added {
            list.push(candidate.email.clone());
        }
        let verb = if added { "added" } else { "removed" };
        announcement.set(format!(
            "{} {verb}, {} selected.",
            candidate.name,
            list.len()
        ));
        on_change.run(list);
    };
    let remove = move |email: String| {
        let mut list = selected.get_untracked();
        let key = email.trim().to_lowercase();
        list.retain(|e| e.trim().to_lowercase() != key);
        announcement.set(format!(
            "{} removed, {} selected.",
            name_of(&email),
            list.len()
        ));
        on_change.run(list);
    };
    let select_all_matching = move || {
        let mut list = selected.get_untracked();
        let mut have: HashSet<String> = list.iter().map(|e| e.trim().to_lowercase()).collect();
        let before = list.len();
        index.with_untracked(|ix| {
            matches.with_untracked(|m| {
                for &i in m {
                    if let Some(c) = ix.get(i) {
                        if have.insert(c.key.clone()) {
                            list.push(c.email.clone());
                        }
                    }
                }
            })
        });
        let added = list.len() - before;
        announcement.set(format!("{added} added, {} selected.", list.len()));
        on_change.run(list);
    };
    let unpicked = Memo::new(move |_| {
        picked.with(|p| {
            index.with(|ix| {
                matches.with(|m| {
                    m.iter()
                        .filter(|&&i| ix.get(i).is_some_and(|c| !p.contains(&c.key)))
                        .count()
                })
            })
        })
    });
    let unpicked_matches = move || unpicked.get();

    let on_input = move |ev: leptos::ev::Event| {
        query.set(event_target_value(&ev));
        open.set(true);
        scroll_top.set(0.0);
        if let Some(el) = listbox_ref.get_untracked() {
            el.set_scroll_top(0);
        }
        let count = matches.with_untracked(Vec::len);
        active.set((count > 0).then_some(0));
        announcement.set(match count {
            0 => "No members match.".to_owned(),
            1 => "1 member matches.".to_owned(),
            n => format!("{n} members match."),
        });
    };

    let on_keydown = move |ev: KeyboardEvent| {
        let total = matches.with_untracked(Vec::len);
        let page = virtual_window::VISIBLE_ROWS - 1;
        let step = |delta: isize| {
            if total == 0 {
                return None;
            }
            let current = active.get_untracked();
            Some(match current {
                None if delta > 0 => 0,
                None => total - 1,
                Some(p) => (p as isize + delta).clamp(0, total as isize - 1) as usize,
            })
        };
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" | "PageDown" | "PageUp" => {
                ev.prevent_default();
                if !open.get_untracked() {
                    open_list();
                    if ev.key() == "ArrowUp" && total > 0 {
                        set_active(Some(total - 1));
                    }
                    return;
                }
                let delta = match ev.key().as_str() {
                    "ArrowDown" => 1,
                    "ArrowUp" => -1,
                    "PageDown" => page as isize,
                    _ => -(page as isize),
                };
                set_active(step(delta));
            }
            "Enter" => {
                // Never submit the surrounding form from here.
                ev.prevent_default();
                if !open.get_untracked() {
                    open_list();
                } else if let Some(position) = active.get_untracked() {
                    toggle(position);
                }
            }
            "Escape" => {
                if open.get_untracked() {
                    ev.prevent_default();
                    open.set(false);
                } else if !query.get_untracked().is_empty() {
                    ev.prevent_default();
                    query.set(String::new());
                }
            }
            "Backspace" => {
                let empty = input_ref
                    .get_untracked()
                    .is_some_and(|input| input.value().is_empty());
                if empty {
                    if let Some(last) = selected.get_untracked().last().cloned() {
                        ev.prevent_default();
                        remove(last);
                    }
                }
            }
            "Tab" => open.set(false),
            _ => {}
        }
    };

    // Focus moving outside the picker closes the list and counts as leaving the field.
    let on_focusout = move |ev: FocusEvent| {
        let inside = match (root_ref.get_untracked(), ev.related_target()) {
            (Some(root), Some(target)) => target
                .dyn_ref::<web_sys::Node>()
                .is_some_and(|node| root.contains(Some(node))),
            _ => false,
        };
        if !inside {
            open.set(false);
            if let Some(cb) = on_blur {
                cb.run(());
            }
        }
    };

    let focus_input = move || {
        if let Some(input) = input_ref.get_untracked() {
            let _ = input.focus();
        }
    };

    let described = {
        let hint_id = hint_id.clone();
        move || match described_by.get() {
            Some(more) if !more.is_empty() => format!("{hint_id} {more}"),
            _ => hint_id.clone(),
        }
    };
    let active_descendant = move || {
        if !listbox_shown() {
            return None;
        }
        let position = active.get()?;
        let member = matches.with(|m| m.get(position).copied())?;
        Some(option_prefix.with_value(|p| format!("{p}{member}")))
    };
    let controls = {
        let listbox_id = listbox_id.clone();
        move || listbox_shown().then(|| listbox_id.clone())
    };

    let chips = move || {
        let mut seen = HashSet::new();
        selected.with(|list| {
            list.iter()
                .filter(|e| seen.insert(e.trim().to_lowercase()))
                .take(CHIP_LIMIT)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let hidden_chips = move || selected.with(Vec::len).saturating_sub(CHIP_LIMIT);

    let rows = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let range = visible_range(scroll_top.get(), matches.with(Vec::len));
        matches.with(|m| range.map(|p| (m[p], p)).collect::<Vec<(u32, usize)>>())
    });

    let input_id = id.clone();
    view! {
        <div class="assignee-picker" node_ref=root_ref on:focusout=on_focusout>
            <label class="field__label" for=input_id.clone()>{label}</label>
            <p class="assignee-picker__hint" id=hint_id.clone()>
                "Type a name or e-mail. Up and Down arrows move, Enter adds or removes, Backspace removes the last one."
            </p>
            // The list opens over the content below instead of pushing it down, so closing
            // it (focus leaving on a mouse press) never moves what is being clicked.
            <div class="assignee-picker__anchor">
            <div
                class="assignee-picker__box"
                class:assignee-picker__box--invalid=move || invalid.get().unwrap_or(false)
                on:click=move |_| focus_input()
            >
                <Show when=move || selected.with(|s| !s.is_empty())>
                    <ul class="assignee-picker__chips" aria-label="Selected assignees">
                        <For each=chips key=|email| email.trim().to_lowercase() let:email>
                            {
                                let candidate = index.with_untracked(|ix| ix.find(&email).cloned());
                                let name = candidate
                                    .as_ref()
                                    .map_or_else(|| email.clone(), |c| c.name.clone());
                                let role = candidate.map(|c| c.role).unwrap_or_default();
                                let remove_label = format!("Remove {name}");
                                let email_for_remove = email.clone();
                                view! {
                                    <li class="assignee-picker__chip" title=email.clone()>
                                        <span class="assignee-picker__chip-name">{name}</span>
                                        {(!role.is_empty())
                                            .then(|| {
                                                view! { <span class="assignee-picker__chip-role">{role}</span> }
                                            })}
                                        <button
                                            type="button"
                                            class="assignee-picker__chip-remove"
                                            aria-label=remove_label
                                            on:click=move |ev| {
                                                ev.stop_propagation();
                                                remove(email_for_remove.clone());
                                                focus_input();
                                            }
                                        >
                                            <span aria-hidden="true">"×"</span>
                                        </button>
                                    </li>
                                }
                            }
                        </For>
                        <Show when=move || { hidden_chips() > 0 }>
                            <li class="assignee-picker__chip assignee-picker__chip--more">
                                {move || format!("and {} more", hidden_chips())}
                            </li>
                        </Show>
                    </ul>
                </Show>
                <input
                    class="assignee-picker__input"
                    id=input_id
                    node_ref=input_ref
                    type="text"
                    role="combobox"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="Search by name or e-mail"
                    aria-autocomplete="list"
                    aria-expanded=move || if listbox_shown() { "true" } else { "false" }
                    aria-controls=controls
                    aria-activedescendant=active_descendant
                    aria-describedby=described
                    aria-invalid=move || if invalid.get().unwrap_or(false) { "true" } else { "false" }
                    prop:value=move || query.get()
                    on:input=on_input
                    on:keydown=on_keydown
                    on:click=move |_| open_list()
                />
            </div>
            <Show when=listbox_shown>
                <div
                    class="assignee-picker__listbox"
                    id=listbox_id.clone()
                    node_ref=listbox_ref
                    role="listbox"
                    aria-multiselectable="true"
                    aria-label="Members to assign"
                    tabindex="-1"
                    style:height=move || format!("{}px", viewport_height(matches.with(Vec::len)))
                    on:scroll=move |ev| {
                        let el: web_sys::Element = event_target(&ev);
                        scroll_top.set(f64::from(el.scroll_top()));
                    }
                    on:mousedown=move |ev| ev.prevent_default()
                >
                    <div
                        class="assignee-picker__rows"
                        role="presentation"
                        style:height=move || {
                            format!("{}px", matches.with(Vec::len) as f64 * ROW_HEIGHT)
                        }
                    >
                        <For each=move || rows.get() key=|row| *row let:row>
                            {
                                let (member, position) = row;
                                let candidate = index
                                    .with_untracked(|ix| ix.get(member).cloned())
                                    .expect("rows come from the index");
                                let key = StoredValue::new(candidate.key.clone());
                                let is_picked = move || {
                                    key.with_value(|k| picked.with(|p| p.contains(k)))
                                };
                                view! {
                                    <div
                                        class="assignee-picker__option"
                                        class:assignee-picker__option--active=move || {
                                            active.get() == Some(position)
                                        }
                                        id=option_prefix.with_value(|p| format!("{p}{member}"))
                                        role="option"
                                        aria-selected=move || if is_picked() { "true" } else { "false" }
                                        aria-setsize=move || matches.with(Vec::len).to_string()
                                        aria-posinset=(position + 1).to_string()
                                        style:top=format!("{}px", position as f64 * ROW_HEIGHT)
                                        on:click=move |_| {
                                            active.set(Some(position));
                                            toggle(position);
                                            focus_input();
                                        }
                                    >
                                        <span class="assignee-picker__check" aria-hidden="true">
                                            {move || if is_picked() { "✓" } else { "" }}
                                        </span>
                                        <span class="assignee-picker__who">
                                            <span class="assignee-picker__name">{candidate.name.clone()}</span>
                                            <span class="assignee-picker__email">{candidate.email.clone()}</span>
                                        </span>
                                        <span class="assignee-picker__role">{candidate.role.clone()}</span>
                                    </div>
                                }
                            }
                        </For>
                    </div>
                </div>
            </Show>
            <Show when=move || open.get() && matches.with(Vec::is_empty)>
                <p class="assignee-picker__empty">
                    {move || {
                        if index.with(MemberIndex::is_empty) {
                            "No member of this project may annotate.".to_owned()
                        } else {
                            format!("No member matches “{}”.", query.get().trim())
                        }
                    }}
                </p>
            </Show>
            </div>
            <div class="assignee-picker__actions">
                <span class="assignee-picker__count">
                    {move || match selected.with(Vec::len) {
                        0 => "No one selected".to_owned(),
                        1 => "1 selected".to_owned(),
                        n => format!("{n} selected"),
                    }}
                </span>
                <button
                    type="button"
                    class="button button--quiet assignee-picker__action"
                    disabled=move || unpicked_matches() == 0
                    on:click=move |_| select_all_matching()
                >
                    {move || match unpicked_matches() {
                        0 => "Select all matching".to_owned(),
                        n => format!("Select all matching ({n})"),
                    }}
                </button>
                <button
                    type="button"
                    class="button button--quiet assignee-picker__action"
                    disabled=move || selected.with(Vec::is_empty)
                    on:click=move |_| {
                        announcement.set("Everyone removed.".to_owned());
                        on_change.run(Vec::new());
                        focus_input();
                    }
                >
                    "Clear all"
                </button>
            </div>
            <div class="assignee-picker__sr-only" role="status">
                {move || announcement.get()}
            </div>
        </div>
    }
}
