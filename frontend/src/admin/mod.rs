//! The administrators' pages at `/admin`: log in, then four tabs — the live
//! response-rate dashboard of the round (refreshed every 5 seconds, with the
//! municipalities that have not answered and the CSV status list), rounds
//! (answering window, loading a definition or a correction), contacts
//! (CSV import with every bad row listed, edit, deactivate) and waves
//! (compose from a template, preview, send, progress refreshed every 2
//! seconds). Researchers who log in are sent on to the researchers' area at
//! `/analyse` (`research.rs`), which administrators may use too.
//!
//! The pages read the administrators' API as `serde_json::Value` rather than
//! typed structs (the dashboard excepted): derived deserializers for every
//! admin shape would make the administrators' build heavier for nothing.

mod contacts;
mod dashboard;
mod research;
mod rounds;
mod waves;

use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// The administration area (`/admin`) or, with `research`, the
/// researchers' area (`/analyse`); both behind the same login.
#[component]
pub fn Admin(#[prop(optional)] research: bool) -> impl IntoView {
    crate::route::set_title(
        if research {
            "Analyse"
        } else {
            "Administrasjon"
        },
        "Omfangsundersøkelsen",
    );
    let auth = RwSignal::new(Auth::Checking);
    spawn_local(async move {
        auth.set(match me().await {
            Some(m) => Auth::In(m),
            None => Auth::LoggedOut(None),
        });
    });
    view! {
        <main class="app admin">
            <h1>{if research { "Omfangsundersøkelsen – analyse" } else { "Omfangsundersøkelsen – administrasjon" }}</h1>
            {move || match auth.get() {
                Auth::Checking => view! { <p class="status">"Sjekker innlogging …"</p> }.into_any(),
                Auth::LoggedOut(error) => view! { <LoginForm auth=auth error=error /> }.into_any(),
                Auth::In(me) => view! { <LoggedIn auth=auth me=me research=research /> }.into_any(),
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
fn LoggedIn(auth: RwSignal<Auth>, me: Me, research: bool) -> impl IntoView {
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
        <p class="areas">
            {if !research {
                view! { <a href="/analyse">"Til analyse (krysstabeller, nedlastinger, datarensing)"</a> }.into_any()
            } else if me.role == "admin" {
                view! { <a href="/admin">"Til administrasjon"</a> }.into_any()
            } else {
                ().into_any()
            }}
        </p>
        {if research {
            view! { <research::Workspace /> }.into_any()
        } else if me.role == "admin" {
            view! { <Tabs /> }.into_any()
        } else {
            view! { <p role="alert">"Disse sidene er for administratorer. Som forsker bruker du analysesidene: " <a href="/analyse">"gå til analyse"</a> "."</p> }.into_any()
        }}
    }
}

/// Calls the administrators' API; the error is the server's message.
pub(super) async fn call(method: &str, url: &str, body: Option<Value>) -> Result<Value, String> {
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
pub(super) fn text(v: &Value, key: &str) -> String {
    match &v[key] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A date (YYYY-MM-DD) from an RFC 3339 field.
pub(super) fn day(v: &Value, key: &str) -> String {
    text(v, key).chars().take(10).collect()
}

/// An outcome line: `Ok` as a status, `Err` as an alert (several lines kept).
pub(super) fn outcome(result: Option<Result<String, String>>) -> impl IntoView {
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
            Tab::Status => view! { <dashboard::Dashboard /> }.into_any(),
            Tab::Rounds => view! { <rounds::Rounds /> }.into_any(),
            Tab::Contacts => view! { <contacts::Contacts /> }.into_any(),
            Tab::Waves => view! { <waves::Waves /> }.into_any(),
        }}
    }
}
