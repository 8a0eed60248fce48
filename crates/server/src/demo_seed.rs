//! `--demo`: deterministic demo data on an empty database, written in one transaction.
//!
//! Project `demo` holds dataset `images` (5,000 items unless `--demo-items`), annotated in part
//! with the recipe's labels, and the task `demo-labeling` whose items have statuses, so a QA
//! task can be made from it at once. Project `restricted` has only the owner as member.

use rusqlite::{params, Connection, Transaction};
use serde_json::{json, Value};

use crate::auth;
use crate::clock;
use crate::database::{self, Database};
use crate::ids::IdSequence;

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "annotask-demo";

/// Printed at start with `--demo`.
pub const SIGN_IN_HINT: &str = "demo sign-in: manager@demo.annotask / annotask-demo \
(also owner@demo.annotask, annotator1..8@demo.annotask; same password)";

/// The demo users: email, first name, last name and role in project `demo`.
pub fn demo_users() -> Vec<(String, &'static str, String, &'static str)> {
    let mut users = vec![
        (
            "owner@demo.annotask".to_string(),
            "Olivia",
            "Owner".to_string(),
            "owner",
        ),
        (
            "manager@demo.annotask".to_string(),
            "Manuel",
            "Manager".to_string(),
            "annotationManager",
        ),
    ];
    for n in 1..=8 {
        users.push((
            format!("annotator{n}@demo.annotask"),
            "Annotator",
            n.to_string(),
            "annotator",
        ));
    }
    users
}

/// The demo folders, each with its share of the items (percent).
pub const FOLDERS: [(&str, u64); 4] = [
    ("/folder1", 40),
    ("/folder1/sub", 15),
    ("/folder2", 25),
    ("/folder3", 20),
];

/// The recipe's labels.
pub const LABELS: [(&str, &str); 4] = [
    ("cat", "#e6194b"),
    ("dog", "#3cb44b"),
    ("car", "#4363d8"),
    ("person", "#f58231"),
];

/// SplitMix64: a small deterministic generator, enough for varied demo data.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// Picks by weights.
    pub fn weighted<'a, T>(&mut self, choices: &'a [(T, u64)]) -> &'a T {
        let total: u64 = choices.iter().map(|c| c.1).sum();
        let mut roll = self.below(total);
        for (choice, weight) in choices {
            if roll < *weight {
                return choice;
            }
            roll -= weight;
        }
        &choices[choices.len() - 1].0
    }
}

/// Seeds the demo data if the database has no users. Returns whether it seeded.
pub fn seed_if_empty(db: &Database, item_count: usize) -> Result<bool, String> {
    let mut conn = db.lock();
    if !database::is_empty(&conn).map_err(|e| e.to_string())? {
        return Ok(false);
    }
    seed(&mut conn, item_count).map_err(|e| e.to_string())?;
    Ok(true)
}

/// Ids of what [`seed`] made that tests and the task seed need.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub demo_project_id: String,
    pub dataset_id: String,
    pub recipe_id: String,
    pub owner_id: String,
}

/// Writes all demo data in one transaction.
pub fn seed(conn: &mut Connection, item_count: usize) -> rusqlite::Result<Seeded> {
    // 2024-01-01T00:00:00Z: demo ids are the same on every run and sort before run-time ids.
    let ids = IdSequence::starting_at(1_704_067_200_000);
    let mut rng = SplitMix64::new(0x616e_6e6f_7461_736b);
    let now = clock::now_iso();
    let password_hash = auth::hash_password(DEMO_PASSWORD);
    let tx = conn.transaction()?;

    let mut user_ids = Vec::new();
    for (email, first, last, role) in demo_users() {
        let id = ids.next_id();
        let username = email.split('@').next().unwrap_or(&email).to_string();
        tx.execute(
            "INSERT INTO users (id, email, username, first_name, last_name, password_hash, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![id, email, username, first, last, password_hash, now],
        )?;
        user_ids.push((id, email, role));
    }
    let owner_email = user_ids[0].1.clone();
    let owner_id = user_ids[0].0.clone();

    let demo_project_id = insert_project(&tx, &ids, "demo", &owner_email, &now)?;
    for (user_id, _, role) in &user_ids {
        insert_member(&tx, &demo_project_id, user_id, role, &now)?;
    }
    let recipe_id = insert_recipe(
        &tx,
        &ids,
        &demo_project_id,
        "images recipe",
        &owner_email,
        &now,
    )?;
    let dataset_id = insert_dataset(
        &tx,
        &ids,
        &demo_project_id,
        "images",
        &recipe_id,
        &owner_email,
        &now,
    )?;
    let visible_files = insert_items(&tx, &ids, &mut rng, &dataset_id, item_count, &owner_email)?;

    let restricted_id = insert_project(&tx, &ids, "restricted", &owner_email, &now)?;
    insert_member(&tx, &restricted_id, &owner_id, "owner", &now)?;
    let restricted_recipe = insert_recipe(
        &tx,
        &ids,
        &restricted_id,
        "confidential recipe",
        &owner_email,
        &now,
    )?;
    let restricted_dataset = insert_dataset(
        &tx,
        &ids,
        &restricted_id,
        "confidential",
        &restricted_recipe,
        &owner_email,
        &now,
    )?;
    insert_items(&tx, &ids, &mut rng, &restricted_dataset, 50, &owner_email)?;

    let seeded = Seeded {
        demo_project_id,
        dataset_id,
        recipe_id,
        owner_id,
    };
    crate::routes::tasks::seed_demo_task(&tx, &ids, &mut rng, &seeded, &visible_files)?;
    tx.commit()?;
    Ok(seeded)
}

fn insert_project(
    tx: &Transaction<'_>,
    ids: &IdSequence,
    name: &str,
    creator: &str,
    now: &str,
) -> rusqlite::Result<String> {
    let id = ids.next_id();
    tx.execute(
        "INSERT INTO projects (id, name, creator, org, created_at, updated_at) VALUES (?1, ?2, ?3, NULL, ?4, ?4)",
        params![id, name, creator, now],
    )?;
    Ok(id)
}

fn insert_member(
    tx: &Transaction<'_>,
    project_id: &str,
    user_id: &str,
    role: &str,
    now: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO members (project_id, user_id, role, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![project_id, user_id, role, now],
    )?;
    Ok(())
}

fn insert_recipe(
    tx: &Transaction<'_>,
    ids: &IdSequence,
    project_id: &str,
    title: &str,
    creator: &str,
    now: &str,
) -> rusqlite::Result<String> {
    let id = ids.next_id();
    let labels: Vec<Value> = LABELS
        .iter()
        .map(|(tag, color)| json!({"tag": tag, "displayLabel": tag, "color": color, "attributes": [], "children": []}))
        .collect();
    tx.execute(
        "INSERT INTO recipes (id, project_id, title, labels, creator, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![id, project_id, title, Value::Array(labels).to_string(), creator, now],
    )?;
    Ok(id)
}

fn insert_dataset(
    tx: &Transaction<'_>,
    ids: &IdSequence,
    project_id: &str,
    name: &str,
    recipe_id: &str,
    creator: &str,
    now: &str,
) -> rusqlite::Result<String> {
    let id = ids.next_id();
    tx.execute(
        "INSERT INTO datasets (id, project_id, name, recipe_id, creator, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![id, project_id, name, recipe_id, creator, now],
    )?;
    Ok(id)
}

fn insert_items(
    tx: &Transaction<'_>,
    ids: &IdSequence,
    rng: &mut SplitMix64,
    dataset_id: &str,
    count: usize,
    creator: &str,
) -> rusqlite::Result<Vec<String>> {
    let mut visible_files = Vec::with_capacity(count);
    let mut insert_item =
        tx.prepare("INSERT INTO items (id, dataset_id, body) VALUES (?1, ?2, ?3)")?;
    let mut insert_annotation = tx.prepare(
        "INSERT INTO annotations (id, dataset_id, item_id, body) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let start_ms = clock::days_from_civil(2024, 1, 1) as u64 * 86_400_000;
    let end_ms = clock::days_from_civil(2026, 7, 1) as u64 * 86_400_000;
    let first_created = clock::iso_from_ms(start_ms);

    for (folder, _) in FOLDERS {
        let (parent, name) = folder.rsplit_once('/').unwrap_or(("", folder));
        let parent = if parent.is_empty() { "/" } else { parent };
        let body = json!({
            "datasetId": dataset_id,
            "type": "dir",
            "dir": parent,
            "filename": folder,
            "name": name,
            "hidden": false,
            "createdAt": first_created,
            "updatedAt": first_created,
            "creator": creator,
            "metadata": {"system": {}},
        });
        insert_item.execute(params![ids.next_id(), dataset_id, body.to_string()])?;
    }

    const MIMETYPES: [((&str, &str), u64); 5] = [
        (("image/jpeg", "jpg"), 55),
        (("image/png", "png"), 25),
        (("image/webp", "webp"), 10),
        (("image/tiff", "tiff"), 5),
        (("video/mp4", "mp4"), 5),
    ];
    const CAMERAS: [(&str, u64); 4] = [
        ("canon-r5", 35),
        ("nikon-z6", 30),
        ("sony-a7", 25),
        ("phone", 10),
    ];
    const SPLITS: [(&str, u64); 3] = [("train", 70), ("validation", 15), ("test", 15)];
    const WEATHER: [(&str, u64); 4] = [("sunny", 45), ("cloudy", 30), ("rain", 15), ("snow", 10)];
    const SIZES: [((u64, u64), u64); 5] = [
        ((640, 480), 20),
        ((1280, 720), 30),
        ((1920, 1080), 30),
        ((3840, 2160), 10),
        ((1024, 1024), 10),
    ];
    const ANNOTATION_TYPES: [(&str, u64); 4] =
        [("box", 60), ("polygon", 20), ("point", 10), ("class", 10)];
    let labels: Vec<(&str, u64)> = LABELS.iter().map(|(l, _)| (*l, 25)).collect();
    let folders: Vec<(&str, u64)> = FOLDERS.to_vec();

    for n in 0..count {
        let id = ids.next_id();
        let folder = *rng.weighted(&folders);
        let (mimetype, ext) = *rng.weighted(&MIMETYPES);
        let (width, height) = *rng.weighted(&SIZES);
        let hidden = rng.below(100) < 2;
        let created = clock::iso_from_ms(start_ms + rng.below(end_ms - start_ms));
        let name = if hidden {
            format!(".thumb_{n:06}.{ext}")
        } else {
            format!("img_{n:06}.{ext}")
        };
        let bytes_per_pixel = if mimetype == "image/png" { 3 } else { 1 };
        let size = width * height * bytes_per_pixel / 4 + rng.below(50_000);
        let body = json!({
            "datasetId": dataset_id,
            "type": "file",
            "dir": folder,
            "filename": format!("{folder}/{name}"),
            "name": name,
            "hidden": hidden,
            "createdAt": created,
            "updatedAt": created,
            "creator": creator,
            "metadata": {
                "system": {
                    "mimetype": mimetype,
                    "size": size,
                    "width": width,
                    "height": height,
                    "originalname": name,
                },
                "user": {
                    "camera": rng.weighted(&CAMERAS),
                    "split": rng.weighted(&SPLITS),
                    "weather": rng.weighted(&WEATHER),
                },
            },
        });
        insert_item.execute(params![id, dataset_id, body.to_string()])?;
        if !hidden {
            visible_files.push(id.clone());
        }

        if !hidden && rng.below(100) < 60 {
            for _ in 0..1 + rng.below(3) {
                let annotation_id = ids.next_id();
                let kind = *rng.weighted(&ANNOTATION_TYPES);
                let x = rng.below(width / 2) as f64;
                let y = rng.below(height / 2) as f64;
                let coordinates = match kind {
                    "box" => {
                        json!([{"x": x, "y": y, "z": 0}, {"x": x + 100.0, "y": y + 80.0, "z": 0}])
                    }
                    "polygon" => {
                        json!([[{"x": x, "y": y}, {"x": x + 60.0, "y": y}, {"x": x + 30.0, "y": y + 50.0}]])
                    }
                    "point" => json!({"x": x, "y": y, "z": 0}),
                    _ => json!([]),
                };
                let annotation = json!({
                    "id": annotation_id,
                    "itemId": id,
                    "datasetId": dataset_id,
                    "type": kind,
                    "label": rng.weighted(&labels),
                    "attributes": [],
                    "coordinates": coordinates,
                    "creator": creator,
                    "createdAt": created,
                    "updatedAt": created,
                    "metadata": {"system": {}},
                });
                insert_annotation.execute(params![
                    annotation_id,
                    dataset_id,
                    id,
                    annotation.to_string()
                ])?;
            }
        }
    }
    Ok(visible_files)
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    #[test]
    fn splitmix_is_deterministic() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        assert_eq!(a.next_u64(), b.next_u64());
        assert!((0..1000).all(|_| a.below(10) < 10));
    }
}
