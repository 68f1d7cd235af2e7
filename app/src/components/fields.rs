//! Form fields with their label, hint and error. The error sits beside the field, is linked
//! to it for screen readers (`aria-describedby`), and is in the user's language.

use super::messages::{app_error_text, field_error_text};
use crate::form::FormState;
use crate::i18n::*;
use leptos::prelude::*;

fn ids(form: &FormState, name: &str) -> (String, String, String) {
    let base = format!("{}-{}", form.id(), name.trim_end_matches("[]"));
    (
        base.clone(),
        format!("{base}-error"),
        format!("{base}-hint"),
    )
}

/// A labelled `<input>`. The children are the label. After a failed plain form post it shows
/// what was typed (passwords excepted), else `value`.
#[component]
pub fn Field(
    form: FormState,
    name: &'static str,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] dir: Option<&'static str>,
    #[prop(optional, into)] hint: Option<ViewFn>,
    #[prop(optional)] inputmode: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let input_type = input_type.unwrap_or("text");
    let (id, error_id, hint_id) = ids(&form, name);
    let initial = if input_type == "password" {
        None
    } else {
        form.typed(name).or(value)
    };
    let error = form.field_error(name);
    let described = if hint.is_some() {
        format!("{error_id} {hint_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>
                {children()}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h.run()}</p> })}
            <input
                id=id
                name=name
                type=input_type
                value=initial
                autocomplete=autocomplete
                inputmode=inputmode
                dir=dir
                aria-required=required.then_some("true")
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            />
            <p class="field-error" id=error_id role="alert">
                {move || error.get().map(|e| field_error_text(i18n, &e))}
            </p>
        </div>
    }
}

/// A labelled `<select>` over `(value, label)` options.
#[component]
pub fn SelectField(
    form: FormState,
    name: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] value: Option<String>,
    /// A first, empty option ("Choose…").
    #[prop(optional, into)]
    placeholder: Option<String>,
    #[prop(optional)] required: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, error_id, _) = ids(&form, name);
    let selected = form.typed(name).or(value).unwrap_or_default();
    let error = form.field_error(name);
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>
                {children()}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <select
                id=id
                name=name
                aria-required=required.then_some("true")
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=error_id.clone()
            >
                {placeholder.map(|p| view! { <option value="">{p}</option> })}
                {options
                    .into_iter()
                    .map(|(v, label)| {
                        let is_selected = v == selected;
                        view! { <option value=v selected=is_selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=error_id role="alert">
                {move || error.get().map(|e| field_error_text(i18n, &e))}
            </p>
        </div>
    }
}

/// A group of checkboxes named `name` (`areas[]`), grouped under headings.
#[component]
pub fn CheckboxGroup(
    form: FormState,
    name: &'static str,
    groups: Vec<(String, Vec<(String, String)>)>,
    selected: Vec<String>,
    #[prop(optional, into)] hint: Option<ViewFn>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, error_id, hint_id) = ids(&form, name);
    let selected = match form.typed(name.trim_end_matches("[]")) {
        Some(typed) => typed.split(',').map(str::to_string).collect(),
        None => selected,
    };
    let error = form.field_error(name.trim_end_matches("[]"));
    let described = format!("{error_id} {hint_id}");
    view! {
        <fieldset class="field checkbox-group" class:invalid=move || error.get().is_some() id=id aria-describedby=described>
            <legend>{children()}</legend>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h.run()}</p> })}
            {groups
                .into_iter()
                .map(|(heading, items)| {
                    view! {
                        <div class="checkbox-block">
                            <p class="checkbox-heading">{heading}</p>
                            <div class="checkbox-columns">
                                {items
                                    .into_iter()
                                    .map(|(v, label)| {
                                        let checked = selected.contains(&v);
                                        view! {
                                            <label class="checkbox">
                                                <input type="checkbox" name=name value=v checked=checked/>
                                                <span>{label}</span>
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        </div>
                    }
                })
                .collect_view()}
            <p class="field-error" id=error_id role="alert">
                {move || error.get().map(|e| field_error_text(i18n, &e))}
            </p>
        </fieldset>
    }
}

/// The form-level message: an error that is not about one field, or the success note.
#[component]
pub fn FormAlert(
    form: FormState,
    #[prop(optional, into)] success: Option<ViewFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = form.form_error();
    let done = form.done();
    let invalid = form.has_field_errors();
    view! {
        <div class="form-alert" aria-live="polite">
            {move || {
                error.get().map(|e| view! { <p class="alert alert-error" role="alert">{app_error_text(i18n, &e)}</p> })
            }}
            {move || invalid.get().then(|| view! { <p class="alert alert-error">{t!(i18n, errors.invalid)}</p> })}
            {
                let success = success.clone();
                move || {
                    (done.get())
                        .then(|| success.clone())
                        .flatten()
                        .map(|s| view! { <p class="alert alert-success" role="status">{s.run()}</p> })
                }
            }
        </div>
    }
}

/// A submit button that says it is working while the request is on its way.
#[component]
pub fn Submit(
    form: FormState,
    #[prop(optional)] class: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let pending = form.pending();
    view! {
        <button type="submit" class=class.unwrap_or("button primary") aria-disabled=move || pending.get().then_some("true")>
            <span class:hidden=move || pending.get()>{children()}</span>
            <span class:hidden=move || !pending.get()>{t!(i18n, saving)}</span>
        </button>
    }
}
