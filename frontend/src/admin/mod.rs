//! The administrators' pages at `/admin`: log in, then four tabs — the live
//! response-rate dashboard of the round (refreshed every 5 seconds, with the
//! municipalities that have not answered and the CSV status list), rounds
//! (answering window, loading a definition or a correction), contacts
//! (CSV import with every bad row listed, edit, deactivate) and waves
//! (compose from a template, preview, send, progress refreshed every 2
//! seconds). Researchers who log in are sent on to the researchers' area at
//! `/analyse` (`research.rs`), which administrators may use too.
//!
//! Every request and answer is a type of the `omfang-api` crate, the one
//! the server answers with.

mod contacts;
mod dashboard;
mod research;
mod rounds;
mod waves;

use api::account::{LoginRequest, Me};
use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use serde::de::DeserializeOwned;

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
        .json(&LoginRequest { email, password })
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
        "omfang",
    );
    let auth = RwSignal::new(Auth::Checking);
    // Kept across a failed attempt: only the password is typed again.
    let email = RwSignal::new(String::new());
    spawn_local(async move {
        auth.set(match me().await {
            Some(m) => Auth::In(m),
            None => Auth::LoggedOut(None),
        });
    });
    view! {
        <main class="app admin">
            <h1>{if research { "omfang – analyse av undersøkelser" } else { "omfang – administrasjon av undersøkelser" }}</h1>
            {move || match auth.get() {
                Auth::Checking => view! { <p class="status">"Sjekker innlogging …"</p> }.into_any(),
                Auth::LoggedOut(error) => view! { <LoginForm auth=auth error=error email=email /> }.into_any(),
                Auth::In(me) => view! { <LoggedIn auth=auth me=me research=research /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn LoginForm(
    auth: RwSignal<Auth>,
    error: Option<String>,
    email: RwSignal<String>,
) -> impl IntoView {
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

/// Reads the API; the error is the server's message.
pub(super) async fn get<T: DeserializeOwned>(url: &str) -> Result<T, String> {
    answer(Request::get(url).send().await).await
}

/// Writes to the API (`POST` or `PUT` a JSON body) and reads the answer.
pub(super) async fn send<T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: &impl Serialize,
) -> Result<T, String> {
    let req = if method == "PUT" {
        Request::put(url)
    } else {
        Request::post(url)
    };
    answer(req.json(body).map_err(|e| e.to_string())?.send().await).await
}

/// Writes to the API where the answer has no body (204).
pub(super) async fn send_only(url: &str, body: &impl Serialize) -> Result<(), String> {
    let resp = Request::post(url)
        .json(body)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|_| "Fikk ikke kontakt med serveren.".to_owned())?;
    if resp.ok() {
        Ok(())
    } else {
        Err(message_of(resp).await)
    }
}

async fn answer<T: DeserializeOwned>(
    sent: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, String> {
    let resp = sent.map_err(|_| "Fikk ikke kontakt med serveren.".to_owned())?;
    if !resp.ok() {
        return Err(message_of(resp).await);
    }
    resp.json::<T>()
        .await
        .map_err(|e| format!("Uventet svar fra serveren ({e})."))
}

/// The server's message in an error answer.
async fn message_of(resp: gloo_net::http::Response) -> String {
    let status = resp.status();
    resp.json::<api::respondent::ErrorResponse>()
        .await
        .map_or_else(
            |_| format!("Serveren svarte med feil {status}."),
            |b| b.message,
        )
}

/// A date (YYYY-MM-DD) from an RFC 3339 time.
pub(super) fn day(time: Option<&str>) -> String {
    time.unwrap_or_default().chars().take(10).collect()
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
