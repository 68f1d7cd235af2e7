//! What pages and server functions exchange: the transfer and view types. Both sides of the
//! wire compile them, and the server's queries (`backend::store`) build them, so they sit
//! below both `api/` and `backend/`.

pub mod admin;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod documents;
pub mod families;
pub mod flash;
pub mod follow_ups;
pub mod merges;
pub mod overview;
pub mod referrals;
pub mod retention;
pub mod team;
pub mod transfers;
