//! `/cases/merge?a=…&b=…`: two records of one family side by side (for a supervisor). For
//! each part of the household the value of either record is chosen with a radio button, the
//! people to keep with check boxes; a plain form, so it works before the WebAssembly loads.

use super::person_name;
use crate::api::merges::{compare_cases, MergeCases, UndoMerge};
use crate::components::dates::{format_iso_date, format_timestamp, num};
use crate::components::fields::{FormAlert, Submit};
use crate::components::layout::{ErrorPanel, Page};
use crate::components::messages::{
    document_type_label, field_error_text, location_name, origin_label, relationship_label,
    return_type_label, sex_label, I18n,
};
use crate::form::{flash_resource, FormState};
use crate::i18n::*;
use crate::model::families::{FamilyView, MemberView};
use crate::model::merges::MergeView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::family::merge::MergePart;
use shared::Role;

#[component]
pub fn MergePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let pair = move || {
        let q = query.read();
        (
            q.get("a").unwrap_or_default(),
            q.get("b").unwrap_or_default(),
        )
    };
    let comparison = Resource::new(pair, |(a, b)| compare_cases(a, b));
    let merge = ServerAction::<MergeCases>::new();
    let flash = flash_resource::<MergeCases>();
    view! {
        <Page roles=&[Role::Supervisor]>
            <Title text=tu_string!(i18n, merge.title)/>
            <h1>{t!(i18n, merge.title)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let c = match comparison.await {
                        Ok(c) => c,
                        Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                    };
                    let form = FormState::new(merge, flash.await);
                    let (first, second) = (c.first, c.second);
                    // After an error the choices come back as typed; else the first record's
                    // value, unless only the second has one.
                    let ids = (first.family_id.clone(), second.family_id.clone());
                    let chosen = move |name: &str, first_has: bool, second_has: bool| {
                        form.typed(name).unwrap_or_else(|| {
                            if !first_has && second_has { ids.1.clone() } else { ids.0.clone() }
                        })
                    };
                    let first_for_rows = first.clone();
                    let second_for_rows = second.clone();
                    let members_error = form.field_error("members");
                    view! {
                        <p>{t!(i18n, merge.intro)}</p>
                        <ActionForm action=merge attr:novalidate=true>
                            <FormAlert form/>
                            <input type="hidden" name="family_id" value=first.family_id.clone()/>
                            <input type="hidden" name="other_id" value=second.family_id.clone()/>
                            <input type="hidden" name="version" value=first.version.to_string()/>
                            <input type="hidden" name="other_version" value=second.version.to_string()/>
                            <div class="table-wrap">
                                <table class="data merge">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, merge.part)}</th>
                                            <th scope="col"><bdi dir="ltr">{first.case_number.clone()}</bdi></th>
                                            <th scope="col"><bdi dir="ltr">{second.case_number.clone()}</bdi></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        <Choice form name="survivor" label=tu_string!(i18n, merge.survivor).to_string()
                                            first=(first.family_id.clone(), first.case_number.clone())
                                            second=(second.family_id.clone(), second.case_number.clone())
                                            chosen=chosen("survivor", true, true)/>
                                        {MergePart::ALL.iter().map(|part| {
                                            let (a, b) = (part_value(i18n, *part, &first_for_rows), part_value(i18n, *part, &second_for_rows));
                                            let picked = chosen(part.as_str(), !a.is_empty(), !b.is_empty());
                                            view! {
                                                <Choice form name=part.as_str() label=part_label(i18n, *part).to_string()
                                                    first=(first_for_rows.family_id.clone(), a)
                                                    second=(second_for_rows.family_id.clone(), b)
                                                    chosen=picked/>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <fieldset class="merge-people" aria-describedby="members-hint">
                                <legend>{t!(i18n, merge.people)}</legend>
                                <p class="hint" id="members-hint">{t!(i18n, merge.people_hint)}</p>
                                {move || members_error.get().map(|e| view! { <p class="field-error" role="alert">{field_error_text(i18n, &e)}</p> })}
                                {[first.clone(), second.clone()].into_iter().map(|record| {
                                    let keep = c.keep.clone();
                                    view! {
                                        <h3><bdi dir="ltr">{record.case_number.clone()}</bdi></h3>
                                        <ul class="choices">
                                            {record.members.into_iter().map(|m| {
                                                let checked = keep.contains(&m.member_id);
                                                view! { <Person m checked/> }
                                            }).collect_view()}
                                        </ul>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <Submit>{t!(i18n, merge.submit)}</Submit>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </Page>
    }
}

/// A row of the comparison: the label, and a radio button for each record's value.
#[component]
fn Choice(
    form: FormState,
    name: &'static str,
    label: String,
    /// (family id, value shown) of each record.
    first: (String, String),
    second: (String, String),
    chosen: String,
) -> impl IntoView {
    let error = form.field_error(name);
    let i18n = use_i18n();
    let cell = move |(id, shown): (String, String), n: usize| {
        let input_id = format!("{name}-{n}");
        let checked = id == chosen;
        view! {
            <td>
                <input type="radio" name=name id=input_id.clone() value=id checked=checked/>
                <label for=input_id><bdi>{shown}</bdi></label>
            </td>
        }
    };
    view! {
        <tr>
            <th scope="row">
                {label}
                {move || error.get().map(|e| view! { <p class="field-error" role="alert">{field_error_text(i18n, &e)}</p> })}
            </th>
            {cell(first, 1)}
            {cell(second, 2)}
        </tr>
    }
}

/// A person of either record, with what tells them apart, and the box to keep them.
#[component]
fn Person(m: MemberView, checked: bool) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("member-{}", m.member_id);
    let born = match (&m.birth_date, m.estimated_age) {
        (Some(d), _) => format_iso_date(i18n, d),
        (None, Some(a)) => tu_string!(i18n, family.age_estimated, age = num(i18n, a)).to_string(),
        _ => String::new(),
    };
    let documents = m
        .documents
        .iter()
        .map(|(kind, number)| format!("{} {number}", document_type_label(i18n, *kind)))
        .collect::<Vec<_>>()
        .join(tu_string!(i18n, list_separator));
    view! {
        <li>
            <input type="checkbox" name="members[]" id=id.clone() value=m.member_id.clone() checked=checked/>
            <label for=id>
                <bdi>{person_name(&m.name_local, &m.name_latin)}</bdi>
                <span class="meta">
                    " · "{relationship_label(i18n, m.relationship)}" · "{sex_label(i18n, m.sex)}" · "{born}
                    {m.father_name.clone().map(|f| view! { " · "<bdi>{f}</bdi> })}
                    {(!documents.is_empty()).then(|| view! { " · "<bdi>{documents}</bdi> })}
                </span>
            </label>
        </li>
    }
}

fn part_label(i18n: I18n, part: MergePart) -> &'static str {
    match part {
        MergePart::Area => tu_string!(i18n, family.area),
        MergePart::Address => tu_string!(i18n, family.address),
        MergePart::Phone => tu_string!(i18n, family.phone),
        MergePart::Return => tu_string!(i18n, merge.return_details),
        MergePart::Caseworker => tu_string!(i18n, family.assigned_to),
    }
}

/// What a record holds for a part, as the reader reads it ("" when it holds nothing).
fn part_value(i18n: I18n, part: MergePart, f: &FamilyView) -> String {
    match part {
        MergePart::Area => format!("{} · {}", location_name(i18n, &f.province), f.district),
        MergePart::Address => f.address.clone().unwrap_or_default(),
        MergePart::Phone => f.phone.clone().unwrap_or_default(),
        MergePart::Return => {
            let from = match &f.displaced_from {
                Some(place) => location_name(i18n, place),
                None => origin_label(i18n, &f.returned_from).to_string(),
            };
            format!(
                "{} · {} · {from}",
                format_iso_date(i18n, &f.return_date),
                return_type_label(i18n, f.return_type)
            )
        }
        MergePart::Caseworker => f.assigned_to_name.clone().unwrap_or_default(),
    }
}

/// On a merged-away record: what became of it, and the way to the record it went into.
#[component]
pub fn MergedNotice(merge: MergeView, country: Option<shared::Country>) -> impl IntoView {
    let i18n = use_i18n();
    let notice = tu_string!(
        i18n,
        merge.merged_notice,
        case_number = merge.survivor_case_number.clone(),
        date = format_timestamp(i18n, &merge.merged_at, country),
        name = merge.merged_by.clone()
    )
    .to_string();
    view! {
        <div class="alert alert-warning merged-notice" role="status">
            <p><bdi>{notice}</bdi></p>
            <a href=format!("/cases/{}", merge.survivor_id) class="button">{t!(i18n, merge.open_survivor)}</a>
        </div>
    }
}

/// On a record: the records merged into it (each may be viewed as it was, and the latest
/// undone by a supervisor while nothing has been added since), and, for a supervisor, the
/// way to compare it with another record.
#[component]
pub fn MergesPanel(
    family_id: String,
    merges: Vec<MergeView>,
    supervisor: bool,
    closed: bool,
    country: Option<shared::Country>,
    form: FormState,
    action: ServerAction<UndoMerge>,
) -> impl IntoView {
    let i18n = use_i18n();
    let show = !merges.is_empty() || (supervisor && !closed);
    show.then(move || view! {
        <section class="panel" aria-labelledby="merges-title" id="merges">
            <h2 id="merges-title">{t!(i18n, merge.merges_title)}</h2>
            <FormAlert form/>
            <ul class="merges">
                {merges.into_iter().map(|m| {
                    let text = tu_string!(
                        i18n,
                        merge.merged_from,
                        case_number = m.merged_case_number.clone(),
                        date = format_timestamp(i18n, &m.merged_at, country),
                        name = m.merged_by.clone()
                    ).to_string();
                    let kept = format!("/cases/{}", m.merged_id);
                    let undo = (supervisor && m.undoable).then(|| view! {
                        <ActionForm action attr:novalidate=true>
                            <input type="hidden" name="family_id" value=m.survivor_id/>
                            <input type="hidden" name="merged_id" value=m.merged_id/>
                            <p class="hint">{t!(i18n, merge.undo_hint)}</p>
                            <Submit class="button">{t!(i18n, merge.undo)}</Submit>
                        </ActionForm>
                    });
                    view! {
                        <li>
                            <p><bdi>{text}</bdi></p>
                            <a href=kept>{t!(i18n, merge.view_kept)}</a>
                            {undo}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(supervisor && !closed).then(|| view! {
                <form method="get" action="/cases/merge" class="merge-open">
                    <p class="hint">{t!(i18n, merge.open_hint)}</p>
                    <input type="hidden" name="a" value=family_id.clone()/>
                    <label for="merge-other">{t!(i18n, merge.other)}</label>
                    <input type="text" id="merge-other" name="b" dir="ltr" autocomplete="off" required/>
                    <button type="submit" class="button">{t!(i18n, merge.compare)}</button>
                </form>
            })}
        </section>
    })
}
