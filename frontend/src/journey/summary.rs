//! The summary before sending in: what must be corrected, warnings to
//! confirm, and every answer section by section with «Endre» links; then
//! «Send inn», which waits for the last save by itself.

use leptos::prelude::*;
use leptos::task::spawn_local;
use survey_definitions::{Answer, ItemKind, Mode, validate};

use super::pages::{Blocker, ErrorSummary, ReopenedNotice, SaveLine, blocker};
use super::{Loaded, Open, page_route, sleep};
use crate::api::{self, WriteError};
use std::fmt::Write;

use crate::format::{answer_text, esc, heading};
use crate::items::input_id;
use crate::route::{Resp, Route, Router, focus_later, follow_link, set_title};
use crate::state::Ctx;

/// Every visible answer, section by section, as HTML; with `edit`, an
/// «Endre» link per section and next to each unanswered question.
pub(crate) fn overview_html(l: &Loaded, ctx: Ctx, edit: Option<Resp>) -> String {
    let report = ctx.report.get();
    let answers = ctx.answers.get();
    let specify = |id: &str| match answers.values.get(id) {
        Some(Answer::Text(t)) if !t.trim().is_empty() && report.is_visible(id) => Some(t.clone()),
        _ => None,
    };
    let mut h = String::new();
    for s in &l.def.sections {
        if !report
            .progress
            .sections
            .iter()
            .any(|p| p.id == s.id && p.visible)
        {
            continue;
        }
        let page = |focus: Option<&str>| {
            edit.map(|r| {
                let href = page_route(l, r, &s.id).path();
                let focus = focus
                    .map(|f| format!(" data-focus=\"{}\"", input_id(f)))
                    .unwrap_or_default();
                (href, focus)
            })
        };
        let _ = write!(
            h,
            "<section class=\"answers-section\"><h3>{}</h3>",
            esc(&s.title)
        );
        if let Some((href, _)) = page(None) {
            let _ = write!(
                h,
                "<a class=\"edit-link\" href=\"{}\">Endre svarene på denne siden<span class=\"visually-hidden\"> ({})</span></a>",
                esc(&href),
                esc(&s.title)
            );
        }
        h.push_str("<dl class=\"answers\">");
        for i in l.def.section_items(&s.id) {
            if matches!(i.kind, ItemKind::Specify { .. }) || !report.is_visible(&i.id) {
                continue;
            }
            let a = answers.values.get(&i.id).cloned().unwrap_or(Answer::Null);
            let text = answer_text(&l.registry, i, &a, &specify);
            let _ = write!(h, "<dt>{}</dt>", esc(&heading(i)));
            if text.is_empty() {
                h.push_str("<dd class=\"missing\">Ikke besvart");
                if let Some((href, focus)) = page(Some(&i.id)) {
                    let _ = write!(
                        h,
                        " <a href=\"{}\"{focus}>Endre<span class=\"visually-hidden\"> {}</span></a>",
                        esc(&href),
                        esc(&i.id)
                    );
                }
                h.push_str("</dd>");
            } else {
                let _ = write!(h, "<dd>{}</dd>", esc(&text));
            }
        }
        h.push_str("</dl></section>");
    }
    h
}

/// The summary and «Send inn».
#[component]
pub(crate) fn Summary(
    /// Loaded data.
    l: Loaded,
    /// The response.
    open: Open,
) -> impl IntoView {
    provide_context(open.ctx);
    set_title("Oppsummering", &l.def.survey.title);
    focus_later("page-heading".into());
    super::SAW_SUMMARY.store(true, std::sync::atomic::Ordering::Relaxed);
    let router = Router::get();
    let (ctx, saver) = (open.ctx, open.saver);
    let def = l.def.clone();
    let full = Memo::new(move |_| ctx.answers.with(|a| validate(&def, a, Mode::Complete)));
    let blockers = RwSignal::new(Vec::<Blocker>::new());
    let submit_error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let resp = move || saver.id.get_untracked().map_or(Resp::New, Resp::Id);
    let l_edit = l.clone();
    let edit = Callback::new(move |(section, item): (String, String)| {
        open.focus.set((!item.is_empty()).then(|| input_id(&item)));
        router.go(page_route(&l_edit, resp(), &section));
    });
    let l_goto = l.clone();
    let goto = Callback::new(move |item: String| {
        let section = l_goto
            .def
            .item(&item)
            .map(|i| i.section.clone())
            .unwrap_or_default();
        edit.run((section, item));
    });
    let l_err = l.clone();
    let errors = Memo::new(move |_| {
        full.with(|r| {
            r.visible
                .iter()
                .filter_map(|id| {
                    r.items
                        .get(id)
                        .and_then(|x| x.errors.first())
                        .map(|e| blocker(&l_err, id, &e.message))
                })
                .collect::<Vec<_>>()
        })
    });
    // Show what is missing from the start.
    blockers.set(errors.get_untracked());
    let l_warn = l.clone();
    let warnings = move || {
        let r = full.get();
        r.visible
            .iter()
            .filter_map(|id| r.items.get(id).map(|x| (id.clone(), x.warnings.clone())))
            .flat_map(|(id, ws)| ws.into_iter().map(move |w| (id.clone(), w)))
            .map(|(id, w)| {
                let key = w.key.clone();
                let dom = format!("confirm-{}", key.replace(['.', ':', '/'], "_"));
                let b = blocker(&l_warn, &id, &w.message);
                let item = b.item.clone();
                view! {
                    <li>
                        <span class="tag">"Sjekk:"</span>" "
                        <a href=format!("#{}", input_id(&item)) on:click=move |ev| { ev.prevent_default(); goto.run(item.clone()); }>{b.text}</a>
                        <div class="option">
                            <input type="checkbox" id=dom.clone() prop:checked=w.confirmed on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                ctx.answers.update(|a| { if on { a.confirmed.insert(key.clone()); } else { a.confirmed.remove(&key); } });
                            } />
                            <label for=dom>"Jeg har sjekket, og svaret stemmer"</label>
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    let has_warnings = move || full.with(|r| r.items.values().any(|x| !x.warnings.is_empty()));
    let l_submit = l.clone();
    let submit = move |_| {
        let now = errors.get_untracked();
        if !now.is_empty() {
            blockers.set(now);
            focus_later("error-summary".into());
            return;
        }
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        submit_error.set(None);
        let l = l_submit.clone();
        spawn_local(async move {
            // The last edits are saved first; sending in waits for them.
            saver.schedule(0);
            for _ in 0..100 {
                sleep(100).await;
                if !saver.busy() {
                    break;
                }
            }
            let rejected = saver.rejected();
            let id = saver.id.get_untracked();
            let result = match id {
                Some(id) if !saver.busy() && rejected.is_empty() => {
                    Some(api::submit(&l.token, id, saver.version.get_value()).await)
                }
                _ => None,
            };
            sending.set(false);
            match result {
                None => submit_error.set(Some(
                    "Svarene er ikke lagret ennå, så de kan ikke sendes inn. Sjekk forbindelsen og prøv igjen.".into(),
                )),
                Some(Ok(state)) => {
                    saver.forget_locally();
                    let id = state.id;
                    saver.version.set_value(state.version);
                    saver.state.set(Some(state));
                    router.replace(Route::Receipt(l.token.clone(), id));
                }
                Some(Err(WriteError::Conflict(m, current))) => {
                    saver.version.set_value(current.version);
                    saver.saved.set_value(current.answers.clone());
                    ctx.answers.set(current.answers.clone());
                    saver.state.set(Some(*current));
                    submit_error.set(Some(m));
                }
                Some(Err(e)) => submit_error.set(Some(super::receipt::write_message(e))),
            }
        });
    };
    let l_back = l.clone();
    let back = move |_| {
        let last = ctx.report.with_untracked(|r| {
            r.progress
                .sections
                .iter()
                .rfind(|s| s.visible)
                .map(|s| s.id.clone())
        });
        router.go(page_route(&l_back, resp(), &last.unwrap_or_default()));
    };
    view! {
        <h1 id="page-heading" tabindex="-1">"Oppsummering"</h1>
        <SaveLine status=saver.status />
        <ReopenedNotice open=open />
        <ErrorSummary blockers=blockers goto=goto title="Dette må besvares eller rettes før du kan sende inn" />
        <p class="notice success" hidden=move || !(blockers.with(Vec::is_empty) && errors.with(Vec::is_empty))>"Alle obligatoriske spørsmål er besvart."</p>
        <section class="warning-summary" aria-labelledby="warnings-heading" hidden=move || !has_warnings()>
                <h2 id="warnings-heading">"Sjekk disse svarene"</h2>
                <p>"Se over disse svarene. Rett dem, eller kryss av for at svaret stemmer."</p>
                <ul class="warnings-list">{warnings}</ul>
            </section>
        <section class="summary" aria-labelledby="answers-heading">
            <h2 id="answers-heading">"Dine svar"</h2>
            <div on:click=move |ev| follow_link(&ev, |f| open.focus.set(f))
                inner_html={ let l = l.clone(); move || overview_html(&l, ctx, Some(resp())) }></div>
        </section>
        <nav class="pager" aria-label="Sider">
            <button type="button" on:click=back>"Tilbake til spørsmålene"</button>
            <button type="button" class="primary" on:click=submit>{move || if sending.get() { "Sender inn …" } else { "Send inn" }}</button>
        </nav>
        {move || submit_error.get().map(|e| view! { <p class="load-error" role="alert">{e}</p> })}
    }
}
