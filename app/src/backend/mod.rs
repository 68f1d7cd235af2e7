//! Server-only code (feature `ssr`): application state, the database and its queries,
//! sessions and signing in, passwords, form flashes, email, and the one request pipeline every
//! server function in `api/` goes through (`pipeline/`).

pub mod audit_writer;
pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod documents;
pub mod emails;
pub mod exports;
pub mod family_export;
pub mod flash;
pub mod indicators;
pub mod metrics;
pub mod outbox;
pub mod overview;
pub mod password;
pub mod pipeline;
pub mod referral_code;
pub mod request;
pub mod retention;
pub mod sign_in;
pub mod state;
pub mod store;

pub use state::AppState;
