//! The omfang browser app (Leptos, client-side rendered, wasm32).
//!
//! At this stage it is a read-only preview of a survey definition for
//! proof-reading: every section and item with its options, with relevance
//! and validation computed live by the survey-definition engine compiled to
//! wasm — the same code the server runs. Nothing is saved.

mod admin;
mod api;
mod app;
mod autosave;
mod items;
mod journey;

use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the app; called by the wasm-bindgen glue when the module loads.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
