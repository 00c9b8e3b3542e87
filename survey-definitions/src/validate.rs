//! Visibility, validation and progress of an answer set against a definition.
//!
//! An item is visible when its section's condition and its own condition
//! hold, evaluated on the answers of *visible* items only: a hidden item's
//! saved answer is kept (never lost) but reads as unknown, so changing 1.16
//! from "Ja" to "Nei" hides 1.16.1 and everything that depends on it.

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answer::{AnswerSet, Invalid, interpret};
use crate::expr::{Expression, Value};
use crate::model::{ItemKind, RegistryKind, Requirement, Severity, SurveyDefinition};

/// Whether missing required answers count as errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Work in progress (autosave): only wrong answers and checks are reported.
    Partial,
    /// Submission: unanswered required items are errors as well.
    Complete,
}

/// One message on one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Stable key, `<item>/<code>`; confirming a warning stores this key.
    pub key: String,
    /// Machine-readable code: `required`, `not_integer`, `check:<id>`, …
    pub code: String,
    /// Norwegian message for the respondent.
    pub message: String,
    /// Part of the answer concerned: a grid row code, `lower` or `upper`.
    pub target: Option<String>,
    /// For warnings: the respondent has confirmed it.
    pub confirmed: bool,
}

/// Errors and warnings of one item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemReport {
    /// Problems that block submission.
    pub errors: Vec<Problem>,
    /// Problems the respondent may confirm and keep.
    pub warnings: Vec<Problem>,
}

/// Progress through the visible questionnaire.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Visible questions answered (specify texts not counted).
    pub answered: u32,
    /// Visible questions.
    pub total: u32,
    /// `answered / total` in whole per cent.
    pub percent: u8,
    /// Per section, in order.
    pub sections: Vec<SectionProgress>,
}

/// Progress through one section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionProgress {
    /// Section id.
    pub id: String,
    /// Whether the section has any visible item.
    pub visible: bool,
    /// Hidden only because the answers its condition reads are not given
    /// yet (the branch is not chosen): it may still come.
    #[serde(default)]
    pub pending: bool,
    /// Visible questions answered.
    pub answered: u32,
    /// Visible questions.
    pub total: u32,
}

/// The outcome of validating an answer set: every item's problems, not the first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ValidationReport {
    /// Problems by item id; items without problems are absent.
    pub items: BTreeMap<String, ItemReport>,
    /// Visible item ids in questionnaire order.
    pub visible: Vec<String>,
    /// Visible items that must be answered.
    pub required: Vec<String>,
    /// Answer keys that name no item of the definition.
    pub unknown: Vec<String>,
    /// Progress.
    pub progress: Progress,
}

impl ValidationReport {
    /// True when nothing blocks submission.
    pub fn is_valid(&self) -> bool {
        self.unknown.is_empty() && self.items.values().all(|r| r.errors.is_empty())
    }

    /// Number of errors over all items.
    pub fn error_count(&self) -> usize {
        self.items.values().map(|r| r.errors.len()).sum()
    }

    /// Warnings not yet confirmed, as `(item id, problem)`.
    pub fn open_warnings(&self) -> impl Iterator<Item = (&str, &Problem)> {
        self.items.iter().flat_map(|(id, r)| {
            r.warnings
                .iter()
                .filter(|w| !w.confirmed)
                .map(move |w| (id.as_str(), w))
        })
    }

    /// True when the item is visible.
    pub fn is_visible(&self, id: &str) -> bool {
        self.visible.iter().any(|v| v == id)
    }
}

/// Validates `answers` against `def`.
pub fn validate(def: &SurveyDefinition, answers: &AnswerSet, mode: Mode) -> ValidationReport {
    let state = State::new(def, answers);
    let mut report = ValidationReport {
        unknown: answers
            .values
            .keys()
            .filter(|k| def.item(k).is_none())
            .cloned()
            .collect(),
        ..ValidationReport::default()
    };
    let add = |report: &mut ValidationReport,
               id: &str,
               severity: Severity,
               code: String,
               message: String,
               target| {
        let key = format!("{id}/{code}");
        let confirmed = severity == Severity::Warning && answers.confirmed.contains(&key);
        let p = Problem {
            key,
            code,
            message,
            target,
            confirmed,
        };
        let entry = report.items.entry(id.to_owned()).or_default();
        match severity {
            Severity::Error => entry.errors.push(p),
            Severity::Warning => entry.warnings.push(p),
        }
    };

    for (i, item) in def.items.iter().enumerate() {
        if !state.is_visible(i) {
            continue;
        }
        report.visible.push(item.id.clone());
        if item.required == Requirement::Required {
            report.required.push(item.id.clone());
        }
        match &state.values[i] {
            Err(Invalid {
                code,
                message,
                target,
            }) => {
                add(
                    &mut report,
                    &item.id,
                    Severity::Error,
                    (*code).to_owned(),
                    message.clone(),
                    target.clone(),
                );
            }
            Ok(Value::Null) if mode == Mode::Complete => match item.required {
                Requirement::Required => add(
                    &mut report,
                    &item.id,
                    Severity::Error,
                    "required".into(),
                    "Dette spørsmålet må besvares.".into(),
                    None,
                ),
                Requirement::Soft => {
                    let message = match &item.kind {
                        ItemKind::Specify {
                            item: parent, code, ..
                        } => {
                            let label = def
                                .item(parent)
                                .and_then(|p| p.option(*code))
                                .map_or("", |o| o.label.trim());
                            format!("Du har valgt «{label}» uten å spesifisere.")
                        }
                        _ => "Du har ikke svart på dette spørsmålet.".to_owned(),
                    };
                    add(
                        &mut report,
                        &item.id,
                        Severity::Warning,
                        "unanswered".into(),
                        message,
                        None,
                    )
                }
                Requirement::Optional => {}
            },
            Ok(Value::Str(code)) => {
                if let ItemKind::Registry {
                    registry,
                    parent: Some(parent),
                } = &item.kind
                    && let Value::Str(parent_code) = state.lookup(parent)
                    && !code.starts_with(&parent_code)
                {
                    let message = match registry {
                        RegistryKind::District => "Bydelen/etaten hører ikke til valgt kommune.",
                        _ => "Kommunen hører ikke til valgt fylke.",
                    };
                    add(
                        &mut report,
                        &item.id,
                        Severity::Error,
                        "parent_mismatch".into(),
                        message.into(),
                        None,
                    );
                }
            }
            Ok(_) => {}
        }
    }

    for check in &def.checks {
        let shown: Vec<&String> = check
            .items
            .iter()
            .filter(|id| {
                def.index
                    .get(id.as_str())
                    .is_some_and(|&i| state.is_visible(i))
            })
            .collect();
        if !shown.is_empty() && check.assert.fails(&|id| state.lookup(id)) {
            for id in shown {
                add(
                    &mut report,
                    id,
                    check.severity,
                    format!("check:{}", check.id),
                    check.message.clone(),
                    None,
                );
            }
        }
    }

    report.progress = state.progress();
    report
}

/// Evaluates an expression against an answer set with the same visibility
/// rules as [`validate`] (hidden items read as unknown).
pub fn evaluate(def: &SurveyDefinition, answers: &AnswerSet, expr: &Expression) -> Value {
    let state = State::new(def, answers);
    expr.eval(&|id| state.lookup(id))
}

/// Whether each item (in `def.items` order) is visible under `answers`,
/// computed once for all items (cheaper than one [`evaluate`] per item).
pub fn visibility(def: &SurveyDefinition, answers: &AnswerSet) -> Vec<bool> {
    visibility_of(def, &answers.values)
}

/// [`visibility`] of answers held as a plain map (analysis reads stored
/// answers this way; no answer set is built per respondent).
pub fn visibility_of(
    def: &SurveyDefinition,
    values: &std::collections::BTreeMap<String, crate::Answer>,
) -> Vec<bool> {
    let state = State::from_values(def, values);
    (0..def.items.len()).map(|i| state.is_visible(i)).collect()
}

/// Whether item `index` is visible under `answers` (used by the linter).
pub(crate) fn item_visible(def: &SurveyDefinition, answers: &AnswerSet, index: usize) -> bool {
    State::new(def, answers).is_visible(index)
}

#[derive(Clone, Copy, PartialEq)]
enum Vis {
    Unknown,
    InProgress,
    Done(bool),
}

struct State<'a> {
    def: &'a SurveyDefinition,
    values: Vec<Result<Value, Invalid>>,
    vis: RefCell<Vec<Vis>>,
}

impl<'a> State<'a> {
    fn new(def: &'a SurveyDefinition, answers: &AnswerSet) -> Self {
        Self::from_values(def, &answers.values)
    }

    fn from_values(
        def: &'a SurveyDefinition,
        answers: &std::collections::BTreeMap<String, crate::Answer>,
    ) -> Self {
        let values = def
            .items
            .iter()
            .map(|item| {
                answers
                    .get(&item.id)
                    .map_or(Ok(Value::Null), |a| interpret(item, a))
            })
            .collect();
        State {
            def,
            values,
            vis: RefCell::new(vec![Vis::Unknown; def.items.len()]),
        }
    }

    /// The value of a visible, validly answered item; unknown otherwise.
    fn lookup(&self, id: &str) -> Value {
        match self.def.index.get(id) {
            Some(&j) if self.is_visible(j) => self.values[j].clone().unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }

    fn is_visible(&self, i: usize) -> bool {
        match self.vis.borrow()[i] {
            Vis::Done(v) => return v,
            // A cycle (which the linter rejects) hides the items on it.
            Vis::InProgress => return false,
            Vis::Unknown => {}
        }
        self.vis.borrow_mut()[i] = Vis::InProgress;
        let item = &self.def.items[i];
        let lookup = |id: &str| self.lookup(id);
        let section_ok = self
            .def
            .section(&item.section)
            .and_then(|s| s.relevant.as_ref())
            .is_none_or(|e| e.holds(&lookup));
        let visible = section_ok && item.relevant.as_ref().is_none_or(|e| e.holds(&lookup));
        self.vis.borrow_mut()[i] = Vis::Done(visible);
        visible
    }

    fn progress(&self) -> Progress {
        let mut p = Progress::default();
        for section in &self.def.sections {
            let lookup = |id: &str| self.lookup(id);
            let pending = section
                .relevant
                .as_ref()
                .is_some_and(|e| e.eval(&lookup) == Value::Null);
            let mut sp = SectionProgress {
                id: section.id.clone(),
                visible: false,
                pending,
                answered: 0,
                total: 0,
            };
            for (i, item) in self.def.items.iter().enumerate() {
                if item.section != section.id || !self.is_visible(i) {
                    continue;
                }
                sp.visible = true;
                if matches!(item.kind, ItemKind::Specify { .. }) {
                    continue;
                }
                sp.total += 1;
                if matches!(self.values[i], Ok(ref v) if *v != Value::Null) {
                    sp.answered += 1;
                }
            }
            sp.pending &= !sp.visible;
            p.answered += sp.answered;
            p.total += sp.total;
            p.sections.push(sp);
        }
        p.percent = (p.answered * 100).checked_div(p.total).unwrap_or(0) as u8;
        p
    }
}
