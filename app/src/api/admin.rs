//! Administration: organisations and user accounts. Admins only; never case contents.

use crate::error::AppError;
use crate::model::admin::{OrganisationView, UserFilter, UserView};
use crate::model::team::Handover;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::api::team::successor,
    crate::backend::pipeline::{self, Change, Form},
    crate::backend::store::{families, organisations, team, users, users::SetBy},
    crate::backend::{emails, password, sign_in},
    crate::model::families::Caseworker,
    crate::model::team::UNASSIGNED,
    shared::audit::{AuditAction, AuditTarget},
    shared::organisation::OrgKind,
    shared::policy::Action,
    shared::timeline::CaseEvent,
    shared::FieldError,
};

#[server(endpoint = "list_users")]
pub async fn list_users(filter: UserFilter) -> Result<Vec<UserView>, AppError> {
    pipeline::system(Action::ManageUsers)
        .read(None, async |r| Ok(users::list(r.conn(), &filter).await?))
        .await
}

#[server(endpoint = "get_user")]
pub async fn get_user(user_id: String) -> Result<UserView, AppError> {
    pipeline::system(Action::ManageUsers)
        .read(None, async |r| {
            users::by_id(r.conn(), &user_id)
                .await?
                .ok_or(AppError::NotFound)
        })
        .await
}

/// Creates an account in an organisation. The role must fit the organisation's kind; a
/// caseworker needs areas in the ministry's country. Answers the new user's id.
#[server(endpoint = "create_user")]
pub async fn create_user(
    email: String,
    display_name: String,
    role: String,
    organisation_id: String,
    #[server(default)] areas: Vec<String>,
    password: String,
) -> Result<String, AppError> {
    let areas_typed = areas.join(",");
    pipeline::system(Action::ManageUsers)
        .form(Form::values(&[
            ("email", &email),
            ("display_name", &display_name),
            ("role", &role),
            ("organisation_id", &organisation_id),
            ("areas", &areas_typed),
        ]))
        .write(async |s| {
            let org = organisations::by_id(s.conn(), &organisation_id).await?;
            let new = shared::account::validate_new_user(
                &email,
                &display_name,
                &role,
                &areas,
                &password,
                org.as_ref().map(|o| (o.kind, o.country)),
            )?;
            let hash = password::hash(&s.caller.state.hashing, password.clone()).await?;
            let now = s.now();
            let id = users::create(s.conn(), now, &new, &organisation_id, &hash, "en").await?;
            let target = Some((AuditTarget::User, id.as_str()));
            let detail = Some(new.role.as_str());
            let then = format!("/admin/users/{id}");
            Ok(
                s.record(id.clone(), AuditAction::UserCreated, target, detail)
                    .await?
                    .then(then),
            )
        })
        .await
}

/// Where the open cases of the caseworker `user_id` may go if the account is deactivated:
/// how many there are, and the caseworkers who work in the province of every one of them.
/// Counts and colleagues' names only: administrators never see case contents.
#[server(endpoint = "handover_choices")]
pub async fn handover_choices(user_id: String) -> Result<Handover, AppError> {
    pipeline::system(Action::ManageUsers)
        .read(None, async |r| {
            let user = users::by_id(r.conn(), &user_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let cases = team::open_cases_of(r.conn(), &user_id).await?;
            let provinces: Vec<String> = cases.iter().map(|(_, p)| p.clone()).collect();
            let successors =
                team::caseworkers_covering(r.conn(), &user.organisation_id, &provinces)
                    .await?
                    .into_iter()
                    .filter(|(id, _)| *id != user_id)
                    .map(|(user_id, name)| Caseworker { user_id, name })
                    .collect();
            Ok(Handover {
                open_cases: cases.len() as i64,
                successors,
            })
        })
        .await
}

/// Deactivates an account: it can no longer sign in, and its sessions end now. A
/// caseworker's open cases, with their scheduled follow-ups, go where `cases_to` says: to
/// another caseworker who works in the province of every one of them, or (`none`) to nobody,
/// for a supervisor to assign from the team page. Each case's timeline says so.
#[server(endpoint = "deactivate_user")]
pub async fn deactivate_user(
    user_id: String,
    #[server(default)] cases_to: String,
) -> Result<(), AppError> {
    pipeline::system(Action::ManageUsers)
        .form(Form::values(&[("cases_to", &cases_to)]))
        .write(async |s| {
            if user_id == s.caller.actor.user_id {
                return Err(AppError::invalid("user_id", FieldError::OwnAccount));
            }
            let user = users::by_id(s.conn(), &user_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let cases = team::open_cases_of(s.conn(), &user_id).await?;
            let cases_to = cases_to.trim();
            if !cases.is_empty() {
                let (to, change) = match cases_to {
                    "" => return Err(AppError::invalid("cases_to", FieldError::Required)),
                    UNASSIGNED => (None, Change::new(CaseEvent::Unassigned)),
                    id if id == user_id => {
                        return Err(AppError::invalid("cases_to", FieldError::InvalidChoice))
                    }
                    id => {
                        let provinces: Vec<String> = cases.iter().map(|(_, p)| p.clone()).collect();
                        let org = user.organisation_id.clone();
                        let name = successor(s.conn(), &org, id, &provinces, "cases_to").await?;
                        (
                            Some(id),
                            Change::new(CaseEvent::Assigned).text(name).detail(id),
                        )
                    }
                };
                for (family_id, _) in &cases {
                    // Locked (and its version moved on) before it is changed.
                    s.change_case(family_id, change.clone()).await?;
                    families::assign(s.conn(), family_id, to).await?;
                }
            }
            let now = s.now();
            users::set_active(s.conn(), &user_id, false, now).await?;
            let detail = format!("{} cases to {}", cases.len(), cases_to);
            let target = Some((AuditTarget::User, user_id.as_str()));
            let detail = (!cases.is_empty()).then_some(detail.as_str());
            s.record((), AuditAction::UserDeactivated, target, detail)
                .await
        })
        .await
}

/// Reactivates an account (its cases stay where they went when it was deactivated).
#[server(endpoint = "reactivate_user")]
pub async fn reactivate_user(user_id: String) -> Result<(), AppError> {
    pipeline::system(Action::ManageUsers)
        .write(async |s| {
            users::by_id(s.conn(), &user_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let now = s.now();
            users::set_active(s.conn(), &user_id, true, now).await?;
            let target = Some((AuditTarget::User, user_id.as_str()));
            s.record((), AuditAction::UserReactivated, target, None)
                .await
        })
        .await
}

/// Sets a new password chosen by the administrator (to hand over in person). The holder must
/// change it at their next sign-in; the account's sessions end, its sign-in locks are lifted,
/// and the holder is told by email.
#[server(endpoint = "reset_password")]
pub async fn reset_password(user_id: String, new_password: String) -> Result<(), AppError> {
    pipeline::system(Action::ManageUsers)
        .write(async |s| {
            if user_id == s.caller.actor.user_id {
                // One's own password is changed with the current one, on the account page.
                return Err(AppError::invalid("new_password", FieldError::OwnAccount));
            }
            shared::account::check_password(&new_password)
                .map_err(|e| AppError::invalid("new_password", e))?;
            let user = users::by_id(s.conn(), &user_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let hash = password::hash(&s.caller.state.hashing, new_password.clone()).await?;
            let now = s.now();
            users::set_password(s.conn(), &user_id, &hash, SetBy::Administrator, now, None).await?;
            sign_in::lift_locks(s.conn(), &user.email).await?;
            let public_url = s.caller.state.config.public_url.clone();
            emails::queue_password_reset(s.conn(), &public_url, &user.email, &user.language, now)
                .await?;
            let target = Some((AuditTarget::User, user_id.as_str()));
            s.record((), AuditAction::PasswordReset, target, None).await
        })
        .await
}

/// Replaces a caseworker's provinces/governorates, if nobody changed the account since
/// `version`.
#[server(endpoint = "set_user_areas")]
pub async fn set_user_areas(
    user_id: String,
    version: i64,
    #[server(default)] areas: Vec<String>,
) -> Result<(), AppError> {
    pipeline::system(Action::ManageUsers)
        .write(async |s| {
            let user = users::by_id(s.conn(), &user_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let keys = shared::account::validate_areas(user.role, user.country, &areas)
                .map_err(|e| AppError::invalid("areas", e))?;
            let now = s.now();
            if !users::bump_version(s.conn(), &user_id, version, now).await? {
                return Err(AppError::Conflict);
            }
            users::set_areas(s.conn(), &user_id, &keys).await?;
            let detail = keys.join(",");
            let target = Some((AuditTarget::User, user_id.as_str()));
            s.record((), AuditAction::UserAreasChanged, target, Some(&detail))
                .await
        })
        .await
}

#[server(endpoint = "list_organisations")]
pub async fn list_organisations() -> Result<Vec<OrganisationView>, AppError> {
    pipeline::system(Action::ManageOrganisations)
        .read(None, async |r| Ok(organisations::list(r.conn()).await?))
        .await
}

/// Creates an organisation; a country has one ministry (its supervisors see the whole
/// country). Answers its id.
#[server(endpoint = "create_organisation")]
pub async fn create_organisation(
    code: String,
    name: String,
    kind: String,
    #[server(default)] country: String,
) -> Result<String, AppError> {
    pipeline::system(Action::ManageOrganisations)
        .form(Form::values(&[
            ("code", &code),
            ("name", &name),
            ("kind", &kind),
            ("country", &country),
        ]))
        .write(async |s| {
            let org =
                shared::organisation::validate_new_organisation(&code, &name, &kind, &country)?;
            if let (OrgKind::Ministry, Some(c)) = (org.kind, org.country) {
                if organisations::ministry_of(s.conn(), c).await?.is_some() {
                    return Err(AppError::invalid(
                        "country",
                        FieldError::OneMinistryPerCountry,
                    ));
                }
            }
            let now = s.now();
            let id = organisations::create(s.conn(), now, &org).await?;
            let target = Some((AuditTarget::Organisation, id.as_str()));
            s.record(
                id.clone(),
                AuditAction::OrganisationCreated,
                target,
                Some(&org.code),
            )
            .await
        })
        .await
}

#[server(endpoint = "deactivate_organisation")]
pub async fn deactivate_organisation(organisation_id: String) -> Result<(), AppError> {
    set_organisation_active(&organisation_id, false).await
}

#[server(endpoint = "reactivate_organisation")]
pub async fn reactivate_organisation(organisation_id: String) -> Result<(), AppError> {
    set_organisation_active(&organisation_id, true).await
}

#[cfg(feature = "ssr")]
async fn set_organisation_active(id: &str, active: bool) -> Result<(), AppError> {
    pipeline::system(Action::ManageOrganisations)
        .write(async |s| {
            let org = organisations::by_id(s.conn(), id)
                .await?
                .ok_or(AppError::NotFound)?;
            // The built-in organisations (and the caller's own) stay active: deactivating
            // them would lock out a ministry or the administrator.
            let protected = organisations::BUILT_IN.iter().any(|b| b.0 == org.code)
                || s.caller.actor.organisation_id == id;
            if !active && protected {
                return Err(AppError::invalid("organisation_id", FieldError::OwnAccount));
            }
            let now = s.now();
            organisations::set_active(s.conn(), id, active, now).await?;
            let action = match active {
                true => AuditAction::OrganisationReactivated,
                false => AuditAction::OrganisationDeactivated,
            };
            s.record((), action, Some((AuditTarget::Organisation, id)), None)
                .await
        })
        .await
}
