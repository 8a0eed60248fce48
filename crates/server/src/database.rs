//! The SQLite file: opening it in WAL mode, creating or migrating the schema, and running work
//! on it from async handlers.
//!
//! SQLite is the source of truth. One connection serves everything; handlers run their database
//! work on the blocking pool through [`Database::call`], and every write that spans rows runs in
//! one transaction.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;

use crate::error::{ApiError, ApiResult};

/// The schema version this build writes. Each entry of [`MIGRATIONS`] moves one version up.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        username TEXT NOT NULL,
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE refresh_tokens (
        digest TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        expires_at INTEGER NOT NULL
    );
    CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        creator TEXT NOT NULL,
        org TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX projects_name ON projects(name);
    CREATE TABLE members (
        project_id TEXT NOT NULL REFERENCES projects(id),
        user_id TEXT NOT NULL REFERENCES users(id),
        role TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (project_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX members_user ON members(user_id);
    CREATE TABLE recipes (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id),
        title TEXT NOT NULL,
        labels TEXT NOT NULL,
        creator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE datasets (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id),
        name TEXT NOT NULL,
        recipe_id TEXT NOT NULL REFERENCES recipes(id),
        creator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX datasets_project ON datasets(project_id);
    -- An item's JSON without the parts derived from other tables (refs, annotation counts).
    CREATE TABLE items (
        id TEXT PRIMARY KEY,
        dataset_id TEXT NOT NULL REFERENCES datasets(id),
        body TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX items_dataset ON items(dataset_id, id);
    CREATE TABLE annotations (
        id TEXT PRIMARY KEY,
        dataset_id TEXT NOT NULL REFERENCES datasets(id),
        item_id TEXT NOT NULL REFERENCES items(id),
        body TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX annotations_dataset ON annotations(dataset_id, item_id);
    CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id),
        dataset_id TEXT NOT NULL REFERENCES datasets(id),
        name TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX tasks_dataset ON tasks(dataset_id);
    CREATE TABLE assignments (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL REFERENCES tasks(id),
        annotator TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX assignments_task ON assignments(task_id);
    -- An item in a task: its assignment and its status there (the item's two refs).
    CREATE TABLE task_items (
        task_id TEXT NOT NULL REFERENCES tasks(id),
        item_id TEXT NOT NULL REFERENCES items(id),
        assignment_id TEXT NOT NULL REFERENCES assignments(id),
        status TEXT,
        PRIMARY KEY (task_id, item_id)
    ) WITHOUT ROWID;
    CREATE INDEX task_items_assignment ON task_items(assignment_id, status);
    CREATE TABLE commands (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL
    );
    "#,
];

/// The open database.
#[derive(Debug)]
pub struct Database {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
}

impl Database {
    /// Opens (creating if needed) the database at `path`, or an in-memory one for `:memory:`,
    /// and brings its schema up to [`SCHEMA_VERSION`].
    pub fn open(path: &str) -> Result<Self, String> {
        let in_memory = path == ":memory:";
        let conn = if in_memory {
            Connection::open_in_memory()
        } else {
            Connection::open(path)
        }
        .map_err(|e| format!("cannot open database {path}: {e}"))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| e.to_string())?;
        if !in_memory {
            let mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(|e| format!("cannot switch {path} to WAL mode: {e}"))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(format!("{path} refused WAL mode (got {mode})"));
            }
        }
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;",
        )
        .map_err(|e| e.to_string())?;
        migrate(&conn).map_err(|e| format!("cannot migrate {path}: {e}"))?;
        Ok(Database {
            conn: Mutex::new(conn),
            path: (!in_memory).then(|| PathBuf::from(path)),
        })
    }

    /// Where the file is (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Where the token-signing secret is kept: beside the database, `NAME.secret`.
    pub fn secret_path(&self) -> Option<PathBuf> {
        self.path.as_ref().map(|p| p.with_extension("secret"))
    }

    /// The connection, for synchronous use (start-up, seeding, tests).
    pub fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` with the connection on the blocking pool.
    pub async fn call<R, F>(self: &Arc<Self>, work: F) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> ApiResult<R> + Send + 'static,
    {
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut conn = db.lock();
            work(&mut conn)
        })
        .await
        .map_err(|e| ApiError::internal(format!("database task failed: {e}")))?
    }
}

fn migrate(conn: &Connection) -> Result<(), String> {
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if current > SCHEMA_VERSION {
        return Err(format!(
            "the database has schema version {current}, newer than this server's {SCHEMA_VERSION}"
        ));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let step = || -> rusqlite::Result<()> {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
            tx.commit()
        };
        step().map_err(|e| format!("migration to version {}: {e}", index + 1))?;
    }
    Ok(())
}

/// Whether the database holds no users yet (the `--demo` seed runs only then).
pub fn is_empty(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_databases_use_wal_and_reopen() {
        let dir = std::env::temp_dir().join(format!("annotask-db-{}", crate::ids::random_hex(6)));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let path = path.to_str().unwrap();
        {
            let db = Database::open(path).unwrap();
            let conn = db.lock();
            let mode: String = conn
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap();
            assert_eq!(mode, "wal");
            assert!(is_empty(&conn).unwrap());
        }
        let db = Database::open(path).unwrap();
        let version: i64 = db
            .lock()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        assert_eq!(db.secret_path().unwrap(), dir.join("t.secret"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
