//! A repeating group: one block of fields per row (a position with its
//! role and percentage), rows added and removed by the respondent.

use leptos::prelude::*;
use survey_definitions::{Answer, Item, RosterColumn};

use super::{as_text, input_id, invalid_flag, problems_id, question_text};
use crate::state::Ctx;

/// The rows of a roster answer (an empty list when unanswered).
fn rows_of(a: &Answer) -> Vec<Answer> {
    match a {
        Answer::List(rows) => rows.clone(),
        _ => Vec::new(),
    }
}

/// The answer with row `row`'s field `key` set to `value` (rows added up
/// to it; an emptied field is removed, the row kept until it is removed).
fn with_field(a: Answer, row: usize, key: &str, value: String) -> Answer {
    let mut rows = rows_of(&a);
    rows.resize(rows.len().max(row + 1), Answer::Map(Default::default()));
    if let Answer::Map(m) = &mut rows[row] {
        if value.trim().is_empty() {
            m.remove(key);
        } else {
            m.insert(key.to_owned(), Answer::Text(value));
        }
    }
    Answer::List(rows)
}

/// A roster: its rows, each with the columns' fields, and buttons to add
/// and remove rows.
#[component]
pub(super) fn Roster(
    /// The item.
    item: Item,
    /// The fields of every row.
    columns: Vec<RosterColumn>,
    /// Most rows allowed.
    max_rows: u32,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = item.id.clone();
    // Rows shown: the answer's, at least one, plus any just added.
    let answered = {
        let id = id.clone();
        move || rows_of(&ctx.answer(&id)).len()
    };
    let shown = RwSignal::new(answered().max(1));
    let rows = {
        let id = id.clone();
        let answered = answered.clone();
        move || {
            let n = shown.get().max(answered()).max(1);
            (0..n)
                .map(|row| {
                    let fields = columns
                        .iter()
                        .map(|c| {
                            let (id, id2, key, key2) =
                                (id.clone(), id.clone(), c.key.clone(), c.key.clone());
                            let dom = format!("{}-{}-{}", input_id(&id), row + 1, c.key);
                            let number = c.kind.range().is_some();
                            // The row a message is about is marked.
                            let id3 = id.clone();
                            let invalid = move || {
                                let row_no = (row + 1).to_string();
                                let bad = ctx
                                    .problems(&id3)
                                    .errors
                                    .iter()
                                    .any(|e| e.target.as_deref() == Some(row_no.as_str()));
                                if bad { "true" } else { "false" }
                            };
                            let value = move || match rows_of(&ctx.answer(&id)).get(row) {
                                Some(Answer::Map(m)) => m.get(&key).map(as_text).unwrap_or_default(),
                                _ => String::new(),
                            };
                            view! {
                                <div class="field">
                                    <label for=dom.clone()>{c.label.clone()}</label>
                                    <input type="text" id=dom class:number=number inputmode=if number { "numeric" } else { "text" }
                                        aria-describedby=problems_id(&id2) aria-invalid=invalid
                                        prop:value=value
                                        on:input=move |ev| ctx.set(&id2, with_field(ctx.answer(&id2), row, &key2, event_target_value(&ev))) />
                                </div>
                            }
                        })
                        .collect_view();
                    let id = id.clone();
                    let remove = move |_| {
                        let mut list = rows_of(&ctx.answer(&id));
                        if row < list.len() {
                            list.remove(row);
                        }
                        shown.update(|n| *n = n.saturating_sub(1).max(1));
                        ctx.set(&id, if list.is_empty() { Answer::Null } else { Answer::List(list) });
                        // The button pressed is gone: focus moves to «Legg til rad».
                        crate::route::focus_later(format!("{}-add", input_id(&id)));
                    };
                    view! {
                        <fieldset class="roster-row">
                            <legend>{format!("Rad {}", row + 1)}</legend>
                            {fields}
                            <button type="button" class="link" on:click=remove>{format!("Fjern rad {}", row + 1)}</button>
                        </fieldset>
                    }
                })
                .collect_view()
        }
    };
    let full = move || shown.get().max(answered()) >= max_rows as usize;
    view! {
        <fieldset id=input_id(&item.id) aria-describedby=problems_id(&item.id) aria-invalid=invalid_flag(ctx, &item.id)>
            <legend class="question">{question_text(&item)}</legend>
            {rows}
            <button type="button" class="secondary" id=format!("{}-add", input_id(&item.id)) disabled=full
                on:click=move |_| shown.update(|n| *n += 1)>"Legg til rad"</button>
        </fieldset>
    }
}
