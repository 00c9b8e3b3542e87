//! Rounds: answering windows, and loading a definition or a correction.

use api::admin::{DefinitionText, RoundView, WindowRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{day, get, outcome, send};

/// Rounds: answering windows, and loading a definition or a correction.
#[component]
pub(super) fn Rounds() -> impl IntoView {
    let rounds = RwSignal::new(Vec::<RoundView>::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    let load = move || {
        spawn_local(async move {
            match get::<Vec<RoundView>>("/api/admin/rounds").await {
                Ok(list) => rounds.set(list),
                Err(e) => message.set(Some(Err(e))),
            }
        })
    };
    load();
    let definition = RwSignal::new(String::new());
    let upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = DefinitionText {
            definition: definition.get_untracked(),
        };
        spawn_local(async move {
            message.set(Some(
                send::<RoundView>("POST", "/api/admin/rounds", &body)
                    .await
                    .map(|r| {
                        format!(
                            "Runden {} er lastet inn (versjon {}).",
                            r.survey_id, r.definition_version
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
            <For each=move || rounds.get() key=|r| (r.survey_id.clone(), r.definition_version, r.opens_on.clone(), r.closes_on.clone()) let:r>
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
fn RoundWindow(r: RoundView, message: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    let survey = r.survey_id.clone();
    let opens = RwSignal::new(day(r.opens_on.as_deref()));
    let closes = RwSignal::new(day(r.closes_on.as_deref()));
    let id = format!("round-{survey}");
    let save = {
        let survey = survey.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let url = format!("/api/admin/rounds/{survey}/window");
            let body = WindowRequest {
                opens: Some(opens.get_untracked()),
                closes: Some(closes.get_untracked()),
            };
            spawn_local(async move {
                message.set(Some(
                    send::<RoundView>("PUT", &url, &body)
                        .await
                        .map(|_| "Svarperioden er lagret.".to_owned()),
                ));
            });
        }
    };
    view! {
        <form class="round" on:submit=save aria-labelledby=id.clone()>
            <h3 id=id.clone()>{format!("{} – {} (versjon {})", survey, r.title, r.definition_version)}</h3>
            <label>"Åpner (første dag) " <input type="date" prop:value=move || opens.get()
                on:input=move |ev| opens.set(event_target_value(&ev)) /></label>
            <label>" Stenger (siste dag, til midnatt) " <input type="date" prop:value=move || closes.get()
                on:input=move |ev| closes.set(event_target_value(&ev)) /></label>
            " " <button type="submit">"Lagre svarperiode"</button>
        </form>
    }
}
