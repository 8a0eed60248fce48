//! The value of a row, edited the way its field type and operator call for (see
//! `annotask_core::dql::builder::ValueEditor`): a text box with suggestions (folders,
//! labels, known values), a number box, a date-time picker in UTC, yes/no, chips for
//! lists, two boxes for a between, a nested filter for `$match`, or JSON for anything else.
//!
//! Text that is not a value of the kind (letters in a number box) leaves the operand
//! empty (`null`), which `validate_query` reports and which blocks the form; the box keeps
//! the text and says what is wrong.
//!
//! A value's label, box, error and hint are cells of the condition row's grid, with no
//! element around them (`filter-value__label`, `__control`, `__below`); only a between's
//! two ends sit in a box of their own.

use annotask_core::dql::builder::{Choice, Scalar, ValueEditor as EditorKind};
use leptos::prelude::*;

use super::chips::Chips;
use super::group::Group;
use super::model::{FieldSource, RowModel};
use super::state::use_builder;

#[component]
pub(crate) fn ValueEditor(
    /// The row.
    row: RowModel,
    /// Which catalogue the row's field is in (for suggestions).
    source: FieldSource,
    /// The id of the element that describes the row's problems, while there is one.
    described_by: Signal<Option<String>>,
    /// Whether to mark the inputs invalid.
    invalid: Signal<bool>,
    /// Whether the row has the focus (value suggestions are offered only then).
    focused: Signal<bool>,
) -> impl IntoView {
    let state = use_builder();
    let catalogue = state.catalogue;
    let kind = Memo::new(move |_| {
        let ty = row.ty.get();
        let has_tree = row.elements.with(Option::is_some);
        row.row.with(|r| match EditorKind::for_row(r, ty) {
            // A `$match` keeps the editor it started with: its tree while it has one (even
            // if an edit made the operand hard to read back), JSON otherwise.
            _ if r.choice == Choice::HasElement && has_tree => EditorKind::Elements,
            EditorKind::Elements => EditorKind::Json,
            kind => kind,
        })
    });
    // Memos, so that typing a value does not look the field up again at every key.
    let field = Memo::new(move |_| row.row.with(|r| r.field.clone()));
    let suggestions = Memo::new(move |_| {
        let spec = field.with(|path| catalogue.spec(source, path));
        spec.map_or_else(Vec::new, |f| catalogue.suggestions(&f.suggestions))
    });
    let suggestions: Signal<Vec<String>> = suggestions.into();
    let id = row.id;
    let glob_hint = move || {
        row.row.with(|r| {
            let has_star = r.value.as_str().is_some_and(|v| v.contains('*'));
            match r.choice {
                Choice::Glob if !has_star => {
                    Some("A glob needs a *: image* matches image/jpeg; *.jpg any JPEG; /folder1/** everything below /folder1.")
                }
                _ => None,
            }
        })
    };
    let hint_id = format!("fb-{id}-hint");
    // The row's problems and the hint, for whichever of them is shown.
    let describe = {
        let hint_id = hint_id.clone();
        Signal::derive(move || {
            let hint = glob_hint().map(|_| hint_id.clone());
            match (described_by.get(), hint) {
                (Some(messages), Some(hint)) => Some(format!("{messages} {hint}")),
                (messages, hint) => messages.or(hint),
            }
        })
    };

    let editor = move || {
        let single = |upper: bool, scalar: Scalar, label: &'static str, control: &'static str| {
            view! {
                <ScalarInput
                    row=row
                    upper=upper
                    scalar=scalar
                    label=label
                    control=control
                    suggestions=suggestions
                    focused=focused
                    described_by=describe
                    invalid=invalid
                />
            }
        };
        match kind.get() {
            EditorKind::None => ().into_any(),
            EditorKind::Single(scalar) => single(false, scalar, "Value", "value").into_any(),
            EditorKind::Json => single(false, Scalar::Json, "Value (JSON)", "value").into_any(),
            EditorKind::Range(low, high) => view! {
                <div class="filter-value__range">
                    <div class="filter-value__field">{single(false, low, "From", "value")}</div>
                    <span class="filter-value__and" aria-hidden="true">"and"</span>
                    <div class="filter-value__field">{single(true, high, "To", "upper")}</div>
                </div>
            }
            .into_any(),
            EditorKind::List(scalar) => view! {
                <Chips
                    row=row
                    scalar=scalar
                    suggestions=suggestions
                    focused=focused
                    described_by=describe
                    invalid=invalid
                />
            }
            .into_any(),
            EditorKind::Elements => row
                .elements
                .get()
                .map(|elements| {
                    view! {
                        <div class="filter-value__elements">
                            <Group
                                group=elements.root
                                parent=None
                                grandparent=None
                                source=FieldSource::References
                            />
                        </div>
                    }
                })
                .into_any(),
        }
    };
    view! {
        {editor}
        {move || {
            glob_hint()
                .map(|hint| {
                    view! {
                        <p id=hint_id.clone() class="filter-value__hint filter-value__below">
                            {hint}
                        </p>
                    }
                })
        }}
    }
}

/// One value: a text, number, date-time or JSON box, or a yes/no select.
#[component]
fn ScalarInput(
    /// The row.
    row: RowModel,
    /// Edit a between's high end instead of the operand.
    upper: bool,
    /// How the value is typed.
    scalar: Scalar,
    /// The visible label.
    label: &'static str,
    /// The control's name in its id (`fb-<row>-<control>`), by which the focus finds it.
    control: &'static str,
    /// Values to suggest.
    suggestions: Signal<Vec<String>>,
    /// Whether the row has the focus (the suggestions are there only then).
    focused: Signal<bool>,
    /// Ids of the elements that describe the row's problems, while they are shown.
    described_by: Signal<Option<String>>,
    /// Whether to mark the input invalid.
    invalid: Signal<bool>,
) -> impl IntoView {
    let state = use_builder();
    let id = row.id;
    let input_id = format!("fb-{id}-{control}");
    let error_id = format!("{input_id}-error");
    let list_id = format!("{input_id}-suggestions");
    let operand = Memo::new(move |_| {
        row.row.with(|r| {
            if upper {
                r.upper.clone()
            } else {
                r.value.clone()
            }
        })
    });
    // What was typed last, while it says something else than the operand would (text that
    // is no value, or a value written differently: "1.50" for 1.5).
    let draft = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    // What the box shows: the typing, unless the operand has changed since without it (a
    // new operator), then the operand.
    let shown = Memo::new(move |_| {
        operand.with(|value| {
            draft.with(|typed| match typed {
                Some(typed)
                    if error.with(Option::is_some) || scalar.parse(typed).as_ref() == Ok(value) =>
                {
                    typed.clone()
                }
                _ => scalar.format(value),
            })
        })
    });
    let edit = move |text: String| {
        let value = match scalar.parse(&text) {
            Ok(value) => {
                error.set(None);
                value
            }
            Err(message) => {
                error.set(Some(message));
                serde_json::Value::Null
            }
        };
        draft.set(Some(text));
        row.set_operand(upper, value);
        state.commit();
    };
    // The error below the box exists only while there is one.
    let describe = {
        let error_id = error_id.clone();
        move || {
            let own = error.with(Option::is_some).then(|| error_id.clone());
            match (described_by.get(), own) {
                (Some(row), Some(own)) => Some(format!("{row} {own}")),
                (row, own) => row.or(own),
            }
        }
    };
    // Only said when true (no attribute reads as valid).
    let is_invalid = move || (invalid.get() || error.with(Option::is_some)).then_some("true");
    let label_text = if scalar == Scalar::Date {
        format!("{label} (UTC)")
    } else {
        label.to_owned()
    };

    let control_view = if scalar == Scalar::Boolean {
        view! {
            <select
                id=input_id.clone()
                class="input filter-condition__select filter-value__control"
                aria-describedby=describe
                aria-invalid=is_invalid
                on:change=move |ev| edit(event_target_value(&ev))
            >
                {move || {
                    let now = shown.get();
                    view! {
                        <option value="" selected=now.is_empty()>
                            "Choose…"
                        </option>
                        <option value="true" selected=now == "true">
                            "yes"
                        </option>
                        <option value="false" selected=now == "false">
                            "no"
                        </option>
                    }
                }}
            </select>
        }
        .into_any()
    } else {
        // A text box needs no `type`; Enter is kept from submitting the form by the row.
        let date = scalar == Scalar::Date;
        let class = if scalar == Scalar::Json {
            "input filter-value__input filter-value__input--mono filter-value__control"
        } else {
            "input filter-value__input filter-value__control"
        };
        view! {
            <input
                id=input_id.clone()
                class=class
                type=date.then_some("datetime-local")
                inputmode=(scalar == Scalar::Number).then_some("decimal")
                step=date.then_some("1")
                autocomplete="off"
                spellcheck="false"
                list=list_id.clone()
                aria-describedby=describe
                aria-invalid=is_invalid
                prop:value=move || shown.get()
                on:input=move |ev| edit(event_target_value(&ev))
            />
            <Suggestions id=list_id focused=focused suggestions=suggestions />
        }
        .into_any()
    };
    view! {
        <label class="filter-condition__label filter-value__label" for=input_id>
            {label_text}
        </label>
        {control_view}
        <ValueError id=error_id error=error />
    }
}

/// The `<datalist>` an input's `list` names, there only while its row has the focus (the
/// browser offers it only to the focused input): 200 rows do not carry 200 copies of the
/// same values.
#[component]
pub(crate) fn Suggestions(
    /// The datalist's id.
    id: String,
    /// Whether its row has the focus.
    focused: Signal<bool>,
    /// The values offered.
    suggestions: Signal<Vec<String>>,
) -> impl IntoView {
    move || {
        (focused.get() && suggestions.with(|s| !s.is_empty())).then(|| {
            view! {
                <datalist id=id.clone()>
                    {suggestions
                        .get()
                        .into_iter()
                        .map(|value| view! { <option value=value></option> })
                        .collect_view()}
                </datalist>
            }
        })
    }
}

/// A typed value's own problem (not a number, not a date) under its control, there only
/// while there is one: its id is in the control's `aria-describedby` just as long.
#[component]
pub(crate) fn ValueError(
    /// The paragraph's id.
    id: String,
    /// The problem, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <p
                    id=id.clone()
                    class="filter-builder__message filter-value__error filter-value__below"
                >
                    {message}
                </p>
            }
        })
    }
}
