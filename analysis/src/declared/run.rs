//! Computes every entry of a report file over a round's dataset: one
//! [`Figure`] per entry, in the file's order, with its n and the values the
//! published report states beside the new ones.

use std::collections::HashMap;

use serde::Serialize;
use survey_definitions::SurveyDefinition;

use super::{Analysis, CategoryRef, Chart, Denominator, Entry, EntryKind, ReportFile, Show};
use crate::AnalysisError;
use crate::clean::{Cleaning, Decision, Roles, Sample, UnitRows, clean, units};
use crate::crosstab::{Binning, Crosstab, CrosstabRequest, crosstab_units};
use crate::dataset::{Dataset, Registry};
use crate::response_rate::{RateBy, RateRender, response_rate};

/// What a report is computed from.
pub struct Inputs<'a> {
    /// The round's dataset.
    pub ds: &'a Dataset,
    /// Its definition.
    pub def: &'a SurveyDefinition,
    /// Role variables.
    pub roles: &'a Roles,
    /// The registry of the round's year (response rates).
    pub registry: &'a Registry,
    /// Cleaning decisions, in the order they were made.
    pub decisions: &'a [Decision],
    /// Publication rule: hide counts below this.
    pub suppress_below: Option<u64>,
}

/// Whether an entry could be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Computed.
    Ok,
    /// Needs coded free text, and nothing is coded yet.
    NotCoded,
}

/// A published value beside the new one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Category label.
    pub category: String,
    /// Group label.
    pub group: String,
    /// What the published report states.
    pub published: f64,
    /// This round's value, if the category and group exist.
    pub now: Option<f64>,
}

/// One computed entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// «Figur 3».
    pub name: String,
    /// Number as the report numbers it.
    pub number: Option<u32>,
    /// Figure or table.
    pub kind: EntryKind,
    /// Caption as the report writes it.
    pub title: String,
    /// What was computed.
    pub analysis: Analysis,
    /// The unit as the caption writes it («Andeler»).
    pub unit_text: String,
    /// Unit of analysis (`respondent`, `municipality (every)`, …).
    pub unit: &'static str,
    /// Sample name.
    pub sample: &'static str,
    /// Registry year.
    pub registry_year: i32,
    /// Units counted (answering, over groups), or municipalities answered
    /// for a response rate; `None` when not computed.
    pub n: Option<u64>,
    /// The n the published report prints.
    pub published_n: Option<u64>,
    /// Computed or not.
    pub status: Status,
    /// What the cells show.
    pub show: Show,
    /// Chart kind.
    pub chart: Chart,
    /// The table (categories × groups).
    pub table: Option<Crosstab>,
    /// Published values beside the new ones.
    pub comparison: Vec<Comparison>,
    /// The reading chosen where the report is ambiguous.
    pub note: Option<String>,
}

/// Computes every entry; `progress(done, total)` after each.
pub fn run(
    inputs: &Inputs,
    file: &ReportFile,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<Figure>, AnalysisError> {
    let mut cleanings: HashMap<Sample, Cleaning> = HashMap::new();
    let mut unit_cache: HashMap<(Sample, &'static str), Vec<UnitRows>> = HashMap::new();
    let mut out = Vec::with_capacity(file.entries.len());
    let mut unnumbered = 0;
    for (i, e) in file.entries.iter().enumerate() {
        let cleaning = cleanings
            .entry(e.sample)
            .or_insert_with(|| clean(inputs.ds, inputs.roles, inputs.decisions, e.sample));
        let us = unit_cache
            .entry((e.sample, e.unit.name()))
            .or_insert_with(|| units(inputs.ds, inputs.roles, cleaning, e.unit));
        let mut f = figure(inputs, e, cleaning, us)?;
        if e.number.is_none() {
            // Unnumbered tables are named A, B, C … in order.
            let letter = (b'A' + (unnumbered % 26) as u8) as char;
            f.name = format!("{} {letter}", f.name);
            unnumbered += 1;
        }
        out.push(f);
        progress(i + 1, file.entries.len());
    }
    Ok(out)
}

fn figure(
    inputs: &Inputs,
    e: &Entry,
    cleaning: &Cleaning,
    units: &[UnitRows],
) -> Result<Figure, AnalysisError> {
    let mut status = Status::Ok;
    // Coded free text reads the coding frame over the entry's text item;
    // until one has codes the entry says «not coded yet».
    let frame = (e.analysis == Analysis::CodedText)
        .then(|| {
            let item = e.variable.as_deref()?;
            inputs
                .ds
                .coded
                .iter()
                .find(|(_, items)| items.iter().any(|i| i == item))
                .map(|(key, _)| key.clone())
        })
        .flatten();
    let table = match e.analysis {
        Analysis::CodedText if frame.is_none() => {
            status = Status::NotCoded;
            None
        }
        Analysis::ResponseRate => {
            let by = match e.by.as_deref() {
                Some("size-class") => RateBy::SizeClass,
                Some("district") => RateBy::District,
                _ => RateBy::County,
            };
            let rate = response_rate(inputs.ds, inputs.roles, cleaning, inputs.registry, by);
            Some(rate.to_crosstab(e.unit.description()))
        }
        _ => {
            let bins = match e.analysis {
                Analysis::Bands => Some(Binning::Bands(e.bins.clone())),
                Analysis::Coverage => Some(Binning::Coverage(e.bins.clone())),
                _ => None,
            };
            let request = CrosstabRequest {
                item: frame
                    .clone()
                    .or_else(|| e.variable.clone())
                    .unwrap_or_default(),
                by: e.by.clone().unwrap_or_else(|| "none".into()),
                unit: e.unit,
                suppress_below: inputs.suppress_below,
                total: e.total,
                bins,
            };
            let mut t = crosstab_units(inputs.ds, inputs.roles, e.sample, units, &request)?;
            if e.denominator == Denominator::Group {
                over_group(&mut t);
            }
            Some(t)
        }
    };
    let comparison = table.as_ref().map(|t| compare(e, t)).unwrap_or_default();
    Ok(Figure {
        name: e.name(),
        number: e.number,
        kind: e.kind,
        title: e.title.clone(),
        analysis: e.analysis,
        unit_text: e.unit_text.clone(),
        unit: match (e.analysis, e.unit) {
            (Analysis::ResponseRate, _) => "municipality (registry)",
            (_, u) => u.name(),
        },
        sample: e.sample.name(),
        registry_year: inputs.ds.registry_year,
        n: table.as_ref().map(|t| t.n),
        published_n: e.published_n,
        status,
        show: e.show,
        chart: e.chart,
        table,
        comparison,
        note: e.note.clone(),
    })
}

/// Percentages of every unit in the group (answered or not).
fn over_group(t: &mut Crosstab) {
    for (row, counts) in t.percents.iter_mut().zip(&t.counts) {
        for ((p, c), g) in row.iter_mut().zip(counts).zip(&t.groups) {
            let all = g.n + g.unanswered + g.not_asked;
            *p = match c {
                Some(c) if all > 0 => Some(100.0 * *c as f64 / all as f64),
                _ => None,
            };
        }
    }
}

/// The value a cell shows.
pub fn cell(t: &Crosstab, show: Show, row: usize, col: usize) -> Option<f64> {
    match show {
        Show::Percent => t.percents.get(row)?.get(col).copied().flatten(),
        Show::Count => t
            .counts
            .get(row)?
            .get(col)
            .copied()
            .flatten()
            .map(|c| c as f64),
        Show::Sum | Show::Mean | Show::Min | Show::Max => {
            let s = t.summaries.get(col)?;
            Some(match show {
                Show::Sum => s.sum,
                Show::Mean => s.mean,
                Show::Min => s.min,
                _ => s.max,
            })
            .filter(|x| x.is_finite())
        }
    }
}

fn compare(e: &Entry, t: &Crosstab) -> Vec<Comparison> {
    e.published
        .iter()
        .map(|p| {
            let row = match &p.category {
                CategoryRef::Code(c) => t.categories.iter().position(|k| k.code == *c),
                CategoryRef::Label(l) => t.categories.iter().position(|k| &k.label == l),
            };
            let col = match p.group.as_deref() {
                Some(g) => t.groups.iter().position(|k| k.key == g),
                // No group: the total column, or the only one.
                None => t
                    .groups
                    .iter()
                    .position(|k| k.key == "total")
                    .or((t.groups.len() == 1).then_some(0)),
            };
            let numeric = matches!(e.show, Show::Sum | Show::Mean | Show::Min | Show::Max);
            Comparison {
                category: row.map_or_else(
                    || match &p.category {
                        CategoryRef::Code(c) => c.to_string(),
                        CategoryRef::Label(l) => l.clone(),
                    },
                    |r| t.categories[r].label.clone(),
                ),
                group: col.map_or_else(
                    || p.group.clone().unwrap_or_default(),
                    |c| t.groups[c].label.clone(),
                ),
                published: p.value,
                now: match (row, col) {
                    (Some(r), Some(c)) => cell(t, e.show, r, c),
                    (None, Some(c)) if numeric => cell(t, e.show, 0, c),
                    _ => None,
                },
            }
        })
        .collect()
}
