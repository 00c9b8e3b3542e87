//! One page of questions: where one is («Side 3 av 9: Om de ansatte»),
//! the save line, the questions, and «Forrige»/«Neste» with the error
//! summary when something on the page must be corrected first.

use leptos::prelude::*;
use survey_definitions::{Mode, validate};

use super::start::last_page_key;
use super::{Loaded, Open, page_route};
use crate::autosave::{SaveStatus, focused_item};
use crate::format::heading;
use crate::items::{SectionView, input_id};
use crate::route::{Resp, Route, Router, focus_later, set_title};

/// A problem to correct, linking to its question.
#[derive(Clone, PartialEq)]
pub(crate) struct Blocker {
    /// Item id (the question's, for a "specify" text its choice's).
    pub item: String,
    /// What to show.
    pub text: String,
}

/// The error summary at the top of a page (the public-sector pattern: a
/// list that links to each field), focused when shown.
#[component]
pub(crate) fn ErrorSummary(
    /// The problems.
    blockers: RwSignal<Vec<Blocker>>,
    /// Where a link leads (moves to the question's page if needed).
    goto: Callback<String>,
    /// The heading.
    title: &'static str,
) -> impl IntoView {
    view! {
            <div class="error-summary" id="error-summary" tabindex="-1" role="alert" aria-labelledby="error-summary-heading" hidden=move || blockers.with(Vec::is_empty)>
                <h2 id="error-summary-heading">{title}</h2>
                <ul>
                    {move || blockers.get().into_iter().map(|b| {
                        let item = b.item.clone();
                        view! {
                            <li><a href=format!("#{}", input_id(&b.item)) on:click=move |ev| { ev.prevent_default(); goto.run(item.clone()); }>{b.text}</a></li>
                        }
                    }).collect_view()}
                </ul>
            </div>
    }
}

/// The question and message of an item for a summary line.
pub(crate) fn blocker(l: &Loaded, id: &str, message: &str) -> Blocker {
    let base = id.split(':').next().unwrap_or(id).to_owned();
    let question = l.def.item(&base).map(heading).unwrap_or_default();
    Blocker {
        item: base,
        text: format!("{question} – {message}"),
    }
}

/// The autosave status line.
#[component]
pub(crate) fn SaveLine(
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
        SaveStatus::Unsaved(item) => (
            "unsaved",
            format!("Ikke lagret – rett feilen i {item}. Resten av svarene er lagret."),
        ),
        SaveStatus::Retrying => ("retrying", "Ikke lagret – prøver igjen".to_owned()),
        SaveStatus::Conflict(m) => ("conflict", m),
        SaveStatus::Problem(m) => ("problem", m),
    };
    view! { <p class="save-status" data-status=move || text().0 role="status" aria-live="polite">{move || text().1}</p> }
}

/// «Ikke sendt inn – husk å sende inn på nytt» on a reopened response.
#[component]
pub(crate) fn ReopenedNotice(
    /// The response.
    open: Open,
    /// The summary's address, for a link straight to it.
    #[prop(optional)]
    summary: Option<String>,
) -> impl IntoView {
    let reopened = move || {
        open.state()
            .is_some_and(|s| s.status == "draft" && s.submitted_at.is_some())
    };
    view! {
        <p class="notice warning" hidden=move || !reopened() on:click=|ev| crate::route::follow_link(&ev, |_| ())>
            "Ikke sendt inn – husk å sende inn på nytt når du er ferdig med endringene. Inntil da regnes svarene som ikke sendt inn."
            {summary.map(|href| view! { " " <a href=href>"Gå til oppsummeringen og send inn"</a> })}
        </p>
    }
}

/// One page of a response.
#[component]
pub(crate) fn QuestionPage(
    /// Loaded data.
    l: Loaded,
    /// The response.
    open: Open,
    /// The section shown.
    section: String,
) -> impl IntoView {
    provide_context(open.ctx);
    let router = Router::get();
    let (ctx, saver) = (open.ctx, open.saver);
    let pages = Memo::new(move |_| {
        ctx.report.with(|r| {
            r.progress
                .sections
                .iter()
                .filter(|s| s.visible)
                .map(|s| s.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let pending = Memo::new(move |_| {
        ctx.report
            .with(|r| r.progress.sections.iter().any(|s| s.pending))
    });
    let index = {
        let section = section.clone();
        Memo::new(move |_| pages.with(|p| p.iter().position(|s| *s == section).unwrap_or(0)))
    };
    let current =
        Memo::new(move |_| pages.with(|p| p.get(index.get()).cloned().unwrap_or_default()));
    let title_of = {
        let def = l.def.clone();
        move |id: &str| def.section(id).map(|s| s.title.clone()).unwrap_or_default()
    };
    let position = {
        let title_of = title_of.clone();
        move || {
            let (i, n) = (index.get() + 1, pages.with(Vec::len));
            let title = title_of(&current.get());
            if pending.get() {
                format!("Side {i}: {title}")
            } else {
                format!("Side {i} av {n}: {title}")
            }
        }
    };
    set_title(&position(), &l.def.survey.title);
    let blockers = RwSignal::new(Vec::<Blocker>::new());
    // Focus: a question asked for («Gå til spørsmålet»), else the heading.
    focus_later(
        open.focus
            .get_untracked()
            .unwrap_or_else(|| "page-heading".into()),
    );
    open.focus.set(None);
    // Remember the page last edited, for «Fortsett» on a later visit.
    {
        let section = section.clone();
        Effect::new(move |prev: Option<()>| {
            ctx.answers.track();
            if prev.is_some()
                && let (Some(id), Ok(Some(s))) =
                    (saver.id.get_untracked(), window().local_storage())
            {
                let _ = s.set_item(&last_page_key(id), &section);
            }
        });
    }
    let resp = move || saver.id.get_untracked().map_or(Resp::New, Resp::Id);
    let l_goto = l.clone();
    let goto = Callback::new(move |item: String| {
        let target = input_id(&item);
        let section = l_goto
            .def
            .item(&item)
            .map(|i| i.section.clone())
            .unwrap_or_default();
        if section == current.get_untracked() {
            focus_later(target);
        } else {
            open.focus.set(Some(target));
            router.go(page_route(&l_goto, resp(), &section));
        }
    });
    let l_next = l.clone();
    let next = move |_| {
        let i = index.get_untracked();
        let page = current.get_untracked();
        let last = pages.with_untracked(|p| i + 1 >= p.len());
        let on_page: Vec<String> = ctx
            .def
            .with_value(|d| d.section_items(&page).map(|it| it.id.clone()).collect());
        // Wrong answers block; so do required ones when later pages depend on them.
        let mut found = ctx.report.with_untracked(|r| {
            on_page
                .iter()
                .filter_map(|id| {
                    r.items
                        .get(id)
                        .and_then(|x| x.errors.first())
                        .map(|e| blocker(&l_next, id, &e.message))
                })
                .collect::<Vec<_>>()
        });
        if last && pending.get_untracked() {
            let full = ctx
                .answers
                .with_untracked(|a| validate(&l_next.def, a, Mode::Complete));
            found.extend(on_page.iter().filter_map(|id| {
                full.items
                    .get(id)
                    .and_then(|x| x.errors.iter().find(|e| e.code == "required"))
                    .map(|_| blocker(&l_next, id, "Svar på dette spørsmålet for å gå videre."))
            }));
        }
        if !found.is_empty() {
            for id in &on_page {
                ctx.touch(id);
            }
            blockers.set(found);
            focus_later("error-summary".into());
            return;
        }
        blockers.set(Vec::new());
        if last && !pending.get_untracked() {
            router.go(Route::Summary(l_next.token.clone(), resp()));
        } else if let Some(s) = pages.with_untracked(|p| p.get(i + 1).cloned()) {
            router.go(page_route(&l_next, resp(), &s));
        }
    };
    let l_prev = l.clone();
    let prev = move |_| {
        let i = index.get_untracked();
        match pages.with_untracked(|p| i.checked_sub(1).and_then(|j| p.get(j).cloned())) {
            Some(s) => router.go(page_route(&l_prev, resp(), &s)),
            None => router.go(Route::Start(l_prev.token.clone())),
        }
    };
    let section_view = move || {
        let id = current.get();
        ctx.def
            .with_value(|d| d.section(&id).cloned())
            .map(|s| view! { <SectionView section=s page=true /> })
    };
    // Leaving a field shows its canonical form ("4.50" → "4,5") once saved.
    let settle = move |_| request_animation_frame(move || saver.settle(focused_item().as_deref()));
    let percent = move || (index.get() + 1) * 100 / pages.with(Vec::len).max(1);
    let last_label = move || {
        if pages.with(|p| index.get() + 1 >= p.len()) && !pending.get() {
            "Til oppsummering"
        } else {
            "Neste"
        }
    };
    view! {
        <div class="progress">
            <p class="position">{position}</p>
            <progress max="100" value=percent hidden=move || pending.get() aria-label=move || format!("Side {} av {}", index.get() + 1, pages.with(Vec::len))></progress>
        </div>
        <SaveLine status=saver.status />
        <ReopenedNotice open=open summary=Route::Summary(l.token.clone(), resp()).path() />
        <ErrorSummary blockers=blockers goto=goto title="Dette må rettes før du går videre" />
        <div class="page" on:focusout=settle>{section_view}</div>
        <nav class="pager" aria-label="Sider">
            <button type="button" on:click=prev>{move || if index.get() == 0 { "Til startsiden" } else { "Forrige" }}</button>
            <button type="button" class="primary" on:click=next>{last_label}</button>
            {super::SAW_SUMMARY.load(std::sync::atomic::Ordering::Relaxed).then(|| {
                let l = l.clone();
                view! {
                    <button type="button" id="til-oppsummering" on:click=move |_| router.go(Route::Summary(l.token.clone(), resp()))>"Til oppsummeringen"</button>
                }
            })}
        </nav>
    }
}
