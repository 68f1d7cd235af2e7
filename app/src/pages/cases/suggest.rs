//! Search as you type on the case list: once the WebAssembly runs, what is typed into the
//! search box is looked up after a pause, and the first matches are listed under the box as
//! links. Without JavaScript the box is part of the GET form and nothing here runs.

use super::person_name;
use crate::api::families::list_cases;
use crate::components::messages::location_name;
use crate::i18n::*;
use crate::model::families::{CaseFilter, CaseSummary};
use futures::future::{abortable, AbortHandle};
use leptos::prelude::*;
use leptos_router::components::A;
use std::time::Duration;

/// How long typing must pause before a lookup: a request per key would load the server for
/// nothing on a slow line.
const PAUSE: Duration = Duration::from_millis(300);
/// The matches listed under the box; the full list is one Enter away.
const SHOWN: usize = 8;

/// A search box whose typing is debounced into `typed`. The box itself is the form's `q`.
/// Enter submits the form (the full list replaces the suggestions); Escape closes them.
#[component]
pub fn SearchBox(initial: String, placeholder: String, typed: RwSignal<String>) -> impl IntoView {
    let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(move || typed.set(value), PAUSE).ok();
        pending.set_value(handle);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if matches!(ev.key().as_str(), "Enter" | "Escape") {
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            typed.set(String::new());
        }
    };
    // Leaving the box (for the Search button, say) drops a lookup not started yet, so that
    // it cannot open over the list the button brings.
    let on_blur = move |_| {
        if let Some(h) = pending.get_value() {
            h.clear();
        }
    };
    view! {
        <input type="search" name="q" value=initial dir="auto" autocomplete="off"
            placeholder=placeholder on:input=on_input on:keydown=on_keydown on:blur=on_blur/>
    }
}

/// The first matches of what was typed, under the box. A newer lookup replaces an older
/// one and aborts its request (dropping a server function's future aborts its fetch). The
/// lookups run in an effect, so only in the browser: on the server nothing is pending and
/// the page renders without waiting.
#[component]
pub fn SearchSuggestions(typed: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let matches: RwSignal<Option<Vec<CaseSummary>>> = RwSignal::new(None);
    let running: StoredValue<Option<AbortHandle>> = StoredValue::new(None);
    Effect::new(move |_| {
        let q = typed.get();
        if let Some(previous) = running.get_value() {
            previous.abort();
        }
        if q.trim().chars().count() < 2 {
            matches.set(None);
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
                matches.set(Some(page.cases));
            }
        });
    });
    move || {
        let cases: Vec<CaseSummary> = matches.get()?;
        Some(if cases.is_empty() {
            view! { <p class="suggestions empty" role="status">{t!(i18n, cases.none)}</p> }
                .into_any()
        } else {
            view! {
                <ul class="suggestions" aria-label=tu_string!(i18n, cases.suggestions)>
                    {cases.into_iter().take(SHOWN).map(|c| {
                        view! {
                            <li>
                                <A href=format!("/cases/{}", c.family_id)>
                                    <bdi dir="ltr">{c.case_number}</bdi>" "
                                    <bdi>{person_name(&c.head_name_local, &c.head_name_latin)}</bdi>
                                    " · "{location_name(i18n, &c.province)}
                                </A>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })
    }
}
