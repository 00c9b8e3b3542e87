//! The typed survey definition: what `parse()` produces and every other module reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::expr::Expression;

mod meta;
mod roster;
pub use meta::*;
pub use roster::*;

/// The current version of the definition format. A definition states the
/// version it was written for; the parser rejects versions it does not know.
pub const FORMAT_VERSION: u32 = 1;

/// A complete, parsed survey definition.
///
/// Items are stored flat, in questionnaire order, with the "specify" texts
/// generated from options placed right after their choice item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyDefinition {
    /// Format version the definition was written for.
    pub version: u32,
    /// Survey metadata.
    pub survey: SurveyMeta,
    /// Sections (pages) in order.
    pub sections: Vec<Section>,
    /// Every item in questionnaire order.
    pub items: Vec<Item>,
    /// Cross-item checks (hard errors or soft warnings).
    pub checks: Vec<Check>,
    /// Shared concepts keyed by concept key. Like `derived`, written in
    /// the JSON form for reading but not read back from it.
    #[serde(default, skip_deserializing)]
    pub concepts: BTreeMap<String, Concept>,
    /// Variables computed for analysis (service type, size class, recodes).
    /// Written in the JSON form but not read back from it: the JSON form
    /// is for the browser, which does not analyse, and reading it would
    /// add its deserialiser to every respondent's download. The TOML text
    /// is the definition's full form.
    #[serde(default, skip_deserializing)]
    pub derived: Vec<Derived>,
    /// Item id → index into `items` (rebuilt on deserialisation).
    #[serde(skip)]
    pub(crate) index: BTreeMap<String, usize>,
}

impl SurveyDefinition {
    /// Looks an item up by id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.index.get(id).map(|&i| &self.items[i])
    }

    /// The gate: the single choice that sorts responses into branches. It
    /// is the item the `service_type` recode reads, or the item with id
    /// `gate`.
    pub fn gate_item(&self) -> Option<&Item> {
        self.service_type()
            .and_then(|d| d.item.as_deref())
            .or(self.item("gate").map(|i| i.id.as_str()))
            .and_then(|id| self.item(id))
    }

    /// The derived variable with the `service_type` role, if any.
    pub fn service_type(&self) -> Option<&Derived> {
        self.derived
            .iter()
            .find(|d| d.role == Some(DerivedRole::ServiceType))
    }

    /// The position of an item in `items`.
    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Looks a section up by id.
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The items of one section, in order.
    pub fn section_items<'a>(&'a self, section_id: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.items.iter().filter(move |i| i.section == section_id)
    }

    /// Rebuilds the id index; called by the parser and after deserialisation.
    pub(crate) fn reindex(&mut self) {
        self.index = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.id.clone(), i))
            .collect();
    }

    /// Every warning key a respondent can confirm: `<item>/unanswered` for
    /// items that warn when left empty, `<item>/check:<id>` for the items of
    /// each warning check. Confirmations outside this set mean nothing.
    pub fn warning_keys(&self) -> std::collections::BTreeSet<String> {
        let mut keys = std::collections::BTreeSet::new();
        for item in self
            .items
            .iter()
            .filter(|i| i.required == Requirement::Soft)
        {
            keys.insert(format!("{}/unanswered", item.id));
        }
        for check in self
            .checks
            .iter()
            .filter(|c| c.severity == Severity::Warning)
        {
            for item in &check.items {
                keys.insert(format!("{item}/check:{}", check.id));
            }
        }
        keys
    }

    /// Restores the id index after the definition was deserialised (for
    /// example from JSON in the browser). Parsing does this by itself.
    pub fn ready(mut self) -> Self {
        self.reindex();
        self
    }
}

/// A section (one page of the questionnaire).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Stable section id.
    pub id: String,
    /// Heading; the source's wording where it has one.
    pub title: String,
    /// Condition under which the whole section is shown.
    pub relevant: Option<Expression>,
    /// Where the section starts in the definition file.
    #[serde(skip)]
    pub span: Span,
}

/// Whether an item must be answered when it is visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// Submitting without an answer is an error.
    Required,
    /// Submitting without an answer gives a warning the respondent may confirm.
    Soft,
    /// May be left empty.
    Optional,
}

/// One question (or generated "specify" text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable id following the questionnaire numbering (`1.16.1`), or a
    /// header key (`kommune`); specify texts are `<item>:<code>`.
    pub id: String,
    /// Id of the section the item belongs to.
    pub section: String,
    /// Question text, word for word from the source.
    pub text: String,
    /// Extra explanation shown with the question.
    pub note: Option<String>,
    /// Help topics the respondent can open (1.29's HKH and SAT).
    pub help: Vec<HelpTopic>,
    /// What kind of answer the item takes.
    pub kind: ItemKind,
    /// Export variable name (SPSS-compatible).
    pub variable: String,
    /// Shared concept key, for comparing branch 1 and branch 2.
    pub concept: Option<String>,
    /// This item's code → the concept's code, where they differ (analysis
    /// only: written in the JSON form, not read back, like `concepts`).
    #[serde(default, skip_deserializing)]
    pub concept_codes: BTreeMap<i64, i64>,
    /// The item's own condition; the section's condition applies as well.
    pub relevant: Option<Expression>,
    /// Whether an answer is needed when the item is visible.
    pub required: Requirement,
    /// The answer identifies a person (the respondent's name, position):
    /// research exports leave it out unless asked for, and it is logged.
    #[serde(default)]
    pub personal: bool,
    /// Where the item is written in the definition file.
    #[serde(skip)]
    pub span: Span,
}

impl Item {
    /// The choice options (or grid rows) of the item; empty for other kinds.
    pub fn options(&self) -> &[ChoiceOption] {
        match &self.kind {
            ItemKind::SingleChoice { options } => options,
            ItemKind::MultipleChoice { options, .. } => options,
            ItemKind::CountGrid { rows, .. } => rows,
            _ => &[],
        }
    }

    /// Finds an option (or grid row) by code.
    pub fn option(&self, code: i64) -> Option<&ChoiceOption> {
        self.options().iter().find(|o| o.code == code)
    }

    /// The concept code for one of this item's codes.
    pub fn concept_code(&self, code: i64) -> i64 {
        self.concept_codes.get(&code).copied().unwrap_or(code)
    }
}

/// A help topic that the respondent can open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelpTopic {
    /// Link text, e.g. `HKH`.
    pub title: String,
    /// The explanation.
    pub text: String,
    /// True while the full text is still to be supplied by the survey owner.
    pub pending: bool,
}

/// The registry a header item picks from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistryKind {
    /// Counties (2-digit numbers).
    County,
    /// Municipalities (4-digit numbers).
    Municipality,
    /// Oslo's districts and agencies (6-digit numbers).
    District,
}

impl RegistryKind {
    /// Number of digits in the registry's codes.
    pub fn code_len(self) -> usize {
        match self {
            RegistryKind::County => 2,
            RegistryKind::Municipality => 4,
            RegistryKind::District => 6,
        }
    }
}

/// The kind of answer an item takes, with its hard limits.
///
/// Serialised externally tagged (`{"single_choice": {...}}`): an internally
/// tagged enum makes serde buffer every item through its `Content` type,
/// which cost the browser app tens of kilobytes of wasm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// One line of text.
    Text {
        /// Maximum number of characters.
        max_length: u32,
    },
    /// Free text over several lines.
    LongText {
        /// Maximum number of characters.
        max_length: u32,
    },
    /// A whole number.
    Integer {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// An amount of money in whole kroner; accepts «12 500», «12.500»,
    /// «kr 12 500,-».
    Money {
        /// Largest allowed amount (the smallest is 0).
        max: i64,
    },
    /// A calendar date from 1900 to 2100, stored as `YYYY-MM-DD`;
    /// accepts «31.12.2025». Limits to a period are checks
    /// (`$dato >= "2025-06-01"`).
    Date,
    /// A decimal number; accepts the Norwegian decimal comma.
    Decimal {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// One option.
    SingleChoice {
        /// Options in the source's order.
        options: Vec<ChoiceOption>,
    },
    /// Several options.
    MultipleChoice {
        /// Options in the source's order.
        options: Vec<ChoiceOption>,
        /// Fewest choices allowed when answered.
        min_choices: u32,
        /// Most choices allowed.
        max_choices: Option<u32>,
    },
    /// A lower and an upper age bound.
    AgeRange {
        /// Smallest allowed age.
        min: i64,
        /// Largest allowed age.
        max: i64,
    },
    /// A 0–100 percentage slider.
    Percent,
    /// Counts per row (staff by education), or amounts in whole kroner
    /// per row (funding sources) when `money`; the page shows their sum.
    CountGrid {
        /// Rows, each with a code and a label.
        rows: Vec<ChoiceOption>,
        /// Largest count (or amount) allowed in a row.
        max: i64,
        /// Amounts in whole kroner (`money_grid`) rather than counts.
        #[serde(default)]
        money: bool,
    },
    /// A count that may be given as approximate or as a range: «12»,
    /// «cirka 12», «12–15». Its value is a range (`lower`/`upper`).
    Estimate {
        /// Smallest allowed number.
        min: i64,
        /// Largest allowed number.
        max: i64,
    },
    /// A repeating group: one row per entry (a position), each with the
    /// same fields (a role and a percentage).
    Roster {
        /// The fields of every row.
        columns: Vec<RosterColumn>,
        /// Most rows allowed.
        max_rows: u32,
    },
    /// A code picked from a registry (county, municipality, district).
    Registry {
        /// Which registry.
        registry: RegistryKind,
        /// Header item whose code this one's code must start with.
        parent: Option<String>,
    },
    /// The text of an "other (specify)" option, generated by the parser.
    Specify {
        /// The choice item.
        item: String,
        /// The option's code.
        code: i64,
        /// Maximum number of characters.
        max_length: u32,
    },
}

impl ItemKind {
    /// The kind's name as used in definition files and the codebook.
    pub fn name(&self) -> &'static str {
        match self {
            ItemKind::Text { .. } => "text",
            ItemKind::LongText { .. } => "long_text",
            ItemKind::Integer { .. } => "integer",
            ItemKind::Decimal { .. } => "decimal",
            ItemKind::Money { .. } => "money",
            ItemKind::Date => "date",
            ItemKind::SingleChoice { .. } => "single_choice",
            ItemKind::MultipleChoice { .. } => "multiple_choice",
            ItemKind::AgeRange { .. } => "age_range",
            ItemKind::Percent => "percent",
            ItemKind::CountGrid { money: false, .. } => "count_grid",
            ItemKind::CountGrid { money: true, .. } => "money_grid",
            ItemKind::Estimate { .. } => "estimate",
            ItemKind::Roster { .. } => "roster",
            ItemKind::Registry { .. } => "registry",
            ItemKind::Specify { .. } => "specify",
        }
    }

    /// True for single and multiple choice.
    pub fn is_choice(&self) -> bool {
        matches!(
            self,
            ItemKind::SingleChoice { .. } | ItemKind::MultipleChoice { .. }
        )
    }
}

/// An answer option, or a row of a count grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceOption {
    /// The source's code.
    pub code: i64,
    /// The source's label.
    pub label: String,
    /// Chosen alone only ("Ingen utfordringer").
    pub exclusive: bool,
    /// Id of the generated "specify" text item, when the option has one.
    pub specify: Option<String>,
    /// Where the option is written in the definition file.
    #[serde(skip)]
    pub span: Span,
}

/// How serious a failed check is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks submission.
    Error,
    /// Shown; the respondent may confirm and keep the answer.
    Warning,
}

/// A cross-item check: `assert` must not be false.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Stable check id.
    pub id: String,
    /// Items the message is shown on.
    pub items: Vec<String>,
    /// Condition that should hold; unknown (missing answers) passes.
    pub assert: Expression,
    /// Norwegian message shown when the condition is false.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
    /// Where the check is written in the definition file.
    #[serde(skip)]
    pub span: Span,
}

/// A concept shared by items of different branches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Concept {
    /// Human-readable name of the harmonised variable.
    pub label: String,
    /// Export variable name of the harmonised variable.
    pub variable: String,
    /// Item whose codes are the concept's codes.
    pub reference: String,
}

/// A variable computed for analysis, declared in the definition so that
/// recodes live with the questionnaire rather than in code. Which fields a
/// rule needs is checked by the linter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    /// Export variable name.
    pub variable: String,
    /// Label (Norwegian), used in tables, figures and SPSS.
    pub label: String,
    /// The rule.
    pub from: DerivedFrom,
    /// `recode`: the single-choice item; `registry`: the municipality item.
    #[serde(default)]
    pub item: Option<String>,
    /// `registry`: which fact of the municipality.
    #[serde(default)]
    pub field: Option<RegistryField>,
    /// What analysis uses it for, if anything (`service_type`: the grouping
    /// `--by service-type` of cross-tabs).
    #[serde(default)]
    pub role: Option<DerivedRole>,
    /// `grid_groups`: the count-grid concept whose rows are summed.
    #[serde(default)]
    pub concept: Option<String>,
    /// `recode` and `grid_groups`: the new codes, each with the source codes
    /// (recode) or grid rows (grid groups) it takes.
    #[serde(default)]
    pub values: Vec<DerivedValue>,
    /// Where it is written in the definition file.
    #[serde(skip)]
    pub span: Span,
}

/// How a derived variable is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DerivedFrom {
    /// New codes from the codes of a single-choice item (or its concept
    /// across branches); codes not listed become missing.
    Recode,
    /// A fact of the answered municipality in the registry of the round's year.
    Registry,
    /// Counts of a count grid summed into groups of rows, one count per
    /// group (`<variable>_<code>`); distributions pool them over respondents.
    GridGroups,
}

/// What analysis uses a derived variable for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DerivedRole {
    /// The service type compared throughout the report (own service vs part of another).
    ServiceType,
}

/// A registry fact a derived variable can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistryField {
    /// SSB size class from the population of the round's registry year
    /// (1 small < 5 000, 2 medium 5 000–19 999, 3 large ≥ 20 000).
    SizeClass,
    /// County number (2 digits).
    County,
    /// Population on 1 January of the registry year.
    Population,
}

/// One code of a derived variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedValue {
    /// The new code.
    pub code: i64,
    /// Its label.
    pub label: String,
    /// Source codes (recode) or grid rows (grid groups) it takes.
    #[serde(default)]
    pub from: Vec<i64>,
}

impl SurveyDefinition {
    /// Looks a derived variable up by its variable name.
    pub fn derived(&self, variable: &str) -> Option<&Derived> {
        self.derived.iter().find(|d| d.variable == variable)
    }
}

/// A byte range in the definition source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span {
            start: r.start,
            end: r.end,
        }
    }
}
