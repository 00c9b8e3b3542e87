//! Waves: compose from a template, preview, send; the progress of every
//! wave, refreshed every 2 seconds.

use api::admin::{RoundView, WaveCreated, WavePreview, WaveProgress, WaveRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{get, outcome, send};

/// Waves: compose, preview, send; progress of every wave.
#[component]
pub(super) fn Waves() -> impl IntoView {
    let field = |v: &str| RwSignal::new(v.to_owned());
    let (survey, kind, who, county, size) = (
        field(""),
        field("invitation"),
        field("not-invited"),
        field(""),
        field(""),
    );
    let (subject, deadline, template) = (field(""), field(""), field(""));
    let message = RwSignal::new(None::<Result<String, String>>);
    let preview = RwSignal::new(None::<WavePreview>);
    let waves = RwSignal::new(Vec::<WaveProgress>::new());
    // The rounds to send for; picking one starts from its definition's
    // invitation text.
    let rounds = RwSignal::new(Vec::<RoundView>::new());
    let pick = move |id: String| {
        let invitation = rounds.with_untracked(|rs| {
            rs.iter()
                .find(|r| r.survey_id == id)
                .and_then(|r| r.invitation.clone())
        });
        if let Some(t) = invitation {
            subject.set(t.subject);
            template.set(t.body);
        }
        // The county and size filters belong to the round left.
        county.set(String::new());
        size.set(String::new());
        survey.set(id);
    };
    spawn_local(async move {
        if let Ok(list) = get::<Vec<RoundView>>("/api/admin/rounds").await {
            let first = list.first().map(|r| r.survey_id.clone());
            rounds.set(list);
            if let Some(id) = first {
                pick(id);
            }
        }
    });
    let refresh = move || {
        spawn_local(async move {
            if let Ok(list) = get::<Vec<WaveProgress>>("/api/admin/waves").await {
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
    let body = move || WaveRequest {
        survey_id: survey.get_untracked(),
        kind: kind.get_untracked(),
        who: who.get_untracked(),
        county: Some(county.get_untracked()),
        size_class: Some(size.get_untracked()),
        subject: subject.get_untracked(),
        template: template.get_untracked(),
        deadline: deadline.get_untracked(),
    };
    let show = move |_| {
        let b = body();
        spawn_local(async move {
            match send::<WavePreview>("POST", "/api/admin/waves/preview", &b).await {
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
            message.set(Some(
                send::<WaveCreated>("POST", "/api/admin/waves", &b)
                    .await
                    .map(|w| format!("Utsending {} er lagt i kø: {} e-poster.", w.id, w.mails)),
            ));
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
                <label for="wave-round">"Runde"</label>
                <select id="wave-round" on:change=move |ev| pick(event_target_value(&ev))>
                    {move || rounds.get().into_iter().map(|r| {
                        let selected = r.survey_id == survey.get_untracked();
                        view! { <option value=r.survey_id.clone() selected=selected>{format!("{} ({})", r.title, r.survey_id)}</option> }
                    }).collect_view()}
                </select>
                {select("wave-kind", "Type", kind, &[("invitation", "Invitasjon"), ("reminder", "Påminnelse (bare til dem som ikke har sendt inn)")])}
                {select("wave-who", "Mottakere", who, &[("not-invited", "Ikke invitert ennå"), ("not-submitted", "Ikke sendt inn"), ("all", "Alle")])}
                // County and size class choose municipalities; a survey
                // answered by districts has neither to choose by.
                <div hidden=move || { let s = survey.get(); rounds.with(|r| r.iter().any(|r| r.survey_id == s && r.unit == "bydeler")) }>
                    {input("wave-county", "Bare fylke (fylkesnummer, valgfritt)", county)}
                    <label for="wave-size">"Bare kommunestørrelse"</label>
                    <select id="wave-size" on:change=move |ev| size.set(event_target_value(&ev))>
                        <option value="">"Alle størrelser"</option>
                        {api::SizeClass::ALL.into_iter().map(|c| view! { <option value=c.key()>{c.label()}</option> }).collect_view()}
                    </select>
                </div>
                {input("wave-subject", "Emne", subject)}
                {input("wave-deadline", "Frist ({frist})", deadline)}
                <label for="wave-template">"Melding: {kommune}, {navn}, {frist}, {lenke} (personlig lenke, må være med) og {avmelding}"</label>
                <textarea id="wave-template" rows="12" prop:value=move || template.get()
                    on:input=move |ev| template.set(event_target_value(&ev))></textarea>
                <button type="button" on:click=show>"Forhåndsvis"</button>
                {move || preview.get().map(|p| match p.first {
                    // Nobody to send to: say so, and offer no send button.
                    None => view! {
                        <div class="preview" id="wave-preview">
                            <p><strong>"0 mottakere."</strong>" Ingen kontakter passer valget. Endre mottakere eller runde."</p>
                        </div>
                    }.into_any(),
                    Some(first) => view! {
                        <div class="preview" id="wave-preview">
                            <p><strong>{format!("{} mottakere.", p.recipients)}</strong></p>
                            <p>{format!("Til: {}", first.to)}</p>
                            <p>{format!("Emne: {}", first.subject)}</p>
                            <pre>{first.body}</pre>
                            <button class="primary" type="submit">"Send utsendingen"</button>
                        </div>
                    }.into_any(),
                })}
            </form>
            {move || outcome(message.get())}
            <table class="rates list" id="waves">
                <caption>"Utsendinger og fremdrift"</caption>
                <thead><tr><th scope="col">"Nr."</th><th scope="col">"Type"</th><th scope="col">"Emne"</th><th scope="col">"Sendt av"</th><th scope="col">"Sendt"</th><th scope="col">"I kø"</th><th scope="col">"Feilet"</th></tr></thead>
                <tbody>
                    <For each=move || waves.get() key=|w| (w.id, w.by_status.clone()) let:w>
                        {
                            let n = |k: &str| w.by_status.get(k).copied().unwrap_or(0);
                            view! {
                                <tr>
                                    <td>{w.id}</td>
                                    <td>{if w.kind == "reminder" { "Påminnelse" } else { "Invitasjon" }}</td>
                                    <td>{w.subject.clone()}</td>
                                    <td>{w.created_by.clone()}</td>
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
