//! The administrators' pages at `/admin`: log in, and the live
//! response-rate dashboard of the round (refreshed every 5 seconds), with the
//! municipalities that have not answered and the CSV status list.
//! Researchers who log in are told the pages are for administrators.

use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

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
            view! { <Dashboard /> }.into_any()
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
