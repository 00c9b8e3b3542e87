//! The codebook: the documented JSON contract describing every item.
//!
//! `{"survey": {...}, "items": [{"id", "section", "text", "kind", "variable",
//! "concept", "relevant", "required", "options": [{"code", "label"}], "rows":
//! [...], "concept_codes": {...}}]}` — items in questionnaire order, header
//! fields included; `relevant` is the *effective* condition (section and
//! item combined), `null` when always shown; grid rows are under `rows`
//! with the same shape as options, their export variables being
//! `<variable>_r<code>` (options of a multiple choice `<variable>_k<code>`, see
//! `analysis::dataset`); an age range exports `<variable>_nedre` and
//! `<variable>_ovre`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{ItemKind, Requirement, SurveyDefinition};

/// The whole codebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Codebook {
    /// Survey metadata.
    pub survey: CodebookSurvey,
    /// Every item in questionnaire order.
    pub items: Vec<CodebookItem>,
}

/// Survey metadata in the codebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodebookSurvey {
    /// Survey id.
    pub id: String,
    /// Round year.
    pub round_year: u16,
    /// Title.
    pub title: String,
    /// Language tag.
    pub language: String,
    /// Definition format version.
    pub format_version: u32,
    /// Sections in order.
    pub sections: Vec<CodeLabel<String>>,
    /// What answers (left out for the default, municipalities).
    #[serde(default, skip_serializing_if = "is_municipality")]
    pub unit: crate::RespondentUnit,
    /// Concepts: key → harmonised variable name and label.
    pub concepts: BTreeMap<String, CodebookConcept>,
}

/// A concept in the codebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodebookConcept {
    /// Harmonised variable name.
    pub variable: String,
    /// Label.
    pub label: String,
    /// Item whose codes the concept uses.
    pub reference: String,
}

/// A code with its label (options, grid rows, sections).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeLabel<C> {
    /// The code.
    pub code: C,
    /// The label.
    pub label: String,
}

/// One item in the codebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodebookItem {
    /// Item id.
    pub id: String,
    /// Section id.
    pub section: String,
    /// Question text.
    pub text: String,
    /// Kind name (`single_choice`, `count_grid`, …).
    pub kind: String,
    /// Export variable.
    pub variable: String,
    /// Concept key, if shared with another branch.
    pub concept: Option<String>,
    /// Effective condition for being shown, or null.
    pub relevant: Option<String>,
    /// The condition for a reader: the expression followed by what its
    /// codes and grid rows mean («$gate == 1 (gate: 1 = Egen …)»), or null.
    #[serde(default)]
    pub relevant_text: Option<String>,
    /// `required`, `soft` or `optional`.
    pub required: Requirement,
    /// Options in the source's order; empty for non-choice items.
    pub options: Vec<CodeLabel<i64>>,
    /// Grid rows; empty for other items.
    pub rows: Vec<CodeLabel<i64>>,
    /// Item code → concept code, where they differ.
    pub concept_codes: BTreeMap<i64, i64>,
}

fn is_municipality(unit: &crate::RespondentUnit) -> bool {
    *unit == crate::RespondentUnit::Municipality
}

impl Codebook {
    /// Builds the codebook of a definition.
    pub fn of(def: &SurveyDefinition) -> Codebook {
        let survey = CodebookSurvey {
            id: def.survey.id.clone(),
            round_year: def.survey.round_year,
            title: def.survey.title.clone(),
            language: def.survey.language.clone(),
            format_version: def.version,
            unit: def.survey.unit,
            sections: def
                .sections
                .iter()
                .map(|s| CodeLabel {
                    code: s.id.clone(),
                    label: s.title.clone(),
                })
                .collect(),
            concepts: def
                .concepts
                .iter()
                .map(|(k, c)| {
                    (
                        k.clone(),
                        CodebookConcept {
                            variable: c.variable.clone(),
                            label: c.label.clone(),
                            reference: c.reference.clone(),
                        },
                    )
                })
                .collect(),
        };
        let items = def
            .items
            .iter()
            .map(|item| {
                let section_expr = def.section(&item.section).and_then(|s| s.relevant.as_ref());
                let section = section_expr.map(|e| e.source());
                let own = item.relevant.as_ref().map(|e| e.source());
                let relevant = match (section, own) {
                    (Some(s), Some(o)) => Some(format!("({s}) and ({o})")),
                    (s, o) => s.or(o).map(str::to_owned),
                };
                let labels = |opts: &[crate::model::ChoiceOption]| {
                    opts.iter()
                        .map(|o| CodeLabel {
                            code: o.code,
                            label: o.label.clone(),
                        })
                        .collect::<Vec<_>>()
                };
                let (options, rows) = match &item.kind {
                    ItemKind::CountGrid { rows, .. } => (Vec::new(), labels(rows)),
                    _ => (labels(item.options()), Vec::new()),
                };
                let legend = explain(def, section_expr.into_iter().chain(&item.relevant));
                let relevant_text = relevant.as_ref().map(|r| {
                    if legend.is_empty() {
                        r.clone()
                    } else {
                        format!("{r} ({})", legend.join("; "))
                    }
                });
                CodebookItem {
                    id: item.id.clone(),
                    section: item.section.clone(),
                    text: item.text.clone(),
                    kind: item.kind.name().to_owned(),
                    variable: item.variable.clone(),
                    concept: item.concept.clone(),
                    relevant,
                    relevant_text,
                    required: item.required,
                    options,
                    rows,
                    concept_codes: item.concept_codes.clone(),
                }
            })
            .collect();
        Codebook { survey, items }
    }
}

/// What the codes and grid rows in conditions mean, once each:
/// `gate: 1 = Egen oppsøkende tjeneste`, `1.11[15] = Relevant videreutdanning`.
fn explain<'a>(
    def: &SurveyDefinition,
    conditions: impl Iterator<Item = &'a crate::Expression>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in conditions {
        for r in e.references() {
            if let Some(row) = r.row
                && let Some(o) = def.item(&r.id).and_then(|i| i.option(row))
            {
                out.push(format!("{}[{row}] = {}", r.id, o.label));
            }
        }
        for (id, code, _) in e.code_comparisons() {
            if let Some(o) = def.item(&id).and_then(|i| i.option(code as i64)) {
                out.push(format!("{id}: {} = {}", o.code, o.label));
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|x| seen.insert(x.clone()));
    out
}
