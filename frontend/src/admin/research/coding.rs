//! Coding of free text in the researchers' area: make a coding frame over
//! one or more text items, add codes with a description, read every
//! answer with its context and tick the codes it gets (optionally for a
//! marked passage), and see the counts by code and group and the quotes
//! under each code, attributed without names («en stor kommune»).

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use super::super::{call, outcome, text};
use super::enc;
use crate::format::esc;

/// The coding section of a round.
#[component]
pub(super) fn Coding(round: String, version: RwSignal<u32>) -> impl IntoView {
    let base = StoredValue::new(format!("/api/research/rounds/{}/coding", enc(&round)));
    let overview: RwSignal<Option<Result<Value, String>>> = RwSignal::new(None);
    let frame_id = RwSignal::new(String::new());
    let frame: RwSignal<Option<Result<Value, String>>> = RwSignal::new(None);
    let result = RwSignal::new(None::<Result<String, String>>);
    let reload = RwSignal::new(0u32);
    // The codes with counts and quotes, refreshed after each tick without
    // redrawing the answers (the ticked box keeps its focus).
    let codes_view = RwSignal::new(String::new());
    Effect::new(move |_| {
        reload.get();
        let url = base.get_value();
        spawn_local(async move {
            let got = call("GET", &url, None).await;
            if let Ok(v) = &got
                && frame_id.get_untracked().is_empty()
                && let Some(first) = v["frames"].as_array().and_then(|f| f.first())
            {
                frame_id.set(text(first, "id"));
            }
            overview.set(Some(got));
        });
    });
    Effect::new(move |_| {
        let (id, _, _) = (frame_id.get(), reload.get(), version.get());
        if id.is_empty() {
            return;
        }
        let url = format!("{}/{id}", base.get_value());
        spawn_local(async move {
            let got = call("GET", &url, None).await;
            if let Ok(v) = &got {
                codes_view.set(code_table(v));
            }
            frame.set(Some(got));
        });
    });
    // A new frame.
    let name = RwSignal::new(String::new());
    let chosen: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = json!({"name": name.get_untracked(), "items": chosen.get_untracked()});
        let url = base.get_value();
        spawn_local(async move {
            match call("POST", &url, Some(body)).await {
                Ok(v) => {
                    frame_id.set(text(&v, "id"));
                    name.set(String::new());
                    result.set(Some(Ok("Kodeskjemaet er laget.".into())));
                    reload.update(|r| *r += 1);
                }
                Err(e) => result.set(Some(Err(e))),
            }
        });
    };
    // A new code.
    let label = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let add_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body =
            json!({"label": label.get_untracked(), "description": description.get_untracked()});
        let url = format!("{}/{}/codes", base.get_value(), frame_id.get_untracked());
        spawn_local(async move {
            match call("POST", &url, Some(body)).await {
                Ok(v) => {
                    result.set(Some(Ok(format!("Kode {} er lagt til.", text(&v, "id")))));
                    label.set(String::new());
                    description.set(String::new());
                    reload.update(|r| *r += 1);
                }
                Err(e) => result.set(Some(Err(e))),
            }
        });
    };
    let assign = move |respondent: String, item: String, code: i64, on: bool, passage: String| {
        let frame_url = format!("{}/{}", base.get_value(), frame_id.get_untracked());
        let url = format!("{frame_url}/assignments");
        let body = json!({"respondent": respondent, "item": item, "code": code, "on": on, "passage": passage});
        spawn_local(async move {
            match call("POST", &url, Some(body)).await {
                Ok(_) => {
                    if let Ok(v) = call("GET", &frame_url, None).await {
                        codes_view.set(code_table(&v));
                    }
                }
                Err(e) => result.set(Some(Err(e))),
            }
        });
    };
    view! {
        <section class="coding">
        <h2>"Koding av fritekst"</h2>
        {move || outcome(result.get())}
        {move || match overview.get() {
            None => view! { <p class="status">"Henter kodeskjemaene …"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="load-error" role="alert">{e}</p> }.into_any(),
            Some(Ok(v)) => {
                let frames = v["frames"].as_array().cloned().unwrap_or_default();
                let items = v["items"].as_array().cloned().unwrap_or_default();
                view! {
                    {(!frames.is_empty()).then(|| view! {
                        <div class="field">
                            <label for="kodeskjema">"Kodeskjema"</label>
                            <select id="kodeskjema" prop:value=move || frame_id.get()
                                on:change=move |ev| frame_id.set(event_target_value(&ev))>
                                {frames.iter().map(|f| view! { <option value=text(f, "id")>{text(f, "name")}</option> }).collect_view()}
                            </select>
                        </div>
                    })}
                    <details class="new-frame">
                        <summary>"Nytt kodeskjema"</summary>
                        <form class="stack" on:submit=create>
                            <label for="skjema-navn">"Navn"</label>
                            <input id="skjema-navn" type="text" required prop:value=move || name.get()
                                on:input=move |ev| name.set(event_target_value(&ev)) />
                            <fieldset class="items">
                                <legend>"Fritekstspørsmål som kodes"</legend>
                                {items.into_iter().map(|i| {
                                    let id = text(&i, "id");
                                    let box_id = format!("skjema-{}", id.replace([':', '.'], "-"));
                                    let value = id.clone();
                                    let for_id = box_id.clone();
                                    view! {
                                        <label for=for_id>
                                            <input id=box_id type="checkbox" on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen.update(|c| {
                                                    c.retain(|x| *x != value);
                                                    if on { c.push(value.clone()); }
                                                });
                                            } />
                                            {format!("{id}: {}", text(&i, "text"))}
                                        </label>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <button type="submit">"Lag kodeskjema"</button>
                        </form>
                    </details>
                }.into_any()
            }
        }}
        {move || frame.get().map(|f| match f {
            Err(e) => view! { <p class="load-error" role="alert">{e}</p> }.into_any(),
            Ok(f) => {
                let codes: Vec<(i64, String)> = f["codes"].as_array().cloned().unwrap_or_default()
                    .iter().map(|c| (c["code"].as_i64().unwrap_or(0), text(c, "label"))).collect();
                let answers = f["answers"].as_array().cloned().unwrap_or_default();
                view! {
                    <div class="scroll" tabindex="0" role="region" aria-label="Koder" inner_html=move || codes_view.get()></div>
                    <form class="crosstab-form" on:submit=add_code>
                        <div class="field">
                            <label for="kode-navn">"Ny kode"</label>
                            <input id="kode-navn" type="text" required prop:value=move || label.get()
                                on:input=move |ev| label.set(event_target_value(&ev)) />
                        </div>
                        <div class="field">
                            <label for="kode-beskrivelse">"Beskrivelse"</label>
                            <input id="kode-beskrivelse" type="text" prop:value=move || description.get()
                                on:input=move |ev| description.set(event_target_value(&ev)) />
                        </div>
                        <div class="field wide"><button type="submit">"Legg til kode"</button></div>
                    </form>
                    <h3>{format!("Svar ({})", answers.len())}</h3>
                    <ol class="answers">
                        {answers.into_iter().enumerate().map(|(n, a)| {
                            let passage = RwSignal::new(String::new());
                            let (respondent, item) = (text(&a, "respondent"), text(&a, "item"));
                            let given: Vec<i64> = a["codes"].as_array().cloned().unwrap_or_default().iter().filter_map(Value::as_i64).collect();
                            let passage_id = format!("utdrag-{n}");
                            view! {
                                <li class="answer">
                                    <p class="context">{format!("{} · {} · {} · {}", text(&a, "attribution"), text(&a, "service_type"), text(&a, "size_class"), item)}</p>
                                    <blockquote>{text(&a, "text")}</blockquote>
                                    <label for=passage_id.clone()>"Utdrag som kodes (valgfritt)"</label>
                                    <input id=passage_id type="text" prop:value=move || passage.get()
                                        on:input=move |ev| passage.set(event_target_value(&ev)) />
                                    <div class="codes">
                                        {codes.iter().map(|(code, label)| {
                                            let (r, i, code) = (respondent.clone(), item.clone(), *code);
                                            let box_id = format!("kode-{n}-{code}");
                                            let for_id = box_id.clone();
                                            view! {
                                                <label for=for_id>
                                                    <input id=box_id type="checkbox" checked=given.contains(&code)
                                                        on:change=move |ev| assign(r.clone(), i.clone(), code, event_target_checked(&ev), passage.get_untracked()) />
                                                    {format!("{code} {label}")}
                                                </label>
                                            }
                                        }).collect_view()}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }
        })}
        </section>
    }
}

/// The codes of a frame with counts by group and the quotes under each.
fn code_table(frame: &Value) -> String {
    let codes = frame["codes"].as_array().cloned().unwrap_or_default();
    if codes.is_empty() {
        return "<p>Ingen koder ennå. Legg til den første nedenfor.</p>".into();
    }
    let mut h = String::from(
        "<table class=\"rates list\" id=\"koder\"><caption>Koder</caption><thead><tr><th scope=\"col\">Kode</th><th scope=\"col\">Beskrivelse</th><th scope=\"col\">Antall svar</th><th scope=\"col\">Etter gruppe</th><th scope=\"col\">Sitater</th></tr></thead><tbody>",
    );
    for c in &codes {
        let groups: Vec<String> = c["by_group"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(g, n)| format!("{g}: {n}"))
            .collect();
        let quotes: String = c["quotes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|q| {
                format!(
                    "<li>«{}» ({})</li>",
                    esc(&text(q, "text")),
                    esc(&text(q, "attribution"))
                )
            })
            .collect();
        h.push_str(&format!(
            "<tr><th scope=\"row\">{} {}</th><td>{}</td><td class=\"count\">{}</td><td>{}</td><td><ul>{quotes}</ul></td></tr>",
            esc(&text(c, "code")),
            esc(&text(c, "label")),
            esc(&text(c, "description")),
            esc(&text(c, "count")),
            esc(&groups.join("; ")),
        ));
    }
    h.push_str("</tbody></table>");
    h
}
