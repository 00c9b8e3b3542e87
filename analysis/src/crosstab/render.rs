//! A cross-tab as text for the terminal and as CSV.

use super::{Crosstab, Kind};
use crate::{AnalysisError, format};

/// How a cross-tab is written out: text for the terminal and CSV.
pub trait Render {
    /// The table as text for the terminal, percentages as the report writes them.
    fn to_table(&self) -> String;
    /// The table as CSV rows: category, then count and percent per group
    /// (`delimiter` `;` writes decimal commas for Norwegian Excel).
    fn to_csv(&self, delimiter: u8) -> Result<Vec<u8>, AnalysisError>;
}

impl Render for Crosstab {
    fn to_table(&self) -> String {
        let mut out = format!(
            "{} × {}\n{}\n{} (n = {}; registerår {})\n\n",
            self.label,
            if self.by_label.is_empty() {
                "alle"
            } else {
                &self.by_label
            },
            self.unit_description,
            self.sample_description,
            self.n,
            self.registry_year
        );
        let mut header = vec![String::new()];
        header.extend(
            self.groups
                .iter()
                .map(|g| format!("{} (n = {})", g.label, g.n)),
        );
        let mut rows = vec![header];
        if self.kind == Kind::Numeric {
            for (label, f) in [("n", 0), ("Gjennomsnitt", 1), ("Median", 2)] {
                let mut row = vec![label.to_owned()];
                row.extend(self.summaries.iter().map(|s| match f {
                    0 => s.n.to_string(),
                    1 => format::decimal(s.mean, 2),
                    _ => format::decimal(s.median, 2),
                }));
                rows.push(row);
            }
        } else {
            for (i, c) in self.categories.iter().enumerate() {
                let mut row = vec![c.label.clone()];
                row.extend((0..self.groups.len()).map(|g| {
                    match (self.counts[i][g], self.percents[i][g]) {
                        (Some(count), Some(p)) => {
                            format!("{} ({count})", format::percent(p / 100.0))
                        }
                        (Some(count), None) => count.to_string(),
                        _ => "–".to_owned(),
                    }
                }));
                rows.push(row);
            }
        }
        let widths: Vec<usize> = (0..rows[0].len())
            .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        for row in &rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (cell, w))| {
                    let pad = w - cell.chars().count();
                    if i == 0 {
                        format!("{cell}{}", " ".repeat(pad))
                    } else {
                        format!("{}{cell}", " ".repeat(pad))
                    }
                })
                .collect();
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        }
        if !self.tests.is_empty() {
            out.push('\n');
        }
        for t in &self.tests {
            let option = t
                .category
                .and_then(|c| self.categories.iter().find(|k| k.code == c))
                .map(|k| format!(" [{}]", k.label))
                .unwrap_or_default();
            out.push_str(&format!(
                "{}{option}: {} = {}{}, {}, {} = {}\n",
                t.name,
                match t.name.as_str() {
                    "chi2" => "χ²",
                    "fisher" => "OR",
                    "mannwhitney" => "U",
                    "kruskal" => "H",
                    _ => "stat",
                },
                format::decimal(t.statistic, 2),
                t.df.map(|d| format!(" (df = {d})")).unwrap_or_default(),
                t.p_text,
                t.effect_size_name,
                format::decimal(t.effect_size, 2)
            ));
        }
        for w in &self.warnings {
            out.push_str(&format!("Advarsel: {w}\n"));
        }
        out
    }

    fn to_csv(&self, delimiter: u8) -> Result<Vec<u8>, AnalysisError> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_writer(Vec::new());
        let decimal = |x: f64| {
            if delimiter == b';' {
                format::decimal(x, 1)
            } else {
                format!("{x:.1}")
            }
        };
        let mut header = vec!["kode".to_owned(), "kategori".to_owned()];
        for g in &self.groups {
            header.push(format!("{} antall", g.label));
            header.push(format!("{} prosent", g.label));
        }
        w.write_record(&header)?;
        if self.kind == Kind::Numeric {
            for s in &self.summaries {
                w.write_record([
                    s.key.clone(),
                    format!("n={}", s.n),
                    decimal(s.mean),
                    decimal(s.median),
                ])
                .ok();
            }
        }
        for (i, c) in self.categories.iter().enumerate() {
            let mut row = vec![c.code.to_string(), c.label.clone()];
            for g in 0..self.groups.len() {
                row.push(self.counts[i][g].map_or(String::new(), |c| c.to_string()));
                row.push(self.percents[i][g].map_or(String::new(), decimal));
            }
            w.write_record(&row)?;
        }
        let mut n_row = vec![String::new(), "n".to_owned()];
        for g in &self.groups {
            n_row.push(g.n.to_string());
            n_row.push(String::new());
        }
        w.write_record(&n_row)?;
        w.into_inner().map_err(|e| AnalysisError::Io {
            context: "writing CSV".into(),
            source: e.into_error(),
        })
    }
}
