//! Contacts: CSV import (a file or pasted text), list, edit and deactivate.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use super::{call, outcome, text};

/// Contacts: CSV import, list, edit and deactivate.
#[component]
pub(super) fn Contacts() -> impl IntoView {
    let contacts = RwSignal::new(Vec::<Value>::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    let editing = RwSignal::new(None::<Value>);
    let load = move || {
        spawn_local(async move {
            match call("GET", "/api/admin/contacts", None).await {
                Ok(Value::Array(list)) => contacts.set(list),
                Ok(_) => {}
                Err(e) => message.set(Some(Err(e))),
            }
        })
    };
    load();
    let csv = RwSignal::new(String::new());
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = json!({ "csv": csv.get_untracked() });
        spawn_local(async move {
            let result = call("POST", "/api/admin/contacts/import", Some(body)).await;
            if result.is_ok() {
                csv.set(String::new());
            }
            message.set(Some(
                result
                    .map(|r| {
                        format!(
                            "Importert: {} nye, {} slått sammen med kjente kontakter.",
                            r["new"], r["merged"]
                        )
                    })
                    .map_err(|e| {
                        format!("Ingenting ble importert. Rett disse radene og prøv igjen:\n{e}")
                    }),
            ));
            load();
        });
    };
    let pick_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            spawn_local(async move {
                if let Ok(t) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    csv.set(t.as_string().unwrap_or_default());
                }
            });
        }
    };
    view! {
        <section class="contacts">
            <h2>"Kontakter"</h2>
            {move || outcome(message.get())}
            <form class="stack" on:submit=import>
                <label for="contacts-file">"Velg en CSV-fil med kolonnene municipality_number, district_number, kind (postmottak eller tjeneste), name og email"</label>
                <input id="contacts-file" type="file" accept=".csv,text/csv" on:change=pick_file />
                <label for="contacts-csv">"… eller lim inn innholdet her"</label>
                <textarea id="contacts-csv" rows="5" prop:value=move || csv.get()
                    on:input=move |ev| csv.set(event_target_value(&ev))></textarea>
                <button type="submit">"Importer kontakter"</button>
            </form>
            {move || editing.get().map(|c| view! { <ContactForm c=c editing=editing message=message reload=Callback::new(move |_| load()) /> })}
            <table class="rates list">
                <caption>{move || format!("{} kontakter", contacts.get().len())}</caption>
                <thead><tr><th scope="col">"Kommune"</th><th scope="col">"Type"</th><th scope="col">"Navn"</th><th scope="col">"E-post"</th><th scope="col">"Status"</th><th scope="col">""</th></tr></thead>
                <tbody>
                    <For each=move || contacts.get() key=|c| c.to_string() let:c>
                        {
                            let status = if c["bounce_reason"].is_string() {
                                "Avvist"
                            } else if c["opted_out"] == true {
                                "Meldt av"
                            } else if c["active"] == true {
                                "Aktiv"
                            } else {
                                "Deaktivert"
                            };
                            let edit = c.clone();
                            view! {
                                <tr>
                                    <td>{format!("{} {}", text(&c, "municipality_number"), text(&c, "municipality"))}</td>
                                    <td>{text(&c, "kind")}</td>
                                    <td>{text(&c, "name")}</td>
                                    <td>{text(&c, "email")}</td>
                                    <td>{status}</td>
                                    <td><button type="button" aria-label=format!("Endre {}", text(&c, "email"))
                                        on:click=move |_| editing.set(Some(edit.clone()))>"Endre"</button></td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </section>
    }
}

/// Editing one contact.
#[component]
fn ContactForm(
    c: Value,
    editing: RwSignal<Option<Value>>,
    message: RwSignal<Option<Result<String, String>>>,
    reload: Callback<()>,
) -> impl IntoView {
    let id = text(&c, "id");
    let kind = RwSignal::new(text(&c, "kind"));
    let name = RwSignal::new(text(&c, "name"));
    let email = RwSignal::new(text(&c, "email"));
    let active = RwSignal::new(c["active"] == true);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let url = format!("/api/admin/contacts/{id}");
        let body = json!({
            "kind": kind.get_untracked(), "name": name.get_untracked(),
            "email": email.get_untracked(), "active": active.get_untracked(),
        });
        spawn_local(async move {
            let result = call("PUT", &url, Some(body)).await;
            if result.is_ok() {
                editing.set(None);
            }
            message.set(Some(
                result.map(|c| format!("Kontakten {} er lagret.", text(&c, "email"))),
            ));
            reload.run(());
        });
    };
    view! {
        <form class="login" on:submit=save>
            <h3>{format!("Endre kontakt for {} {}", text(&c, "municipality_number"), text(&c, "municipality"))}</h3>
            <label for="contact-kind">"Type"</label>
            <select id="contact-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                <option value="postmottak" selected=kind.get_untracked() == "postmottak">"Postmottak"</option>
                <option value="tjeneste" selected=kind.get_untracked() == "tjeneste">"Tjeneste"</option>
            </select>
            <label for="contact-name">"Navn"</label>
            <input id="contact-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            <label for="contact-email">"E-postadresse"</label>
            <input id="contact-email" type="email" prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
            <label><input id="contact-active" type="checkbox" prop:checked=move || active.get()
                on:change=move |ev| active.set(event_target_checked(&ev)) />" Aktiv (får e-post)"</label>
            <button class="primary" type="submit">"Lagre kontakt"</button>
            <button type="button" on:click=move |_| editing.set(None)>"Avbryt"</button>
        </form>
    }
}
