//! Printing a page: the print stylesheet (`style/main.css`) leaves out the navigation, the
//! forms and the buttons, so any page prints as it reads. The button calls the browser's
//! print (and "Save as PDF") dialog; it needs JavaScript, so it is hidden until the inline
//! loader (`island_loader.js`) shows it, and the hint beside it says how to print without.

use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn PrintButton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="print-actions no-print">
            <button type="button" class="button" data-print="" hidden>{t!(i18n, print.button)}</button>
            <span class="hint">{t!(i18n, print.hint)}</span>
        </p>
    }
}
