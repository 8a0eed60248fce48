//! The draft in localStorage, one per dataset, so that a reload, a crash or a sign-in on
//! the way loses nothing. It is written on every change and removed when the task is
//! created or the user discards it.

use annotask_core::draft::TaskDraft;
use serde::{Deserialize, Serialize};

const KEY_PREFIX: &str = "annotask.taskDraft.";
/// Bumped when the stored shape changes incompatibly; older drafts are then ignored.
const VERSION: u32 = 1;

/// A draft as stored, with when it was saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedDraft {
    version: u32,
    /// When it was last written, in epoch milliseconds.
    pub saved_at_ms: f64,
    /// The draft itself (annotask-core's serde form).
    pub draft: TaskDraft,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The storage key of a dataset's draft.
pub fn key(dataset_id: &str) -> String {
    format!("{KEY_PREFIX}{dataset_id}")
}

/// The dataset's saved draft, if there is a readable one of this version.
pub fn load(dataset_id: &str) -> Option<SavedDraft> {
    let text = storage()?.get_item(&key(dataset_id)).ok().flatten()?;
    serde_json::from_str::<SavedDraft>(&text)
        .ok()
        .filter(|saved| saved.version == VERSION && saved.draft.dataset_id == dataset_id)
}

/// Saves the dataset's draft. Failing storage (private mode, quota) only costs persistence.
pub fn save(dataset_id: &str, draft: &TaskDraft, now_ms: f64) {
    let saved = SavedDraft {
        version: VERSION,
        saved_at_ms: now_ms,
        draft: draft.clone(),
    };
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(&saved)) {
        let _ = storage.set_item(&key(dataset_id), &text);
    }
}

/// Forgets the dataset's draft.
pub fn clear(dataset_id: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(dataset_id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annotask_core::draft::{Allocation, WorkloadMode};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn drafts_round_trip_per_dataset() {
        let mut draft = TaskDraft::new("p1", "storage-test", "r1");
        draft.name = "batch 7".into();
        draft.due_date_ms = Some(1_900_000_000_000.0);
        draft.assignees = vec!["a@x".into(), "b@x".into()];
        draft.workload = WorkloadMode::Custom(vec![60.0, 40.0]);
        draft.allocation = Allocation::Pulling {
            batch_size: 5,
            max_batch_workload: 7,
        };
        save("storage-test", &draft, 42.0);
        let saved = load("storage-test").expect("saved");
        assert_eq!(saved.draft, draft);
        assert_eq!(saved.saved_at_ms, 42.0);
        assert!(load("other-dataset").is_none());
        clear("storage-test");
        assert!(load("storage-test").is_none());
    }
}
