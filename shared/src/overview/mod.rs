//! Programme indicators as managers see them: tables of aggregates, their groupings, and the
//! rules that keep an aggregate from pointing at a family.
//!
//! Within a table ([`table`]): a count below [`SMALL_COUNT`] is never shown (it reads "<5", a
//! zero too), and neither can it be worked out from what is shown. Where cells add up to a
//! total in the same table (a "line": a column above its total row, or a row beside its total
//! column), a line never has exactly one hidden cell, because total minus the others would
//! give it back; a second cell is hidden with it (complementary suppression), and the hidden
//! cells of a line with its total shown never add up to between one and four. Rates, means
//! and medians over fewer than five are withheld, and a rate is shown only when neither its
//! part nor the rest is small.
//!
//! Across tables and filters ([`perturb`]): every count shown is rounded to a multiple of
//! five by a key of the facts it is made of, the same on every request, so that no
//! combination of the overview's filters (all years minus each year, a country minus its
//! provinces, …) gives back a count between 1 and 4. Rates are of the rounded counts, means
//! are given to two decimals.
//!
//! Modules: [`groups`] (row and column codes), [`filter`] (what the page asks for), [`facts`]
//! (the grouped facts), [`cube`] (folding facts into the tables of a filter), [`headline`]
//! (the few figures read first, beside the year before).

pub mod cube;
pub mod facts;
pub mod filter;
pub mod groups;
pub mod headline;
pub mod perturb;
pub mod table;
#[cfg(test)]
mod tests;

pub use cube::Cube;
pub use facts::{median, Fact, OutcomeGroup, ReferralGroup, Scores, WaitGroup};
pub use filter::{parse_filter, Filter};
pub use groups::{AgeGroup, Column, FollowUpOutcome, SinceReturn, TableId, Wait};
pub use headline::{Figure, Headline, Measure};
pub use perturb::{publish, Tally, ROUNDING_BASE};
pub use table::{suppress, Cell, Label, Line, Raw, Row, Table, SMALL_COUNT};
