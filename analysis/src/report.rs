//! The full report of a round: every analysable item by service type and
//! by size class, as an XLSX workbook, SVG figures, CSV and SPSS files and
//! one HTML page that shows every table and figure.

use std::fmt::Write as _;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;
use survey_definitions::{ItemKind, SurveyDefinition};

use crate::clean::{Cleaning, Roles, Unit, units};
use crate::crosstab::{Crosstab, CrosstabRequest, crosstab_units};
use crate::dataset::Dataset;
use crate::export::{CsvFlavour, codebook_csv, data_csv, spss_syntax};
use crate::{AnalysisError, figures, format, stats};

/// What goes into a report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// Unit of analysis for every table.
    pub unit: Unit,
    /// Publication rule: hide counts below this.
    pub suppress_below: Option<u64>,
    /// Write personal variables (names, positions) into the data files.
    pub include_personal: bool,
}

/// One planned table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// Item id, concept key or derived variable.
    pub item: String,
    /// Grouping.
    pub by: &'static str,
}

/// The tables of a report: the gate by size class (the report's Figure 4),
/// every concept (both branches harmonised) and derived count grid by
/// service type and by size class, and the items of the no-outreach branch
/// (no concept) by size class. Text items are left out.
pub fn plan(def: &SurveyDefinition, roles: &Roles) -> Vec<Planned> {
    let mut out = Vec::new();
    let gate_item = def
        .items
        .iter()
        .find(|i| Some(&i.variable) == roles.gate.as_ref())
        .map(|i| i.id.clone());
    if let Some(gate) = &gate_item {
        out.push(Planned {
            item: gate.clone(),
            by: "size-class",
        });
    }
    let tabulable = |kind: &ItemKind| {
        !matches!(
            kind,
            ItemKind::Text { .. }
                | ItemKind::LongText { .. }
                | ItemKind::Specify { .. }
                | ItemKind::Registry { .. }
        )
    };
    let mut concepts_done = std::collections::BTreeSet::new();
    for item in &def.items {
        if !tabulable(&item.kind) || Some(&item.id) == gate_item.as_ref() {
            continue;
        }
        match &item.concept {
            Some(c) => {
                if concepts_done.insert(c.clone()) {
                    out.push(Planned {
                        item: c.clone(),
                        by: "service-type",
                    });
                    out.push(Planned {
                        item: c.clone(),
                        by: "size-class",
                    });
                }
            }
            None => out.push(Planned {
                item: item.id.clone(),
                by: "size-class",
            }),
        }
    }
    for d in def
        .derived
        .iter()
        .filter(|d| d.from == survey_definitions::DerivedFrom::GridGroups)
    {
        out.push(Planned {
            item: d.variable.clone(),
            by: "service-type",
        });
        out.push(Planned {
            item: d.variable.clone(),
            by: "size-class",
        });
    }
    out
}

/// The tables of a report, computed; `progress(done, total)` is called after each.
pub fn tables(
    ds: &Dataset,
    def: &SurveyDefinition,
    roles: &Roles,
    cleaning: &Cleaning,
    options: &ReportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<Crosstab>, AnalysisError> {
    let planned = plan(def, roles);
    let units = units(ds, roles, cleaning, options.unit);
    let mut out = Vec::with_capacity(planned.len());
    for (i, p) in planned.iter().enumerate() {
        let request = CrosstabRequest {
            item: p.item.clone(),
            by: p.by.to_owned(),
            unit: options.unit,
            suppress_below: options.suppress_below,
            total: false,
            bins: None,
        };
        let table = crosstab_units(ds, roles, cleaning.sample, &units, &request)?;
        // Leave out tables nobody answered (e.g. no-outreach items by service type).
        if table.groups.iter().any(|g| g.n > 0) {
            out.push(table);
        }
        progress(i + 1, planned.len());
    }
    Ok(out)
}

/// Spearman's ρ between size class and service type at the unit of analysis
/// (the report's rho = 0,40): codes 1 small … 3 large against 1 own service,
/// 2 part of another.
pub fn size_by_service(
    ds: &Dataset,
    roles: &Roles,
    cleaning: &Cleaning,
    unit: Unit,
) -> Option<stats::TestResult> {
    let size = ds.column(roles.size_class.as_deref()?)?;
    let service = ds.column(roles.service_type.as_deref()?)?;
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for u in units(ds, roles, cleaning, unit) {
        let r = u.rows[0];
        if let (Some(a), Some(b)) = (size.number(r), service.number(r)) {
            x.push(a);
            y.push(b);
        }
    }
    stats::spearman(&x, &y).ok()
}

/// The summary written next to the files.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Respondents in the data.
    pub respondents: usize,
    /// Respondents in the analytic sample.
    pub included: usize,
    /// Unit of analysis.
    pub unit: &'static str,
    /// Tables written.
    pub tables: usize,
    /// Files written, relative to the output folder.
    pub files: Vec<String>,
}

/// Writes the whole report into `dir`: `data.csv`, `data-excel.csv`,
/// `kodebok.csv`, `data.sps`, `tabeller.xlsx`, `tabeller.json`,
/// `figurer/*.svg` and `rapport.html`.
pub fn write(
    dir: &Path,
    ds: &Dataset,
    def: &SurveyDefinition,
    roles: &Roles,
    cleaning: &Cleaning,
    options: &ReportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Summary, AnalysisError> {
    std::fs::create_dir_all(dir.join("figurer"))
        .map_err(AnalysisError::io(format!("creating {}", dir.display())))?;
    let mut files = write_data(dir, ds, cleaning, options.include_personal)?;
    let tables = tables(ds, def, roles, cleaning, options, progress)?;
    files.extend(["tabeller.xlsx", "tabeller.json", "rapport.html"].map(str::to_owned));
    let mut figure_names = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let name = format!("figurer/{:03}-{}-{}.svg", i + 1, slug(&t.item), t.by);
        std::fs::write(dir.join(&name), figures::grouped_bars(t)?)
            .map_err(AnalysisError::io(format!("writing {name}")))?;
        figure_names.push(name.clone());
        files.push(name);
    }
    xlsx(&tables, &dir.join("tabeller.xlsx"))?;
    let json = serde_json::to_vec_pretty(&tables).map_err(|e| AnalysisError::Io {
        context: "writing tabeller.json".into(),
        source: std::io::Error::other(e),
    })?;
    std::fs::write(dir.join("tabeller.json"), json)
        .map_err(AnalysisError::io("writing tabeller.json"))?;
    let rho = size_by_service(ds, roles, cleaning, options.unit);
    let summary = Summary {
        respondents: ds.len(),
        included: cleaning.included.iter().filter(|&&i| i).count(),
        unit: options.unit.name(),
        tables: tables.len(),
        files,
    };
    std::fs::write(
        dir.join("rapport.html"),
        html(
            def,
            &summary,
            &tables,
            &figure_names,
            rho.as_ref(),
            options.unit,
        ),
    )
    .map_err(AnalysisError::io("writing rapport.html"))?;
    Ok(summary)
}

/// Writes the data files of a report folder: `data.csv`, `data-excel.csv`
/// (`;` and decimal comma for Norwegian Excel), `kodebok.csv` and
/// `data.sps` (SPSS syntax reading `data.csv`); returns their names.
pub fn write_data(
    dir: &Path,
    ds: &Dataset,
    cleaning: &Cleaning,
    include_personal: bool,
) -> Result<Vec<String>, AnalysisError> {
    let create = |name: &str| {
        std::fs::File::create(dir.join(name)).map_err(AnalysisError::io(format!("creating {name}")))
    };
    data_csv(
        ds,
        cleaning,
        CsvFlavour::Standard,
        include_personal,
        create("data.csv")?,
    )?;
    data_csv(
        ds,
        cleaning,
        CsvFlavour::Excel,
        include_personal,
        create("data-excel.csv")?,
    )?;
    codebook_csv(ds, include_personal, create("kodebok.csv")?)?;
    std::fs::write(
        dir.join("data.sps"),
        spss_syntax(ds, "data.csv", include_personal),
    )
    .map_err(AnalysisError::io("writing data.sps"))?;
    Ok(["data.csv", "data-excel.csv", "kodebok.csv", "data.sps"]
        .map(str::to_owned)
        .to_vec())
}

fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Every cross-tab in one workbook: a contents sheet, then one sheet per
/// grouping with the tables one under the other (counts and column percent).
pub fn xlsx(tables: &[Crosstab], path: &Path) -> Result<(), AnalysisError> {
    std::fs::write(path, xlsx_bytes(tables)?).map_err(AnalysisError::io("writing the workbook"))
}

/// The workbook of [`xlsx`] as bytes (a download).
pub fn xlsx_bytes(tables: &[Crosstab]) -> Result<Vec<u8>, AnalysisError> {
    let err = |e: rust_xlsxwriter::XlsxError| AnalysisError::Xlsx(e.to_string());
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(12);
    let percent = Format::new().set_num_format("0.0");
    let contents = book.add_worksheet().set_name("Innhold").map_err(err)?;
    contents
        .write_string_with_format(0, 0, "Tabell", &bold)
        .map_err(err)?;
    contents
        .write_string_with_format(0, 1, "Spørsmål", &bold)
        .map_err(err)?;
    contents
        .write_string_with_format(0, 2, "Etter", &bold)
        .map_err(err)?;
    contents
        .write_string_with_format(0, 3, "Ark", &bold)
        .map_err(err)?;
    contents
        .write_string_with_format(0, 4, "Test", &bold)
        .map_err(err)?;
    let mut sheets: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let sheet = sheet_name(&t.by_label);
        match sheets.iter_mut().find(|(name, _)| *name == sheet) {
            Some((_, list)) => list.push(i),
            None => sheets.push((sheet, vec![i])),
        }
    }
    for (i, t) in tables.iter().enumerate() {
        let row = i as u32 + 1;
        contents.write_number(row, 0, (i + 1) as f64).map_err(err)?;
        contents.write_string(row, 1, &t.label).map_err(err)?;
        contents.write_string(row, 2, &t.by_label).map_err(err)?;
        contents
            .write_string(row, 3, sheet_name(&t.by_label))
            .map_err(err)?;
        let test = t
            .tests
            .first()
            .map(|x| format!("{} {}", x.name, x.p_text))
            .unwrap_or_default();
        contents.write_string(row, 4, &test).map_err(err)?;
    }
    contents.set_column_width(1, 80).map_err(err)?;
    for (name, list) in &sheets {
        let sheet = book.add_worksheet().set_name(name).map_err(err)?;
        sheet.set_column_width(0, 60).map_err(err)?;
        let mut row = 0u32;
        for &i in list {
            let t = &tables[i];
            sheet
                .write_string_with_format(row, 0, format!("Tabell {}: {}", i + 1, t.label), &title)
                .map_err(err)?;
            row += 1;
            sheet
                .write_string(row, 0, &t.unit_description)
                .map_err(err)?;
            row += 1;
            sheet
                .write_string_with_format(row, 0, "", &bold)
                .map_err(err)?;
            for (g, group) in t.groups.iter().enumerate() {
                let col = 1 + 2 * g as u16;
                sheet
                    .write_string_with_format(row, col, format!("{} antall", group.label), &bold)
                    .map_err(err)?;
                sheet
                    .write_string_with_format(row, col + 1, "%", &bold)
                    .map_err(err)?;
            }
            row += 1;
            if t.kind == crate::crosstab::Kind::Numeric {
                for (label, which) in [("n", 0), ("Gjennomsnitt", 1), ("Median", 2)] {
                    sheet.write_string(row, 0, label).map_err(err)?;
                    for (g, s) in t.summaries.iter().enumerate() {
                        let v = match which {
                            0 => s.n as f64,
                            1 => s.mean,
                            _ => s.median,
                        };
                        if v.is_finite() {
                            sheet.write_number(row, 1 + 2 * g as u16, v).map_err(err)?;
                        }
                    }
                    row += 1;
                }
            }
            for (c, category) in t.categories.iter().enumerate() {
                sheet.write_string(row, 0, &category.label).map_err(err)?;
                for g in 0..t.groups.len() {
                    let col = 1 + 2 * g as u16;
                    match t.counts[c][g] {
                        Some(n) => sheet.write_number(row, col, n as f64).map_err(err)?,
                        None => sheet.write_string(row, col, "–").map_err(err)?,
                    };
                    if let Some(p) = t.percents[c][g] {
                        sheet
                            .write_number_with_format(row, col + 1, p, &percent)
                            .map_err(err)?;
                    }
                }
                row += 1;
            }
            sheet
                .write_string_with_format(row, 0, "n", &bold)
                .map_err(err)?;
            for (g, group) in t.groups.iter().enumerate() {
                sheet
                    .write_number(row, 1 + 2 * g as u16, group.n as f64)
                    .map_err(err)?;
            }
            row += 1;
            for test in &t.tests {
                let option = test
                    .category
                    .and_then(|c| t.categories.iter().find(|k| k.code == c))
                    .map(|k| format!(" [{}]", k.label))
                    .unwrap_or_default();
                sheet
                    .write_string(
                        row,
                        0,
                        format!(
                            "{}{option}: {} {}, {} = {}",
                            format::test_name(&test.name),
                            format::decimal(test.statistic, 2),
                            test.p_text,
                            api::research::effect_label(&test.effect_size_name),
                            format::decimal(test.effect_size, 2)
                        ),
                    )
                    .map_err(err)?;
                row += 1;
            }
            if let Some(note) = api::research::multiple_testing_note(t.tests.len()) {
                sheet.write_string(row, 0, note).map_err(err)?;
                row += 1;
            }
            for w in &t.warnings {
                sheet
                    .write_string(row, 0, format!("Advarsel: {w}"))
                    .map_err(err)?;
                row += 1;
            }
            row += 2;
        }
    }
    book.save_to_buffer().map_err(err)
}

fn sheet_name(by_label: &str) -> String {
    let cleaned: String = by_label
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if cleaned.is_empty() {
        "Tabeller".into()
    } else {
        cleaned
    }
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    // Five characters; a crate for this would add more than it saves.
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn html(
    def: &SurveyDefinition,
    summary: &Summary,
    tables: &[Crosstab],
    figures: &[String],
    rho: Option<&stats::TestResult>,
    unit: Unit,
) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"nb\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\nbody{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}\ntable{{border-collapse:collapse;margin:.5rem 0}}td,th{{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}}td:first-child,th:first-child{{text-align:left}}\nfigure{{margin:1rem 0}}img{{max-width:100%}}.warn{{color:#8a4b00}}nav li{{margin:.1rem 0}}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p>{n} respondenter, {inc} i analyseutvalget (kommune og eventuelt inngangsspørsmål besvart, ikke utelatt ved rensing). {unit_text}.</p>\n",
        title = escape(&def.survey.title),
        n = summary.respondents,
        inc = summary.included,
        unit_text = escape(unit.description()),
    );
    if let Some(r) = rho {
        // The two variables as the definition names and codes them.
        let described = |d: Option<&survey_definitions::Derived>| {
            d.map(|d| {
                let codes: Vec<String> = d
                    .values
                    .iter()
                    .map(|v| format!("{} {}", v.code, v.label.to_lowercase()))
                    .collect();
                format!("{} ({})", format::lower_first(&d.label), codes.join(", "))
            })
            .unwrap_or_default()
        };
        let size = def
            .derived
            .iter()
            .find(|d| d.field == Some(survey_definitions::RegistryField::SizeClass));
        let _ = writeln!(
            h,
            "<p>Sammenheng mellom {} og {}: Spearmans rho = {}, {} (n = {}).</p>",
            escape(&described(size)),
            escape(&described(def.service_type())),
            format::decimal(r.statistic, 2),
            escape(&format::p_value(r.p)),
            r.n
        );
    }
    h.push_str("<p>Filer: ");
    for f in summary.files.iter().filter(|f| !f.starts_with("figurer/")) {
        let _ = write!(h, "<a href=\"{0}\">{0}</a> ", escape(f));
    }
    h.push_str("</p>\n<nav><h2>Innhold</h2><ol>\n");
    for (i, t) in tables.iter().enumerate() {
        let _ = writeln!(
            h,
            "<li><a href=\"#t{}\">{} etter {}</a></li>",
            i + 1,
            escape(&t.label),
            escape(&crate::format::lower_first(&t.by_label))
        );
    }
    h.push_str("</ol></nav>\n");
    for (i, t) in tables.iter().enumerate() {
        let _ = writeln!(
            h,
            "<section id=\"t{}\">\n<h2>Tabell {}: {} etter {}</h2>",
            i + 1,
            i + 1,
            escape(&t.label),
            escape(&crate::format::lower_first(&t.by_label))
        );
        h.push_str("<table>\n<thead><tr><th></th>");
        for g in &t.groups {
            let _ = write!(h, "<th>{} (n = {})</th>", escape(&g.label), g.n);
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        if t.kind == crate::crosstab::Kind::Numeric {
            for (label, which) in [("Gjennomsnitt", 1), ("Median", 2)] {
                let _ = write!(h, "<tr><td>{label}</td>");
                for s in &t.summaries {
                    let v = if which == 1 { s.mean } else { s.median };
                    let _ = write!(h, "<td>{}</td>", format::decimal(v, 1));
                }
                h.push_str("</tr>\n");
            }
        }
        for (c, category) in t.categories.iter().enumerate() {
            let _ = write!(h, "<tr><td>{}</td>", escape(&category.label));
            for g in 0..t.groups.len() {
                let cell = match (t.counts[c][g], t.percents[c][g]) {
                    (Some(n), Some(p)) => format!("{} ({n})", format::percent(p / 100.0)),
                    (Some(n), None) => n.to_string(),
                    _ => "–".into(),
                };
                let _ = write!(h, "<td>{}</td>", escape(&cell));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody></table>\n");
        for test in &t.tests {
            let option = test
                .category
                .and_then(|c| t.categories.iter().find(|k| k.code == c))
                .map(|k| format!(" ({})", k.label))
                .unwrap_or_default();
            let _ = writeln!(
                h,
                "<p>{}{}: {}, {} = {}</p>",
                escape(format::test_name(&test.name)),
                escape(&option),
                escape(&test.p_text),
                escape(api::research::effect_label(&test.effect_size_name)),
                format::decimal(test.effect_size, 2)
            );
        }
        if let Some(note) = api::research::multiple_testing_note(t.tests.len()) {
            let _ = writeln!(h, "<p class=\"warn\">{}</p>", escape(&note));
        }
        for w in &t.warnings {
            let _ = writeln!(h, "<p class=\"warn\">{}</p>", escape(w));
        }
        let _ = writeln!(
            h,
            "<figure><img src=\"{}\" alt=\"Figur: {} etter {}\"></figure>\n</section>",
            escape(&figures[i]),
            escape(&t.label),
            escape(&crate::format::lower_first(&t.by_label))
        );
    }
    h.push_str("</body>\n</html>\n");
    h
}
