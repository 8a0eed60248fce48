//! "Items": the whole dataset, one folder, or a filter built with the visual filter
//! builder, with the live count of the items that match, in one place right below the
//! choice whichever it is. The count is of the draft's `effective_query` (a QA task's
//! parent clause added), so it is the number of items the task will get; the builder
//! shows no count of its own here.

use annotask_core::dql::Query;
use annotask_core::draft::TaskType;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::form_section::{invalid_attr, FieldMessages};
use super::form_state::{messages_id, TaskForm};
use super::items_source::ItemsSource;
use crate::api::use_api;
use crate::components::fetch_state::{ErrorPanel, Loading};
use crate::components::filter_builder::FilterBuilder;
use crate::components::progress_bar::format_count;

/// How long the query must stay still before it is counted.
const COUNT_DEBOUNCE_MS: u32 = 300;
/// How many names of matching items a filter shows under the count.
const FIRST_NAMES: u32 = 5;

/// Which of the three choices is on, without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Dataset,
    Folder,
    Filter,
}

/// The items choice, its details and the live count.
#[component]
pub fn ItemsField(form: TaskForm) -> impl IntoView {
    let api = use_api();
    let dataset_id = form.draft.with_untracked(|d| d.dataset_id.clone());
    let source = RwSignal::new(form.draft.with_untracked(|d| ItemsSource::infer(&d.query)));
    // The builder edits its own query, kept while another choice is on so that switching
    // back does not lose it.
    let builder_query = RwSignal::new(form.draft.with_untracked(|d| d.query.clone()));
    // The last folder picked, offered again when "One folder" is chosen anew.
    let last_folder = RwSignal::new(match source.get_untracked() {
        ItemsSource::Folder { path, .. } => path,
        _ => String::new(),
    });

    let choice = move || match source.get() {
        ItemsSource::Dataset => Choice::Dataset,
        ItemsSource::Folder { .. } => Choice::Folder,
        ItemsSource::Filter => Choice::Filter,
    };
    let apply = move |next: ItemsSource| {
        if let ItemsSource::Folder { path, .. } = &next {
            if path.is_empty() {
                // No folder yet: the folder list picks the first one once it has loaded.
                source.set(next);
                return;
            }
            last_folder.set(path.clone());
        }
        let query = next
            .query()
            .unwrap_or_else(|| builder_query.get_untracked());
        source.set(next);
        if form.draft.with_untracked(|d| d.query != query) {
            form.edit(|d| d.query = query);
        }
    };
    let choose = move |c: Choice| {
        let subfolders = matches!(
            source.get_untracked(),
            ItemsSource::Folder {
                subfolders: true,
                ..
            }
        );
        apply(match c {
            Choice::Dataset => ItemsSource::Dataset,
            Choice::Folder => ItemsSource::Folder {
                path: last_folder.get_untracked(),
                subfolders,
            },
            Choice::Filter => {
                // Start the builder from what was chosen so far.
                builder_query.set(form.draft.with_untracked(|d| d.query.clone()));
                ItemsSource::Filter
            }
        });
    };
    // The builder's edits go to the draft while "Filter" is on.
    Effect::new(move |_| {
        let query = builder_query.get();
        if source.get_untracked() == ItemsSource::Filter
            && form.draft.with_untracked(|d| d.query != query)
        {
            form.edit(|d| d.query = query);
        }
    });

    let is_qa = move || form.draft.with(|d| d.task_type == TaskType::Qa);
    let counting = RwSignal::new(false);
    // The first few matching items, shown under the count of a filter.
    let first_names = RwSignal::new(Vec::<String>::new());
    let count_error = RwSignal::new(None::<String>);
    // Bumped by "Count again" after a failed count.
    let recount = RwSignal::new(0_u32);
    let generation = StoredValue::new(0_u64);
    let effective = Memo::new(move |_| form.draft.with(|d| d.effective_query()));
    let query_broken = move || form.errors.with(|e| e.iter().any(|e| e.field == "query"));
    {
        let api = api.clone();
        let dataset_id = dataset_id.clone();
        Effect::new(move |_| {
            recount.track();
            let query = effective.get();
            let broken = query_broken();
            let this = generation.get_value() + 1;
            generation.set_value(this);
            if broken {
                counting.set(false);
                form.item_count.set(None);
                return;
            }
            counting.set(true);
            let (api, dataset_id) = (api.clone(), dataset_id.clone());
            spawn_local(async move {
                TimeoutFuture::new(COUNT_DEBOUNCE_MS).await;
                if generation.try_get_value() != Some(this) {
                    return;
                }
                let answer = api
                    .query_items(&dataset_id, &count_query(query).to_json())
                    .await;
                if generation.try_get_value() != Some(this) {
                    return;
                }
                match answer {
                    Ok(page) => {
                        first_names.try_set(page.items.into_iter().map(|item| item.name).collect());
                        form.item_count.try_set(Some(page.total_items_count));
                        count_error.try_set(None);
                    }
                    Err(e) => {
                        form.item_count.try_set(None);
                        count_error.try_set(Some(e.to_string()));
                    }
                }
                counting.try_set(false);
            });
        });
    }
    // Under a filter's count, what it selects: "First: img_1.jpg, img_2.jpg, …".
    let names = move || {
        if choice() != Choice::Filter || counting.get() || count_error.with(Option::is_some) {
            return None;
        }
        let total = form.item_count.get().filter(|n| *n > 0)?;
        let names = first_names.get();
        let more = if total > names.len() as u64 {
            ", …"
        } else {
            ""
        };
        (!names.is_empty()).then(|| {
            view! { <p class="task-form__hint task-form__first">{format!("First: {}{more}", names.join(", "))}</p> }
        })
    };

    let recipe_id = Signal::derive(move || {
        Some(form.draft.with(|d| d.recipe_id.clone())).filter(|r| !r.is_empty())
    });
    let dataset_signal = Signal::stored(dataset_id.clone());

    view! {
        <fieldset class="task-form__choices" id="items" aria-describedby=format!("items-count {}", messages_id("query"))>
            <legend class="field__label">"Items"</legend>
            <Show when=is_qa>
                <p class="task-form__notice">
                    "A QA task reviews the items of its parent task that have a status; the choice below narrows them further."
                </p>
            </Show>
            <div class="task-form__choice-row">
                <ChoiceRadio
                    label="Whole dataset"
                    value="dataset"
                    checked=Signal::derive(move || choice() == Choice::Dataset)
                    on_pick=Callback::new(move |_| choose(Choice::Dataset))
                />
                <ChoiceRadio
                    label="One folder"
                    value="folder"
                    checked=Signal::derive(move || choice() == Choice::Folder)
                    on_pick=Callback::new(move |_| choose(Choice::Folder))
                />
                <ChoiceRadio
                    label="Filter"
                    value="filter"
                    checked=Signal::derive(move || choice() == Choice::Filter)
                    on_pick=Callback::new(move |_| choose(Choice::Filter))
                />
            </div>
        </fieldset>
        // The count and the first names, as one panel: what the task will hold.
        <div class="task-form__count-panel">
            <div class="task-form__count" id="items-count" aria-live="polite">
                {move || {
                    if let Some(error) = count_error.get() {
                        return view! {
                            "Could not count the items: "
                            {error}
                            " "
                            <button
                                type="button"
                                class="button button--quiet task-form__recount"
                                on:click=move |_| recount.update(|n| *n += 1)
                            >
                                "Count again"
                            </button>
                        }
                            .into_any();
                    }
                    if query_broken() {
                        return "Finish the filter to see how many items match.".into_any();
                    }
                    let text = match (form.item_count.get(), counting.get()) {
                        (None, _) => "Counting the items…".to_owned(),
                        (Some(0), false) => {
                            "No items match. The server will not create a task without items.".to_owned()
                        }
                        (Some(1), false) => "1 item will be in the task.".to_owned(),
                        (Some(n), false) => format!("{} items will be in the task.", format_count(n)),
                        (Some(n), true) => format!("{} items (updating…)", format_count(n)),
                    };
                    text.into_any()
                }}
            </div>
            {names}
        </div>
        <Show when=move || choice() == Choice::Folder>
            <FolderPicker form=form dataset_id=dataset_id.clone() source=source apply=Callback::new(apply) />
        </Show>
        <Show when=move || choice() == Choice::Filter>
            <div class="task-form__builder">
                <FilterBuilder
                    query=builder_query
                    dataset_id=dataset_signal
                    recipe_id=recipe_id
                    counted_outside=true
                />
            </div>
        </Show>
        <FieldMessages form=form field="query" />
    }
}

/// The query as counted: the same filter, the first page of a few items (the total and
/// their names are read).
fn count_query(mut query: Query) -> Query {
    query.page = 0;
    query.page_size = FIRST_NAMES;
    query
}

/// One radio of the items choice.
#[component]
fn ChoiceRadio(
    label: &'static str,
    value: &'static str,
    #[prop(into)] checked: Signal<bool>,
    on_pick: Callback<()>,
) -> impl IntoView {
    view! {
        <label class="task-form__pill">
            <input
                type="radio"
                name="items-source"
                value=value
                prop:checked=move || checked.get()
                on:change=move |_| on_pick.run(())
            />
            <span>{label}</span>
        </label>
    }
}

/// The folder select (the dataset's folders) and "Include sub-folders".
#[component]
fn FolderPicker(
    form: TaskForm,
    dataset_id: String,
    source: RwSignal<ItemsSource>,
    apply: Callback<ItemsSource>,
) -> impl IntoView {
    let api = use_api();
    let folders = LocalResource::new(move || {
        let (api, dataset_id) = (api.clone(), dataset_id.clone());
        async move { api.folders(&dataset_id).await }
    });
    let current = move || match source.get() {
        ItemsSource::Folder { path, subfolders } => (path, subfolders),
        _ => (String::new(), false),
    };
    let current_untracked = move || match source.get_untracked() {
        ItemsSource::Folder { path, subfolders } => (path, subfolders),
        _ => (String::new(), false),
    };
    let set_path = move |path: String| {
        let (_, subfolders) = current_untracked();
        apply.run(ItemsSource::Folder { path, subfolders });
    };
    let set_subfolders = move |subfolders: bool| {
        let (path, _) = current_untracked();
        apply.run(ItemsSource::Folder { path, subfolders });
    };

    view! {
        <Transition fallback=|| view! { <Loading label="Loading the dataset's folders…" /> }>
            {move || Suspend::new(async move {
                match folders.await {
                    Err(e) => {
                        view! {
                            <ErrorPanel
                                title="Could not load the folders"
                                message=e.to_string()
                                on_retry=Callback::new(move |_| folders.refetch())
                            />
                        }
                            .into_any()
                    }
                    Ok(list) if list.is_empty() => {
                        view! {
                            <p class="task-form__notice">
                                "This dataset has no folders: all its items sit at the top. Choose “Whole dataset” or a filter instead."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(list) => {
                        let paths: Vec<String> = list.into_iter().map(|f| f.filename).collect();
                        if current_untracked().0.is_empty() {
                            // "One folder" was just chosen: start with the first one, so the
                            // task never points at no folder.
                            let first = paths[0].clone();
                            request_animation_frame(move || {
                                if source.try_with_untracked(|s| matches!(s, ItemsSource::Folder { path, .. } if path.is_empty())) == Some(true) {
                                    set_path(first);
                                }
                            });
                        }
                        view! {
                            <div class="task-form__row">
                                <div class="field task-form__field">
                                    <label class="field__label" for="items-folder">"Folder"</label>
                                    <select
                                        class="input"
                                        id="items-folder"
                                        aria-describedby=messages_id("query")
                                        aria-invalid=invalid_attr(form, "query")
                                        on:change=move |ev| set_path(event_target_value(&ev))
                                    >
                                        <option value="" disabled=true prop:selected=move || current().0.is_empty()>
                                            "Choose a folder"
                                        </option>
                                        {paths
                                            .into_iter()
                                            .map(|path| {
                                                let value = path.clone();
                                                let shown = path.clone();
                                                view! {
                                                    <option
                                                        value=value
                                                        prop:selected=move || current().0 == path
                                                    >
                                                        {shown}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <label class="checkbox task-form__subfolders">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || current().1
                                        on:change=move |ev| set_subfolders(event_target_checked(&ev))
                                    />
                                    <span>"Include sub-folders"</span>
                                </label>
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
