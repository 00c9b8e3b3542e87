//! Radio buttons, checkboxes with their "specify" texts, and registry
//! pickers (read-only where the personal link fixes the answer).

use leptos::prelude::*;
use survey_definitions::{Answer, ChoiceOption, Item, RegistryKind};

use super::{Problems, as_text, input_id, invalid_flag, problems_id, question_text, text_answer};
use crate::format::place_name;
use crate::state::Ctx;

fn codes(a: &Answer) -> Vec<i64> {
    match a {
        Answer::List(l) => l
            .iter()
            .filter_map(|x| match x {
                Answer::Number(n) => Some(*n as i64),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Radio buttons or checkboxes in a fieldset, with inline "specify" texts.
#[component]
pub(super) fn Choices(
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
                ctx.touch(&id2);
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
            <legend class="question">{question_text(&item)}</legend>
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
            <label for=input_id(&id)><span class="visually-hidden">{format!("{} – ", label.trim())}</span>"Spesifiser"</label>
            <input type="text" id=input_id(&id) data-answer=id.clone() aria-describedby=problems_id(&id)
                prop:value=move || as_text(&ctx.answer(&id2))
                on:input=move |ev| ctx.set(&id3, text_answer(event_target_value(&ev))) />
            <Problems id=id.clone() />
        </div>
    }
}

/// A picker over the registry, filtered by its parent's answer.
#[component]
pub(super) fn RegistrySelect(
    /// The item.
    item: Item,
    /// Which registry.
    registry: RegistryKind,
    /// Header item whose code filters the choices.
    parent: Option<String>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    if let Some(code) = ctx.fixed(&item.id) {
        let name = ctx.registry.with_value(|r| place_name(r, registry, &code));
        return view! {
            <span class="question" id=format!("{}-label", input_id(&item.id))>{question_text(&item)}</span>
            <div class="readonly-field" role="group" id=input_id(&item.id) data-value=code aria-labelledby=format!("{}-label", input_id(&item.id))>
                <strong>{name}</strong>" "<small>"Fylt ut fra invitasjonen"</small>
            </div>
        }
        .into_any();
    }
    let (id, id2) = (item.id.clone(), item.id.clone());
    let options = move || {
        let parent_code = parent.as_ref().map(|p| as_text(&ctx.answer(p)));
        let current = as_text(&ctx.answer(&id));
        ctx.registry.with_value(|reg| {
            reg.places(registry)
                .into_iter()
                .filter(|(number, _)| parent_code.as_ref().is_none_or(|pc| pc.is_empty() || number.starts_with(pc.as_str())))
                .map(|(number, name)| {
                    let selected = number == current;
                    view! { <option value=number.to_owned() selected=selected>{name.to_owned()}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <label class="question" for=input_id(&item.id)>{question_text(&item)}</label>
        <select id=input_id(&item.id) aria-describedby=problems_id(&item.id) aria-invalid=invalid_flag(ctx, &item.id)
            on:change=move |ev| ctx.set(&id2, text_answer(event_target_value(&ev)))>
            <option value="">"Velg …"</option>
            {options}
        </select>
    }
    .into_any()
}
