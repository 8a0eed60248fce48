//! One page of a list response: `{"items": [...], "totalItemsCount", "totalPagesCount", "hasNextPage"}`.

use serde::{Deserialize, Serialize};

/// One page of results, as `POST …/query` endpoints return them (the SDK loops while
/// `hasNextPage`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The entities of this page.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// The number of matching entities over all pages.
    #[serde(default)]
    pub total_items_count: u64,
    /// The number of pages.
    #[serde(default)]
    pub total_pages_count: u64,
    /// Whether a later page exists.
    #[serde(default)]
    pub has_next_page: bool,
}

impl<T> Page<T> {
    /// Page `page` (zero-based) of `all`, `page_size` entities per page (0 counts as 1).
    pub fn paginate(all: Vec<T>, page: u32, page_size: u32) -> Page<T> {
        let total = all.len();
        let size = page_size.max(1) as usize;
        let start = (page as usize).saturating_mul(size).min(total);
        let end = start.saturating_add(size).min(total);
        let items = all.into_iter().skip(start).take(end - start).collect();
        Page {
            items,
            total_items_count: total as u64,
            total_pages_count: total.div_ceil(size) as u64,
            has_next_page: end < total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paginates() {
        let page = Page::paginate((0..5).collect::<Vec<_>>(), 1, 2);
        assert_eq!(page.items, [2, 3]);
        assert_eq!(
            (
                page.total_items_count,
                page.total_pages_count,
                page.has_next_page
            ),
            (5, 3, true)
        );
        let last = Page::paginate((0..5).collect::<Vec<_>>(), 2, 2);
        assert_eq!((last.items, last.has_next_page), (vec![4], false));
        let beyond = Page::paginate((0..5).collect::<Vec<_>>(), 9, 2);
        assert!(beyond.items.is_empty() && !beyond.has_next_page);
        let empty = Page::<u8>::paginate(vec![], 0, 1000);
        assert_eq!((empty.total_pages_count, empty.has_next_page), (0, false));
    }

    #[test]
    fn serializes_in_camel_case() {
        let page = Page::paginate(vec!["a"], 0, 10);
        assert_eq!(
            serde_json::to_string(&page).unwrap(),
            r#"{"items":["a"],"totalItemsCount":1,"totalPagesCount":1,"hasNextPage":false}"#
        );
        let read: Page<String> =
            serde_json::from_value(json!({"items": ["x"], "hasNextPage": true})).unwrap();
        assert!(read.has_next_page && read.total_items_count == 0);
    }
}
