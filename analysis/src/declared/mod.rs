//! Report files: a published report's figures and tables, declared in its
//! order over one survey definition (format: `analysis/REPORT-FORMAT.md`),
//! parsed and linted with `file:line:column` diagnostics like definitions,
//! then computed ([`run`]) and written ([`write`]).

mod html;
mod lint;
pub mod run;
mod workbook;
pub mod write;

use serde::{Deserialize, Serialize};
use survey_definitions::{Diagnostic, Level, Span, SurveyDefinition};
use toml::Spanned;

use crate::clean::{MunicipalityRule, Sample, Unit};
pub use crate::crosstab::Bin;

/// Figure or table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A chart.
    Figure,
    /// A table.
    Table,
}

/// What an entry computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Analysis {
    /// Codes, options or rows by a grouping (a cross-tab).
    Distribution,
    /// Municipalities of the registry year that answered, by county or size class.
    ResponseRate,
    /// A number in declared intervals.
    Bands,
    /// Age ranges covering declared age segments.
    Coverage,
    /// n, sum, minimum, maximum, mean and median of a number per group.
    Summary,
    /// Coded free text.
    CodedText,
}

impl Analysis {
    /// The name as the file writes it.
    pub fn name(self) -> &'static str {
        match self {
            Analysis::Distribution => "distribution",
            Analysis::ResponseRate => "response_rate",
            Analysis::Bands => "bands",
            Analysis::Coverage => "coverage",
            Analysis::Summary => "summary",
            Analysis::CodedText => "coded_text",
        }
    }
}

/// What the percentages are of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// Units that answered (and were asked).
    #[default]
    Answered,
    /// Every unit of the group.
    Group,
    /// Every municipality of the registry year.
    Registry,
}

/// What the cells show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Show {
    /// Percentages.
    #[default]
    Percent,
    /// Counts.
    Count,
    /// Sums.
    Sum,
    /// Means.
    Mean,
    /// Smallest values.
    Min,
    /// Largest values.
    Max,
}

/// Chart kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Chart {
    /// Horizontal bars per category, one per group.
    GroupedBars,
    /// Horizontal bars, one column.
    Bars,
    /// No chart (a table).
    None,
}

/// A category named by code, or by label (bands, segments, counties).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CategoryRef {
    /// Option, row or group code; or the 1-based position of a band.
    Code(i64),
    /// A label.
    Label(String),
}

/// A value the published report states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Published {
    /// The category.
    pub category: CategoryRef,
    /// The group's code, or `total`; left out for the only (or total) column.
    pub group: Option<String>,
    /// The value (a percentage unless `show` says otherwise).
    pub value: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Spanned<u32>,
    survey: Spanned<String>,
    title: String,
    #[serde(default)]
    entries: Vec<Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[serde(rename = "type")]
    kind: EntryKind,
    number: Option<u32>,
    title: String,
    analysis: Analysis,
    variable: Option<Spanned<String>>,
    #[serde(default = "none")]
    by: Spanned<String>,
    unit: Option<Spanned<String>>,
    rule: Option<Spanned<String>>,
    #[serde(default)]
    sample: Sample,
    #[serde(default)]
    denominator: Denominator,
    #[serde(default)]
    show: Show,
    chart: Option<Chart>,
    #[serde(default)]
    total: bool,
    unit_text: Option<String>,
    note: Option<String>,
    published_n: Option<u64>,
    #[serde(default)]
    published: Vec<Published>,
    #[serde(default)]
    bands: Vec<Bin>,
    #[serde(default)]
    segments: Vec<Bin>,
}

fn none() -> Spanned<String> {
    Spanned::new(0..0, "none".to_owned())
}

/// One declared figure or table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Figure or table.
    pub kind: EntryKind,
    /// Number as the report numbers it.
    pub number: Option<u32>,
    /// Caption as the report writes it.
    pub title: String,
    /// What it computes.
    pub analysis: Analysis,
    /// Item id, concept key or variable.
    pub variable: Option<String>,
    /// Grouping, `None` for one column.
    pub by: Option<String>,
    /// Unit of analysis.
    pub unit: Unit,
    /// Sample.
    pub sample: Sample,
    /// Denominator of percentages.
    pub denominator: Denominator,
    /// What the cells show.
    pub show: Show,
    /// Chart kind.
    pub chart: Chart,
    /// A «Totalt» column.
    pub total: bool,
    /// The unit as the caption writes it («Andeler»).
    pub unit_text: String,
    /// The reading chosen where the report is ambiguous.
    pub note: Option<String>,
    /// The n the report prints.
    pub published_n: Option<u64>,
    /// Values the report states.
    pub published: Vec<Published>,
    /// Bands (`bands`) or age segments (`coverage`).
    pub bins: Vec<Bin>,
    /// 1-based line of the entry in the file.
    pub line: usize,
    #[serde(skip)]
    span: Span,
    #[serde(skip)]
    spans: FieldSpans,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct FieldSpans {
    variable: Option<Span>,
    by: Option<Span>,
    unit: Option<Span>,
}

impl Entry {
    /// «Figur 3», «Tabell» or «Figur» for an unnumbered one.
    pub fn name(&self) -> String {
        let word = match self.kind {
            EntryKind::Figure => "Figur",
            EntryKind::Table => "Tabell",
        };
        match self.number {
            Some(n) => format!("{word} {n}"),
            None => word.to_owned(),
        }
    }
}

/// A parsed report file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportFile {
    /// Format version (1).
    pub version: u32,
    /// The survey definition's id.
    pub survey: String,
    /// The report's title.
    pub title: String,
    /// Figures and tables in the report's order.
    pub entries: Vec<Entry>,
    #[serde(skip)]
    survey_span: Span,
}

/// Parses a report file; syntax and shape errors come back as diagnostics
/// (every one, positioned).
pub fn parse(src: &str) -> Result<ReportFile, Vec<Diagnostic>> {
    let raw: RawFile = toml::from_str(src).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        vec![Diagnostic::new(
            Level::Error,
            src,
            span.into(),
            e.message().to_owned(),
        )]
    })?;
    let mut errors = Vec::new();
    if *raw.version.get_ref() != 1 {
        errors.push(Diagnostic::new(
            Level::Error,
            src,
            raw.version.span().into(),
            format!(
                "report file version {} is not supported (1 is)",
                raw.version.get_ref()
            ),
        ));
    }
    let mut entries = Vec::new();
    for spanned in raw.entries {
        let span: Span = spanned.span().into();
        let r = spanned.into_inner();
        let mut error = |at: Span, message: String| {
            errors.push(Diagnostic::new(Level::Error, src, at, message));
        };
        let rule = match r.rule.as_ref().map(|r| r.get_ref().as_str()) {
            None | Some("once") => MunicipalityRule::Once,
            Some("every") => MunicipalityRule::Every,
            Some(other) => {
                error(
                    r.rule.as_ref().map_or(span, |r| r.span().into()),
                    format!("unknown rule `{other}`: use once or every"),
                );
                MunicipalityRule::Once
            }
        };
        let unit = match r.unit.as_ref().map(|u| u.get_ref().as_str()) {
            None | Some("respondent") => Unit::Respondent,
            Some("municipality") => Unit::Municipality(rule),
            Some(other) => {
                error(
                    r.unit.as_ref().map_or(span, |u| u.span().into()),
                    format!("unknown unit `{other}`: use respondent or municipality"),
                );
                Unit::Respondent
            }
        };
        let by = r.by.get_ref().clone();
        let by_span = (!r.by.span().is_empty()).then(|| r.by.span().into());
        let chart = r.chart.unwrap_or(match (r.kind, by.as_str()) {
            (EntryKind::Table, _) => Chart::None,
            (_, "none") => Chart::Bars,
            _ => Chart::GroupedBars,
        });
        let bins = if r.analysis == Analysis::Coverage {
            r.segments
        } else {
            r.bands
        };
        entries.push(Entry {
            kind: r.kind,
            number: r.number,
            title: r.title,
            analysis: r.analysis,
            variable: r.variable.as_ref().map(|v| v.get_ref().clone()),
            by: (by != "none").then_some(by),
            unit,
            sample: r.sample,
            denominator: r.denominator,
            show: r.show,
            chart,
            total: r.total,
            unit_text: r.unit_text.unwrap_or_else(|| "Andeler".into()),
            note: r.note,
            published_n: r.published_n,
            published: r.published,
            bins,
            line: survey_definitions::line_column(src, span.start).0,
            span,
            spans: FieldSpans {
                variable: r.variable.as_ref().map(|v| v.span().into()),
                by: by_span,
                unit: r.unit.as_ref().map(|u| u.span().into()),
            },
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ReportFile {
        version: *raw.version.get_ref(),
        survey: raw.survey.get_ref().clone(),
        title: raw.title,
        entries,
        survey_span: raw.survey.span().into(),
    })
}

/// Parses and lints a report file against the definition it declares its
/// figures over: every diagnostic, errors first. A file with no error is
/// fit to run.
pub fn check(src: &str, def: &SurveyDefinition) -> (Option<ReportFile>, Vec<Diagnostic>) {
    match parse(src) {
        Err(d) => (None, d),
        Ok(file) => {
            let mut d = lint::lint(&file, def, src);
            d.sort_by_key(|d| (d.level, d.line, d.column));
            (Some(file), d)
        }
    }
}
