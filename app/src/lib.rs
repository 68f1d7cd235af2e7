//! Homeward's user interface: pages, components and the server functions they call. Server
//! rendering (feature `ssr`) and hydration in the browser (feature `hydrate`) share this code;
//! the server-only parts live in `server/`.
// Leptos view types nest deeply (the family page); without erased components in debug builds
// the compiler needs more than the default depth to lay them out.
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod api;
pub mod app;
#[cfg(feature = "ssr")]
pub mod assets;
#[cfg(feature = "ssr")]
pub mod backend;
#[cfg(test)]
mod catalogue_check;
pub mod components;
pub mod error;
pub mod form;
pub mod model;
pub mod pages;

/// The WebAssembly entry point: readies the reactive system for the page's islands, which
/// `island_loader.js` then hydrates one by one. Nothing else of the page is in the wasm.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
