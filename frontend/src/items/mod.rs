//! One component per item kind, and a section of them. Values go into the
//! answer set as entered (numbers as typed text) and the engine decides
//! what is valid. Messages speak once the respondent leaves a field.

mod choice;
mod inputs;
mod roster;

use std::collections::BTreeMap;

use leptos::prelude::*;
use survey_definitions::{Answer, HelpTopic, Item, ItemKind, Requirement, Section, format_number};

use crate::format::heading;
use crate::state::Ctx;
use choice::{Choices, RegistrySelect};
use inputs::{AgeRange, CountGrid, NumberInput, PercentInput, TextInput};
use roster::Roster;

/// The DOM id of an item's input (or fieldset).
pub fn input_id(id: &str) -> String {
    format!("q-{}", id.replace(['.', ':'], "_"))
}

/// The DOM id of an item's message area, referenced by `aria-describedby`.
fn problems_id(id: &str) -> String {
    format!("e-{}", id.replace(['.', ':'], "_"))
}

/// The text an input shows for an answer.
fn as_text(a: &Answer) -> String {
    match a {
        Answer::Text(t) => t.clone(),
        Answer::Number(n) => format_number(*n),
        _ => String::new(),
    }
}

/// Text input → answer (empty clears).
fn text_answer(value: String) -> Answer {
    if value.trim().is_empty() {
        Answer::Null
    } else {
        Answer::Text(value)
    }
}

fn part(a: &Answer, key: &str) -> String {
    match a {
        Answer::Map(m) => m.get(key).map(as_text).unwrap_or_default(),
        _ => String::new(),
    }
}

fn with_part(a: Answer, key: &str, value: String) -> Answer {
    let mut map = match a {
        Answer::Map(m) => m,
        _ => BTreeMap::new(),
    };
    if value.trim().is_empty() {
        map.remove(key);
    } else {
        map.insert(key.to_owned(), Answer::Text(value));
    }
    if map.is_empty() {
        Answer::Null
    } else {
        Answer::Map(map)
    }
}

/// The question's text with "(valgfritt)" on questions that may stay empty.
fn question_text(item: &Item) -> impl IntoView + use<> {
    let optional = (item.required == Requirement::Optional)
        .then(|| view! { " " <span class="optional">"(valgfritt)"</span> });
    view! { {heading(item)} {optional} }
}

fn invalid_flag(ctx: Ctx, id: &str) -> impl Fn() -> &'static str + Send + Sync + 'static + use<> {
    let id = id.to_owned();
    move || {
        if ctx.problems(&id).errors.is_empty() {
            "false"
        } else {
            "true"
        }
    }
}

/// One section with its items; hidden sections disappear unless "show all" is on.
#[component]
pub fn SectionView(
    /// The section.
    section: Section,
    /// Its heading level: a page's own heading (`h1`-like, focusable) or one of many.
    #[prop(optional)]
    page: bool,
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
        .filter(|i| !matches!(i.kind, ItemKind::Specify { .. }))
        .map(|item| view! { <ItemView item=item /> })
        .collect_view();
    let title = section.title.clone();
    let heading = if page {
        view! { <h2 class="page-heading" id="page-heading" tabindex="-1">{title}</h2> }.into_any()
    } else {
        view! { <h2>{title}</h2> }.into_any()
    };
    view! {
        <section class="section" class:skjult=move || !has_visible.get() data-section=section.id.clone() style:display=move || if shown() { "" } else { "none" }>
            {heading}
            {condition.map(|c| view! { <p class="condition">"Vises når: " <code>{c}</code></p> })}
            {items}
        </section>
    }
}

/// One item: question, input for its kind, help, messages.
#[component]
pub fn ItemView(
    /// The item to show.
    item: Item,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = item.id.clone();
    let visible = {
        let id = id.clone();
        move || ctx.visible(&id)
    };
    let visible2 = visible.clone();
    let shown = move || visible() || ctx.show_all.get();
    let condition = item
        .relevant
        .as_ref()
        .filter(|_| ctx.proofreading)
        .map(|e| e.source().to_owned());
    // Help whose text the survey's owner has not supplied yet is not offered.
    let topics: Vec<HelpTopic> = item.help.iter().filter(|h| !h.pending).cloned().collect();
    let help =
        (!topics.is_empty()).then(|| view! { <Help note=item.note.clone() topics=topics /> });
    let input = match &item.kind {
        ItemKind::Text { max_length } => {
            view! { <TextInput item=item.clone() max_length=*max_length long=false /> }.into_any()
        }
        ItemKind::LongText { max_length } => {
            view! { <TextInput item=item.clone() max_length=*max_length long=true /> }.into_any()
        }
        ItemKind::Integer { .. } => {
            view! { <NumberInput item=item.clone() decimal=false /> }.into_any()
        }
        ItemKind::Decimal { .. } => {
            view! { <NumberInput item=item.clone() decimal=true /> }.into_any()
        }
        ItemKind::Date => {
            view! { <NumberInput item=item.clone() decimal=false date=true /> }.into_any()
        }
        // Whole kroner: the same field, read by the engine's money rules.
        ItemKind::Money { .. } => {
            view! { <NumberInput item=item.clone() decimal=false money=true /> }.into_any()
        }
        ItemKind::Percent => view! { <PercentInput item=item.clone() /> }.into_any(),
        ItemKind::SingleChoice { options } => {
            view! { <Choices item=item.clone() options=options.clone() multiple=false /> }
                .into_any()
        }
        ItemKind::MultipleChoice { options, .. } => {
            view! { <Choices item=item.clone() options=options.clone() multiple=true /> }.into_any()
        }
        ItemKind::AgeRange { .. } => view! { <AgeRange item=item.clone() /> }.into_any(),
        ItemKind::CountGrid { rows, money, .. } => {
            view! { <CountGrid item=item.clone() rows=rows.clone() money=*money /> }.into_any()
        }
        // Free wording («cirka 12–15»): a text field the engine reads.
        ItemKind::Estimate { .. } => {
            view! { <TextInput item=item.clone() max_length=40 long=false /> }.into_any()
        }
        ItemKind::Roster { columns, max_rows } => {
            view! { <Roster item=item.clone() columns=columns.clone() max_rows=*max_rows /> }
                .into_any()
        }
        ItemKind::Registry { registry, parent } => {
            view! { <RegistrySelect item=item.clone() registry=*registry parent=parent.clone() /> }
                .into_any()
        }
        ItemKind::Specify { .. } => ().into_any(),
    };
    let (leave, enter) = (id.clone(), id.clone());
    view! {
        <div class="item" class:skjult=move || !visible2() data-item=id.clone()
            style:display=move || if shown() { "" } else { "none" }
            on:focusin=move |ev| {
                if typed_in(&ev) {
                    ctx.typing.set(Some(enter.clone()));
                }
            }
            on:focusout=move |ev| {
                // Leaving for a button («Neste», «Forrige»): the message may
                // wait until the click is done, so the button does not move
                // away under the pointer between press and release.
                let to_button = ev
                    .related_target()
                    .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                    .is_some_and(|e| e.tag_name() == "BUTTON");
                let leave = leave.clone();
                let show = move || {
                    ctx.typing.set(None);
                    ctx.touch(&leave);
                };
                if to_button {
                    set_timeout(show, std::time::Duration::from_millis(300));
                } else {
                    show();
                }
            }>
            {condition.map(|c| view! { <p class="condition">"Vises når: " <code>{c}</code></p> })}
            {input}
            {help}
            <Problems id=id.clone() />
        </div>
    }
}

/// Whether focus went into a field one types in (text, number, textarea).
fn typed_in(ev: &leptos::ev::FocusEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| {
            e.tag_name() == "TEXTAREA" || e.get_attribute("type").as_deref() == Some("text")
        })
}

/// Errors ("Feil:") and warnings ("Sjekk:") of an item, announced politely.
#[component]
fn Problems(
    /// Item id.
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let dom_id = problems_id(&id);
    let list = move || {
        let report = ctx.problems(&id);
        let errors = report.errors.into_iter().map(|p| {
            view! { <li class="error"><span class="tag">"Feil:"</span>" "{p.message}</li> }
        });
        let warnings = report.warnings.into_iter().map(|p| {
            view! { <li class="warning"><span class="tag">"Sjekk:"</span>" "{p.message}</li> }
        });
        errors.chain(warnings).collect_view()
    };
    view! { <ul id=dom_id class="problems" aria-live="polite">{list}</ul> }
}

/// Help topics the respondent can open.
#[component]
fn Help(
    /// Lead text ("Klikk for å lese:").
    note: Option<String>,
    /// The topics (with their texts).
    topics: Vec<HelpTopic>,
) -> impl IntoView {
    let topics = topics
        .into_iter()
        .map(|t| {
            view! {
                <details class="help">
                    <summary>{t.title}</summary>
                    <p>{t.text}</p>
                </details>
            }
        })
        .collect_view();
    view! { <div class="help-topics">{note.map(|n| view! { <p>{n}</p> })}{topics}</div> }
}
