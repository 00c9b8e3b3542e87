//! Cross-tabs: any item, concept or derived variable by a grouping, at the
//! respondent or the municipality unit, with the report's tests.
//!
//! JSON contract (`omfang analyse crosstab --format json`): `{"item", "label",
//! "kind", "by", "by_label", "unit", "unit_description", "sample",
//! "sample_description", "registry_year", "n", "groups": [{"key", "label",
//! "n", "unanswered", "not_asked"}], "categories": [{"code", "label"}], "counts": [[...]]
//! (category × group; null where suppressed), "percents": [[...]] (column
//! percentages 0–100), "summaries": [{"key", "n", "mean", "median"}],
//! "tests": [{"name", "category", "statistic", "df", "p", "p_text",
//! "effect_size", "effect_size_name", "method"}], "warnings": [...]}`.
//! With a total asked for, the last group is `{"key": "total", "label":
//! "Totalt"}` (every unit with a group); tests compare the groups only.
//! `unanswered` counts units that were asked and did not answer,
//! `not_asked` units the skip logic never showed the item; neither is in n.
//!
//! | kind | categories | percent of | tests |
//! |---|---|---|---|
//! | `single` (single choice, recode, size class) | codes | units answering, per group | χ² (and Fisher for 2×2) |
//! | `multiple` (multiple choice) | options | units answering, per group | per option: χ² (and Fisher with two groups) |
//! | `grid` (count grid, grid groups) | rows | the group's total count | χ² on pooled counts |
//! | `numeric` (integer, decimal, percent) | – | – | Mann-Whitney (2 groups), Kruskal-Wallis (3+) |

mod binned;
mod render;
mod suppress;
pub use render::Render;
mod select;
mod tabulate;

use crate::AnalysisError;
use crate::clean::{Cleaning, Roles, Sample, Unit, UnitRows, units};
use crate::dataset::{Dataset, Measure, Part, Source, Storage};

pub use binned::{Bin, Binning};
pub use select::resolve;
use select::{by_variable, grouping};
use tabulate::{Input, Tabulation};

pub use api::research::{Category, Crosstab, CrosstabTest, Group, Kind};

/// What to tabulate.
#[derive(Debug, Clone, PartialEq)]
pub struct CrosstabRequest {
    /// Item id, concept key, derived variable or export variable.
    pub item: String,
    /// `service-type`, `size-class`, `county`, `branch`, a variable name,
    /// or `none` (one column, «Alle»).
    pub by: String,
    /// Unit of analysis.
    pub unit: Unit,
    /// Suppress counts from 1 to this number − 1 (publication rule).
    pub suppress_below: Option<u64>,
    /// Add a «Totalt» column.
    pub total: bool,
    /// Put a number into bands, or age ranges into the segments they cover.
    pub bins: Option<Binning>,
}

/// Builds a cross-tab.
pub fn crosstab(
    ds: &Dataset,
    roles: &Roles,
    cleaning: &Cleaning,
    request: &CrosstabRequest,
) -> Result<Crosstab, AnalysisError> {
    let units = units(ds, roles, cleaning, request.unit);
    crosstab_units(ds, roles, cleaning.sample, &units, request)
}

/// The kind of table the variables make.
fn kind_of(vars: &[(usize, &crate::dataset::Variable)], item: &str) -> Result<Kind, AnalysisError> {
    let first = vars[0].1;
    let part = first.source.part();
    Ok(match (first.storage, part) {
        (Storage::Text, _) => {
            return Err(AnalysisError::Input(format!(
                "«{item}» er fritekst, og en krysstabell trenger koder eller tall. Kod svarene under «Koding av fritekst», og tabuler kodene (kf…)."
            )));
        }
        (_, Part::Option(_)) if !matches!(first.source, Source::Derived { .. }) => Kind::Multiple,
        (_, Part::Row(_)) => Kind::Grid,
        _ if vars.len() == 1 && first.measure != Measure::Scale => Kind::Single,
        _ => Kind::Numeric,
    })
}

/// Builds a cross-tab over units computed once (a report computes them
/// once for all its tables).
pub fn crosstab_units(
    ds: &Dataset,
    roles: &Roles,
    sample: Sample,
    units: &[UnitRows],
    request: &CrosstabRequest,
) -> Result<Crosstab, AnalysisError> {
    let vars = resolve(ds, &request.item)?;
    // `none`: one column of every unit.
    let (group_of, mut group_keys, by_label) = if request.by == "none" {
        (
            vec![Some(0); units.len()],
            vec![("alle".to_owned(), "Alle".to_owned())],
            String::new(),
        )
    } else {
        let by_index = by_variable(ds, roles, &request.by)?;
        let by_var = &ds.variables[by_index];
        let (group_of, keys) = grouping(ds, by_var, &ds.columns[by_index], units);
        (group_of, keys, by_var.label.clone())
    };
    let keys: Vec<String> = group_keys.iter().map(|(k, _)| k.clone()).collect();
    let kind = match &request.bins {
        None => kind_of(&vars, &request.item)?,
        Some(Binning::Bands(_)) => Kind::Single,
        Some(Binning::Coverage(_)) => Kind::Multiple,
    };
    let tabulate = |group_of: &[Option<usize>], keys: &[String]| {
        let input = Input {
            ds,
            vars: &vars,
            units,
            group_of,
            keys,
        };
        match (&request.bins, kind) {
            (Some(Binning::Bands(bins)), _) => binned::bands(&input, bins),
            (Some(Binning::Coverage(bins)), _) => binned::coverage(&input, bins),
            (None, Kind::Single) => tabulate::single(&input),
            (None, Kind::Multiple) => tabulate::multiple(&input),
            (None, Kind::Grid) => tabulate::grid(&input),
            (None, Kind::Numeric) => tabulate::numeric(&input, &request.item),
        }
    };
    let mut t = tabulate(&group_of, &keys);
    let mut empty = empties(ds, &vars, units, &group_of, keys.len());
    if request.total {
        let all: Vec<Option<usize>> = group_of.iter().map(|g| g.map(|_| 0)).collect();
        let whole = tabulate(&all, &["total".to_owned()]);
        append_total(&mut t, whole);
        let sum = empty.iter().fold((0, 0), |a, e| (a.0 + e.0, a.1 + e.1));
        empty.push(sum);
        group_keys.push(("total".into(), "Totalt".into()));
    }
    // Units with no value for the grouping are in no column: say so.
    let outside = group_of.iter().filter(|g| g.is_none()).count();
    if outside > 0 && request.by != "none" {
        t.warnings.push(format!(
            "{outside} enhet(er) uten svar på grupperingen ({}) er ikke med i tabellen",
            if by_label.is_empty() {
                request.by.as_str()
            } else {
                by_label.as_str()
            }
        ));
    }
    let label = item_label(vars[0].1, vars.len());
    finish(
        request, ds, sample, label, kind, &by_label, group_keys, empty, t,
    )
}

/// Per group: units asked that did not answer, and units not asked.
fn empties(
    ds: &Dataset,
    vars: &[(usize, &crate::dataset::Variable)],
    units: &[UnitRows],
    group_of: &[Option<usize>],
    groups: usize,
) -> Vec<(u64, u64)> {
    let mut out = vec![(0, 0); groups];
    for (u, g) in units.iter().zip(group_of) {
        let Some(g) = g else { continue };
        let answered = vars
            .iter()
            .any(|(vi, v)| select::unit_value(v, &ds.columns[*vi], u).is_some());
        if answered {
            continue;
        }
        let not_asked = u
            .rows
            .iter()
            .all(|&r| vars.iter().all(|(vi, _)| ds.columns[*vi].is_not_asked(r)));
        if not_asked {
            out[*g].1 += 1;
        } else {
            out[*g].0 += 1;
        }
    }
    out
}

/// Appends the one-group tabulation `whole` as the last column of `t`.
fn append_total(t: &mut Tabulation, whole: Tabulation) {
    t.n.extend(whole.n);
    for (row, extra) in t.counts.iter_mut().zip(whole.counts) {
        row.extend(extra);
    }
    for (row, extra) in t.percents.iter_mut().zip(whole.percents) {
        row.extend(extra);
    }
    t.summaries.extend(whole.summaries);
}

fn item_label(first: &crate::dataset::Variable, parts: usize) -> String {
    if parts > 1 {
        first
            .label
            .rsplit_once(": ")
            .map_or(first.label.clone(), |(l, _)| l.to_owned())
    } else {
        first.label.clone()
    }
}

#[allow(clippy::too_many_arguments)]
fn finish(
    request: &CrosstabRequest,
    ds: &Dataset,
    sample: Sample,
    label: String,
    kind: Kind,
    by_label: &str,
    groups: Vec<(String, String)>,
    empty: Vec<(u64, u64)>,
    t: Tabulation,
) -> Result<Crosstab, AnalysisError> {
    let Tabulation {
        categories,
        counts,
        n,
        percents,
        summaries,
        tests,
        mut warnings,
    } = t;
    let mut shown_counts: Vec<Vec<Option<u64>>> = counts
        .iter()
        .map(|r| r.iter().map(|&c| Some(c)).collect())
        .collect();
    let mut shown_percents = percents;
    if let Some(k) = request.suppress_below {
        let (hide, primary, secondary) =
            suppress::hidden(&counts, k, request.total, kind == Kind::Single);
        for (r, row) in hide.iter().enumerate() {
            for (c, &h) in row.iter().enumerate() {
                if h {
                    shown_counts[r][c] = None;
                    shown_percents[r][c] = None;
                }
            }
        }
        if primary > 0 {
            warnings.push(format!("{primary} celle(r) med færre enn {k} er skjult"));
        }
        if secondary > 0 {
            warnings.push(format!(
                "{secondary} celle(r) til er skjult så de skjulte ikke kan regnes ut fra summene"
            ));
        }
    }
    warnings.dedup();
    let grouped = if request.total { n.len() - 1 } else { n.len() };
    Ok(Crosstab {
        item: request.item.clone(),
        label,
        kind,
        by: request.by.clone(),
        by_label: by_label.to_owned(),
        unit: request.unit.name().into(),
        unit_description: request.unit.description().into(),
        sample: sample.name().into(),
        sample_description: sample.description().into(),
        registry_year: ds.registry_year,
        n: n[..grouped].iter().sum(),
        groups: groups
            .into_iter()
            .zip(n)
            .zip(empty)
            .map(|(((key, label), n), (unanswered, not_asked))| Group {
                key,
                label,
                n,
                unanswered,
                not_asked,
            })
            .collect(),
        categories,
        counts: shown_counts,
        percents: shown_percents,
        summaries,
        tests,
        warnings,
    })
}
