//! Search as you type on the case list, an island: once its WebAssembly runs, what is typed
//! into the search box is looked up after a pause, and the first matches are listed under
//! the box as links. Without JavaScript the box is part of the GET form and nothing here runs.
//!
//! An island gets everything it shows from its props, already in the reader's language: the
//! translations stay on the server and out of the wasm.

use super::person_name;
use crate::api::families::list_cases;
use crate::model::families::{CaseFilter, CaseSummary};
use futures::future::{abortable, AbortHandle};
use leptos::prelude::*;
use std::time::Duration;

/// How long typing must pause before a lookup: a request per key would load the server for
/// nothing on a slow line.
const PAUSE: Duration = Duration::from_millis(300);
/// The matches listed under the box; the full list is one Enter away.
const SHOWN: usize = 8;

/// The search box (the form's `q`) and its suggestions. Enter submits the form (the full list
/// replaces the suggestions); Escape closes them. `provinces` names the provinces the reader
/// may see, by key.
#[island]
pub fn CaseSearch(
    label: String,
    initial: String,
    placeholder: String,
    none: String,
    suggestions_label: String,
    provinces: Vec<(String, String)>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let clear_pending = move || {
        if let Some(h) = pending.get_value() {
            h.clear();
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        clear_pending();
        let handle = set_timeout_with_handle(move || typed.set(value), PAUSE).ok();
        pending.set_value(handle);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if matches!(ev.key().as_str(), "Enter" | "Escape") {
            clear_pending();
            typed.set(String::new());
        }
    };
    // Leaving the box (for the Search button, say) drops a lookup not started yet, so that
    // it cannot open over the list the button brings.
    let on_blur = move |_| clear_pending();
    let matches = suggestions(typed);
    let province = move |key: &str| {
        provinces
            .iter()
            .find(|(k, _)| k == key)
            .map_or_else(|| key.to_string(), |(_, name)| name.clone())
    };
    view! {
        <label>
            <span>{label}</span>
            <input type="search" name="q" value=initial dir="auto" autocomplete="off"
                placeholder=placeholder on:input=on_input on:keydown=on_keydown on:blur=on_blur/>
        </label>
        {move || {
            let cases: Vec<CaseSummary> = matches.get()?;
            Some(if cases.is_empty() {
                view! { <p class="suggestions empty" role="status">{none.clone()}</p> }.into_any()
            } else {
                view! {
                    <ul class="suggestions" aria-label=suggestions_label.clone()>
                        {cases.into_iter().take(SHOWN).map(|c| view! {
                            <li>
                                <a href=format!("/cases/{}", c.family_id)>
                                    <bdi dir="ltr">{c.case_number}</bdi>" "
                                    <bdi>{person_name(&c.head_name_local, &c.head_name_latin)}</bdi>
                                    " · "{province(&c.province)}
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            })
        }}
    }
}

/// The matches of what was typed. A newer lookup replaces an older one and aborts its request
/// (dropping a server function's future aborts its fetch). Lookups run in an effect, so only
/// in the browser.
fn suggestions(typed: RwSignal<String>) -> ReadSignal<Option<Vec<CaseSummary>>> {
    let (matches, set_matches) = signal(None);
    let running: StoredValue<Option<AbortHandle>> = StoredValue::new(None);
    Effect::new(move |_| {
        let q = typed.get();
        if let Some(previous) = running.get_value() {
            previous.abort();
        }
        if q.trim().chars().count() < 2 {
            set_matches.set(None);
            return;
        }
        let filter = CaseFilter {
            q: Some(q),
            ..CaseFilter::default()
        };
        let (lookup, handle) = abortable(list_cases(filter));
        running.set_value(Some(handle));
        leptos::task::spawn_local(async move {
            if let Ok(Ok(page)) = lookup.await {
                set_matches.set(Some(page.cases));
            }
        });
    });
    matches
}
