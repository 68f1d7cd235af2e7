//! Families (cases), their members, consent, notes and timeline, as the pages and their server
//! functions exchange them.

use serde::{Deserialize, Serialize};
use shared::family::{
    CaseStatus, ConsentKind, DocumentType, Education, Presence, Relationship, ReturnType, Sex,
    SpecificNeed,
};
use shared::timeline::CaseEvent;
use shared::Country;

/// Filters of the case list, as they appear in its URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFilter {
    /// Case number, name (either script) or phone/document number.
    pub q: Option<String>,
    pub status: Option<String>,
    pub province: Option<String>,
    /// A caseworker's id, `me` or `none`.
    pub assigned: Option<String>,
    /// Return date range, in the calendar named by `calendar`.
    pub returned_after: Option<String>,
    pub returned_before: Option<String>,
    pub need: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
    /// `solar_hijri` or `gregorian`: how the dates above were typed.
    pub calendar: Option<String>,
}

impl CaseFilter {
    /// The status filter's value for every case not closed (a caseload).
    pub const OPEN: &'static str = "open";
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CaseSummary {
    pub family_id: String,
    pub case_number: String,
    pub head_name_local: Option<String>,
    pub head_name_latin: Option<String>,
    pub province: String,
    pub district: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: CaseStatus,
    pub member_count: i64,
    pub return_date: String,
    pub updated_at: String,
    pub assigned_to_name: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub needs: Vec<SpecificNeed>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePage {
    pub cases: Vec<CaseSummary>,
    pub total: i64,
    /// `total` is a lower bound: a search of several common words stopped reading before
    /// the end (the caller is asked to narrow it).
    #[serde(default)]
    pub at_least: bool,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MemberView {
    pub member_id: String,
    pub position: i64,
    pub name_local: Option<String>,
    pub name_latin: Option<String>,
    pub father_name: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub sex: Sex,
    pub birth_date: Option<String>,
    pub estimated_age: Option<i64>,
    pub age_recorded_on: String,
    /// As stored at the last edit (what the duplicate rules compare).
    pub birth_year: i64,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub relationship: Relationship,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub education: Education,
    pub occupation: Option<String>,
    pub skills: Option<String>,
    pub health: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub presence: Presence,
    /// The day a member who is no longer present left or died.
    pub left_on: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub needs: Vec<SpecificNeed>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub documents: Vec<(DocumentType, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ConsentView {
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub kind: ConsentKind,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::backend::store::Flag"))]
    pub given: bool,
    pub given_by: String,
    pub recorded_at: String,
    pub recorded_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct NoteView {
    pub created_at: String,
    pub body: String,
    pub author: Option<String>,
    /// Kept off the printed case summary.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::backend::store::Flag"))]
    pub internal: bool,
}

/// One entry of a case's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub occurred_at: String,
    pub kind: CaseEvent,
    pub actor: Option<String>,
    /// Fields changed by an edit.
    pub fields: Vec<String>,
    pub text: Option<String>,
    /// The case's version after this event.
    pub version: Option<i64>,
}

/// The whole case record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct FamilyView {
    pub family_id: String,
    pub case_number: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub country: Country,
    pub province: String,
    pub district: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub return_date: String,
    pub returned_from: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub return_type: ReturnType,
    /// Internally displaced people only: the province/governorate they came back from.
    pub displaced_from: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: CaseStatus,
    pub assigned_to: Option<String>,
    pub assigned_to_name: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::backend::store::Flag"))]
    pub registration_consent: bool,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::backend::store::Flag"))]
    pub sharing_consent: bool,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    /// When the closed case was anonymised after its retention period.
    pub anonymised_at: Option<String>,
    /// The record this one was merged into: this one is shown as it was then, read only.
    pub merged_into: Option<String>,
    /// The merge that took this record away (with `merged_into`).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub merged: Option<super::merges::MergeView>,
    /// The records merged into this one, the latest first.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub merges: Vec<super::merges::MergeView>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub members: Vec<MemberView>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub consents: Vec<ConsentView>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub notes: Vec<NoteView>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub events: Vec<EventView>,
}

/// A person a case may be assigned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caseworker {
    pub user_id: String,
    pub name: String,
}
