//! Generated families and their histories, inserted in multi-row statements: the same rows
//! registration and casework write.

use super::rows::{insert_rows, t, Value};
use crate::backend::clock::timestamp;
use crate::backend::db::Db;
use crate::backend::store::families::members::birth_columns;
use crate::backend::store::families::name_index::member_terms;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use shared::family::Member;
use shared::{names, Country};
use std::collections::HashMap;

pub struct GeneratedFamily {
    pub id: String,
    pub case_number: String,
    pub case_seq: i64,
    pub country: Country,
    pub province: String,
    pub assigned_to: Option<String>,
    pub district: String,
    pub phone: Option<String>,
    pub phone_international: Option<String>,
    pub return_date: NaiveDate,
    pub returned_from: &'static str,
    pub return_type: &'static str,
    pub status: &'static str,
    pub sharing: bool,
    pub created: DateTime<Utc>,
    pub members: Vec<Member>,
    pub history: History,
}

/// What happened to a family after registration, by its status: assessments, the follow-up
/// schedule (past visits done, missed or overdue), referrals and their answers, closure.
#[derive(Default)]
pub struct History {
    /// (date, economic, social, psychosocial)
    pub assessments: Vec<(NaiveDate, f64, f64, f64)>,
    /// (due, status, done on)
    pub follow_ups: Vec<(NaiveDate, &'static str, Option<NaiveDate>)>,
    pub referrals: Vec<GeneratedReferral>,
    /// (reason, decided at)
    pub closure: Option<(&'static str, DateTime<Utc>)>,
    pub last_contact: Option<NaiveDate>,
}

/// (organisation, service, status, sent, answered)
pub type GeneratedReferral = (
    String,
    &'static str,
    &'static str,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

/// Inserts generated families with their members, search words, consent and history, in one
/// transaction of multi-row statements. `authors` records the history, by country.
pub async fn insert_families(
    db: &Db,
    families: &[GeneratedFamily],
    created_by: Option<&str>,
    authors: &HashMap<Country, String>,
) -> Result<(), sqlx::Error> {
    let mut assessment_rows = Vec::new();
    let mut follow_up_rows = Vec::new();
    let mut referral_rows = Vec::new();
    let mut closure_rows = Vec::new();
    let mut family_rows = Vec::new();
    let mut member_rows = Vec::new();
    let mut need_rows = Vec::new();
    let mut doc_rows = Vec::new();
    let mut term_rows = Vec::new();
    let mut consent_rows = Vec::new();
    let mut event_rows = Vec::new();
    for f in families {
        let ts = timestamp(f.created);
        let head = &f.members[0];
        family_rows.push(vec![
            t(&f.id),
            t(&f.case_number),
            Value::Int(f.case_seq),
            t(f.country.code()),
            t(&f.province),
            t(&f.district),
            Value::OptText(None),
            Value::OptText(f.phone.clone()),
            Value::OptText(f.phone_international.clone()),
            Value::OptText(f.phone.as_deref().map(names::phone_search_key)),
            t(f.return_date.to_string()),
            t(f.returned_from),
            t(f.return_type),
            t(f.status),
            Value::OptText(f.assigned_to.clone()),
            Value::OptText(head.name_local.clone()),
            Value::OptText(head.name_latin.clone()),
            Value::Int(f.members.len() as i64),
            Value::Int(1),
            Value::Int(i64::from(f.sharing)),
            Value::Int(1),
            Value::OptText(created_by.map(str::to_string)),
            t(&ts),
            t(&ts),
            Value::OptText(f.history.last_contact.map(|d| d.to_string())),
            Value::OptText(f.history.closure.map(|(_, decided)| timestamp(decided))),
        ]);
        let author = &authors[&f.country];
        for (on, e, so, ps) in &f.history.assessments {
            assessment_rows.push(vec![
                t(uuid::Uuid::new_v4().to_string()),
                t(&f.id),
                Value::Int(1),
                t(on.to_string()),
                Value::Real(*e),
                Value::Real(*so),
                Value::Real(*ps),
                Value::Real((e + so + ps) / 3.0),
                t("{}"),
                t(author),
                t(timestamp(on.and_hms_opt(9, 0, 0).unwrap().and_utc())),
            ]);
        }
        for (i, (due, status, done_on)) in f.history.follow_ups.iter().enumerate() {
            follow_up_rows.push(vec![
                t(uuid::Uuid::new_v4().to_string()),
                t(&f.id),
                t(if i % 2 == 0 {
                    "home_visit"
                } else {
                    "phone_call"
                }),
                t(due.to_string()),
                Value::OptText(f.assigned_to.clone()),
                t(*status),
                Value::OptText(done_on.map(|d| d.to_string())),
                Value::Int(1),
                t(&ts),
                t(&ts),
            ]);
        }
        for (org, service, status, sent, answered) in &f.history.referrals {
            let answered = answered.map(timestamp);
            referral_rows.push(vec![
                t(uuid::Uuid::new_v4().to_string()),
                t(&f.id),
                t(org),
                t(*service),
                t(*status),
                t(author),
                t(timestamp(*sent)),
                t(timestamp(*sent + Duration::days(5))),
                Value::OptText(answered.clone()),
                Value::OptText(if *status == "completed" {
                    answered
                } else {
                    None
                }),
                Value::Int(1),
            ]);
        }
        if let Some((reason, decided)) = f.history.closure {
            closure_rows.push(vec![
                t(uuid::Uuid::new_v4().to_string()),
                t(&f.id),
                t(reason),
                t(author),
                t(timestamp(decided - Duration::days(3))),
                t("approved"),
                t(author),
                t(timestamp(decided)),
            ]);
        }
        for (i, m) in f.members.iter().enumerate() {
            let member_id = uuid::Uuid::new_v4().to_string();
            let recorded = f.created.date_naive();
            let (birth_date, estimated_age) = birth_columns(&m.birth);
            member_rows.push(vec![
                t(&member_id),
                t(&f.id),
                Value::Int(i as i64),
                Value::OptText(m.name_local.clone()),
                Value::OptText(m.name_latin.clone()),
                Value::OptText(m.father_name.clone()),
                t(m.sex.as_str()),
                Value::OptText(birth_date),
                Value::OptInt(estimated_age),
                t(recorded.to_string()),
                Value::Int(i64::from(m.birth.year(recorded))),
                t(m.relationship.as_str()),
                t(m.education.as_str()),
                t(&ts),
                t(&ts),
            ]);
            for n in &m.needs {
                need_rows.push(vec![t(&member_id), t(&f.id), t(n.as_str())]);
            }
            for (kind, number) in &m.documents {
                doc_rows.push(vec![t(&member_id), t(&f.id), t(kind.as_str()), t(number)]);
            }
            for term in member_terms(m.name_local.as_deref(), m.name_latin.as_deref()) {
                term_rows.push(vec![
                    t(f.country.code()),
                    t(&f.province),
                    t(term),
                    t(&member_id),
                    t(&f.id),
                ]);
            }
        }
        for kind in ["registration", "sharing"] {
            let given = kind == "registration" || f.sharing;
            consent_rows.push(vec![
                t(uuid::Uuid::new_v4().to_string()),
                t(&f.id),
                t(kind),
                Value::Int(i64::from(given)),
                Value::OptText(head.name_latin.clone().or(head.name_local.clone())),
                Value::OptText(created_by.map(str::to_string)),
                t(&ts),
            ]);
        }
        event_rows.push(vec![
            t(&f.id),
            t(&ts),
            Value::OptText(created_by.map(str::to_string)),
            t("registered"),
            t("{}"),
            Value::Int(1),
        ]);
    }
    let mut tx = db.begin().await?;
    insert_rows(
        &mut tx,
        "family",
        &[
            "family_id",
            "case_number",
            "case_seq",
            "country",
            "province",
            "district",
            "address",
            "phone",
            "phone_international",
            "phone_key",
            "return_date",
            "returned_from",
            "return_type",
            "status",
            "assigned_to",
            "head_name_local",
            "head_name_latin",
            "member_count",
            "registration_consent",
            "sharing_consent",
            "version",
            "created_by",
            "created_at",
            "updated_at",
            "last_contact_on",
            "closed_at",
        ],
        family_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "assessment",
        &[
            "assessment_id",
            "family_id",
            "instrument_version",
            "assessed_on",
            "economic",
            "social",
            "psychosocial",
            "composite",
            "answers",
            "created_by",
            "created_at",
        ],
        assessment_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "follow_up",
        &[
            "follow_up_id",
            "family_id",
            "kind",
            "due_on",
            "assigned_to",
            "status",
            "done_on",
            "version",
            "created_at",
            "updated_at",
        ],
        follow_up_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "referral",
        &[
            "referral_id",
            "family_id",
            "organisation_id",
            "service",
            "status",
            "sent_by",
            "sent_at",
            "due_at",
            "responded_at",
            "completed_at",
            "version",
        ],
        referral_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "case_closure",
        &[
            "case_closure_id",
            "family_id",
            "reason",
            "requested_by",
            "requested_at",
            "decision",
            "decided_by",
            "decided_at",
        ],
        closure_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "member",
        &[
            "member_id",
            "family_id",
            "position",
            "name_local",
            "name_latin",
            "father_name",
            "sex",
            "birth_date",
            "estimated_age",
            "age_recorded_on",
            "birth_year",
            "relationship",
            "education",
            "created_at",
            "updated_at",
        ],
        member_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "member_need",
        &["member_id", "family_id", "need"],
        need_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "member_document",
        &["member_id", "family_id", "document_type", "number"],
        doc_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "name_index",
        &["country", "province", "term", "member_id", "family_id"],
        term_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "consent",
        &[
            "consent_id",
            "family_id",
            "kind",
            "given",
            "given_by",
            "recorded_by",
            "recorded_at",
        ],
        consent_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "case_event",
        &[
            "family_id",
            "occurred_at",
            "actor_user_id",
            "kind",
            "detail",
            "version",
        ],
        event_rows,
    )
    .await?;
    tx.commit().await
}
