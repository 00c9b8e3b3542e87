//! The app shell: loading, the preview page, sections and progress.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use survey_definitions::{
    Answer, AnswerSet, ItemReport, Mode, Section, SurveyDefinition, ValidationReport, validate,
};

use crate::api::{self, Registry};
use crate::items::ItemView;

/// Everything an item component needs; all fields are cheap handles.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The survey definition.
    pub def: StoredValue<Arc<SurveyDefinition>>,
    /// The registry for the county/municipality/district pickers.
    pub registry: StoredValue<Arc<Registry>>,
    /// The answers entered so far (kept in memory only).
    pub answers: RwSignal<AnswerSet>,
    /// The engine's report on `answers`, recomputed on every change.
    pub report: Memo<ValidationReport>,
    /// Whether hidden items are shown too (greyed, with their condition).
    pub show_all: RwSignal<bool>,
    /// Preview for proof-reading: conditions are shown next to sections and items.
    pub proofreading: bool,
}

impl Ctx {
    /// The current answer to an item (tracked).
    pub fn answer(&self, id: &str) -> Answer {
        self.answers
            .with(|a| a.values.get(id).cloned().unwrap_or(Answer::Null))
    }

    /// Sets (or, with `Answer::Null`, clears) an answer.
    pub fn set(&self, id: &str, value: Answer) {
        self.answers.update(|a| {
            if value == Answer::Null {
                a.values.remove(id);
            } else {
                a.values.insert(id.to_owned(), value);
            }
        });
    }

    /// Whether an item is visible under the current answers (tracked).
    pub fn visible(&self, id: &str) -> bool {
        self.report.with(|r| r.is_visible(id))
    }

    /// The item's errors and warnings (tracked).
    pub fn problems(&self, id: &str) -> ItemReport {
        self.report
            .with(|r| r.items.get(id).cloned().unwrap_or_default())
    }
}

#[derive(Clone)]
enum Load {
    Loading,
    Failed(String),
    Ready(Arc<SurveyDefinition>, Arc<Registry>),
}

/// The root component: `/svar/{token}` is a respondent's link, `/admin` the
/// administrators' pages; anything else the preview.
#[component]
pub fn App() -> impl IntoView {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    #[cfg(feature = "admin")]
    if path == "/admin" || path.starts_with("/admin/") {
        return view! { <crate::admin::Admin /> }.into_any();
    }
    if let Some(token) = path.strip_prefix("/svar/") {
        let token = token.trim_end_matches('/').to_owned();
        return view! { <main class="app"><crate::journey::Journey token=token /></main> }
            .into_any();
    }
    view! { <PreviewLoader /> }.into_any()
}

/// Loads the first round's definition and shows the preview.
#[component]
fn PreviewLoader() -> impl IntoView {
    let state = RwSignal::new(Load::Loading);
    spawn_local(async move {
        state.set(match api::load().await {
            Ok((def, registry)) => Load::Ready(Arc::new(def), Arc::new(registry)),
            Err(e) => Load::Failed(e),
        });
    });
    view! {
        <main class="app">
            {move || match state.get() {
                Load::Loading => view! { <p class="status">"Laster spørreskjemaet …"</p> }.into_any(),
                Load::Failed(e) => view! { <p class="load-error" role="alert">{e}</p> }.into_any(),
                Load::Ready(def, registry) => view! { <Preview def=def registry=registry /> }.into_any(),
            }}
        </main>
    }
}

/// Blank lines separate paragraphs; single line breaks are kept (the intro's numbered list).
pub fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let lines = p
                .lines()
                .enumerate()
                .map(|(i, l)| view! { {(i > 0).then(|| view! { <br /> })} {l.to_owned()} })
                .collect_view();
            view! { <p>{lines}</p> }
        })
        .collect_view()
}

/// The read-only preview of a whole survey.
#[component]
fn Preview(
    /// The definition to show.
    def: Arc<SurveyDefinition>,
    /// The registry for the header pickers.
    registry: Arc<Registry>,
) -> impl IntoView {
    let answers = RwSignal::new(AnswerSet::default());
    let engine_def = def.clone();
    let report = Memo::new(move |_| answers.with(|a| validate(&engine_def, a, Mode::Partial)));
    let show_all = RwSignal::new(false);
    let ctx = Ctx {
        def: StoredValue::new(def.clone()),
        registry: StoredValue::new(registry),
        answers,
        report,
        show_all,
        proofreading: true,
    };
    provide_context(ctx);

    let sections = def
        .sections
        .iter()
        .cloned()
        .map(|s| view! { <SectionView section=s /> })
        .collect_view();
    let closing = def.survey.closing.clone().unwrap_or_default();
    view! {
        <header class="top">
            <h1>{def.survey.title.clone()}</h1>
            <p class="banner" role="note">
                "Forhåndsvisning for korrekturlesing. Svarene du fyller inn her lagres ikke."
            </p>
            <label class="toggle">
                <input type="checkbox" on:change=move |ev| show_all.set(event_target_checked(&ev)) />
                " Vis også spørsmål som er skjult nå (med vilkåret for når de vises)"
            </label>
            <ProgressBar />
        </header>
        <section class="intro" aria-label="Innledning">{paragraphs(&def.survey.introduction)}</section>
        {sections}
        <footer class="closing">{paragraphs(&closing)}</footer>
    }
}

/// The progress bar, from the engine's progress.
#[component]
pub fn ProgressBar() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let percent = move || ctx.report.with(|r| r.progress.percent);
    let text = move || {
        ctx.report.with(|r| {
            format!(
                "{} av {} spørsmål besvart",
                r.progress.answered, r.progress.total
            )
        })
    };
    view! {
        <div class="progress">
            <progress max="100" value=percent aria-label="Fremdrift"></progress>
            <span>{text}</span>
        </div>
    }
}

/// One section with its items; hidden sections disappear unless "show all" is on.
#[component]
pub fn SectionView(
    /// The section.
    section: Section,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = section.id.clone();
    let has_visible = Memo::new(move |_| {
        ctx.report
            .with(|r| r.progress.sections.iter().any(|s| s.id == id && s.visible))
    });
    let shown = move || has_visible.get() || ctx.show_all.get();
    let condition = section
        .relevant
        .as_ref()
        .filter(|_| ctx.proofreading)
        .map(|e| e.source().to_owned());
    let items = ctx
        .def
        .with_value(|d| d.section_items(&section.id).cloned().collect::<Vec<_>>());
    let items = items
        .into_iter()
        .filter(|i| !matches!(i.kind, survey_definitions::ItemKind::Specify { .. }))
        .map(|item| view! { <ItemView item=item /> })
        .collect_view();
    view! {
        <section class="section" class:skjult=move || !has_visible.get() data-section=section.id.clone() style:display=move || if shown() { "" } else { "none" }>
            <h2>{section.title.clone()}</h2>
            {condition.map(|c| view! { <p class="condition">"Vises når: " <code>{c}</code></p> })}
            {items}
        </section>
    }
}
