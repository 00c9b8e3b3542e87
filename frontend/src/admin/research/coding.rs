//! Coding of free text in the researchers' area: make a coding frame over
//! one or more text items (searchable, with how many answers each has),
//! add codes with a description, read every answer with its context and
//! tick the codes it gets (optionally for a marked passage), and see the
//! counts by code, service type and size class, and the quotes under each
//! code, attributed without names («en stor kommune»).

use api::coding::{Assignment, CodingOverview, Created, FrameView, NewCode, NewFrame};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::super::{get, outcome, send, send_only};
use super::enc;
use crate::format::esc;

/// The coding section of a round.
#[component]
pub(super) fn Coding(round: String, version: RwSignal<u32>) -> impl IntoView {
    let base = StoredValue::new(format!("/api/research/rounds/{}/coding", enc(&round)));
    let overview: RwSignal<Option<Result<CodingOverview, String>>> = RwSignal::new(None);
    let frame_id = RwSignal::new(String::new());
    let frame: RwSignal<Option<Result<FrameView, String>>> = RwSignal::new(None);
    let result = RwSignal::new(None::<Result<String, String>>);
    let reload = RwSignal::new(0u32);
    // The codes with counts and quotes, refreshed after each tick without
    // redrawing the answers (the ticked box keeps its focus).
    let codes_view = RwSignal::new(String::new());
    Effect::new(move |_| {
        reload.get();
        let url = base.get_value();
        spawn_local(async move {
            let got = get::<CodingOverview>(&url).await;
            if let Ok(v) = &got
                && frame_id.get_untracked().is_empty()
                && let Some(first) = v.frames.first()
            {
                frame_id.set(first.id.to_string());
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
            let got = get::<FrameView>(&url).await;
            if let Ok(v) = &got {
                codes_view.set(code_table(v));
            }
            frame.set(Some(got));
        });
    });
    // A new frame.
    let name = RwSignal::new(String::new());
    let chosen: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let search = RwSignal::new(String::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if chosen.with_untracked(Vec::is_empty) {
            result.set(Some(Err(
                "Velg minst ett fritekstspørsmål som skal kodes.".into()
            )));
            return;
        }
        let body = NewFrame {
            name: name.get_untracked(),
            items: chosen.get_untracked(),
        };
        let url = base.get_value();
        spawn_local(async move {
            match send::<Created>("POST", &url, &body).await {
                Ok(v) => {
                    frame_id.set(v.id.to_string());
                    name.set(String::new());
                    chosen.set(Vec::new());
                    // The form has done its job: fold it away.
                    if let Some(d) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id("nytt-kodeskjema"))
                    {
                        let _ = d.remove_attribute("open");
                    }
                    result.set(Some(Ok(format!(
                        "Kodeskjemaet «{}» er laget. Legg til koder nedenfor.",
                        body.name
                    ))));
                    reload.update(|r| *r += 1);
                    crate::route::focus_later("kode-navn".into());
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
        let body = NewCode {
            label: label.get_untracked(),
            description: description.get_untracked(),
        };
        let url = format!("{}/{}/codes", base.get_value(), frame_id.get_untracked());
        spawn_local(async move {
            match send::<Created>("POST", &url, &body).await {
                Ok(v) => {
                    result.set(Some(Ok(format!(
                        "Kode {} «{}» er lagt til.",
                        v.id, body.label
                    ))));
                    label.set(String::new());
                    description.set(String::new());
                    reload.update(|r| *r += 1);
                }
                Err(e) => result.set(Some(Err(e))),
            }
        });
    };
    // Each answer says, beside its boxes, what the last tick did; a tick
    // the server refuses is undone on the page.
    let assign =
        move |body: Assignment, code_label: String, saved: RwSignal<String>, box_id: String| {
            let frame_url = format!("{}/{}", base.get_value(), frame_id.get_untracked());
            let url = format!("{frame_url}/assignments");
            spawn_local(async move {
                match send_only(&url, &body).await {
                    Ok(_) => {
                        saved.set(format!(
                            "Lagret: kode {} «{code_label}» {}.",
                            body.code,
                            if body.on { "gitt" } else { "tatt bort" },
                        ));
                        if let Ok(v) = get::<FrameView>(&frame_url).await {
                            codes_view.set(code_table(&v));
                        }
                    }
                    Err(e) => {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = web_sys::window()
                            .and_then(|w| w.document())
                            .and_then(|d| d.get_element_by_id(&box_id))
                            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                        {
                            input.set_checked(!body.on);
                        }
                        saved.set(format!("Ikke lagret: {e}"));
                    }
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
                let frames = v.frames;
                let items = StoredValue::new(v.items);
                view! {
                    {(!frames.is_empty()).then(|| view! {
                        <div class="field">
                            <label for="kodeskjema">"Kodeskjema"</label>
                            <select id="kodeskjema" prop:value=move || frame_id.get()
                                on:change=move |ev| frame_id.set(event_target_value(&ev))>
                                {frames.iter().map(|f| view! { <option value=f.id.to_string()>{format!("{} ({})", f.name, f.items.join(", "))}</option> }).collect_view()}
                            </select>
                        </div>
                    })}
                    <details class="new-frame" id="nytt-kodeskjema">
                        <summary>"Nytt kodeskjema"</summary>
                        <form class="stack" on:submit=create>
                            <label for="skjema-navn">"Navn"</label>
                            <input id="skjema-navn" type="text" required prop:value=move || name.get()
                                on:input=move |ev| name.set(event_target_value(&ev)) />
                            <label for="skjema-sok">"Finn spørsmål (nummer eller tekst)"</label>
                            <input id="skjema-sok" type="search" prop:value=move || search.get()
                                on:input=move |ev| search.set(event_target_value(&ev)) />
                            <fieldset class="items">
                                <legend>"Fritekstspørsmål som kodes (antall svar i utvalget)"</legend>
                                {move || {
                                    let q = super::fold(&search.get());
                                    items.with_value(|items| items.iter().filter(|i| {
                                        q.is_empty() || super::fold(&i.id).contains(&q) || super::fold(&i.text).contains(&q)
                                    }).map(|i| {
                                        let id = i.id.clone();
                                        let box_id = format!("skjema-{}", id.replace([':', '.'], "-"));
                                        let (value, value2) = (id.clone(), id.clone());
                                        let for_id = box_id.clone();
                                        view! {
                                            <label for=for_id>
                                                <input id=box_id type="checkbox"
                                                    prop:checked=move || chosen.with(|c| c.contains(&value2))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        chosen.update(|c| {
                                                            c.retain(|x| *x != value);
                                                            if on { c.push(value.clone()); }
                                                        });
                                                    } />
                                                {format!("{id}: {} ({})", i.text, i.answers)}
                                            </label>
                                        }
                                    }).collect_view())
                                }}
                            </fieldset>
                            <p>{move || chosen.with(|c| if c.is_empty() { "Ingen spørsmål valgt.".to_owned() } else { format!("Valgt: {}", c.join(", ")) })}</p>
                            <button type="submit">"Lag kodeskjema"</button>
                        </form>
                    </details>
                }.into_any()
            }
        }}
        {move || frame.get().map(|f| match f {
            Err(e) => view! { <p class="load-error" role="alert">{e}</p> }.into_any(),
            Ok(f) => {
                let codes: Vec<(i32, String)> = f.codes.iter().map(|c| (c.code, c.label.clone())).collect();
                let answers = f.answers;
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
                            let saved = RwSignal::new(String::new());
                            let passage_id = format!("utdrag-{n}");
                            let context = [a.municipality.as_str(), a.service_type.as_str(), a.size_class.as_str(), a.item.as_str()]
                                .into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
                            view! {
                                <li class="answer">
                                    <p class="context">{format!("{context} (siteres som «{}»)", a.attribution)}</p>
                                    <blockquote>{a.text.clone()}</blockquote>
                                    <label for=passage_id.clone()>"Utdrag som kodes (valgfritt)"</label>
                                    <input id=passage_id type="text" prop:value=move || passage.get()
                                        on:input=move |ev| passage.set(event_target_value(&ev)) />
                                    <div class="codes">
                                        {codes.iter().map(|(code, label)| {
                                            let (r, i, code, label) = (a.respondent.clone(), a.item.clone(), *code, label.clone());
                                            let box_id = format!("kode-{n}-{code}");
                                            let (for_id, own_id) = (box_id.clone(), box_id.clone());
                                            let text = format!("{code} {label}");
                                            view! {
                                                <label for=for_id>
                                                    <input id=box_id type="checkbox" checked=a.codes.contains(&code)
                                                        on:change=move |ev| assign(Assignment {
                                                            respondent: r.clone(),
                                                            item: i.clone(),
                                                            code,
                                                            on: event_target_checked(&ev),
                                                            passage: Some(passage.get_untracked()).filter(|p| !p.trim().is_empty()),
                                                        }, label.clone(), saved, own_id.clone()) />
                                                    {text}
                                                </label>
                                            }
                                        }).collect_view()}
                                    </div>
                                    <p class=move || if saved.with(|s| s.starts_with("Ikke")) { "saved load-error" } else { "saved" }
                                        role="status" aria-live="polite">{move || saved.get()}</p>
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

/// The codes of a frame with counts by service type and size class, and
/// the quotes under each.
fn code_table(frame: &FrameView) -> String {
    if frame.codes.is_empty() {
        return "<p>Ingen koder ennå. Legg til den første nedenfor.</p>".into();
    }
    // Counts by the survey's own groupings, where it has them.
    let (first, second) = &frame.group_labels;
    let by = |label: &str| {
        if label.is_empty() {
            String::new()
        } else {
            format!(
                "<th scope=\"col\">Etter {}</th>",
                esc(&crate::format::lower_first(label))
            )
        }
    };
    let mut h = format!(
        "<table class=\"rates list\" id=\"koder\"><caption>Koder</caption><thead><tr><th scope=\"col\">Kode</th><th scope=\"col\">Beskrivelse</th><th scope=\"col\">Antall svar</th>{}{}<th scope=\"col\">Sitater</th></tr></thead><tbody>",
        by(first),
        by(second)
    );
    let counts = |m: &[(String, usize)]| {
        m.iter()
            .map(|(g, n)| format!("{g}: {n}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    for c in &frame.codes {
        let quotes: String = c
            .quotes
            .iter()
            .map(|q| format!("<li>«{}» ({})</li>", esc(&q.text), esc(&q.attribution)))
            .collect();
        let cell = |label: &str, m: &[(String, usize)]| {
            if label.is_empty() {
                String::new()
            } else {
                format!("<td>{}</td>", esc(&counts(m)))
            }
        };
        h.push_str(&format!(
            "<tr><th scope=\"row\">{} {}</th><td>{}</td><td class=\"count\">{}</td>{}{}<td><ul>{quotes}</ul></td></tr>",
            c.code,
            esc(&c.label),
            esc(&c.description),
            c.count,
            cell(first, &c.by_service_type),
            cell(second, &c.by_size_class),
        ));
    }
    h.push_str("</tbody></table>");
    h
}
