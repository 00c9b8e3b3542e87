//! Routing in one place: every screen has its own address, the browser's
//! Back and Forward move between them, and a reload opens the same screen.
//!
//! Hand-written rather than leptos_router: the app has a handful of flat
//! paths, and the router would add weight to the respondents' download.

use leptos::prelude::*;

/// Which response a respondent's screen is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resp {
    /// Not created yet: the first answer creates it.
    New,
    /// A response on the server.
    Id(i32),
}

/// A screen of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The preview for proof-reading (`/`).
    Preview,
    /// The administrators' pages (`/admin…`).
    Admin,
    /// The researchers' pages (`/analyse…`).
    Analyse,
    /// The privacy notice (`/personvern`, `/svar/{token}/personvern`).
    Privacy(Option<String>),
    /// The accessibility statement (`…/tilgjengelighet`).
    Accessibility(Option<String>),
    /// A personal link's start page (`/svar/{token}`).
    Start(String),
    /// One page of questions (`/svar/{token}/{ny|id}/side/{section}`).
    Page(String, Resp, String),
    /// The summary before sending in (`/svar/{token}/{id}/oppsummering`).
    Summary(String, Resp),
    /// The receipt (`/svar/{token}/{id}/kvittering`).
    Receipt(String, i32),
    /// A printable copy of the answers (`/svar/{token}/{id}/kopi`).
    Copy(String, i32),
}

impl Route {
    /// The route of a path.
    pub fn parse(path: &str) -> Route {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let resp = |s: &str| match s {
            "ny" => Some(Resp::New),
            n => n.parse().ok().map(Resp::Id),
        };
        match parts.as_slice() {
            ["admin", ..] => Route::Admin,
            ["analyse", ..] => Route::Analyse,
            ["personvern"] => Route::Privacy(None),
            ["tilgjengelighet"] => Route::Accessibility(None),
            ["svar", t] => Route::Start((*t).to_owned()),
            ["svar", t, "personvern"] => Route::Privacy(Some((*t).to_owned())),
            ["svar", t, "tilgjengelighet"] => Route::Accessibility(Some((*t).to_owned())),
            ["svar", t, r, "side", s] if resp(r).is_some() => Route::Page(
                (*t).to_owned(),
                resp(r).unwrap_or(Resp::New),
                (*s).to_owned(),
            ),
            ["svar", t, r, "oppsummering"] if resp(r).is_some() => {
                Route::Summary((*t).to_owned(), resp(r).unwrap_or(Resp::New))
            }
            ["svar", t, r, "kvittering"] if r.parse::<i32>().is_ok() => {
                Route::Receipt((*t).to_owned(), r.parse().unwrap_or_default())
            }
            ["svar", t, r, "kopi"] if r.parse::<i32>().is_ok() => {
                Route::Copy((*t).to_owned(), r.parse().unwrap_or_default())
            }
            ["svar", t, ..] => Route::Start((*t).to_owned()),
            _ => Route::Preview,
        }
    }

    /// The path of a route.
    pub fn path(&self) -> String {
        let r = |resp: &Resp| match resp {
            Resp::New => "ny".to_owned(),
            Resp::Id(id) => id.to_string(),
        };
        match self {
            Route::Preview => "/".into(),
            Route::Admin => "/admin".into(),
            Route::Analyse => "/analyse".into(),
            Route::Privacy(None) => "/personvern".into(),
            Route::Accessibility(None) => "/tilgjengelighet".into(),
            Route::Privacy(Some(t)) => format!("/svar/{t}/personvern"),
            Route::Accessibility(Some(t)) => format!("/svar/{t}/tilgjengelighet"),
            Route::Start(t) => format!("/svar/{t}"),
            Route::Page(t, resp, s) => format!("/svar/{t}/{}/side/{s}", r(resp)),
            Route::Summary(t, resp) => format!("/svar/{t}/{}/oppsummering", r(resp)),
            Route::Receipt(t, id) => format!("/svar/{t}/{id}/kvittering"),
            Route::Copy(t, id) => format!("/svar/{t}/{id}/kopi"),
        }
    }

    /// The personal link's token, on a respondent's screen.
    pub fn token(&self) -> Option<&str> {
        match self {
            Route::Start(t)
            | Route::Page(t, ..)
            | Route::Summary(t, _)
            | Route::Receipt(t, _)
            | Route::Copy(t, _) => Some(t),
            Route::Privacy(t) | Route::Accessibility(t) => t.as_deref(),
            Route::Preview | Route::Admin | Route::Analyse => None,
        }
    }
}

/// The current route, as a signal the whole app reads.
#[derive(Clone, Copy)]
pub struct Router(pub RwSignal<Route>);

impl Router {
    /// Reads the current address and follows Back and Forward.
    pub fn install() -> Router {
        let route = RwSignal::new(Route::parse(&current_path()));
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            route.set(Route::parse(&current_path()));
        });
        // The listener lives as long as the page.
        std::mem::forget(handle);
        let router = Router(route);
        provide_context(router);
        router
    }

    /// The router provided by [`Router::install`].
    pub fn get() -> Router {
        expect_context::<Router>()
    }

    /// Goes to a route, adding it to the browser's history.
    pub fn go(&self, to: Route) {
        if let Some(h) = history() {
            let _ = h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.path()));
        }
        self.0.set(to);
    }

    /// Rewrites the current address without showing anything new (a new
    /// response got its id while its page is being typed on).
    pub fn rewrite(&self, to: Route) {
        if let Some(h) = history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.path()));
        }
        self.0.update_untracked(|r| *r = to);
    }

    /// Replaces the current address (a submitted response's page becomes
    /// its receipt).
    pub fn replace(&self, to: Route) {
        if let Some(h) = history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.path()));
        }
        self.0.set(to);
    }
}

fn current_path() -> String {
    window().location().pathname().unwrap_or_default()
}

fn history() -> Option<web_sys::History> {
    window().history().ok()
}

/// Sets the browser tab's title.
pub fn set_title(step: &str, survey: &str) {
    let title = if step.is_empty() {
        survey.to_owned()
    } else {
        format!("{step} – {survey}")
    };
    document().set_title(&title);
}

/// Moves keyboard focus to the element with `id` once it is rendered.
pub fn focus_later(id: String) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let Some(el) = document().get_element_by_id(&id) else {
            return;
        };
        // A question's fieldset is not focusable: its first field is.
        let target = match el.tag_name().as_str() {
            "FIELDSET" | "DIV" => el
                .query_selector("input, select, textarea")
                .ok()
                .flatten()
                .unwrap_or(el),
            _ => el,
        };
        let Ok(el) = target.dyn_into::<web_sys::HtmlElement>() else {
            return;
        };
        if id == "page-heading" {
            // A new page starts at the top, header and all.
            window().scroll_to_with_x_and_y(0.0, 0.0);
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = el.focus_with_options(&options);
        } else {
            // The whole question in view (its text above the field), then the field.
            let block = el
                .closest("[data-item], .confirm")
                .ok()
                .flatten()
                .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
                .unwrap_or_else(|| el.clone());
            block.scroll_into_view_with_bool(true);
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = el.focus_with_options(&options);
        }
    });
}

/// Follows a click on an app link inside HTML built as a string
/// (`<a href="/svar/…" data-focus="q-1_7">`) without leaving the page;
/// `focus` receives the element to focus on the next page.
pub fn follow_link(ev: &leptos::ev::MouseEvent, focus: impl Fn(Option<String>)) {
    use wasm_bindgen::JsCast;
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Some(link) = target.closest("a[href^='/']").ok().flatten() else {
        return;
    };
    let Some(href) = link.get_attribute("href") else {
        return;
    };
    ev.prevent_default();
    focus(link.get_attribute("data-focus"));
    Router::get().go(Route::parse(&href));
}
