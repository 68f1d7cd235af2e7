//! Building blocks shared by pages.

pub mod dates;
pub mod fields;
pub mod layout;
pub mod messages;
