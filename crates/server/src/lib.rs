//! annotask-server: the part of the Dataloop REST API that dtlpy 1.126.5 uses to create
//! annotation and QA tasks, over a SQLite file (see `shared/docs/dataloop-api.md`).
//!
//! [`build_router`] makes the whole HTTP surface; `main.rs` only parses the command line, opens
//! the database and serves it.

pub mod access;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod database;
pub mod demo_seed;
pub mod error;
pub mod ids;
pub mod item_store;
pub mod query;
pub mod request_origin;
pub mod routes;
pub mod state;
pub mod static_files;

use std::path::PathBuf;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use crate::database::Database;
use crate::error::ApiError;
pub use crate::state::AppState;

/// The largest request body accepted (413 above it).
pub const BODY_LIMIT_BYTES: usize = 2 * 1024 * 1024;

/// How the router is put together, from the command line.
#[derive(Debug, Clone, Default)]
pub struct RouterOptions {
    /// Serve the web app from here (`--static`).
    pub static_dir: Option<PathBuf>,
    /// Origins allowed by CORS (`--allow-origin`); empty means CORS stays off.
    pub allow_origins: Vec<String>,
}

/// Every `/api/v1` route: its path (relative to `/api/v1`) and handlers. [`build_router`]
/// nests exactly these, and the access tests walk the same list, so a new route is checked for
/// token handling without anyone having to remember it.
pub fn api_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    use routes::*;
    vec![
        ("/users/me", get(users::me)),
        ("/projects", get(projects::list)),
        ("/projects/{id}", get(projects::get)),
        ("/projects/{id}/name", get(projects::by_name)),
        ("/projects/{id}/members", get(projects::list_members)),
        ("/datasets/query", post(datasets::query)),
        ("/datasets/{id}", get(datasets::get)),
        ("/datasets/{id}/query", post(items::query)),
        ("/recipes/{id}", get(recipes::get)),
        ("/annotationtasks", post(tasks::create)),
        ("/annotationtasks/query", post(tasks::query)),
        (
            "/annotationtasks/{id}",
            get(tasks::get).delete(tasks::delete),
        ),
        ("/commands/{id}", get(commands::get)),
        ("/assignments", get(assignments::list)),
        ("/assignments/{id}", get(assignments::get)),
        (
            "/assignments/items/tasks/{id}/status",
            post(assignments::set_task_items_status),
        ),
        (
            "/assignments/{id}/items/{item_id}/status",
            post(assignments::set_assignment_item_status),
        ),
    ]
}

/// Every route the server answers.
pub fn build_router(state: AppState, options: RouterOptions) -> Result<Router, String> {
    use routes::*;

    let api = api_routes()
        .into_iter()
        .fold(Router::new(), |api, (path, methods)| {
            api.route(path, methods)
        })
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed);

    let static_dir = options.static_dir.clone();
    let mut router = Router::new()
        .route("/token", post(token::token))
        .nest("/api/v1", api)
        .fallback(move |req: Request| static_files::serve(static_dir.clone(), req))
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES));

    if !options.allow_origins.is_empty() {
        router = router.layer(cors_layer(&options.allow_origins)?);
    }
    Ok(router.layer(middleware::from_fn(log_request)))
}

fn cors_layer(origins: &[String]) -> Result<CorsLayer, String> {
    let origins = origins
        .iter()
        .map(|o| {
            HeaderValue::from_str(o.trim_end_matches('/'))
                .map_err(|_| format!("--allow-origin {o:?} is not a valid origin"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("user_query"),
        ])
        .max_age(std::time::Duration::from_secs(600)))
}

async fn api_not_found(req: Request) -> ApiError {
    ApiError::not_found(format!(
        "no API route {} {}",
        req.method(),
        req.uri().path()
    ))
}

async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} is not allowed on {}", req.method(), req.uri().path()),
    )
}

/// One log line per request: method, path, status and time taken.
async fn log_request(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    tracing::info!(
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response.into_response()
}
