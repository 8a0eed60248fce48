//! Browser tests of the create-task form's components: the assignee picker's keyboard
//! behaviour (WAI-ARIA combobox + listbox) and the workload editor.
#![cfg(target_arch = "wasm32")]

use annotask::components::assignee_picker::AssigneePicker;
use annotask::components::workload_editor::{WorkloadAssignee, WorkloadEditor};
use annotask_core::draft::WorkloadMode;
use annotask_core::entities::{Member, Role};
use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container in the page for one test's component.
fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

/// Lets effects and the DOM catch up.
async fn settle() {
    leptos::task::tick().await;
    TimeoutFuture::new(0).await;
}

/// A bubbling DOM event built with the browser's own constructor (e.g. `KeyboardEvent`).
fn event(constructor: &str, kind: &str, fields: &[(&str, JsValue)]) -> web_sys::Event {
    let init = Object::new();
    for (key, value) in fields {
        Reflect::set(&init, &JsValue::from_str(key), value).unwrap();
    }
    Reflect::set(&init, &"bubbles".into(), &JsValue::TRUE).unwrap();
    Reflect::set(&init, &"cancelable".into(), &JsValue::TRUE).unwrap();
    let ctor: js_sys::Function = Reflect::get(&js_sys::global(), &JsValue::from_str(constructor))
        .unwrap()
        .unchecked_into();
    Reflect::construct(&ctor, &Array::of2(&JsValue::from_str(kind), &init))
        .unwrap()
        .unchecked_into()
}

async fn press(target: &Element, key: &str) {
    target
        .dispatch_event(&event("KeyboardEvent", "keydown", &[("key", key.into())]))
        .unwrap();
    settle().await;
}

async fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    input.dispatch_event(&event("Event", "input", &[])).unwrap();
    settle().await;
}

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| node.unchecked_into())
        .collect()
}

fn member(first: &str, last: &str, email: &str, role: Role) -> Member {
    Member {
        id: email.into(),
        email: email.into(),
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        role: Some(role),
        ..Member::default()
    }
}

fn team() -> Vec<Member> {
    let mut members = vec![
        member("Olivia", "Owner", "owner@x.io", Role::Owner),
        member("Manuel", "Manager", "manager@x.io", Role::AnnotationManager),
        member(
            "Vera",
            "Viewer",
            "viewer@x.io",
            Role::Other("viewer".into()),
        ),
    ];
    for n in 1..=4 {
        members.push(member(
            "Annotator",
            &n.to_string(),
            &format!("annotator{n}@x.io"),
            Role::Annotator,
        ));
    }
    members
}

/// Mounts a picker over `members`; the selection lives in the returned signal.
fn mount_picker(members: Vec<Member>) -> (HtmlElement, RwSignal<Vec<String>>) {
    let root = container();
    let selected = RwSignal::new(Vec::<String>::new());
    let members = RwSignal::new(members);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <AssigneePicker
                members=members
                selected=selected
                on_change=Callback::new(move |list| selected.set(list))
            />
        }
    });
    handle.forget();
    (root, selected)
}

fn combobox(root: &Element) -> HtmlInputElement {
    find(root, "[role=combobox]").unwrap().unchecked_into()
}

fn option_names(root: &Element) -> Vec<String> {
    find_all(root, "[role=option] .assignee-picker__name")
        .iter()
        .map(|o| o.text_content().unwrap_or_default())
        .collect()
}

fn active_option(root: &Element) -> Option<Element> {
    let input = combobox(root);
    let id = input.get_attribute("aria-activedescendant")?;
    find(root, &format!("#{id}"))
}

#[wasm_bindgen_test]
async fn picker_filters_as_you_type_and_offers_only_who_may_annotate() {
    let (root, _) = mount_picker(team());
    let input = combobox(&root);
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    type_into(&input, "a").await;
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let names = option_names(&root);
    assert!(
        !names.iter().any(|n| n.contains("Vera")),
        "viewers are not offered: {names:?}"
    );
    assert_eq!(names.len(), 6, "{names:?}");
    type_into(&input, "ANN 3").await;
    assert_eq!(option_names(&root), ["Annotator 3"]);
    type_into(&input, "manager@").await;
    assert_eq!(option_names(&root), ["Manuel Manager"]);
    let option = find(&root, "[role=option]").unwrap();
    assert_eq!(option.get_attribute("aria-setsize").as_deref(), Some("1"));
    assert_eq!(option.get_attribute("aria-posinset").as_deref(), Some("1"));
    assert!(
        option
            .text_content()
            .unwrap()
            .contains("Annotation manager"),
        "the role is shown"
    );
    type_into(&input, "nobody").await;
    assert!(find(&root, "[role=listbox]").is_none());
    assert!(root.text_content().unwrap().contains("No member matches"));
}

#[wasm_bindgen_test]
async fn picker_arrows_move_the_active_option_and_enter_toggles_it() {
    let (root, selected) = mount_picker(team());
    let input = combobox(&root);
    press(&input, "ArrowDown").await;
    assert!(
        find(&root, "[role=listbox]").is_some(),
        "ArrowDown opens the list"
    );
    let first = active_option(&root).expect("the first option is active");
    assert!(first.text_content().unwrap().contains("Annotator 1"));
    press(&input, "ArrowDown").await;
    press(&input, "ArrowDown").await;
    press(&input, "ArrowUp").await;
    let active = active_option(&root).unwrap();
    assert!(active.text_content().unwrap().contains("Annotator 2"));
    assert_eq!(active.get_attribute("aria-posinset").as_deref(), Some("2"));
    assert!(active
        .class_list()
        .contains("assignee-picker__option--active"));

    press(&input, "Enter").await;
    assert_eq!(selected.get_untracked(), ["annotator2@x.io"]);
    assert_eq!(
        active_option(&root)
            .unwrap()
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    press(&input, "ArrowDown").await;
    press(&input, "Enter").await;
    assert_eq!(
        selected.get_untracked(),
        ["annotator2@x.io", "annotator3@x.io"]
    );
    press(&input, "ArrowUp").await;
    press(&input, "Enter").await;
    assert_eq!(
        selected.get_untracked(),
        ["annotator3@x.io"],
        "Enter on a selected member removes it"
    );
    // Up from the top stays at the top.
    for _ in 0..10 {
        press(&input, "ArrowUp").await;
    }
    assert!(active_option(&root)
        .unwrap()
        .text_content()
        .unwrap()
        .contains("Annotator 1"));
}

#[wasm_bindgen_test]
async fn picker_backspace_removes_the_last_chip_and_escape_closes() {
    let (root, selected) = mount_picker(team());
    selected.set(vec!["owner@x.io".into(), "annotator1@x.io".into()]);
    settle().await;
    let chips = find_all(&root, ".assignee-picker__chip");
    assert_eq!(chips.len(), 2);
    assert!(chips[1].text_content().unwrap().contains("Annotator 1"));
    assert!(find(&root, "button[aria-label='Remove Olivia Owner']").is_some());

    let input = combobox(&root);
    type_into(&input, "x").await;
    press(&input, "Backspace").await;
    assert_eq!(
        selected.get_untracked().len(),
        2,
        "Backspace edits the text first"
    );
    type_into(&input, "").await;
    press(&input, "Backspace").await;
    assert_eq!(selected.get_untracked(), ["owner@x.io"]);
    let status = find(&root, "[role=status]")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(status.contains("Annotator 1 removed"), "{status}");

    assert!(find(&root, "[role=listbox]").is_some());
    press(&input, "Escape").await;
    assert!(
        find(&root, "[role=listbox]").is_none(),
        "Escape closes the list"
    );
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(input.get_attribute("aria-activedescendant").is_none());

    // A chip's button removes that member.
    let remove: HtmlElement = find(&root, "button[aria-label='Remove Olivia Owner']")
        .unwrap()
        .unchecked_into();
    remove.click();
    settle().await;
    assert!(selected.get_untracked().is_empty());
}

#[wasm_bindgen_test]
async fn picker_selects_all_matching() {
    let (root, selected) = mount_picker(team());
    let input = combobox(&root);
    type_into(&input, "annotator").await;
    let button: HtmlElement = find_all(&root, "button")
        .into_iter()
        .find(|b| b.text_content().unwrap().starts_with("Select all matching"))
        .unwrap()
        .unchecked_into();
    assert_eq!(
        button.text_content().as_deref(),
        Some("Select all matching (4)")
    );
    button.click();
    settle().await;
    assert_eq!(selected.get_untracked().len(), 4);
    assert!(button.has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn picker_renders_only_the_visible_rows_of_ten_thousand_members() {
    let members: Vec<Member> = (0..10_000)
        .map(|n| {
            member(
                "Person",
                &format!("{n:05}"),
                &format!("p{n:05}@big.io"),
                Role::Annotator,
            )
        })
        .collect();
    let (root, selected) = mount_picker(members);
    let input = combobox(&root);
    press(&input, "ArrowDown").await;
    let rendered = find_all(&root, "[role=option]");
    assert!(rendered.len() < 30, "{} options rendered", rendered.len());
    assert_eq!(
        rendered[0].get_attribute("aria-setsize").as_deref(),
        Some("10000")
    );

    let performance = web_sys::window().unwrap().performance().unwrap();
    let start = performance.now();
    type_into(&input, "person 0999").await;
    let elapsed = performance.now() - start;
    // "0999" matches p00999 and p09990..p09999.
    assert_eq!(find_all(&root, "[role=option]").len(), 11);
    web_sys::console::log_1(&format!("10,000 members: one keystroke took {elapsed:.1} ms").into());
    assert!(elapsed < 250.0, "a keystroke took {elapsed} ms");

    // Paging far down keeps the active option rendered (aria-activedescendant must resolve).
    type_into(&input, "").await;
    for _ in 0..40 {
        press(&input, "PageDown").await;
    }
    let active = active_option(&root).expect("the active option is rendered");
    assert_eq!(
        active.get_attribute("aria-posinset").as_deref(),
        Some("241")
    );
    press(&input, "Enter").await;
    assert_eq!(selected.get_untracked(), ["p00240@big.io"]);
}

/// Mounts a workload editor; returns the root and the mode and count signals.
fn mount_workload(
    names: &[&str],
    count: Option<u64>,
) -> (HtmlElement, RwSignal<WorkloadMode>, RwSignal<Option<u64>>) {
    let root = container();
    let assignees: Vec<WorkloadAssignee> = names
        .iter()
        .map(|n| WorkloadAssignee {
            email: format!("{}@x.io", n.to_lowercase()),
            name: n.to_string(),
        })
        .collect();
    let assignees = RwSignal::new(assignees);
    let mode = RwSignal::new(WorkloadMode::Equal);
    let item_count = RwSignal::new(count);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <WorkloadEditor
                assignees=assignees
                mode=mode
                on_change=Callback::new(move |m| mode.set(m))
                item_count=item_count
            />
        }
    });
    handle.forget();
    (root, mode, item_count)
}

fn row_texts(root: &Element) -> Vec<String> {
    find_all(root, "tbody tr")
        .iter()
        .map(|r| {
            find_all(r, "th, td")
                .iter()
                .map(|c| c.text_content().unwrap_or_default().trim().to_owned())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

fn load_input(root: &Element, name: &str) -> HtmlInputElement {
    let label = find_all(root, "label")
        .into_iter()
        .find(|l| l.text_content().unwrap_or_default() == format!("Load for {name} (%)"))
        .unwrap_or_else(|| panic!("no load box for {name}"));
    let id = label.get_attribute("for").unwrap();
    find(root, &format!("#{id}")).unwrap().unchecked_into()
}

fn radio(root: &Element, value: &str) -> HtmlElement {
    find(root, &format!("input[type=radio][value={value}]"))
        .unwrap()
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn workload_equal_split_shows_each_share_and_count() {
    let (root, _, count) = mount_workload(&["Ann", "Bob", "Cat"], Some(10));
    settle().await;
    assert_eq!(row_texts(&root), ["Ann|34%|4", "Bob|33%|3", "Cat|33%|3"]);
    let bars: Vec<String> = find_all(&root, ".workload-editor__bar-fill")
        .iter()
        .map(|b| b.get_attribute("style").unwrap_or_default())
        .collect();
    assert!(bars[0].contains("width: 34%"), "{bars:?}");
    count.set(Some(200));
    settle().await;
    assert_eq!(row_texts(&root), ["Ann|34%|68", "Bob|33%|66", "Cat|33%|66"]);
    count.set(None);
    settle().await;
    assert!(row_texts(&root)[0].ends_with("|—"), "unknown count");
}

#[wasm_bindgen_test]
async fn workload_custom_loads_and_distribute_the_rest() {
    let (root, mode, _) = mount_workload(&["Ann", "Bob", "Cat"], Some(200));
    radio(&root, "custom").click();
    settle().await;
    assert_eq!(
        mode.get_untracked(),
        WorkloadMode::Custom(vec![34.0, 33.0, 33.0])
    );
    assert_eq!(load_input(&root, "Ann").value(), "34");

    type_into(&load_input(&root, "Ann"), "50").await;
    type_into(&load_input(&root, "Bob"), "49").await;
    type_into(&load_input(&root, "Cat"), "").await;
    assert_eq!(
        mode.get_untracked(),
        WorkloadMode::Custom(vec![50.0, 49.0, 0.0])
    );
    assert_eq!(
        load_input(&root, "Cat").value(),
        "",
        "a cleared box stays empty while typing"
    );
    let footer = find(&root, "tfoot").unwrap().text_content().unwrap();
    assert!(
        footer.contains("99%") && footer.contains("1% left"),
        "{footer}"
    );
    // Counts follow the custom loads (largest remainder, as the server allocates).
    assert_eq!(
        row_texts(&root)
            .iter()
            .map(|r| r.split('|').nth(2).unwrap().to_owned())
            .collect::<Vec<_>>(),
        ["101", "99", "0"]
    );

    let distribute: HtmlElement = find_all(&root, "button")
        .into_iter()
        .find(|b| b.text_content().unwrap() == "Distribute the rest")
        .unwrap()
        .unchecked_into();
    distribute.click();
    settle().await;
    assert_eq!(
        mode.get_untracked(),
        WorkloadMode::Custom(vec![50.0, 49.0, 1.0])
    );
    assert_eq!(load_input(&root, "Cat").value(), "1");
    assert!(
        distribute.has_attribute("disabled"),
        "nothing left to distribute"
    );
    let footer = find(&root, "tfoot").unwrap().text_content().unwrap();
    assert!(
        footer.contains("100%") && !footer.contains("left"),
        "{footer}"
    );

    radio(&root, "equal").click();
    settle().await;
    assert_eq!(mode.get_untracked(), WorkloadMode::Equal);
    assert!(find(&root, "input[type=number]").is_none());
}
