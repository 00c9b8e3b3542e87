//! Cross-tabs: any item, concept or derived variable by a grouping, at the
//! respondent or the municipality unit, with the report's tests.
//!
//! JSON contract (`omfang analyse crosstab --format json`): `{"item", "label",
//! "kind", "by", "by_label", "unit", "unit_description", "groups": [{"key",
//! "label", "n"}], "categories": [{"code", "label"}], "counts": [[...]]
//! (category × group; null where suppressed), "percents": [[...]] (column
//! percentages 0–100), "summaries": [{"key", "n", "mean", "median"}],
//! "tests": [{"name", "category", "statistic", "df", "p", "p_text",
//! "effect_size", "effect_size_name", "method"}], "warnings": [...]}`.
//!
//! | kind | categories | percent of | tests |
//! |---|---|---|---|
//! | `single` (single choice, recode, size class) | codes | units answering, per group | χ² (and Fisher for 2×2) |
//! | `multiple` (multiple choice) | options | units answering, per group | per option: χ² (and Fisher with two groups) |
//! | `grid` (count grid, grid groups) | rows | the group's total count | χ² on pooled counts |
//! | `numeric` (integer, decimal, percent) | – | – | Mann-Whitney (2 groups), Kruskal-Wallis (3+) |

use std::collections::BTreeMap;

use serde::Serialize;

use crate::clean::{Cleaning, Roles, Unit, UnitRows, units};
use crate::dataset::{Aggregate, Column, Dataset, Measure, Part, Source, Storage, Variable};
use crate::{AnalysisError, format, stats};

/// A group (column of the table).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Code or key.
    pub key: String,
    /// Label.
    pub label: String,
    /// Units in the group that answered the item.
    pub n: u64,
}

/// A category (row of the table).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    /// Code (option, row or group code).
    pub code: i64,
    /// Label.
    pub label: String,
}

/// One test in a cross-tab.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrosstabTest {
    /// `chi2`, `fisher`, `mannwhitney` or `kruskal`.
    pub name: String,
    /// The option tested (multiple choice), else null.
    pub category: Option<i64>,
    /// Test statistic.
    pub statistic: f64,
    /// Degrees of freedom, if any.
    pub df: Option<f64>,
    /// p-value.
    pub p: f64,
    /// p as the report writes it.
    pub p_text: String,
    /// Effect size.
    pub effect_size: f64,
    /// Its name.
    pub effect_size_name: String,
    /// `exact` or `asymptotic`.
    pub method: stats::Method,
}

/// A finished cross-tab: the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crosstab {
    /// What was tabulated (item id, concept key or variable name).
    pub item: String,
    /// Its label.
    pub label: String,
    /// `single`, `multiple`, `grid` or `numeric`.
    pub kind: &'static str,
    /// The grouping asked for.
    pub by: String,
    /// Its label.
    pub by_label: String,
    /// Unit name.
    pub unit: &'static str,
    /// Unit description (Norwegian).
    pub unit_description: &'static str,
    /// Groups in order.
    pub groups: Vec<Group>,
    /// Categories in order.
    pub categories: Vec<Category>,
    /// Counts, category × group; `None` where suppressed.
    pub counts: Vec<Vec<Option<u64>>>,
    /// Column percentages, category × group; `None` where suppressed or n = 0.
    pub percents: Vec<Vec<Option<f64>>>,
    /// Numeric items: n, mean and median per group.
    pub summaries: Vec<stats::GroupSummary>,
    /// Tests.
    pub tests: Vec<CrosstabTest>,
    /// Warnings (small expected counts, suppression, …).
    pub warnings: Vec<String>,
}

/// What to tabulate.
#[derive(Debug, Clone, PartialEq)]
pub struct CrosstabRequest {
    /// Item id, concept key, derived variable or export variable.
    pub item: String,
    /// `service-type`, `size-class`, `county`, `branch` or a variable name.
    pub by: String,
    /// Unit of analysis.
    pub unit: Unit,
    /// Suppress counts from 1 to this number − 1 (publication rule).
    pub suppress_below: Option<u64>,
}

/// The variables an item/concept/derived name or variable name refers to.
fn resolve<'a>(ds: &'a Dataset, name: &str) -> Result<Vec<(usize, &'a Variable)>, AnalysisError> {
    let mut found = ds.variables_of(name);
    if found.is_empty() {
        // A concept or derived name given by its variable (k_arenaer) or an export variable.
        let by_prefix: Vec<usize> = ds
            .variables
            .iter()
            .enumerate()
            .filter(|(_, v)| match &v.source {
                Source::Concept { part, .. }
                | Source::Item { part, .. }
                | Source::Derived { part, .. } => {
                    v.name == name
                        || (*part != Part::Whole
                            && v.name
                                .strip_prefix(name)
                                .is_some_and(|rest| rest.starts_with('_')))
                }
                Source::Key => false,
            })
            .map(|(i, _)| i)
            .collect();
        found = by_prefix;
    }
    if found.is_empty() {
        return Err(AnalysisError::Input(format!(
            "no item, concept or variable named {name:?}"
        )));
    }
    Ok(found.into_iter().map(|i| (i, &ds.variables[i])).collect())
}

fn by_variable(ds: &Dataset, roles: &Roles, by: &str) -> Result<usize, AnalysisError> {
    let name = match by {
        "service-type" => roles.service_type.clone().ok_or_else(|| {
            AnalysisError::Input("the definition declares no service-type variable".into())
        })?,
        "size-class" => roles.size_class.clone().ok_or_else(|| {
            AnalysisError::Input("the definition declares no size-class variable".into())
        })?,
        "county" => roles.county.clone().ok_or_else(|| {
            AnalysisError::Input("the definition declares no county variable".into())
        })?,
        "branch" => roles.gate.clone(),
        other => other.to_owned(),
    };
    ds.variables
        .iter()
        .position(|v| v.name == name)
        .ok_or(AnalysisError::UnknownColumn(name))
}

/// The value of a variable for a unit: the respondent's own, or at the
/// municipality unit aggregated over the respondents that gave the
/// municipality its service type — flags: any; counts and numbers: sum;
/// percentages: mean; age bounds: lowest lower, highest upper; codes and
/// text: the first respondent's (by key).
fn unit_value(v: &Variable, c: &Column, u: &UnitRows) -> Option<f64> {
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

/// Builds a cross-tab.
pub fn crosstab(
    ds: &Dataset,
    roles: &Roles,
    cleaning: &Cleaning,
    request: &CrosstabRequest,
) -> Result<Crosstab, AnalysisError> {
    let units = units(ds, roles, cleaning, request.unit);
    crosstab_units(ds, roles, &units, request)
}

/// The group of each unit (an index into the returned keys), the keys in
/// order (value labels first, then other observed values in natural
/// order), and their labels.
fn grouping(
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

/// Builds a cross-tab over units computed once (a report computes them
/// once for all its tables).
pub fn crosstab_units(
    ds: &Dataset,
    roles: &Roles,
    units: &[UnitRows],
    request: &CrosstabRequest,
) -> Result<Crosstab, AnalysisError> {
    let vars = resolve(ds, &request.item)?;
    let by_index = by_variable(ds, roles, &request.by)?;
    let by_var = &ds.variables[by_index];
    let by_col = &ds.columns[by_index];
    let (group_of, group_keys) = grouping(ds, by_var, by_col, units);
    let keys: Vec<String> = group_keys.iter().map(|(k, _)| k.clone()).collect();
    let g = keys.len();

    let first = vars[0].1;
    let kind = match (&first.source, first.storage) {
        (_, Storage::Text) => {
            return Err(AnalysisError::Input(format!(
                "{} is text; cross-tabs need codes or numbers",
                request.item
            )));
        }
        (
            Source::Item {
                part: Part::Option(_),
                ..
            }
            | Source::Concept {
                part: Part::Option(_),
                ..
            },
            _,
        ) => "multiple",
        (
            Source::Item {
                part: Part::Row(_), ..
            }
            | Source::Concept {
                part: Part::Row(_), ..
            }
            | Source::Derived {
                part: Part::Row(_), ..
            },
            _,
        ) => "grid",
        _ if vars.len() == 1 && first.measure == Measure::Scale => "numeric",
        _ if vars.len() == 1 => "single",
        _ => "numeric_parts",
    };
    let label = item_label(first, vars.len());
    let mut warnings = Vec::new();
    let mut categories = Vec::new();
    let mut counts: Vec<Vec<u64>> = Vec::new();
    let mut n = vec![0u64; g];
    let mut summaries = Vec::new();
    let mut tests = Vec::new();

    match kind {
        "single" => {
            let (vi, v) = vars[0];
            let col = &ds.columns[vi];
            let mut codes: Vec<i64> = v.value_labels.iter().map(|(c, _)| *c).collect();
            let mut table: BTreeMap<i64, Vec<u64>> = BTreeMap::new();
            for (u, group) in units.iter().zip(&group_of) {
                let (Some(group), Some(x)) = (group, unit_value(v, col, u)) else {
                    continue;
                };
                let gi = *group;
                n[gi] += 1;
                table.entry(x as i64).or_insert_with(|| vec![0; g])[gi] += 1;
            }
            for c in table.keys() {
                if !codes.contains(c) {
                    codes.push(*c);
                }
            }
            for c in codes {
                categories.push(Category {
                    code: c,
                    label: v
                        .value_labels
                        .iter()
                        .find(|(k, _)| *k == c)
                        .map_or(c.to_string(), |(_, l)| l.clone()),
                });
                counts.push(table.remove(&c).unwrap_or_else(|| vec![0; g]));
            }
            tests.extend(table_tests(&counts, None, &mut warnings));
        }
        "multiple" => {
            let answered: Vec<bool> = units
                .iter()
                .map(|u| {
                    vars.iter()
                        .any(|(vi, v)| unit_value(v, &ds.columns[*vi], u).is_some())
                })
                .collect();
            for (u, (group, ok)) in units.iter().zip(group_of.iter().zip(&answered)) {
                if let (Some(group), true) = (group, ok) {
                    let _ = u;
                    n[*group] += 1;
                }
            }
            for (vi, v) in &vars {
                let col = &ds.columns[*vi];
                let mut row = vec![0u64; g];
                for (u, (group, ok)) in units.iter().zip(group_of.iter().zip(&answered)) {
                    if let (Some(group), true) = (group, ok)
                        && unit_value(v, col, u) == Some(1.0)
                    {
                        row[*group] += 1;
                    }
                }
                let code = match &v.source {
                    Source::Item {
                        part: Part::Option(c),
                        ..
                    }
                    | Source::Concept {
                        part: Part::Option(c),
                        ..
                    } => *c,
                    _ => 0,
                };
                categories.push(Category {
                    code,
                    label: v
                        .label
                        .rsplit_once(": ")
                        .map_or(v.label.clone(), |(_, l)| l.to_owned()),
                });
                // chosen / not chosen × group
                let not: Vec<u64> = (0..g).map(|i| n[i] - row[i]).collect();
                let mut option_warnings = Vec::new();
                tests.extend(table_tests(
                    &[row.clone(), not],
                    Some(code),
                    &mut option_warnings,
                ));
                for w in option_warnings {
                    warnings.push(format!(
                        "{}: {w}",
                        categories.last().map_or("", |c| c.label.as_str())
                    ));
                }
                counts.push(row);
            }
        }
        "grid" => {
            let mut totals = vec![0u64; g];
            let answered: Vec<bool> = units
                .iter()
                .map(|u| {
                    vars.iter()
                        .any(|(vi, v)| unit_value(v, &ds.columns[*vi], u).is_some())
                })
                .collect();
            for (group, ok) in group_of.iter().zip(&answered) {
                if let (Some(group), true) = (group, ok) {
                    n[*group] += 1;
                }
            }
            for (vi, v) in &vars {
                let col = &ds.columns[*vi];
                let mut row = vec![0u64; g];
                for (u, group) in units.iter().zip(&group_of) {
                    if let (Some(group), Some(x)) = (group, unit_value(v, col, u)) {
                        let gi = *group;
                        row[gi] += x.max(0.0) as u64;
                        totals[gi] += x.max(0.0) as u64;
                    }
                }
                let code = match &v.source {
                    Source::Item {
                        part: Part::Row(c), ..
                    }
                    | Source::Concept {
                        part: Part::Row(c), ..
                    }
                    | Source::Derived {
                        part: Part::Row(c), ..
                    } => *c,
                    _ => 0,
                };
                categories.push(Category {
                    code,
                    label: v
                        .label
                        .rsplit_once(": ")
                        .map_or(v.label.clone(), |(_, l)| l.to_owned()),
                });
                counts.push(row);
            }
            tests.extend(table_tests(&counts, None, &mut warnings));
            // Percent of the group's pooled count, not of units.
            let percents = percent_table(&counts, &totals);
            return finish(
                request,
                ds,
                label,
                kind,
                by_var,
                group_keys.clone(),
                n,
                categories,
                counts,
                percents,
                summaries,
                tests,
                warnings,
            );
        }
        _ => {
            // numeric (one variable) or several numeric parts (age range): each part summarised.
            let mut per_group: Vec<Vec<f64>> = vec![Vec::new(); g];
            let (vi, v) = vars[0];
            let col = &ds.columns[vi];
            for (u, group) in units.iter().zip(&group_of) {
                if let (Some(group), Some(x)) = (group, unit_value(v, col, u)) {
                    per_group[*group].push(x);
                }
            }
            for (i, values) in per_group.iter().enumerate() {
                n[i] = values.len() as u64;
                summaries.push(stats::summarise(&keys[i], values));
            }
            if vars.len() > 1 {
                warnings.push(format!(
                    "{} har flere deler; bare {} er oppsummert",
                    request.item, v.name
                ));
            }
            let non_empty: Vec<&[f64]> = per_group
                .iter()
                .filter(|v| !v.is_empty())
                .map(Vec::as_slice)
                .collect();
            let result = match non_empty.len() {
                0 | 1 => None,
                2 => stats::mann_whitney(non_empty[0], non_empty[1]).ok(),
                _ => stats::kruskal_wallis(&non_empty).ok(),
            };
            if let Some(r) = result {
                warnings.extend(r.warnings.iter().cloned());
                tests.push(summary(&r, None));
            }
        }
    }
    let percents = percent_table(&counts, &n);
    finish(
        request,
        ds,
        label,
        kind,
        by_var,
        group_keys.clone(),
        n,
        categories,
        counts,
        percents,
        summaries,
        tests,
        warnings,
    )
}

fn item_label(first: &Variable, parts: usize) -> String {
    if parts > 1 {
        first
            .label
            .rsplit_once(": ")
            .map_or(first.label.clone(), |(l, _)| l.to_owned())
    } else {
        first.label.clone()
    }
}

fn percent_table(counts: &[Vec<u64>], n: &[u64]) -> Vec<Vec<Option<f64>>> {
    counts
        .iter()
        .map(|row| {
            row.iter()
                .zip(n)
                .map(|(&c, &n)| (n > 0).then(|| 100.0 * c as f64 / n as f64))
                .collect()
        })
        .collect()
}

fn table_tests(
    table: &[Vec<u64>],
    category: Option<i64>,
    warnings: &mut Vec<String>,
) -> Vec<CrosstabTest> {
    let mut out = Vec::new();
    if let Ok(r) = stats::chi_square(table) {
        warnings.extend(r.warnings.iter().cloned());
        out.push(summary(&r, category));
    }
    let rows = table.iter().filter(|r| r.iter().any(|&c| c > 0)).count();
    let cols = (0..table.first().map_or(0, Vec::len))
        .filter(|&c| table.iter().any(|r| r[c] > 0))
        .count();
    if table.len() == 2 && table[0].len() == 2 && rows == 2 && cols == 2 {
        let r = stats::fisher_exact([[table[0][0], table[0][1]], [table[1][0], table[1][1]]]);
        out.push(summary(&r, category));
    }
    out
}

fn summary(r: &stats::TestResult, category: Option<i64>) -> CrosstabTest {
    CrosstabTest {
        name: r.test.to_owned(),
        category,
        statistic: r.statistic,
        df: r.df,
        p: r.p,
        p_text: format::p_value(r.p),
        effect_size: r.effect_size,
        effect_size_name: r.effect_size_name.to_owned(),
        method: r.method,
    }
}

#[allow(clippy::too_many_arguments)]
fn finish(
    request: &CrosstabRequest,
    _ds: &Dataset,
    label: String,
    kind: &'static str,
    by_var: &Variable,
    groups: Vec<(String, String)>,
    n: Vec<u64>,
    categories: Vec<Category>,
    counts: Vec<Vec<u64>>,
    percents: Vec<Vec<Option<f64>>>,
    summaries: Vec<stats::GroupSummary>,
    tests: Vec<CrosstabTest>,
    mut warnings: Vec<String>,
) -> Result<Crosstab, AnalysisError> {
    let mut shown_counts: Vec<Vec<Option<u64>>> = counts
        .iter()
        .map(|r| r.iter().map(|&c| Some(c)).collect())
        .collect();
    let mut shown_percents = percents;
    if let Some(k) = request.suppress_below {
        let mut suppressed = 0;
        for (r, row) in counts.iter().enumerate() {
            for (c, &count) in row.iter().enumerate() {
                if count > 0 && count < k {
                    shown_counts[r][c] = None;
                    shown_percents[r][c] = None;
                    suppressed += 1;
                }
            }
        }
        if suppressed > 0 {
            warnings.push(format!("{suppressed} celle(r) med færre enn {k} er skjult"));
        }
    }
    warnings.dedup();
    Ok(Crosstab {
        item: request.item.clone(),
        label,
        kind: if kind == "numeric_parts" {
            "numeric"
        } else {
            kind
        },
        by: request.by.clone(),
        by_label: by_var.label.clone(),
        unit: request.unit.name(),
        unit_description: request.unit.description(),
        groups: groups
            .into_iter()
            .zip(n)
            .map(|((key, label), n)| Group { key, label, n })
            .collect(),
        categories,
        counts: shown_counts,
        percents: shown_percents,
        summaries,
        tests,
        warnings,
    })
}

impl Crosstab {
    /// The table as text for the terminal, percentages as the report writes them.
    pub fn to_table(&self) -> String {
        let mut out = format!(
            "{} × {}\n{}\n\n",
            self.label, self.by_label, self.unit_description
        );
        let mut header = vec![String::new()];
        header.extend(
            self.groups
                .iter()
                .map(|g| format!("{} (n = {})", g.label, g.n)),
        );
        let mut rows = vec![header];
        if self.kind == "numeric" {
            for (label, f) in [("n", 0), ("Gjennomsnitt", 1), ("Median", 2)] {
                let mut row = vec![label.to_owned()];
                row.extend(self.summaries.iter().map(|s| match f {
                    0 => s.n.to_string(),
                    1 => format::decimal(s.mean, 2),
                    _ => format::decimal(s.median, 2),
                }));
                rows.push(row);
            }
        } else {
            for (i, c) in self.categories.iter().enumerate() {
                let mut row = vec![c.label.clone()];
                row.extend((0..self.groups.len()).map(|g| {
                    match (self.counts[i][g], self.percents[i][g]) {
                        (Some(count), Some(p)) => {
                            format!("{} ({count})", format::percent(p / 100.0))
                        }
                        (Some(count), None) => count.to_string(),
                        _ => "–".to_owned(),
                    }
                }));
                rows.push(row);
            }
        }
        let widths: Vec<usize> = (0..rows[0].len())
            .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        for row in &rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (cell, w))| {
                    let pad = w - cell.chars().count();
                    if i == 0 {
                        format!("{cell}{}", " ".repeat(pad))
                    } else {
                        format!("{}{cell}", " ".repeat(pad))
                    }
                })
                .collect();
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        }
        if !self.tests.is_empty() {
            out.push('\n');
        }
        for t in &self.tests {
            let option = t
                .category
                .and_then(|c| self.categories.iter().find(|k| k.code == c))
                .map(|k| format!(" [{}]", k.label))
                .unwrap_or_default();
            out.push_str(&format!(
                "{}{option}: {} = {}{}, {}, {} = {}\n",
                t.name,
                match t.name.as_str() {
                    "chi2" => "χ²",
                    "fisher" => "OR",
                    "mannwhitney" => "U",
                    "kruskal" => "H",
                    _ => "stat",
                },
                format::decimal(t.statistic, 2),
                t.df.map(|d| format!(" (df = {d})")).unwrap_or_default(),
                t.p_text,
                t.effect_size_name,
                format::decimal(t.effect_size, 2)
            ));
        }
        for w in &self.warnings {
            out.push_str(&format!("Advarsel: {w}\n"));
        }
        out
    }

    /// The table as CSV rows: category, then count and percent per group.
    pub fn to_csv(&self, delimiter: u8) -> Result<Vec<u8>, AnalysisError> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_writer(Vec::new());
        let decimal = |x: f64| {
            if delimiter == b';' {
                format::decimal(x, 1)
            } else {
                format!("{x:.1}")
            }
        };
        let mut header = vec!["kode".to_owned(), "kategori".to_owned()];
        for g in &self.groups {
            header.push(format!("{} antall", g.label));
            header.push(format!("{} prosent", g.label));
        }
        w.write_record(&header)?;
        if self.kind == "numeric" {
            for s in &self.summaries {
                w.write_record([
                    s.key.clone(),
                    format!("n={}", s.n),
                    decimal(s.mean),
                    decimal(s.median),
                ])
                .ok();
            }
        }
        for (i, c) in self.categories.iter().enumerate() {
            let mut row = vec![c.code.to_string(), c.label.clone()];
            for g in 0..self.groups.len() {
                row.push(self.counts[i][g].map_or(String::new(), |c| c.to_string()));
                row.push(self.percents[i][g].map_or(String::new(), decimal));
            }
            w.write_record(&row)?;
        }
        let mut n_row = vec![String::new(), "n".to_owned()];
        for g in &self.groups {
            n_row.push(g.n.to_string());
            n_row.push(String::new());
        }
        w.write_record(&n_row)?;
        w.into_inner().map_err(|e| AnalysisError::Io {
            context: "writing CSV".into(),
            source: e.into_error(),
        })
    }
}
