//! Entity ids: 24 lowercase hex characters, like the platform's ObjectIds.
//!
//! An id is a 96-bit number: like an ObjectId, the creation time in epoch seconds fills the top
//! 32 bits; below it come the milliseconds within that second and a counter. Ids from one [`IdSequence`] strictly increase, so sorting items by id sorts them in
//! creation order, which the SDK's keyset paging (`{"id": {"$gt": last}}`) relies on.

use std::sync::Mutex;

use crate::clock;

/// Bits kept below the millisecond for ids made within the same millisecond.
const COUNTER_BITS: u32 = 54;

/// The smallest id value for an instant.
fn floor_at(ms: u64) -> u128 {
    ((ms / 1000) as u128) << 64 | ((ms % 1000) as u128) << COUNTER_BITS
}

/// A source of strictly increasing ids.
#[derive(Debug)]
pub struct IdSequence {
    last: Mutex<u128>,
    /// `None`: ids follow the clock; `Some(ms)`: a fixed base (deterministic demo data).
    fixed_base_ms: Option<u64>,
}

impl IdSequence {
    /// Ids that follow the wall clock (never below any id made before by this sequence).
    pub const fn clock() -> Self {
        IdSequence {
            last: Mutex::new(0),
            fixed_base_ms: None,
        }
    }

    /// Deterministic ids counting up from a fixed instant (for seeded demo data).
    pub fn starting_at(base_ms: u64) -> Self {
        IdSequence {
            last: Mutex::new(floor_at(base_ms).saturating_sub(1)),
            fixed_base_ms: Some(base_ms),
        }
    }

    /// The next id.
    pub fn next_id(&self) -> String {
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let floor = match self.fixed_base_ms {
            Some(_) => 0,
            None => floor_at(clock::now_ms()),
        };
        let next = (*last + 1).max(floor);
        *last = next;
        format_id(next)
    }
}

/// The process-wide sequence used for everything created at run time.
pub fn next_id() -> String {
    static SEQUENCE: IdSequence = IdSequence::clock();
    SEQUENCE.next_id()
}

fn format_id(value: u128) -> String {
    format!("{:024x}", value & ((1u128 << 96) - 1))
}

/// Whether `s` has the shape of an id (24 lowercase hex characters).
pub fn is_id(s: &str) -> bool {
    s.len() == 24
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `n` random bytes from the operating system, hex encoded.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_increase_and_have_the_platform_shape() {
        let seq = IdSequence::clock();
        let ids: Vec<String> = (0..10_000).map(|_| seq.next_id()).collect();
        assert!(ids.iter().all(|id| is_id(id)));
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn fixed_sequences_repeat() {
        let a = IdSequence::starting_at(1_704_067_200_000);
        let b = IdSequence::starting_at(1_704_067_200_000);
        assert_eq!(a.next_id(), b.next_id());
        assert_eq!(a.next_id(), b.next_id());
        assert!(a.next_id() < next_id());
    }
}
