//! The live response-rate dashboard (refreshed every 5 seconds), with the
//! municipalities that have not answered and the CSV status list.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

use super::call;

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

/// The live response-rate dashboard.
#[component]
pub(super) fn Dashboard() -> impl IntoView {
    let status = RwSignal::new(None::<Result<RoundStatus, String>>);
    // County names for the table by county (the status counts by number).
    let counties = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    spawn_local(async move {
        if let Ok(reg) = call("GET", "/api/registry", None).await {
            let names = reg["counties"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| {
                    Some((
                        c["number"].as_str()?.to_owned(),
                        c["name"].as_str()?.to_owned(),
                    ))
                })
                .collect();
            counties.set(names);
        }
    });
    let refresh = move || {
        spawn_local(async move {
            let result = async {
                let rounds = call("GET", "/api/rounds", None).await?;
                let survey = rounds[0]["survey_id"].as_str().ok_or("Ingen runder.")?;
                let url = format!("/api/admin/rounds/{survey}/status");
                serde_json::from_value::<RoundStatus>(call("GET", &url, None).await?)
                    .map_err(|e| e.to_string())
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
        Some(Ok(s)) => view! { <StatusView s=s counties=counties.get() /> }.into_any(),
    }
}

fn rate_table(
    caption: &'static str,
    rows: Vec<Rate>,
    label: impl Fn(&str) -> String,
) -> impl IntoView {
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
fn StatusView(
    /// The round's status.
    s: RoundStatus,
    /// County names by number.
    counties: std::collections::BTreeMap<String, String>,
) -> impl IntoView {
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
            {rate_table("Etter fylke", s.by_county, move |k| counties.get(k).cloned().unwrap_or_else(|| k.to_owned()))}
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
