//! Integration tests: the real router and server functions over HTTP, each test on a fresh
//! SQLite database and again on a fresh PostgreSQL database. One binary, so it links once.

mod common;

mod achieved;
mod admin;
mod anonymisation;
mod anonymous;
mod assessments;
mod audit_trail;
mod auth;
mod backup;
mod caps;
mod case_list;
mod cli;
mod coded;
mod documents;
mod families;
mod family_changes;
mod family_data;
mod family_edits;
mod follow_ups;
mod http;
mod instances;
mod malformed;
mod merges;
mod name_search;
mod operations;
mod overview;
mod overview_safety;
mod printing;
mod queues;
mod races;
mod referral_email;
mod referrals;
mod retention;
mod schema;
mod statuses;
mod team;
mod throttle;
mod transfers;
mod two_person;
