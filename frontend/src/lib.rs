//! The omfang browser app (Leptos, client-side rendered, wasm32).
//!
//! Three parts, chosen by path (`route.rs` knows every address; `app.rs`
//! dispatches): `/svar/{token}/…`, the respondent's journey (`journey/`,
//! with `autosave.rs`); `/admin`, the administrators' pages (`admin/`, only
//! with the `admin` feature); anything else, a read-only preview of the
//! survey for proof-reading. `state.rs` holds what question components
//! share, `items/` the components, `chrome.rs` the header, footer, privacy
//! notice and accessibility statement, `format.rs` Norwegian time and
//! answers as text.
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
mod chrome;
mod format;
mod items;
mod journey;
#[cfg(feature = "admin")]
mod preview;
mod route;
mod state;

use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the app; called by the wasm-bindgen glue when the module loads.
#[wasm_bindgen(start)]
pub fn start() {
    // Panic messages in the console for the administrators' build; the
    // respondents' build leaves the hook (and its formatting code) out.
    #[cfg(feature = "admin")]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
