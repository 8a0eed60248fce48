use std::any::Any;
use std::cell::RefCell;

use annotask::components::assignee_picker::AssigneePicker;
use annotask::components::filter_builder::FilterBuilder;
use annotask_core::dql::Query;
use annotask_core::entities::Member;
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The mounted component; dropping its handle unmounts it.
    static MOUNTED: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
}

pub fn start() {
    console_error_panic_hook::set_once();
}

fn mount_point() -> Result<web_sys::HtmlElement, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("mount"))
        .ok_or_else(|| JsValue::from_str("no #mount element"))?
        .dyn_into::<web_sys::HtmlElement>()
        .map_err(|_| JsValue::from_str("#mount is not an HTML element"))
}

/// Removes whatever is mounted.
#[wasm_bindgen]
pub fn unmount() {
    MOUNTED.with(|m| m.borrow_mut().take());
}

/// Mounts the filter builder on a DQL query (JSON text). No `Api` is provided, so it offers
/// the fixed item fields and makes no requests: what is timed is the component alone.
#[wasm_bindgen]
pub fn mount_filter_builder(dql: &str) -> Result<(), JsValue> {
    unmount();
    let query = Query::parse_str(dql).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let handle = leptos::mount::mount_to(mount_point()?, move || {
        let query = RwSignal::new(query);
        view! {
            <FilterBuilder
                query=query
                dataset_id=Signal::stored("bench-dataset".to_string())
                recipe_id=Signal::stored(None::<String>)
            />
        }
    });
    MOUNTED.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
    Ok(())
}

/// `count` synthetic project members with varied names, e-mails and roles (deterministic).
fn members(count: u32) -> Vec<Member> {
    const FIRST: [&str; 24] = [
        "Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
        "Keiko", "Liam", "Maria", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Samir", "Tara",
        "Ugo", "Vera", "Wei", "Yusuf",
    ];
    const LAST: [&str; 20] = [
        "Andersen", "Brown", "Chen", "Dubois", "Esposito", "Fischer", "Garcia", "Hansen",
        "Ivanova", "Jensen", "Kowalski", "Lopez", "Martin", "Nakamura", "Olsen", "Petrov", "Rossi",
        "Schmidt", "Tanaka", "Weber",
    ];
    const ROLES: [&str; 4] = ["annotator", "annotator", "annotationManager", "engineer"];
    (0..count as usize)
        .map(|i| {
            let first = FIRST[i % FIRST.len()];
            let last = LAST[(i / FIRST.len() + i * 7) % LAST.len()];
            let value = json!({
                "id": format!("u{i:05}"),
                "email": format!("{}.{}{i}@example.org", first.to_lowercase(), last.to_lowercase()),
                "username": format!("{}{i}", first.to_lowercase()),
                "firstName": first,
                "lastName": format!("{last} {i}"),
                "role": ROLES[i % ROLES.len()],
                "type": "human",
                "createdAt": "2024-01-01T00:00:00.000Z",
                "updatedAt": "2024-01-01T00:00:00.000Z",
            });
            serde_json::from_value(value).expect("a synthetic member is valid")
        })
        .collect()
}

/// Mounts the assignee picker over `count` synthetic members.
#[wasm_bindgen]
pub fn mount_picker(count: u32) -> Result<(), JsValue> {
    unmount();
    let list = members(count);
    let handle = leptos::mount::mount_to(mount_point()?, move || {
        let members = RwSignal::new(list);
        let selected = RwSignal::new(Vec::<String>::new());
        view! {
            <AssigneePicker
                members=members
                selected=selected
                on_change=Callback::new(move |list| selected.set(list))
                id="bench-assignees"
            />
        }
    });
    MOUNTED.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
    Ok(())
}
