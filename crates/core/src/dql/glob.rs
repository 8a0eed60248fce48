//! Globs in DQL equality values.
//!
//! DQL has no glob operator: a plain-equality string value containing `*` is a glob (contract
//! §4), e.g. `{"filename": "*.jpg"}`, `{"filename": "/folder1/**"}`,
//! `{"metadata.system.mimetype": "image*"}`. Matches are anchored at both ends. There is no
//! escape for a literal `*`; `?` and `[...]` have no special meaning.
//!
//! How far a `*` reaches depends on the field ([`field_glob_matches`]):
//!
//! - In the path fields `filename` and `dir`, `*` is any run of characters without `/` and
//!   `**` any run including `/`: `/folder1/*` is the folder's own files, `/folder1/**`
//!   everything below it (the SDK's recursive rewrite `/folder1` → `/folder1/**`). A pattern
//!   without any `/` is matched against the last path segment, so `{"filename": "*.jpg"}`
//!   selects every JPEG wherever it is, as the platform's own examples use it (filenames
//!   always start with `/`, so a whole-path match could never succeed).
//! - In every other field `*` is any run of characters: the platform's documented idiom
//!   `{"metadata.system.mimetype": "image*"}` must select `image/jpeg`.

/// Whether `value` is a glob pattern, i.e. contains `*`.
pub fn is_glob(value: &str) -> bool {
    value.contains('*')
}

/// Whether `field` holds a path, where a single `*` stops at `/`.
pub fn is_path_field(field: &str) -> bool {
    matches!(field, "filename" | "dir")
}

/// Whether the value `text` of `field` matches `pattern`, with the field-dependent reach of
/// `*` described in the [module docs](self).
pub fn field_glob_matches(field: &str, pattern: &str, text: &str) -> bool {
    if !is_path_field(field) {
        glob_matches(pattern, text, false)
    } else if pattern.contains('/') {
        glob_matches(pattern, text, true)
    } else {
        let last_segment = text.rsplit('/').next().unwrap_or(text);
        glob_matches(pattern, last_segment, true)
    }
}

/// Whether `text` matches `pattern` as a whole. With `path_aware`, `*` does not cross `/`
/// while `**` (or a longer run of stars) does; without it, every run of stars crosses `/`.
pub fn glob_matches(pattern: &str, text: &str, path_aware: bool) -> bool {
    let tokens = tokenize(pattern, path_aware);
    let text: Vec<char> = text.chars().collect();
    // matches[j]: the tokens from the current one onwards match text[j..]. Filled from the
    // last token backwards, so this is O(tokens × text) time and O(text) memory.
    let mut next = vec![false; text.len() + 1];
    next[text.len()] = true;
    for token in tokens.iter().rev() {
        let mut current = vec![false; text.len() + 1];
        for j in (0..=text.len()).rev() {
            current[j] = match token {
                Token::Char(c) => j < text.len() && text[j] == *c && next[j + 1],
                Token::Star { crosses_slash } => {
                    next[j]
                        || (j < text.len() && (*crosses_slash || text[j] != '/') && current[j + 1])
                }
            };
        }
        next = current;
    }
    next[0]
}

#[derive(Debug, PartialEq)]
enum Token {
    /// A literal character.
    Char(char),
    /// A run of stars: any run of characters, stopping at `/` unless `crosses_slash`.
    Star { crosses_slash: bool },
}

fn tokenize(pattern: &str, path_aware: bool) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '*' {
            tokens.push(Token::Char(c));
            continue;
        }
        let mut stars = 1;
        while chars.peek() == Some(&'*') {
            chars.next();
            stars += 1;
        }
        tokens.push(Token::Star {
            crosses_slash: !path_aware || stars > 1,
        });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_star_stops_at_slash_in_paths() {
        assert!(glob_matches("*.jpg", "a.jpg", true));
        assert!(glob_matches("/folder1/*", "/folder1/a.jpg", true));
        assert!(!glob_matches("/folder1/*", "/folder1/sub/a.jpg", true));
        assert!(!glob_matches("*.jpg", "/folder1/a.jpg", true));
        assert!(glob_matches("/*.jpg", "/a.jpg", true));
    }

    #[test]
    fn double_star_crosses_slash() {
        assert!(glob_matches("/folder1/**", "/folder1/sub/a.jpg", true));
        assert!(glob_matches("/folder1/**", "/folder1/", true));
        assert!(!glob_matches("/folder1/**", "/folder10/a.jpg", true));
        assert!(glob_matches("**.jpg", "/x/y/a.jpg", true));
        assert!(glob_matches("/**/a.jpg", "/x/y/a.jpg", true));
        assert!(glob_matches("***", "/x/y", true));
    }

    #[test]
    fn outside_paths_a_star_matches_anything() {
        assert!(glob_matches("image*", "image/jpeg", false));
        assert!(glob_matches("*/png", "image/png", false));
        assert!(!glob_matches("image*", "video/mp4", false));
    }

    #[test]
    fn matches_are_anchored_and_literal() {
        assert!(glob_matches("a*c", "abc", true));
        assert!(glob_matches("a*c", "ac", true));
        assert!(!glob_matches("a*c", "abcd", true));
        assert!(!glob_matches("a*c", "xabc", true));
        assert!(glob_matches("a?c*", "a?cdef", true));
        assert!(!glob_matches("a?c*", "abcdef", true));
        assert!(glob_matches("", "", true));
        assert!(!glob_matches("", "a", true));
        assert!(glob_matches("*", "", true));
        assert!(glob_matches("é*ü", "éaü", true));
    }

    #[test]
    fn field_rules() {
        assert!(field_glob_matches(
            "filename",
            "*.jpg",
            "/folder1/sub/a.jpg"
        ));
        assert!(!field_glob_matches("filename", "*.jpg", "/folder1/a.png"));
        assert!(field_glob_matches("filename", "a*", "/x/a.jpg"));
        assert!(field_glob_matches(
            "filename",
            "/folder1/*",
            "/folder1/a.jpg"
        ));
        assert!(!field_glob_matches(
            "filename",
            "/folder1/*",
            "/folder1/sub/a.jpg"
        ));
        assert!(field_glob_matches(
            "filename",
            "/folder1/**",
            "/folder1/sub/a.jpg"
        ));
        assert!(field_glob_matches("dir", "/folder1/*", "/folder1/sub"));
        assert!(!field_glob_matches(
            "dir",
            "/folder1/*",
            "/folder1/sub/deeper"
        ));
        assert!(field_glob_matches(
            "metadata.system.mimetype",
            "image*",
            "image/jpeg"
        ));
        assert!(field_glob_matches(
            "createdAt",
            "2024-03-*",
            "2024-03-05T10:00:00.000Z"
        ));
    }

    #[test]
    fn recognises_globs_and_path_fields() {
        assert!(is_glob("*.jpg"));
        assert!(!is_glob("a.jpg"));
        assert!(is_path_field("filename"));
        assert!(is_path_field("dir"));
        assert!(!is_path_field("metadata.system.mimetype"));
    }
}
