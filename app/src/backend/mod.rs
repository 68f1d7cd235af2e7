//! Server-only code (feature `ssr`): application state, the database and its queries,
//! sessions, passwords, the audit log and form flashes. Server functions in `api/` call these.

pub mod audit;
pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod emails;
pub mod exports;
pub mod flash;
pub mod indicators;
pub mod outbox;
pub mod password;
pub mod request;
pub mod respond;
pub mod state;
pub mod store;

pub use state::AppState;
