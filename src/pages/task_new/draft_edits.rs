//! Edits of the draft that touch more than one field, as plain functions over
//! [`TaskDraft`] so that the sections stay thin and the rules are tested on their own:
//! switching the task type, picking a QA parent, changing the assignees while custom loads
//! are set, and the custom statuses that ride on top of the platform's defaults.

use annotask_core::draft::{ItemAction, TaskDraft, TaskType, WorkloadMode};
use annotask_core::entities::Task;

use crate::components::workload_editor::loads::realign;

/// Switches between annotation and QA. The custom statuses are kept on top of the new
/// type's defaults; leaving QA forgets the parent and gives the task back to `owner`.
pub fn set_task_type(draft: &mut TaskDraft, task_type: TaskType, owner: Option<String>) {
    if draft.task_type == task_type {
        return;
    }
    let custom = custom_statuses(draft);
    draft.task_type = task_type;
    set_custom_statuses(draft, custom);
    if task_type == TaskType::Annotation {
        if draft
            .parent_task_name
            .as_ref()
            .map(|p| format!("{p}_qa"))
            .as_deref()
            == Some(draft.trimmed_name())
        {
            draft.name.clear();
        }
        draft.parent_task_id = None;
        draft.parent_task_name = None;
        draft.owner = owner;
    }
}

/// Makes `parent` the QA task's parent, as `create_qa_task` does ([`TaskDraft::qa_of`]):
/// its id, owner and recipe. The name becomes `<parent>_qa` unless the user typed their own.
pub fn set_parent(draft: &mut TaskDraft, parent: &Task) {
    let qa = TaskDraft::qa_of(parent);
    let previous_default = draft.parent_task_name.as_ref().map(|p| format!("{p}_qa"));
    let name = draft.trimmed_name();
    if name.is_empty() || previous_default.as_deref() == Some(name) {
        draft.name = qa.name;
    }
    draft.parent_task_id = qa.parent_task_id;
    draft.parent_task_name = qa.parent_task_name;
    if qa.owner.is_some() {
        draft.owner = qa.owner;
    }
    if !qa.recipe_id.is_empty() {
        draft.recipe_id = qa.recipe_id;
    }
}

/// Sets the assignees; custom loads follow their people (newcomers start at 0%).
pub fn set_assignees(draft: &mut TaskDraft, assignees: Vec<String>) {
    if let WorkloadMode::Custom(loads) = &draft.workload {
        draft.workload = WorkloadMode::Custom(realign(&draft.assignees, loads, &assignees));
    }
    draft.assignees = assignees;
}

/// The statuses the user added: `statuses` without the leading defaults of the task type.
pub fn custom_statuses(draft: &TaskDraft) -> Vec<ItemAction> {
    let defaults = ItemAction::defaults_for(draft.task_type);
    match draft.statuses.strip_prefix(defaults.as_slice()) {
        Some(custom) => custom.to_vec(),
        None => draft.statuses.clone(),
    }
}

/// Sets the custom statuses. `availableActions` replaces the platform's defaults, so the
/// defaults are sent along with custom ones; without custom ones nothing is sent and the
/// platform applies its defaults.
pub fn set_custom_statuses(draft: &mut TaskDraft, custom: Vec<ItemAction>) {
    draft.statuses = if custom.is_empty() {
        Vec::new()
    } else {
        let mut all = ItemAction::defaults_for(draft.task_type);
        all.extend(custom);
        all
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn parent(name: &str) -> Task {
        Task {
            id: format!("{name}-id"),
            name: name.into(),
            creator: Some("lead@x".into()),
            project_id: "p".into(),
            dataset_id: "d".into(),
            recipe_id: "parent-recipe".into(),
            ..Task::default()
        }
    }

    #[wasm_bindgen_test]
    fn qa_parent_names_the_task_until_the_user_does() {
        let mut draft = TaskDraft::new("p", "d", "r");
        set_task_type(&mut draft, TaskType::Qa, None);
        set_parent(&mut draft, &parent("batch1"));
        assert_eq!(draft.name, "batch1_qa");
        assert_eq!(draft.parent_task_id.as_deref(), Some("batch1-id"));
        assert_eq!(draft.owner.as_deref(), Some("lead@x"));
        assert_eq!(draft.recipe_id, "parent-recipe");
        set_parent(&mut draft, &parent("batch2"));
        assert_eq!(draft.name, "batch2_qa");
        draft.name = "my review".into();
        set_parent(&mut draft, &parent("batch3"));
        assert_eq!(draft.name, "my review");
        set_task_type(&mut draft, TaskType::Annotation, Some("me@x".into()));
        assert_eq!(draft.parent_task_id, None);
        assert_eq!(draft.owner.as_deref(), Some("me@x"));
        assert_eq!(draft.name, "my review");
    }

    #[wasm_bindgen_test]
    fn custom_statuses_ride_on_the_defaults_of_the_type() {
        let mut draft = TaskDraft::new("p", "d", "r");
        let mut review = ItemAction::new("review");
        review.color = "#ff0000".into();
        set_custom_statuses(&mut draft, vec![review.clone()]);
        let names: Vec<&str> = draft.statuses.iter().map(|s| s.action.as_str()).collect();
        assert_eq!(names, ["completed", "discard", "review"]);
        set_task_type(&mut draft, TaskType::Qa, None);
        let names: Vec<&str> = draft.statuses.iter().map(|s| s.action.as_str()).collect();
        assert_eq!(names, ["approved", "discard", "review"]);
        assert_eq!(custom_statuses(&draft), vec![review]);
        set_custom_statuses(&mut draft, Vec::new());
        assert!(draft.statuses.is_empty());
    }

    #[wasm_bindgen_test]
    fn custom_loads_follow_their_assignees() {
        let mut draft = TaskDraft::new("p", "d", "r");
        draft.assignees = vec!["a@x".into(), "b@x".into()];
        draft.workload = WorkloadMode::Custom(vec![70.0, 30.0]);
        set_assignees(&mut draft, vec!["b@x".into(), "c@x".into()]);
        assert_eq!(draft.workload, WorkloadMode::Custom(vec![30.0, 0.0]));
    }
}
