//! One component per item kind. Values go into the answer set as entered
//! (numbers as typed text) and the engine decides what is valid.

use std::collections::BTreeMap;

use leptos::prelude::*;
use survey_definitions::{
    Answer, ChoiceOption, HelpTopic, Item, ItemKind, RegistryKind, format_number,
};

use crate::app::Ctx;

/// The DOM id of an item's input (or fieldset).
fn input_id(id: &str) -> String {
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

fn codes(a: &Answer) -> Vec<i64> {
    match a {
        Answer::List(l) => l
            .iter()
            .filter_map(|x| {
                if let Answer::Number(n) = x {
                    Some(*n as i64)
                } else {
                    None
                }
            })
            .collect(),
        _ => Vec::new(),
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

/// The question text, prefixed with its number where it has one.
fn heading(item: &Item) -> String {
    if item.id.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{} {}", item.id, item.text)
    } else {
        item.text.clone()
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
    let help = (!item.help.is_empty())
        .then(|| view! { <Help note=item.note.clone() topics=item.help.clone() /> });
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
        ItemKind::Percent => view! { <PercentInput item=item.clone() /> }.into_any(),
        ItemKind::SingleChoice { options } => {
            view! { <Choices item=item.clone() options=options.clone() multiple=false /> }
                .into_any()
        }
        ItemKind::MultipleChoice { options, .. } => {
            view! { <Choices item=item.clone() options=options.clone() multiple=true /> }.into_any()
        }
        ItemKind::AgeRange { .. } => view! { <AgeRange item=item.clone() /> }.into_any(),
        ItemKind::CountGrid { rows, .. } => {
            view! { <CountGrid item=item.clone() rows=rows.clone() /> }.into_any()
        }
        ItemKind::Registry { registry, parent } => {
            view! { <RegistrySelect item=item.clone() registry=*registry parent=parent.clone() /> }
                .into_any()
        }
        ItemKind::Specify { .. } => ().into_any(),
    };
    view! {
        <div class="item" class:skjult=move || !visible2() data-item=id.clone() style:display=move || if shown() { "" } else { "none" }>
            {condition.map(|c| view! { <p class="condition">"Vises når: " <code>{c}</code></p> })}
            {input}
            {help}
            <Problems id=id.clone() />
        </div>
    }
}

/// Errors and warnings of an item, announced politely to screen readers.
#[component]
fn Problems(
    /// Item id.
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let dom_id = problems_id(&id);
    let list = move || {
        let report = ctx.problems(&id);
        let errors = report
            .errors
            .into_iter()
            .map(|p| view! { <li class="error">{p.message}</li> });
        let warnings = report
            .warnings
            .into_iter()
            .map(|p| view! { <li class="warning">{p.message}</li> });
        errors.chain(warnings).collect_view()
    };
    view! { <ul id=dom_id class="problems" aria-live="polite">{list}</ul> }
}

/// Help topics the respondent can open (HKH, SAT).
#[component]
fn Help(
    /// Lead text ("Klikk for å lese:").
    note: Option<String>,
    /// The topics.
    topics: Vec<HelpTopic>,
) -> impl IntoView {
    let topics = topics
        .into_iter()
        .map(|t| {
            view! {
                <details class="help">
                    <summary>{t.title}</summary>
                    <p>{t.text}</p>
                    {t.pending.then(|| view! { <p class="pending">"Utfyllende forklaring kommer fra KORUS."</p> })}
                </details>
            }
        })
        .collect_view();
    view! { <div class="help-topics">{note.map(|n| view! { <p>{n}</p> })}{topics}</div> }
}

/// Short or long text.
#[component]
fn TextInput(
    /// The item.
    item: Item,
    /// Maximum length.
    max_length: u32,
    /// Textarea rather than a one-line input.
    long: bool,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (id, id2) = (item.id.clone(), item.id.clone());
    let value = move || as_text(&ctx.answer(&id));
    let on_input = move |ev| ctx.set(&id2, text_answer(event_target_value(&ev)));
    let invalid = invalid_flag(ctx, &item.id);
    let field = if long {
        view! {
            <textarea id=input_id(&item.id) rows="4" maxlength=max_length aria-describedby=problems_id(&item.id)
                aria-invalid=invalid prop:value=value on:input=on_input></textarea>
        }
        .into_any()
    } else {
        view! {
            <input type="text" id=input_id(&item.id) maxlength=max_length aria-describedby=problems_id(&item.id)
                aria-invalid=invalid prop:value=value on:input=on_input />
        }
        .into_any()
    };
    view! { <label class="question" for=input_id(&item.id)>{heading(&item)}</label> {field} }
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

/// A whole or decimal number, typed as text so "4,5" and mistakes reach the engine.
#[component]
fn NumberInput(
    /// The item.
    item: Item,
    /// Decimal rather than whole number.
    decimal: bool,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (id, id2) = (item.id.clone(), item.id.clone());
    view! {
        <label class="question" for=input_id(&item.id)>{heading(&item)}</label>
        <input type="text" class="number" id=input_id(&item.id) inputmode=if decimal { "decimal" } else { "numeric" }
            aria-describedby=problems_id(&item.id) aria-invalid=invalid_flag(ctx, &item.id)
            prop:value=move || as_text(&ctx.answer(&id))
            on:input=move |ev| ctx.set(&id2, text_answer(event_target_value(&ev))) />
    }
}

/// The 0–100 slider; untouched means unanswered.
#[component]
fn PercentInput(
    /// The item.
    item: Item,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (id, id2, id3) = (item.id.clone(), item.id.clone(), item.id.clone());
    let shown = move || match ctx.answer(&id) {
        Answer::Null => "Ikke besvart".to_owned(),
        a => format!("{} %", as_text(&a)),
    };
    view! {
        <label class="question" for=input_id(&item.id)>{heading(&item)}</label>
        <div class="slider">
            <span aria-hidden="true">"0"</span>
            <input type="range" min="0" max="100" step="1" id=input_id(&item.id) aria-describedby=problems_id(&item.id)
                prop:value=move || { let t = as_text(&ctx.answer(&id2)); if t.is_empty() { "50".to_owned() } else { t } }
                on:input=move |ev| ctx.set(&id3, text_answer(event_target_value(&ev))) />
            <span aria-hidden="true">"100"</span>
            <output for=input_id(&item.id)>{shown}</output>
        </div>
    }
}

/// Radio buttons or checkboxes in a fieldset, with inline "specify" texts.
#[component]
fn Choices(
    /// The item.
    item: Item,
    /// Options in the source's order.
    options: Vec<ChoiceOption>,
    /// Checkboxes rather than radio buttons.
    multiple: bool,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let name = input_id(&item.id);
    let options = options
        .into_iter()
        .map(|o| {
            let (id, id2) = (item.id.clone(), item.id.clone());
            let code = o.code;
            let option_id = format!("{name}-{code}");
            let checked = move || {
                let a = ctx.answer(&id);
                if multiple { codes(&a).contains(&code) } else { matches!(a, Answer::Number(n) if n as i64 == code) }
            };
            let on_change = move |ev| {
                let on = event_target_checked(&ev);
                if multiple {
                    let mut list = codes(&ctx.answer(&id2));
                    list.retain(|c| *c != code);
                    if on {
                        list.push(code);
                    }
                    ctx.set(&id2, if list.is_empty() { Answer::Null } else { Answer::from(list) });
                } else if on {
                    ctx.set(&id2, Answer::from(code));
                }
            };
            let specify = o.specify.clone().map(|sid| view! { <SpecifyInput id=sid /> });
            view! {
                <div class="option">
                    <input type=if multiple { "checkbox" } else { "radio" } id=option_id.clone() name=name.clone()
                        value=code.to_string() prop:checked=checked on:change=on_change />
                    <label for=option_id>{o.label.clone()}</label>
                    {specify}
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset id=input_id(&item.id) aria-describedby=problems_id(&item.id) aria-invalid=invalid_flag(ctx, &item.id)>
            <legend class="question">{heading(&item)}</legend>
            {options}
        </fieldset>
    }
}

/// The text of an "other (specify)" option, shown when the option is chosen.
#[component]
fn SpecifyInput(
    /// Id of the generated specify item.
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (id1, id2, id3) = (id.clone(), id.clone(), id.clone());
    let label = ctx
        .def
        .with_value(|d| d.item(&id).map(|i| i.text.clone()).unwrap_or_default());
    let shown = move || ctx.visible(&id1) || ctx.show_all.get();
    view! {
        <div class="specify" style:display=move || if shown() { "" } else { "none" }>
            <label class="visually-hidden" for=input_id(&id)>{format!("{label}: spesifiser")}</label>
            <input type="text" id=input_id(&id) placeholder="Spesifiser" aria-describedby=problems_id(&id)
                prop:value=move || as_text(&ctx.answer(&id2))
                on:input=move |ev| ctx.set(&id3, text_answer(event_target_value(&ev))) />
            <Problems id=id.clone() />
        </div>
    }
}

/// Lower and upper age bound.
#[component]
fn AgeRange(
    /// The item.
    item: Item,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let bound = |key: &'static str, label: &'static str| {
        let (id, id2) = (item.id.clone(), item.id.clone());
        let dom = format!("{}-{key}", input_id(&item.id));
        view! {
            <div class="bound">
                <label for=dom.clone()>{label}</label>
                <input type="text" class="number" inputmode="numeric" id=dom aria-describedby=problems_id(&item.id)
                    prop:value=move || part(&ctx.answer(&id), key)
                    on:input=move |ev| ctx.set(&id2, with_part(ctx.answer(&id2), key, event_target_value(&ev))) />
            </div>
        }
    };
    view! {
        <fieldset id=input_id(&item.id) aria-describedby=problems_id(&item.id) aria-invalid=invalid_flag(ctx, &item.id)>
            <legend class="question">{heading(&item)}</legend>
            {bound("lower", "Nedre aldersgrense")}
            {bound("upper", "Øvre aldersgrense")}
        </fieldset>
    }
}

/// Counts per row (staff by education).
#[component]
fn CountGrid(
    /// The item.
    item: Item,
    /// The rows.
    rows: Vec<ChoiceOption>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = rows
        .into_iter()
        .map(|r| {
            let (id, id2) = (item.id.clone(), item.id.clone());
            let key = r.code.to_string();
            let key2 = key.clone();
            let dom = format!("{}-{}", input_id(&item.id), r.code);
            view! {
                <tr>
                    <th scope="row"><label for=dom.clone()>{r.label.clone()}</label></th>
                    <td>
                        <input type="text" class="number" inputmode="numeric" id=dom aria-describedby=problems_id(&item.id)
                            prop:value=move || part(&ctx.answer(&id), &key)
                            on:input=move |ev| ctx.set(&id2, with_part(ctx.answer(&id2), &key2, event_target_value(&ev))) />
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <fieldset id=input_id(&item.id) aria-describedby=problems_id(&item.id) aria-invalid=invalid_flag(ctx, &item.id)>
            <legend class="question">{heading(&item)}</legend>
            <table class="grid"><tbody>{rows}</tbody></table>
        </fieldset>
    }
}

/// A picker over the registry, filtered by its parent's answer.
#[component]
fn RegistrySelect(
    /// The item.
    item: Item,
    /// Which registry.
    registry: RegistryKind,
    /// Header item whose code filters the choices.
    parent: Option<String>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (id, id2) = (item.id.clone(), item.id.clone());
    let options = move || {
        let parent_code = parent.as_ref().map(|p| as_text(&ctx.answer(p)));
        let current = as_text(&ctx.answer(&id));
        ctx.registry.with_value(|reg| {
            let places = match registry {
                RegistryKind::County => &reg.counties,
                RegistryKind::Municipality => &reg.municipalities,
                RegistryKind::District => &reg.districts,
            };
            places
                .iter()
                .filter(|p| parent_code.as_ref().is_none_or(|pc| pc.is_empty() || p.number.starts_with(pc.as_str())))
                .map(|p| {
                    let selected = p.number == current;
                    view! { <option value=p.number.clone() selected=selected>{p.name.clone()}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <label class="question" for=input_id(&item.id)>{heading(&item)}</label>
        <select id=input_id(&item.id) aria-describedby=problems_id(&item.id) aria-invalid=invalid_flag(ctx, &item.id)
            on:change=move |ev| ctx.set(&id2, text_answer(event_target_value(&ev)))>
            <option value="">"Velg …"</option>
            {options}
        </select>
    }
}
