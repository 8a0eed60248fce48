//! DQL requests (`{"filter", "join", "sort", "page", "pageSize", "resource"}`) parsed and
//! evaluated with annotask-core's `dql` module, and the paged answer `{"items",
//! "totalItemsCount", "totalPagesCount", "hasNextPage"}`.

use std::cmp::Ordering;

use annotask_core::dql::{self, CompiledQuery, FilterNode, GroupOp, Operator, Query, SortDir};
use annotask_core::validate;
use annotask_core::{shorten, MAX_QUOTED_CHARS};
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};

/// The project ids a query's `context` names, under the first of `keys` present (the SDK
/// writes `{"context": {"projects": [...]}}` for datasets and `"projectIds"` for tasks; both
/// are read, in that order of preference). `None` when there is no such list.
pub fn context_projects(body: &Value, keys: [&str; 2]) -> Option<Vec<String>> {
    keys.iter()
        .find_map(|key| body.get("context")?.get(key))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
}

/// The largest `pageSize` (the SDK's maximum too).
pub const MAX_PAGE_SIZE: usize = 1000;

/// A parsed, validated DQL request, compiled once for matching (see
/// [`annotask_core::dql::compiled`]): a request is evaluated against every item of a dataset.
#[derive(Debug, Clone)]
pub struct ResourceQuery {
    query: Query,
    compiled: CompiledQuery,
    /// A lower bound on `id` that the filter implies at its top level (the SDK's keyset paging
    /// adds `{"id": {"$gt": last}}`): `(id, inclusive)`. Lets an id-ordered scan skip ahead.
    pub id_lower_bound: Option<(String, bool)>,
}

impl ResourceQuery {
    /// Parses a DQL body for `resource` strictly (unknown operators and malformed shapes are
    /// 400s naming their path) and checks the query's size limits
    /// ([`validate::validate_query_limits`]: a 2 MB glob or a million conditions are 400s, not
    /// minutes of CPU). A body without `filter` gets the SDK's defaults for that resource (for
    /// items: not hidden, files only).
    pub fn parse(body: &Value, resource: &str) -> ApiResult<ResourceQuery> {
        let obj = body
            .as_object()
            .ok_or_else(|| ApiError::bad_request("the query must be a JSON object"))?;
        if let Some(r) = obj.get("resource") {
            if r.as_str() != Some(resource) {
                return Err(ApiError::field(
                    "resource",
                    "query.resource",
                    format!(
                        "this endpoint queries resource \"{resource}\", not {}",
                        shorten(&r.to_string(), MAX_QUOTED_CHARS)
                    ),
                ));
            }
        }
        let mut body = obj.clone();
        body.insert("resource".into(), json!(resource));
        if !body.contains_key("filter") {
            body.insert("filter".into(), default_filter(resource));
        }
        if body.get("filter").is_some_and(Value::is_null) {
            body.insert("filter".into(), json!({}));
        }
        let query = Query::parse(&Value::Object(body)).map_err(|e| {
            let field = if e.path.is_empty() {
                "query".to_string()
            } else {
                e.path.clone()
            };
            ApiError::field(&field, "query.invalid", format!("invalid query: {e}"))
        })?;
        let too_large = validate::validate_query_limits(&query);
        if let Some(first) = too_large.first() {
            let message = match too_large.len() {
                1 => format!("invalid query: {first}"),
                n => format!("invalid query: {n} problems, the first {first}"),
            };
            return Err(ApiError::invalid(message, too_large));
        }
        if query.page_size as usize > MAX_PAGE_SIZE {
            return Err(ApiError::field(
                "pageSize",
                "query.page_size",
                format!(
                    "pageSize must be at most {MAX_PAGE_SIZE}, not {}",
                    query.page_size
                ),
            ));
        }
        if let Some(join) = &query.join {
            if resource != "items" || join.on.resource != "annotations" {
                return Err(ApiError::field(
                    "join.on.resource",
                    "query.join",
                    "joins are supported only from items to their annotations",
                ));
            }
        }
        Ok(ResourceQuery::from_query(query))
    }

    /// A query built in code, or already validated with its limits (a task's query, checked
    /// by [`validate::validate`]).
    pub fn from_query(query: Query) -> ResourceQuery {
        let id_lower_bound = id_lower_bound(&query.filter);
        ResourceQuery {
            compiled: query.compile(),
            query,
            id_lower_bound,
        }
    }

    /// The query.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// What identifies the query's result regardless of the page asked for.
    pub fn result_key(&self) -> String {
        let mut json = self.query.to_json();
        if let Some(obj) = json.as_object_mut() {
            obj.remove("page");
            obj.remove("pageSize");
        }
        json.to_string()
    }

    /// Whether a document (with its annotations, for joins) matches.
    pub fn matches(&self, doc: &Value, annotations: &[Value]) -> bool {
        self.compiled.matches_item(doc, annotations)
    }

    /// Whether the query has a join (and so needs the items' annotations).
    pub fn has_join(&self) -> bool {
        self.query.join.is_some()
    }

    /// Orders two documents by the requested sort, then by id.
    pub fn compare(&self, a: &Value, b: &Value) -> Ordering {
        dql::compare_items(&self.query.sort, a, b)
    }

    /// Whether the result is already in id order (no sort, or sort by id ascending).
    pub fn sorted_by_id(&self) -> bool {
        match self.query.sort.as_slice() {
            [] => true,
            [(field, SortDir::Ascending)] => field == "id",
            _ => false,
        }
    }

    pub fn page(&self) -> usize {
        self.query.page as usize
    }

    pub fn page_size(&self) -> usize {
        self.query.page_size as usize
    }

    /// The index range of the requested page within `total` results.
    pub fn page_range(&self, total: usize) -> std::ops::Range<usize> {
        let start = self.page().saturating_mul(self.page_size()).min(total);
        start..start.saturating_add(self.page_size()).min(total)
    }
}

/// The tightest `id` lower bound among the top-level AND conditions of a filter.
fn id_lower_bound(filter: &FilterNode) -> Option<(String, bool)> {
    fn collect<'a>(node: &'a FilterNode, out: &mut Vec<&'a FilterNode>) {
        match node {
            FilterNode::Group {
                op: GroupOp::And,
                children,
                ..
            } => {
                for child in children {
                    collect(child, out);
                }
            }
            other => out.push(other),
        }
    }
    let mut conditions = Vec::new();
    collect(filter, &mut conditions);
    let mut best: Option<(String, bool)> = None;
    for node in conditions {
        let FilterNode::Condition {
            field,
            operator,
            value: Value::String(bound),
        } = node
        else {
            continue;
        };
        let inclusive = match operator {
            Operator::Gt => false,
            Operator::Gte => true,
            _ => continue,
        };
        if field != "id" {
            continue;
        }
        let tighter = match &best {
            None => true,
            Some((b, inc)) => bound > b || (bound == b && *inc && !inclusive),
        };
        if tighter {
            best = Some((bound.clone(), inclusive));
        }
    }
    best
}

/// The whole DQL body the SDK's `Filters()` sends for a resource.
pub fn default_filter_query(resource: &str) -> Value {
    json!({"filter": default_filter(resource), "page": 0, "pageSize": MAX_PAGE_SIZE, "resource": resource})
}

/// The filter the SDK's `Filters()` sends by default for a resource.
pub fn default_filter(resource: &str) -> Value {
    match resource {
        "items" => Query::items_default().filter.to_json(),
        _ => json!({}),
    }
}

/// The paged answer.
pub fn page_json(request: &ResourceQuery, total: usize, items: Vec<Value>) -> Value {
    let size = request.page_size();
    let pages = if size == 0 { 0 } else { total.div_ceil(size) };
    json!({
        "totalItemsCount": total,
        "items": items,
        "totalPagesCount": pages,
        "hasNextPage": size > 0 && (request.page() + 1).saturating_mul(size) < total,
    })
}

/// Filters, sorts and pages a list of documents.
pub fn page_of_documents(request: &ResourceQuery, docs: Vec<Value>) -> Value {
    let mut found: Vec<Value> = docs
        .into_iter()
        .filter(|d| request.matches(d, &[]))
        .collect();
    found.sort_by(|a, b| request.compare(a, b));
    let total = found.len();
    let range = request.page_range(total);
    let page = found.drain(range).collect();
    page_json(request, total, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_keyset_bound() {
        let q = ResourceQuery::parse(
            &json!({"filter": {"$and": [{"hidden": false}, {"id": {"$gt": "b"}}, {"id": {"$gte": "c"}}]}}),
            "items",
        )
        .unwrap();
        assert_eq!(q.id_lower_bound, Some(("c".to_string(), true)));
        let q = ResourceQuery::parse(&json!({"filter": {"$or": [{"id": {"$gt": "b"}}]}}), "items")
            .unwrap();
        assert_eq!(q.id_lower_bound, None);
    }

    #[test]
    fn missing_filter_means_the_defaults() {
        let q = ResourceQuery::parse(&json!({}), "items").unwrap();
        assert!(q.matches(&json!({"hidden": false, "type": "file"}), &[]));
        assert!(!q.matches(&json!({"hidden": true, "type": "file"}), &[]));
        assert!(ResourceQuery::parse(&json!({"pageSize": 1001}), "items").is_err());
        assert!(ResourceQuery::parse(&json!({"resource": "tasks"}), "items").is_err());
    }

    #[test]
    fn queries_over_the_limits_are_refused_with_their_path() {
        let glob = "*a".repeat(validate::MAX_DQL_STRING_CHARS);
        let err = ResourceQuery::parse(
            &json!({"filter": {"$and": [{"hidden": false}, {"filename": glob}]}}),
            "items",
        )
        .unwrap_err();
        assert_eq!(err.status, axum::http::StatusCode::BAD_REQUEST);
        assert_eq!(err.errors.len(), 1);
        assert_eq!(err.errors[0].field, "filter.$and[1].filename");
        assert_eq!(err.errors[0].code, validate::codes::QUERY_VALUE_TOO_LONG);
        assert_eq!(
            err.message,
            "invalid query: filter.$and[1].filename: A value has 8192 characters; the limit is 4096."
        );
        // The same applies to every resource, in joins too.
        let list: Vec<usize> = (0..=validate::MAX_DQL_LIST_VALUES).collect();
        for resource in ["tasks", "datasets"] {
            let err = ResourceQuery::parse(&json!({"filter": {"id": {"$in": list}}}), resource)
                .unwrap_err();
            assert_eq!(err.errors[0].code, validate::codes::QUERY_LIST_TOO_LONG);
        }
        let join = json!({"on": {"resource": "annotations", "local": "itemId", "forigen": "id"},
                          "filter": {"label": {"$nin": list}}});
        let err = ResourceQuery::parse(&json!({"join": join}), "items").unwrap_err();
        assert_eq!(err.errors[0].field, "join.filter.label");
    }
}
