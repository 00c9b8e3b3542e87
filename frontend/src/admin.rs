//! The administrators' pages at `/admin`: log in, then four tabs — the live
//! response-rate dashboard of the round (refreshed every 5 seconds, with the
//! municipalities that have not answered and the CSV status list), rounds
//! (answering window, loading a definition or a correction), contacts
//! (CSV import with every bad row listed, edit, deactivate) and waves
//! (compose from a template, preview, send, progress refreshed every 2
//! seconds). Researchers who log in are told the pages are for administrators.
//!
//! The pages read the administrators' API as `serde_json::Value` rather than
//! typed structs: derived deserializers for every admin shape would weigh on
//! the one wasm file respondents download too.

use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The logged-in account.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Me {
    email: String,
    role: String,
}

#[derive(Serialize)]
struct Credentials {
    email: String,
    password: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Rate {
    key: String,
    total: usize,
    answered: usize,
    percent: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct MunicipalityStatus {
    number: String,
    name: String,
    submitted: usize,
    drafts: usize,
    invited: usize,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct RoundStatus {
    survey_id: String,
    municipalities: usize,
    answered: usize,
    by_county: Vec<Rate>,
    by_size_class: Vec<Rate>,
    by_branch: Vec<Rate>,
    status: Vec<MunicipalityStatus>,
}

#[derive(Clone, PartialEq)]
enum Auth {
    Checking,
    LoggedOut(Option<String>),
    In(Me),
}

async fn me() -> Option<Me> {
    let resp = Request::get("/api/auth/me").send().await.ok()?;
    if !resp.ok() {
        return None;
    }
    resp.json::<Me>().await.ok()
}

async fn login(email: String, password: String) -> Result<Me, String> {
    let resp = Request::post("/api/auth/login")
        .json(&Credentials { email, password })
        .map_err(|e| format!("Kunne ikke lage forespørselen ({e})."))?
        .send()
        .await
        .map_err(|_| "Fikk ikke kontakt med serveren.".to_owned())?;
    match resp.status() {
        200 => resp
            .json::<Me>()
            .await
            .map_err(|e| format!("Uventet svar fra serveren ({e}).")),
        401 => Err("Feil e-postadresse eller passord.".into()),
        429 => Err("For mange forsøk. Vent et minutt og prøv igjen.".into()),
        s => Err(format!("Innloggingen feilet (feil {s}).")),
    }
}

/// The administration area.
#[component]
pub fn Admin() -> impl IntoView {
    let auth = RwSignal::new(Auth::Checking);
    spawn_local(async move {
        auth.set(match me().await {
            Some(m) => Auth::In(m),
            None => Auth::LoggedOut(None),
        });
    });
    view! {
        <main class="app admin">
            <h1>"Omfangsundersøkelsen – administrasjon"</h1>
            {move || match auth.get() {
                Auth::Checking => view! { <p class="status">"Sjekker innlogging …"</p> }.into_any(),
                Auth::LoggedOut(error) => view! { <LoginForm auth=auth error=error /> }.into_any(),
                Auth::In(me) => view! { <LoggedIn auth=auth me=me /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn LoginForm(auth: RwSignal<Auth>, error: Option<String>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (e, p) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            auth.set(match login(e, p).await {
                Ok(me) => Auth::In(me),
                Err(message) => Auth::LoggedOut(Some(message)),
            });
        });
    };
    view! {
        <form class="login" on:submit=submit>
            <h2>"Logg inn"</h2>
            {error.map(|e| view! { <p class="load-error" role="alert" id="login-error">{e}</p> })}
            <label for="login-email">"E-postadresse"</label>
            <input id="login-email" type="email" autocomplete="username" required
                prop:value=move || email.get()
                on:input=move |ev| email.set(event_target_value(&ev)) />
            <label for="login-password">"Passord"</label>
            <input id="login-password" type="password" autocomplete="current-password" required
                prop:value=move || password.get()
                on:input=move |ev| password.set(event_target_value(&ev)) />
            <button class="primary" type="submit">"Logg inn"</button>
        </form>
    }
}

#[component]
fn LoggedIn(auth: RwSignal<Auth>, me: Me) -> impl IntoView {
    let logout = move |_| {
        spawn_local(async move {
            if let Ok(req) = Request::post("/api/auth/logout").json(&serde_json::json!({})) {
                let _ = req.send().await;
            }
            auth.set(Auth::LoggedOut(None));
        });
    };
    let role = if me.role == "admin" {
        "administrator"
    } else {
        "forsker"
    };
    view! {
        <p class="who">
            "Innlogget som " <strong>{me.email.clone()}</strong> " (" {role} ") "
            <button type="button" on:click=logout>"Logg ut"</button>
        </p>
        {if me.role == "admin" {
            view! { <Tabs /> }.into_any()
        } else {
            view! { <p role="alert">"Disse sidene er for administratorer. Forskere bruker analysekommandoene og API-et."</p> }.into_any()
        }}
    }
}

/// The live response-rate dashboard.
#[component]
fn Dashboard() -> impl IntoView {
    let status = RwSignal::new(None::<Result<RoundStatus, String>>);
    let refresh = move || {
        spawn_local(async move {
            let result = async {
                let rounds: Vec<crate::api::RoundSummary> = Request::get("/api/rounds")
                    .send()
                    .await
                    .map_err(|_| "Fikk ikke kontakt med serveren.".to_owned())?
                    .json()
                    .await
                    .map_err(|e| e.to_string())?;
                let survey = rounds
                    .first()
                    .map(|r| r.survey_id.clone())
                    .ok_or("Ingen runder.")?;
                let resp = Request::get(&format!("/api/admin/rounds/{survey}/status"))
                    .send()
                    .await
                    .map_err(|_| "Fikk ikke kontakt med serveren.".to_owned())?;
                if !resp.ok() {
                    return Err(format!("Serveren svarte med feil {}.", resp.status()));
                }
                resp.json::<RoundStatus>().await.map_err(|e| e.to_string())
            }
            .await;
            status.set(Some(result));
        });
    };
    refresh();
    let handle = set_interval_with_handle(refresh, std::time::Duration::from_secs(5)).ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    move || match status.get() {
        None => view! { <p class="status">"Henter svarstatus …"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="load-error" role="alert">{e}</p> }.into_any(),
        Some(Ok(s)) => view! { <StatusView s=s /> }.into_any(),
    }
}

fn rate_table(caption: &'static str, rows: Vec<Rate>, label: fn(&str) -> String) -> impl IntoView {
    view! {
        <table class="rates">
            <caption>{caption}</caption>
            <thead><tr><th scope="col">""</th><th scope="col">"Svart"</th><th scope="col">"Av"</th><th scope="col">"Andel"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <th scope="row">{label(&r.key)}</th>
                        <td>{r.answered}</td>
                        <td>{r.total}</td>
                        <td>{format!("{:.0} %", r.percent)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn StatusView(s: RoundStatus) -> impl IntoView {
    let waiting: Vec<MunicipalityStatus> = s
        .status
        .iter()
        .filter(|m| m.submitted == 0)
        .cloned()
        .collect();
    let csv = format!("/api/admin/rounds/{}/status.csv", s.survey_id);
    let size = |k: &str| {
        match k {
            "small" => "Små (under 5 000)",
            "medium" => "Mellomstore (5 000–19 999)",
            _ => "Store (20 000 eller flere)",
        }
        .to_owned()
    };
    let branch = |k: &str| {
        match k {
            "1" => "Egen oppsøkende tjeneste",
            "2" => "Del av annen tjeneste",
            _ => "Ikke oppsøkende arbeid",
        }
        .to_owned()
    };
    view! {
        <section class="dashboard" aria-live="polite">
            <h2>"Svarstatus"</h2>
            <p class="answered" id="answered">
                {format!("{} av {} kommuner har sendt inn svar.", s.answered, s.municipalities)}
            </p>
            <p><a href=csv download="status.csv">"Last ned statusliste (CSV)"</a></p>
            {rate_table("Etter kommunestørrelse", s.by_size_class, size)}
            {rate_table("Innsendte svar etter tjenestetype", s.by_branch, branch)}
            {rate_table("Etter fylke (fylkesnummer)", s.by_county, |k| k.to_owned())}
            <details>
                <summary>{format!("{} kommuner har ikke svart", waiting.len())}</summary>
                <ul class="waiting">
                    {waiting.into_iter().map(|m| view! {
                        <li>{format!("{} {} – invitert {}, utkast {}", m.number, m.name, m.invited, m.drafts)}</li>
                    }).collect_view()}
                </ul>
            </details>
        </section>
    }
}

/// Calls the administrators' API; the error is the server's message.
async fn call(method: &str, url: &str, body: Option<Value>) -> Result<Value, String> {
    let req = match method {
        "POST" => Request::post(url),
        "PUT" => Request::put(url),
        _ => Request::get(url),
    };
    let sent = match body {
        Some(b) => req.json(&b).map_err(|e| e.to_string())?.send().await,
        None => req.send().await,
    };
    let resp = sent.map_err(|_| "Fikk ikke kontakt med serveren.".to_owned())?;
    let status = resp.status();
    let value: Value = resp.json().await.unwrap_or(Value::Null);
    if (200..300).contains(&status) {
        Ok(value)
    } else {
        Err(value["message"].as_str().map_or_else(
            || format!("Serveren svarte med feil {status}."),
            str::to_owned,
        ))
    }
}

/// A string field of a JSON value ("" if missing).
fn text(v: &Value, key: &str) -> String {
    match &v[key] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A date (YYYY-MM-DD) from an RFC 3339 field.
fn day(v: &Value, key: &str) -> String {
    text(v, key).chars().take(10).collect()
}

/// An outcome line: `Ok` as a status, `Err` as an alert (several lines kept).
fn outcome(result: Option<Result<String, String>>) -> impl IntoView {
    result.map(|r| match r {
        Ok(m) => view! { <p class="status" role="status">{m}</p> }.into_any(),
        Err(e) => view! { <pre class="load-error" role="alert">{e}</pre> }.into_any(),
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Status,
    Rounds,
    Contacts,
    Waves,
}

/// The four administration tabs.
#[component]
fn Tabs() -> impl IntoView {
    let tab = RwSignal::new(Tab::Status);
    let button = move |t: Tab, label: &'static str| {
        view! {
            <button type="button" aria-current=move || (tab.get() == t).then_some("page")
                on:click=move |_| tab.set(t)>{label}</button>
        }
    };
    view! {
        <nav class="tabs" aria-label="Administrasjon">
            {button(Tab::Status, "Svarstatus")}
            {button(Tab::Rounds, "Runder")}
            {button(Tab::Contacts, "Kontakter")}
            {button(Tab::Waves, "Utsendinger")}
        </nav>
        {move || match tab.get() {
            Tab::Status => view! { <Dashboard /> }.into_any(),
            Tab::Rounds => view! { <Rounds /> }.into_any(),
            Tab::Contacts => view! { <Contacts /> }.into_any(),
            Tab::Waves => view! { <Waves /> }.into_any(),
        }}
    }
}

/// Rounds: answering windows, and loading a definition or a correction.
#[component]
fn Rounds() -> impl IntoView {
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
    let opens = RwSignal::new(day(&r, "opens_at"));
    let closes = RwSignal::new(day(&r, "closes_at"));
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
            <label>"Åpner " <input type="date" prop:value=move || opens.get()
                on:input=move |ev| opens.set(event_target_value(&ev)) /></label>
            <label>" Stenger " <input type="date" prop:value=move || closes.get()
                on:input=move |ev| closes.set(event_target_value(&ev)) /></label>
            " " <button type="submit">"Lagre svarperiode"</button>
        </form>
    }
}

/// Contacts: CSV import, list, edit and deactivate.
#[component]
fn Contacts() -> impl IntoView {
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
fn Waves() -> impl IntoView {
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
