//! Integration tests: the real router and server functions over HTTP, each test on a fresh
//! SQLite database and again on a fresh PostgreSQL database. One binary, so it links once.

mod common;

mod admin;
mod assessments;
mod auth;
mod cli;
mod families;
mod follow_ups;
mod http;
mod overview;
mod referrals;
