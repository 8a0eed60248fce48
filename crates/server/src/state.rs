//! What every handler shares.

use std::sync::Arc;

use crate::auth::JwtKey;
use crate::database::Database;
use crate::item_store::ItemStore;

/// The server's shared state: the database, the token key and the in-memory item indexes.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Arc<Database>,
    pub jwt: Arc<JwtKey>,
    pub items: Arc<ItemStore>,
}

impl AppState {
    pub fn new(db: Database, jwt: JwtKey) -> Self {
        AppState {
            db: Arc::new(db),
            jwt: Arc::new(jwt),
            items: Arc::new(ItemStore::default()),
        }
    }
}
