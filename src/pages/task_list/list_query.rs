//! What part of a dataset's tasks the list shows: the search, filters, sort order and page,
//! kept in the URL's query (`?q=cat&type=qa&status=open&sort=name&page=2`) so that reload,
//! Back/Forward and shared links keep them.
//!
//! Plain data and functions, no signals: the page wires them to the router.

use annotask_core::entities::{Task, TaskStatus, TaskType};
use annotask_core::iso8601;
use std::cmp::Ordering;

/// Tasks per page.
pub const PAGE_SIZE: usize = 20;

/// The statuses a task can have, for the status filter.
pub const STATUSES: [TaskStatus; 5] = [
    TaskStatus::Open,
    TaskStatus::InProgress,
    TaskStatus::Completed,
    TaskStatus::CompletedWithIssues,
    TaskStatus::Dismissed,
];

/// The order of the list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TaskSort {
    /// Soonest due first; tasks without a due date last.
    #[default]
    DueDate,
    /// By name, A to Z, ignoring case.
    Name,
    /// Most recently created first.
    Newest,
}

impl TaskSort {
    pub const ALL: [TaskSort; 3] = [TaskSort::DueDate, TaskSort::Name, TaskSort::Newest];

    /// The value in the URL.
    pub fn as_param(self) -> &'static str {
        match self {
            TaskSort::DueDate => "due",
            TaskSort::Name => "name",
            TaskSort::Newest => "newest",
        }
    }

    pub fn parse(text: &str) -> Option<TaskSort> {
        TaskSort::ALL.into_iter().find(|s| s.as_param() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskSort::DueDate => "Due date",
            TaskSort::Name => "Name",
            TaskSort::Newest => "Newest",
        }
    }
}

/// The list's search, filters, order and page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskListQuery {
    /// Part of the task name, any case.
    pub search: String,
    pub task_type: Option<TaskType>,
    pub status: Option<TaskStatus>,
    pub sort: TaskSort,
    /// 1-based.
    pub page: usize,
}

/// One page of the list, and where it stands in the whole.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskListPage {
    /// The tasks on this page, in order.
    pub rows: Vec<Task>,
    /// Tasks matching the search and filters, over all pages.
    pub matching: usize,
    /// The page shown (1-based; the last page when the asked one is past the end).
    pub page: usize,
    /// At least 1.
    pub page_count: usize,
}

impl TaskListPage {
    /// The 1-based positions of the first and last rows: "Showing 21–40 of 57".
    pub fn range(&self) -> (usize, usize) {
        if self.rows.is_empty() {
            return (0, 0);
        }
        let first = (self.page - 1) * PAGE_SIZE + 1;
        (first, first + self.rows.len() - 1)
    }
}

impl TaskListQuery {
    /// Reads the URL's query parameters; unknown or malformed values fall back to defaults.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> TaskListQuery {
        TaskListQuery {
            search: get("q").unwrap_or_default(),
            task_type: get("type").as_deref().and_then(TaskType::parse),
            status: get("status")
                .filter(|s| !s.is_empty())
                .map(|s| TaskStatus::parse(&s)),
            sort: get("sort")
                .as_deref()
                .and_then(TaskSort::parse)
                .unwrap_or_default(),
            page: get("page")
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    /// The query string (without `?`), leaving out what is at its default so plain lists
    /// have plain URLs.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        let mut push = |key: &str, value: &str| {
            parts.push(format!(
                "{key}={}",
                String::from(js_sys::encode_uri_component(value))
            ));
        };
        if !self.search.is_empty() {
            push("q", &self.search);
        }
        if let Some(t) = self.task_type {
            push("type", t.as_str());
        }
        if let Some(s) = &self.status {
            push("status", s.as_str());
        }
        if self.sort != TaskSort::default() {
            push("sort", self.sort.as_param());
        }
        if self.page > 1 {
            push("page", &self.page.to_string());
        }
        parts.join("&")
    }

    /// Whether the search or a filter hides some tasks.
    pub fn is_filtered(&self) -> bool {
        !self.search.trim().is_empty() || self.task_type.is_some() || self.status.is_some()
    }

    /// The same search and filters, back on page 1 (after any of them changes).
    pub fn first_page(self) -> TaskListQuery {
        TaskListQuery { page: 1, ..self }
    }

    /// Whether `task` passes the search and filters.
    pub fn matches(&self, task: &Task) -> bool {
        let needle = self.search.trim().to_lowercase();
        (needle.is_empty() || task.name.to_lowercase().contains(&needle))
            && self.task_type.is_none_or(|t| task.task_type() == t)
            && self.status.as_ref().is_none_or(|s| &task.status == s)
    }

    /// Filters, sorts and pages `tasks`.
    pub fn apply(&self, tasks: &[Task]) -> TaskListPage {
        let mut matching: Vec<&Task> = tasks.iter().filter(|t| self.matches(t)).collect();
        matching.sort_by(|a, b| self.compare(a, b));
        let page_count = matching.len().div_ceil(PAGE_SIZE).max(1);
        let page = self.page.clamp(1, page_count);
        let rows = matching
            .iter()
            .skip((page - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .map(|t| (*t).clone())
            .collect();
        TaskListPage {
            rows,
            matching: matching.len(),
            page,
            page_count,
        }
    }

    fn compare(&self, a: &Task, b: &Task) -> Ordering {
        let by_name = || {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.id.cmp(&b.id))
        };
        match self.sort {
            TaskSort::DueDate => match (a.due_date, b.due_date) {
                (Some(x), Some(y)) => x.total_cmp(&y).then_with(by_name),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => by_name(),
            },
            TaskSort::Name => by_name(),
            TaskSort::Newest => {
                let created = |t: &Task| iso8601::parse_millis(&t.created_at).unwrap_or(i64::MIN);
                created(b).cmp(&created(a)).then_with(by_name)
            }
        }
    }
}
