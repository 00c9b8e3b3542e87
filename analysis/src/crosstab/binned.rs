//! Numbers in declared intervals (bands: each unit in one) and age ranges
//! covering declared segments (each unit in every segment its range
//! overlaps), tabulated like single and multiple choices.

use serde::{Deserialize, Serialize};

use super::Category;
use super::tabulate::{Input, Tabulation, percent_table, table_tests};

/// An interval of a band or an age segment; bounds inclusive, open when left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bin {
    /// Label as the report writes it.
    pub label: String,
    /// Lowest value in it.
    pub min: Option<f64>,
    /// Highest value in it.
    pub max: Option<f64>,
}

impl Bin {
    /// True when `x` lies in the interval.
    pub fn contains(&self, x: f64) -> bool {
        self.min.is_none_or(|m| x >= m) && self.max.is_none_or(|m| x <= m)
    }

    /// True when the range `lower..=upper` overlaps the interval.
    pub fn overlaps(&self, lower: f64, upper: f64) -> bool {
        self.min.is_none_or(|m| upper >= m) && self.max.is_none_or(|m| lower <= m)
    }
}

/// How a number is put into intervals.
#[derive(Debug, Clone, PartialEq)]
pub enum Binning {
    /// Each value in the one band that holds it (Figures 27–29).
    Bands(Vec<Bin>),
    /// Each age range in every segment it overlaps (Figure 23); the
    /// variable is an age range (lower and upper part).
    Coverage(Vec<Bin>),
}

/// A number's bands × groups, percent of the units answering; χ².
pub(super) fn bands(input: &Input, bins: &[Bin]) -> Tabulation {
    let g = input.groups();
    let mut out = Tabulation {
        n: vec![0; g],
        counts: vec![vec![0; g]; bins.len()],
        ..Tabulation::default()
    };
    for u in 0..input.units.len() {
        let (Some(gi), Some(x)) = (input.group_of[u], input.value(0, u)) else {
            continue;
        };
        out.n[gi] += 1;
        if let Some(b) = bins.iter().position(|b| b.contains(x)) {
            out.counts[b][gi] += 1;
        }
    }
    out.categories = categories(bins);
    out.tests = table_tests(&out.counts, None, &mut out.warnings);
    out.percents = percent_table(&out.counts, &out.n);
    out
}

/// Age ranges × segments covered × groups, percent of the units that gave
/// both bounds; a test per segment.
pub(super) fn coverage(input: &Input, bins: &[Bin]) -> Tabulation {
    let g = input.groups();
    let mut out = Tabulation {
        n: vec![0; g],
        counts: vec![vec![0; g]; bins.len()],
        ..Tabulation::default()
    };
    for u in 0..input.units.len() {
        let Some(gi) = input.group_of[u] else {
            continue;
        };
        let (Some(lower), Some(upper)) = (input.value(0, u), input.value(1, u)) else {
            continue;
        };
        out.n[gi] += 1;
        for (b, bin) in bins.iter().enumerate() {
            if bin.overlaps(lower, upper) {
                out.counts[b][gi] += 1;
            }
        }
    }
    out.categories = categories(bins);
    for (b, row) in out.counts.iter().enumerate() {
        let not: Vec<u64> = (0..g).map(|i| out.n[i] - row[i]).collect();
        let mut w = Vec::new();
        out.tests
            .extend(table_tests(&[row.clone(), not], Some(b as i64 + 1), &mut w));
        out.warnings
            .extend(w.into_iter().map(|w| format!("{}: {w}", bins[b].label)));
    }
    out.percents = percent_table(&out.counts, &out.n);
    out
}

/// Bands and segments as categories, coded 1, 2, … in order.
fn categories(bins: &[Bin]) -> Vec<Category> {
    bins.iter()
        .enumerate()
        .map(|(i, b)| Category {
            code: i as i64 + 1,
            label: b.label.clone(),
        })
        .collect()
}
