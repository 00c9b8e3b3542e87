//! The respondent's journey from a personal link: start page, one section
//! per page, summary, submit, receipt — with debounced autosave.
//!
//! Autosave sends the whole answer set with the version it was based on.
//! Answers the engine rejects are not sent (the last saved value is kept
//! on the server), a network failure is retried, a stale version (another
//! tab) brings the server's answers back with a message, and unsaved edits
//! survive a reload in `localStorage`.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use survey_definitions::{Answer, Mode, SurveyDefinition, validate};

use crate::api::{self, InvitationView, Registry, ResponseState, WriteError};
use crate::app::{Ctx, ProgressBar, SectionView, paragraphs};
use crate::autosave::{Pending, SaveStatus, Saver, pending_key, storage};

#[derive(Clone)]
enum Stage {
    Loading,
    Failed(String),
    Start,
    Answering(ResponseState),
    Receipt(ResponseState),
}

#[derive(Clone)]
struct Loaded {
    view: RwSignal<InvitationView>,
    def: StoredValue<Arc<SurveyDefinition>>,
    registry: StoredValue<Arc<Registry>>,
    token: StoredValue<String>,
    stage: RwSignal<Stage>,
}

/// The journey behind `/svar/{token}`.
#[component]
pub fn Journey(
    /// The personal link's token.
    token: String,
) -> impl IntoView {
    let stage = RwSignal::new(Stage::Loading);
    let loaded: RwSignal<Option<Loaded>> = RwSignal::new(None);
    let t = token.clone();
    spawn_local(async move {
        match api::open(&t).await {
            Ok((view, def, registry)) => {
                loaded.set(Some(Loaded {
                    view: RwSignal::new(view),
                    def: StoredValue::new(Arc::new(def)),
                    registry: StoredValue::new(Arc::new(registry)),
                    token: StoredValue::new(t),
                    stage,
                }));
                stage.set(Stage::Start);
            }
            Err(e) => stage.set(Stage::Failed(e)),
        }
    });
    move || {
        let l = loaded.get();
        match (stage.get(), l) {
            (Stage::Failed(e), _) => {
                view! { <p class="load-error" role="alert">{e}</p> }.into_any()
            }
            (Stage::Start, Some(l)) => view! { <StartPage l=l /> }.into_any(),
            (Stage::Answering(state), Some(l)) => {
                view! { <Questionnaire l=l state=state /> }.into_any()
            }
            (Stage::Receipt(state), Some(l)) => view! { <Receipt l=l state=state /> }.into_any(),
            _ => view! { <p class="status">"Laster spørreskjemaet …"</p> }.into_any(),
        }
    }
}

fn branch_name(branch: Option<i32>) -> &'static str {
    match branch {
        Some(1) => "Egen oppsøkende tjeneste",
        Some(2) => "Oppsøkende arbeid som del av en annen tjeneste",
        Some(3) => "Ikke oppsøkende arbeid",
        _ => "Tjenestetype ikke valgt ennå",
    }
}

/// Local time of an RFC 3339 timestamp (or now), as "kl. 14.32".
pub(crate) fn clock(rfc3339: Option<&str>) -> String {
    let d = match rfc3339 {
        Some(s) => js_sys::Date::new(&wasm_bindgen::JsValue::from_str(s)),
        None => js_sys::Date::new_0(),
    };
    format!("kl. {:02}.{:02}", d.get_hours(), d.get_minutes())
}

fn write_message(e: WriteError) -> String {
    match e {
        WriteError::Conflict(m, _) | WriteError::Invalid(m) | WriteError::Other(m) => m,
        WriteError::Network => "Fikk ikke kontakt med serveren. Prøv igjen om litt.".into(),
    }
}

/// Opens a response (new or existing) for answering.
fn go_answer(l: Loaded, id: Option<i32>, error: RwSignal<Option<String>>) {
    spawn_local(async move {
        let token = l.token.get_value();
        let result = match id {
            Some(id) => api::response(&token, id).await,
            None => api::start(&token).await.map_err(write_message),
        };
        match result {
            Ok(state) if state.status == "submitted" => l.stage.set(Stage::Receipt(state)),
            Ok(state) => l.stage.set(Stage::Answering(state)),
            Err(e) => error.set(Some(e)),
        }
    });
}

/// The start page: introduction and the services answered from this link.
#[component]
fn StartPage(
    /// Loaded data.
    l: Loaded,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let view = l.view;
    let intro = l.def.with_value(|d| d.survey.introduction.clone());
    let l2 = l.clone();
    spawn_local(async move {
        if let Ok(v) = api::invitation(&l2.token.get_value()).await {
            l2.view.set(v);
        }
    });
    let list = {
        let l = l.clone();
        move || {
            view.get()
                .responses
                .into_iter()
                .enumerate()
                .map(|(n, r)| {
                    let l = l.clone();
                    let submitted = r.status == "submitted";
                    let label = if submitted { "Se innsendte svar" } else { "Fortsett" };
                    let status = if submitted { format!("Sendt inn, sist endret {}", clock(Some(&r.updated_at))) } else { format!("Påbegynt, sist lagret {}", clock(Some(&r.updated_at))) };
                    view! {
                        <li class="service">
                            <span>{format!("Svar {}: {}", n + 1, branch_name(r.branch))}<br /><small>{status}</small></span>
                            <button type="button" on:click=move |_| go_answer(l.clone(), Some(r.id), error)>{label}</button>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    let has_any = move || !view.with(|v| v.responses.is_empty());
    let l3 = l.clone();
    view! {
        <header class="top">
            <h1>{move || view.with(|v| v.title.clone())}</h1>
            <p class="for-municipality">{move || view.with(|v| format!("Svar for {} kommune", v.municipality_name))}</p>
        </header>
        <section class="intro" aria-label="Innledning">{paragraphs(&intro)}</section>
        <section aria-labelledby="services-heading">
            <h2 id="services-heading">"Dine svar"</h2>
            <Show when=has_any fallback=|| view! { <p>"Du har ikke begynt ennå."</p> }>
                <ul class="services">{list.clone()}</ul>
            </Show>
            <button type="button" class="primary" on:click=move |_| go_answer(l3.clone(), None, error)>
                {move || if has_any() { "Start svar for en annen tjeneste" } else { "Start undersøkelsen" }}
            </button>
            <p class="hint">"Har kommunen flere tjenester som driver oppsøkende arbeid, svarer du én gang per tjeneste fra denne lenken."</p>
            {move || error.get().map(|e| view! { <p class="load-error" role="alert">{e}</p> })}
        </section>
    }
}

/// The questionnaire: one visible section per page, then the summary.
#[component]
fn Questionnaire(
    /// Loaded data.
    l: Loaded,
    /// The response as loaded from the server.
    state: ResponseState,
) -> impl IntoView {
    // Unsaved edits from before a reload are restored if nothing changed on the server since.
    let mut notice = None;
    let mut initial = state.answers.clone();
    let restored = storage()
        .and_then(|s| s.get_item(&pending_key(state.id)).ok().flatten())
        .and_then(|j| serde_json::from_str::<Pending>(&j).ok());
    if let Some(p) = &restored {
        if p.version == state.version {
            initial = p.answers.clone();
        } else {
            notice = Some("Du hadde endringer som ikke ble lagret, men svarene er endret et annet sted siden. Du ser de sist lagrede svarene.".to_owned());
        }
    }
    let answers = RwSignal::new(initial);
    let def = l.def.get_value();
    let engine_def = def.clone();
    let report = Memo::new(move |_| answers.with(|a| validate(&engine_def, a, Mode::Partial)));
    let ctx = Ctx {
        def: l.def,
        registry: l.registry,
        answers,
        report,
        show_all: RwSignal::new(false),
        proofreading: false,
    };
    provide_context(ctx);
    let saver = Saver {
        token: l.token,
        id: state.id,
        answers,
        ctx,
        version: StoredValue::new(state.version),
        saved: StoredValue::new(state.answers.clone()),
        status: RwSignal::new(match notice {
            Some(n) => SaveStatus::Conflict(n),
            None => SaveStatus::Idle,
        }),
        in_flight: StoredValue::new(false),
        timer: StoredValue::new(None),
    };
    if restored
        .as_ref()
        .is_some_and(|p| p.version != state.version)
    {
        saver.forget_locally();
    }
    Effect::new(move |prev: Option<()>| {
        answers.track();
        if prev.is_some() {
            saver.keep_locally();
            saver.schedule(800);
        }
    });
    if saver.dirty() {
        saver.schedule(0);
    }

    let pages = Memo::new(move |_| {
        report.with(|r| {
            r.progress
                .sections
                .iter()
                .filter(|s| s.visible)
                .map(|s| s.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let page = RwSignal::new(0usize);
    let summary = RwSignal::new(false);
    let current = Memo::new(move |_| {
        pages.with(|p| {
            p.get(page.get().min(p.len().saturating_sub(1)))
                .cloned()
                .unwrap_or_default()
        })
    });
    let to_top = || {
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    };
    let section_view = move || {
        let id = current.get();
        ctx.def
            .with_value(|d| d.section(&id).cloned())
            .map(|s| view! { <SectionView section=s /> })
    };
    let title = def.survey.title.clone();
    let position = move || {
        pages.with(|p| {
            format!(
                "Side {} av {}",
                page.get().min(p.len().saturating_sub(1)) + 1,
                p.len()
            )
        })
    };
    let last = move || pages.with(|p| page.get() + 1 >= p.len());
    view! {
        <header class="top">
            <h1>{title}</h1>
            <ProgressBar />
            <SaveLine status=saver.status />
        </header>
        <Show
            when=move || !summary.get()
            fallback=move || view! { <Summary l=l.clone() saver=saver page=page summary=summary pages=pages /> }
        >
            <p class="position">{position}</p>
            {section_view}
            <nav class="pager" aria-label="Sider">
                <button type="button" disabled=move || page.get() == 0 on:click=move |_| { page.update(|p| *p = p.saturating_sub(1)); to_top(); }>"Forrige"</button>
                <button type="button" class="primary" on:click=move |_| {
                    if last() { summary.set(true) } else { page.update(|p| *p += 1) }
                    to_top();
                }>{move || if last() { "Til oppsummering" } else { "Neste" }}</button>
            </nav>
        </Show>
    }
}

/// The autosave status line.
#[component]
fn SaveLine(
    /// Current status.
    status: RwSignal<SaveStatus>,
) -> impl IntoView {
    let text = move || match status.get() {
        SaveStatus::Idle => (
            "idle",
            "Svarene lagres automatisk mens du fyller ut.".to_owned(),
        ),
        SaveStatus::Saving => ("saving", "Lagrer …".to_owned()),
        SaveStatus::Saved(at) => ("saved", format!("Lagret {at}")),
        SaveStatus::Retrying => ("retrying", "Ikke lagret – prøver igjen".to_owned()),
        SaveStatus::Conflict(m) => ("conflict", m),
        SaveStatus::Problem(m) => ("problem", m),
    };
    view! { <p class="save-status" data-status=move || text().0 role="status" aria-live="polite">{move || text().1}</p> }
}

/// Before submitting: what is missing or wrong, and warnings to confirm.
#[component]
fn Summary(
    /// Loaded data.
    l: Loaded,
    /// The autosave handles.
    saver: Saver,
    /// Current page (to jump back).
    page: RwSignal<usize>,
    /// Whether the summary is shown.
    summary: RwSignal<bool>,
    /// Visible section ids.
    pages: Memo<Vec<String>>,
) -> impl IntoView {
    let ctx = saver.ctx;
    let engine_def = l.def.get_value();
    let full = Memo::new(move |_| {
        saver
            .answers
            .with(|a| validate(&engine_def, a, Mode::Complete))
    });
    let submit_error = RwSignal::new(None::<String>);
    let goto = move |item: String| {
        let section = ctx
            .def
            .with_value(|d| d.item(&item).map(|i| i.section.clone()))
            .unwrap_or_default();
        if let Some(i) = pages.with_untracked(|p| p.iter().position(|s| *s == section)) {
            page.set(i);
        }
        summary.set(false);
    };
    let heading = move |id: &str| {
        ctx.def.with_value(|d| {
            d.item(id)
                .map(|i| {
                    if i.id.starts_with(|c: char| c.is_ascii_digit()) {
                        format!("{} {}", i.id, i.text)
                    } else {
                        i.text.clone()
                    }
                })
                .unwrap_or_default()
        })
    };
    let errors = move || {
        let r = full.get();
        let order: Vec<String> = r.visible.clone();
        order
            .into_iter()
            .filter_map(|id| r.items.get(&id).filter(|x| !x.errors.is_empty()).map(|x| (id.clone(), x.errors[0].message.clone())))
            .map(|(id, message)| {
                let target = if id.contains(':') { id.split(':').next().unwrap_or_default().to_owned() } else { id.clone() };
                view! {
                    <li>
                        <strong>{heading(&target)}</strong>": "{message}" "
                        <button type="button" class="link" on:click=move |_| goto(target.clone())>"Gå til spørsmålet"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let warnings = move || {
        let r = full.get();
        r.visible
            .iter()
            .filter_map(|id| r.items.get(id).map(|x| (id.clone(), x.warnings.clone())))
            .flat_map(|(id, ws)| ws.into_iter().map(move |w| (id.clone(), w)))
            .map(|(id, w)| {
                let key = w.key.clone();
                let dom = format!("confirm-{}", key.replace(['.', ':', '/'], "_"));
                let target = if id.contains(':') { id.split(':').next().unwrap_or_default().to_owned() } else { id.clone() };
                view! {
                    <li>
                        <strong>{heading(&target)}</strong>": "{w.message.clone()}
                        <div class="option">
                            <input type="checkbox" id=dom.clone() prop:checked=w.confirmed on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                saver.answers.update(|a| { if on { a.confirmed.insert(key.clone()); } else { a.confirmed.remove(&key); } });
                            } />
                            <label for=dom>"Jeg har sjekket, og svaret stemmer"</label>
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    // Visible questions left empty that may stay empty (free texts, the grid).
    let unanswered = move || {
        let r = full.get();
        let answered = saver.answers.get();
        ctx.def.with_value(|d| {
            r.visible
                .iter()
                .filter_map(|id| d.item(id))
                .filter(|i| !matches!(i.kind, survey_definitions::ItemKind::Specify { .. }))
                .filter(|i| r.items.get(&i.id).is_none_or(|x| x.errors.is_empty()))
                .filter(|i| {
                    answered
                        .values
                        .get(&i.id)
                        .is_none_or(|a| *a == Answer::Null)
                })
                .map(|i| i.id.clone())
                .collect::<Vec<_>>()
        })
    };
    let optional_list = move || {
        unanswered()
            .into_iter()
            .map(|id| {
                let target = id.clone();
                view! {
                    <li>
                        {heading(&id)}" "
                        <button type="button" class="link" on:click=move |_| goto(target.clone())>"Gå til spørsmålet"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let blocked = move || !full.with(|r| r.is_valid());
    let submit = move |_| {
        if saver.dirty() || saver.in_flight.get_value() {
            saver.schedule(0);
            submit_error.set(Some(
                "Vent litt – svarene lagres. Trykk «Send inn» igjen når de er lagret.".into(),
            ));
            return;
        }
        let l = l.clone();
        spawn_local(async move {
            match api::submit(
                &saver.token.get_value(),
                saver.id,
                saver.version.get_value(),
            )
            .await
            {
                Ok(state) => {
                    saver.forget_locally();
                    l.stage.set(Stage::Receipt(state));
                }
                Err(WriteError::Conflict(m, current)) => {
                    saver.version.set_value(current.version);
                    saver.saved.set_value(current.answers.clone());
                    saver.answers.set(current.answers);
                    submit_error.set(Some(m));
                }
                Err(e) => submit_error.set(Some(write_message(e))),
            }
        });
    };
    view! {
        <section class="summary" aria-labelledby="summary-heading">
            <h2 id="summary-heading">"Oppsummering"</h2>
            <Show when=blocked fallback=|| view! { <p>"Alle obligatoriske spørsmål er besvart."</p> }>
                <p>"Dette må besvares eller rettes før du kan sende inn:"</p>
                <ul class="problems-list">{errors}</ul>
            </Show>
            <Show when=move || !unanswered().is_empty()>
                <p>"Disse spørsmålene er ikke besvart. De kan stå tomme, men svar gjerne:"</p>
                <ul class="unanswered-list">{optional_list}</ul>
            </Show>
            <Show when=move || full.with(|r| r.open_warnings().next().is_some() || r.items.values().any(|x| !x.warnings.is_empty()))>
                <p>"Sjekk disse svarene. Du kan beholde dem ved å bekrefte:"</p>
                <ul class="warnings-list">{warnings}</ul>
            </Show>
            <nav class="pager">
                <button type="button" on:click=move |_| summary.set(false)>"Tilbake til spørsmålene"</button>
                <button type="button" class="primary" disabled=blocked on:click=submit>"Send inn"</button>
            </nav>
            {move || submit_error.get().map(|e| view! { <p class="load-error" role="alert">{e}</p> })}
        </section>
    }
}

/// After submission: thanks, and what can be done next.
#[component]
fn Receipt(
    /// Loaded data.
    l: Loaded,
    /// The submitted response.
    state: ResponseState,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let closing = l
        .def
        .with_value(|d| d.survey.closing.clone().unwrap_or_default());
    let when = clock(state.submitted_at.as_deref());
    let (l1, l2, l3) = (l.clone(), l.clone(), l.clone());
    let (id, version) = (state.id, state.version);
    let reopen = move |_| {
        let l = l2.clone();
        spawn_local(async move {
            match api::reopen(&l.token.get_value(), id, version).await {
                Ok(s) => l.stage.set(Stage::Answering(s)),
                Err(e) => error.set(Some(write_message(e))),
            }
        });
    };
    view! {
        <section class="receipt" aria-labelledby="receipt-heading">
            <h1 id="receipt-heading">"Svarene er sendt inn"</h1>
            <p class="receipt-time">{format!("Mottatt {when}.")}</p>
            {paragraphs(&closing)}
            <nav class="pager">
                <button type="button" on:click=move |_| l1.stage.set(Stage::Start)>"Til oversikten"</button>
                <button type="button" on:click=reopen>"Endre svarene"</button>
                <button type="button" class="primary" on:click=move |_| go_answer(l3.clone(), None, error)>"Svar for en annen tjeneste"</button>
            </nav>
            {move || error.get().map(|e| view! { <p class="load-error" role="alert">{e}</p> })}
        </section>
    }
}
