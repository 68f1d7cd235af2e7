//! Moving a case to another province's team when the family moves: the sending side
//! proposes, a supervisor who did not propose it accepts (giving the case to a caseworker of
//! the new province) or declines with a reason. Until then the case stays where it is; on
//! acceptance its scheduled follow-ups and open referrals go with it, and whoever worked it
//! in the old province loses sight of it unless they work in the new one too.

use crate::error::AppError;
use crate::model::transfers::TransferPanel;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::backend::emails::{self, TransferNews},
    crate::backend::pipeline::{self, CaseTx, Change, Form},
    crate::backend::store::{families, transfers, users},
    crate::model::families::Caseworker,
    crate::model::team::UNASSIGNED,
    crate::model::transfers::TransferView,
    shared::audit::AuditAction,
    shared::family::transfer::{validate_transfer, TransferDecision, TransferForm},
    shared::policy::{Action, CaseRef, Resource},
    shared::timeline::CaseEvent,
    shared::FieldError,
};

/// The case's latest transfer and what the caller may do with it. Audited as a read.
#[server(endpoint = "case_transfer")]
pub async fn case_transfer(family_id: String) -> Result<TransferPanel, AppError> {
    pipeline::case(&family_id, Action::ViewCase)
        .read(AuditAction::TransferViewed, async |r| {
            let case = r.case.clone();
            let resource = Resource::Case(CaseRef {
                country: case.country,
                province: &case.province,
            });
            let open =
                case.status != shared::family::CaseStatus::Closed && case.anonymised_at.is_none();
            let may = |a| open && r.caller.may(a, resource).is_ok();
            let (propose, decide) = (may(Action::ProposeTransfer), may(Action::DecideTransfer));
            let me = r.caller.actor.user_id.clone();
            let latest = transfers::latest(r.conn(), &family_id).await?;
            let pending = latest.as_ref().filter(|t| t.decision.is_none());
            let may_decide = decide && pending.is_some_and(|t| t.proposed_by != me);
            let receivers = match pending {
                Some(t) if may_decide => {
                    let org = r.caller.actor.organisation_id.clone();
                    families::assignable_caseworkers(r.conn(), &org, &t.to_province)
                        .await?
                        .into_iter()
                        .map(|(user_id, name)| Caseworker { user_id, name })
                        .collect()
                }
                _ => Vec::new(),
            };
            Ok(TransferPanel {
                may_propose: propose && pending.is_none(),
                // A supervisor who may decide declines rather than withdraws.
                may_withdraw: propose && pending.is_some() && !may_decide,
                may_decide,
                receivers,
                latest: latest.map(|t| TransferView {
                    proposed_by_you: t.proposed_by == me,
                    from_province: t.from_province,
                    to_province: t.to_province,
                    to_district: t.to_district,
                    reason: t.reason,
                    note: t.note,
                    proposed_by: t.proposed_by_name,
                    proposed_at: t.proposed_at,
                    decision: t.decision,
                    comment: t.comment,
                }),
            })
        })
        .await
}

/// Proposes moving the case to `to_province` (another of its country) and `to_district`,
/// with the reason and a handover note; the ministry's supervisors (who answer it) are emailed.
/// One proposal may be pending.
#[server(endpoint = "propose_transfer")]
pub async fn propose_transfer(
    family_id: String,
    #[server(default)] to_province: String,
    #[server(default)] to_district: String,
    #[server(default)] reason: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let form = TransferForm {
        to_province,
        to_district,
        reason,
        note,
    };
    let values = Form::values(&[
        ("to_province", &form.to_province),
        ("to_district", &form.to_district),
        ("reason", &form.reason),
        ("note", &form.note),
    ]);
    pipeline::case(&family_id, Action::ProposeTransfer)
        .form(values)
        .write(async |c| {
            let t = validate_transfer(&form, c.case.country, &c.case.province)
                .map_err(AppError::Invalid)?;
            if transfers::pending(c.conn(), &family_id).await?.is_some() {
                return Err(AppError::Conflict);
            }
            let district = families::contact(c.conn(), &family_id)
                .await?
                .map(|f| f.district)
                .unwrap_or_default();
            let from = (c.case.province.clone(), district);
            let (me, now) = (c.caller.actor.user_id.clone(), c.now());
            transfers::propose(c.conn(), &family_id, (&from.0, &from.1), &t, &me, now).await?;
            let org = c.caller.actor.organisation_id.clone();
            for (user_id, email, language) in transfers::supervisors(c.conn(), &org).await? {
                if user_id != me {
                    notify(c, TransferNews::Proposed, (&email, &language)).await?;
                }
            }
            let change = Change::new(CaseEvent::TransferProposed).text(&t.to_province);
            Ok(c.record((), change)
                .await?
                .then(format!("/cases/{family_id}#transfer")))
        })
        .await
}

/// The sending side withdraws the pending proposal.
#[server(endpoint = "withdraw_transfer")]
pub async fn withdraw_transfer(family_id: String) -> Result<(), AppError> {
    pipeline::case(&family_id, Action::ProposeTransfer)
        .write(async |c| {
            let pending = transfers::pending(c.conn(), &family_id)
                .await?
                .ok_or(AppError::Conflict)?;
            end(
                c,
                &pending.case_transfer_id,
                TransferDecision::Withdrawn,
                None,
                None,
            )
            .await?;
            let change = Change::new(CaseEvent::TransferWithdrawn).text(pending.to_province);
            Ok(c.record((), change)
                .await?
                .then(format!("/cases/{family_id}#transfer")))
        })
        .await
}

/// A supervisor who did not propose it decides the pending transfer: `accept`, giving the
/// case to `user_id` (a caseworker of the ministry working in the new province, or `none`
/// for the team's supervisors to assign later), or `decline` with a `comment` saying why.
/// Whoever proposed it is emailed, and on acceptance the case's new caseworker too.
#[server(endpoint = "decide_transfer")]
pub async fn decide_transfer(
    family_id: String,
    #[server(default)] decision: String,
    #[server(default)] user_id: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    let values = Form::values(&[("user_id", &user_id), ("comment", &comment)]);
    pipeline::case(&family_id, Action::DecideTransfer)
        .form(values)
        .write(async |c| {
            let pending = transfers::pending(c.conn(), &family_id)
                .await?
                .ok_or(AppError::Conflict)?;
            shared::policy::second_person(&c.caller.actor, &pending.proposed_by)
                .map_err(|_| AppError::SecondPersonRequired)?;
            let (id, then) = (
                pending.case_transfer_id.clone(),
                format!("/cases/{family_id}#transfer"),
            );
            match decision.as_str() {
                "decline" => {
                    let comment = shared::field_error::text(&comment, 3, 2000)
                        .map_err(|e| AppError::invalid("comment", e))?;
                    end(c, &id, TransferDecision::Declined, Some(&comment), None).await?;
                    tell(c, &[(TransferNews::Declined, Some(pending.proposed_by))]).await?;
                    let change =
                        Change::new(CaseEvent::TransferDeclined).text(&pending.to_province);
                    Ok(c.record((), change).await?.then(then))
                }
                "accept" => {
                    let assignee = receiver(c, &user_id, &pending.to_province).await?;
                    let before = c.case.assigned_to.clone();
                    end(c, &id, TransferDecision::Accepted, None, assignee.as_ref()).await?;
                    families::relocate(
                        c.conn(),
                        &family_id,
                        &pending.to_province,
                        &pending.to_district,
                    )
                    .await?;
                    let to = assignee.as_ref().map(|(id, _)| id.as_str());
                    families::assign(c.conn(), &family_id, to).await?;
                    let assigned = match &assignee {
                        Some((id, name)) => Change::new(CaseEvent::Assigned).text(name).detail(id),
                        None => Change::new(CaseEvent::Unassigned),
                    };
                    c.also(assigned).await?;
                    // The sending side (whoever proposed it and whoever had the case) and
                    // the receiving caseworker.
                    let news = [
                        (TransferNews::Accepted, Some(pending.proposed_by)),
                        (TransferNews::Accepted, before),
                        (TransferNews::Received, to.map(String::from)),
                    ];
                    tell(c, &news).await?;
                    let change =
                        Change::new(CaseEvent::TransferAccepted).text(&pending.to_province);
                    Ok(c.record((), change)
                        .await?
                        .then(format!("/cases/{family_id}")))
                }
                _ => Err(AppError::invalid("decision", FieldError::InvalidChoice)),
            }
        })
        .await
}

/// Ends the pending transfer `transfer_id` (else `Conflict`: someone ended it first).
#[cfg(feature = "ssr")]
pub(crate) async fn end(
    c: &mut CaseTx<'_>,
    transfer_id: &str,
    decision: TransferDecision,
    comment: Option<&str>,
    assignee: Option<&(String, String)>,
) -> Result<(), AppError> {
    let (me, now) = (c.caller.actor.user_id.clone(), c.now());
    let d = transfers::Decision {
        decision,
        comment,
        assigned_to: assignee.map(|(id, _)| id.as_str()),
        by: &me,
    };
    if !transfers::decide(c.conn(), transfer_id, &d, now).await? {
        return Err(AppError::Conflict);
    }
    Ok(())
}

/// The caseworker an accepted case goes to, (id, name), or `None` for `none`: one of the
/// ministry working in the new province, else the field's error.
#[cfg(feature = "ssr")]
async fn receiver(
    c: &mut CaseTx<'_>,
    user_id: &str,
    province: &str,
) -> Result<Option<(String, String)>, AppError> {
    match user_id.trim() {
        "" => Err(AppError::invalid("user_id", FieldError::Required)),
        UNASSIGNED => Ok(None),
        id => {
            let org = c.caller.actor.organisation_id.clone();
            let provinces = [province.to_string()];
            let name =
                crate::api::team::successor(c.conn(), &org, id, &provinces, "user_id").await?;
            Ok(Some((id.to_string(), name)))
        }
    }
}

/// Queues each (news, user) email, once per person, to nobody about their own act.
#[cfg(feature = "ssr")]
async fn tell(c: &mut CaseTx<'_>, news: &[(TransferNews, Option<String>)]) -> Result<(), AppError> {
    let mut told = vec![c.caller.actor.user_id.clone()];
    for (news, user) in news {
        let Some(user) = user.as_ref().filter(|u| !told.contains(u)) else {
            continue;
        };
        if let Some(u) = users::by_id(c.conn(), user).await? {
            notify(c, *news, (&u.email, &u.language)).await?;
        }
        told.push(user.clone());
    }
    Ok(())
}

/// Queues the email about the case's transfer to one member of staff.
#[cfg(feature = "ssr")]
async fn notify(c: &mut CaseTx<'_>, news: TransferNews, to: (&str, &str)) -> Result<(), AppError> {
    let (public_url, now) = (c.caller.state.config.public_url.clone(), c.now());
    let case = (c.case.family_id.clone(), c.case.case_number.clone());
    emails::queue_transfer(c.conn(), &public_url, news, to, (&case.0, &case.1), now).await?;
    Ok(())
}
