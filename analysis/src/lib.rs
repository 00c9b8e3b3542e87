//! omfang's analysis: cleaning, derived variables, statistics and exports.
//!
//! This crate does no network I/O and no SQL: it reads answers, the
//! definition and the registry facts it is given, and returns tables and
//! files. Its one error type is [`AnalysisError`].

mod error;

pub mod clean;
pub mod crosstab;
pub mod csv_input;
pub mod dataset;
pub mod declared;
pub mod export;
pub mod figures;
pub mod format;
pub mod import;
pub mod report;
pub mod response_rate;
pub mod stats;
pub mod synthetic;

pub use error::AnalysisError;

/// One test asked of `omfang stats`, naming the CSV columns it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatsRequest {
    /// Pearson χ² of two categorical columns.
    Chi2 {
        /// Row variable.
        row: String,
        /// Column variable.
        col: String,
    },
    /// Fisher's exact test of two columns with two categories each.
    Fisher {
        /// Row variable.
        row: String,
        /// Column variable.
        col: String,
    },
    /// Mann-Whitney U of a numeric column between two groups.
    MannWhitney {
        /// Numeric column.
        value: String,
        /// Grouping column (exactly two groups).
        group: String,
    },
    /// Kruskal-Wallis H of a numeric column across groups.
    Kruskal {
        /// Numeric column.
        value: String,
        /// Grouping column.
        group: String,
    },
    /// Spearman's ρ of two numeric columns.
    Spearman {
        /// First column.
        x: String,
        /// Second column.
        y: String,
    },
}

impl StatsRequest {
    /// The columns the test reads, and how.
    pub fn columns(&self) -> Vec<(&str, csv_input::Want)> {
        use csv_input::Want::{Category, Number};
        match self {
            StatsRequest::Chi2 { row, col } | StatsRequest::Fisher { row, col } => {
                vec![(row, Category), (col, Category)]
            }
            StatsRequest::MannWhitney { value, group } | StatsRequest::Kruskal { value, group } => {
                vec![(value, Number), (group, Category)]
            }
            StatsRequest::Spearman { x, y } => vec![(x, Number), (y, Number)],
        }
    }
}

/// Reads the columns a test uses from a CSV file in one streaming pass and
/// runs the test (`omfang stats`).
pub fn stats_of_csv(
    input: impl std::io::Read,
    request: &StatsRequest,
) -> Result<stats::TestResult, AnalysisError> {
    let csv = csv_input::CsvColumns::read(input, &request.columns())?;
    run_stats(&csv, request)
}

/// Runs one test on the columns of a CSV file. Groups and categories are
/// taken in natural order (numbers numerically); for Mann-Whitney the
/// statistic is U of the first group.
pub fn run_stats(
    csv: &csv_input::CsvColumns,
    request: &StatsRequest,
) -> Result<stats::TestResult, AnalysisError> {
    match request {
        StatsRequest::Chi2 { row, col } => stats::chi_square(&csv.crosstab(row, col)?.counts),
        StatsRequest::Fisher { row, col } => {
            let t = csv.crosstab(row, col)?;
            if t.rows.len() != 2 || t.cols.len() != 2 {
                return Err(AnalysisError::Input(format!(
                    "Fisher's exact test needs a 2×2 table; {row} has {} and {col} has {} categories",
                    t.rows.len(),
                    t.cols.len()
                )));
            }
            let c = &t.counts;
            Ok(stats::fisher_exact([
                [c[0][0], c[0][1]],
                [c[1][0], c[1][1]],
            ]))
        }
        StatsRequest::MannWhitney { value, group } => {
            let groups = csv.groups(value, group)?;
            if groups.len() != 2 {
                return Err(AnalysisError::Input(format!(
                    "Mann-Whitney needs exactly two groups in {group}; found {}: {}",
                    groups.len(),
                    groups
                        .iter()
                        .map(|g| g.0.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            let mut r = stats::mann_whitney(&groups[0].1, &groups[1].1)?;
            r.groups = groups.iter().map(|(k, v)| stats::summarise(k, v)).collect();
            Ok(r)
        }
        StatsRequest::Kruskal { value, group } => {
            let groups = csv.groups(value, group)?;
            let slices: Vec<&[f64]> = groups.iter().map(|g| g.1.as_slice()).collect();
            let mut r = stats::kruskal_wallis(&slices)?;
            r.groups = groups.iter().map(|(k, v)| stats::summarise(k, v)).collect();
            Ok(r)
        }
        StatsRequest::Spearman { x, y } => {
            let (xs, ys) = csv.pairs(x, y)?;
            stats::spearman(&xs, &ys)
        }
    }
}

impl stats::TestResult {
    /// The result as an aligned table with Norwegian labels, for the terminal.
    pub fn to_table(&self) -> String {
        let mut lines = vec![
            ("Test", self.test.to_owned()),
            ("Testobservator", format!("{}", self.statistic)),
            ("p", format!("{} ({})", self.p, format::p_value(self.p))),
            ("df", self.df.map_or("–".into(), |d| d.to_string())),
            (
                "Effektstørrelse",
                format!("{} ({})", self.effect_size, self.effect_size_name),
            ),
            ("n", self.n.to_string()),
            (
                "Metode",
                match self.method {
                    stats::Method::Exact => "eksakt".into(),
                    stats::Method::Asymptotic => "asymptotisk".into(),
                },
            ),
        ];
        for g in &self.groups {
            lines.push((
                "Gruppe",
                format!(
                    "{}: n = {}, gjennomsnitt = {}, median = {}",
                    g.key,
                    g.n,
                    format::decimal(g.mean, 2),
                    format::decimal(g.median, 2)
                ),
            ));
        }
        for w in &self.warnings {
            lines.push(("Advarsel", w.clone()));
        }
        let width = lines.iter().map(|l| l.0.chars().count()).max().unwrap_or(0);
        lines
            .iter()
            .map(|(k, v)| format!("{k:<width$}  {v}\n"))
            .collect()
    }
}

/// SSB's "Standard for klassifisering av kommuner etter innbyggertall",
/// three main classes, as used by the KORUS 2025 report (§2.3). Part of the
/// HTTP contract, so it lives in the API crate.
pub use api::SizeClass;

#[cfg(test)]
mod tests {
    use super::SizeClass;

    #[test]
    fn class_borders_follow_ssb() {
        assert_eq!(SizeClass::of(4_992), SizeClass::Small, "Nord-Odal 2024");
        assert_eq!(SizeClass::of(5_000), SizeClass::Medium);
        assert_eq!(SizeClass::of(19_910), SizeClass::Medium, "Time 2024");
        assert_eq!(SizeClass::of(20_000), SizeClass::Large);
        assert!(SizeClass::Small < SizeClass::Large);
        assert_eq!(
            [SizeClass::Small, SizeClass::Medium, SizeClass::Large].map(SizeClass::code),
            [1, 2, 3]
        );
    }
}
