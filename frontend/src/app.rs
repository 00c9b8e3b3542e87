//! The app shell: routing to the respondent's journey, the administrators'
//! pages or (administrators' build only) the preview for proof-reading.

use leptos::prelude::*;

use crate::route::Router;

/// The root component: `/svar/{token}…` is a respondent's link, `/admin` the
/// administrators' pages; anything else the preview (and its privacy and
/// accessibility pages).
#[component]
pub fn App() -> impl IntoView {
    let router = Router::install();
    let first = router.0.get_untracked();
    #[cfg(feature = "admin")]
    if first == crate::route::Route::Admin {
        return view! { <crate::admin::Admin /> }.into_any();
    }
    #[cfg(feature = "admin")]
    if first == crate::route::Route::Analyse {
        return view! { <crate::admin::Admin research=true /> }.into_any();
    }
    if let Some(token) = first.token() {
        return view! { <crate::journey::Journey token=token.to_owned() /> }.into_any();
    }
    preview()
}

/// The preview for proof-reading is part of the administrators' build:
/// respondents never see it, and it would only add to their download.
#[cfg(feature = "admin")]
fn preview() -> AnyView {
    view! { <crate::preview::PreviewLoader /> }.into_any()
}

#[cfg(not(feature = "admin"))]
fn preview() -> AnyView {
    view! {
        <main class="app" id="main">
            <h1>"Siden finnes ikke"</h1>
            <p>"Bruk lenken i e-posten med invitasjonen for å svare på undersøkelsen."</p>
        </main>
    }
    .into_any()
}
