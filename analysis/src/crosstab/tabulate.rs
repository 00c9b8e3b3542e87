//! One tabulation function per kind of cross-tab. Each takes the units,
//! the group of each unit (`None`: left out) and the number of groups, and
//! returns categories, counts, per-group n, percentages and tests.

use std::collections::BTreeMap;

use super::select::unit_value;
use super::{Category, CrosstabTest};
use crate::clean::UnitRows;
use crate::dataset::{Dataset, Part, Variable};
use crate::{format, stats};

/// What a tabulation produces.
#[derive(Debug, Default)]
pub(super) struct Tabulation {
    pub categories: Vec<Category>,
    pub counts: Vec<Vec<u64>>,
    /// Units answering, per group.
    pub n: Vec<u64>,
    pub percents: Vec<Vec<Option<f64>>>,
    pub summaries: Vec<stats::GroupSummary>,
    pub tests: Vec<CrosstabTest>,
    pub warnings: Vec<String>,
}

/// The input of every tabulation.
pub(super) struct Input<'a> {
    pub ds: &'a Dataset,
    pub vars: &'a [(usize, &'a Variable)],
    pub units: &'a [UnitRows],
    pub group_of: &'a [Option<usize>],
    pub keys: &'a [String],
}

impl Input<'_> {
    pub(super) fn groups(&self) -> usize {
        self.keys.len()
    }

    pub(super) fn value(&self, var: usize, unit: usize) -> Option<f64> {
        let (vi, v) = self.vars[var];
        unit_value(v, &self.ds.columns[vi], &self.units[unit])
    }

    /// Units (index, group) that answered any of the variables.
    fn answering(&self) -> Vec<(usize, usize)> {
        (0..self.units.len())
            .filter_map(|u| {
                let g = self.group_of[u]?;
                (0..self.vars.len())
                    .any(|v| self.value(v, u).is_some())
                    .then_some((u, g))
            })
            .collect()
    }
}

/// The option, row or group code of a part variable.
fn part_code(v: &Variable) -> i64 {
    match v.source.part() {
        Part::Option(c) | Part::Row(c) => c,
        _ => 0,
    }
}

/// The part's own label (after the item label's «: »).
fn part_label(v: &Variable) -> String {
    v.label
        .rsplit_once(": ")
        .map_or(v.label.clone(), |(_, l)| l.to_owned())
}

/// Single choice, recode, size class: codes × groups, percent of units answering.
pub(super) fn single(input: &Input) -> Tabulation {
    let g = input.groups();
    let v = input.vars[0].1;
    let mut out = Tabulation {
        n: vec![0; g],
        ..Tabulation::default()
    };
    let mut codes: Vec<i64> = v.value_labels.iter().map(|(c, _)| *c).collect();
    let mut table: BTreeMap<i64, Vec<u64>> = BTreeMap::new();
    for u in 0..input.units.len() {
        let (Some(gi), Some(x)) = (input.group_of[u], input.value(0, u)) else {
            continue;
        };
        out.n[gi] += 1;
        table.entry(x as i64).or_insert_with(|| vec![0; g])[gi] += 1;
    }
    for c in table.keys() {
        if !codes.contains(c) {
            codes.push(*c);
        }
    }
    for c in codes {
        out.categories.push(Category {
            code: c,
            label: v
                .value_labels
                .iter()
                .find(|(k, _)| *k == c)
                .map_or(c.to_string(), |(_, l)| l.clone()),
        });
        out.counts
            .push(table.remove(&c).unwrap_or_else(|| vec![0; g]));
    }
    out.tests = table_tests(&out.counts, None, &mut out.warnings);
    out.percents = percent_table(&out.counts, &out.n);
    out
}

/// Multiple choice: options × groups, percent of units answering; a test
/// per option (chosen / not chosen × group).
pub(super) fn multiple(input: &Input) -> Tabulation {
    let g = input.groups();
    let mut out = Tabulation {
        n: vec![0; g],
        ..Tabulation::default()
    };
    let answering = input.answering();
    for &(_, gi) in &answering {
        out.n[gi] += 1;
    }
    for (var, (_, v)) in input.vars.iter().enumerate() {
        let mut row = vec![0u64; g];
        for &(u, gi) in &answering {
            if input.value(var, u) == Some(1.0) {
                row[gi] += 1;
            }
        }
        let code = part_code(v);
        let label = part_label(v);
        let not: Vec<u64> = (0..g).map(|i| out.n[i] - row[i]).collect();
        let mut option_warnings = Vec::new();
        out.tests.extend(table_tests(
            &[row.clone(), not],
            Some(code),
            &mut option_warnings,
        ));
        out.warnings
            .extend(option_warnings.into_iter().map(|w| format!("{label}: {w}")));
        out.categories.push(Category { code, label });
        out.counts.push(row);
    }
    out.percents = percent_table(&out.counts, &out.n);
    out
}

/// Count grid and grid groups: rows × groups of pooled counts, percent of
/// the group's total count; χ² on the pooled counts.
pub(super) fn grid(input: &Input) -> Tabulation {
    let g = input.groups();
    let mut out = Tabulation {
        n: vec![0; g],
        ..Tabulation::default()
    };
    for (_, gi) in input.answering() {
        out.n[gi] += 1;
    }
    let mut totals = vec![0u64; g];
    for (var, (_, v)) in input.vars.iter().enumerate() {
        let mut row = vec![0u64; g];
        for u in 0..input.units.len() {
            if let (Some(gi), Some(x)) = (input.group_of[u], input.value(var, u)) {
                row[gi] += x.max(0.0) as u64;
                totals[gi] += x.max(0.0) as u64;
            }
        }
        out.categories.push(Category {
            code: part_code(v),
            label: part_label(v),
        });
        out.counts.push(row);
    }
    out.tests = table_tests(&out.counts, None, &mut out.warnings);
    out.percents = percent_table(&out.counts, &totals);
    out
}

/// A number (or the first part of an age range): n, mean and median per
/// group; Mann-Whitney for two groups, Kruskal-Wallis for more.
pub(super) fn numeric(input: &Input, item: &str) -> Tabulation {
    let g = input.groups();
    let mut out = Tabulation {
        n: vec![0; g],
        ..Tabulation::default()
    };
    let mut per_group: Vec<Vec<f64>> = vec![Vec::new(); g];
    for u in 0..input.units.len() {
        if let (Some(gi), Some(x)) = (input.group_of[u], input.value(0, u)) {
            per_group[gi].push(x);
        }
    }
    for (i, values) in per_group.iter().enumerate() {
        out.n[i] = values.len() as u64;
        out.summaries.push(stats::summarise(&input.keys[i], values));
    }
    if input.vars.len() > 1 {
        out.warnings.push(format!(
            "{item} har flere deler; bare {} er oppsummert",
            input.vars[0].1.name
        ));
    }
    let non_empty: Vec<&[f64]> = per_group
        .iter()
        .filter(|v| !v.is_empty())
        .map(Vec::as_slice)
        .collect();
    // Groups of one unit each (a grouping by district in a survey that
    // has one response per district) leave nothing to compare within.
    let singletons = non_empty.len() >= 2 && non_empty.iter().all(|v| v.len() < 2);
    if singletons {
        out.warnings.push(
            "Ingen test: hver gruppe har bare én enhet, så det er ingen spredning innen gruppene å sammenligne med."
                .into(),
        );
    }
    let result = match non_empty.len() {
        _ if singletons => None,
        0 | 1 => None,
        2 => stats::mann_whitney(non_empty[0], non_empty[1]).ok(),
        _ => stats::kruskal_wallis(&non_empty).ok(),
    };
    if let Some(r) = result {
        out.warnings.extend(r.warnings.iter().cloned());
        out.tests.push(summary(&r, None));
    }
    out
}

/// Column percentages (0–100) of `counts` against `n`; `None` where n = 0.
pub(super) fn percent_table(counts: &[Vec<u64>], n: &[u64]) -> Vec<Vec<Option<f64>>> {
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

/// χ² of a table, and Fisher's exact test when it is 2×2.
pub(super) fn table_tests(
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
