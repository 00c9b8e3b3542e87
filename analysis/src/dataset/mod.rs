//! The analysis dataset: one row per respondent, one column per export
//! variable, built from normalised answers, the definition and the registry
//! of the round's year.
//!
//! Variables come in codebook order, then the harmonised concept variables,
//! then the derived variables the definition declares. Export names:
//!
//! | item kind | variables | values |
//! |---|---|---|
//! | single choice, integer, percent | `<var>` | code or number |
//! | decimal | `<var>` | number |
//! | multiple choice | `<var>_k<code>` per option | 1 chosen, 0 not chosen, missing if unanswered |
//! | count grid | `<var>_r<row code>` per row | count |
//! | age range | `<var>_nedre`, `<var>_ovre` | ages |
//! | registry, text, specify | `<var>` | text (municipality as its 4-digit number) |
//!
//! Concepts expand like their reference item under the concept's variable
//! (`k_arenaer_k3`), taking the value of whichever branch's item was answered
//! with codes mapped by `concept_codes`. Derived recodes and registry facts
//! are one variable; count-grid groups are `<var>_g<group code>`. The
//! letters keep option and row variables apart from item variables such as
//! `v1_11_1` (item 1.11.1); a unit test checks every name is unique.
//!
//! Columns are stored by type (integers with a missing sentinel, decimals
//! with NaN, text as options) so a million respondents fit in memory.
//!
//! A cell is a value, *missing* (asked, not answered) or *not asked* (the
//! item was hidden by the questionnaire's skip logic under the
//! respondent's final answers; see [`cells`]). Both kinds of empty are
//! left out of every count and test; exports tell them apart.

mod cells;
mod variables;

pub use variables::variables;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use survey_definitions::{Answer, ItemKind, SurveyDefinition};

use cells::{Cell, Row};

/// Missing value in integer columns.
pub const MISSING: i32 = i32::MIN;
/// Not-asked value in integer columns.
pub const NOT_ASKED: i32 = i32::MIN + 1;
/// Not asked, in decimal columns: a NaN with its own payload (every NaN
/// reads as empty; only this one as not asked).
const NOT_ASKED_BITS: u64 = 0x7FF8_0000_0000_0A5C;

/// One respondent's answers as analysis receives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RespondentInput {
    /// Stable key: `svar-<id>` for web responses, `import-<batch>-<row>` for imported rows.
    pub key: String,
    /// Answers by item id, normalised by the engine.
    pub answers: BTreeMap<String, Answer>,
    /// Sent in (imported rows count as sent in); drafts are not.
    pub submitted: bool,
}

/// Registry facts about one municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Name.
    pub name: String,
    /// County number (2 digits).
    pub county_number: String,
    /// County name.
    pub county_name: String,
    /// Population on 1 January of the registry year.
    pub population: u32,
}

/// The municipality registry of one year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    /// Year (1 January) of the populations.
    pub year: i32,
    /// Municipality number → facts.
    pub municipalities: HashMap<String, Place>,
    /// City district number → (name, municipality number); agencies left out.
    pub districts: HashMap<String, (String, String)>,
}

/// How a variable is measured (SPSS's MEASURE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Unordered codes.
    Nominal,
    /// Ordered codes.
    Ordinal,
    /// Numbers.
    Scale,
}

/// Which part of an item a variable holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The whole answer.
    Whole,
    /// One option of a multiple choice (1/0).
    Option(i64),
    /// One row of a count grid.
    Row(i64),
    /// Lower bound of an age range.
    Lower,
    /// Upper bound of an age range.
    Upper,
    /// Whether an estimate was given as approximate (1/0).
    Approximate,
    /// Number of rows of a roster.
    Rows,
    /// Sum of a money grid's rows, or of a roster's number fields.
    Sum,
    /// One field (by column index) of one roster row (from 1).
    Field(u32, u32),
}

/// Where a variable's values come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Source {
    /// The respondent's key.
    Key,
    /// An item's answer.
    Item {
        /// Item id.
        item: String,
        /// Part.
        part: Part,
    },
    /// A concept's harmonised answer.
    Concept {
        /// Concept key.
        concept: String,
        /// Part.
        part: Part,
    },
    /// A derived variable of the definition.
    Derived {
        /// Derived variable name.
        derived: String,
        /// Part (`Row(code)` is a grid group).
        part: Part,
    },
    /// A code of a coding frame of free text (`Option(code)`: 1 given, 0 not).
    Coded {
        /// The frame's variable prefix (`kf3`).
        frame: String,
        /// Part.
        part: Part,
    },
}

impl Source {
    /// The part of an answer the variable holds (`Whole` for the key).
    pub fn part(&self) -> Part {
        match self {
            Source::Key => Part::Whole,
            Source::Item { part, .. }
            | Source::Concept { part, .. }
            | Source::Derived { part, .. }
            | Source::Coded { part, .. } => *part,
        }
    }
}

/// A coding frame of free text as analysis reads it: its codes become one
/// 0/1 variable each (`<key>_k<code>`), so they export, cross-tabulate and
/// feed report files like a multiple choice.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodedFrame {
    /// Variable prefix (`kf3`).
    pub key: String,
    /// The frame's name.
    pub label: String,
    /// The text items it codes.
    pub items: Vec<String>,
    /// Codes and labels, in order.
    pub codes: Vec<(i64, String)>,
    /// Respondent key → the codes its answers were given.
    pub given: HashMap<String, std::collections::BTreeSet<i64>>,
}

/// Storage type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Storage {
    /// Whole numbers (codes, counts, flags).
    Int,
    /// Decimal numbers.
    Float,
    /// Text.
    Text,
}

/// How a variable is combined over the respondents of one municipality
/// (the municipality unit of analysis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// The first respondent's value (by key): codes, text, registry facts.
    First,
    /// Sum: counts and numbers of staff.
    Sum,
    /// Mean: percentages.
    Mean,
    /// Smallest: lower age bounds.
    Min,
    /// Largest: upper age bounds, and multiple-choice flags (chosen by any).
    Max,
}

/// One export variable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variable {
    /// Export name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Where the values come from.
    pub source: Source,
    /// Column type.
    pub storage: Storage,
    /// Measurement level.
    pub measure: Measure,
    /// Value labels (code → label), in the source's order.
    pub value_labels: Vec<(i64, String)>,
    /// How it is combined at the municipality unit.
    pub aggregate: Aggregate,
    /// Identifies a person (the item is marked `personal`): left out of
    /// research exports unless asked for.
    pub personal: bool,
}

/// A column of values.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Whole numbers; [`MISSING`] when missing.
    Int(Vec<i32>),
    /// Decimals; NaN when missing.
    Float(Vec<f64>),
    /// Text; `None` when missing.
    Text(Vec<Option<Box<str>>>),
}

impl Column {
    /// The value at `row` as a number, if it is one and present.
    pub fn number(&self, row: usize) -> Option<f64> {
        match self {
            Column::Int(v) => (v[row] > NOT_ASKED).then_some(v[row] as f64),
            Column::Float(v) => (!v[row].is_nan()).then_some(v[row]),
            Column::Text(_) => None,
        }
    }

    /// The value at `row` as text ("" when missing; numbers without `.0`).
    pub fn text(&self, row: usize) -> String {
        match self {
            Column::Int(v) if v[row] <= NOT_ASKED => String::new(),
            Column::Int(v) => v[row].to_string(),
            Column::Float(v) if v[row].is_nan() => String::new(),
            Column::Float(v) => survey_definitions::format_number(v[row]).replace(',', "."),
            Column::Text(v) => v[row].as_deref().unwrap_or("").to_owned(),
        }
    }

    /// True when the item was not asked (hidden by the skip logic).
    pub fn is_not_asked(&self, row: usize) -> bool {
        match self {
            Column::Int(v) => v[row] == NOT_ASKED,
            Column::Float(v) => v[row].to_bits() == NOT_ASKED_BITS,
            // Empty text is stored as missing, so "" is free to mark not asked.
            Column::Text(v) => v[row].as_deref() == Some(""),
        }
    }

    /// Feeds the value at `row` to a hasher (for finding identical rows
    /// without formatting every cell).
    pub fn hash_cell(&self, row: usize, hasher: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        match self {
            Column::Int(v) => v[row].hash(hasher),
            Column::Float(v) => v[row].to_bits().hash(hasher),
            Column::Text(v) => v[row].hash(hasher),
        }
    }

    /// True when two rows hold the same value (both missing counts as equal).
    pub fn same(&self, a: usize, b: usize) -> bool {
        match self {
            Column::Int(v) => v[a] == v[b],
            Column::Float(v) => v[a].to_bits() == v[b].to_bits(),
            Column::Text(v) => v[a] == v[b],
        }
    }

    /// True when the value at `row` is missing.
    pub fn is_missing(&self, row: usize) -> bool {
        match self {
            Column::Int(v) => v[row] <= NOT_ASKED,
            Column::Float(v) => v[row].is_nan(),
            Column::Text(v) => v[row].as_deref().is_none_or(str::is_empty),
        }
    }

    fn new(storage: Storage, capacity: usize) -> Column {
        match storage {
            Storage::Int => Column::Int(Vec::with_capacity(capacity)),
            Storage::Float => Column::Float(Vec::with_capacity(capacity)),
            Storage::Text => Column::Text(Vec::with_capacity(capacity)),
        }
    }

    fn push(&mut self, cell: Cell) {
        match (self, cell) {
            (Column::Int(v), Cell::Num(x)) => v.push(x as i32),
            (Column::Int(v), Cell::NotAsked) => v.push(NOT_ASKED),
            (Column::Int(v), _) => v.push(MISSING),
            (Column::Float(v), Cell::Num(x)) => v.push(x),
            (Column::Float(v), Cell::NotAsked) => v.push(f64::from_bits(NOT_ASKED_BITS)),
            (Column::Float(v), _) => v.push(f64::NAN),
            (Column::Text(v), Cell::NotAsked) => v.push(Some("".into())),
            (Column::Text(v), Cell::Text(t)) => v.push(Some(t.into_boxed_str())),
            (Column::Text(v), Cell::Num(x)) => {
                v.push(Some(survey_definitions::format_number(x).into_boxed_str()))
            }
            (Column::Text(v), Cell::Missing) => v.push(None),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Int(v) => v.len(),
            Column::Float(v) => v.len(),
            Column::Text(v) => v.len(),
        }
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The dataset of one round.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Survey id and year, for titles.
    pub survey_id: String,
    /// Registry year the derived registry facts use.
    pub registry_year: i32,
    /// County number → name, from the registry (labels for `--by county`).
    pub county_names: BTreeMap<String, String>,
    /// Variables in order.
    pub variables: Vec<Variable>,
    /// One column per variable.
    pub columns: Vec<Column>,
    /// Per respondent: sent in (else a draft).
    pub submitted: Vec<bool>,
    /// The coding frames read in: (variable prefix, the text items coded).
    pub coded: Vec<(String, Vec<String>)>,
    index: HashMap<String, usize>,
}

/// Builds datasets row by row.
pub struct DatasetBuilder<'a> {
    def: &'a SurveyDefinition,
    registry: &'a Registry,
    variables: Vec<Variable>,
    columns: Vec<Column>,
    municipality_item: Option<&'a str>,
    submitted: Vec<bool>,
    coding: &'a [CodedFrame],
}

impl<'a> DatasetBuilder<'a> {
    /// A builder for a definition and the registry of its round's year.
    pub fn new(def: &'a SurveyDefinition, registry: &'a Registry, capacity: usize) -> Self {
        let variables = variables(def);
        let columns = variables
            .iter()
            .map(|v| Column::new(v.storage, capacity))
            .collect();
        let municipality_item = def
            .items
            .iter()
            .find(|i| {
                matches!(
                    i.kind,
                    ItemKind::Registry {
                        registry: survey_definitions::RegistryKind::Municipality,
                        ..
                    }
                )
            })
            .map(|i| i.id.as_str());
        DatasetBuilder {
            def,
            registry,
            variables,
            columns,
            municipality_item,
            submitted: Vec::with_capacity(capacity),
            coding: &[],
        }
    }

    /// Adds the codes of coding frames as variables (after the definition's).
    pub fn with_coding(mut self, frames: &'a [CodedFrame]) -> Self {
        for f in frames {
            for (code, label) in &f.codes {
                self.variables.push(Variable {
                    name: format!("{}_k{code}", f.key),
                    label: format!("{}: {label}", f.label),
                    source: Source::Coded {
                        frame: f.key.clone(),
                        part: Part::Option(*code),
                    },
                    storage: Storage::Int,
                    measure: Measure::Nominal,
                    value_labels: vec![(0, "Ikke kodet slik".into()), (1, "Kodet slik".into())],
                    aggregate: Aggregate::Max,
                    personal: false,
                });
                self.columns.push(Column::new(Storage::Int, 0));
            }
        }
        self.coding = frames;
        self
    }

    /// Adds one respondent.
    pub fn push(&mut self, input: &RespondentInput) {
        let row = Row::new(self.def, &input.answers);
        self.submitted.push(input.submitted);
        for (variable, column) in self.variables.iter().zip(self.columns.iter_mut()) {
            let cell = match &variable.source {
                Source::Key => Cell::Text(input.key.clone()),
                Source::Item { item, part } => match self.def.item(item) {
                    Some(item) => row.item(item, *part, false),
                    None => Cell::Missing,
                },
                Source::Concept { concept, part } => row.concept(concept, *part),
                Source::Derived { derived, part } => match self.def.derived(derived) {
                    Some(d) => row.derived(self.registry, d, *part, self.municipality_item),
                    None => Cell::Missing,
                },
                Source::Coded { frame, part } => coded_cell(self.coding, input, frame, *part),
            };
            column.push(cell);
        }
    }

    /// The finished dataset.
    pub fn finish(self) -> Dataset {
        let index = self
            .variables
            .iter()
            .enumerate()
            .map(|(i, v)| (v.name.clone(), i))
            .collect();
        Dataset {
            survey_id: self.def.survey.id.clone(),
            registry_year: self.registry.year,
            county_names: self
                .registry
                .municipalities
                .values()
                .map(|p| (p.county_number.clone(), p.county_name.clone()))
                .collect(),
            variables: self.variables,
            columns: self.columns,
            submitted: self.submitted,
            coded: self
                .coding
                .iter()
                .map(|f| (f.key.clone(), f.items.clone()))
                .collect(),
            index,
        }
    }
}

/// A respondent's cell of a code: 1 given, 0 not, missing when the
/// respondent wrote nothing in the frame's items.
fn coded_cell(frames: &[CodedFrame], input: &RespondentInput, frame: &str, part: Part) -> Cell {
    let (Some(f), Part::Option(code)) = (frames.iter().find(|f| f.key == frame), part) else {
        return Cell::Missing;
    };
    let wrote = f
        .items
        .iter()
        .any(|i| matches!(input.answers.get(i), Some(Answer::Text(t)) if !t.trim().is_empty()));
    if !wrote {
        return Cell::Missing;
    }
    let given = f.given.get(&input.key).is_some_and(|g| g.contains(&code));
    Cell::Num(if given { 1.0 } else { 0.0 })
}

impl Dataset {
    /// Builds a dataset from respondents.
    pub fn build(
        def: &SurveyDefinition,
        registry: &Registry,
        rows: impl IntoIterator<Item = RespondentInput>,
    ) -> Dataset {
        let mut b = DatasetBuilder::new(def, registry, 0);
        for row in rows {
            b.push(&row);
        }
        b.finish()
    }

    /// Number of respondents.
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    /// True when there are no respondents.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column of a variable.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.index.get(name).map(|&i| &self.columns[i])
    }

    /// The variable named `name`.
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.index.get(name).map(|&i| &self.variables[i])
    }

    /// The variables whose source is an item, concept or derived variable
    /// with this id/key/name, in order (several for multiple choice and grids).
    pub fn variables_of(&self, source_id: &str) -> Vec<usize> {
        self.variables
            .iter()
            .enumerate()
            .filter(|(_, v)| match &v.source {
                Source::Key => false,
                Source::Item { item, .. } => item == source_id,
                Source::Concept { concept, .. } => concept == source_id,
                Source::Derived { derived, .. } => derived == source_id,
                Source::Coded { frame, .. } => frame == source_id,
            })
            .map(|(i, _)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korus_export_names_are_unique_and_spss_safe() {
        let def = SurveyDefinition::parse(survey_definitions::KORUS_2025).unwrap();
        let vars = variables(&def);
        let mut seen = std::collections::BTreeSet::new();
        for v in &vars {
            assert!(
                seen.insert(v.name.to_lowercase()),
                "duplicate export variable {}",
                v.name
            );
            assert!(
                v.name.len() <= 64 && v.name.chars().next().unwrap().is_ascii_alphabetic(),
                "{}",
                v.name
            );
            assert!(
                v.name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{}",
                v.name
            );
        }
        assert!(seen.contains("v1_13_k0") && seen.contains("v1_11_r1") && seen.contains("v1_11_1"));
    }
}
