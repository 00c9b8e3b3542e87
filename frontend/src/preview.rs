//! The read-only preview of a whole survey for proof-reading (and its
//! privacy and accessibility pages): in the administrators' build only.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use survey_definitions::{AnswerSet, SurveyDefinition};

use crate::api::{self, Registry};
use crate::chrome::{AccessibilityPage, PrivacyPage, SiteFooter, SiteHeader, survey_text};
use crate::items::SectionView;
use crate::route::{Route, Router, set_title};
use crate::state::Ctx;

#[derive(Clone)]
enum Load {
    Loading,
    Failed(String),
    Ready(Arc<SurveyDefinition>, Arc<Registry>),
}

/// Loads the first round's definition and shows the preview.
#[component]
pub fn PreviewLoader() -> impl IntoView {
    let state = RwSignal::new(Load::Loading);
    spawn_local(async move {
        state.set(match api::load().await {
            Ok((def, registry)) => Load::Ready(Arc::new(def), Arc::new(registry)),
            Err(e) => Load::Failed(e),
        });
    });
    let router = Router::get();
    move || {
        match state.get() {
        Load::Loading => view! { <main class="app" id="main"><p class="status">"Laster spørreskjemaet …"</p></main> }.into_any(),
        Load::Failed(e) => view! { <main class="app" id="main"><p class="load-error" role="alert">{e}</p></main> }.into_any(),
        Load::Ready(def, registry) => {
            let page = match router.0.get() {
                Route::Privacy(_) => view! { <PrivacyPage def=def.clone() retention_until=None back=Route::Preview /> }.into_any(),
                Route::Accessibility(_) => view! { <AccessibilityPage def=def.clone() back=Route::Preview /> }.into_any(),
                _ => view! { <Preview def=def.clone() registry=registry /> }.into_any(),
            };
            view! {
                <SiteHeader def=def.clone() answering_for=Signal::derive(String::new) />
                <main class="app" id="main">{page}</main>
                <SiteFooter def=def token=None />
            }
            .into_any()
        }
    }
    }
}

/// The read-only preview of a whole survey.
#[component]
fn Preview(
    /// The definition to show.
    def: Arc<SurveyDefinition>,
    /// The registry for the header pickers.
    registry: Arc<Registry>,
) -> impl IntoView {
    set_title("Forhåndsvisning", &def.survey.title);
    let answers = RwSignal::new(AnswerSet::default());
    let ctx = Ctx::new(def.clone(), registry, answers, BTreeMap::new(), true);
    let show_all = ctx.show_all;
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
        <section class="intro" aria-label="Innledning">{survey_text(&def, &def.survey.introduction)}</section>
        {sections}
        <section class="closing" aria-label="Avslutning">{survey_text(&def, &closing)}</section>
    }
}

/// The progress bar, from the engine's progress.
#[component]
fn ProgressBar() -> impl IntoView {
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
