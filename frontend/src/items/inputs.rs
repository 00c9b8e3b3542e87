//! Text, number, slider, age range and count-grid inputs.

use leptos::prelude::*;
use survey_definitions::{Answer, ChoiceOption, Item};

use super::{
    as_text, input_id, invalid_flag, part, problems_id, question_text, text_answer, with_part,
};
use crate::state::Ctx;

/// Short or long text.
#[component]
pub(super) fn TextInput(
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
    view! { <label class="question" for=input_id(&item.id)>{question_text(&item)}</label> {field} }
}

/// A whole or decimal number, typed as text so "4,5" and mistakes reach the engine.
#[component]
pub(super) fn NumberInput(
    /// The item.
    item: Item,
    /// Decimal rather than whole number.
    decimal: bool,
    /// A date, typed as «31.12.2025» (the engine also reads
    /// `2025-12-31`). A text field rather than the browser's date picker:
    /// the picker's order of day and month follows the browser's language,
    /// and one component for both keeps the download small.
    #[prop(optional)]
    date: bool,
    /// Whole kroner: once read, shown with spaces between thousands.
    #[prop(optional)]
    money: bool,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (id, id2) = (item.id.clone(), item.id.clone());
    view! {
        <label class="question" for=input_id(&item.id)>{question_text(&item)}</label>
        <input type="text" class="number" id=input_id(&item.id) inputmode=if decimal { "decimal" } else { "numeric" } placeholder=date.then_some("dd.mm.åååå")
            aria-describedby=problems_id(&item.id) aria-invalid=invalid_flag(ctx, &item.id)
            prop:value=move || match ctx.answer(&id) {
                Answer::Text(t) if date => survey_definitions::iso_date_norwegian(&t),
                Answer::Number(n) if money => crate::format::kroner(n),
                a => as_text(&a),
            }
            on:input=move |ev| ctx.set(&id2, text_answer(event_target_value(&ev))) />
    }
}

/// The 0–100 slider; untouched means unanswered.
#[component]
pub(super) fn PercentInput(
    /// The item.
    item: Item,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (id, id2, id3, id4, id5) = (
        item.id.clone(),
        item.id.clone(),
        item.id.clone(),
        item.id.clone(),
        item.id.clone(),
    );
    let unanswered = Memo::new(move |_| ctx.answer(&id4) == Answer::Null);
    let shown = move || match ctx.answer(&id) {
        Answer::Null => "Ikke besvart".to_owned(),
        a => format!("{} %", as_text(&a)),
    };
    view! {
        <label class="question" for=input_id(&item.id)>{question_text(&item)}</label>
        <div class="slider">
            <span aria-hidden="true">"0"</span>
            <input type="range" min="0" max="100" step="1" id=input_id(&item.id) aria-describedby=problems_id(&item.id)
                class:unanswered=move || unanswered.get()
                prop:value=move || { let t = as_text(&ctx.answer(&id2)); if t.is_empty() { "50".to_owned() } else { t } }
                on:input=move |ev| ctx.set(&id3, text_answer(event_target_value(&ev))) />
            <span aria-hidden="true">"100"</span>
            <output for=input_id(&item.id)>{shown}</output>
            <button type="button" class="link" hidden=move || unanswered.get() on:click=move |_| ctx.set(&id5, Answer::Null)>"Fjern svaret"</button>
        </div>
    }
}

/// Lower and upper age bound.
#[component]
pub(super) fn AgeRange(
    /// The item.
    item: Item,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let bound = |key: &'static str, label: &'static str| {
        let (id, id2, id3) = (item.id.clone(), item.id.clone(), item.id.clone());
        let dom = format!("{}-{key}", input_id(&item.id));
        // The bound a message is about is marked, or both when it is about the pair.
        let invalid = move || {
            let bad = ctx
                .problems(&id3)
                .errors
                .iter()
                .any(|e| e.target.as_deref().is_none_or(|t| t == key));
            if bad { "true" } else { "false" }
        };
        view! {
            <div class="bound">
                <label for=dom.clone()>{label}</label>
                <input type="text" class="number" inputmode="numeric" id=dom aria-describedby=problems_id(&item.id) aria-invalid=invalid
                    prop:value=move || part(&ctx.answer(&id), key)
                    on:input=move |ev| ctx.set(&id2, with_part(ctx.answer(&id2), key, event_target_value(&ev))) />
            </div>
        }
    };
    view! {
        <fieldset id=input_id(&item.id) aria-describedby=problems_id(&item.id) aria-invalid=invalid_flag(ctx, &item.id)>
            <legend class="question">{question_text(&item)}</legend>
            {bound("lower", "Nedre aldersgrense")}
            {bound("upper", "Øvre aldersgrense")}
        </fieldset>
    }
}

/// Counts per row (staff by education).
#[component]
pub(super) fn CountGrid(
    /// The item.
    item: Item,
    /// The rows.
    rows: Vec<ChoiceOption>,
    /// Amounts in kroner: the sum is shown under the rows.
    money: bool,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // The engine reads the amounts; the sum shows once they all read.
    let sum = {
        let item = item.clone();
        move || match survey_definitions::normalize(&item, &ctx.answer(&item.id)) {
            Ok(Answer::Map(m)) => format!(
                "{} kr",
                crate::format::kroner(crate::format::number_sum(&m))
            ),
            Ok(_) => "0 kr".to_owned(),
            Err(_) => "–".to_owned(),
        }
    };
    let total = money
        .then(|| view! { <p class="sum" aria-live="polite">"Sum: " <strong>{sum}</strong></p> });
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
            <legend class="question">{question_text(&item)}</legend>
            <table class="grid"><tbody>{rows}</tbody></table>
            {total}
        </fieldset>
    }
}
