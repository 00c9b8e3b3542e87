//! Columns of a CSV file for `omfang stats`: any CSV with a header row,
//! `,` or `;` separated (the separator is taken from the header line), UTF-8,
//! empty cells as missing, decimal comma accepted.

use std::cmp::Ordering;
use std::io::Read;

use crate::AnalysisError;

/// A CSV file read into memory, addressed by column name.
#[derive(Debug, Clone)]
pub struct CsvColumns {
    headers: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl CsvColumns {
    /// Reads a whole CSV file.
    pub fn read(mut input: impl Read) -> Result<CsvColumns, AnalysisError> {
        let mut bytes = Vec::new();
        input
            .read_to_end(&mut bytes)
            .map_err(AnalysisError::io("reading CSV"))?;
        let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let semicolons = first_line.iter().filter(|&&b| b == b';').count();
        let commas = first_line.iter().filter(|&&b| b == b',').count();
        let delimiter = if semicolons > commas { b';' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(false)
            .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
        let headers = reader
            .headers()?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let rows = reader.records().collect::<Result<Vec<_>, _>>()?;
        Ok(CsvColumns { headers, rows })
    }

    fn index(&self, name: &str) -> Result<usize, AnalysisError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| AnalysisError::UnknownColumn(name.to_owned()))
    }

    /// Counts of `row` × `col` over rows where both are present, with the
    /// categories of each in natural order (numbers numerically).
    pub fn crosstab(&self, row: &str, col: &str) -> Result<CrossCounts, AnalysisError> {
        let (ri, ci) = (self.index(row)?, self.index(col)?);
        let pairs: Vec<(&str, &str)> = self
            .rows
            .iter()
            .map(|r| {
                (
                    r.get(ri).unwrap_or("").trim(),
                    r.get(ci).unwrap_or("").trim(),
                )
            })
            .filter(|(a, b)| !a.is_empty() && !b.is_empty())
            .collect();
        let rows = categories(pairs.iter().map(|p| p.0));
        let cols = categories(pairs.iter().map(|p| p.1));
        let mut counts = vec![vec![0u64; cols.len()]; rows.len()];
        for (a, b) in pairs {
            let r = rows.binary_search_by(|k| natural(k, a)).unwrap_or_default();
            let c = cols.binary_search_by(|k| natural(k, b)).unwrap_or_default();
            counts[r][c] += 1;
        }
        Ok(CrossCounts { rows, cols, counts })
    }

    /// Numeric `value` per group of `group`, over rows where both are
    /// present; groups in natural order. A value that is not a number is a
    /// row-level error.
    pub fn groups(
        &self,
        value: &str,
        group: &str,
    ) -> Result<Vec<(String, Vec<f64>)>, AnalysisError> {
        let (vi, gi) = (self.index(value)?, self.index(group)?);
        let mut errors = Vec::new();
        let mut pairs = Vec::new();
        for (line, r) in self.rows.iter().enumerate() {
            let (v, g) = (
                r.get(vi).unwrap_or("").trim(),
                r.get(gi).unwrap_or("").trim(),
            );
            if v.is_empty() || g.is_empty() {
                continue;
            }
            match number(v) {
                Some(x) => pairs.push((g, x)),
                None => errors.push(format!(
                    "line {}: {value} = {v:?} is not a number",
                    line + 2
                )),
            }
        }
        if !errors.is_empty() {
            return Err(AnalysisError::Rows(errors));
        }
        let keys = categories(pairs.iter().map(|p| p.0));
        let mut groups: Vec<(String, Vec<f64>)> =
            keys.into_iter().map(|k| (k, Vec::new())).collect();
        for (g, x) in pairs {
            if let Ok(i) = groups.binary_search_by(|(k, _)| natural(k, g)) {
                groups[i].1.push(x);
            }
        }
        Ok(groups)
    }

    /// Complete numeric pairs of `x` and `y`.
    pub fn pairs(&self, x: &str, y: &str) -> Result<(Vec<f64>, Vec<f64>), AnalysisError> {
        let (xi, yi) = (self.index(x)?, self.index(y)?);
        let mut errors = Vec::new();
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        for (line, r) in self.rows.iter().enumerate() {
            let (a, b) = (
                r.get(xi).unwrap_or("").trim(),
                r.get(yi).unwrap_or("").trim(),
            );
            if a.is_empty() || b.is_empty() {
                continue;
            }
            match (number(a), number(b)) {
                (Some(a), Some(b)) => {
                    xs.push(a);
                    ys.push(b);
                }
                _ => errors.push(format!(
                    "line {}: {x} = {a:?}, {y} = {b:?}: not numbers",
                    line + 2
                )),
            }
        }
        if !errors.is_empty() {
            return Err(AnalysisError::Rows(errors));
        }
        Ok((xs, ys))
    }
}

/// A two-way table of counts with its category labels.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossCounts {
    /// Row categories in order.
    pub rows: Vec<String>,
    /// Column categories in order.
    pub cols: Vec<String>,
    /// counts[row][col].
    pub counts: Vec<Vec<u64>>,
}

/// Parses a number, accepting a decimal comma.
pub fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    text.parse::<f64>()
        .ok()
        .or_else(|| text.replace(',', ".").parse::<f64>().ok())
        .filter(|x| x.is_finite())
}

/// Natural order of category keys: numbers numerically, then text.
pub fn natural(a: &str, b: &str) -> Ordering {
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

fn categories<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut keys: Vec<String> = values.map(str::to_owned).collect();
    keys.sort_by(|a, b| natural(a, b));
    keys.dedup_by(|a, b| natural(a, b) == Ordering::Equal);
    keys
}
