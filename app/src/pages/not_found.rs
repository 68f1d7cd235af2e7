use crate::components::layout::set_status;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    set_status(404);
    view! {
        <Title text=tu_string!(i18n, not_found.title)/>
        <main id="main" class="content narrow">
            <section class="panel">
                <h1>{t!(i18n, not_found.title)}</h1>
                <p>{t!(i18n, not_found.body)}</p>
                <p><a href="/" rel="external">{t!(i18n, not_found.go_home)}</a></p>
            </section>
        </main>
    }
}
