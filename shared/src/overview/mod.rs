//! Programme indicators as managers see them: tables of aggregates, their groupings, and the
//! small-count rule that keeps an aggregate from pointing at a family.
//!
//! The rule: a count below [`SMALL_COUNT`] is never shown (it reads "<5"), and neither can it be
//! worked out from what is shown. Where cells add up to a total in the same table (a "line": a
//! column above its total row, or a row beside its total column), a line never has exactly one
//! hidden cell, because total minus the others would give it back; a second cell is hidden with
//! it (complementary suppression), and the hidden cells of a line with its total shown never
//! add up to between one and four. Rates, means and medians over fewer than five are withheld,
//! and a rate is shown only when neither its part nor the rest is small, so it cannot be
//! multiplied back into a small count either.

mod cube;
mod facts;
mod filter;
mod groups;
mod table;

pub use cube::Cube;
pub use facts::{median, Fact, ReferralGroup, Scores};
pub use filter::{parse_filter, Filter};
pub use groups::{AgeGroup, Column, FollowUpOutcome, SinceReturn, TableId, Wait};
pub use table::{suppress, Cell, Label, Line, Raw, Row, Table, SMALL_COUNT};
