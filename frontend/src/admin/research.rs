//! The researchers' area at `/analyse` (researchers and administrators):
//! pick a round; see its sample, n, registry year and response rate by
//! county and size class (with the municipalities not answered); build a
//! cross-tab (variable × grouping, unit, sample, «Totalt», suppression)
//! read as a table with n, percentages, the tests as the report writes
//! them and the grouped bar chart, and download it as CSV, XLSX, SVG or
//! PNG; download the whole report as one ZIP; keep or drop probable
//! duplicates and not-analysable responses with a reason; and code free
//! text (`research/coding.rs`).
//!
//! The address holds the choice (`/analyse?runde=…&variabel=…&etter=…`),
//! so a table can be bookmarked and shared; opening such an address shows
//! the table at once.

mod coding;
mod crosstab;

use api::research::{
    CleaningState, DecisionRequest, Flagged, ReportJob, ResearchRound, ResearchSummary,
    ResponseRate,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{get, outcome, send, send_only};
use crate::format::esc;

/// A query-string parameter of the page's address.
pub(super) fn param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| {
            js_sys::decode_uri_component(&v.replace('+', " "))
                .ok()
                .and_then(|s| s.as_string())
        })
        .filter(|v| !v.is_empty())
}

/// Encodes a query-string value.
pub(super) fn enc(value: &str) -> String {
    js_sys::encode_uri_component(value)
        .as_string()
        .unwrap_or_default()
}

/// Replaces the address (no new history entry) with `/analyse?…`.
pub(super) fn set_address(query: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("/analyse?{query}")),
        );
    }
}

/// The workspace.
#[component]
pub(super) fn Workspace() -> impl IntoView {
    let rounds: RwSignal<Option<Result<Vec<ResearchRound>, String>>> = RwSignal::new(None);
    let round = RwSignal::new(param("runde").unwrap_or_default());
    spawn_local(async move {
        let r = get::<Vec<ResearchRound>>("/api/research/rounds").await;
        if let Ok(list) = &r
            && round.get_untracked().is_empty()
            && let Some(first) = list.first()
        {
            round.set(first.survey_id.clone());
        }
        rounds.set(Some(r));
    });
    // Bumped after a cleaning decision: the figures follow at once.
    let version = RwSignal::new(0u32);
    view! {
        <section class="research">
            {move || match rounds.get() {
                None => view! { <p class="status">"Henter rundene …"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="load-error" role="alert">{e}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <label for="runde">"Runde"</label>
                    <select id="runde" on:change=move |ev| round.set(event_target_value(&ev))>
                        {list.into_iter().map(|r| {
                            let id = r.survey_id;
                            let selected = id == round.get_untracked();
                            view! { <option value=id.clone() selected=selected>{format!("{} ({id})", r.title)}</option> }
                        }).collect_view()}
                    </select>
                }.into_any(),
            }}
            {move || {
                let r = round.get();
                (!r.is_empty()).then(|| view! {
                    <Summary round=r.clone() version=version />
                    <crosstab::Builder round=r.clone() version=version />
                    <Cleaning round=r.clone() version=version />
                    <coding::Coding round=r version=version />
                })
            }}
        </section>
    }
}

/// The sample, n, registry year and response rates of a round.
#[component]
fn Summary(round: String, version: RwSignal<u32>) -> impl IntoView {
    let data: RwSignal<Option<Result<ResearchSummary, String>>> = RwSignal::new(None);
    let sample = RwSignal::new(param("utvalg").unwrap_or_else(|| "analysable".into()));
    let url = round.clone();
    Effect::new(move |_| {
        let (s, _) = (sample.get(), version.get());
        let url = format!("/api/research/rounds/{}/summary?sample={s}", enc(&url));
        spawn_local(async move { data.set(Some(get(&url).await)) });
    });
    let zip = format!("/api/research/rounds/{}/report.zip", enc(&round));
    let zip_round = round.clone();
    let zip_status = RwSignal::new(None::<Result<String, String>>);
    view! {
        <h2>"Utvalg og svarprosent"</h2>
        <label for="oversikt-utvalg">"Utvalg"</label>
        <select id="oversikt-utvalg" on:change=move |ev| sample.set(event_target_value(&ev))>
            <option value="analysable" selected=move || sample.get() == "analysable">"Alle analyserbare (også ikke innsendte), som rapporten"</option>
            <option value="submitted" selected=move || sample.get() == "submitted">"Bare innsendte svar"</option>
        </select>
        {move || match data.get() {
            None => view! { <p class="status">"Henter utvalget …"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="load-error" role="alert">{e}</p> }.into_any(),
            Some(Ok(v)) => view! {
                <p class="answered" id="utvalg-n">
                    {format!("{} av {} svar i analyseutvalget", v.included, v.respondents)}
                </p>
                <p>{format!("{}. Registerår {}.", v.sample_description, v.registry_year)}</p>
                <p>{format!("Tallet over teller svar (ett per utfylt skjema); tabellene teller {}. En krysstabell teller bare dem som fikk spørsmålet: de som ikke fikk det, står som «ikke spurt».", if v.by_district.is_some() { "bydeler" } else { "kommuner" })}</p>
                <div class="rate-tables" inner_html=match &v.by_district {
                    // A survey answered by districts: its rate counts them.
                    Some(d) => rate_table(d, "Svarprosent, bydeler"),
                    None => format!(
                        "{}{}",
                        rate_table(&v.by_county, "Svarprosent etter fylke"),
                        rate_table(&v.by_size_class, "Svarprosent etter kommunestørrelse")
                    ),
                }></div>
            }.into_any(),
        }}
        <p>
            <button type="button" id="rapport-zip" data-href=zip.clone()
                on:click=move |_| download_zip(zip_round.clone(), sample.get_untracked(), zip_status)>"Last ned hele rapporten (ZIP)"</button>
            " Figurer (SVG og PNG), tabeller (XLSX), HTML, data (CSV), kodebok og SPSS-syntaks."
        </p>
        {move || outcome(zip_status.get())}
    }
}

/// Waits `ms` milliseconds.
async fn pause(ms: i32) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}

/// Builds the report on the server as a job, showing how far it has come
/// (figure by figure) until it is ready, then hands the ZIP to the browser
/// as a download. The page asks only while the job runs.
fn download_zip(round: String, sample: String, status: RwSignal<Option<Result<String, String>>>) {
    status.set(Some(Ok("Starter rapporten på serveren …".into())));
    spawn_local(async move {
        let got = async {
            let start = format!(
                "/api/research/rounds/{}/report-jobs?sample={}",
                enc(&round),
                enc(&sample)
            );
            let mut job: ReportJob = send("POST", &start, &serde_json::json!({})).await?;
            while job.state == "running" {
                status.set(Some(Ok(job.message.clone())));
                pause(500).await;
                job = get(&format!("/api/research/report-jobs/{}", job.id)).await?;
            }
            if job.state != "ready" {
                return Err(job.message);
            }
            let resp = gloo_net::http::Request::get(&format!(
                "/api/research/report-jobs/{}/report.zip",
                job.id
            ))
            .send()
            .await
            .map_err(|_| "Fikk ikke kontakt med serveren.".to_owned())?;
            if !resp.ok() {
                return Err(format!("Serveren svarte med feil {}.", resp.status()));
            }
            resp.binary().await.map_err(|e| e.to_string())
        }
        .await;
        status.set(Some(got.and_then(|bytes| {
            use wasm_bindgen::JsCast;
            let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
            let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)
                .map_err(|_| "Kunne ikke lagre filen.".to_owned())?;
            let href = web_sys::Url::create_object_url_with_blob(&blob)
                .map_err(|_| "Kunne ikke lagre filen.".to_owned())?;
            let document = web_sys::window()
                .and_then(|w| w.document())
                .ok_or("Kunne ikke lagre filen.")?;
            let a = document
                .create_element("a")
                .ok()
                .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
                .ok_or("Kunne ikke lagre filen.")?;
            let _ = a.set_attribute("href", &href);
            let _ = a.set_attribute("download", &format!("rapport-{round}.zip"));
            a.click();
            Ok(format!(
                "Rapporten er lastet ned ({} MB). Les LESMEG.txt i ZIP-filen for hva den inneholder.",
                format!("{:.1}", bytes.len() as f64 / 1e6).replace('.', ",")
            ))
        })));
    });
}

/// A response-rate table as HTML (static once fetched: a string keeps the
/// administrators' download small).
fn rate_table(rate: &ResponseRate, caption: &str) -> String {
    let unit = if rate.by == api::research::RateBy::District {
        "Bydeler"
    } else {
        "Kommuner"
    };
    let mut h = format!(
        "<div class=\"rate\" tabindex=\"0\" role=\"region\" aria-label=\"{0}\"><table class=\"rates\"><caption>{0}</caption><thead><tr><th scope=\"col\">Gruppe</th><th scope=\"col\">{unit} som har svart</th><th scope=\"col\">{unit} i alt</th><th scope=\"col\">Andel</th></tr></thead><tbody>",
        esc(caption)
    );
    let mut missing_all = String::new();
    for g in &rate.groups {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&g.label),
            g.answered,
            g.municipalities,
            percent(Some(g.percent)),
        ));
        if !g.not_answered.is_empty() {
            missing_all.push_str(&format!(
                "<li><strong>{}:</strong> {}</li>",
                esc(&g.label),
                esc(&g.not_answered.join(", "))
            ));
        }
    }
    let total = &rate.total;
    h.push_str(&format!(
        "<tr><th scope=\"row\">Totalt</th><td>{}</td><td>{}</td><td>{}</td></tr></tbody></table>",
        total.answered,
        total.municipalities,
        percent(Some(total.percent))
    ));
    if !missing_all.is_empty() {
        h.push_str(&format!(
            "<details><summary>{unit} som ikke har svart</summary><ul class=\"names\">{missing_all}</ul></details>"
        ));
    }
    h.push_str("</div>");
    h
}

/// Lower case for searching: ASCII and æ, ø, å (a full Unicode fold would
/// bring its tables into the download).
pub(super) fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'Æ' => 'æ',
            'Ø' => 'ø',
            'Å' => 'å',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// A percentage as the report writes it: «64 %».
pub(super) fn percent(p: Option<f64>) -> String {
    p.map_or("–".into(), |p| format!("{} %", p.round()))
}

/// Probable duplicates and responses that are not analysable, each with
/// its reason and latest decision, and one form to keep or drop one of
/// them with a reason.
#[component]
fn Cleaning(round: String, version: RwSignal<u32>) -> impl IntoView {
    let data: RwSignal<Option<Result<CleaningState, String>>> = RwSignal::new(None);
    let result = RwSignal::new(None::<Result<String, String>>);
    let chosen = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let url = round.clone();
    Effect::new(move |_| {
        version.get();
        let url = format!("/api/research/rounds/{}/cleaning", enc(&url));
        spawn_local(async move { data.set(Some(get(&url).await)) });
    });
    let round = StoredValue::new(round);
    let decide = move |keep: bool| {
        let (respondent, why) = (chosen.get_untracked(), reason.get_untracked());
        if respondent.is_empty() {
            result.set(Some(Err("Velg svaret beslutningen gjelder.".into())));
            return;
        }
        if why.trim().is_empty() {
            result.set(Some(Err(
                "Skriv en begrunnelse: den lagres sammen med beslutningen.".into(),
            )));
            crate::route::focus_later("rens-grunn".into());
            return;
        }
        let url = format!("/api/research/rounds/{}/decisions", enc(&round.get_value()));
        spawn_local(async move {
            let body = DecisionRequest {
                respondent: respondent.clone(),
                keep,
                reason: why,
            };
            let r = send_only(&url, &body).await.map(|_| {
                format!(
                    "{respondent} er {}.",
                    if keep { "beholdt" } else { "utelatt" }
                )
            });
            if r.is_ok() {
                reason.set(String::new());
            }
            result.set(Some(r));
            version.update(|v| *v += 1);
        });
    };
    view! {
        <section class="rensing">
        <h2>"Datarensing"</h2>
        <p>"Svar som ikke er analyserbare, mulige duplikater og tidligere beslutninger. En beslutning kan alltid endres; den siste gjelder, og alle lagres med hvem og hvorfor."</p>
        {move || match data.get() {
            None => view! { <p class="status">"Henter rensestatus …"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="load-error" role="alert">{e}</p> }.into_any(),
            Some(Ok(v)) => {
                // Responses outside the sample (drafts, when only submitted
                // answers count) need no decision unless one was made.
                let (rows, outside): (Vec<Flagged>, Vec<Flagged>) = v.flagged.into_iter()
                    .partition(|r| !r.analysable || r.in_sample || r.decision.is_some());
                if rows.is_empty() {
                    return view! { <p>"Ingen svar å vurdere."</p> }.into_any();
                }
                // Either of a pair of duplicates may be the one to drop.
                let mut keys: Vec<String> = Vec::new();
                for r in &rows {
                    for k in std::iter::once(&r.respondent).chain(&r.duplicate_of) {
                        if !keys.contains(k) {
                            keys.push(k.clone());
                        }
                    }
                }
                if chosen.get_untracked().is_empty() {
                    chosen.set(keys[0].clone());
                }
                view! {
                    <div class="scroll" tabindex="0" role="region" aria-label="Svar å vurdere" inner_html=cleaning_table(&rows)></div>
                    {(!outside.is_empty()).then(|| view! {
                        <p>{format!("{} mulige duplikater er ikke innsendt og er derfor utenfor dette utvalget; de vises ikke her.", outside.len())}</p>
                    })}
                    <form class="crosstab-form" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
                        <div class="field">
                            <label for="rens-svar">"Svar"</label>
                            <select id="rens-svar" on:change=move |ev| chosen.set(event_target_value(&ev))>
                                {keys.into_iter().map(|k| view! {
                                    <option value=k.clone() selected=move || chosen.get() == k>{k.clone()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="rens-grunn">"Begrunnelse"</label>
                            <input id="rens-grunn" type="text" prop:value=move || reason.get()
                                on:input=move |ev| reason.set(event_target_value(&ev)) />
                        </div>
                        <div class="field wide">
                            <p>
                                <button type="button" on:click=move |_| decide(false)>"Utelat fra analysen"</button>
                                " "
                                <button type="button" on:click=move |_| decide(true)>"Behold i analysen"</button>
                            </p>
                        </div>
                    </form>
                }.into_any()
            }
        }}
        {move || outcome(result.get())}
        </section>
    }
}

/// Who a response is from, as short facts: municipality, branch, what it
/// is about, and its status with its number of answers and last change.
fn who(c: &api::research::ResponseContext) -> Vec<String> {
    let status = match c.status.as_str() {
        "submitted" => "sendt inn",
        "imported" => "importert",
        _ => "ikke sendt inn",
    };
    [c.municipality.clone(), c.branch.clone(), c.label.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .chain(std::iter::once(if c.updated.is_empty() {
            format!("{status}, {} svar", c.answered)
        } else {
            format!("{status}, {} svar, sist endret {}", c.answered, c.updated)
        }))
        .collect()
}

/// The flagged responses as an HTML table: who each is from, why it is
/// listed, its state, and for a probable duplicate the answers where it
/// differs from the one it resembles.
fn cleaning_table(rows: &[Flagged]) -> String {
    let mut h = String::from(
        "<table class=\"rates list cleaning\"><thead><tr><th scope=\"col\">Svar</th><th scope=\"col\">Fra</th><th scope=\"col\">Hvorfor</th><th scope=\"col\">Status</th></tr></thead><tbody>",
    );
    for row in rows {
        let mut why = Vec::new();
        if !row.analysable {
            why.push(
                "ikke analyserbar (mangler kommune eller svar på inngangsspørsmålet)".to_owned(),
            );
        }
        if let Some(d) = &row.duplicate {
            why.push(d.clone());
        }
        let state = match &row.decision {
            None if row.included => "i utvalget".to_owned(),
            None => "utenfor utvalget".to_owned(),
            Some(d) => format!(
                "{} av {}: {}",
                if d.keep { "beholdt" } else { "utelatt" },
                d.by,
                d.reason
            ),
        };
        let from = who(&row.context).join(" · ");
        let mut differences = String::new();
        if let Some(other) = &row.duplicate_of {
            let other_from = row
                .duplicate_of_context
                .as_ref()
                .map(|c| format!(" ({})", who(c).join(" · ")))
                .unwrap_or_default();
            let key = other;
            let other = &format!("{other}{other_from}");
            if row.differences.is_empty() {
                differences = format!("<p>Alle svar er like som i {}.</p>", esc(other));
            } else {
                differences = format!(
                    "<details><summary>Forskjeller fra {}</summary><table class=\"rates\"><thead><tr><th scope=\"col\">Variabel</th><th scope=\"col\">Dette svaret</th><th scope=\"col\">{}</th></tr></thead><tbody>",
                    esc(other),
                    esc(key)
                );
                for d in &row.differences {
                    differences.push_str(&format!(
                        "<tr><th scope=\"row\">{} {}</th><td>{}</td><td>{}</td></tr>",
                        esc(&d.variable),
                        esc(&d.label),
                        esc(&d.this),
                        esc(&d.other)
                    ));
                }
                differences.push_str("</tbody></table></details>");
            }
        }
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}{differences}</td><td>{}</td></tr>",
            esc(&row.respondent),
            esc(&from),
            esc(&why.join("; ")),
            esc(&state)
        ));
    }
    h.push_str("</tbody></table>");
    h
}
