//! On the family page: moving the case to another province's team — the proposal, and, for a
//! supervisor who did not propose it, acceptance (with the caseworker it goes to) or refusal.

use crate::api::transfers::{DecideTransfer, ProposeTransfer, WithdrawTransfer};
use crate::components::dates::format_timestamp;
use crate::components::fields::{Field, FormAlert, SelectField, Submit, TextArea};
use crate::components::messages::{location_name, options, transfer_reason_label};
use crate::form::FormState;
use crate::i18n::*;
use crate::model::team::UNASSIGNED;
use crate::model::transfers::TransferPanel as Panel;
use leptos::prelude::*;
use shared::family::transfer::{TransferDecision, TransferReason};
use shared::Country;

/// The forms of the transfer panel.
#[derive(Clone, Copy)]
pub struct TransferForms {
    pub propose: (ServerAction<ProposeTransfer>, FormState),
    pub withdraw: (ServerAction<WithdrawTransfer>, FormState),
    pub decide: (ServerAction<DecideTransfer>, FormState),
}

#[component]
pub fn TransferPanel(
    family_id: String,
    /// The case's country and province: a transfer goes to another province of the country.
    country: Country,
    province: String,
    data: Panel,
    forms: TransferForms,
) -> impl IntoView {
    let i18n = use_i18n();
    let (propose, propose_form) = forms.propose;
    let (withdraw, withdraw_form) = forms.withdraw;
    let (decide, decide_form) = forms.decide;
    let mut provinces = super::country_provinces(i18n, country);
    provinces.retain(|(key, _)| *key != province);
    let reasons = options(
        i18n,
        TransferReason::ALL,
        TransferReason::as_str,
        transfer_reason_label,
    );
    let mut receivers: Vec<(String, String)> = data
        .receivers
        .iter()
        .map(|w| (w.user_id.clone(), w.name.clone()))
        .collect();
    receivers.push((
        UNASSIGNED.to_string(),
        tu_string!(i18n, transfer.leave_unassigned).to_string(),
    ));
    let pending = data.latest.clone().filter(|t| t.decision.is_none());
    let ended = data.latest.clone().filter(|t| t.decision.is_some());
    let (f1, f2, f3, f4) = (
        family_id.clone(),
        family_id.clone(),
        family_id.clone(),
        family_id,
    );
    // Nothing to show a caseworker who may not propose (a closed case) and has no history.
    let show = data.latest.is_some() || data.may_propose;
    show.then(move || view! {
        <section class="panel" aria-labelledby="transfer-title" id="transfer">
            <h2 id="transfer-title">{t!(i18n, transfer.title)}</h2>
            <FormAlert form=decide_form/>
            <FormAlert form=withdraw_form/>
            {pending.map(|t| view! {
                <p class="alert alert-warning">
                    {t!(i18n, transfer.pending, province = location_name(i18n, &t.to_province))}
                </p>
                <dl class="facts">
                    <dt>{t!(i18n, transfer.to_district)}</dt>
                    <dd><bdi>{t.to_district.clone()}</bdi></dd>
                    <dt>{t!(i18n, transfer.reason)}</dt>
                    <dd>{transfer_reason_label(i18n, t.reason)}</dd>
                    <dt>{t!(i18n, transfer.proposed_by)}</dt>
                    <dd><bdi>{t.proposed_by.clone()}</bdi>" · "{format_timestamp(i18n, &t.proposed_at, Some(country))}</dd>
                </dl>
                {t.note.clone().map(|n| view! { <p class="note-body" dir="auto">{n}</p> })}
                {(t.proposed_by_you && !data.may_decide && data.may_withdraw).then(|| view! {
                    <p class="hint">{t!(i18n, transfer.waiting)}</p>
                })}
            })}
            {data.may_decide.then(|| view! {
                <ActionForm action=decide attr:novalidate=true>
                    <input type="hidden" name="family_id" value=f1.clone()/>
                    <input type="hidden" name="decision" value="accept"/>
                    <SelectField
                        form=decide_form
                        name="user_id"
                        options=receivers.clone()
                        placeholder=tu_string!(i18n, family.choose_caseworker).to_string()
                        required=true
                    >
                        {t!(i18n, transfer.assign_to)}
                    </SelectField>
                    <button type="submit" class="button primary">{t!(i18n, transfer.accept)}</button>
                </ActionForm>
                <details open=move || decide_form.field_error("comment").get().is_some()>
                    <summary>{t!(i18n, transfer.decline)}</summary>
                    <ActionForm action=decide attr:novalidate=true>
                        <input type="hidden" name="family_id" value=f2.clone()/>
                        <input type="hidden" name="decision" value="decline"/>
                        <TextArea form=decide_form name="comment" rows=2 required=true>{t!(i18n, transfer.decline_reason)}</TextArea>
                        <button type="submit" class="button">{t!(i18n, transfer.decline)}</button>
                    </ActionForm>
                </details>
            })}
            {data.may_withdraw.then(|| view! {
                <ActionForm action=withdraw>
                    <input type="hidden" name="family_id" value=f3.clone()/>
                    <button type="submit" class="button">{t!(i18n, transfer.withdraw)}</button>
                </ActionForm>
            })}
            {ended.map(|t| {
                let to = location_name(i18n, &t.to_province);
                let said = match t.decision {
                    Some(TransferDecision::Accepted) => t!(i18n, transfer.was_accepted, province = to.clone()).into_any(),
                    Some(TransferDecision::Declined) => t!(i18n, transfer.was_declined, province = to.clone()).into_any(),
                    _ => t!(i18n, transfer.was_withdrawn, province = to.clone()).into_any(),
                };
                view! {
                    <p>{said}</p>
                    {t.comment.clone().map(|c| view! { <p class="alert alert-warning" dir="auto">{c}</p> })}
                }
            })}
            {data.may_propose.then(|| view! {
                <details open=move || propose_form.error().get().is_some()>
                    <summary>{t!(i18n, transfer.propose)}</summary>
                    <p class="hint">{t!(i18n, transfer.propose_hint)}</p>
                    <ActionForm action=propose attr:novalidate=true>
                        <FormAlert form=propose_form/>
                        <input type="hidden" name="family_id" value=f4.clone()/>
                        <SelectField
                            form=propose_form
                            name="to_province"
                            options=provinces.clone()
                            placeholder=tu_string!(i18n, admin.users.choose).to_string()
                            required=true
                        >
                            {t!(i18n, transfer.to_province)}
                        </SelectField>
                        <Field form=propose_form name="to_district" required=true>{t!(i18n, transfer.to_district)}</Field>
                        <SelectField
                            form=propose_form
                            name="reason"
                            options=reasons.clone()
                            placeholder=tu_string!(i18n, admin.users.choose).to_string()
                            required=true
                        >
                            {t!(i18n, transfer.reason)}
                        </SelectField>
                        <TextArea form=propose_form name="note" rows=3>{t!(i18n, transfer.note)}</TextArea>
                        <Submit>{t!(i18n, transfer.propose)}</Submit>
                    </ActionForm>
                </details>
            })}
        </section>
    })
}
