//! One module per page (or group of pages); page components end in `Page`.

pub mod account;
pub mod admin;
pub mod cases;
pub mod coded_referral;
pub mod home;
pub mod not_found;
pub mod overview;
pub mod referrals;
pub mod sign_in;
pub mod team;
pub mod work;
