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
//!
//! [`field_glob_matches`] and [`glob_matches`] read the pattern on every call; they are the
//! reference. A query run over many documents compiles each pattern once into a
//! [`FieldGlob`] (see [`super::compiled`]), which matches the same texts in time linear in
//! the text for the usual patterns (`image*`, `*.jpg`, `/folder1/**`).

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
    // Each literal takes one character, so a text with fewer characters cannot match: this
    // turns away a huge pattern at once instead of filling a table as large as both.
    let literals = tokens
        .iter()
        .filter(|t| matches!(t, Token::Char(_)))
        .count();
    if literals > text.chars().count() {
        return false;
    }
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

/// A glob pattern compiled for one field: [`field_glob_matches`] with the pattern read once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldGlob {
    glob: Glob,
    /// Match the text's last path segment rather than the whole text (a pattern without `/`
    /// in a path field).
    last_segment: bool,
}

impl FieldGlob {
    /// Compiles `pattern` for values of `field`.
    pub fn new(field: &str, pattern: &str) -> FieldGlob {
        let path_field = is_path_field(field);
        FieldGlob {
            glob: Glob::new(pattern, path_field),
            last_segment: path_field && !pattern.contains('/'),
        }
    }

    /// Whether the value `text` matches: the same answer as [`field_glob_matches`].
    pub fn matches(&self, text: &str) -> bool {
        if self.last_segment {
            self.glob.matches(text.rsplit('/').next().unwrap_or(text))
        } else {
            self.glob.matches(text)
        }
    }
}

/// A glob pattern compiled once for matching many texts: [`glob_matches`] without reading
/// the pattern again.
///
/// The pattern is split into the literal text before its first star, the literal text after
/// its last star, and the tokens between. A text must start and end with those literals (a
/// comparison of bytes); then a single star in between only has to check for `/`. When every
/// star crosses `/` (any field but `filename` and `dir`, or `**`), the literals between the
/// stars are found one after the other, each as far left as it occurs: time linear in the
/// text, whatever the pattern. Otherwise a small automaton runs over the middle of the text:
/// bit-parallel in one word when the middle has under 64 tokens, one flag per token beyond
/// (time proportional to text × pattern, for long path patterns only). Either way a text is
/// read once, and turned away as soon as no token position is left alive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    /// The literal characters before the first star; the whole pattern when it has none.
    prefix: String,
    /// The literal characters after the last star (empty without stars).
    suffix: String,
    /// The tokens from the first star to the last one, both included; empty without stars.
    middle: Vec<Token>,
    /// The number of literal characters of the whole pattern.
    literals: usize,
    /// The literals between the stars of `middle`, when all of its stars cross `/`.
    segments: Option<Vec<String>>,
    /// The automaton over `middle` when it fits a word.
    small: Option<SmallNfa>,
}

impl Glob {
    /// Compiles `pattern`; `path_aware` as for [`glob_matches`].
    pub fn new(pattern: &str, path_aware: bool) -> Glob {
        let tokens = tokenize(pattern, path_aware);
        let literals = tokens
            .iter()
            .filter(|t| matches!(t, Token::Char(_)))
            .count();
        let literal_text = |tokens: &[Token]| -> String {
            tokens
                .iter()
                .map(|t| match t {
                    Token::Char(c) => *c,
                    Token::Star { .. } => unreachable!("only literal runs are joined"),
                })
                .collect()
        };
        let is_star = |t: &Token| matches!(t, Token::Star { .. });
        let (prefix, suffix, middle) = match (
            tokens.iter().position(is_star),
            tokens.iter().rposition(is_star),
        ) {
            (Some(first), Some(last)) => (
                literal_text(&tokens[..first]),
                literal_text(&tokens[last + 1..]),
                tokens[first..=last].to_vec(),
            ),
            _ => (literal_text(&tokens), String::new(), Vec::new()),
        };
        let all_cross = middle.iter().all(|t| {
            matches!(
                t,
                Token::Char(_)
                    | Token::Star {
                        crosses_slash: true
                    }
            )
        });
        let segments = all_cross.then(|| {
            middle
                .split(|t| matches!(t, Token::Star { .. }))
                .filter(|run| !run.is_empty())
                .map(literal_text)
                .collect()
        });
        let small = SmallNfa::new(&middle);
        Glob {
            prefix,
            suffix,
            middle,
            literals,
            segments,
            small,
        }
    }

    /// Whether `text` matches as a whole: the same answer as [`glob_matches`].
    pub fn matches(&self, text: &str) -> bool {
        // Each literal takes one character, and a character takes at most 4 bytes.
        if self.literals > text.len()
            || (self.literals > text.len() / 4 && self.literals > text.chars().count())
        {
            return false;
        }
        if self.middle.is_empty() {
            return text == self.prefix;
        }
        let (prefix, suffix) = (self.prefix.len(), self.suffix.len());
        if text.len() < prefix + suffix
            || !text.starts_with(&self.prefix)
            || !text.ends_with(&self.suffix)
        {
            return false;
        }
        // Both ends matched whole characters of valid UTF-8, so these are char boundaries.
        let middle = &text[prefix..text.len() - suffix];
        if let Some(segments) = &self.segments {
            // `*L1*L2*…*`: each literal as far left as it occurs leaves the most room for the
            // next; the stars around them match anything.
            let mut rest = middle;
            for segment in segments {
                match rest.find(segment.as_str()) {
                    Some(at) => rest = &rest[at + segment.len()..],
                    None => return false,
                }
            }
            return true;
        }
        match (self.middle.as_slice(), &self.small) {
            ([Token::Star { crosses_slash }], _) => *crosses_slash || !middle.contains('/'),
            (_, Some(nfa)) => nfa.matches(middle),
            (tokens, None) => nfa_matches(tokens, middle),
        }
    }
}

/// The automaton of a token list of under 64 tokens, one bit per position (bit `i`: the
/// tokens before `i` have matched the text read so far; bit `len`: all have).
#[derive(Debug, Clone, PartialEq, Eq)]
struct SmallNfa {
    /// Each literal character of the tokens with the positions it stands at.
    chars: Vec<(char, u64)>,
    /// The positions of stars.
    stars: u64,
    /// The positions of stars that cross `/`.
    crossing: u64,
    /// The bit of the position after the last token.
    accept: u64,
}

impl SmallNfa {
    fn new(tokens: &[Token]) -> Option<SmallNfa> {
        if tokens.len() >= 64 {
            return None;
        }
        let mut nfa = SmallNfa {
            chars: Vec::new(),
            stars: 0,
            crossing: 0,
            accept: 1 << tokens.len(),
        };
        for (i, token) in tokens.iter().enumerate() {
            let bit = 1u64 << i;
            match token {
                Token::Char(c) => match nfa.chars.iter_mut().find(|(d, _)| d == c) {
                    Some((_, positions)) => *positions |= bit,
                    None => nfa.chars.push((*c, bit)),
                },
                Token::Star { crosses_slash } => {
                    nfa.stars |= bit;
                    if *crosses_slash {
                        nfa.crossing |= bit;
                    }
                }
            }
        }
        Some(nfa)
    }

    /// Adds the positions reached by letting a star match nothing. Runs of stars are one
    /// token, so one step suffices.
    fn closure(&self, active: u64) -> u64 {
        active | ((active & self.stars) << 1)
    }

    fn matches(&self, text: &str) -> bool {
        let mut active = self.closure(1);
        for c in text.chars() {
            let literal = self
                .chars
                .iter()
                .find(|(d, _)| *d == c)
                .map_or(0, |(_, positions)| *positions);
            let stars = if c == '/' { self.crossing } else { self.stars };
            active = self.closure(((active & literal) << 1) | (active & stars));
            if active == 0 {
                return false;
            }
        }
        active & self.accept != 0
    }
}

/// The automaton of any token list, one flag per position (see [`SmallNfa`]).
fn nfa_matches(tokens: &[Token], text: &str) -> bool {
    let closure = |active: &mut [bool]| {
        for i in 0..tokens.len() {
            if active[i] && matches!(tokens[i], Token::Star { .. }) {
                active[i + 1] = true;
            }
        }
    };
    let mut active = vec![false; tokens.len() + 1];
    let mut next = vec![false; tokens.len() + 1];
    active[0] = true;
    closure(&mut active);
    for c in text.chars() {
        next.fill(false);
        let mut alive = false;
        for (i, token) in tokens.iter().enumerate() {
            if !active[i] {
                continue;
            }
            match token {
                Token::Char(d) if *d == c => next[i + 1] = true,
                Token::Char(_) => continue,
                Token::Star { crosses_slash } if *crosses_slash || c != '/' => next[i] = true,
                Token::Star { .. } => continue,
            }
            alive = true;
        }
        if !alive {
            return false;
        }
        closure(&mut next);
        std::mem::swap(&mut active, &mut next);
    }
    active[tokens.len()]
}

#[derive(Debug, Clone, PartialEq, Eq)]
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
    fn huge_patterns_are_turned_away_by_their_literals() {
        // Within the limits, against a long text: linear when the stars cross `/`.
        let pattern = format!("{}*", "*a".repeat(2000));
        let text = "a/".repeat(1_000_000);
        assert!(Glob::new(&pattern, false).matches(&text));
        assert!(!Glob::new(&format!("{pattern}b"), false).matches(&text));
        let pattern = "*a".repeat(1_000_000);
        assert!(!glob_matches(&pattern, "/folder1/a.jpg", true));
        assert!(!Glob::new(&pattern, true).matches("/folder1/a.jpg"));
        assert!(!FieldGlob::new("filename", &pattern).matches("/folder1/a.jpg"));
        // Stars alone are one token, whatever their number.
        let stars = "*".repeat(1_000_000);
        assert!(Glob::new(&stars, false).matches("anything/at/all"));
    }

    #[test]
    fn compiled_globs_agree_with_the_reference() {
        let patterns = [
            "",
            "*",
            "**",
            "a",
            "a*",
            "*a",
            "*a*",
            "a*b",
            "a**b",
            "*/*",
            "/folder1/*",
            "/folder1/**",
            "**.jpg",
            "*.jpg",
            "/**/a.jpg",
            "a*b*c",
            "*a*a*a*",
            "é*ü",
            "*/",
            "/*/",
            "a?c*",
            "ab*ab*ab",
            "*b*b*",
        ];
        let texts = [
            "",
            "a",
            "b",
            "ab",
            "aab",
            "abab",
            "ababab",
            "a/b",
            "/",
            "//",
            "/folder1/a.jpg",
            "/folder1/sub/a.jpg",
            "/folder10/a.jpg",
            "/folder1/",
            "x/y/a.jpg",
            "abc",
            "a/b/c",
            "éaü",
            "é/ü",
            "a?cdef",
            "aaa",
            "bbb/b",
        ];
        // Long patterns take the general automaton.
        let long = format!("*{}*", "ab*".repeat(40));
        let long_text = "ab".repeat(50);
        for path_aware in [false, true] {
            for pattern in patterns.iter().copied().chain([long.as_str()]) {
                let glob = Glob::new(pattern, path_aware);
                for text in texts.iter().copied().chain([long_text.as_str()]) {
                    assert_eq!(
                        glob.matches(text),
                        glob_matches(pattern, text, path_aware),
                        "{pattern:?} {text:?} {path_aware}"
                    );
                }
            }
        }
        for field in ["filename", "dir", "name"] {
            for pattern in patterns {
                let glob = FieldGlob::new(field, pattern);
                for text in texts {
                    assert_eq!(
                        glob.matches(text),
                        field_glob_matches(field, pattern, text),
                        "{field} {pattern:?} {text:?}"
                    );
                }
            }
        }
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
