//! One mount of the form: the sections in order, the section list, the draft's autosave
//! and the submit that follows the creation to the new task's page.

use annotask_core::draft::TaskDraft;
use annotask_core::entities::{Dataset, Member, Task};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use serde_json::Value;

use super::allocation_section::AllocationField;
use super::assignees_section::AssigneesField;
use super::draft_storage;
use super::due_date_section::DueDateField;
use super::form_section::FormSection;
use super::form_state::{SectionStatus, TaskForm};
use super::items_section::ItemsField;
use super::name_section::NameField;
use super::priority_section::PriorityField;
use super::section_nav::{SectionLink, SectionNav};
use super::statuses_section::StatusesField;
use super::submit::{create_task, CreationProgress};
use super::submit_area::SubmitArea;
use super::summary::Summary;
use super::task_type_section::TaskTypeField;
use super::workload_section::WorkloadField;
use crate::api::use_api;
use crate::config::now_ms;
use crate::session::use_session;

/// The sections of the form: anchor, title and the validation fields each holds.
const SECTIONS: [(&str, &str, &[&str]); 6] = [
    ("section-task", "Task", &["taskType", "parentTask", "name"]),
    ("section-schedule", "Schedule", &["dueDate", "priority"]),
    (
        "section-people",
        "People and workload",
        &["assignees", "workload"],
    ),
    (
        "section-allocation",
        "Allocation method",
        &["batchSize", "maxBatchWorkload"],
    ),
    ("section-statuses", "Item statuses", &["statuses"]),
    ("section-items", "Data source", &["query"]),
];

/// One mount of the form around one [`TaskForm`].
#[component]
pub fn FormBody(
    draft: TaskDraft,
    /// What "Discard draft" would start from, to tell whether there is anything to discard.
    fresh_draft: TaskDraft,
    members: Vec<Member>,
    tasks: Vec<Task>,
    dataset: Dataset,
    on_discard: Callback<TaskDraft>,
    on_edit: Callback<()>,
) -> impl IntoView {
    let api = use_api();
    let navigate = use_navigate();
    let owner = use_session().0.get_untracked().map(|s| s.email);
    let form = TaskForm::new(draft, members, tasks);
    let dataset_id = dataset.id.clone();
    let fresh_draft = StoredValue::new(fresh_draft);
    let pristine = move || form.draft.with(|d| fresh_draft.with_value(|f| d == f));

    // Every change is saved at once; a change back to the starting point leaves no draft
    // behind. The first run only subscribes: what the form opened with is either stored
    // already or a fresh start that must not overwrite a set-aside draft.
    {
        let dataset_id = dataset_id.clone();
        Effect::new(move |previous: Option<()>| {
            let is_pristine = pristine();
            if previous.is_none() {
                return;
            }
            if is_pristine {
                draft_storage::clear(&dataset_id);
            } else {
                form.draft
                    .with(|d| draft_storage::save(&dataset_id, d, now_ms()));
            }
            on_edit.run(());
        });
    }

    let progress = RwSignal::new(None::<CreationProgress>);
    let create = Action::new_local(move |payload: &Value| {
        let (api, payload) = (api.clone(), payload.clone());
        async move { create_task(&api, &payload, progress).await }
    });
    let refusals = RwSignal::new(0_u32);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if create.pending().get_untracked() {
            return;
        }
        form.submitted.set(true);
        if !form.validate_now().is_empty() {
            refusals.update(|n| *n += 1);
            return;
        }
        progress.set(None);
        form.server_errors.set(Vec::new());
        create.dispatch(form.draft.with_untracked(|d| d.to_payload()));
    };
    {
        let dataset_id = dataset_id.clone();
        Effect::new(move |_| match create.value().get() {
            Some(Ok(task_id)) => {
                draft_storage::clear(&dataset_id);
                navigate(&format!("/tasks/{task_id}"), Default::default());
            }
            Some(Err(failure)) => form.server_errors.set(failure.field_errors()),
            None => {}
        });
    }
    let failure = Signal::derive(move || create.value().get().and_then(Result::err));

    let status_of =
        move |fields: &'static [&'static str]| Signal::derive(move || form.status(fields));
    let items_status = Signal::derive(move || {
        let status = form.status(&["query"]);
        if status == SectionStatus::Complete && form.item_count.get() == Some(0) {
            SectionStatus::Incomplete
        } else {
            status
        }
    });
    let statuses: Vec<Signal<SectionStatus>> = SECTIONS
        .iter()
        .map(|(anchor, _, fields)| {
            if *anchor == "section-items" {
                items_status
            } else {
                status_of(fields)
            }
        })
        .collect();
    let review_status = Signal::derive(move || {
        let clean = form.errors.with(Vec::is_empty) && form.server_errors.with(Vec::is_empty);
        if clean && items_status.get() == SectionStatus::Complete {
            SectionStatus::Complete
        } else if form.submitted.get() {
            SectionStatus::Invalid
        } else {
            SectionStatus::Incomplete
        }
    });
    let mut links: Vec<SectionLink> = SECTIONS
        .iter()
        .zip(&statuses)
        .map(|((anchor, title, _), status)| SectionLink {
            anchor,
            title,
            status: *status,
        })
        .collect();
    links.push(SectionLink {
        anchor: "section-review",
        title: "Review and create",
        status: review_status,
    });
    let section = |i: usize| (SECTIONS[i].0, SECTIONS[i].1, statuses[i]);

    view! {
        <div class="task-form__toolbar">
            <p class="task-form__dataset">
                "Dataset "
                <strong>{dataset.name.clone()}</strong>
                {move || (!pristine()).then_some(" · draft saved in this browser")}
            </p>
            <button
                type="button"
                class="button task-form__discard"
                disabled=pristine
                on:click=move |_| on_discard.run(form.draft.get_untracked())
            >
                "Discard draft"
            </button>
        </div>
        <div class="task-form">
            <SectionNav sections=links />
            <form class="task-form__form" novalidate=true on:submit=on_submit>
                {
                    let (anchor, title, status) = section(0);
                    view! {
                        <FormSection number=1 title=title anchor=anchor status=status>
                            <TaskTypeField form=form owner=owner.clone() />
                            <NameField form=form />
                        </FormSection>
                    }
                }
                {
                    let (anchor, title, status) = section(1);
                    view! {
                        <FormSection number=2 title=title anchor=anchor status=status>
                            <DueDateField form=form />
                            <PriorityField form=form />
                        </FormSection>
                    }
                }
                {
                    let (anchor, title, status) = section(2);
                    view! {
                        <FormSection number=3 title=title anchor=anchor status=status>
                            <AssigneesField form=form />
                            <WorkloadField form=form />
                        </FormSection>
                    }
                }
                {
                    let (anchor, title, status) = section(3);
                    view! {
                        <FormSection number=4 title=title anchor=anchor status=status>
                            <AllocationField form=form />
                        </FormSection>
                    }
                }
                {
                    let (anchor, title, status) = section(4);
                    view! {
                        <FormSection number=5 title=title anchor=anchor status=status>
                            <StatusesField form=form />
                        </FormSection>
                    }
                }
                {
                    let (anchor, title, status) = section(5);
                    view! {
                        <FormSection number=6 title=title anchor=anchor status=status>
                            <ItemsField form=form />
                        </FormSection>
                    }
                }
                <FormSection number=7 title="Review and create" anchor="section-review" status=review_status>
                    <Summary form=form />
                    <SubmitArea
                        form=form
                        pending=create.pending()
                        progress=progress
                        failure=failure
                        refusals=refusals
                    />
                </FormSection>
            </form>
        </div>
    }
}
