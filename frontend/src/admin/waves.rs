//! Waves: compose from a template, preview, send; the progress of every
//! wave, refreshed every 2 seconds.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use super::{call, outcome, text};

const TEMPLATE: &str = "Hei {navn}

KORUS gjennomfører Omfangsundersøkelsen for oppsøkende ungdomsarbeid, og vi ber om svar fra {kommune} kommune innen {frist}.

Din personlige lenke til undersøkelsen:
{lenke}

Svarene lagres underveis, så det er mulig å gå inn og ut. Har kommunen flere aktuelle tjenester, må undersøkelsen besvares en gang per tjeneste.

Vennlig hilsen
KORUS

Vil du ikke ha flere e-poster om undersøkelsen: {avmelding}";

/// Waves: compose, preview, send; progress of every wave.
#[component]
pub(super) fn Waves() -> impl IntoView {
    let field = |v: &str| RwSignal::new(v.to_owned());
    let (survey, kind, who, county, size) = (
        field("korus-2025"),
        field("invitation"),
        field("not-invited"),
        field(""),
        field(""),
    );
    let (subject, deadline, template) = (
        field("Omfangsundersøkelse for oppsøkende ungdomsarbeid – {kommune}"),
        field(""),
        field(TEMPLATE),
    );
    let message = RwSignal::new(None::<Result<String, String>>);
    let preview = RwSignal::new(None::<Value>);
    let waves = RwSignal::new(Vec::<Value>::new());
    let refresh = move || {
        spawn_local(async move {
            if let Ok(Value::Array(list)) = call("GET", "/api/admin/waves", None).await {
                waves.set(list);
            }
        })
    };
    refresh();
    let handle = set_interval_with_handle(refresh, std::time::Duration::from_secs(2)).ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    let body = move || {
        json!({
            "survey_id": survey.get_untracked(), "kind": kind.get_untracked(),
            "who": who.get_untracked(), "county": county.get_untracked(),
            "size_class": size.get_untracked(), "subject": subject.get_untracked(),
            "template": template.get_untracked(), "deadline": deadline.get_untracked(),
        })
    };
    let show = move |_| {
        let b = body();
        spawn_local(async move {
            match call("POST", "/api/admin/waves/preview", Some(b)).await {
                Ok(p) => {
                    message.set(None);
                    preview.set(Some(p));
                }
                Err(e) => message.set(Some(Err(e))),
            }
        });
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let b = body();
        spawn_local(async move {
            message.set(Some(call("POST", "/api/admin/waves", Some(b)).await.map(
                |w| {
                    format!(
                        "Utsending {} er lagt i kø: {} e-poster.",
                        w["id"], w["mails"]
                    )
                },
            )));
            preview.set(None);
            refresh();
        });
    };
    let input = |id: &'static str, label: &'static str, sig: RwSignal<String>| {
        view! {
            <label for=id>{label}</label>
            <input id=id prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev)) />
        }
    };
    let select = |id: &'static str,
                  label: &'static str,
                  sig: RwSignal<String>,
                  options: &'static [(&'static str, &'static str)]| {
        view! {
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| sig.set(event_target_value(&ev))>
                {options.iter().map(|(v, l)| view! { <option value=*v selected=sig.get_untracked() == *v>{*l}</option> }).collect_view()}
            </select>
        }
    };
    view! {
        <section class="waves">
            <h2>"Utsendinger"</h2>
            <form class="login" on:submit=send>
                {input("wave-round", "Runde", survey)}
                {select("wave-kind", "Type", kind, &[("invitation", "Invitasjon"), ("reminder", "Påminnelse (bare til dem som ikke har sendt inn)")])}
                {select("wave-who", "Mottakere", who, &[("not-invited", "Ikke invitert ennå"), ("not-submitted", "Ikke sendt inn"), ("all", "Alle")])}
                {input("wave-county", "Bare fylke (fylkesnummer, valgfritt)", county)}
                {select("wave-size", "Bare kommunestørrelse", size, &[("", "Alle størrelser"), ("small", "Små (under 5 000)"), ("medium", "Mellomstore (5 000–19 999)"), ("large", "Store (20 000 eller flere)")])}
                {input("wave-subject", "Emne", subject)}
                {input("wave-deadline", "Frist ({frist})", deadline)}
                <label for="wave-template">"Melding: {kommune}, {navn}, {frist}, {lenke} (personlig lenke, må være med) og {avmelding}"</label>
                <textarea id="wave-template" rows="12" prop:value=move || template.get()
                    on:input=move |ev| template.set(event_target_value(&ev))></textarea>
                <button type="button" on:click=show>"Forhåndsvis"</button>
                {move || preview.get().map(|p| {
                    let first = &p["first"];
                    view! {
                        <div class="preview" id="wave-preview">
                            <p><strong>{format!("{} mottakere.", p["recipients"])}</strong></p>
                            <p>{format!("Til: {}", text(first, "to"))}</p>
                            <p>{format!("Emne: {}", text(first, "subject"))}</p>
                            <pre>{text(first, "body")}</pre>
                            <button class="primary" type="submit">"Send utsendingen"</button>
                        </div>
                    }
                })}
            </form>
            {move || outcome(message.get())}
            <table class="rates list" id="waves">
                <caption>"Utsendinger og fremdrift"</caption>
                <thead><tr><th scope="col">"Nr."</th><th scope="col">"Type"</th><th scope="col">"Emne"</th><th scope="col">"Sendt av"</th><th scope="col">"Sendt"</th><th scope="col">"I kø"</th><th scope="col">"Feilet"</th></tr></thead>
                <tbody>
                    <For each=move || waves.get() key=|w| w.to_string() let:w>
                        {
                            let n = |k: &str| w["by_status"][k].as_u64().unwrap_or(0);
                            view! {
                                <tr>
                                    <td>{text(&w, "id")}</td>
                                    <td>{if text(&w, "kind") == "reminder" { "Påminnelse" } else { "Invitasjon" }}</td>
                                    <td>{text(&w, "subject")}</td>
                                    <td>{text(&w, "created_by")}</td>
                                    <td class="sent">{n("sent")}</td>
                                    <td>{n("pending") + n("sending")}</td>
                                    <td>{n("failed")}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </section>
    }
}
