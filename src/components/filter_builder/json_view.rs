//! The DQL the builder produces, pretty-printed and editable. Valid DQL typed or pasted
//! here replaces the query (and so the tree); invalid text is kept while it is being
//! fixed, with the problem's line and column, and changes nothing.
//!
//! Edits in the tree reach the text after a short pause in typing, not at every key: the
//! whole query is printed again and the browser lays the new text out again, which costs
//! more than the edit itself on a long query. Copy prints a pending change first.

use std::time::Duration;

use annotask_core::dql::builder::{parse_query_text, QueryTextError};
use annotask_core::dql::Query;
use leptos::html::Textarea;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::model::next_id;

/// Quiet time after the last change of the query before the text shows it.
const PRINT_DELAY: Duration = Duration::from_millis(250);

/// The query as the JSON view shows it.
pub(crate) fn pretty(query: &Query) -> String {
    serde_json::to_string_pretty(&query.to_json()).expect("JSON values always print")
}

#[component]
pub(crate) fn JsonView(
    /// The query shown and edited.
    query: RwSignal<Query>,
) -> impl IntoView {
    let text = RwSignal::new(query.with_untracked(pretty));
    let error = RwSignal::new(None::<QueryTextError>);
    // The query this text last produced: its echo must not reformat what is being typed.
    let from_text = StoredValue::new(None::<Query>);
    // The print waiting for a pause in the edits.
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let copied = RwSignal::new(String::new());
    let textarea = NodeRef::<Textarea>::new();
    let uid = next_id();
    let (textarea_id, hint_id, error_id) = (
        format!("fb-json-{uid}"),
        format!("fb-json-{uid}-hint"),
        format!("fb-json-{uid}-error"),
    );

    let cancel = move || {
        if let Some(timer) = pending.try_update_value(Option::take).flatten() {
            timer.clear();
        }
    };
    let is_echo = move || query.with_untracked(|q| from_text.with_value(|f| f.as_ref() == Some(q)));
    // Shows the query now, unless the text is what produced it (then the text, as typed,
    // is kept). Text that already reads the same is left alone: no new layout for nothing.
    let print = move || {
        cancel();
        if is_echo() {
            return;
        }
        let fresh = query.with_untracked(pretty);
        if text.with_untracked(|t| *t != fresh) {
            text.set(fresh);
        }
        if error.with_untracked(Option::is_some) {
            error.set(None);
        }
        from_text.set_value(None);
    };
    Effect::new(move |ran: Option<()>| {
        query.track();
        // The first run only subscribes: the text was printed when it was made.
        if ran.is_none() || is_echo() {
            return;
        }
        cancel();
        let timer = set_timeout_with_handle(
            move || {
                pending.try_set_value(None);
                print();
            },
            PRINT_DELAY,
        )
        .ok();
        pending.set_value(timer);
    });
    on_cleanup(cancel);

    let on_input = move |ev| {
        // What is typed here takes over: a print that was waiting (or is about to be, for
        // an edit made just before) never replaces it; the text now stands for the query.
        cancel();
        if !is_echo() {
            from_text.set_value(Some(query.get_untracked()));
        }
        let value = event_target_value(&ev);
        match parse_query_text(&value) {
            Ok(parsed) => {
                error.set(None);
                if query.with_untracked(|q| *q != parsed) {
                    from_text.set_value(Some(parsed.clone()));
                    query.set(parsed);
                }
            }
            Err(e) => error.set(Some(e)),
        }
        text.set(value);
    };
    // Once the text is valid and left, show it in the builder's own layout.
    let on_blur = move |_| {
        if error.with_untracked(Option::is_none) {
            from_text.set_value(None);
            print();
        }
    };
    let show_error = move |_| {
        let (Some(e), Some(area)) = (error.get_untracked(), textarea.get_untracked()) else {
            return;
        };
        let (Some(line), Some(column)) = (e.line, e.column) else {
            return;
        };
        let at = utf16_offset(&text.get_untracked(), line, column);
        let _ = area.focus();
        let _ = area.set_selection_range(at, at + 1);
    };
    let copy = move |_| {
        // The query as it is now, even within the pause after an edit.
        if pending.with_value(Option::is_some) {
            print();
        }
        let content = text.get_untracked();
        spawn_local(async move {
            let clipboard = window().navigator().clipboard();
            let result = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&content)).await;
            copied.set(match result {
                Ok(_) => "Copied to the clipboard.".to_owned(),
                Err(_) => "Could not copy: select the text and press Ctrl+C.".to_owned(),
            });
        });
    };

    view! {
        <section class="filter-json">
            <div class="filter-json__header">
                <label class="filter-json__label" for=textarea_id.clone()>
                    "DQL (JSON)"
                </label>
                <button class="button filter-json__copy" type="button" on:click=copy>
                    "Copy"
                </button>
                <span class="filter-json__copied" role="status">
                    {move || copied.get()}
                </span>
            </div>
            <p id=hint_id.clone() class="filter-value__hint">
                "Edit or paste DQL here; valid DQL updates the conditions."
            </p>
            <textarea
                id=textarea_id
                node_ref=textarea
                class="filter-json__text"
                spellcheck="false"
                autocomplete="off"
                wrap="off"
                rows="18"
                aria-describedby=format!("{hint_id} {error_id}")
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=move || text.get()
                on:input=on_input
                on:blur=on_blur
            ></textarea>
            <div id=error_id class="filter-json__error-area">
                {move || {
                    error
                        .get()
                        .map(|e| {
                            let located = e.line.is_some();
                            view! {
                                <div class="filter-json__error" role="alert">
                                    <p>{e.to_string()}</p>
                                    <p class="filter-value__hint">
                                        "The conditions show the last valid DQL until this is fixed."
                                    </p>
                                    {located
                                        .then(|| {
                                            view! {
                                                <button class="button" type="button" on:click=show_error>
                                                    "Show the place"
                                                </button>
                                            }
                                        })}
                                </div>
                            }
                        })
                }}
            </div>
        </section>
    }
}

/// The UTF-16 offset (what `setSelectionRange` counts) of a 1-based line and column.
fn utf16_offset(text: &str, line: usize, column: usize) -> u32 {
    let mut offset = 0usize;
    for (i, content) in text.split('\n').enumerate() {
        if i + 1 == line {
            let in_line: usize = content
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf16)
                .sum();
            return (offset + in_line) as u32;
        }
        offset += content.chars().map(char::len_utf16).sum::<usize>() + 1;
    }
    offset as u32
}
