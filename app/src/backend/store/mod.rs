//! SQL, grouped by what it stores. Written once for SQLite and PostgreSQL (see `db.rs`).

pub mod assessments;
pub mod audit_log;
pub mod families;
pub mod follow_ups;
pub mod locations;
pub mod organisations;
pub mod overview;
pub mod referrals;
pub mod users;
