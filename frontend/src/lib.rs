//! The omfang browser app (Leptos, client-side rendered, wasm32).
//!
//! Three parts, chosen by path (`app.rs`): `/svar/{token}`, the respondent's
//! journey with autosave (`journey.rs`, `autosave.rs`); `/admin`, the
//! administrators' login and response-rate dashboard (`admin.rs`); anything
//! else, a read-only preview of the survey for proof-reading. Relevance and
//! validation are computed by the survey-definition engine compiled to wasm,
//! the same code the server runs.

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
