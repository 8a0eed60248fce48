//! Every HTTP call the app makes, one `async fn` each, all returning `Result<T, ApiError>`.
//!
//! Components never build requests themselves: they call these functions through the
//! [`Api`] handle in context. The handle adds the bearer token, refreshes it shortly before
//! it expires, and signs the user out on a 401 so the router can send them to sign-in.

mod error;

pub use error::ApiError;

use crate::config::{now_ms, AppConfig};
use crate::session::{Session, SessionState};
use annotask_core::entities::{
    Assignment, Command, Dataset, Item, Page, Project, Recipe, Task, TokenRequest, TokenResponse,
    User,
};
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Refresh the token when it has less than this left.
const REFRESH_MARGIN_MS: f64 = 120_000.0;
/// How long to wait before trying a refresh again after a network failure.
const REFRESH_RETRY_MS: u32 = 20_000;
/// What the sign-in page says after the server refused the session.
const SESSION_EXPIRED: &str = "Your session has expired. Sign in again to continue where you were.";
/// What it says when a pasted token ran out (it can't be refreshed).
const TOKEN_EXPIRED: &str =
    "Your token has expired. Paste a new one, or sign in with your password.";

/// The API handle: configuration plus the session whose token it sends.
#[derive(Clone)]
pub struct Api {
    pub config: AppConfig,
    pub session: SessionState,
    /// The refresh under way, by the refresh token it spends (see [`Api::refresh`]).
    refreshing: StoredValue<Option<(String, RefreshFuture)>, LocalStorage>,
}

/// A token refresh that several requests can wait for.
type RefreshFuture = Shared<LocalBoxFuture<'static, Result<String, ApiError>>>;

/// The API handle from context; provided by `App` once config.json is read.
pub fn use_api() -> Api {
    expect_context::<Api>()
}

impl Api {
    /// The handle for `config` and `session`. Call inside the owner that provides it (the app
    /// root): it keeps a little state of its own there.
    pub fn new(config: AppConfig, session: SessionState) -> Api {
        Api {
            config,
            session,
            refreshing: StoredValue::new_local(None),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.api_base, path)
    }

    /// Sends a request and decodes a JSON answer, mapping every failure to [`ApiError`].
    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &str,
        body: Option<String>,
        token: Option<&str>,
    ) -> Result<T, ApiError> {
        // Reads are abandoned after the configured time so a hung server ends in a message and
        // a Retry, not an endless spinner. Creating a task is not: it may still succeed, and
        // abandoning it would invite a second one (the form says the server is slow instead).
        let creates = method == Method::POST && url.ends_with("/annotationtasks");
        let timeout_ms = if creates {
            0
        } else {
            self.config.request_timeout_ms
        };
        let deadline = Deadline::start(timeout_ms);
        let mut req = RequestBuilder::new(url)
            .method(method)
            .abort_signal(deadline.as_ref().map(Deadline::signal).as_ref());
        // The platform reads `user_query: true` on queries a person asked for (contract §5).
        if url.ends_with("/query") {
            req = req.header("user_query", "true");
        }
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let resp = match body {
            Some(b) => {
                req.header("Content-Type", "application/json")
                    .body(b)
                    .map_err(|e| ApiError::Network(e.to_string()))?
                    .send()
                    .await
            }
            None => req.send().await,
        }
        .map_err(|e| network_error(&e.to_string(), deadline.as_ref()))?;
        let status = resp.status();
        let text = resp
            .text()
            .await
            .map_err(|e| network_error(&e.to_string(), deadline.as_ref()))?;
        drop(deadline);
        if !(200..300).contains(&status) {
            return Err(ApiError::from_response(status, &text));
        }
        serde_json::from_str(&text).map_err(|e| ApiError::Decode(e.to_string()))
    }

    /// An authenticated call under the API root.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<T, ApiError> {
        let token = self.fresh_token().await?;
        let result = self.send(method, &self.url(path), body, Some(&token)).await;
        if let Err(ApiError::Unauthorized(_)) = &result {
            // The token was refused: drop it so `RequireSession` sends the user to sign-in
            // and back here afterwards. Only if it is still the current one: an answer to a
            // request sent before the user signed in again must not sign them out.
            let current = self.session.0.get_untracked().map(|s| s.token);
            if current.as_deref() == Some(token.as_str()) {
                self.session.expire(SESSION_EXPIRED);
            }
        }
        result
    }

    /// The current token, refreshed first when it is about to run out.
    async fn fresh_token(&self) -> Result<String, ApiError> {
        let session = self
            .session
            .0
            .get_untracked()
            .ok_or_else(|| ApiError::Unauthorized("you are signed out".into()))?;
        if session.refresh_token.is_none() || !session.expires_within(now_ms(), REFRESH_MARGIN_MS) {
            return Ok(session.token);
        }
        self.refresh(&session).await
    }

    /// Trades the session's refresh token for a new token and stores it. A refused refresh
    /// ends the session; network trouble leaves it as it is, to be tried again.
    ///
    /// One refresh at a time: a page load fires several requests together, and each finds
    /// the token about to run out. They all wait for the first one's refresh instead of
    /// spending the refresh token again (a platform may take each refresh token only once,
    /// and the losing requests would then sign the user out).
    async fn refresh(&self, session: &Session) -> Result<String, ApiError> {
        let Some(refresh) = session.refresh_token.clone() else {
            return Ok(session.token.clone());
        };
        let under_way = self.refreshing.with_value(|slot| {
            slot.as_ref()
                .filter(|(spent, _)| *spent == refresh)
                .map(|(_, future)| future.clone())
        });
        let future = under_way.unwrap_or_else(|| {
            let (api, session) = (self.clone(), session.clone());
            let future = async move { api.refresh_now(&session).await }
                .boxed_local()
                .shared();
            self.refreshing
                .set_value(Some((refresh.clone(), future.clone())));
            future
        });
        let result = future.await;
        self.refreshing.update_value(|slot| {
            if slot.as_ref().is_some_and(|(spent, _)| *spent == refresh) {
                *slot = None;
            }
        });
        result
    }

    /// The refresh itself, for [`Api::refresh`].
    async fn refresh_now(&self, session: &Session) -> Result<String, ApiError> {
        let Some(refresh) = session.refresh_token.clone() else {
            return Ok(session.token.clone());
        };
        let answer = self
            .token(&TokenRequest::RefreshToken {
                refresh_token: refresh.clone(),
            })
            .await;
        match answer {
            Ok(t) => {
                let next = Session::from_token(
                    &t.id_token,
                    t.refresh_token.or(Some(refresh)),
                    session.persistent,
                )
                .map_err(ApiError::Decode)?;
                let token = next.token.clone();
                // Another refresh, a sign-out or a new sign-in may have happened meanwhile.
                if self.session.0.get_untracked().as_ref() == Some(session) {
                    self.session.sign_in(next);
                }
                Ok(token)
            }
            Err(e) if e.is_transient() => Err(e),
            Err(e) => {
                if self.session.0.get_untracked().as_ref() == Some(session) {
                    self.session.expire(SESSION_EXPIRED);
                }
                Err(ApiError::Unauthorized(e.to_string()))
            }
        }
    }

    /// Acts on the session's expiry ahead of time, so a user who leaves the app open is not
    /// met by a 401 on their next click: refreshes the token [`REFRESH_MARGIN_MS`] before it
    /// runs out (retrying while the network fails), or, for a pasted token that can't be
    /// refreshed, ends the session when it expires. Call once, at the root.
    pub fn keep_token_fresh(&self) {
        let api = self.clone();
        // The pending timer; replacing (dropping) it cancels it.
        let timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
        Effect::new(move |_| {
            timer.set_value(None);
            let Some(session) = api.session.0.get() else {
                return;
            };
            let Some(delay) = session.expiry_timer_ms(now_ms(), REFRESH_MARGIN_MS) else {
                return;
            };
            let api = api.clone();
            // setTimeout's longest delay is 2^31-1 ms; a longer one would fire at once.
            let delay = delay.min(f64::from(i32::MAX)) as u32;
            let timeout = gloo_timers::callback::Timeout::new(delay, move || {
                leptos::task::spawn_local(async move { api.on_expiry_timer(session).await });
            });
            timer.set_value(Some(timeout));
        });
    }

    async fn on_expiry_timer(&self, session: Session) {
        if session.refresh_token.is_none() {
            if self.session.0.get_untracked().as_ref() == Some(&session) {
                self.session.expire(TOKEN_EXPIRED);
            }
            return;
        }
        loop {
            if self.session.0.get_untracked().as_ref() != Some(&session) {
                return;
            }
            match self.refresh(&session).await {
                Err(e) if e.is_transient() => {
                    gloo_timers::future::TimeoutFuture::new(REFRESH_RETRY_MS).await
                }
                _ => return,
            }
        }
    }

    async fn token(&self, req: &TokenRequest) -> Result<TokenResponse, ApiError> {
        let url = format!("{}/token?default", self.config.gate_url);
        self.send(Method::POST, &url, Some(json(req)?), None).await
    }

    /// Signs in with email and password at the gate's `/token?default`.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        persistent: bool,
    ) -> Result<Session, ApiError> {
        let t = self
            .token(&TokenRequest::UserCredentials {
                username: email.trim().to_string(),
                password: password.to_string(),
            })
            .await?;
        Session::from_token(&t.id_token, t.refresh_token, persistent).map_err(ApiError::Decode)
    }

    /// Signs in with a token pasted from the hosted platform: accepted only once
    /// `GET /users/me` answers with it (as `dl.login_token` does). It can't be refreshed.
    pub async fn sign_in_with_token(
        &self,
        token: &str,
        persistent: bool,
    ) -> Result<Session, ApiError> {
        let session = Session::from_token(token, None, persistent).map_err(ApiError::Decode)?;
        if session.expires_within(now_ms(), 0.0) {
            return Err(ApiError::Unauthorized("this token has expired".into()));
        }
        let _: User = self
            .send(
                Method::GET,
                &self.url("/users/me"),
                None,
                Some(&session.token),
            )
            .await?;
        Ok(session)
    }

    /// The signed-in user (`GET /users/me`); also how a pasted token is checked.
    pub async fn me(&self) -> Result<User, ApiError> {
        self.call(Method::GET, "/users/me", None).await
    }

    /// The projects the signed-in user is a member of.
    pub async fn projects(&self) -> Result<Vec<Project>, ApiError> {
        self.call(Method::GET, "/projects", None).await
    }

    pub async fn project(&self, project_id: &str) -> Result<Project, ApiError> {
        self.call(Method::GET, &format!("/projects/{}", enc(project_id)), None)
            .await
    }

    /// The project's members with their roles.
    pub async fn members(&self, project_id: &str) -> Result<Vec<User>, ApiError> {
        self.call(
            Method::GET,
            &format!("/projects/{}/members", enc(project_id)),
            None,
        )
        .await
    }

    /// Every dataset of a project, following `hasNextPage` as the SDK does.
    pub async fn datasets(&self, project_id: &str) -> Result<Vec<Dataset>, ApiError> {
        let mut all = Vec::new();
        for page in 0.. {
            let body = json!({
                "filter": {"$and": []},
                "page": page,
                "pageSize": 1000,
                "resource": "datasets",
                "context": {"projects": [project_id]},
            });
            let p: Page<Dataset> = self
                .call(Method::POST, "/datasets/query", Some(body.to_string()))
                .await?;
            all.extend(p.items);
            if !p.has_next_page {
                break;
            }
        }
        Ok(all)
    }

    pub async fn dataset(&self, dataset_id: &str) -> Result<Dataset, ApiError> {
        self.call(Method::GET, &format!("/datasets/{}", enc(dataset_id)), None)
            .await
    }

    /// Runs a DQL query (the JSON the filter builder prints) over a dataset's items.
    pub async fn query_items(
        &self,
        dataset_id: &str,
        query: &Value,
    ) -> Result<Page<Item>, ApiError> {
        self.call(
            Method::POST,
            &format!("/datasets/{}/query", enc(dataset_id)),
            Some(query.to_string()),
        )
        .await
    }

    /// The dataset's folders (items of type `dir`), sorted by path.
    pub async fn folders(&self, dataset_id: &str) -> Result<Vec<Item>, ApiError> {
        let query = json!({
            "filter": {"$and": [{"type": "dir"}, {"hidden": false}]},
            "sort": {"filename": "ascending"},
            "page": 0,
            "pageSize": 1000,
            "resource": "items",
        });
        Ok(self.query_items(dataset_id, &query).await?.items)
    }

    pub async fn recipe(&self, recipe_id: &str) -> Result<Recipe, ApiError> {
        self.call(Method::GET, &format!("/recipes/{}", enc(recipe_id)), None)
            .await
    }

    /// The tasks of a dataset (`POST /annotationtasks/query`, as `dataset.tasks.list()`).
    pub async fn tasks(&self, project_id: &str, dataset_id: &str) -> Result<Vec<Task>, ApiError> {
        let mut all = Vec::new();
        for page in 0.. {
            let body = json!({
                "filter": {"$and": [{"datasetId": dataset_id}]},
                "page": page,
                "pageSize": 500,
                "resource": "tasks",
                "context": {"projectIds": [project_id]},
            });
            let p: Page<Task> = self
                .call(
                    Method::POST,
                    "/annotationtasks/query",
                    Some(body.to_string()),
                )
                .await?;
            all.extend(p.items);
            if !p.has_next_page {
                break;
            }
        }
        Ok(all)
    }

    pub async fn task(&self, task_id: &str) -> Result<Task, ApiError> {
        self.call(
            Method::GET,
            &format!("/annotationtasks/{}", enc(task_id)),
            None,
        )
        .await
    }

    /// Posts a task payload (built by `annotask_core::draft`); the answer is a Command to follow.
    pub async fn create_task(&self, payload: &Value) -> Result<Command, ApiError> {
        self.call(Method::POST, "/annotationtasks", Some(payload.to_string()))
            .await
    }

    pub async fn command(&self, command_id: &str) -> Result<Command, ApiError> {
        self.call(Method::GET, &format!("/commands/{}", enc(command_id)), None)
            .await
    }

    /// The assignments of a task (`GET /assignments?taskId=…`, as `task.assignments.list()`).
    pub async fn assignments(
        &self,
        project_id: &str,
        task_id: &str,
    ) -> Result<Vec<Assignment>, ApiError> {
        let path = format!(
            "/assignments?projects={}&pageSize=500&taskId={}",
            enc(project_id),
            enc(task_id)
        );
        let p: Page<Assignment> = self.call(Method::GET, &path, None).await?;
        Ok(p.items)
    }
}

/// Percent-encodes one path or query component.
fn enc(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

fn json<B: Serialize>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))
}

/// Browsers report every network failure as an opaque TypeError; say what it likely means.
/// A time limit on one request: aborts it through an `AbortController` when the time is up.
/// Dropping it (the request finished, or the page that wanted it is gone) cancels the timer.
struct Deadline {
    controller: web_sys::AbortController,
    expired: std::rc::Rc<std::cell::Cell<bool>>,
    ms: u32,
    _timer: gloo_timers::callback::Timeout,
}

impl Deadline {
    /// A running deadline, or `None` for 0 (no limit) or if the browser lacks AbortController.
    fn start(ms: u32) -> Option<Deadline> {
        if ms == 0 {
            return None;
        }
        let controller = web_sys::AbortController::new().ok()?;
        let expired = std::rc::Rc::new(std::cell::Cell::new(false));
        let timer = {
            let controller = controller.clone();
            let expired = expired.clone();
            gloo_timers::callback::Timeout::new(ms, move || {
                expired.set(true);
                controller.abort();
            })
        };
        Some(Deadline {
            controller,
            expired,
            ms,
            _timer: timer,
        })
    }

    fn signal(&self) -> web_sys::AbortSignal {
        self.controller.signal()
    }
}

/// The error for a failed fetch: a timeout if our deadline aborted it, else network trouble.
fn network_error(raw: &str, deadline: Option<&Deadline>) -> ApiError {
    match deadline {
        Some(d) if d.expired.get() => ApiError::Timeout {
            seconds: d.ms.div_ceil(1000),
        },
        _ => ApiError::Network(network_message(raw)),
    }
}

fn network_message(raw: &str) -> String {
    if raw.contains("Failed to fetch") || raw.contains("NetworkError") {
        "the server did not answer (is it running, and does it allow this site?)".into()
    } else {
        raw.to_string()
    }
}
