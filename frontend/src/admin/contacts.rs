//! Contacts: CSV import (a file or pasted text), list, edit and deactivate.

use api::admin::{ContactEdit, ContactView, ContactsCsv, Imported};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{get, outcome, send};

/// Contacts: CSV import, list, edit and deactivate.
#[component]
pub(super) fn Contacts() -> impl IntoView {
    let contacts = RwSignal::new(Vec::<ContactView>::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    let editing = RwSignal::new(None::<ContactView>);
    let load = move || {
        spawn_local(async move {
            match get::<Vec<ContactView>>("/api/admin/contacts").await {
                Ok(list) => contacts.set(list),
                Err(e) => message.set(Some(Err(e))),
            }
        })
    };
    load();
    let csv = RwSignal::new(String::new());
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = ContactsCsv {
            csv: csv.get_untracked(),
        };
        spawn_local(async move {
            let result: Result<Imported, String> =
                send("POST", "/api/admin/contacts/import", &body).await;
            if result.is_ok() {
                csv.set(String::new());
            }
            message.set(Some(
                result
                    .map(|r| {
                        format!(
                            "Importert: {} nye, {} slått sammen med kjente kontakter.",
                            r.new, r.merged
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
                <thead><tr><th scope="col">"Kommune (bydel)"</th><th scope="col">"Type"</th><th scope="col">"Navn"</th><th scope="col">"E-post"</th><th scope="col">"Status"</th><th scope="col">""</th></tr></thead>
                <tbody>
                    <For each=move || contacts.get() key=|c| (c.id, c.email.clone(), c.active, c.name.clone(), c.kind.clone()) let:c>
                        {
                            let status = if c.bounce_reason.is_some() {
                                "Avvist"
                            } else if c.opted_out {
                                "Meldt av"
                            } else if c.active {
                                "Aktiv"
                            } else {
                                "Deaktivert"
                            };
                            let edit = c.clone();
                            view! {
                                <tr>
                                    <td>{match &c.district_number {
                                        Some(d) => format!("{} {} – bydel {d}", c.municipality_number, c.municipality),
                                        None => format!("{} {}", c.municipality_number, c.municipality),
                                    }}</td>
                                    <td>{c.kind.clone()}</td>
                                    <td>{c.name.clone().unwrap_or_default()}</td>
                                    <td>{c.email.clone()}</td>
                                    <td>{status}</td>
                                    <td><button type="button" aria-label=format!("Endre {}", c.email)
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
    c: ContactView,
    editing: RwSignal<Option<ContactView>>,
    message: RwSignal<Option<Result<String, String>>>,
    reload: Callback<()>,
) -> impl IntoView {
    let id = c.id;
    let kind = RwSignal::new(c.kind.clone());
    let name = RwSignal::new(c.name.clone().unwrap_or_default());
    let email = RwSignal::new(c.email.clone());
    let active = RwSignal::new(c.active);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let url = format!("/api/admin/contacts/{id}");
        let body = ContactEdit {
            kind: kind.get_untracked(),
            name: name.get_untracked(),
            email: email.get_untracked(),
            active: active.get_untracked(),
        };
        spawn_local(async move {
            let result: Result<ContactView, String> = send("PUT", &url, &body).await;
            if result.is_ok() {
                editing.set(None);
            }
            message.set(Some(
                result.map(|c| format!("Kontakten {} er lagret.", c.email)),
            ));
            reload.run(());
        });
    };
    view! {
        <form class="login" on:submit=save>
            <h3>{format!("Endre kontakt for {} {}", c.municipality_number, c.municipality)}</h3>
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
