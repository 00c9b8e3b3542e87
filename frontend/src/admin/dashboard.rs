//! The live response-rate dashboard (refreshed every 5 seconds), with the
//! municipalities that have not answered and the CSV status list.

use api::admin::{MunicipalityStatus, Rate, RoundStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::get;

/// The live response-rate dashboard.
#[component]
pub(super) fn Dashboard() -> impl IntoView {
    let status = RwSignal::new(None::<Result<RoundStatus, String>>);
    // Every round on the server; the dashboard follows the one chosen.
    let rounds = RwSignal::new(Vec::<api::rounds::RoundSummary>::new());
    let chosen = RwSignal::new(String::new());
    let refresh = move || {
        let survey = chosen.get_untracked();
        if survey.is_empty() {
            return;
        }
        spawn_local(async move {
            status.set(Some(
                get::<RoundStatus>(&format!("/api/admin/rounds/{survey}/status")).await,
            ));
        });
    };
    spawn_local(async move {
        match get::<Vec<api::rounds::RoundSummary>>("/api/rounds").await {
            Ok(list) if !list.is_empty() => {
                chosen.set(list[0].survey_id.clone());
                rounds.set(list);
                refresh();
            }
            Ok(_) => status.set(Some(Err("Ingen runder.".into()))),
            Err(e) => status.set(Some(Err(e))),
        }
    });
    let handle = set_interval_with_handle(refresh, std::time::Duration::from_secs(5)).ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    view! {
        {move || (rounds.with(Vec::len) > 1).then(|| view! {
            <label for="status-runde">"Runde"</label>
            <select id="status-runde" on:change=move |ev| {
                chosen.set(event_target_value(&ev));
                status.set(None);
                refresh();
            }>
                {rounds.get().into_iter().map(|r| view! {
                    <option value=r.survey_id.clone() selected=r.survey_id == chosen.get_untracked()>{format!("{} ({})", r.title, r.survey_id)}</option>
                }).collect_view()}
            </select>
        })}
        {move || match status.get() {
            None => view! { <p class="status">"Henter svarstatus …"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="load-error" role="alert">{e}</p> }.into_any(),
            Some(Ok(s)) => view! { <StatusView s=s /> }.into_any(),
        }}
    }
}

/// A rate table, or nothing when the round has no such groups (a survey
/// answered by districts has no counties or size classes to show).
fn rate_table(caption: String, rows: Vec<Rate>) -> impl IntoView {
    (!rows.is_empty()).then(|| view! {
        <table class="rates">
            <caption>{caption}</caption>
            <thead><tr><th scope="col">""</th><th scope="col">"Svart"</th><th scope="col">"Av"</th><th scope="col">"Andel"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <th scope="row">{r.label}</th>
                        <td>{r.answered}</td>
                        <td>{r.total}</td>
                        <td>{format!("{:.0} %", r.percent)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    })
}

#[component]
fn StatusView(
    /// The round's status.
    s: RoundStatus,
) -> impl IntoView {
    let waiting: Vec<MunicipalityStatus> = s
        .status
        .iter()
        .filter(|m| m.submitted == 0)
        .cloned()
        .collect();
    let csv = format!("/api/admin/rounds/{}/status.csv", s.survey_id);
    view! {
        <section class="dashboard" aria-live="polite">
            <h2>"Svarstatus"</h2>
            <p class="answered" id="answered">
                {format!("{} av {} {} har sendt inn svar.", s.answered, s.municipalities, s.unit)}
            </p>
            <p><a href=csv download="status.csv">"Last ned statusliste (CSV)"</a></p>
            {rate_table("Etter kommunestørrelse".into(), s.by_size_class)}
            {rate_table(format!("Innsendte svar etter {}", crate::format::lower_first(&s.branch_title)), s.by_branch)}
            {rate_table("Etter fylke".into(), s.by_county)}
            <details>
                <summary>{format!("{} {} har ikke svart", waiting.len(), s.unit)}</summary>
                <ul class="waiting">
                    {waiting.into_iter().map(|m| view! {
                        <li>{format!("{} {} – invitert {}, utkast {}", m.number, m.name, m.invited, m.drafts)}</li>
                    }).collect_view()}
                </ul>
            </details>
        </section>
    }
}
