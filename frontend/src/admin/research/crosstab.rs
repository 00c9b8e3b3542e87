//! The cross-tab builder and the codebook browser of the researchers' area.

use api::research::{Crosstab, VariableOrigin, VariableView};
use leptos::prelude::*;
use leptos::task::spawn_local;
use survey_definitions::Codebook;

use super::super::get;
use super::{enc, fold, param, percent, set_address};
use crate::format::esc;

/// The choice of a table, as the address and the API take it.
#[derive(Clone, Debug, PartialEq)]
struct Choice {
    item: String,
    by: String,
    unit: String,
    sample: String,
    total: bool,
    suppress: String,
}

impl Choice {
    fn from_address() -> Choice {
        Choice {
            item: param("variabel").unwrap_or_default(),
            by: param("etter").unwrap_or_else(|| "service-type".into()),
            unit: param("enhet").unwrap_or_else(|| "respondent".into()),
            sample: param("utvalg").unwrap_or_else(|| "analysable".into()),
            total: param("totalt").is_some_and(|t| t == "ja"),
            suppress: param("skjul").unwrap_or_default(),
        }
    }

    /// The address's query (Norwegian names).
    fn address(&self, round: &str) -> String {
        let mut q = format!(
            "runde={}&variabel={}&etter={}&enhet={}&utvalg={}",
            enc(round),
            enc(&self.item),
            enc(&self.by),
            enc(&self.unit),
            enc(&self.sample)
        );
        if self.total {
            q.push_str("&totalt=ja");
        }
        if !self.suppress.trim().is_empty() {
            q.push_str(&format!("&skjul={}", enc(self.suppress.trim())));
        }
        q
    }

    /// The API's query.
    fn api(&self) -> String {
        let (unit, rule) = match self.unit.as_str() {
            "municipality-once" => ("municipality", "once"),
            "municipality-every" => ("municipality", "every"),
            _ => ("respondent", "once"),
        };
        let mut q = format!(
            "item={}&by={}&unit={unit}&rule={rule}&sample={}",
            enc(self.item.trim()),
            enc(&self.by),
            enc(&self.sample)
        );
        if self.total {
            q.push_str("&total=true");
        }
        if let Ok(k) = self.suppress.trim().parse::<u64>() {
            q.push_str(&format!("&suppress_below={k}"));
        }
        q
    }
}

/// An item kind in Norwegian.
fn kind_name(kind: &str) -> &str {
    match kind {
        "single_choice" => "ett valg",
        "multiple_choice" => "flere valg",
        "text" => "tekst",
        "long_text" => "lang tekst",
        "integer" => "heltall",
        "decimal" => "desimaltall",
        "money" => "beløp (hele kroner)",
        "date" => "dato",
        "percent" => "prosent",
        "age_range" => "aldersspenn",
        "count_grid" => "antall per rad",
        "money_grid" => "beløp per rad, med sum",
        "estimate" => "antall (kan være omtrentlig)",
        "roster" => "rader (gjentatt gruppe)",
        "registry" => "fra registeret",
        "specify" => "spesifisering (tekst)",
        other => other,
    }
}

/// The builder: a form, then the table, its tests, chart and downloads.
#[component]
pub(super) fn Builder(round: String, version: RwSignal<u32>) -> impl IntoView {
    let start = Choice::from_address();
    let item = RwSignal::new(start.item.clone());
    let by = RwSignal::new(start.by.clone());
    let unit = RwSignal::new(start.unit.clone());
    let sample = RwSignal::new(start.sample.clone());
    let total = RwSignal::new(start.total);
    let suppress = RwSignal::new(start.suppress.clone());
    // Any variable as the grouping, instead of the list's.
    let listed = ["service-type", "size-class", "county", "branch", "none"];
    let by_other = RwSignal::new(if listed.contains(&start.by.as_str()) {
        String::new()
    } else {
        start.by.clone()
    });
    let shown: RwSignal<Option<Choice>> = RwSignal::new(None);
    let table: RwSignal<Option<Result<Crosstab, String>>> = RwSignal::new(None);
    let codebook: RwSignal<Option<Codebook>> = RwSignal::new(None);
    let variables: RwSignal<Option<Vec<VariableView>>> = RwSignal::new(None);
    let query = RwSignal::new(String::new());
    // «Bruk» in either codebook table puts that variable in the form.
    let pick = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-bruk]").ok().flatten())
        else {
            return;
        };
        if let Some(name) = button.get_attribute("data-bruk") {
            item.set(name);
            crate::route::focus_later("variabel".into());
        }
    };
    {
        let url = format!("/api/rounds/{}/codebook", enc(&round));
        spawn_local(async move {
            let loaded: Option<Codebook> = get(&url).await.ok();
            // A survey answered by districts counts its responses: one per district.
            if loaded
                .as_ref()
                .is_some_and(|c| c.survey.unit == survey_definitions::RespondentUnit::District)
            {
                unit.set("respondent".into());
            }
            codebook.set(loaded);
        });
        let url = format!("/api/research/rounds/{}/variables", enc(&round));
        spawn_local(async move {
            let loaded: Option<Vec<VariableView>> = get(&url).await.ok();
            // A grouping this survey does not have (no service types in a
            // district survey) falls back to none.
            if let Some(v) = &loaded {
                let current = by.get_untracked();
                let role =
                    ["service-type", "size-class", "county", "branch"].contains(&current.as_str());
                if role
                    && !v
                        .iter()
                        .any(|x| x.grouping.as_deref() == Some(current.as_str()))
                {
                    by.set("none".into());
                }
            }
            variables.set(loaded);
        });
    }
    let base = format!("/api/research/rounds/{}/crosstab", enc(&round));
    {
        let base = base.clone();
        Effect::new(move |_| {
            version.get();
            let Some(choice) = shown.get() else { return };
            let url = format!("{base}?{}", choice.api());
            table.set(None);
            spawn_local(async move {
                let got = get::<Crosstab>(&url).await;
                let ok = got.is_ok();
                table.set(Some(got));
                if ok {
                    // The new table in view, its heading focused.
                    crate::route::focus_later("krysstabell-tittel".into());
                }
            });
        });
    }
    let round_for_address = round.clone();
    let show = move || {
        let choice = Choice {
            item: item.get_untracked().trim().to_owned(),
            by: Some(by_other.get_untracked().trim().to_owned())
                .filter(|o| !o.is_empty())
                .unwrap_or_else(|| by.get_untracked()),
            unit: unit.get_untracked(),
            sample: sample.get_untracked(),
            total: total.get_untracked(),
            suppress: suppress.get_untracked(),
        };
        set_address(&choice.address(&round_for_address));
        shown.set(Some(choice));
    };
    if !start.item.is_empty() {
        show();
    }
    let submit = {
        let show = show.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if item.get_untracked().trim().is_empty() {
                table.set(Some(Err(
                    "Skriv inn en variabel: et spørsmålsnummer eller et variabelnavn fra kodeboken.".into(),
                )));
                return;
            }
            show();
        }
    };
    let select = |id: &'static str,
                  label: &'static str,
                  signal: RwSignal<String>,
                  options: &'static [(&'static str, &'static str)]| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id prop:value=move || signal.get()
                    on:change=move |ev| signal.set(event_target_value(&ev))>
                    {options.iter().map(|(value, text)| view! { <option value=*value>{*text}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <h2>"Krysstabell"</h2>
        <form class="crosstab-form" on:submit=submit>
            <div class="field wide">
                <label for="variabel">"Variabel (spørsmål, begrep eller avledet variabel)"</label>
                <input id="variabel" type="text" list="variabler" autocomplete="off" required
                    prop:value=move || item.get() on:input=move |ev| item.set(event_target_value(&ev)) />
                <datalist id="variabler">
                    {move || codebook.with(|c| c.as_ref().map(options))}
                    {move || variables.with(|v| v.as_ref().map(|v| derived_options(v)))}
                </datalist>
            </div>
            // The list and the free field are one choice: typing a variable
            // shows «Annen variabel» in the list, and a list choice
            // empties the field.
            <div class="field">
                <label for="etter">"Etter"</label>
                <select id="etter"
                    prop:value=move || {
                        variables.track();
                        if by_other.with(|o| o.trim().is_empty()) { by.get() } else { "other".into() }
                    }
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if v != "other" {
                            by_other.set(String::new());
                            by.set(v);
                        }
                    }>
                    {move || grouping_options(variables.get().unwrap_or_default())
                        .into_iter()
                        .map(|(value, text)| view! { <option value=value>{text}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="etter-variabel">"Eller etter en annen variabel (valgfritt)"</label>
                <input id="etter-variabel" type="text" list="variabler" autocomplete="off"
                    prop:value=move || by_other.get() on:input=move |ev| by_other.set(event_target_value(&ev)) />
            </div>
            {move || if codebook.with(|c| c.as_ref().is_some_and(|c| c.survey.unit == survey_definitions::RespondentUnit::District)) {
                select("enhet", "Enhet", unit, &[("respondent", "Bydeler (ett svar fra hver)")]).into_any()
            } else {
                select("enhet", "Enhet", unit, &[
                    ("respondent", "Respondenter (ett utfylt skjema hver)"),
                    ("municipality-once", "Kommuner, hver telt én gang"),
                    ("municipality-every", "Kommuner, under hver gruppe de har svar i"),
                ]).into_any()
            }}
            {select("utvalg", "Utvalg", sample, &[
                ("analysable", "Alle analyserbare (også ikke innsendte)"),
                ("submitted", "Bare innsendte svar"),
            ])}
            <div class="field">
                <label for="skjul">"Skjul celler med færre enn (valgfritt)"</label>
                <input id="skjul" type="number" min="2" inputmode="numeric"
                    prop:value=move || suppress.get() on:input=move |ev| suppress.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label><input type="checkbox" prop:checked=move || total.get()
                    on:change=move |ev| total.set(event_target_checked(&ev)) />"Vis «Totalt»-kolonne"</label>
            </div>
            <div class="field wide"><button class="primary" type="submit">"Lag tabell"</button></div>
        </form>
        {move || {
            let choice = shown.get()?;
            Some(match table.get() {
                None => view! { <p class="status" role="status">"Lager tabellen …"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="load-error" role="alert">{e}</p> }.into_any(),
                Some(Ok(t)) => view! { <div class="crosstab-result" inner_html=result(&t, &format!("{base}.{{}}?{}", choice.api()))></div> }.into_any(),
            })
        }}
        <details class="codebook" on:click=pick>
            <summary>"Kodebok: alle spørsmål og begreper"</summary>
            {move || codebook.get().map(|c| view! { <CodebookTable codebook=c query=query /> })}
            <h3>"Harmoniserte, avledede og kodede variabler"</h3>
            <div class="scroll" tabindex="0" role="region" aria-label="Avledede variabler"
                inner_html=move || variables.get().map(|v| derived_table(&v, &fold(&query.get()))).unwrap_or_default()></div>
        </details>
    }
}

/// Variable suggestions: concepts first (both branches joined), then items.
fn options(codebook: &Codebook) -> impl IntoView + use<> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (key, c) in &codebook.survey.concepts {
        out.push((key.clone(), format!("Begrep: {}", c.label)));
    }
    for i in &codebook.items {
        out.push((i.id.clone(), i.text.clone()));
    }
    out.into_iter()
        .map(|(value, label)| view! { <option value=value>{label}</option> })
        .collect_view()
}

/// The «Etter» list: the groupings this survey has, by its own names for
/// them (a district survey has no service types), then none and «other».
fn grouping_options(variables: Vec<VariableView>) -> Vec<(String, String)> {
    let order = ["service-type", "size-class", "county", "branch"];
    let mut out: Vec<(String, String)> = variables
        .into_iter()
        .filter_map(|v| {
            let g = v.grouping?;
            let text = if g == "branch" {
                "Gren (svaret på inngangsspørsmålet)".to_owned()
            } else {
                v.label
            };
            Some((g, text))
        })
        .collect();
    out.sort_by_key(|(g, _)| order.iter().position(|o| o == g));
    out.push(("none".into(), "Ingen gruppering (alle)".into()));
    out.push((
        "other".into(),
        "Annen variabel (skriv den i feltet under)".into(),
    ));
    out
}

/// Suggestions for the variables analysis adds (derived and coded).
fn derived_options(variables: &[VariableView]) -> impl IntoView + use<> {
    variables
        .iter()
        .filter(|v| matches!(v.origin, VariableOrigin::Derived | VariableOrigin::Coded))
        .map(|v| view! { <option value=v.name.clone()>{v.label.clone()}</option> })
        .collect_view()
}

/// The table, tests, warnings, chart and downloads of a cross-tab, as
/// HTML (static once fetched: a string keeps the download small).
fn result(t: &Crosstab, file: &str) -> String {
    let url = |ext: &str| esc(&file.replacen("{}", ext, 1));
    let caption = if t.by_label.is_empty() {
        t.label.clone()
    } else {
        let mut chars = t.by_label.chars();
        let lower_first: String = chars
            .next()
            .map(|c| fold(&c.to_string()))
            .unwrap_or_default()
            + chars.as_str();
        format!("{} etter {lower_first}", t.label)
    };
    let mut h = format!(
        "<h3 id=\"krysstabell-tittel\" tabindex=\"-1\">{0}</h3><div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Krysstabellen\"><table class=\"rates\" id=\"krysstabell\" aria-labelledby=\"krysstabell-tittel\"><thead><tr><th scope=\"col\">Kategori</th>",
        esc(&caption)
    );
    for g in &t.groups {
        h.push_str(&format!(
            "<th scope=\"col\">{} (n = {})</th>",
            esc(&g.label),
            g.n
        ));
    }
    h.push_str("</tr></thead><tbody>");
    let mut row = |label: &str, cells: Vec<String>| {
        h.push_str(&format!("<tr><th scope=\"row\">{}</th>", esc(label)));
        for c in cells {
            h.push_str(&format!("<td>{}</td>", esc(&c)));
        }
        h.push_str("</tr>");
    };
    let decimal = |v: f64| {
        if v.is_finite() {
            format!("{v:.1}").replace('.', ",")
        } else {
            "–".into()
        }
    };
    if t.kind == api::research::Kind::Numeric {
        let s = &t.summaries;
        row("Gjennomsnitt", s.iter().map(|x| decimal(x.mean)).collect());
        row("Median", s.iter().map(|x| decimal(x.median)).collect());
        row("Sum", s.iter().map(|x| decimal(x.sum)).collect());
    } else {
        for (r, c) in t.categories.iter().enumerate() {
            let cells = (0..t.groups.len())
                .map(|g| {
                    let count = t
                        .counts
                        .get(r)
                        .and_then(|row| row.get(g))
                        .copied()
                        .flatten();
                    let p = t
                        .percents
                        .get(r)
                        .and_then(|row| row.get(g))
                        .copied()
                        .flatten();
                    match (count, p) {
                        (Some(count), Some(p)) => format!("{} ({count})", percent(Some(p))),
                        (Some(count), None) => count.to_string(),
                        _ => "–".into(),
                    }
                })
                .collect();
            row(&c.label, cells);
        }
    }
    h.push_str("</tbody></table></div>");
    let (not_asked, unanswered) = t
        .groups
        .iter()
        .filter(|g| g.key != "total")
        .fold((0, 0), |(a, b), g| (a + g.not_asked, b + g.unanswered));
    h.push_str(&format!(
        "<p id=\"krysstabell-n\">n = {}. {} ikke spurt (spørsmålet ble ikke vist dem), {} ikke besvart. {} {}. Registerår {}.</p><ul class=\"tests\">",
        t.n,
        not_asked,
        unanswered,
        esc(t.unit_description.trim_end_matches('.')),
        esc(&t.sample_description),
        t.registry_year
    ));
    let mut shown = 0;
    for x in &t.tests {
        if x.name == "fisher" && x.category.is_some() {
            continue;
        }
        shown += 1;
        let category = x
            .category
            .and_then(|code| t.categories.iter().find(|c| c.code == code))
            .map(|c| format!(" – {}", c.label))
            .unwrap_or_default();
        let effect = Some(x.effect_size)
            .filter(|e| e.is_finite())
            .map(|e| {
                let name = api::research::effect_label(&x.effect_size_name);
                format!(" ({name} = {})", format!("{e:.2}").replace('.', ","))
            })
            .unwrap_or_default();
        h.push_str(&format!(
            "<li>{}{}: {}{}</li>",
            api::research::test_label(&x.name),
            esc(&category),
            esc(&x.p_text),
            esc(&effect)
        ));
    }
    h.push_str("</ul>");
    if let Some(note) = api::research::multiple_testing_note(shown) {
        h.push_str(&format!("<p class=\"caution\">{}</p>", esc(&note)));
    }
    h.push_str("<ul class=\"warnings\">");
    for w in &t.warnings {
        h.push_str(&format!("<li>Advarsel: {}</li>", esc(w)));
    }
    h.push_str(&format!(
        "</ul><img class=\"chart\" src=\"{svg}\" alt=\"Stolpediagram av tabellen over\"><p class=\"downloads\">Last ned: <a href=\"{csv}\" download>CSV</a>, <a href=\"{csv}&amp;sep=semicolon\" download>CSV for Excel (;)</a>, <a href=\"{xlsx}\" download>Excel (XLSX)</a>, <a href=\"{svg}\" download>Figur (SVG)</a>, <a href=\"{png}\" download>Figur (PNG, for Word)</a></p>",
        svg = url("svg"),
        csv = url("csv"),
        xlsx = url("xlsx"),
        png = url("png"),
    ));
    h
}

/// Every item and concept, searchable by text, id or variable name.
#[component]
fn CodebookTable(codebook: Codebook, query: RwSignal<String>) -> impl IntoView {
    view! {
        <label for="kodebok-sok">"Søk (tekst, nummer eller variabelnavn)"</label>
        <input id="kodebok-sok" type="search" prop:value=move || query.get()
            on:input=move |ev| query.set(event_target_value(&ev)) />
        <div inner_html=move || {
            let q = fold(&query.get());
            let mut h = String::from("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Kodeboken\"><table class=\"rates list codebook-list codebook-items\"><thead><tr><th scope=\"col\">Nr.</th><th scope=\"col\">Del</th><th scope=\"col\">Variabel</th><th scope=\"col\">Spørsmål</th><th scope=\"col\">Type og koder</th><th scope=\"col\">Vises når</th><th scope=\"col\">Begrep</th><th scope=\"col\">Bruk</th></tr></thead><tbody>");
            let hits = codebook.items.iter().filter(|i| {
                q.is_empty() || [i.id.as_str(), i.variable.as_str(), i.text.as_str(), i.concept.as_deref().unwrap_or_default()]
                    .iter().any(|s| fold(s).contains(&q))
            }).take(60);
            let section_title = |id: &str| codebook.survey.sections.iter().find(|s| s.code == id).map_or(id, |s| s.label.as_str()).to_owned();
            for i in hits {
                let codes: Vec<String> = i.options.iter().chain(&i.rows)
                    .map(|o| format!("{} = {}", o.code, o.label)).collect();
                let concept_text = i.concept.as_ref().map(|c| {
                    let variable = codebook.survey.concepts.get(c).map(|k| k.variable.as_str()).unwrap_or_default();
                    format!("{c} ({variable})")
                }).unwrap_or_default();
                // A concept joins both branches: use it where there is one.
                let usable = i.concept.clone().unwrap_or_else(|| i.id.clone());
                let shown_when = i.relevant_text.as_deref().or(i.relevant.as_deref()).unwrap_or("alltid");
                h.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}{}</td><td>{}</td><td>{}</td><td><button type=\"button\" data-bruk=\"{}\">Bruk {}</button></td></tr>",
                    esc(&i.id), esc(&section_title(&i.section)), esc(&i.variable), esc(&i.text),
                    kind_name(&i.kind), if codes.is_empty() { "" } else { ": " }, esc(&codes.join("; ")),
                    esc(shown_when), esc(&concept_text), esc(&usable), esc(&usable)
                ));
            }
            h.push_str("</tbody></table></div>");
            h
        }></div>
    }
}

/// The variables analysis adds to the questionnaire's items: concepts
/// (both branches joined), derived variables and coded free text.
fn derived_table(variables: &[VariableView], query: &str) -> String {
    let mut h = String::from(
        "<table class=\"rates list codebook-list\"><thead><tr><th scope=\"col\">Variabel</th><th scope=\"col\">Hva</th><th scope=\"col\">Etikett</th><th scope=\"col\">Verdier</th><th scope=\"col\">Bruk</th></tr></thead><tbody>",
    );
    for v in variables {
        if !query.is_empty() && ![&v.name, &v.label].iter().any(|s| fold(s).contains(query)) {
            continue;
        }
        let what = match v.origin {
            VariableOrigin::Concept => "begrep (grenene samlet)",
            VariableOrigin::Derived => "avledet",
            VariableOrigin::Coded => "kodet fritekst",
            VariableOrigin::Key | VariableOrigin::Item => continue,
        };
        let values: Vec<String> = v
            .value_labels
            .iter()
            .map(|(code, label)| format!("{code} = {label}"))
            .collect();
        h.push_str(&format!(
            "<tr><td>{0}</td><td>{what}</td><td>{1}</td><td>{2}</td><td><button type=\"button\" data-bruk=\"{0}\">Bruk {0}</button></td></tr>",
            esc(&v.name),
            esc(&v.label),
            esc(&values.join("; "))
        ));
    }
    h.push_str("</tbody></table>");
    h
}
