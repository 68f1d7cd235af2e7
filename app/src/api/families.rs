//! Families (cases): registration with a duplicate check, the case list, the case record,
//! edits that detect conflicts, consent, notes and assignment.
// A server function's arguments are its form fields, so some have many; `#[server]` copies
// them into the client-side stub too, where an item-level allow does not reach.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::families::{CaseFilter, CasePage, Caseworker, FamilyView};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use shared::family::{CaseStatus, ConsentKind};
use shared::family::{HouseholdForm, MemberForm};
#[cfg(feature = "ssr")]
use shared::Country;

#[cfg(feature = "ssr")]
use crate::backend::{
    audit,
    auth::{self, Caller},
    respond,
    store::families::{self as store, EventDetail},
};
#[cfg(feature = "ssr")]
use shared::calendar::Calendar;
#[cfg(feature = "ssr")]
use shared::policy::{case_scope, Action, CaseRef, Resource};
#[cfg(feature = "ssr")]
use shared::{FieldError, FieldErrors};

#[cfg(feature = "ssr")]
pub(crate) fn calendar_of(code: &str) -> Calendar {
    match code {
        "solar_hijri" => Calendar::SolarHijri,
        _ => Calendar::Gregorian,
    }
}

/// Loads a case the caller may take `action` on; anything else is `NotFound`.
#[cfg(feature = "ssr")]
pub(crate) async fn case_for(
    caller: &Caller,
    conn: &mut sqlx::AnyConnection,
    family_id: &str,
    action: Action,
) -> Result<store::FamilyRef, AppError> {
    let f = store::family_ref(conn, family_id)
        .await?
        .ok_or(AppError::NotFound)?;
    caller.may(
        action,
        Resource::Case(CaseRef {
            country: f.country,
            province: &f.province,
        }),
    )?;
    if f.status == CaseStatus::Closed && !shared::policy::allowed_on_closed_case(action) {
        return Err(AppError::CaseClosed);
    }
    Ok(f)
}

/// Appends an event by the caller to a case's timeline, at the case's current version.
#[cfg(feature = "ssr")]
pub(crate) async fn timeline_event(
    conn: &mut sqlx::AnyConnection,
    caller: &Caller,
    family_id: &str,
    kind: &str,
    text: Option<String>,
) -> Result<(), AppError> {
    let version = store::family_ref(conn, family_id)
        .await?
        .map(|f| f.version)
        .unwrap_or(0);
    let detail = EventDetail {
        text,
        ..Default::default()
    };
    store::record_event(
        conn,
        family_id,
        caller.now,
        Some(&caller.actor.user_id),
        kind,
        &detail,
        version,
    )
    .await?;
    Ok(())
}

/// The country of the caller's ministry (cases are registered there).
#[cfg(feature = "ssr")]
fn ministry_country(caller: &Caller) -> Result<Country, AppError> {
    caller
        .actor
        .country
        .filter(|_| caller.actor.role.is_ministry())
        .ok_or(AppError::Forbidden)
}

/// Checks that `province` is one the caller works in (a field error, not a denial: the caller
/// chose it on the form).
#[cfg(feature = "ssr")]
fn check_province_in_scope(
    caller: &Caller,
    country: Country,
    province: &str,
    errors: &mut FieldErrors,
) {
    if !case_scope(&caller.actor).contains(&CaseRef { country, province }) {
        errors.add(
            shared::family::household_key("province"),
            FieldError::OutsideYourAreas,
        );
    }
}

/// The case list: only cases in the caller's scope, filtered, searched, sorted, a page at a time.
#[server(endpoint = "list_cases")]
pub async fn list_cases(filter: CaseFilter) -> Result<CasePage, AppError> {
    let caller = auth::authenticate().await?;
    caller.may(Action::ListCases, Resource::System)?;
    let calendar = calendar_of(filter.calendar.as_deref().unwrap_or_default());
    let date = |s: &Option<String>| {
        s.as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| shared::calendar::parse_input(s, calendar))
    };
    let mut errors = FieldErrors::new();
    let after = date(&filter.returned_after).and_then(|r| errors.take("returned_after", r));
    let before = date(&filter.returned_before).and_then(|r| errors.take("returned_before", r));
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let scope = case_scope(&caller.actor);
    let page = store::list(
        &caller.state.db,
        &scope,
        &filter,
        &caller.actor.user_id,
        after,
        before,
    )
    .await?;
    let mut conn = caller.state.db.pool.acquire().await?;
    let detail = format!("page={} results={}", page.page, page.total);
    let mut entry = caller.entry("case_list_viewed", None, None);
    entry.detail = Some(&detail);
    audit::record(&mut conn, caller.now, entry).await?;
    Ok(page)
}

/// The whole case record. Every read is audited.
#[server(endpoint = "get_case")]
pub async fn get_case(family_id: String) -> Result<FamilyView, AppError> {
    let caller = auth::authenticate().await?;
    let mut conn = caller.state.db.pool.acquire().await?;
    case_for(&caller, &mut conn, &family_id, Action::ViewCase).await?;
    let view = store::get(&mut conn, &family_id)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        &mut conn,
        caller.now,
        caller.entry("case_viewed", Some("family"), Some(&family_id)),
    )
    .await?;
    Ok(view)
}

/// The input names and values of a registration form, to give back to a plain form.
#[cfg(feature = "ssr")]
fn registration_values(
    household: &HouseholdForm,
    members: &[MemberForm],
    consent: [(&str, &str); 3],
) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = vec![
        ("household[province]".into(), household.province.clone()),
        ("household[district]".into(), household.district.clone()),
        ("household[address]".into(), household.address.clone()),
        ("household[phone]".into(), household.phone.clone()),
        (
            "household[return_date]".into(),
            household.return_date.clone(),
        ),
        (
            "household[returned_from]".into(),
            household.returned_from.clone(),
        ),
        (
            "household[return_type]".into(),
            household.return_type.clone(),
        ),
    ];
    for (k, val) in consent {
        v.push((k.to_string(), val.to_string()));
    }
    for (i, m) in members.iter().enumerate() {
        v.extend(member_values(m, &|f| format!("members[{i}][{f}]")));
    }
    v
}

/// The input names and values of one member's fields (needs joined by commas).
pub fn member_values(m: &MemberForm, key: &dyn Fn(&str) -> String) -> Vec<(String, String)> {
    [
        ("name_local", m.name_local.clone()),
        ("name_latin", m.name_latin.clone()),
        ("father_name", m.father_name.clone()),
        ("sex", m.sex.clone()),
        ("birth_date", m.birth_date.clone()),
        ("age", m.age.clone()),
        ("relationship", m.relationship.clone()),
        ("education", m.education.clone()),
        ("occupation", m.occupation.clone()),
        ("skills", m.skills.clone()),
        ("health", m.health.clone()),
        ("needs", m.needs.join(",")),
        ("document_type", m.document_type.clone()),
        ("document_number", m.document_number.clone()),
    ]
    .into_iter()
    .map(|(f, v)| (key(f), v))
    .collect()
}

#[cfg(feature = "ssr")]
fn as_refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

/// Registers a family with its members and consent. Before saving it looks for the same
/// people among the cases the caller can see; if it finds any, it answers
/// `PossibleDuplicates` until the caller confirms this is a different family
/// (`confirmed_distinct=yes`), and that confirmation goes on the timeline.
/// `intent=add_member` (a plain form's "add a member" button) saves nothing and comes back
/// with one more member block. Answers the new family's id.
#[server(endpoint = "register_family")]
pub async fn register_family(
    household: HouseholdForm,
    #[server(default)] members: Vec<MemberForm>,
    #[server(default)] consent_registration: String,
    #[server(default)] consent_sharing: String,
    #[server(default)] consent_given_by: String,
    #[server(default)] calendar: String,
    #[server(default)] confirmed_distinct: String,
    #[server(default)] assign_to: String,
    #[server(default)] intent: String,
) -> Result<String, AppError> {
    let values = registration_values(
        &household,
        &members,
        [
            ("consent_registration", &consent_registration),
            ("consent_sharing", &consent_sharing),
            ("consent_given_by", &consent_given_by),
        ],
    );
    if intent == "add_member" {
        let next = (members.len() + 1).min(shared::family::MAX_MEMBERS);
        respond::redirect_plain_post(&format!("/cases/new?members={next}"));
        return respond::finish_keeping_values(
            "register_family",
            &as_refs(&values),
            Ok(String::new()),
        )
        .await;
    }
    let result = async {
        let caller = auth::authenticate().await?;
        let country = ministry_country(&caller)?;
        let today = caller.now.date_naive();
        let validated = shared::family::validate_registration(
            &household,
            &members,
            consent_registration == "yes",
            consent_sharing == "yes",
            &consent_given_by,
            country,
            calendar_of(&calendar),
            today,
        );
        let mut errors = match &validated {
            Err(e) => e.clone(),
            Ok(_) => FieldErrors::new(),
        };
        if !household.province.trim().is_empty() && errors.get("household[province]").is_none() {
            check_province_in_scope(&caller, country, household.province.trim(), &mut errors);
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let family = validated.map_err(AppError::Invalid)?;
        caller.may(
            Action::RegisterCase,
            Resource::Case(CaseRef {
                country,
                province: &family.household.province,
            }),
        )?;
        let db = &caller.state.db;
        let mut tx = db.begin().await?;
        let assignee = match caller.actor.role {
            shared::Role::Caseworker => Some(caller.actor.user_id.clone()),
            _ if assign_to.trim().is_empty() => None,
            _ => {
                let ok = store::assignable_caseworkers(
                    &mut tx,
                    &caller.actor.organisation_id,
                    &family.household.province,
                )
                .await?
                .into_iter()
                .any(|(id, _)| id == assign_to.trim());
                if !ok {
                    return Err(AppError::invalid("assign_to", FieldError::InvalidChoice));
                }
                Some(assign_to.trim().to_string())
            }
        };
        let people: Vec<_> = family
            .members
            .iter()
            .map(|m| shared::family::PersonKey::of(m, today))
            .collect();
        let candidates =
            store::duplicate_candidates(&mut tx, &case_scope(&caller.actor), &people).await?;
        if !candidates.is_empty() && confirmed_distinct != "yes" {
            return Err(AppError::PossibleDuplicates(candidates));
        }
        let (family_id, case_number) = store::insert_family(
            &mut tx,
            &family,
            &caller.actor.user_id,
            assignee.as_deref(),
            caller.now,
        )
        .await?;
        if !candidates.is_empty() {
            let listed = candidates
                .iter()
                .map(|c| c.case_number.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let detail = EventDetail {
                text: Some(listed.clone()),
                ..Default::default()
            };
            store::record_event(
                &mut tx,
                &family_id,
                caller.now,
                Some(&caller.actor.user_id),
                "duplicate_check_confirmed",
                &detail,
                1,
            )
            .await?;
            let mut entry = caller.entry(
                "duplicate_check_confirmed",
                Some("family"),
                Some(&family_id),
            );
            entry.detail = Some(&listed);
            audit::record(&mut tx, caller.now, entry).await?;
        }
        let mut entry = caller.entry("case_registered", Some("family"), Some(&family_id));
        entry.detail = Some(&case_number);
        audit::record(&mut tx, caller.now, entry).await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/cases/{family_id}"));
        Ok(family_id)
    }
    .await;
    respond::finish("register_family", &as_refs(&values), result).await
}

/// The household fields that differ between the stored record and the edit.
#[cfg(feature = "ssr")]
fn changed_household_fields(old: &FamilyView, new: &shared::family::Household) -> Vec<String> {
    let mut changed = Vec::new();
    let mut check = |name: &str, differs: bool| {
        if differs {
            changed.push(name.to_string());
        }
    };
    check("province", old.province != new.province);
    check("district", old.district != new.district);
    check("address", old.address != new.address);
    check("phone", old.phone != new.phone);
    check(
        "return_date",
        old.return_date != new.return_date.to_string(),
    );
    check("returned_from", old.returned_from != new.returned_from);
    check("return_type", old.return_type != new.return_type);
    changed
}

/// Saves the household fields if nobody saved the case since `version` (else `Conflict`, and
/// nothing is written). Answers the new version.
#[server(endpoint = "update_household")]
pub async fn update_household(
    family_id: String,
    version: i64,
    household: HouseholdForm,
    #[server(default)] calendar: String,
) -> Result<i64, AppError> {
    let typed_version = version.to_string();
    let values = [
        ("version", typed_version.as_str()),
        ("household[province]", household.province.as_str()),
        ("household[district]", household.district.as_str()),
        ("household[address]", household.address.as_str()),
        ("household[phone]", household.phone.as_str()),
        ("household[return_date]", household.return_date.as_str()),
        ("household[returned_from]", household.returned_from.as_str()),
        ("household[return_type]", household.return_type.as_str()),
    ];
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        let current = case_for(&caller, &mut tx, &family_id, Action::EditCase).await?;
        let mut errors = FieldErrors::new();
        let h = shared::family::validate_household(
            &household,
            current.country,
            calendar_of(&calendar),
            caller.now.date_naive(),
            &mut errors,
        );
        if errors.get("household[province]").is_none()
            && household.province.trim() != current.province
        {
            check_province_in_scope(
                &caller,
                current.country,
                household.province.trim(),
                &mut errors,
            );
        }
        let h = match (h, errors.is_empty()) {
            (Some(h), true) => h,
            _ => return Err(AppError::Invalid(errors)),
        };
        if !store::bump_version(&mut tx, &family_id, version, caller.now).await? {
            return Err(AppError::Conflict);
        }
        let old = store::get(&mut tx, &family_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let fields = changed_household_fields(&old, &h);
        store::update_household(&mut tx, &family_id, &h).await?;
        let detail = EventDetail {
            fields,
            ..Default::default()
        };
        store::record_event(
            &mut tx,
            &family_id,
            caller.now,
            Some(&caller.actor.user_id),
            "household_edited",
            &detail,
            version + 1,
        )
        .await?;
        audit::record(
            &mut tx,
            caller.now,
            caller.entry("case_edited", Some("family"), Some(&family_id)),
        )
        .await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/cases/{family_id}"));
        Ok(version + 1)
    }
    .await;
    respond::finish("update_household", &values, result).await
}

/// Saves one member (same conflict rule as the household). `member_id` empty adds a member.
/// Answers the new version.
#[server(endpoint = "save_member")]
pub async fn save_member(
    family_id: String,
    #[server(default)] member_id: String,
    version: i64,
    member: MemberForm,
    #[server(default)] calendar: String,
) -> Result<i64, AppError> {
    let mut values = member_values(&member, &|f| format!("member[{f}]"));
    values.push(("version".into(), version.to_string()));
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        case_for(&caller, &mut tx, &family_id, Action::EditCase).await?;
        let today = caller.now.date_naive();
        let mut errors = FieldErrors::new();
        let key = |f: &str| format!("member[{f}]");
        let m = shared::family::validate_member(
            &member,
            key,
            calendar_of(&calendar),
            today,
            &mut errors,
        );
        let m = match (m, errors.is_empty()) {
            (Some(m), true) => m,
            _ => return Err(AppError::Invalid(errors)),
        };
        if !store::bump_version(&mut tx, &family_id, version, caller.now).await? {
            return Err(AppError::Conflict);
        }
        let (kind, id) = if member_id.is_empty() {
            (
                "member_added",
                store::add_member(&mut tx, &family_id, &m, today, caller.now).await?,
            )
        } else {
            if !store::update_member(&mut tx, &family_id, &member_id, &m, today, caller.now).await?
            {
                return Err(AppError::NotFound);
            }
            ("member_edited", member_id.clone())
        };
        if store::refresh_household_summary(&mut tx, &family_id).await? != 1 {
            return Err(AppError::invalid(
                "member[relationship]",
                FieldError::InvalidChoice,
            ));
        }
        let detail = EventDetail {
            text: Some(m.display_name().to_string()),
            ..Default::default()
        };
        store::record_event(
            &mut tx,
            &family_id,
            caller.now,
            Some(&caller.actor.user_id),
            kind,
            &detail,
            version + 1,
        )
        .await?;
        let mut entry = caller.entry("case_edited", Some("family"), Some(&family_id));
        entry.detail = Some(&id);
        audit::record(&mut tx, caller.now, entry).await?;
        tx.commit().await?;
        respond::redirect_plain_post(&format!("/cases/{family_id}"));
        Ok(version + 1)
    }
    .await;
    respond::finish("save_member", &as_refs(&values), result).await
}

/// Records consent given or withdrawn (`given` = `yes` or `no`); a withdrawal of sharing
/// consent stops referrals at once.
#[server(endpoint = "record_consent")]
pub async fn record_consent(
    family_id: String,
    kind: String,
    given: String,
    given_by: String,
) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        case_for(&caller, &mut tx, &family_id, Action::RecordConsent).await?;
        let mut errors = FieldErrors::new();
        let kind = errors.take(
            "kind",
            ConsentKind::parse(&kind).ok_or(FieldError::InvalidChoice),
        );
        let given = errors.take(
            "given",
            match given.as_str() {
                "yes" => Ok(true),
                "no" => Ok(false),
                _ => Err(FieldError::InvalidChoice),
            },
        );
        let given_by = errors.take("given_by", shared::field_error::text(&given_by, 2, 100));
        let (Some(kind), Some(given), Some(given_by)) = (kind, given, given_by) else {
            return Err(AppError::Invalid(errors));
        };
        store::record_consent(
            &mut tx,
            &family_id,
            kind,
            given,
            &given_by,
            &caller.actor.user_id,
            caller.now,
        )
        .await?;
        let version: i64 = sqlx::query_scalar("SELECT version FROM family WHERE family_id = $1")
            .bind(&family_id)
            .fetch_one(&mut *tx)
            .await?;
        let event = if given {
            "consent_given"
        } else {
            "consent_withdrawn"
        };
        let detail = EventDetail {
            text: Some(kind.as_str().to_string()),
            ..Default::default()
        };
        store::record_event(
            &mut tx,
            &family_id,
            caller.now,
            Some(&caller.actor.user_id),
            event,
            &detail,
            version,
        )
        .await?;
        let mut entry = caller.entry(event, Some("family"), Some(&family_id));
        entry.detail = Some(kind.as_str());
        audit::record(&mut tx, caller.now, entry).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    respond::finish("record_consent", &[("given_by", &given_by)], result).await
}

/// Adds a dated note to the case.
#[server(endpoint = "add_note")]
pub async fn add_note(family_id: String, body: String) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        case_for(&caller, &mut tx, &family_id, Action::EditCase).await?;
        let body =
            shared::field_error::text(&body, 1, 4000).map_err(|e| AppError::invalid("body", e))?;
        store::add_note(
            &mut tx,
            &family_id,
            &body,
            &caller.actor.user_id,
            caller.now,
        )
        .await?;
        let version: i64 = sqlx::query_scalar("SELECT version FROM family WHERE family_id = $1")
            .bind(&family_id)
            .fetch_one(&mut *tx)
            .await?;
        store::record_event(
            &mut tx,
            &family_id,
            caller.now,
            Some(&caller.actor.user_id),
            "note_added",
            &EventDetail::default(),
            version,
        )
        .await?;
        audit::record(
            &mut tx,
            caller.now,
            caller.entry("case_note_added", Some("family"), Some(&family_id)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    respond::finish("add_note", &[("body", &body)], result).await
}

/// Caseworkers a case may be assigned to: the supervisor's ministry, working in its province.
#[server(endpoint = "list_assignable")]
pub async fn list_assignable(family_id: String) -> Result<Vec<Caseworker>, AppError> {
    let caller = auth::authenticate().await?;
    let mut conn = caller.state.db.pool.acquire().await?;
    let f = case_for(&caller, &mut conn, &family_id, Action::AssignCase).await?;
    Ok(
        store::assignable_caseworkers(&mut conn, &caller.actor.organisation_id, &f.province)
            .await?
            .into_iter()
            .map(|(user_id, name)| Caseworker { user_id, name })
            .collect(),
    )
}

/// Caseworkers of the caller's ministry (the case list's "assigned to" filter).
#[server(endpoint = "list_caseworkers")]
pub async fn list_caseworkers() -> Result<Vec<Caseworker>, AppError> {
    let caller = auth::authenticate().await?;
    caller.may(Action::ListCases, Resource::System)?;
    Ok(
        store::caseworkers_of(&caller.state.db, &caller.actor.organisation_id)
            .await?
            .into_iter()
            .map(|(user_id, name)| Caseworker { user_id, name })
            .collect(),
    )
}

/// Assigns (or reassigns) a case to a caseworker of the same ministry working in its province.
#[server(endpoint = "assign_case")]
pub async fn assign_case(family_id: String, user_id: String) -> Result<(), AppError> {
    let result = async {
        let caller = auth::authenticate().await?;
        let mut tx = caller.state.db.begin().await?;
        let f = case_for(&caller, &mut tx, &family_id, Action::AssignCase).await?;
        let allowed =
            store::assignable_caseworkers(&mut tx, &caller.actor.organisation_id, &f.province)
                .await?
                .into_iter()
                .find(|(id, _)| *id == user_id);
        let Some((_, name)) = allowed else {
            return Err(AppError::invalid("user_id", FieldError::InvalidChoice));
        };
        store::set_assignee(&mut tx, &family_id, &user_id).await?;
        let detail = EventDetail {
            text: Some(name),
            ..Default::default()
        };
        store::record_event(
            &mut tx,
            &family_id,
            caller.now,
            Some(&caller.actor.user_id),
            "assigned",
            &detail,
            f.version,
        )
        .await?;
        let mut entry = caller.entry("case_assigned", Some("family"), Some(&family_id));
        entry.detail = Some(&user_id);
        audit::record(&mut tx, caller.now, entry).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    respond::finish("assign_case", &[], result).await
}
