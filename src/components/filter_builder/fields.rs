//! The field catalogue as the builder sees it: the fixed fields from annotask-core plus what
//! only the server knows (the dataset's user-metadata fields, its folders, the recipe's
//! labels), loaded once per dataset and recipe.

use annotask_core::dql::builder::{
    annotation_fields, infer_type, item_fields, reference_fields, user_fields, FieldSpec,
    FieldType, Suggestions,
};
use annotask_core::dql::Query;
use leptos::prelude::*;
use serde_json::Value;

use super::model::FieldSource;
use crate::api::{Api, ApiError};

/// How many items are sampled to discover the `metadata.user` fields.
const USER_FIELD_SAMPLE: u32 = 200;

type Loaded<T> = LocalResource<Result<T, ApiError>>;

/// The fields and value suggestions of one builder. Without an [`Api`] in context (a
/// component test) only the fixed fields are offered.
#[derive(Clone, Copy)]
pub(crate) struct Catalogue {
    fixed_items: StoredValue<Vec<FieldSpec>>,
    annotations: StoredValue<Vec<FieldSpec>>,
    references: StoredValue<Vec<FieldSpec>>,
    pub user_fields: Option<Loaded<Vec<FieldSpec>>>,
    pub folders: Option<Loaded<Vec<String>>>,
    pub labels: Option<Loaded<Vec<String>>>,
}

impl Catalogue {
    /// Starts loading what the dataset and recipe add to the fixed fields.
    pub fn load(dataset_id: Signal<String>, recipe_id: Signal<Option<String>>) -> Catalogue {
        let api = use_context::<Api>();
        let user_fields = api.clone().map(|api| {
            LocalResource::new(move || {
                let (api, dataset) = (api.clone(), dataset_id.get());
                async move {
                    let mut sample = Query::items_default();
                    sample.page_size = USER_FIELD_SAMPLE;
                    let page = api.query_items(&dataset, &sample.to_json()).await?;
                    Ok(user_fields(&page.items))
                }
            })
        });
        let folders = api.clone().map(|api| {
            LocalResource::new(move || {
                let (api, dataset) = (api.clone(), dataset_id.get());
                async move {
                    let folders = api.folders(&dataset).await?;
                    // Files at the top level sit in "/", which is no folder item.
                    let mut paths = vec!["/".to_owned()];
                    paths.extend(folders.into_iter().map(|f| f.filename));
                    Ok(paths)
                }
            })
        });
        let labels = api.map(|api| {
            LocalResource::new(move || {
                let (api, recipe) = (api.clone(), recipe_id.get());
                async move {
                    let Some(recipe) = recipe.filter(|r| !r.is_empty()) else {
                        return Ok(Vec::new());
                    };
                    let recipe = api.recipe(&recipe).await?;
                    Ok(recipe.labels.into_iter().map(|l| l.name).collect())
                }
            })
        });
        Catalogue {
            fixed_items: StoredValue::new(item_fields()),
            annotations: StoredValue::new(annotation_fields()),
            references: StoredValue::new(reference_fields()),
            user_fields,
            folders,
            labels,
        }
    }

    /// The fields offered for `source` (reactive: user fields arrive later).
    pub fn fields(&self, source: FieldSource) -> Vec<FieldSpec> {
        match source {
            FieldSource::Items => {
                let mut fields = self.fixed_items.get_value();
                fields.extend(loaded(self.user_fields));
                fields
            }
            FieldSource::Annotations => self.annotations.get_value(),
            FieldSource::References => self.references.get_value(),
        }
    }

    /// The catalogue entry of a path (reactive, like [`Catalogue::fields`]), without
    /// copying the whole list: every row looks its field up.
    pub fn spec(&self, source: FieldSource, path: &str) -> Option<FieldSpec> {
        let find = |list: &[FieldSpec]| list.iter().find(|f| f.path == path).cloned();
        match source {
            // The fixed fields come first, as in `fields`.
            FieldSource::Items => self
                .fixed_items
                .with_value(|fixed| find(fixed))
                .or_else(|| {
                    self.user_fields?
                        .with(|loaded| find(loaded.as_ref()?.as_ref().ok()?))
                }),
            FieldSource::Annotations => self.annotations.with_value(|list| find(list)),
            FieldSource::References => self.references.with_value(|list| find(list)),
        }
    }

    /// The catalogue entry of a path, without tracking.
    pub fn find(&self, source: FieldSource, path: &str) -> Option<FieldSpec> {
        untrack(|| self.spec(source, path))
    }

    /// A field's type: the catalogue's, else a guess from a value it has.
    pub fn type_of(&self, source: FieldSource, path: &str, value: &Value) -> FieldType {
        self.find(source, path)
            .map_or_else(|| infer_type(value), |f| f.ty)
    }

    /// The values to suggest (reactive: folders and labels arrive later).
    pub fn suggestions(&self, suggestions: &Suggestions) -> Vec<String> {
        match suggestions {
            Suggestions::None => Vec::new(),
            Suggestions::Folders => loaded(self.folders),
            Suggestions::Labels => loaded(self.labels),
            Suggestions::Values(values) => values.clone(),
        }
    }
}

fn loaded<T: Clone + Send + Sync + 'static>(resource: Option<Loaded<Vec<T>>>) -> Vec<T> {
    resource
        .and_then(|r| r.get())
        .and_then(Result::ok)
        .unwrap_or_default()
}

/// Says while folders, labels and user fields load, and which of them could not be loaded,
/// with a Retry. Suggestions are a help, not a must: the builder works without them.
#[component]
pub(crate) fn CatalogueStatus(catalogue: Catalogue) -> impl IntoView {
    // What is loaded, how it is going, and how to ask again.
    let parts: Vec<(&'static str, Memo<Status>, Callback<()>)> = [
        (
            "user-metadata fields",
            catalogue.user_fields.map(Tracked::new),
        ),
        ("folders", catalogue.folders.map(Tracked::new)),
        ("labels", catalogue.labels.map(Tracked::new)),
    ]
    .into_iter()
    .filter_map(|(what, tracked)| tracked.map(|t| (what, t.status, t.retry)))
    .collect();
    let parts = StoredValue::new(parts);
    let loading = move || {
        parts.with_value(|parts| {
            parts
                .iter()
                .filter(|(_, status, _)| status.get() == Status::Loading)
                .map(|(what, _, _)| *what)
                .collect::<Vec<_>>()
        })
    };
    let failed = move || {
        parts.with_value(|parts| {
            parts
                .iter()
                .filter_map(|(what, status, retry)| match status.get() {
                    Status::Failed(message) => Some((*what, message, *retry)),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="filter-builder__catalogue">
            {move || {
                let loading = loading();
                (!loading.is_empty())
                    .then(|| {
                        view! {
                            <p class="filter-builder__loading" role="status">
                                <span class="spinner" aria-hidden="true"></span>
                                {format!("Loading the dataset's {}…", loading.join(", "))}
                            </p>
                        }
                    })
            }}
            {move || {
                failed()
                    .into_iter()
                    .map(|(what, message, retry)| {
                        view! {
                            <div class="filter-builder__catalogue-error" role="alert">
                                <p>
                                    {format!(
                                        "Could not load the dataset's {what}, so they are not suggested: {message}",
                                    )}
                                </p>
                                <button class="button" type="button" on:click=move |_| retry.run(())>
                                    {format!("Retry loading {what}")}
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// A resource's state for [`CatalogueStatus`], and its retry.
struct Tracked {
    status: Memo<Status>,
    retry: Callback<()>,
}

impl Tracked {
    fn new<T: Send + Sync + 'static>(resource: Loaded<T>) -> Tracked {
        Tracked {
            status: Memo::new(move |_| {
                match resource.map(|r| r.as_ref().err().map(ApiError::to_string)) {
                    None => Status::Loading,
                    Some(None) => Status::Ready,
                    Some(Some(message)) => Status::Failed(message),
                }
            }),
            retry: Callback::new(move |_| resource.refetch()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Loading,
    Ready,
    Failed(String),
}
