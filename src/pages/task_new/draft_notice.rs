//! Where the form starts from (the saved draft, the link's QA prefill or a fresh draft),
//! what the page says about it, and "Discard draft" with its Undo.

use annotask_core::draft::{TaskDraft, TaskType};
use annotask_core::entities::{Dataset, Member, Task};
use leptos::prelude::*;

use super::draft_edits::{set_parent, set_task_type};
use super::draft_storage;
use super::form_body::FormBody;
use super::local_time::format_local;
use crate::config::now_ms;
use crate::session::use_session;

/// What the URL asks the form to start as.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prefill {
    qa: bool,
    parent: Option<String>,
}

impl Prefill {
    pub fn from_query(task_type: Option<String>, parent: Option<String>) -> Prefill {
        let parent = parent.filter(|p| !p.trim().is_empty());
        Prefill {
            qa: task_type.as_deref() == Some("qa") || parent.is_some(),
            parent,
        }
    }
}

/// What the page says about where the draft came from.
#[derive(Debug, Clone, PartialEq)]
enum Notice {
    /// A saved draft was restored.
    Restored { saved_at_ms: f64 },
    /// The link asked for a QA task of a parent this dataset does not have.
    ParentMissing(String),
    /// The link's QA prefill replaced a saved draft, which can be brought back.
    Replaced(Box<TaskDraft>),
    /// The draft was discarded; it can be brought back.
    Discarded(Box<TaskDraft>),
}

/// The form, started from the saved draft, the link's prefill or a fresh draft; "Discard
/// draft" starts it over (remounting it, so no field keeps stale local state).
#[component]
pub fn TaskFormView(
    project_id: String,
    dataset: Dataset,
    members: Vec<Member>,
    tasks: Vec<Task>,
    prefill: Prefill,
) -> impl IntoView {
    let owner = use_session().0.get_untracked().map(|s| s.email);
    let fresh = {
        let (project_id, dataset_id) = (project_id.clone(), dataset.id.clone());
        let recipe_id = dataset.default_recipe_id().unwrap_or_default().to_owned();
        let (owner, tasks, prefill) = (owner.clone(), tasks.clone(), prefill.clone());
        move || {
            let mut draft =
                TaskDraft::new(project_id.clone(), dataset_id.clone(), recipe_id.clone());
            draft.owner = owner.clone();
            if prefill.qa {
                set_task_type(&mut draft, TaskType::Qa, owner.clone());
                let parent = prefill
                    .parent
                    .as_ref()
                    .and_then(|id| tasks.iter().find(|t| &t.id == id && !t.is_qa()));
                if let Some(parent) = parent {
                    set_parent(&mut draft, parent);
                }
            }
            draft
        }
    };

    // A saved draft is restored when it is what the link asks for (any draft without a
    // link; a QA draft of the same parent with one); otherwise it is set aside, and stays
    // in storage until the new draft is edited.
    let parent_missing = prefill
        .parent
        .as_ref()
        .filter(|id| !tasks.iter().any(|t| &t.id == *id && !t.is_qa()));
    let fits = |draft: &TaskDraft| match &prefill.parent {
        Some(parent) => draft.parent_task_id.as_ref() == Some(parent),
        None => !prefill.qa || draft.task_type == TaskType::Qa,
    };
    let (start, notice) = match draft_storage::load(&dataset.id) {
        _ if parent_missing.is_some() => {
            (fresh(), parent_missing.cloned().map(Notice::ParentMissing))
        }
        Some(saved) if fits(&saved.draft) => (
            saved.draft,
            Some(Notice::Restored {
                saved_at_ms: saved.saved_at_ms,
            }),
        ),
        Some(saved) => (fresh(), Some(Notice::Replaced(Box::new(saved.draft)))),
        None => (fresh(), None),
    };

    let start = StoredValue::new(start);
    let notice = RwSignal::new(notice);
    let generation = RwSignal::new(0_u32);
    let dataset_id = dataset.id.clone();
    let fresh = StoredValue::new_local(fresh);
    let restart = move |draft: TaskDraft, next_notice: Option<Notice>| {
        start.set_value(draft);
        notice.set(next_notice);
        generation.update(|g| *g += 1);
    };
    let discard = Callback::new({
        let dataset_id = dataset_id.clone();
        move |current: TaskDraft| {
            draft_storage::clear(&dataset_id);
            let fresh = fresh.with_value(|f| f());
            restart(fresh, Some(Notice::Discarded(Box::new(current))));
        }
    });
    let bring_back = Callback::new({
        let dataset_id = dataset_id.clone();
        move |draft: TaskDraft| {
            draft_storage::save(&dataset_id, &draft, now_ms());
            restart(draft, None);
        }
    });
    let context = StoredValue::new((members, tasks, dataset));

    view! {
        <h1>"New task"</h1>
        <DraftNotice notice=notice bring_back=bring_back />
        {move || {
            generation.track();
            let (members, tasks, dataset) = context.get_value();
            let fresh_draft = fresh.with_value(|f| f());
            view! {
                <FormBody
                    draft=start.get_value()
                    fresh_draft=fresh_draft
                    members=members
                    tasks=tasks
                    dataset=dataset
                    on_discard=discard
                    on_edit=Callback::new(move |_| {
                        // A discarded or replaced draft can no longer be brought back once
                        // the new one is being worked on.
                        if notice.with_untracked(|n| matches!(n, Some(Notice::Discarded(_)))) {
                            notice.set(None);
                        }
                    })
                />
            }
        }}
    }
}

/// The line under the title: restored, replaced, discarded (with Undo) or a missing parent.
#[component]
fn DraftNotice(notice: RwSignal<Option<Notice>>, bring_back: Callback<TaskDraft>) -> impl IntoView {
    view! {
        <div class="task-form__notice-line" role="status">
            {move || {
                notice
                    .get()
                    .map(|n| match n {
                        Notice::Restored { saved_at_ms } => {
                            view! {
                                <p class="task-form__notice">
                                    {format!(
                                        "Restored your draft, last saved {}.",
                                        format_local(saved_at_ms),
                                    )}
                                </p>
                            }
                                .into_any()
                        }
                        Notice::ParentMissing(id) => {
                            view! {
                                <p class="task-form__notice task-form__notice--warning">
                                    {format!(
                                        "The task {id} the link names is not an annotation task of this dataset. Choose the parent task below."
                                    )}
                                </p>
                            }
                                .into_any()
                        }
                        Notice::Replaced(draft) => {
                            let text = format!(
                                "Started a QA task from the link; your saved draft{} was set aside.",
                                draft_label(&draft)
                            );
                            view! { <BringBack text=text label="Restore it" draft=*draft bring_back=bring_back /> }
                                .into_any()
                        }
                        Notice::Discarded(draft) => {
                            let text = format!("Draft{} discarded.", draft_label(&draft));
                            view! { <BringBack text=text label="Undo" draft=*draft bring_back=bring_back /> }
                                .into_any()
                        }
                    })
            }}
        </div>
    }
}

/// A notice with a button that brings a set-aside draft back.
#[component]
fn BringBack(
    text: String,
    label: &'static str,
    draft: TaskDraft,
    bring_back: Callback<TaskDraft>,
) -> impl IntoView {
    view! {
        <p class="task-form__notice">
            {text}
            " "
            <button
                type="button"
                class="button button--quiet task-form__undo"
                on:click=move |_| bring_back.run(draft.clone())
            >
                {label}
            </button>
        </p>
    }
}

/// ` “name”` for a draft with a name, empty otherwise.
fn draft_label(draft: &TaskDraft) -> String {
    let name = draft.trimmed_name();
    if name.is_empty() {
        String::new()
    } else {
        format!(" “{name}”")
    }
}
