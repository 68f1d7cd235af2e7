//! Building blocks shared by pages.

pub mod chart;
pub mod dates;
pub mod fields;
pub mod indicators;
pub mod layout;
pub mod me;
pub mod messages;
pub mod print;
