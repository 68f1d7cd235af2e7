//! Building blocks shared by pages.

pub mod fields;
pub mod layout;
pub mod messages;
