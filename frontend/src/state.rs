//! The state every question component reads: the definition, the answers,
//! the engine's report on them, and which messages are shown. Shared by the
//! preview and the respondent's journey; depends on nothing else in the app
//! but the API's types.

use std::collections::{BTreeMap, BTreeSet};

use std::sync::Arc;

use leptos::prelude::*;
use survey_definitions::{
    Answer, AnswerSet, ItemReport, Mode, SurveyDefinition, ValidationReport, validate,
};

use crate::api::Registry;

/// Everything an item component needs; all fields are cheap handles.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The survey definition.
    pub def: StoredValue<Arc<SurveyDefinition>>,
    /// The registry for the county/municipality/district pickers.
    pub registry: StoredValue<Arc<Registry>>,
    /// The answers entered so far.
    pub answers: RwSignal<AnswerSet>,
    /// The engine's report on `answers`, recomputed on every change.
    pub report: Memo<ValidationReport>,
    /// Whether hidden items are shown too (greyed, with their condition).
    pub show_all: RwSignal<bool>,
    /// Preview for proof-reading: conditions are shown next to sections and items.
    pub proofreading: bool,
    /// Items whose messages are shown: checks speak once the respondent has
    /// left a field (or tried to move on), not on every keystroke.
    pub touched: RwSignal<BTreeSet<String>>,
    /// Answers the personal link fixes (county, municipality, district):
    /// shown read-only, by item id.
    pub fixed: StoredValue<BTreeMap<String, String>>,
    /// The item whose text field is being typed in: its checks wait.
    pub typing: RwSignal<Option<String>>,
}

impl Ctx {
    /// A context over `answers`, with the engine's report as a memo.
    pub fn new(
        def: Arc<SurveyDefinition>,
        registry: Arc<Registry>,
        answers: RwSignal<AnswerSet>,
        fixed: BTreeMap<String, String>,
        proofreading: bool,
    ) -> Self {
        let engine_def = def.clone();
        let report = Memo::new(move |_| answers.with(|a| validate(&engine_def, a, Mode::Partial)));
        // Answers already there (saved, restored) speak from the start.
        // Inserted one by one: `collect` into a set sorts first, and each
        // sort instance costs the respondents' download.
        let mut touched = BTreeSet::new();
        answers.with_untracked(|a| {
            for k in a.values.keys() {
                touched.insert(k.clone());
            }
        });
        Ctx {
            def: StoredValue::new(def),
            registry: StoredValue::new(registry),
            answers,
            report,
            show_all: RwSignal::new(false),
            proofreading,
            touched: RwSignal::new(touched),
            fixed: StoredValue::new(fixed),
            typing: RwSignal::new(None),
        }
    }

    /// The current answer to an item (tracked).
    pub fn answer(&self, id: &str) -> Answer {
        self.answers
            .with(|a| a.values.get(id).cloned().unwrap_or(Answer::Null))
    }

    /// Sets (or, with `Answer::Null`, clears) an answer.
    pub fn set(&self, id: &str, value: Answer) {
        self.answers.update(|a| {
            if value == Answer::Null {
                a.values.remove(id);
            } else {
                a.values.insert(id.to_owned(), value);
            }
        });
    }

    /// Whether an item is visible under the current answers (tracked).
    pub fn visible(&self, id: &str) -> bool {
        self.report.with(|r| r.is_visible(id))
    }

    /// The item's errors and warnings, once its messages are shown (tracked).
    pub fn problems(&self, id: &str) -> ItemReport {
        let base = id.split(':').next().unwrap_or(id);
        let typing = self.typing.with(|t| t.as_deref() == Some(base));
        if typing || !self.touched.with(|t| t.contains(base) || t.contains(id)) {
            return ItemReport::default();
        }
        self.report
            .with(|r| r.items.get(id).cloned().unwrap_or_default())
    }

    /// Shows an item's messages from now on.
    pub fn touch(&self, id: &str) {
        if !self.touched.with_untracked(|t| t.contains(id)) {
            self.touched.update(|t| {
                t.insert(id.to_owned());
            });
        }
    }

    /// The fixed value of an item, if the link fixes it.
    pub fn fixed(&self, id: &str) -> Option<String> {
        self.fixed.with_value(|f| f.get(id).cloned())
    }
}

/// The answer set of a new response: the fixed answers only.
pub fn with_fixed(fixed: &BTreeMap<String, String>) -> AnswerSet {
    let mut set = AnswerSet::default();
    for (k, v) in fixed {
        set.values.insert(k.clone(), Answer::Text(v.clone()));
    }
    set
}
