//! Cell-key rounding: the protection of released counts *across* queries.
//!
//! Hiding counts under five within one table is not enough on its own: a manager can ask for
//! all years and then for each year (or for a country and then for each of its provinces) and
//! subtract, and a count hidden in one answer comes back from the others. So every count
//! released is also rounded, as statistics offices do for self-service tables (the cell-key
//! method of ABS TableBuilder and the random rounding of census tables, combined):
//!
//! - **Fact keys.** Every fact of the cube (one grouped row: a province, a year, what is
//!   counted, how many) gets a 64-bit key, a hash of exactly that identity and its figures,
//!   and of what is measured (families or individuals, referrals sent or accepted, …):
//!   [`FactKeys::tally`]. The hash is written out here (FNV-1a, then SplitMix64's finaliser),
//!   so it is the same in every build, on the server and in the browser.
//! - **Cell keys.** A published cell's key is the sum (modulo 2⁶⁴) of the keys of the facts
//!   that add to it ([`Tally`]). It depends on which facts make the cell, not on the filter
//!   or the table that reached it, nor on their order: the same cell asked for twice, or
//!   reached by another filter (a province's row in its country's table, or the total of that
//!   province alone), gets the same key and so the same published value. Asking again gains
//!   nothing. When a fact changes (a family more), its key changes, as a record key would.
//! - **Rounding.** A count of five or more is published as a multiple of [`ROUNDING_BASE`]:
//!   rounded down or up, up with probability (remainder ÷ 5), the "coin" drawn from the cell
//!   key ([`publish`]). So 12 reads 10 three times out of five and 15 twice, on average exactly
//!   12 (no bias, however many cells are added up), never more than 4 away, never below 5,
//!   and a multiple of five is left as it is. Counts under five stay hidden ("<5"), a zero
//!   included, as before. Totals are cells of their own, rounded from their own key, so a
//!   total may differ a little from the sum of its (rounded) parts.
//!
//! Why rounding to a base and not a small noise (say −2..=+2): with every published count a
//! multiple of five, any sum or difference of published counts is a multiple of five too, so
//! **no combination of the overview's filters can give back a count between 1 and 4** (the
//! all-years figure minus the single years, the country minus its provinces, a total minus
//! its shown parts: all land on …, −5, 0, 5, 10, …). With additive noise such differences
//! land on 1–4 often, and equal the true hidden count in a good share of cases, which the
//! reader cannot tell apart from the others but which still is a small count given back.
//!
//! Rates are worked out from the rounded counts (their parts and wholes rounded from their
//! own cell keys), not from the true counts: an exact fraction such as 8/13 names its
//! denominator, and with it the true counts the rounding hides. Means are released to two
//! decimals (as the page shows them) for the same reason. The withholding rules are as
//! before, on the true counts: a rate, mean or median over fewer than five is not shown.
//!
//! The keys depend on the facts alone; [`Cube::secret`](super::Cube::secret) mixes a value
//! of the deployment into every fact key, so that someone who has the source code cannot
//! work the keys out from guessed counts either. Its protection against differencing does
//! not depend on that value being secret, only on the rounding.

use super::{Fact, Scores, SMALL_COUNT};
use crate::family::{ReturnType, Sex, SpecificNeed};
use crate::follow_up::ClosureReason;
use crate::referral::ReferralStatus;
use crate::service::ServiceCategory;
use std::ops::{Add, AddAssign};

/// Published counts of five or more are multiples of this.
pub const ROUNDING_BASE: u64 = 5;

/// SplitMix64's finaliser: a bijection of 64-bit values that mixes every input bit into
/// every output bit.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a, 64 bits, over the parts of an identity; [`Fnv::finish`] mixes the result once
/// more so that keys of similar identities are unrelated.
#[derive(Clone, Copy, Debug)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// Text, ended by a byte that UTF-8 never uses, so that ("ab", "c") and ("a", "bc")
    /// differ.
    pub fn text(&mut self, s: &str) {
        self.bytes(s.as_bytes());
        self.bytes(&[0xff]);
    }

    pub fn number(&mut self, n: u64) {
        self.bytes(&n.to_le_bytes());
    }

    pub fn finish(&self) -> u64 {
        mix(self.0)
    }
}

/// What identifies a fact's key or value, fed to the hash in a fixed, documented form (codes
/// by their database code, numbers as little-endian bytes): never `Debug` output nor
/// `std::hash`, which may change from one Rust version to the next.
pub trait Identity {
    fn feed(&self, h: &mut Fnv);
}

impl Identity for str {
    fn feed(&self, h: &mut Fnv) {
        h.text(self);
    }
}

impl Identity for String {
    fn feed(&self, h: &mut Fnv) {
        h.text(self);
    }
}

impl Identity for u64 {
    fn feed(&self, h: &mut Fnv) {
        h.number(*self);
    }
}

impl Identity for i64 {
    fn feed(&self, h: &mut Fnv) {
        h.number(*self as u64);
    }
}

impl Identity for bool {
    fn feed(&self, h: &mut Fnv) {
        h.bytes(&[u8::from(*self)]);
    }
}

impl Identity for () {
    fn feed(&self, _: &mut Fnv) {}
}

impl<T: Identity> Identity for Option<T> {
    fn feed(&self, h: &mut Fnv) {
        match self {
            None => h.bytes(&[0]),
            Some(t) => {
                h.bytes(&[1]);
                t.feed(h);
            }
        }
    }
}

impl<A: Identity, B: Identity> Identity for (A, B) {
    fn feed(&self, h: &mut Fnv) {
        self.0.feed(h);
        self.1.feed(h);
    }
}

impl<A: Identity, B: Identity, C: Identity, D: Identity> Identity for (A, B, C, D) {
    fn feed(&self, h: &mut Fnv) {
        self.0.feed(h);
        self.1.feed(h);
        self.2.feed(h);
        self.3.feed(h);
    }
}

/// How many assessments, and how many had each score (the sums of scores are left out:
/// floating point is not an identity).
impl Identity for Scores {
    fn feed(&self, h: &mut Fnv) {
        h.number(self.n);
        for c in self.counts {
            h.number(c);
        }
    }
}

macro_rules! by_code {
    ($($t:ty),+) => {
        $(impl Identity for $t {
            fn feed(&self, h: &mut Fnv) {
                h.text(self.as_str());
            }
        })+
    };
}

by_code!(
    ReturnType,
    Sex,
    SpecificNeed,
    ClosureReason,
    ReferralStatus,
    ServiceCategory,
    super::AgeGroup,
    super::SinceReturn,
    super::FollowUpOutcome
);

/// A true count and its cell key: the sum of the keys of the facts that add to it. Adding
/// tallies adds both, so a cell made of the same facts has the same key whichever way it was
/// summed. A count of zero has the key zero (no fact adds to it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub n: u64,
    pub key: u64,
}

impl Tally {
    pub fn new(n: u64, key: u64) -> Tally {
        Tally {
            n,
            key: if n == 0 { 0 } else { key },
        }
    }

    /// The count as released; see [`publish`].
    pub fn published(self) -> u64 {
        publish(self.n, self.key)
    }
}

impl AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        self.n += o.n;
        self.key = self.key.wrapping_add(o.key);
    }
}

impl Add for Tally {
    type Output = Tally;
    fn add(mut self, o: Tally) -> Tally {
        self += o;
        self
    }
}

impl std::iter::Sum for Tally {
    fn sum<I: Iterator<Item = Tally>>(iter: I) -> Tally {
        iter.fold(Tally::default(), Add::add)
    }
}

/// A count of at least [`SMALL_COUNT`] rounded to a multiple of [`ROUNDING_BASE`] by its cell
/// key: up with probability (remainder ÷ base), else down. Never below [`SMALL_COUNT`], never
/// more than base − 1 away, unbiased over keys. Counts under [`SMALL_COUNT`] are returned as
/// they are: they are never shown (the table reads "<5").
pub fn publish(n: u64, key: u64) -> u64 {
    let rest = n % ROUNDING_BASE;
    if n < SMALL_COUNT || rest == 0 {
        return n;
    }
    // A uniform draw in 0..base from the mixed key (the high bits of key × base).
    let draw = ((u128::from(mix(key)) * u128::from(ROUNDING_BASE)) >> 64) as u64;
    n - rest + if draw < rest { ROUNDING_BASE } else { 0 }
}

/// The keys of the facts of one kind (registrations, referrals, …) of a cube.
#[derive(Clone, Copy, Debug)]
pub struct FactKeys {
    pub secret: u64,
    pub kind: &'static str,
}

impl FactKeys {
    /// The key of `fact` as it adds to cells of `measure` (e.g. families or individuals of
    /// the same registrations): a hash of the secret, the kind, the measure, the province,
    /// the year, the fact's key and its value.
    pub fn key<K: Identity, V: Identity>(&self, fact: &Fact<K, V>, measure: &str) -> u64 {
        let mut h = Fnv::default();
        h.number(self.secret);
        h.text(self.kind);
        h.text(measure);
        h.text(&fact.province);
        h.number(i64::from(fact.year) as u64);
        fact.key.feed(&mut h);
        fact.value.feed(&mut h);
        h.finish()
    }

    /// `n` of `fact`'s `measure`, with its key.
    pub fn tally<K: Identity, V: Identity>(
        &self,
        fact: &Fact<K, V>,
        measure: &str,
        n: u64,
    ) -> Tally {
        Tally::new(n, self.key(fact, measure))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_hash_is_fixed() {
        // FNV-1a's published test vector, before the final mix.
        let mut h = Fnv::default();
        h.bytes(b"a");
        assert_eq!(h.0, 0xaf63_dc4c_8601_ec8c);
        // SplitMix64's first output from seed 0 (its state advanced once).
        assert_eq!(mix(0), 0xe220_a839_7b1d_cdaf);
        // A fact key, written down once: it must not change between builds or versions,
        // or every published figure would change with it.
        let fact = Fact {
            province: "AF-KAB".to_string(),
            year: 2026,
            key: ("2026-03".to_string(), ReturnType::Deported),
            value: (7u64, 30u64),
        };
        let keys = FactKeys {
            secret: 0,
            kind: "registrations",
        };
        // (Worked out independently from the description of `FactKeys::key`.)
        assert_eq!(keys.key(&fact, "families"), 0x8bf7_87e9_da8e_d3b7);
        assert_ne!(keys.key(&fact, "families"), keys.key(&fact, "individuals"));
        let other = FactKeys { secret: 1, ..keys };
        assert_ne!(keys.key(&fact, "families"), other.key(&fact, "families"));
    }

    #[test]
    fn rounding_is_unbiased_and_close() {
        // Every count from 5 to 1,004 under 200 keys each: the mean error is about zero.
        let mut error = 0i64;
        let mut cells = 0i64;
        for n in 5..1005u64 {
            for k in 0..200u64 {
                let p = publish(n, mix(k.wrapping_mul(1_000_003) ^ n));
                assert_eq!(p % ROUNDING_BASE, 0);
                assert!(
                    p >= SMALL_COUNT && p.abs_diff(n) < ROUNDING_BASE,
                    "{n} → {p}"
                );
                error += p as i64 - n as i64;
                cells += 1;
            }
        }
        let mean = error as f64 / cells as f64;
        assert!(mean.abs() < 0.05, "mean error {mean}");
        assert_eq!(publish(0, 9), 0);
        assert_eq!(publish(3, 9), 3);
        assert_eq!(publish(35, 9), 35);
    }

    proptest! {
        #[test]
        fn tallies_add_up_in_any_order(parts in prop::collection::vec((1u64..50, any::<u64>()), 1..20)) {
            let tallies: Vec<Tally> = parts.iter().map(|&(n, k)| Tally::new(n, k)).collect();
            let forward: Tally = tallies.iter().copied().sum();
            let backward: Tally = tallies.iter().rev().copied().sum();
            prop_assert_eq!(forward, backward);
            prop_assert_eq!(forward.published(), backward.published());
            prop_assert_eq!(forward.n, parts.iter().map(|p| p.0).sum::<u64>());
        }
    }
}
