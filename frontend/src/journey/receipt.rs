//! After sending in: the receipt (when, for whom, a reference), «Ferdig»,
//! a copy of the answers to print or save as PDF, and «Endre svarene»
//! after a warning that they must then be sent in again.
//!
//! The copy is the browser's own print-to-PDF of a print layout rather
//! than a PDF made on the server: every browser on PC and phone can save a
//! page as PDF, the text stays selectable and in the respondent's fonts,
//! and neither the server nor the respondents' download gains a PDF
//! library and embedded fonts.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::summary::overview_html;
use super::{Loaded, Open, page_route};
use crate::api::{self, WriteError};
use crate::chrome::survey_text;
use crate::format::{date_time, esc};
use crate::route::{Resp, Route, Router, focus_later, set_title};

/// A write's error as a Norwegian sentence.
pub(crate) fn write_message(e: WriteError) -> String {
    match e {
        WriteError::Conflict(m, _) | WriteError::Invalid(m) | WriteError::Other(m) => m,
        WriteError::Network => "Fikk ikke kontakt med serveren. Prøv igjen om litt.".into(),
    }
}

/// Facts of a submitted response, as HTML: when, for whom, which
/// service, and a short reference.
fn facts_html(l: &Loaded, open: Open) -> String {
    let state = open.state();
    let when = state
        .as_ref()
        .and_then(|s| s.submitted_at.clone())
        .map(|t| date_time(&t))
        .unwrap_or_default();
    let id = state.as_ref().map_or(0, |s| s.id);
    let municipality = l.view.with_untracked(|v| v.municipality.clone());
    let who = super::answering_for(l.clone(), RwSignal::new(None), false).get_untracked();
    let mut h = format!(
        "<dl class=\"receipt-facts\"><dt>Mottatt</dt><dd>{}</dd><dt>Svar for</dt><dd>{}</dd>",
        esc(&when),
        esc(&who)
    );
    let service = l.def.survey.response_label.iter().find_map(|item| {
        open.ctx
            .answers
            .with_untracked(|a| match a.values.get(item) {
                Some(survey_definitions::Answer::Text(t)) if !t.trim().is_empty() => {
                    Some(t.trim().to_owned())
                }
                _ => None,
            })
    });
    if let Some(s) = service {
        h.push_str(&format!("<dt>Gjelder</dt><dd>{}</dd>", esc(&s)));
    }
    h.push_str(&format!(
        "<dt>Referanse</dt><dd>{}-{id}</dd></dl>",
        esc(&municipality)
    ));
    h
}

/// Whom to contact about the answers, with the reference.
fn contact_html(l: &Loaded) -> String {
    let s = &l.def.survey;
    if s.contacts.is_empty() {
        let owner = s.owner.clone().unwrap_or_else(|| "oss".into());
        format!(
            "<p>Ta vare på referansen hvis du vil kontakte {} om svarene. Du kan svare på e-posten med invitasjonen.</p>",
            esc(&owner)
        )
    } else {
        format!(
            "<p>Ta vare på referansen hvis du vil kontakte oss om svarene:</p>{}",
            crate::chrome::contacts_html(&s.contacts)
        )
    }
}

/// The receipt.
#[component]
pub(crate) fn Receipt(
    /// Loaded data.
    l: Loaded,
    /// The submitted response.
    open: Open,
) -> impl IntoView {
    set_title("Kvittering", &l.def.survey.title);
    focus_later("page-heading".into());
    let router = Router::get();
    let error = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let closing = l.def.survey.closing.clone().unwrap_or_default();
    let id = open.state().map_or(0, |s| s.id);
    let l_reopen = l.clone();
    let reopen = move |_| {
        let l = l_reopen.clone();
        let version = open.saver.version.get_value();
        spawn_local(async move {
            match api::reopen(&l.token, id, version).await {
                Ok(s) => {
                    open.saver.version.set_value(s.version);
                    open.saver.state.set(Some(s));
                    let first = l
                        .def
                        .sections
                        .first()
                        .map(|s| s.id.clone())
                        .unwrap_or_default();
                    router.go(page_route(&l, Resp::Id(id), &first));
                }
                Err(e) => error.set(Some(write_message(e))),
            }
        });
    };
    let (t1, t2) = (l.token.clone(), l.token.clone());
    view! {
        <section class="receipt" aria-labelledby="page-heading">
            <h1 id="page-heading" tabindex="-1">"Svarene er sendt inn"</h1>
            <div inner_html=facts_html(&l, open)></div>
            <div inner_html=contact_html(&l)></div>
            {survey_text(&l.def, &closing)}
            <div class="receipt-actions">
                <button type="button" class="primary" on:click=move |_| router.go(Route::Start(t1.clone()))>"Ferdig"</button>
                <button type="button" on:click=move |_| {
                    router.go(Route::Copy(t2.clone(), id));
                    request_animation_frame(|| { let _ = window().print(); });
                }>"Last ned kopi (PDF)"</button>
                <button type="button" on:click=move |_| { confirming.set(true); focus_later("confirm-yes".into()); }>"Endre svarene"</button>
            </div>
                <div class="confirm" role="alertdialog" aria-labelledby="confirm-heading" hidden=move || !confirming.get()>
                    <h2 id="confirm-heading">"Vil du endre svarene?"</h2>
                    <p>"Svarene blir da et utkast igjen. De regnes ikke som sendt inn før du sender dem inn på nytt."</p>
                    <button type="button" class="primary" id="confirm-yes" on:click=reopen>"Ja, endre svarene"</button>
                    " "
                    <button type="button" on:click=move |_| confirming.set(false)>"Avbryt"</button>
                </div>
            {move || error.get().map(|e| view! { <p class="load-error" role="alert">{e}</p> })}
        </section>
    }
}

/// A copy of the submitted answers in a print layout.
#[component]
pub(crate) fn Copy(
    /// Loaded data.
    l: Loaded,
    /// The submitted response.
    open: Open,
) -> impl IntoView {
    set_title("Kopi av svarene", &l.def.survey.title);
    focus_later("page-heading".into());
    let router = Router::get();
    let id = open.state().map_or(0, |s| s.id);
    let token = l.token.clone();
    view! {
        <article class="copy" aria-labelledby="page-heading">
            <h1 id="page-heading" tabindex="-1">"Kopi av svarene"</h1>
            <div inner_html=facts_html(&l, open)></div>
            <p class="notice">"Velg «Lagre som PDF» som skriver i utskriftsvinduet for å få kopien som PDF-fil."</p>
            <div class="receipt-actions">
                <button type="button" class="primary" on:click=move |_| { let _ = window().print(); }>"Skriv ut eller lagre som PDF"</button>
                <button type="button" on:click=move |_| router.go(Route::Receipt(token.clone(), id))>"Tilbake til kvitteringen"</button>
            </div>
            <div inner_html={ let l = l.clone(); move || overview_html(&l, open.ctx, None) }></div>
        </article>
    }
}
