//! The arithmetic of the virtualised listbox: every row has the same height, so the rows in
//! view follow from the scroll offset alone and nothing needs measuring.

use std::ops::Range;

/// The height of one option, in CSS pixels (the stylesheet uses the same value).
pub const ROW_HEIGHT: f64 = 48.0;
/// How many rows the open listbox shows at most before it scrolls.
pub const VISIBLE_ROWS: usize = 7;
/// Rows rendered beyond each edge of the viewport, so a fast scroll shows no gap.
pub const OVERSCAN: usize = 4;

/// The listbox's height for `total` options.
pub fn viewport_height(total: usize) -> f64 {
    total.min(VISIBLE_ROWS) as f64 * ROW_HEIGHT
}

/// The rows to render at scroll offset `scroll_top`: those in view plus the overscan.
pub fn visible_range(scroll_top: f64, total: usize) -> Range<usize> {
    if total == 0 {
        return 0..0;
    }
    let first = (scroll_top.max(0.0) / ROW_HEIGHT).floor() as usize;
    let start = first.saturating_sub(OVERSCAN).min(total);
    let end = (first + VISIBLE_ROWS + 1 + OVERSCAN).min(total);
    start..end
}

/// The scroll offset that shows row `index` whole, moving as little as possible.
pub fn reveal(scroll_top: f64, index: usize, total: usize) -> f64 {
    let top = index as f64 * ROW_HEIGHT;
    let bottom = top + ROW_HEIGHT;
    let height = viewport_height(total);
    if top < scroll_top {
        top
    } else if bottom > scroll_top + height {
        bottom - height
    } else {
        scroll_top
    }
}
