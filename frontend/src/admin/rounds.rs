//! Rounds: answering windows, and loading a definition or a correction.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use super::{call, day, outcome, text};

/// Rounds: answering windows, and loading a definition or a correction.
#[component]
pub(super) fn Rounds() -> impl IntoView {
    let rounds = RwSignal::new(Vec::<Value>::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    let load = move || {
        spawn_local(async move {
            match call("GET", "/api/admin/rounds", None).await {
                Ok(Value::Array(list)) => rounds.set(list),
                Ok(_) => {}
                Err(e) => message.set(Some(Err(e))),
            }
        })
    };
    load();
    let definition = RwSignal::new(String::new());
    let upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = json!({ "definition": definition.get_untracked() });
        spawn_local(async move {
            message.set(Some(
                call("POST", "/api/admin/rounds", Some(body))
                    .await
                    .map(|r| {
                        format!(
                            "Runden {} er lastet inn (versjon {}).",
                            text(&r, "survey_id"),
                            text(&r, "definition_version")
                        )
                    })
                    .map_err(|e| format!("Definisjonen ble avvist:\n{e}")),
            ));
            load();
        });
    };
    view! {
        <section class="rounds">
            <h2>"Runder"</h2>
            {move || outcome(message.get())}
            <For each=move || rounds.get() key=|r| r.to_string() let:r>
                <RoundWindow r=r message=message />
            </For>
            <form class="stack" on:submit=upload>
                <label for="definition">"Last inn en ny runde eller en rettet definisjon (TOML). Når runden har svar, kan bare ordlyden endres."</label>
                <textarea id="definition" rows="6" prop:value=move || definition.get()
                    on:input=move |ev| definition.set(event_target_value(&ev))></textarea>
                <button type="submit">"Last inn definisjon"</button>
            </form>
        </section>
    }
}

/// One round with its answering window form.
#[component]
fn RoundWindow(r: Value, message: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    let survey = text(&r, "survey_id");
    let opens = RwSignal::new(day(&r, "opens_on"));
    let closes = RwSignal::new(day(&r, "closes_on"));
    let id = format!("round-{survey}");
    let save = {
        let survey = survey.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let url = format!("/api/admin/rounds/{survey}/window");
            let body = json!({ "opens": opens.get_untracked(), "closes": closes.get_untracked() });
            spawn_local(async move {
                message.set(Some(
                    call("PUT", &url, Some(body))
                        .await
                        .map(|_| "Svarperioden er lagret.".to_owned()),
                ));
            });
        }
    };
    view! {
        <form class="round" on:submit=save aria-labelledby=id.clone()>
            <h3 id=id.clone()>{format!("{} – {} (versjon {})", survey, text(&r, "title"), text(&r, "definition_version"))}</h3>
            <label>"Åpner (første dag) " <input type="date" prop:value=move || opens.get()
                on:input=move |ev| opens.set(event_target_value(&ev)) /></label>
            <label>" Stenger (siste dag, til midnatt) " <input type="date" prop:value=move || closes.get()
                on:input=move |ev| closes.set(event_target_value(&ev)) /></label>
            " " <button type="submit">"Lagre svarperiode"</button>
        </form>
    }
}
