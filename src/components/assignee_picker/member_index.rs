//! The picker's search index: the members who may annotate, sorted by name, each with a
//! lowercase haystack computed once. A keystroke then costs one substring scan per member and
//! no allocation per member, which keeps 10,000 members well within a frame.

use std::collections::HashMap;

use annotask_core::entities::{Member, Role};

/// One member the picker offers.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The e-mail, which is what a task names its assignees by.
    pub email: String,
    /// The e-mail in lowercase: how the picker compares e-mails.
    pub key: String,
    /// "First Last", else the username, else the e-mail.
    pub name: String,
    /// The role in the project, as people read it ("Annotation manager").
    pub role: String,
    /// `name` and `email` in lowercase, what a query is matched against.
    haystack: String,
}

/// The candidates in display order, plus a lookup by e-mail.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberIndex {
    candidates: Vec<Candidate>,
    /// Lowercase e-mail → position in `candidates`.
    by_email: HashMap<String, u32>,
}

impl MemberIndex {
    /// Indexes the members whose role may annotate ([`Member::may_annotate`]); the others
    /// are not offered at all. A member listed twice (same e-mail) is offered once.
    pub fn new(members: &[Member]) -> MemberIndex {
        let mut candidates: Vec<Candidate> = members
            .iter()
            .filter(|m| m.may_annotate() && !m.email.trim().is_empty())
            .map(|m| {
                let name = m.display_name();
                let email = m.email.trim().to_owned();
                let haystack = format!("{name}\u{1f}{email}").to_lowercase();
                Candidate {
                    key: email.to_lowercase(),
                    role: m.role.as_ref().map(role_label).unwrap_or_default(),
                    email,
                    name,
                    haystack,
                }
            })
            .collect();
        candidates.sort_by_cached_key(|c| (c.name.to_lowercase(), c.email.to_lowercase()));
        let mut by_email = HashMap::with_capacity(candidates.len());
        candidates.retain(|c| {
            let next = by_email.len() as u32;
            by_email.insert(c.key.clone(), next).is_none()
        });
        MemberIndex {
            candidates,
            by_email,
        }
    }

    /// How many members are offered.
    pub fn len(&self) -> usize {
        self.candidates.len()
    }

    /// Whether no member is offered.
    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }

    /// The candidate at `position` (as returned by [`MemberIndex::search`]).
    pub fn get(&self, position: u32) -> Option<&Candidate> {
        self.candidates.get(position as usize)
    }

    /// The candidate with this e-mail (compared case-insensitively).
    pub fn find(&self, email: &str) -> Option<&Candidate> {
        self.by_email
            .get(&email.trim().to_lowercase())
            .and_then(|&i| self.get(i))
    }

    /// The positions of the candidates matching `query`: every whitespace-separated word of
    /// it must occur in the name or the e-mail, ignoring case ("ann 3" finds "Annotator 3").
    /// An empty query matches everyone.
    pub fn search(&self, query: &str) -> Vec<u32> {
        let query = query.to_lowercase();
        let words: Vec<&str> = query.split_whitespace().collect();
        self.candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| words.iter().all(|w| c.haystack.contains(w)))
            .map(|(i, _)| i as u32)
            .collect()
    }
}

/// A role as people read it.
pub fn role_label(role: &Role) -> String {
    match role {
        Role::Owner => "Owner".into(),
        Role::Engineer => "Engineer".into(),
        Role::AnnotationManager => "Annotation manager".into(),
        Role::Annotator => "Annotator".into(),
        Role::Other(other) => other.clone(),
    }
}
