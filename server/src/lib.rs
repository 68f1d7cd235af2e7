//! The `homeward` server: configuration, start-up, the router and its middleware, background
//! workers and the operator's commands. `main.rs` is only the command line.

pub mod backup;
pub mod demo;
pub mod env_config;
pub mod observability;
pub mod provision;
pub mod router;
pub mod security;
pub mod startup;
pub mod synthetic;
pub mod workers;

pub use startup::Application;
