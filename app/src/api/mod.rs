//! Server functions: the HTTP API of the pages, one module per area. Each reads top to bottom:
//! who is calling → may they (the policy in `shared`) → one transaction → typed result.
//! Endpoint names are explicit and stable; docs/api.md lists them with their arguments.

pub mod account;
pub mod admin;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod families;
pub mod follow_ups;
pub mod overview;
pub mod referrals;
