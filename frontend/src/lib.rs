//! The omfang browser app (Leptos, client-side rendered, wasm32).
//!
//! Three parts, chosen by path (`app.rs`): `/svar/{token}`, the respondent's
//! journey with autosave (`journey.rs`, `autosave.rs`); `/admin`, the
//! administrators' pages (`admin/`, only with the `admin` feature);
//! anything else, a read-only preview of the survey for proof-reading.
//! The app is built twice: without `admin` for respondents (`/pkg`, within
//! the 300 KB budget) and with it for administrators (`/admin-pkg`);
//! `index.html` loads the one the path needs. Relevance and
//! validation are computed by the survey-definition engine compiled to wasm,
//! the same code the server runs.

#[cfg(feature = "admin")]
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
