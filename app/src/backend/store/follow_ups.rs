//! Follow-ups, contact attempts, work lists, closure requests and the digest log.

use super::OptionalCode;
use crate::backend::clock::timestamp;
use crate::backend::db::new_id;
use crate::backend::store::binds::{scope_condition, Binds};
use chrono::{DateTime, NaiveDate, Utc};
use shared::follow_up::{ClosureReason, FollowUpKind, FollowUpStatus, WorkList};
use shared::policy::CaseScope;
use sqlx::{AnyConnection, AssertSqlSafe, FromRow};

pub async fn insert(
    conn: &mut AnyConnection,
    family_id: &str,
    kind: FollowUpKind,
    due_on: NaiveDate,
    assigned_to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO follow_up (follow_up_id, family_id, kind, due_on, assigned_to, status, version,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'scheduled', 1, $6, $6)",
    )
    .bind(&id)
    .bind(family_id)
    .bind(kind.as_str())
    .bind(due_on.to_string())
    .bind(assigned_to)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// A follow-up as stored.
#[derive(Clone, Debug, FromRow)]
pub struct FollowUp {
    pub follow_up_id: String,
    pub family_id: String,
    pub case_number: String,
    #[sqlx(try_from = "String")]
    pub kind: FollowUpKind,
    pub due_on: String,
    pub assigned_to: Option<String>,
    pub assigned_to_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: FollowUpStatus,
    pub notes: Option<String>,
    pub missed_reason: Option<String>,
    pub done_on: Option<String>,
    pub assessment_id: Option<String>,
    pub version: i64,
}

const SELECT: &str = "SELECT fu.follow_up_id, fu.family_id, f.case_number, fu.kind, fu.due_on,
        fu.assigned_to, u.display_name AS assigned_to_name, fu.status, fu.notes, fu.missed_reason,
        fu.done_on, fu.assessment_id, fu.version
     FROM follow_up fu
     JOIN family f ON f.family_id = fu.family_id
     LEFT JOIN app_user u ON u.user_id = fu.assigned_to";

/// The family's follow-ups by due date.
pub async fn of_family(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Vec<FollowUp>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE fu.family_id = $1 ORDER BY fu.due_on, fu.created_at");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(family_id)
        .fetch_all(conn)
        .await
}

pub async fn get(
    conn: &mut AnyConnection,
    family_id: &str,
    follow_up_id: &str,
) -> Result<Option<FollowUp>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE fu.family_id = $1 AND fu.follow_up_id = $2");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(family_id)
        .bind(follow_up_id)
        .fetch_optional(conn)
        .await
}

/// What recording a follow-up changes.
pub struct Outcome<'a> {
    pub status: FollowUpStatus,
    pub notes: Option<&'a str>,
    pub missed_reason: Option<&'a str>,
    pub done_on: Option<NaiveDate>,
    pub assessment_id: Option<&'a str>,
}

/// Records the outcome of a scheduled follow-up still at `version`. False: it changed since.
pub async fn record(
    conn: &mut AnyConnection,
    follow_up_id: &str,
    version: i64,
    o: &Outcome<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE follow_up SET status = $1, notes = $2, missed_reason = $3, done_on = $4,
             assessment_id = $5, version = version + 1, updated_at = $6
         WHERE follow_up_id = $7 AND version = $8 AND status = 'scheduled'",
    )
    .bind(o.status.as_str())
    .bind(o.notes)
    .bind(o.missed_reason)
    .bind(o.done_on.map(|d| d.to_string()))
    .bind(o.assessment_id)
    .bind(timestamp(now))
    .bind(follow_up_id)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Moves a scheduled follow-up to another date (the caseworker adjusting the schedule).
pub async fn reschedule(
    conn: &mut AnyConnection,
    follow_up_id: &str,
    version: i64,
    kind: FollowUpKind,
    due_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE follow_up SET kind = $1, due_on = $2, version = version + 1, updated_at = $3
         WHERE follow_up_id = $4 AND version = $5 AND status = 'scheduled'",
    )
    .bind(kind.as_str())
    .bind(due_on.to_string())
    .bind(timestamp(now))
    .bind(follow_up_id)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn add_attempt(
    conn: &mut AnyConnection,
    follow_up_id: &str,
    on: NaiveDate,
    note: &str,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO contact_attempt (contact_attempt_id, follow_up_id, attempted_on, note,
             recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(follow_up_id)
    .bind(on.to_string())
    .bind(note)
    .bind(user_id)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Notes the family was reached on `on` (kept if a later contact is already recorded).
pub async fn touch_contact(
    conn: &mut AnyConnection,
    family_id: &str,
    on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE family SET last_contact_on = $1
         WHERE family_id = $2 AND (last_contact_on IS NULL OR last_contact_on < $1)",
    )
    .bind(on.to_string())
    .bind(family_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The last time the family was reached: its last follow-up done, else its registration.
pub async fn last_contact(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Option<NaiveDate>, sqlx::Error> {
    let day: Option<String> = sqlx::query_scalar(
        "SELECT COALESCE(last_contact_on, SUBSTR(created_at, 1, 10)) FROM family WHERE family_id = $1",
    )
    .bind(family_id)
    .fetch_optional(conn)
    .await?;
    Ok(day.as_deref().and_then(shared::calendar::parse_iso))
}

/// Cancels every scheduled follow-up of a family (on closure). Answers how many.
pub async fn cancel_scheduled(
    conn: &mut AnyConnection,
    family_id: &str,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE follow_up SET status = 'cancelled', version = version + 1, updated_at = $1
         WHERE family_id = $2 AND status = 'scheduled'",
    )
    .bind(timestamp(now))
    .bind(family_id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected())
}

/// One line of a work list.
#[derive(Clone, Debug, FromRow)]
pub struct WorkItem {
    pub family_id: String,
    pub case_number: String,
    pub follow_up_id: Option<String>,
    #[sqlx(try_from = "OptionalCode<FollowUpKind>")]
    pub kind: Option<FollowUpKind>,
    /// The follow-up's due date; a lost case's last contact; the date a referral's answer
    /// is due by; the day a closure was requested.
    pub date: String,
    pub assigned_to_name: Option<String>,
    /// A referral's organisation; a closure request's reason (its code); the other case
    /// number of a possible duplicate.
    pub detail: Option<String>,
    /// The other case of a possible duplicate.
    #[sqlx(default)]
    pub other_family_id: Option<String>,
}

/// A work list: scheduled follow-ups of cases in `scope` (only those assigned to `assignee`,
/// if given) due in the list's window, or the open cases without contact since `lost_before`.
pub async fn work_list(
    conn: &mut AnyConnection,
    scope: &CaseScope,
    assignee: Option<&str>,
    list: WorkList,
    today: NaiveDate,
    lost_before: NaiveDate,
) -> Result<Vec<WorkItem>, sqlx::Error> {
    let mut binds = Binds::default();
    let mut conditions = vec![scope_condition(scope, &mut binds)];
    let week_end = (today + chrono::Duration::days(6)).to_string();
    // The caller's own: ` AND column = $n`, or nothing for a supervisor.
    let mine = |binds: &mut Binds, column: &str| {
        assignee
            .map(|a| format!(" AND {column} = {}", binds.push(a)))
            .unwrap_or_default()
    };
    // Possible duplicates are a supervisor's to merge or set aside (the other record may lie
    // outside a caseworker's areas).
    if list == WorkList::Duplicates && assignee.is_some() {
        return Ok(Vec::new());
    }
    let sql = match list {
        WorkList::Lost => {
            conditions.push("f.status <> 'closed'".into());
            let cutoff = binds.push(lost_before.to_string());
            conditions.push(format!(
                "COALESCE(f.last_contact_on, SUBSTR(f.created_at, 1, 10)) < {cutoff}"
            ));
            let mine = mine(&mut binds, "f.assigned_to");
            format!(
                "SELECT f.family_id, f.case_number, NULL AS follow_up_id, NULL AS kind,
                     COALESCE(f.last_contact_on, SUBSTR(f.created_at, 1, 10)) AS date,
                     u.display_name AS assigned_to_name, NULL AS detail
                 FROM family f LEFT JOIN app_user u ON u.user_id = f.assigned_to
                 WHERE {}{mine} ORDER BY date LIMIT 500",
                conditions.join(" AND ")
            )
        }
        // Sent and not yet answered, the longest-waiting first (an answer overdue on top).
        WorkList::Referrals => {
            let mine = mine(&mut binds, "f.assigned_to");
            format!(
                "SELECT f.family_id, f.case_number, NULL AS follow_up_id, NULL AS kind,
                     SUBSTR(r.due_at, 1, 10) AS date, u.display_name AS assigned_to_name,
                     o.name AS detail
                 FROM referral r JOIN family f ON f.family_id = r.family_id
                 JOIN organisation o ON o.organisation_id = r.organisation_id
                 LEFT JOIN app_user u ON u.user_id = f.assigned_to
                 WHERE {} AND r.status = 'sent'{mine} ORDER BY r.due_at, f.case_number LIMIT 500",
                conditions.join(" AND ")
            )
        }
        WorkList::Closures => {
            let mine = mine(&mut binds, "f.assigned_to");
            format!(
                "SELECT f.family_id, f.case_number, NULL AS follow_up_id, NULL AS kind,
                     SUBSTR(c.requested_at, 1, 10) AS date, u.display_name AS assigned_to_name,
                     c.reason AS detail
                 FROM case_closure c JOIN family f ON f.family_id = c.family_id
                 LEFT JOIN app_user u ON u.user_id = f.assigned_to
                 WHERE {} AND c.decision IS NULL{mine}
                 ORDER BY c.requested_at, f.case_number LIMIT 500",
                conditions.join(" AND ")
            )
        }
        // Proposed and not yet accepted or declined, the longest-waiting first; the detail is
        // the province the case would go to.
        WorkList::Transfers => {
            let mine = mine(&mut binds, "f.assigned_to");
            format!(
                "SELECT f.family_id, f.case_number, NULL AS follow_up_id, NULL AS kind,
                     SUBSTR(t.proposed_at, 1, 10) AS date, u.display_name AS assigned_to_name,
                     t.to_province AS detail
                 FROM case_transfer t JOIN family f ON f.family_id = t.family_id
                 LEFT JOIN app_user u ON u.user_id = f.assigned_to
                 WHERE {} AND t.decision IS NULL{mine}
                 ORDER BY t.proposed_at, f.case_number LIMIT 500",
                conditions.join(" AND ")
            )
        }
        // Pairs the duplicate rules matched, both records open and their own, not set aside;
        // the other record must be in sight too.
        WorkList::Duplicates => {
            let mine = mine(&mut binds, "f.assigned_to");
            format!(
                "SELECT f.family_id, f.case_number, NULL AS follow_up_id, NULL AS kind,
                     SUBSTR(d.found_at, 1, 10) AS date, u.display_name AS assigned_to_name,
                     o.case_number AS detail, o.family_id AS other_family_id
                 FROM possible_duplicate d JOIN family f ON f.family_id = d.family_id
                 JOIN family o ON o.family_id = d.other_id
                 LEFT JOIN app_user u ON u.user_id = f.assigned_to
                 WHERE {} AND d.dismissed_at IS NULL AND f.status <> 'closed'
                   AND o.status <> 'closed' AND o.merged_into IS NULL AND o.country = f.country{mine}
                 ORDER BY d.found_at, f.case_number LIMIT 500",
                conditions.join(" AND ")
            )
        }
        WorkList::Today | WorkList::ThisWeek | WorkList::Overdue => {
            conditions.push("fu.status = 'scheduled'".into());
            let window = match list {
                WorkList::Overdue => format!("fu.due_on < {}", binds.push(today.to_string())),
                WorkList::Today => format!("fu.due_on = {}", binds.push(today.to_string())),
                _ => format!(
                    "fu.due_on > {} AND fu.due_on <= {}",
                    binds.push(today.to_string()),
                    binds.push(week_end)
                ),
            };
            conditions.push(window);
            let mine = mine(&mut binds, "fu.assigned_to");
            format!(
                "SELECT f.family_id, f.case_number, fu.follow_up_id, fu.kind, fu.due_on AS date,
                     u.display_name AS assigned_to_name, NULL AS detail
                 FROM follow_up fu JOIN family f ON f.family_id = fu.family_id
                 LEFT JOIN app_user u ON u.user_id = fu.assigned_to
                 WHERE {}{mine} ORDER BY fu.due_on, f.case_number LIMIT 500",
                conditions.join(" AND ")
            )
        }
    };
    binds.query_as(&sql).fetch_all(conn).await
}

/// A closure request as stored.
#[derive(Clone, Debug, FromRow)]
pub struct Closure {
    pub case_closure_id: String,
    #[sqlx(try_from = "String")]
    pub reason: ClosureReason,
    pub note: Option<String>,
    pub requested_by: String,
    pub requested_by_name: String,
    pub requested_at: String,
    pub decision: Option<String>,
    pub comment: Option<String>,
}

/// The family's latest closure request, if any.
pub async fn latest_closure(
    conn: &mut AnyConnection,
    family_id: &str,
) -> Result<Option<Closure>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.case_closure_id, c.reason, c.note, c.requested_by,
             u.display_name AS requested_by_name, c.requested_at, c.decision, c.comment
         FROM case_closure c JOIN app_user u ON u.user_id = c.requested_by
         WHERE c.family_id = $1 ORDER BY c.requested_at DESC LIMIT 1",
    )
    .bind(family_id)
    .fetch_optional(conn)
    .await
}

pub async fn request_closure(
    conn: &mut AnyConnection,
    family_id: &str,
    reason: ClosureReason,
    note: Option<&str>,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_closure (case_closure_id, family_id, reason, note, requested_by, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(family_id)
    .bind(reason.as_str())
    .bind(note)
    .bind(user_id)
    .bind(timestamp(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Decides the pending request. False if there is none pending.
pub async fn decide_closure(
    conn: &mut AnyConnection,
    closure_id: &str,
    decision: &str,
    comment: Option<&str>,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE case_closure SET decision = $1, comment = $2, decided_by = $3, decided_at = $4
         WHERE case_closure_id = $5 AND decision IS NULL",
    )
    .bind(decision)
    .bind(comment)
    .bind(user_id)
    .bind(timestamp(now))
    .bind(closure_id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Marks the digest of `local_date` as queued for a user; false if it already was (so each
/// user gets at most one a day, whatever restarts happen).
pub async fn claim_digest(
    conn: &mut AnyConnection,
    user_id: &str,
    local_date: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO digest_sent (user_id, local_date) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(local_date.to_string())
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// An active caseworker, for the digest.
#[derive(Clone, Debug, FromRow)]
pub struct DigestRecipient {
    pub user_id: String,
    pub email: String,
    pub language: String,
    #[sqlx(try_from = "String")]
    pub country: shared::Country,
}

/// Active caseworkers with their country and language, for the digest.
pub async fn caseworkers(conn: &mut AnyConnection) -> Result<Vec<DigestRecipient>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.user_id, u.email, u.language, o.country
         FROM app_user u JOIN organisation o ON o.organisation_id = u.organisation_id
         WHERE u.role = 'caseworker' AND u.active = 1 AND o.active = 1 AND o.country IS NOT NULL",
    )
    .fetch_all(conn)
    .await
}

/// A caseworker's scheduled follow-ups due by `day`: (case number, due date), oldest first.
pub async fn due_for(
    conn: &mut AnyConnection,
    user_id: &str,
    day: NaiveDate,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.case_number, fu.due_on FROM follow_up fu JOIN family f ON f.family_id = fu.family_id
         WHERE fu.assigned_to = $1 AND fu.status = 'scheduled' AND fu.due_on <= $2
           AND f.status <> 'closed'
         ORDER BY fu.due_on, f.case_number",
    )
    .bind(user_id)
    .bind(day.to_string())
    .fetch_all(conn)
    .await
}
