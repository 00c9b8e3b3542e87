//! What a cross-tab reads: the variables a name refers to, the grouping
//! variable, and each unit's value and group.

use std::collections::BTreeMap;

use crate::AnalysisError;
use crate::clean::{Roles, UnitRows};
use crate::dataset::{Aggregate, Column, Dataset, Part, Source, Variable};

/// The variables an item/concept/derived name or variable name refers to.
pub fn resolve<'a>(
    ds: &'a Dataset,
    name: &str,
) -> Result<Vec<(usize, &'a Variable)>, AnalysisError> {
    let mut found = ds.variables_of(name);
    // By its id an item tabulates its main parts: a money grid's rows
    // without their sum, a roster's number of rows, an estimate's bounds.
    // The sums, fields, «cirka» flag and text are variables of their own,
    // by their export names.
    if found.len() > 1 {
        let main: Vec<usize> = found
            .iter()
            .copied()
            .filter(|&i| {
                let v = &ds.variables[i];
                !matches!(
                    v.source.part(),
                    Part::Sum | Part::Approximate | Part::Field(..)
                ) && v.storage != crate::dataset::Storage::Text
            })
            .collect();
        if !main.is_empty() {
            found = main;
        }
    }
    if found.is_empty() {
        // A concept or derived name given by its variable (k_arenaer) or an export variable.
        let by_prefix: Vec<usize> = ds
            .variables
            .iter()
            .enumerate()
            .filter(|(_, v)| match &v.source {
                Source::Key => false,
                source => {
                    v.name == name
                        || (source.part() != Part::Whole
                            && v.name
                                .strip_prefix(name)
                                .is_some_and(|rest| rest.starts_with('_')))
                }
            })
            .map(|(i, _)| i)
            .collect();
        found = by_prefix;
    }
    if found.is_empty() {
        // Researchers read this in the browser: Norwegian.
        return Err(AnalysisError::Input(format!(
            "Ingen spørsmål, begrep eller variabel heter «{name}». Søk i kodeboken etter nummeret, teksten eller variabelnavnet."
        )));
    }
    Ok(found.into_iter().map(|i| (i, &ds.variables[i])).collect())
}

pub(super) fn by_variable(ds: &Dataset, roles: &Roles, by: &str) -> Result<usize, AnalysisError> {
    let name = match by {
        "service-type" => roles.service_type.clone().ok_or_else(|| {
            AnalysisError::Input("Undersøkelsen har ingen variabel for grupperingen «service-type». Velg en annen gruppering.".into())
        })?,
        "size-class" => roles.size_class.clone().ok_or_else(|| {
            AnalysisError::Input("Undersøkelsen har ingen variabel for grupperingen «size-class». Velg en annen gruppering.".into())
        })?,
        "county" => roles.county.clone().ok_or_else(|| {
            AnalysisError::Input("Undersøkelsen har ingen variabel for grupperingen «county». Velg en annen gruppering.".into())
        })?,
        "branch" => roles.gate.clone().ok_or_else(|| {
            AnalysisError::Input("Undersøkelsen har ingen grener (inget inngangsspørsmål). Velg en annen gruppering.".into())
        })?,
        other => other.to_owned(),
    };
    if let Some(i) = ds.variables.iter().position(|v| v.name == name) {
        return Ok(i);
    }
    // An item, concept or derived variable by its id, when it is one variable.
    match resolve(ds, &name)?.as_slice() {
        [(i, _)] => Ok(*i),
        several => Err(AnalysisError::Input(format!(
            "«{name}» er {} variabler (ett per svaralternativ); grupper etter én av dem, for eksempel {}.",
            several.len(),
            several[0].1.name
        ))),
    }
}

/// The value of a variable for a unit: the respondent's own, or at the
/// municipality unit aggregated over the respondents that gave the
/// municipality its service type — flags: any; counts and numbers: sum;
/// percentages: mean; age bounds: lowest lower, highest upper; codes and
/// text: the first respondent's (by key).
pub(super) fn unit_value(v: &Variable, c: &Column, u: &UnitRows) -> Option<f64> {
    if u.rows.len() == 1 {
        return c.number(u.rows[0]);
    }
    let values = u.rows.iter().filter_map(|&r| c.number(r));
    match v.aggregate {
        Aggregate::First => u.rows.first().and_then(|&r| c.number(r)),
        Aggregate::Max => values.reduce(f64::max),
        Aggregate::Min => values.reduce(f64::min),
        Aggregate::Sum => values.reduce(|a, b| a + b),
        Aggregate::Mean => {
            let all: Vec<f64> = values.collect();
            (!all.is_empty()).then(|| all.iter().sum::<f64>() / all.len() as f64)
        }
    }
}

fn unit_text(c: &Column, u: &UnitRows) -> Option<String> {
    u.rows.iter().map(|&r| c.text(r)).find(|t| !t.is_empty())
}

/// The group of each unit (an index into the returned keys), the keys in
/// order (value labels first, then other observed values in natural
/// order), and their labels.
pub(super) fn grouping(
    ds: &Dataset,
    by_var: &Variable,
    by_col: &Column,
    units: &[UnitRows],
) -> (Vec<Option<usize>>, Vec<(String, String)>) {
    let mut keys: Vec<String> = by_var
        .value_labels
        .iter()
        .map(|(c, _)| c.to_string())
        .collect();
    let raw: Vec<Option<String>> = match by_col {
        Column::Text(_) => units.iter().map(|u| unit_text(by_col, u)).collect(),
        _ => {
            // Numbers: look codes up without formatting each unit's value.
            let codes: Vec<Option<i64>> = units
                .iter()
                .map(|u| unit_value(by_var, by_col, u).map(|x| x.round() as i64))
                .collect();
            let mut observed: Vec<i64> = codes
                .iter()
                .flatten()
                .copied()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            observed.retain(|c| !keys.contains(&c.to_string()));
            keys.extend(observed.iter().map(i64::to_string));
            let index: BTreeMap<i64, usize> = keys
                .iter()
                .enumerate()
                .filter_map(|(i, k)| k.parse::<i64>().ok().map(|c| (c, i)))
                .collect();
            let groups = codes
                .iter()
                .map(|c| c.and_then(|c| index.get(&c).copied()))
                .collect();
            return (groups, labelled(ds, by_var, keys));
        }
    };
    let mut observed: Vec<String> = raw.iter().flatten().cloned().collect();
    observed.sort_by(|a, b| crate::csv_input::natural(a, b));
    observed.dedup();
    for k in observed {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let index: BTreeMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let groups = raw
        .iter()
        .map(|k| k.as_deref().and_then(|k| index.get(k).copied()))
        .collect();
    (groups, labelled(ds, by_var, keys))
}

fn labelled(ds: &Dataset, by_var: &Variable, keys: Vec<String>) -> Vec<(String, String)> {
    keys.into_iter()
        .map(|key| {
            let label = by_var
                .value_labels
                .iter()
                .find(|(c, _)| c.to_string() == key)
                .map(|(_, l)| l.clone())
                .or_else(|| ds.county_names.get(&key).cloned())
                .unwrap_or_else(|| key.clone());
            (key, label)
        })
        .collect()
}
