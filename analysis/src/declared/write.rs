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

use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;

use super::run::{Figure, Status, cell};
use super::{Chart, ReportFile, Show};
use crate::report::escape;
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
    let n = format!("{} (n = {n})", f.unit_text);
    // The unit word's first use takes the n («Andeler.*» → «Andeler (n = 142).*»).
    let body = match text.find(f.unit_text.as_str()) {
        Some(i) if !f.unit_text.is_empty() => {
            format!("{}{n}{}", &text[..i], &text[i + f.unit_text.len()..])
        }
        _ => format!("{} {n}.", text.trim_end()),
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
        let stem = match f.number {
            Some(n) => format!("figurer/figur-{n:02}"),
            None => format!("figurer/tabell-{:02}", i + 1),
        };
        let mut files = Vec::new();
        if let (Some(t), true, Status::Ok) = (&f.table, f.chart != Chart::None, f.status) {
            let chart = figures::BarChart {
                title: figures::wrap(&caption(f), 95),
                subtitle: format!("{}. {}", t.unit_description, sample_words(f.sample)),
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
                legend: t
                    .groups
                    .iter()
                    .map(|g| format!("{} (n = {})", g.label, g.n))
                    .collect(),
                percent: f.show == Show::Percent,
                footer: tests_text(t),
            };
            let svg = figures::svg(&chart)?;
            let png = figures::png(&svg)?;
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
    xlsx(&dir.join("tabeller.xlsx"), figures_)?;
    let index = Index {
        survey: file.survey.clone(),
        title: file.title.clone(),
        registry_year,
        figures: index,
        data_files,
    };
    std::fs::write(dir.join("rapport.html"), html(file, figures_, &index))
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
fn tests_text(t: &crate::crosstab::Crosstab) -> Vec<String> {
    fn name(n: &str) -> &str {
        match n {
            "chi2" => "Kjikvadrattest",
            "fisher" => "Fishers eksakte test",
            "mannwhitney" => "Mann-Whitney U",
            "kruskal" => "Kruskal-Wallis",
            other => other,
        }
    }
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

fn sample_words(sample: &str) -> &'static str {
    match sample {
        "submitted" => "Utvalg: bare innsendte svar",
        _ => "Utvalg: alle som har svart minst på kommune og tjenestetype",
    }
}

/// The sheet of entry `i` («Figur 3», «Tabell 16» for an unnumbered table).
fn sheet(f: &Figure, i: usize) -> String {
    match f.number {
        Some(_) => f.name.clone(),
        None => format!("{} {}", f.name, i + 1),
    }
}

/// A cell as text: «60 %», a count, or a number with a decimal comma.
fn shown(f: &Figure, t: &crate::crosstab::Crosstab, r: usize, g: usize) -> String {
    match cell(t, f.show, r, g) {
        None => "–".into(),
        Some(v) if f.show == Show::Percent => format::percent(v / 100.0),
        Some(v) if f.show == Show::Count => format!("{v}"),
        Some(v) => format::decimal(v, 1),
    }
}

fn xlsx(path: &Path, figures_: &[Figure]) -> Result<(), AnalysisError> {
    let err = |e: rust_xlsxwriter::XlsxError| AnalysisError::Xlsx(e.to_string());
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let number = Format::new().set_num_format("0.0");
    let contents = book.add_worksheet().set_name("Innhold").map_err(err)?;
    for (c, h) in ["Figur", "Tittel", "n", "Ark"].iter().enumerate() {
        contents
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    contents.set_column_width(1, 90).map_err(err)?;
    for (i, f) in figures_.iter().enumerate() {
        let row = i as u32 + 1;
        contents.write_string(row, 0, &f.name).map_err(err)?;
        contents.write_string(row, 1, caption(f)).map_err(err)?;
        if let Some(n) = f.n {
            contents.write_number(row, 2, n as f64).map_err(err)?;
        }
        contents.write_string(row, 3, sheet(f, i)).map_err(err)?;
    }
    for (i, f) in figures_.iter().enumerate() {
        let ws = book.add_worksheet().set_name(sheet(f, i)).map_err(err)?;
        ws.set_column_width(0, 55).map_err(err)?;
        ws.write_string_with_format(0, 0, caption(f), &bold)
            .map_err(err)?;
        let Some(t) = &f.table else {
            ws.write_string(
                2,
                0,
                "Ikke kodet ennå: fritekstsvarene må kodes før tabellen kan lages.",
            )
            .map_err(err)?;
            continue;
        };
        ws.write_string(
            1,
            0,
            format!("{} {}", t.unit_description, sample_words(f.sample)),
        )
        .map_err(err)?;
        ws.write_string_with_format(3, 0, "Kategori", &bold)
            .map_err(err)?;
        for (g, group) in t.groups.iter().enumerate() {
            ws.write_string_with_format(
                3,
                g as u16 + 1,
                format!("{} (n = {})", group.label, group.n),
                &bold,
            )
            .map_err(err)?;
        }
        let mut row = 4u32;
        for (r, c) in t.categories.iter().enumerate() {
            ws.write_string(row, 0, &c.label).map_err(err)?;
            for g in 0..t.groups.len() {
                if let Some(v) = cell(t, f.show, r, g) {
                    ws.write_number_with_format(row, g as u16 + 1, v, &number)
                        .map_err(err)?;
                }
            }
            row += 1;
        }
        if matches!(f.show, Show::Sum | Show::Mean | Show::Min | Show::Max)
            || t.categories.is_empty()
        {
            for (label, pick) in [
                ("n", 0),
                ("Sum", 1),
                ("Minimum", 2),
                ("Maksimum", 3),
                ("Gjennomsnitt", 4),
                ("Median", 5),
            ] {
                ws.write_string(row, 0, label).map_err(err)?;
                for (g, s) in t.summaries.iter().enumerate() {
                    let v = [s.n as f64, s.sum, s.min, s.max, s.mean, s.median][pick];
                    if v.is_finite() {
                        ws.write_number_with_format(row, g as u16 + 1, v, &number)
                            .map_err(err)?;
                    }
                }
                row += 1;
            }
        }
        row += 1;
        for test in &t.tests {
            ws.write_string(row, 0, format!("{}: {}", test.name, test.p_text))
                .map_err(err)?;
            row += 1;
        }
        if !f.comparison.is_empty() {
            row += 1;
            ws.write_string_with_format(row, 0, "Publisert 2025 mot nå", &bold)
                .map_err(err)?;
            row += 1;
            for c in &f.comparison {
                ws.write_string(row, 0, format!("{} – {}", c.category, c.group))
                    .map_err(err)?;
                ws.write_number(row, 1, c.published).map_err(err)?;
                if let Some(now) = c.now {
                    ws.write_number_with_format(row, 2, now, &number)
                        .map_err(err)?;
                }
                row += 1;
            }
        }
    }
    book.save(path).map_err(err)
}

fn html(file: &ReportFile, figures_: &[Figure], index: &Index) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"nb\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\nbody{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}\ntable{{border-collapse:collapse;margin:.5rem 0}}td,th{{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}}td:first-child,th:first-child{{text-align:left}}\nfigure{{margin:1.5rem 0}}img{{max-width:100%}}.note{{color:#555;font-size:.9rem}}\n</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p>Registerår {y}. Data: {d}.</p>\n",
        t = escape(&file.title),
        y = index.registry_year,
        d = index
            .data_files
            .iter()
            .map(|f| format!("<a href=\"{0}\">{0}</a>", escape(f)))
            .collect::<Vec<_>>()
            .join(", "),
    );
    for (f, entry) in figures_.iter().zip(&index.figures) {
        let _ = writeln!(
            h,
            "<section id=\"{}\">",
            escape(&entry.name.to_lowercase().replace(' ', "-"))
        );
        if let Some(png) = entry.files.iter().find(|f| f.ends_with(".svg")) {
            let _ = writeln!(
                h,
                "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
                escape(png),
                escape(&entry.caption),
                escape(&entry.caption)
            );
        } else {
            let _ = writeln!(h, "<h2>{}</h2>", escape(&entry.caption));
        }
        match &f.table {
            None => {
                let _ = writeln!(
                    h,
                    "<p><strong>Ikke kodet ennå.</strong> Fritekstsvarene må kodes før tabellen kan lages.</p>"
                );
            }
            Some(t) => {
                h.push_str("<table><tr><th></th>");
                for g in &t.groups {
                    let _ = write!(h, "<th>{} (n = {})</th>", escape(&g.label), g.n);
                }
                h.push_str("</tr>\n");
                if t.kind == crate::crosstab::Kind::Numeric {
                    for (label, pick) in [
                        ("n", 0),
                        ("Sum", 1),
                        ("Minimum", 2),
                        ("Maksimum", 3),
                        ("Gjennomsnitt", 4),
                        ("Median", 5),
                    ] {
                        let _ = write!(h, "<tr><td>{label}</td>");
                        for s in &t.summaries {
                            let v = [s.n as f64, s.sum, s.min, s.max, s.mean, s.median][pick];
                            let text = if v.is_finite() {
                                format::decimal(v, usize::from(v.fract() != 0.0))
                            } else {
                                "–".into()
                            };
                            let _ = write!(h, "<td>{text}</td>");
                        }
                        h.push_str("</tr>\n");
                    }
                }
                for (r, c) in t.categories.iter().enumerate() {
                    let _ = write!(h, "<tr><td>{}</td>", escape(&c.label));
                    for g in 0..t.groups.len() {
                        let _ = write!(h, "<td>{}</td>", escape(&shown(f, t, r, g)));
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</table>\n");
                for test in &t.tests {
                    let _ = writeln!(h, "<p>{}: {}</p>", escape(&test.name), escape(&test.p_text));
                }
            }
        }
        if !f.comparison.is_empty() {
            h.push_str("<table><tr><th>Publisert 2025</th><th>2025</th><th>Nå</th></tr>\n");
            for c in &f.comparison {
                let _ = writeln!(
                    h,
                    "<tr><td>{} – {}</td><td>{}</td><td>{}</td></tr>",
                    escape(&c.category),
                    escape(&c.group),
                    format::decimal(c.published, 0),
                    c.now.map_or("–".into(), |v| format::decimal(v, 0))
                );
            }
            h.push_str("</table>\n");
        }
        if let Some(note) = &f.note {
            let _ = writeln!(h, "<p class=\"note\">Lesemåte: {}</p>", escape(note));
        }
        h.push_str("</section>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}
