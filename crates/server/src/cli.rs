//! The command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// annotask-server: a Dataloop-compatible task-creation API (the part dtlpy 1.126.5 uses)
/// backed by a SQLite file, which can also serve the annotask web app.
#[derive(Debug, Clone, Parser)]
#[command(name = "annotask-server", version, about, long_about = None)]
pub struct Cli {
    /// Address to listen on; port 0 picks a free port (the real one is printed at start).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: SocketAddr,

    /// SQLite database file (WAL mode), created and migrated at start; `:memory:` keeps
    /// everything in memory. The token-signing secret is kept beside it as NAME.secret.
    #[arg(long, default_value = "annotask.db", value_name = "PATH")]
    pub db: String,

    /// Serve the built web app from this directory, with index.html for client routes.
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// On an empty database, seed demo projects, users, items, annotations and a task.
    #[arg(long)]
    pub demo: bool,

    /// How many items the demo dataset `images` gets (with --demo).
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub demo_items: usize,

    /// An origin allowed to call the API from a browser (CORS); repeat for several.
    /// Without it, no cross-origin calls are allowed.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origins: Vec<String>,
}
