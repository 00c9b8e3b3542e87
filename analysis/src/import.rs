//! CSV import of respondents, the reverse of the data export's naming
//! ([`crate::dataset::variables`]): each column is an item's part, and the
//! cells become answers the engine normalises.

use std::collections::BTreeMap;

use survey_definitions::{Answer, ItemKind, RegistryKind, SurveyDefinition, normalize};

use crate::AnalysisError;
use crate::dataset::{Part, Registry, Source, variables};
use crate::export::{CLEANING_COLUMNS, NOT_ASKED_CODE};

/// One imported respondent.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// Line in the file (1 is the header).
    pub line: usize,
    /// Municipality number.
    pub municipality: String,
    /// District number, if the definition has a district item.
    pub district: Option<String>,
    /// Answers by item id, normalised by the engine.
    pub answers: BTreeMap<String, Answer>,
}

/// Reads respondents from CSV: one row per respondent, columns named by
/// export variable (see [`crate::dataset`]), `,` or `;` separated, UTF-8
/// with or without a byte-order mark. Every bad row is reported with its
/// line; if any is bad, the result is [`AnalysisError::Rows`]. Columns the
/// dataset derives (concepts, derived variables, cleaning columns) are
/// ignored, and a numeric cell of [`NOT_ASKED_CODE`] reads as not
/// answered, so an export can be imported again.
pub fn parse(
    def: &SurveyDefinition,
    registry: &Registry,
    bytes: &[u8],
) -> Result<Vec<ImportRow>, AnalysisError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| AnalysisError::Input(format!("the file is not UTF-8: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AnalysisError::Input(format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let vars = variables(def);
    let mut columns = Vec::new();
    let mut unknown = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match vars.iter().find(|v| &v.name == h) {
            // Variables analysis derives (concepts, derived, the key) are ignored on import.
            Some(v) => {
                if let Source::Item { item, part } = &v.source {
                    columns.push((i, item.clone(), *part));
                }
            }
            None if CLEANING_COLUMNS.contains(&h.as_str()) => {}
            None => unknown.push(h.clone()),
        }
    }
    if !unknown.is_empty() {
        return Err(AnalysisError::Rows(vec![format!(
            "line 1: unknown column(s) {}; columns are named by the codebook's variables",
            unknown.join(", ")
        )]));
    }
    let registry_item = |kind: RegistryKind| {
        def.items
            .iter()
            .find(|i| matches!(&i.kind, ItemKind::Registry { registry, .. } if *registry == kind))
            .map(|i| i.id.clone())
    };
    let district_item = registry_item(RegistryKind::District);
    let municipality_item = registry_item(RegistryKind::Municipality)
        .ok_or_else(|| AnalysisError::Input("the definition has no municipality item".into()))?;
    if !columns
        .iter()
        .any(|(_, item, _)| *item == municipality_item)
    {
        return Err(AnalysisError::Rows(vec![format!(
            "line 1: no column for the municipality ({})",
            def.item(&municipality_item)
                .map_or("kommune", |i| i.variable.as_str())
        )]));
    }
    let not_asked = NOT_ASKED_CODE.to_string();
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let mut raw: BTreeMap<String, Answer> = BTreeMap::new();
        let mut row_errors = Vec::new();
        for (i, item_id, part) in &columns {
            let cell = record.get(*i).unwrap_or("").trim();
            if cell.is_empty() || (*part != Part::Whole && cell == not_asked) {
                continue;
            }
            let column = &headers[*i];
            match part {
                Part::Whole
                    if cell == not_asked
                        && def.item(item_id).is_none_or(|i| i.kind.shape() != "text") => {}
                Part::Whole => {
                    raw.insert(item_id.clone(), Answer::Text(cell.to_owned()));
                }
                Part::Option(code) => {
                    let list = raw
                        .entry(item_id.clone())
                        .or_insert_with(|| Answer::List(Vec::new()));
                    match (cell, list) {
                        ("1", Answer::List(l)) => l.push(Answer::Number(*code as f64)),
                        ("0", _) => {}
                        _ => row_errors.push(format!(
                            "{column} = {cell:?}: bruk 1 (valgt) eller 0 (ikke valgt)"
                        )),
                    }
                }
                Part::Row(code) => {
                    if let Answer::Map(m) = raw
                        .entry(item_id.clone())
                        .or_insert_with(|| Answer::Map(BTreeMap::new()))
                    {
                        m.insert(code.to_string(), Answer::Text(cell.to_owned()));
                    }
                }
                // Estimates come back from their text; sums and counts
                // are derived.
                Part::Lower | Part::Upper
                    if matches!(
                        def.item(item_id).map(|i| &i.kind),
                        Some(ItemKind::Estimate { .. })
                    ) => {}
                Part::Approximate | Part::Rows | Part::Sum => {}
                Part::Field(row, column) => {
                    let Some(ItemKind::Roster { columns, .. }) = def.item(item_id).map(|i| &i.kind)
                    else {
                        continue;
                    };
                    let Some(c) = columns.get(*column as usize) else {
                        continue;
                    };
                    if let Answer::List(rows) = raw
                        .entry(item_id.clone())
                        .or_insert_with(|| Answer::List(Vec::new()))
                    {
                        while rows.len() < *row as usize {
                            rows.push(Answer::Map(BTreeMap::new()));
                        }
                        if let Answer::Map(m) = &mut rows[*row as usize - 1] {
                            m.insert(c.key.clone(), Answer::Text(cell.to_owned()));
                        }
                    }
                }
                Part::Lower | Part::Upper => {
                    let key = if *part == Part::Lower {
                        "lower"
                    } else {
                        "upper"
                    };
                    if let Answer::Map(m) = raw
                        .entry(item_id.clone())
                        .or_insert_with(|| Answer::Map(BTreeMap::new()))
                    {
                        m.insert(key.to_owned(), Answer::Text(cell.to_owned()));
                    }
                }
            }
        }
        let mut answers = BTreeMap::new();
        for (id, answer) in raw {
            let Some(item) = def.item(&id) else { continue };
            match normalize(item, &answer) {
                Ok(Answer::Null) => {}
                Ok(a) => {
                    answers.insert(id, a);
                }
                Err(message) => {
                    row_errors.push(format!("{} ({}): {message}", item.variable, item.id))
                }
            }
        }
        let municipality = match answers.get(&municipality_item) {
            Some(Answer::Text(m)) if registry.municipalities.contains_key(m) => m.clone(),
            Some(Answer::Text(m)) => {
                row_errors.push(format!(
                    "kommune {m:?} finnes ikke i registeret for {}",
                    registry.year
                ));
                String::new()
            }
            _ => {
                row_errors.push("kommune mangler".into());
                String::new()
            }
        };
        let district = district_item.as_ref().and_then(|d| match answers.get(d) {
            Some(Answer::Text(t)) => Some(t.clone()),
            _ => None,
        });
        if row_errors.is_empty() {
            out.push(ImportRow {
                line,
                municipality,
                district,
                answers,
            });
        } else {
            errors.push(format!("line {line}: {}", row_errors.join("; ")));
        }
    }
    if !errors.is_empty() {
        return Err(AnalysisError::Rows(errors));
    }
    if out.is_empty() {
        return Err(AnalysisError::Rows(vec!["the file has no rows".into()]));
    }
    Ok(out)
}
