//! One respondent's cells: an answer part, a concept's harmonised value or
//! a derived value, read under the questionnaire's skip logic.
//!
//! An answer to an item that is hidden under the respondent's final
//! answers (a follow-up of a «Nei», the other branch after a switched
//! gate) stays in storage but is read as [`Cell::NotAsked`], never as a
//! value: the engine's [`visibility_of`] decides, as it does for the
//! respondent's pages.

use std::collections::BTreeMap;

use survey_definitions::{
    Answer, Derived, DerivedFrom, Item, ItemKind, RegistryField, SurveyDefinition, visibility_of,
};

use super::{Part, Registry};
use crate::SizeClass;

/// One cell before it is stored.
pub(super) enum Cell {
    /// Asked and not answered.
    Missing,
    /// Not asked: the item was hidden under the respondent's answers.
    NotAsked,
    /// A number (code, count, age).
    Num(f64),
    /// Text.
    Text(String),
}

/// What the cells of one respondent are read from.
pub(super) struct Row<'a> {
    pub def: &'a SurveyDefinition,
    pub answers: &'a BTreeMap<String, Answer>,
    /// Visibility by item index, under the final answers.
    shown: Vec<bool>,
}

impl<'a> Row<'a> {
    /// A respondent's answers with their visibility computed once.
    pub fn new(def: &'a SurveyDefinition, answers: &'a BTreeMap<String, Answer>) -> Self {
        Row {
            def,
            answers,
            shown: visibility_of(def, answers),
        }
    }

    /// True when the item was shown to the respondent.
    pub fn shown(&self, item: &Item) -> bool {
        self.def.item_index(&item.id).is_some_and(|i| self.shown[i])
    }

    /// A part of one item's answer; `concept` maps codes onto the
    /// concept's codes.
    pub fn item(&self, item: &Item, part: Part, concept: bool) -> Cell {
        if !self.shown(item) {
            return Cell::NotAsked;
        }
        cell_of(item, self.answers.get(&item.id), part, concept)
    }

    /// The concept's value from the first of its shown items (in
    /// questionnaire order) that was answered; missing when a shown item
    /// was left unanswered; not asked when none of its items was shown.
    pub fn concept(&self, concept: &str, part: Part) -> Cell {
        let mut asked = false;
        for item in self.def.concept_items(concept) {
            if !self.shown(item) {
                continue;
            }
            asked = true;
            if let Some(a) = self.answers.get(&item.id).filter(|a| **a != Answer::Null) {
                return cell_of(item, Some(a), part, true);
            }
        }
        if asked { Cell::Missing } else { Cell::NotAsked }
    }

    /// A derived variable's value.
    pub fn derived(
        &self,
        registry: &Registry,
        d: &Derived,
        part: Part,
        municipality_item: Option<&str>,
    ) -> Cell {
        match d.from {
            DerivedFrom::Recode => {
                let Some(item) = d.item.as_deref().and_then(|id| self.def.item(id)) else {
                    return Cell::Missing;
                };
                let source = match &item.concept {
                    Some(c) => self.concept(c, Part::Whole),
                    None => self.item(item, Part::Whole, false),
                };
                match source {
                    Cell::Num(code) => d
                        .values
                        .iter()
                        .find(|v| v.from.contains(&(code as i64)))
                        .map_or(Cell::Missing, |v| Cell::Num(v.code as f64)),
                    Cell::NotAsked => Cell::NotAsked,
                    _ => Cell::Missing,
                }
            }
            DerivedFrom::Registry => {
                let id = d.item.as_deref().or(municipality_item).unwrap_or_default();
                let Some(Answer::Text(number)) = self.answers.get(id) else {
                    return Cell::Missing;
                };
                let Some(place) = registry.municipalities.get(number) else {
                    return Cell::Missing;
                };
                match d.field {
                    Some(RegistryField::SizeClass) => {
                        Cell::Num(f64::from(SizeClass::of(place.population).code()))
                    }
                    Some(RegistryField::Population) => Cell::Num(f64::from(place.population)),
                    Some(RegistryField::County) => Cell::Text(place.county_number.clone()),
                    None => Cell::Missing,
                }
            }
            DerivedFrom::GridGroups => {
                let Part::Row(group) = part else {
                    return Cell::Missing;
                };
                let Some(value) = d.values.iter().find(|v| v.code == group) else {
                    return Cell::Missing;
                };
                let concept = d.concept.as_deref().unwrap_or_default();
                let shown: Vec<&Item> = self
                    .def
                    .concept_items(concept)
                    .filter(|i| self.shown(i))
                    .collect();
                if shown.is_empty() {
                    return Cell::NotAsked;
                }
                // A grid that was answered counts its empty rows as 0.
                let answered = shown.iter().any(
                    |i| matches!(self.answers.get(&i.id), Some(Answer::Map(m)) if !m.is_empty()),
                );
                if !answered {
                    return Cell::Missing;
                }
                let total: f64 = value
                    .from
                    .iter()
                    .map(|r| match self.concept(concept, Part::Row(*r)) {
                        Cell::Num(n) => n,
                        _ => 0.0,
                    })
                    .sum();
                Cell::Num(total)
            }
        }
    }
}

/// The number (code, count) or text of an answer part; `concept` maps
/// codes onto the item's concept codes. A single choice read as one option
/// of a widened (multiple-choice) concept is chosen when its code matches.
fn cell_of(item: &Item, answer: Option<&Answer>, part: Part, concept: bool) -> Cell {
    let Some(answer) = answer else {
        return Cell::Missing;
    };
    let map = |code: f64| {
        if concept {
            item.concept_code(code as i64) as f64
        } else {
            code
        }
    };
    let num = |a: &Answer| match a {
        Answer::Number(n) => Some(*n),
        Answer::Text(t) => survey_definitions::parse_decimal(t),
        _ => None,
    };
    match (part, answer) {
        (_, Answer::Null) => Cell::Missing,
        (Part::Whole, Answer::Text(t))
            if !matches!(
                item.kind,
                ItemKind::SingleChoice { .. }
                    | ItemKind::Integer { .. }
                    | ItemKind::Decimal { .. }
                    | ItemKind::Money { .. }
                    | ItemKind::Percent
            ) =>
        {
            if t.is_empty() {
                Cell::Missing
            } else {
                Cell::Text(t.clone())
            }
        }
        (Part::Whole, a) => num(a).map_or(Cell::Missing, |n| {
            if item.kind.is_choice() {
                Cell::Num(map(n))
            } else {
                Cell::Num(n)
            }
        }),
        (Part::Option(code), Answer::List(codes)) => {
            let chosen = codes.iter().filter_map(num).any(|c| map(c) as i64 == code);
            Cell::Num(if chosen { 1.0 } else { 0.0 })
        }
        (Part::Option(code), a) if item.kind.is_choice() => num(a).map_or(Cell::Missing, |c| {
            Cell::Num(if map(c) as i64 == code { 1.0 } else { 0.0 })
        }),
        (Part::Row(code), Answer::Map(rows)) => rows
            .get(&code.to_string())
            .and_then(num)
            .map_or(Cell::Missing, Cell::Num),
        (Part::Lower | Part::Upper | Part::Approximate, Answer::Text(t)) => {
            match survey_definitions::read_estimate(t) {
                Some(e) => Cell::Num(match part {
                    Part::Lower => e.lower as f64,
                    Part::Upper => e.upper as f64,
                    _ => f64::from(u8::from(e.approximate)),
                }),
                None => Cell::Missing,
            }
        }
        (Part::Sum, Answer::Map(rows)) => Cell::Num(rows.values().filter_map(num).sum()),
        (Part::Rows, Answer::List(rows)) => Cell::Num(rows.len() as f64),
        (Part::Sum, Answer::List(rows)) => Cell::Num(
            rows.iter()
                .filter_map(|r| match r {
                    Answer::Map(m) => Some(m.values().filter_map(|v| match v {
                        Answer::Number(n) => Some(*n),
                        _ => None,
                    })),
                    _ => None,
                })
                .flatten()
                .sum(),
        ),
        (Part::Field(row, column), Answer::List(rows)) => {
            let ItemKind::Roster { columns, .. } = &item.kind else {
                return Cell::Missing;
            };
            let field =
                columns
                    .get(column as usize)
                    .and_then(|c| match rows.get(row as usize - 1) {
                        Some(Answer::Map(m)) => m.get(&c.key),
                        _ => None,
                    });
            match field {
                Some(Answer::Number(n)) => Cell::Num(*n),
                Some(Answer::Text(t)) if !t.is_empty() => Cell::Text(t.clone()),
                _ => Cell::Missing,
            }
        }
        (Part::Lower, Answer::Map(m)) => m
            .get("lower")
            .and_then(num)
            .map_or(Cell::Missing, Cell::Num),
        (Part::Upper, Answer::Map(m)) => m
            .get("upper")
            .and_then(num)
            .map_or(Cell::Missing, Cell::Num),
        _ => Cell::Missing,
    }
}
