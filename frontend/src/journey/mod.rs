//! The respondent's journey behind a personal link: start page, one
//! section per page, summary with every answer, sending in, receipt and a
//! printable copy, each at its own address under `/svar/{token}`.
//!
//! A response is created by its first answer; its answers live in one
//! [`Open`] (engine context and autosaver) while the respondent moves
//! between its pages, so Back and Forward never reload anything.

mod pages;
mod receipt;
mod start;
mod summary;

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use survey_definitions::{Answer, RegistryKind, SurveyDefinition};

use crate::api::{self, InvitationView, Registry, ResponseState};
use crate::autosave::{Saver, restore};
use crate::chrome::{AccessibilityPage, PrivacyPage, SiteFooter, SiteHeader};
use crate::format::place_name;
use crate::route::{Resp, Route, Router};
use crate::state::{Ctx, with_fixed};

/// Whether the respondent has seen a summary in this tab: pages then offer
/// «Til oppsummeringen», so a correction made from the summary need not
/// walk every page again.
pub(crate) static SAW_SUMMARY: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// What the link opened: the invitation, the definition and the registry.
#[derive(Clone)]
pub(crate) struct Loaded {
    view: RwSignal<InvitationView>,
    def: Arc<SurveyDefinition>,
    registry: Arc<Registry>,
    token: String,
    fixed: BTreeMap<String, String>,
}

/// The response being answered: its answers, the engine's report and the
/// autosaver; where keyboard focus goes when its next page opens.
#[derive(Clone, Copy)]
pub(crate) struct Open {
    ctx: Ctx,
    saver: Saver,
    focus: RwSignal<Option<String>>,
    /// Opened as a new response (its first answer created it): addresses
    /// still saying `ny` mean this response.
    from_new: bool,
}

impl Open {
    fn new(l: &Loaded, state: Option<ResponseState>) -> Open {
        let from_new = state.is_none();
        let baseline = with_fixed(&l.fixed);
        let (initial, notice) = match &state {
            Some(s) => {
                let r = restore(&l.def, s);
                (r.answers, r.notice)
            }
            None => (baseline.clone(), None),
        };
        let answers = RwSignal::new(initial);
        let ctx = Ctx::new(
            l.def.clone(),
            l.registry.clone(),
            answers,
            l.fixed.clone(),
            false,
        );
        let saver = Saver::new(
            l.token.clone(),
            l.def.clone(),
            state,
            answers,
            baseline,
            notice,
        );
        Open {
            ctx,
            saver,
            focus: RwSignal::new(None),
            from_new,
        }
    }

    /// Whether an address's response is this one.
    fn is(&self, want: Resp) -> bool {
        self.resp() == want || (want == Resp::New && self.from_new)
    }

    fn resp(&self) -> Resp {
        self.saver.id.get_untracked().map_or(Resp::New, Resp::Id)
    }

    /// The response's server state (status, submission time), if it exists.
    fn state(&self) -> Option<ResponseState> {
        self.saver.state.get()
    }
}

/// The response being answered, for pages that start another one.
#[derive(Clone, Copy)]
struct OpenSlot(RwSignal<Option<Open>>);

/// Closes the open response, so the next `ny` address starts a new one.
pub(crate) fn forget_open() {
    if let Some(slot) = use_context::<OpenSlot>() {
        slot.0.set(None);
    }
}

/// Which response a route is about.
fn route_resp(route: &Route) -> Option<Resp> {
    match route {
        Route::Page(_, r, _) | Route::Summary(_, r) => Some(*r),
        Route::Receipt(_, id) | Route::Copy(_, id) => Some(Resp::Id(*id)),
        _ => None,
    }
}

/// The journey behind `/svar/{token}`.
#[component]
pub fn Journey(
    /// The personal link's token.
    token: String,
) -> impl IntoView {
    let router = Router::get();
    let loaded = RwSignal::new(None::<Result<Loaded, String>>);
    let open = RwSignal::new(None::<Open>);
    provide_context(OpenSlot(open));
    let failed = RwSignal::new(None::<String>);
    let owner = Owner::current().expect("the journey renders under an owner");
    let t = token.clone();
    spawn_local(async move {
        loaded.set(Some(match api::open(&t).await {
            Ok((view, def, registry)) => {
                let fixed = survey_definitions::fixed_answers(
                    &def,
                    &view.municipality,
                    view.district.as_deref(),
                );
                Ok(Loaded {
                    view: RwSignal::new(view),
                    def: Arc::new(def),
                    registry: Arc::new(registry),
                    token: t,
                    fixed,
                })
            }
            Err(e) => Err(e),
        }));
    });
    // Once its first answer has created a new response, its address names
    // it (without re-rendering the page being typed on).
    Effect::new(move |_| {
        let Some(id) = open.get().and_then(|o| o.saver.id.get()) else {
            return;
        };
        let renamed = match router.0.get_untracked() {
            Route::Page(t, Resp::New, s) => Some(Route::Page(t, Resp::Id(id), s)),
            Route::Summary(t, Resp::New) => Some(Route::Summary(t, Resp::Id(id))),
            _ => None,
        };
        if let Some(r) = renamed {
            router.rewrite(r);
        }
    });
    // Keep the open response in step with the address.
    Effect::new(move |_| {
        let route = router.0.get();
        let Some(Ok(l)) = loaded.get() else { return };
        let Some(want) = route_resp(&route) else {
            return;
        };
        if open.get_untracked().is_some_and(|o| o.is(want)) {
            return;
        }
        match want {
            Resp::New => owner.with(|| open.set(Some(Open::new(&l, None)))),
            Resp::Id(id) => {
                let owner = owner.clone();
                spawn_local(async move {
                    match api::response(&l.token, id).await {
                        Ok(state) => owner.with(|| open.set(Some(Open::new(&l, Some(state))))),
                        Err(e) => failed.set(Some(e)),
                    }
                });
            }
        }
    });
    move || {
        match loaded.get() {
        None => view! { <main class="app" id="main"><p class="status">"Laster spørreskjemaet …"</p></main> }.into_any(),
        Some(Err(e)) => view! { <main class="app" id="main"><h1>"Lenken kan ikke åpnes"</h1><p class="load-error" role="alert">{e}</p></main> }.into_any(),
        Some(Ok(l)) => {
            let route = router.0.get();
            let content = screen(&l, &route, open, failed);
            let answering_for = answering_for(l.clone(), open, route_resp(&route).is_some());
            view! {
                <SiteHeader def=l.def.clone() answering_for=answering_for />
                <main class="app" id="main">{content}</main>
                <SiteFooter def=l.def.clone() token=Some(l.token.clone()) />
            }
            .into_any()
        }
    }
    }
}

/// The screen for a route.
fn screen(
    l: &Loaded,
    route: &Route,
    open: RwSignal<Option<Open>>,
    failed: RwSignal<Option<String>>,
) -> AnyView {
    let l = l.clone();
    match route.clone() {
        Route::Privacy(_) => {
            let retention = l.view.with_untracked(|v| v.retention_until.clone());
            view! { <PrivacyPage def=l.def.clone() retention_until=retention back=Route::Start(l.token.clone()) /> }.into_any()
        }
        Route::Accessibility(_) => {
            view! { <AccessibilityPage def=l.def.clone() back=Route::Start(l.token.clone()) /> }
                .into_any()
        }
        Route::Start(_) | Route::Admin | Route::Preview => {
            view! { <start::StartPage l=l /> }.into_any()
        }
        route => {
            let want = route_resp(&route);
            (move || {
                if let Some(e) = failed.get() {
                    return view! { <p class="load-error" role="alert">{e}</p> }.into_any();
                }
                let Some(o) = open.get().filter(|o| want.is_some_and(|w| o.is(w))) else {
                    return view! { <p class="status">"Henter svarene …"</p> }.into_any();
                };
                let submitted = o
                    .saver
                    .state
                    .with_untracked(|s| s.as_ref().is_some_and(|s| s.status == "submitted"));
                match route.clone() {
                    Route::Page(_, _, section) if !submitted => {
                        view! { <pages::QuestionPage l=l.clone() open=o section=section /> }
                            .into_any()
                    }
                    Route::Summary(..) if !submitted => {
                        view! { <summary::Summary l=l.clone() open=o /> }.into_any()
                    }
                    Route::Copy(..) if submitted => {
                        view! { <receipt::Copy l=l.clone() open=o /> }.into_any()
                    }
                    _ if submitted => view! { <receipt::Receipt l=l.clone() open=o /> }.into_any(),
                    _ => view! { <summary::Summary l=l.clone() open=o /> }.into_any(),
                }
            })
            .into_any()
        }
    }
}

/// "Stavanger kommune – Bydel Frogner – Uteteamet": the municipality of the
/// link, its district and, once answered, what the response is about.
fn answering_for(l: Loaded, open: RwSignal<Option<Open>>, in_response: bool) -> Signal<String> {
    Signal::derive(move || {
        let mut parts = vec![l.view.with(|v| format!("{} kommune", v.municipality_name))];
        let o = open.get().filter(|_| in_response);
        let answer = |id: &str| -> Option<String> {
            let a = o
                .as_ref()?
                .ctx
                .answers
                .with(|a| a.values.get(id).cloned())?;
            match a {
                Answer::Text(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
                _ => None,
            }
        };
        let district = l.def.items.iter().find_map(|i| match i.kind {
            survey_definitions::ItemKind::Registry {
                registry: RegistryKind::District,
                ..
            } => l.fixed.get(&i.id).cloned().or_else(|| answer(&i.id)),
            _ => None,
        });
        if let Some(d) = district {
            parts.push(place_name(&l.registry, RegistryKind::District, &d));
        }
        if let Some(label) = l.def.survey.response_label.iter().find_map(|id| answer(id)) {
            parts.push(label);
        }
        parts.join(" – ")
    })
}

/// The route of a response's page.
fn page_route(l: &Loaded, resp: Resp, section: &str) -> Route {
    Route::Page(l.token.clone(), resp, section.to_owned())
}

/// Waits `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
