//! `annotask-server`: parse the command line, open the database, serve.

use std::io::{IsTerminal, Write};

use clap::Parser;

use annotask_server::auth::JwtKey;
use annotask_server::cli::Cli;
use annotask_server::{build_router, demo_seed, AppState, Database, RouterOptions};

#[tokio::main]
async fn main() {
    if let Err(message) = run().await {
        eprintln!("annotask-server: {message}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .init();

    let db = Database::open(&cli.db)?;
    let jwt = match db.secret_path() {
        Some(path) => JwtKey::load_or_create(&path).map_err(|e| {
            format!(
                "cannot read or create the token secret {}: {e}",
                path.display()
            )
        })?,
        None => JwtKey::random(),
    };
    if cli.demo {
        let seeded = demo_seed::seed_if_empty(&db, cli.demo_items)
            .map_err(|e| format!("cannot seed the demo data: {e}"))?;
        if seeded {
            tracing::info!("seeded the demo data ({} items)", cli.demo_items);
        }
        eprintln!("{}", demo_seed::SIGN_IN_HINT);
    }
    let state = AppState::new(db, jwt);
    let router = build_router(
        state,
        RouterOptions {
            static_dir: cli.static_dir.clone(),
            allow_origins: cli.allow_origins.clone(),
        },
    )?;

    let listener = tokio::net::TcpListener::bind(cli.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", cli.addr))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "annotask-server listening on http://{local}")
            .map_err(|e| e.to_string())?;
        stdout.flush().map_err(|e| e.to_string())?;
    }
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
    tracing::info!("shut down");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
