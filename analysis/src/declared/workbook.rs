//! The report's workbook: a contents sheet (name, caption, unit, n,
//! status, a link to the sheet) and one sheet per entry with the values
//! as percentages or counts, the tests per category in Norwegian, and the
//! published 2025 values beside this round's.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};

use super::Show;
use super::run::{Figure, Status, cell};
use super::write::{caption, sample_words, sheet};
use crate::AnalysisError;
use crate::format::{summary_rows, test_name};

/// Writes `tabeller.xlsx`.
pub(super) fn write(path: &Path, figures: &[Figure]) -> Result<(), AnalysisError> {
    let err = |e: rust_xlsxwriter::XlsxError| AnalysisError::Xlsx(e.to_string());
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let percent = Format::new().set_num_format("0.0\" %\"");
    let count = Format::new().set_num_format("0");
    let decimal = Format::new().set_num_format("0.0");
    let p_format = Format::new().set_num_format("0.000");
    let contents = book.add_worksheet().set_name("Innhold").map_err(err)?;
    for (c, h) in ["Figur/tabell", "Tittel", "Enhet", "n", "Status"]
        .iter()
        .enumerate()
    {
        contents
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    contents.set_column_width(0, 14).map_err(err)?;
    contents.set_column_width(1, 100).map_err(err)?;
    contents.set_column_width(2, 12).map_err(err)?;
    contents.set_column_width(4, 16).map_err(err)?;
    contents.set_freeze_panes(1, 0).map_err(err)?;
    for (i, f) in figures.iter().enumerate() {
        let row = i as u32 + 1;
        let link =
            rust_xlsxwriter::Url::new(format!("internal:'{}'!A1", sheet(f, i))).set_text(&f.name);
        contents.write_url(row, 0, link).map_err(err)?;
        contents
            .write_string_with_format(row, 1, caption(f), &wrap)
            .map_err(err)?;
        contents.write_string(row, 2, &f.unit_text).map_err(err)?;
        if let Some(n) = f.n {
            contents.write_number(row, 3, n as f64).map_err(err)?;
        }
        let status = match f.status {
            Status::Ok => "ferdig",
            Status::NotCoded => "ikke kodet ennå",
        };
        contents.write_string(row, 4, status).map_err(err)?;
    }
    for (i, f) in figures.iter().enumerate() {
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
            format!(
                "{} {}. Registerår {}.",
                t.unit_description,
                sample_words(f.sample),
                f.registry_year
            ),
        )
        .map_err(err)?;
        let what = match f.show {
            Show::Percent => "Prosent",
            Show::Count => "Antall",
            _ => "Verdi",
        };
        ws.write_string_with_format(3, 0, format!("Kategori ({})", what.to_lowercase()), &bold)
            .map_err(err)?;
        for (g, group) in t.groups.iter().enumerate() {
            ws.set_column_width(g as u16 + 1, 22).map_err(err)?;
            ws.write_string_with_format(
                3,
                g as u16 + 1,
                format!("{} (n = {})", group.label, group.n),
                &bold,
            )
            .map_err(err)?;
        }
        ws.set_freeze_panes(4, 1).map_err(err)?;
        let mut row = 4u32;
        let number_format = match f.show {
            Show::Percent => &percent,
            Show::Count => &count,
            _ => &decimal,
        };
        for (r, c) in t.categories.iter().enumerate() {
            ws.write_string(row, 0, &c.label).map_err(err)?;
            for g in 0..t.groups.len() {
                if let Some(v) = cell(t, f.show, r, g) {
                    ws.write_number_with_format(row, g as u16 + 1, v, number_format)
                        .map_err(err)?;
                }
            }
            row += 1;
        }
        if t.kind == crate::crosstab::Kind::Numeric {
            for (pick, (label, _)) in summary_rows(&Default::default()).iter().enumerate() {
                ws.write_string(row, 0, *label).map_err(err)?;
                for (g, s) in t.summaries.iter().enumerate() {
                    let v = summary_rows(s)[pick].1;
                    if v.is_finite() {
                        ws.write_number_with_format(row, g as u16 + 1, v, &decimal)
                            .map_err(err)?;
                    }
                }
                row += 1;
            }
        }
        if !t.tests.is_empty() {
            row += 1;
            for (c, h) in ["Test", "Kategori", "p", "p som i rapporten"]
                .iter()
                .enumerate()
            {
                ws.write_string_with_format(row, c as u16, *h, &bold)
                    .map_err(err)?;
            }
            row += 1;
            for test in &t.tests {
                let category = test
                    .category
                    .and_then(|code| t.categories.iter().find(|c| c.code == code))
                    .map_or("hele tabellen", |c| c.label.as_str());
                ws.write_string(row, 0, test_name(&test.name))
                    .map_err(err)?;
                ws.write_string(row, 1, category).map_err(err)?;
                ws.write_number_with_format(row, 2, test.p, &p_format)
                    .map_err(err)?;
                ws.write_string(row, 3, &test.p_text).map_err(err)?;
                row += 1;
            }
        }
        if !f.comparison.is_empty() {
            row += 1;
            for (c, h) in ["Kategori – gruppe", "Publisert 2025", "Nå"]
                .iter()
                .enumerate()
            {
                ws.write_string_with_format(row, c as u16, *h, &bold)
                    .map_err(err)?;
            }
            row += 1;
            for c in &f.comparison {
                ws.write_string(row, 0, format!("{} – {}", c.category, c.group))
                    .map_err(err)?;
                ws.write_number_with_format(row, 1, c.published, number_format)
                    .map_err(err)?;
                if let Some(now) = c.now {
                    ws.write_number_with_format(row, 2, now, number_format)
                        .map_err(err)?;
                }
                row += 1;
            }
        }
    }
    book.save(path).map_err(err)
}
