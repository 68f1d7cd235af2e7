//! Form fields with their label, hint and error. The error sits beside the field, is linked
//! to it for screen readers (`aria-describedby`), and is in the user's language.

use super::messages::{app_error_text, field_error_text};
use crate::form::FormState;
use crate::i18n::*;
use leptos::prelude::*;

/// What an input's `aria-describedby` names: its error, and its hint where it has one.
fn described_by(has_hint: bool, error_id: &str, hint_id: &str) -> String {
    match has_hint {
        true => format!("{error_id} {hint_id}"),
        false => error_id.to_string(),
    }
}

/// The ids of a field's input, error and hint: unique per form, and valid in CSS selectors
/// (`members[0][sex]` becomes `register_family-members-0-sex`).
fn ids(form: &FormState, name: &str) -> (String, String, String) {
    let clean: String = name
        .trim_end_matches("[]")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let base = format!(
        "{}-{}",
        form.id(),
        clean.trim_matches('-').replace("--", "-")
    );
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
    #[prop(into)] name: String,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] dir: Option<&'static str>,
    #[prop(optional, into)] hint: Option<ViewFn>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional, into)] placeholder: Option<String>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let input_type = input_type.unwrap_or("text");
    let (id, error_id, hint_id) = ids(&form, &name);
    let initial = if input_type == "password" {
        None
    } else {
        form.typed(&name).or(value)
    };
    let error = form.field_error(name.clone());
    let described = described_by(hint.is_some(), &error_id, &hint_id);
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
                placeholder=placeholder
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
    #[prop(into)] name: String,
    options: Vec<(String, String)>,
    #[prop(optional, into)] value: Option<String>,
    /// A first, empty option ("Choose…").
    #[prop(optional, into)]
    placeholder: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<ViewFn>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, error_id, hint_id) = ids(&form, &name);
    let selected = form.typed(&name).or(value).unwrap_or_default();
    let error = form.field_error(name.clone());
    let described = described_by(hint.is_some(), &error_id, &hint_id);
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>
                {children()}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h.run()}</p> })}
            <select
                id=id
                name=name
                aria-required=required.then_some("true")
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
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
    #[prop(into)] name: String,
    groups: Vec<(String, Vec<(String, String)>)>,
    selected: Vec<String>,
    #[prop(optional, into)] hint: Option<ViewFn>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, error_id, hint_id) = ids(&form, &name);
    let base = name.trim_end_matches("[]").to_string();
    let selected = match form.typed(&base) {
        Some(typed) => typed.split(',').map(str::to_string).collect(),
        None => selected,
    };
    let error = form.field_error(base);
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
                                                <input type="checkbox" name=name.clone() value=v checked=checked/>
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

/// A question answered by one of `options` (radio buttons), with an optional first choice
/// that sends nothing (`none_label`: "No answer").
#[component]
pub fn RadioGroup(
    form: FormState,
    #[prop(into)] name: String,
    options: Vec<(String, String)>,
    #[prop(optional, into)] none_label: Option<String>,
    #[prop(optional, into)] value: Option<String>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, error_id, _) = ids(&form, &name);
    let selected = form.typed(&name).or(value).unwrap_or_default();
    let error = form.field_error(name.clone());
    let choices = none_label
        .map(|l| (String::new(), l))
        .into_iter()
        .chain(options);
    let described = error_id.clone();
    view! {
        <fieldset class="field radio-group" class:invalid=move || error.get().is_some() id=id aria-describedby=described>
            <legend>{children()}</legend>
            <div class="radio-options">
                {choices
                    .map(|(v, label)| {
                        let checked = v == selected;
                        let none = v.is_empty();
                        view! {
                            <label class="radio" class:radio-none=none>
                                <input type="radio" name=name.clone() value=v checked=checked/>
                                <span>{label}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
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
    // Errors about the household's members as a whole (too many, none) have no input of
    // their own: they are shown here.
    let members = form.field_error("members");
    view! {
        <div class="form-alert" aria-live="polite">
            {move || {
                error.get().map(|e| view! { <p class="alert alert-error" role="alert">{app_error_text(i18n, &e)}</p> })
            }}
            {move || invalid.get().then(|| view! { <p class="alert alert-error">{t!(i18n, errors.invalid)}</p> })}
            {move || members.get().map(|e| view! { <p class="alert alert-error">{field_error_text(i18n, &e)}</p> })}
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

/// A form's submit button.
#[component]
pub fn Submit(#[prop(optional)] class: Option<&'static str>, children: Children) -> impl IntoView {
    view! {
        <button type="submit" class=class.unwrap_or("button primary")>{children()}</button>
    }
}

/// A labelled multi-line text input.
#[component]
pub fn TextArea(
    form: FormState,
    #[prop(into)] name: String,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] rows: Option<u32>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, error_id, _) = ids(&form, &name);
    let initial = form.typed(&name).or(value).unwrap_or_default();
    let error = form.field_error(name.clone());
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>
                {children()}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <textarea
                id=id
                name=name
                rows=rows.unwrap_or(3)
                aria-required=required.then_some("true")
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=error_id.clone()
            >
                {initial}
            </textarea>
            <p class="field-error" id=error_id role="alert">
                {move || error.get().map(|e| field_error_text(i18n, &e))}
            </p>
        </div>
    }
}

/// One checkbox with its label and error; it sends `yes` when ticked.
#[component]
pub fn Checkbox(
    form: FormState,
    #[prop(into)] name: String,
    #[prop(optional)] checked: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, error_id, _) = ids(&form, &name);
    let checked = match form.typed(&name) {
        Some(v) => v == "yes",
        None => checked,
    };
    let error = form.field_error(name.clone());
    let input_id = id.clone();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label class="checkbox" for=id>
                <input type="checkbox" id=input_id name=name value="yes" checked=checked aria-describedby=error_id.clone()/>
                <span>{children()}</span>
            </label>
            <p class="field-error" id=error_id role="alert">
                {move || error.get().map(|e| field_error_text(i18n, &e))}
            </p>
        </div>
    }
}

/// A date input in the reader's calendar and digits (`۱۴۰۵-۰۱-۱۵` or `2026-04-03`). The form
/// must carry the calendar in a hidden `calendar` input ([`CalendarInput`]).
#[component]
pub fn DateField(
    form: FormState,
    #[prop(into)] name: String,
    /// The stored (ISO) value to start from.
    #[prop(optional, into)]
    value: Option<String>,
    #[prop(optional)] required: bool,
    children: Children,
) -> impl IntoView {
    use super::dates::{calendar, format_input_date, num};
    use shared::calendar::Calendar;
    let i18n = use_i18n();
    let initial = value.map(|v| format_input_date(i18n, &v));
    let hint = move || match calendar(i18n) {
        Calendar::SolarHijri => tu_string!(i18n, dates.hint_solar_hijri).to_string(),
        Calendar::Gregorian => tu_string!(i18n, dates.hint_gregorian).to_string(),
    };
    let placeholder = match calendar(i18n) {
        Calendar::SolarHijri => num(i18n, "1405-01-15"),
        Calendar::Gregorian => num(i18n, "2026-04-04"),
    };
    view! {
        <Field
            form
            name
            value=initial.unwrap_or_default()
            required
            dir="ltr"
            inputmode="numeric"
            placeholder=placeholder
            hint=ViewFn::from(hint)
        >
            {children()}
        </Field>
    }
}

/// The hidden input that tells the server which calendar the form's dates are in.
#[component]
pub fn CalendarInput() -> impl IntoView {
    let i18n = use_i18n();
    let code = super::dates::calendar_code(super::dates::calendar(i18n));
    view! { <input type="hidden" name="calendar" value=code/> }
}
