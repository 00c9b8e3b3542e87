//! Lints of a report file against its survey definition: every variable
//! and grouping resolves, each analysis gets the shape it needs, bands
//! and segments are sound, numbers rise, published values name real
//! categories and groups.

use survey_definitions::{Diagnostic, Level, Span, SurveyDefinition};

use super::{Analysis, CategoryRef, Chart, Denominator, Entry, ReportFile};
use crate::clean::{Roles, Unit};
use crate::crosstab::resolve;
use crate::dataset::{Dataset, Measure, Part, Registry, Storage, Variable};

struct Linter<'a> {
    src: &'a str,
    out: Vec<Diagnostic>,
}

impl Linter<'_> {
    fn error(&mut self, span: Span, message: String) {
        self.out
            .push(Diagnostic::new(Level::Error, self.src, span, message));
    }

    fn warning(&mut self, span: Span, message: String) {
        self.out
            .push(Diagnostic::new(Level::Warning, self.src, span, message));
    }
}

fn part(v: &Variable) -> Part {
    v.source.part()
}

/// The codes a variable's categories have (options, rows, value labels).
fn codes(vars: &[(usize, &Variable)]) -> Vec<i64> {
    match part(vars[0].1) {
        Part::Option(_) | Part::Row(_) => vars
            .iter()
            .filter_map(|(_, v)| match part(v) {
                Part::Option(c) | Part::Row(c) => Some(c),
                _ => None,
            })
            .collect(),
        _ => vars[0].1.value_labels.iter().map(|(c, _)| *c).collect(),
    }
}

pub(super) fn lint(file: &ReportFile, def: &SurveyDefinition, src: &str) -> Vec<Diagnostic> {
    let mut l = Linter {
        src,
        out: Vec::new(),
    };
    if file.survey != def.survey.id {
        l.error(
            file.survey_span,
            format!(
                "the report file is for survey `{}`, the definition is `{}`",
                file.survey, def.survey.id
            ),
        );
    }
    let ds = Dataset::build(def, &Registry::default(), []);
    let roles = Roles::of(def);
    let mut last: Option<u32> = None;
    for e in &file.entries {
        if let Some(n) = e.number {
            if last.is_some_and(|p| n <= p) {
                l.error(
                    e.span,
                    format!(
                        "{} comes after number {}: keep the report's order",
                        e.name(),
                        last.unwrap_or(0)
                    ),
                );
            }
            last = Some(n);
        }
        if e.title.trim().is_empty() {
            l.error(e.span, format!("{}: the title is empty", e.name()));
        }
        entry(&mut l, e, &ds, roles.as_ref());
    }
    l.out
}

fn entry(l: &mut Linter, e: &Entry, ds: &Dataset, roles: Option<&Roles>) {
    let name = e.name();
    let at = |s: Option<Span>| s.unwrap_or(e.span);
    if let Some(by) = &e.by {
        let known = (e.analysis == Analysis::ResponseRate && by == "district")
            || matches!(
                by.as_str(),
                "service-type" | "size-class" | "county" | "branch"
            )
            || ds.variable(by).is_some();
        if !known {
            l.error(
                at(e.spans.by),
                format!("{name}: unknown grouping `{by}`: use none, service-type, size-class, county, branch or a variable"),
            );
        }
        if by == "service-type" && roles.and_then(|r| r.service_type.as_ref()).is_none() {
            l.error(
                at(e.spans.by),
                format!("{name}: the definition declares no service-type variable"),
            );
        }
    } else if e.chart == Chart::GroupedBars {
        l.error(e.span, format!("{name}: grouped bars need a grouping (by)"));
    }
    if e.denominator == Denominator::Registry && e.analysis != Analysis::ResponseRate {
        l.error(
            e.span,
            format!("{name}: denominator = \"registry\" is for response_rate only"),
        );
    }
    if matches!(e.analysis, Analysis::Bands | Analysis::Coverage) {
        let word = if e.analysis == Analysis::Bands {
            "bands"
        } else {
            "segments"
        };
        if e.bins.is_empty() {
            l.error(
                e.span,
                format!("{name}: {} needs {word}", e.analysis.name()),
            );
        }
        for b in &e.bins {
            if let (Some(lo), Some(hi)) = (b.min, b.max)
                && lo > hi
            {
                l.error(
                    e.span,
                    format!("{name}: {word} `{}` runs from {lo} down to {hi}", b.label),
                );
            }
        }
        if e.analysis == Analysis::Bands {
            for pair in e.bins.windows(2) {
                if let (Some(hi), Some(lo)) = (pair[0].max, pair[1].min)
                    && lo <= hi
                {
                    l.error(
                        e.span,
                        format!(
                            "{name}: bands `{}` and `{}` overlap",
                            pair[0].label, pair[1].label
                        ),
                    );
                }
            }
        }
    }
    if e.analysis == Analysis::ResponseRate {
        if !matches!(e.by.as_deref(), Some("county" | "size-class" | "district")) {
            l.error(
                at(e.spans.by),
                format!("{name}: response_rate is by county, size-class or district"),
            );
        }
        if !matches!(e.unit, Unit::Municipality(_)) && e.by.as_deref() != Some("district") {
            l.warning(
                at(e.spans.unit),
                format!("{name}: a response rate counts municipalities (unit = \"municipality\")"),
            );
        }
        return;
    }
    let Some(variable) = &e.variable else {
        l.error(
            e.span,
            format!("{name}: {} needs a variable", e.analysis.name()),
        );
        return;
    };
    let vars = match resolve(ds, variable) {
        Ok(v) => v,
        Err(_) => {
            l.error(
                at(e.spans.variable),
                format!("{name}: no item, concept or variable named `{variable}`"),
            );
            return;
        }
    };
    let first = vars[0].1;
    let text = first.storage == Storage::Text;
    let numeric = vars.len() == 1 && first.measure == Measure::Scale;
    let range = vars.iter().any(|(_, v)| part(v) == Part::Lower);
    let shape_error = match e.analysis {
        Analysis::Distribution if text => Some("codes or numbers, not text"),
        Analysis::Bands if !numeric => Some("one number"),
        Analysis::Coverage if !range => Some("an age range"),
        Analysis::Summary if text => Some("a number or a count grid"),
        Analysis::CodedText if !text => Some("a text item"),
        _ => None,
    };
    if let Some(needed) = shape_error {
        l.error(
            at(e.spans.variable),
            format!(
                "{name}: {} needs {needed}; `{variable}` is not",
                e.analysis.name()
            ),
        );
        return;
    }
    let known_codes = codes(&vars);
    for p in &e.published {
        match (&p.category, e.analysis) {
            (CategoryRef::Code(c), Analysis::Distribution)
                if !known_codes.is_empty() && !known_codes.contains(c) =>
            {
                l.error(
                    e.span,
                    format!(
                        "{name}: published value for code {c}, which `{variable}` does not have"
                    ),
                );
            }
            (CategoryRef::Code(c), Analysis::Bands | Analysis::Coverage)
                if *c < 1 || *c as usize > e.bins.len() =>
            {
                l.error(
                    e.span,
                    format!("{name}: published value for band {c} of {}", e.bins.len()),
                );
            }
            (CategoryRef::Label(t), Analysis::Bands | Analysis::Coverage)
                if !e.bins.iter().any(|b| &b.label == t) =>
            {
                l.error(
                    e.span,
                    format!("{name}: published value for `{t}`, which is no band or segment"),
                );
            }
            _ => {}
        }
        if let Some(g) = &p.group {
            let ok = g == "total"
                || match e.by.as_deref() {
                    Some("service-type") => matches!(g.as_str(), "1" | "2"),
                    Some("size-class") => matches!(g.as_str(), "1" | "2" | "3"),
                    Some(_) => true,
                    None => false,
                };
            if !ok {
                l.error(
                    e.span,
                    format!(
                        "{name}: published value for group `{g}`, which {} does not have",
                        e.by.as_deref().unwrap_or("a figure without grouping")
                    ),
                );
            }
        }
    }
}
