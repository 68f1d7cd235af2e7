//! Homeward's domain, shared by the server and the browser: types that parse rather than
//! validate, field-by-field validation errors, the one access policy, calendars, digits and
//! name matching. Pure Rust with no IO, so it compiles for wasm and is tested natively.

pub mod account;
pub mod achieved;
pub mod assessment;
pub mod audit;
pub mod calendar;
pub mod codes;
pub mod country;
pub mod digits;
pub mod document;
pub mod family;
pub mod field_error;
pub mod follow_up;
pub mod location;
pub mod names;
pub mod organisation;
pub mod overview;
pub mod plan;
pub mod policy;
pub mod referral;
pub mod referral_code;
pub mod retention;
pub mod role;
pub mod service;
pub mod timeline;

pub use country::Country;
pub use field_error::{FieldError, FieldErrors};
pub use role::Role;
