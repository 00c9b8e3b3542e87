//! Writes a computed report file into a folder, in the report's order:
//! `figurer/figur-NN.svg` and `.png`, `tabeller.xlsx` (one sheet per
//! entry), `rapport.html`, `index.json`, and the data files (CSV, codebook,
//! SPSS syntax).
//!
//! `index.json`: `{"survey", "title", "registry_year", "figures": [{"number",
//! "name", "title", "caption", "unit", "unit_of_analysis", "sample", "n",
//! "published_n", "status", "files"}]}`, where `unit` is the unit as the
//! caption writes it («Andeler») and `files` are relative to the folder.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::run::{Figure, Status, cell};
use super::{Chart, ReportFile, Show};
use crate::{AnalysisError, figures, format};

/// One line of `index.json`.
#[derive(Debug, Clone, Serialize)]
pub struct IndexEntry {
    /// Number as the report numbers it.
    pub number: Option<u32>,
    /// «Figur 3».
    pub name: String,
    /// The caption as the report file declares it (the 2025 words).
    pub title: String,
    /// The caption with this round's n.
    pub caption: String,
    /// The unit as the caption writes it («Andeler»).
    pub unit: String,
    /// Unit of analysis.
    pub unit_of_analysis: &'static str,
    /// Sample.
    pub sample: &'static str,
    /// This round's n.
    pub n: Option<u64>,
    /// The 2025 report's n.
    pub published_n: Option<u64>,
    /// `ok` or `not_coded`.
    pub status: Status,
    /// Files written for it.
    pub files: Vec<String>,
}

/// `index.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Index {
    /// Survey id.
    pub survey: String,
    /// Report title.
    pub title: String,
    /// Registry year.
    pub registry_year: i32,
    /// Every entry in order.
    pub figures: Vec<IndexEntry>,
    /// Data files beside the figures.
    pub data_files: Vec<String>,
}

/// The caption with this round's n: the declared title's «(n = …)» parts
/// are taken out (group n's are in the legend and the table) and the unit
/// word gets this round's n, as the report writes it: «Andeler (n = 142).»
pub fn caption(f: &Figure) -> String {
    let mut text = String::new();
    let mut rest = f.title.as_str();
    while let Some(i) = rest.find("(n =") {
        text.push_str(rest[..i].trim_end());
        rest = rest[i..].find(')').map_or("", |j| &rest[i + j + 1..]);
    }
    text.push_str(rest);
    let text = text.replace(" ,", ",").replace(" .", ".");
    let Some(n) = f.n else {
        return format!("{} {}", f.name, text.trim());
    };
    // The unit word where it stands as a sentence of its own («Andeler.»,
    // «Andeler.*») takes the n; a caption without one gets the n at its end.
    let unit = f.unit_text.as_str();
    let standalone = (!unit.is_empty())
        .then(|| {
            text.match_indices(unit).map(|(i, _)| i).find(|&i| {
                let after = text[i + unit.len()..].chars().next();
                matches!(after, None | Some('.' | '*' | ','))
            })
        })
        .flatten();
    let body = match standalone {
        Some(i) => format!("{}{unit} (n = {n}){}", &text[..i], &text[i + unit.len()..]),
        None => {
            let t = text.trim_end();
            match t.strip_suffix('.') {
                Some(t) => format!("{t} (n = {n})."),
                None => format!("{t} (n = {n})."),
            }
        }
    };
    format!("{} {}", f.name, body.trim())
}

fn io(context: String) -> impl FnOnce(std::io::Error) -> AnalysisError {
    AnalysisError::io(context)
}

/// Writes every figure and table; returns the index (also written as `index.json`).
pub fn write(
    dir: &Path,
    file: &ReportFile,
    figures_: &[Figure],
    data_files: Vec<String>,
    registry_year: i32,
) -> Result<Index, AnalysisError> {
    std::fs::create_dir_all(dir.join("figurer"))
        .map_err(io(format!("creating {}", dir.display())))?;
    let mut index = Vec::new();
    for (i, f) in figures_.iter().enumerate() {
        let stem = format!("figurer/{}", anchor(f));
        let mut files = Vec::new();
        if let (Some(t), true, Status::Ok) = (&f.table, f.chart != Chart::None, f.status) {
            let mut chart = figures::BarChart {
                title: figures::wrap(&caption(f), 80),
                subtitle: subtitle(f, t),
                rows: t
                    .categories
                    .iter()
                    .enumerate()
                    .map(|(r, c)| {
                        (
                            c.label.clone(),
                            (0..t.groups.len()).map(|g| cell(t, f.show, r, g)).collect(),
                        )
                    })
                    .collect(),
                legend: legend(t),
                percent: f.show == Show::Percent,
                footer: tests_text(t),
            };
            // The SVG carries its caption (the web page); the PNG, pasted
            // into Word under a caption of its own, does not.
            let svg = figures::svg(&chart)?;
            chart.title.clear();
            let png = figures::png(&figures::svg(&chart)?)?;
            for (ext, bytes) in [("svg", svg.as_bytes()), ("png", png.as_slice())] {
                let name = format!("{stem}.{ext}");
                std::fs::write(dir.join(&name), bytes).map_err(io(format!("writing {name}")))?;
                files.push(name);
            }
        }
        files.push(format!("tabeller.xlsx#{}", sheet(f, i)));
        index.push(IndexEntry {
            number: f.number,
            name: f.name.clone(),
            title: f.title.clone(),
            caption: caption(f),
            unit: f.unit_text.clone(),
            unit_of_analysis: f.unit,
            sample: f.sample,
            n: f.n,
            published_n: f.published_n,
            status: f.status,
            files,
        });
    }
    super::workbook::write(&dir.join("tabeller.xlsx"), figures_)?;
    let index = Index {
        survey: file.survey.clone(),
        title: file.title.clone(),
        registry_year,
        figures: index,
        data_files,
    };
    std::fs::write(
        dir.join("rapport.html"),
        super::html::page(file, figures_, &index),
    )
    .map_err(io("writing rapport.html".into()))?;
    let json = serde_json::to_vec_pretty(&index).map_err(|e| AnalysisError::Io {
        context: "writing index.json".into(),
        source: std::io::Error::other(e),
    })?;
    std::fs::write(dir.join("index.json"), json).map_err(io("writing index.json".into()))?;
    Ok(index)
}

/// The tests of a table as the report writes them: one line for a whole
/// table, and for per-option tests the options that differ (p < 0,05).
pub(super) fn tests_text(t: &crate::crosstab::Crosstab) -> Vec<String> {
    let name = format::test_name;
    let whole: Vec<String> = t
        .tests
        .iter()
        .filter(|x| x.category.is_none() && x.name != "fisher")
        .map(|x| format!("{}: {}", name(&x.name), x.p_text))
        .collect();
    if !whole.is_empty() {
        return whole;
    }
    let differing: Vec<String> = t
        .tests
        .iter()
        .filter(|x| x.name == "chi2" && x.p < 0.05)
        .filter_map(|x| {
            let c = t.categories.iter().find(|c| Some(c.code) == x.category)?;
            Some(format!("{} ({})", c.label, x.p_text))
        })
        .collect();
    match (t.tests.is_empty(), differing.is_empty()) {
        (true, _) => Vec::new(),
        (false, true) => vec!["Kjikvadrattest per kategori: ingen forskjeller med p < 0,05".into()],
        (false, false) => figures::wrap(
            &format!(
                "Kjikvadrattest per kategori, p < 0,05: {}",
                differing.join("; ")
            ),
            120,
        ),
    }
}

/// The line under the caption: unit, and who the n is (answered, asked
/// but not answered, not asked).
fn subtitle(f: &Figure, t: &crate::crosstab::Crosstab) -> String {
    let groups = t.groups.iter().filter(|g| g.key != "total");
    let (unanswered, not_asked) =
        groups.fold((0, 0), |a, g| (a.0 + g.unanswered, a.1 + g.not_asked));
    let mut text = format!("{}. n = {}", t.unit_description.trim_end_matches('.'), t.n);
    if f.analysis == super::Analysis::ResponseRate {
        text = format!(
            "Kommuner som har svart, av alle kommuner i registeret for {}: {} av {}",
            f.registry_year,
            t.n,
            t.n + unanswered
        );
    } else if not_asked > 0 || unanswered > 0 {
        let _ = write!(text, " ({not_asked} ikke spurt, {unanswered} ikke besvart)");
    }
    text
}

/// Legend entries with each group's n; a count grid also gives the pooled
/// count its shares are of (N).
fn legend(t: &crate::crosstab::Crosstab) -> Vec<String> {
    t.groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            if t.kind == crate::crosstab::Kind::Grid {
                let total: u64 = t.counts.iter().filter_map(|r| r[g]).sum();
                format!("{} (n = {}; N = {total})", group.label, group.n)
            } else {
                format!("{} (n = {})", group.label, group.n)
            }
        })
        .collect()
}

pub(super) fn sample_words(sample: &str) -> &'static str {
    match sample {
        "submitted" => "Utvalg: bare innsendte svar",
        _ => {
            "Utvalg: alle analyserbare svar (kommunen, og inngangsspørsmålet der skjemaet har et, er besvart)"
        }
    }
}

/// The sheet of an entry: its name («Figur 3», «Tabell A»).
pub(super) fn sheet(f: &Figure, _i: usize) -> String {
    f.name.clone()
}

/// A file name and HTML id: «figur-03», «tabell-a».
pub(super) fn anchor(f: &Figure) -> String {
    match f.number {
        Some(n) => format!("figur-{n:02}"),
        None => f.name.to_lowercase().replace(' ', "-"),
    }
}

/// A cell as text: «60 %», a count, or a number with a decimal comma.
pub(super) fn shown(f: &Figure, t: &crate::crosstab::Crosstab, r: usize, g: usize) -> String {
    match cell(t, f.show, r, g) {
        None => "–".into(),
        Some(v) if f.show == Show::Percent => format::percent(v / 100.0),
        Some(v) if f.show == Show::Count => format!("{v}"),
        Some(v) => format::decimal(v, 1),
    }
}
