//! The statistical tests of the KORUS report, matched to scipy.
//!
//! Each test returns a [`TestResult`], which is also the JSON contract of
//! `omfang stats`: `{"test", "statistic", "p", "df", "effect_size",
//! "effect_size_name", "n", "method", "warnings", "expected"?, "groups"?}`.
//! Numbers that do not exist (a p-value of constant data, an infinite odds
//! ratio) are `null` in JSON.
//!
//! What each function computes, and which scipy call it agrees with (the
//! scipy agreement test in `tests/it/scipy.rs` checks every one):
//!
//! | function | scipy | statistic | effect size |
//! |---|---|---|---|
//! | [`chi_square`] | `chi2_contingency(t, correction=False)` | Pearson χ² | Cramér's V |
//! | [`fisher_exact`] | `fisher_exact(t)` (two-sided) | sample odds ratio | φ (= V) |
//! | [`mann_whitney`] | `mannwhitneyu(x, y, method="auto")` | U of `x` | r = \|Z\|/√N |
//! | [`kruskal_wallis`] | `kruskal(*groups)` | H, tie-corrected | ε² = H/(N−1) |
//! | [`spearman`] | `spearmanr(x, y)` | ρ | ρ |
//!
//! The distributions come from statrs; ranks, tie terms, the exact
//! Mann-Whitney distribution and Fisher's hypergeometric sums are written
//! here because statrs has no tests, only distributions.

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};

use crate::AnalysisError;

pub use api::research::{GroupSummary, Method};

/// The result of one test: the JSON contract of `omfang stats`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    /// `chi2`, `fisher`, `mannwhitney`, `kruskal` or `spearman`.
    pub test: &'static str,
    /// The test statistic (χ², odds ratio, U, H or ρ).
    pub statistic: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Degrees of freedom, where the reference distribution has them.
    pub df: Option<f64>,
    /// The effect size named by `effect_size_name`.
    pub effect_size: f64,
    /// `cramers_v`, `phi`, `r`, `epsilon_squared` or `rho`.
    pub effect_size_name: &'static str,
    /// Number of observations used.
    pub n: u64,
    /// Exact or asymptotic p-value.
    pub method: Method,
    /// Things a reader must know (small expected counts, dropped groups, …).
    pub warnings: Vec<String>,
    /// Expected counts (χ²), rows × columns of the table actually tested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Vec<Vec<f64>>>,
    /// n, mean and median per group (Mann-Whitney, Kruskal-Wallis).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupSummary>,
}

/// Average ranks (1-based) of `values` and the tie term Σ(t³ − t) over
/// groups of tied values, as scipy's `rankdata(method="average")`.
pub fn average_ranks(values: &[f64]) -> (Vec<f64>, f64) {
    // Sort (key, position) pairs, the key being the value's bits in an
    // order-preserving form: one cache-friendly sort of plain integers
    // instead of an indirect sort (a million values rank in tens of ms).
    let key = |v: f64| {
        let bits = if v == 0.0 { 0.0f64 } else { v }.to_bits();
        if bits >> 63 == 1 {
            !bits
        } else {
            bits | (1 << 63)
        }
    };
    let mut order: Vec<(u64, u32)> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| (key(v), i as u32))
        .collect();
    order.sort_unstable();
    let mut ranks = vec![0.0; values.len()];
    let mut tie_term = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && order[end].0 == order[start].0 {
            end += 1;
        }
        // Positions start..end (0-based) share the mean of ranks start+1..=end.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &(_, i) in &order[start..end] {
            ranks[i as usize] = rank;
        }
        let t = (end - start) as f64;
        tie_term += t * t * t - t;
        start = end;
    }
    (ranks, tie_term)
}

/// Pearson's χ² test of independence on a table of counts (rows ×
/// columns), without continuity correction (what SPSS labels "Pearson
/// Chi-Square"). Empty rows and columns are dropped with a warning; a
/// warning is added when more than 20 % of expected counts are below 5.
pub fn chi_square(table: &[Vec<u64>]) -> Result<TestResult, AnalysisError> {
    let mut warnings = Vec::new();
    let (table, dropped) = drop_empty(table);
    if dropped > 0 {
        warnings.push(format!(
            "{dropped} tom(me) rad(er) eller kolonne(r) er utelatt fra testen"
        ));
    }
    let rows = table.len();
    let cols = table.first().map_or(0, Vec::len);
    if rows < 2 || cols < 2 {
        return Err(AnalysisError::Input(
            "chi-square needs at least two non-empty rows and two non-empty columns".into(),
        ));
    }
    let row_sums: Vec<f64> = table.iter().map(|r| r.iter().sum::<u64>() as f64).collect();
    let col_sums: Vec<f64> = (0..cols)
        .map(|c| table.iter().map(|r| r[c]).sum::<u64>() as f64)
        .collect();
    let n: f64 = row_sums.iter().sum();
    let mut statistic = 0.0;
    let mut small = 0;
    let mut expected = Vec::with_capacity(rows);
    for (r, row) in table.iter().enumerate() {
        let mut expected_row = Vec::with_capacity(cols);
        for (c, &observed) in row.iter().enumerate() {
            let e = row_sums[r] * col_sums[c] / n;
            if e < 5.0 {
                small += 1;
            }
            let d = observed as f64 - e;
            statistic += d * d / e;
            expected_row.push(e);
        }
        expected.push(expected_row);
    }
    let cells = rows * cols;
    if small * 5 > cells {
        warnings.push(format!(
            "{small} av {cells} celler ({:.0} %) har forventet antall under 5; χ²-testen er usikker",
            100.0 * small as f64 / cells as f64
        ));
    }
    let df = ((rows - 1) * (cols - 1)) as f64;
    let p = chi2_sf(statistic, df);
    let k = rows.min(cols) as f64 - 1.0;
    Ok(TestResult {
        test: "chi2",
        statistic,
        p,
        df: Some(df),
        effect_size: (statistic / (n * k)).sqrt(),
        effect_size_name: "cramers_v",
        n: n as u64,
        method: Method::Asymptotic,
        warnings,
        expected: Some(expected),
        groups: Vec::new(),
    })
}

fn drop_empty(table: &[Vec<u64>]) -> (Vec<Vec<u64>>, usize) {
    let cols = table.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |r: &Vec<u64>, c: usize| r.get(c).copied().unwrap_or(0);
    let keep_cols: Vec<usize> = (0..cols)
        .filter(|&c| table.iter().any(|r| cell(r, c) > 0))
        .collect();
    let kept: Vec<Vec<u64>> = table
        .iter()
        .filter(|r| r.iter().any(|&v| v > 0))
        .map(|r| keep_cols.iter().map(|&c| cell(r, c)).collect())
        .collect();
    let dropped = (table.len() - kept.len()) + (cols - keep_cols.len());
    (kept, dropped)
}

fn chi2_sf(x: f64, df: f64) -> f64 {
    if !x.is_finite() {
        return f64::NAN;
    }
    ChiSquared::new(df).map_or(f64::NAN, |d| d.sf(x))
}

/// Fisher's exact test on a 2×2 table `[[a, b], [c, d]]`, two-sided as
/// scipy's `fisher_exact`: the p-value sums the hypergeometric
/// probabilities of every table no more likely than the observed one
/// (relative tolerance 1e-14). The statistic is the sample odds ratio
/// ad/bc (infinite when bc = 0); a table with an empty row or column has
/// p = 1 and no odds ratio.
pub fn fisher_exact(table: [[u64; 2]; 2]) -> TestResult {
    let [[a, b], [c, d]] = table;
    let n_total = a + b + c + d;
    let mut result = TestResult {
        test: "fisher",
        statistic: f64::NAN,
        p: 1.0,
        df: None,
        effect_size: f64::NAN,
        effect_size_name: "phi",
        n: n_total,
        method: Method::Exact,
        warnings: Vec::new(),
        expected: None,
        groups: Vec::new(),
    };
    if a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0 {
        result
            .warnings
            .push("tabellen har en tom rad eller kolonne".into());
        return result;
    }
    result.statistic = if b > 0 && c > 0 {
        (a * d) as f64 / (b * c) as f64
    } else {
        f64::INFINITY
    };
    let (af, bf, cf, df) = (a as f64, b as f64, c as f64, d as f64);
    result.effect_size =
        ((af * df - bf * cf) / ((af + bf) * (cf + df) * (af + cf) * (bf + df)).sqrt()).abs();

    // X = a ~ Hypergeometric(total = n1 + n2, successes = n1, draws = n).
    let n1 = a + b;
    let n2 = c + d;
    let n = a + c;
    let lo = n.saturating_sub(n2);
    let hi = n.min(n1);
    let pmf = hypergeometric_pmf(lo, hi, n1, n2, n);
    let at = |x: u64| pmf[(x - lo) as usize];
    let mode = ((n + 1) as f64 * (n1 + 1) as f64 / (n1 + n2 + 2) as f64) as u64;
    let pexact = at(a);
    let pmode = at(mode.clamp(lo, hi));
    const EPSILON: f64 = 1e-14;
    if (pexact - pmode).abs() / pexact.max(pmode) <= EPSILON {
        result.p = 1.0;
        return result;
    }
    let threshold = pexact * (1.0 + EPSILON);
    let p: f64 = pmf.iter().filter(|&&q| q <= threshold).sum();
    result.p = p.min(1.0);
    result
}

/// Hypergeometric probabilities for x in lo..=hi, computed from ratios of
/// neighbours starting at the mode and normalised, which keeps full
/// relative precision where log-gamma differences would not.
fn hypergeometric_pmf(lo: u64, hi: u64, n1: u64, n2: u64, n: u64) -> Vec<f64> {
    let len = (hi - lo + 1) as usize;
    // ratio(x) = P(x + 1) / P(x)
    let ratio =
        |x: u64| ((n1 - x) as f64 * (n - x) as f64) / ((x + 1) as f64 * (n2 + x + 1 - n) as f64);
    let mode = ((n + 1) as f64 * (n1 + 1) as f64 / (n1 + n2 + 2) as f64) as u64;
    let mode = mode.clamp(lo, hi);
    let mut w = vec![0.0; len];
    let m = (mode - lo) as usize;
    w[m] = 1.0;
    for i in m + 1..len {
        w[i] = w[i - 1] * ratio(lo + i as u64 - 1);
    }
    for i in (0..m).rev() {
        w[i] = w[i + 1] / ratio(lo + i as u64);
    }
    let total: f64 = w.iter().sum();
    w.iter_mut().for_each(|v| *v /= total);
    w
}

/// Mann-Whitney U test of `x` against `y`, two-sided, as scipy's
/// `mannwhitneyu(x, y, method="auto")`: the exact distribution when one
/// sample has at most 8 values and there are no ties, otherwise the normal
/// approximation with tie correction and continuity correction. The
/// statistic is U of `x`; the effect size is r = |Z|/√N with Z without
/// continuity correction (as SPSS reports Z).
pub fn mann_whitney(x: &[f64], y: &[f64]) -> Result<TestResult, AnalysisError> {
    if x.is_empty() || y.is_empty() {
        return Err(AnalysisError::Input(
            "Mann-Whitney needs two non-empty groups".into(),
        ));
    }
    let (n1, n2) = (x.len() as f64, y.len() as f64);
    let all: Vec<f64> = x.iter().chain(y).copied().collect();
    let (ranks, tie_term) = average_ranks(&all);
    let r1: f64 = ranks[..x.len()].iter().sum();
    let u1 = r1 - n1 * (n1 + 1.0) / 2.0;
    let u2 = n1 * n2 - u1;
    let u = u1.max(u2);
    let n = n1 + n2;
    let mu = n1 * n2 / 2.0;
    let s = (n1 * n2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt();
    let mut warnings = Vec::new();
    let exact = !(x.len() > 8 && y.len() > 8) && tie_term == 0.0;
    let p = if exact {
        2.0 * mann_whitney_exact_sf(u as u64, x.len().min(y.len()), x.len().max(y.len()))
    } else if s == 0.0 {
        warnings.push("alle verdiene er like".into());
        1.0
    } else {
        let z = (u - mu - 0.5) / s;
        2.0 * standard_normal_sf(z)
    };
    let effect_size = if s > 0.0 {
        ((u1 - mu) / s).abs() / n.sqrt()
    } else {
        f64::NAN
    };
    Ok(TestResult {
        test: "mannwhitney",
        statistic: u1,
        p: p.clamp(0.0, 1.0),
        df: None,
        effect_size,
        effect_size_name: "r",
        n: n as u64,
        method: if exact {
            Method::Exact
        } else {
            Method::Asymptotic
        },
        warnings,
        expected: None,
        groups: Vec::new(),
    })
}

fn standard_normal_sf(z: f64) -> f64 {
    Normal::standard().sf(z)
}

/// P(U ≥ k) under the null for samples of sizes m ≤ n without ties.
///
/// Counts the arrangements with each U by the recursion
/// c(m, n; u) = c(m−1, n; u−n) + c(m, n−1; u), which only adds positive
/// numbers, so small tail probabilities keep their relative precision.
fn mann_whitney_exact_sf(k: u64, m: usize, n: usize) -> f64 {
    // counts[j] holds c(j, n'; ·) for the current n', j = 0..=m.
    let mut counts: Vec<Vec<f64>> = (0..=m).map(|_| vec![0.0; m * n + 1]).collect();
    counts[0][0] = 1.0;
    // n' = 0: c(j, 0; 0) = 1 for every j.
    for row in counts.iter_mut() {
        row[0] = 1.0;
    }
    for n_prime in 1..=n {
        for j in 1..=m {
            let (lower, upper) = counts.split_at_mut(j);
            let prev = &lower[j - 1];
            let cur = &mut upper[0];
            // c(j, n'; u) = c(j−1, n'; u−n') + c(j, n'−1; u); `cur` still
            // holds c(j, n'−1; ·), `prev` already c(j−1, n'; ·).
            let max_u = j * n_prime;
            for u in (n_prime..=max_u).rev() {
                cur[u] += prev[u - n_prime];
            }
        }
    }
    let dist = &counts[m];
    let total: f64 = dist.iter().sum();
    let k = k as usize;
    if k > m * n {
        return 0.0;
    }
    // Sum the smaller side for precision; the distribution is symmetric.
    let tail: f64 = dist[k..].iter().sum();
    tail / total
}

/// Kruskal-Wallis H test with tie correction, as scipy's `kruskal`. Empty
/// groups are dropped with a warning; at least two non-empty groups are
/// needed. When every value is equal, H and p are undefined (NaN).
pub fn kruskal_wallis(groups: &[&[f64]]) -> Result<TestResult, AnalysisError> {
    let non_empty: Vec<&[f64]> = groups.iter().copied().filter(|g| !g.is_empty()).collect();
    let mut warnings = Vec::new();
    if non_empty.len() < groups.len() {
        warnings.push(format!(
            "{} tom(me) gruppe(r) er utelatt",
            groups.len() - non_empty.len()
        ));
    }
    if non_empty.len() < 2 {
        return Err(AnalysisError::Input(
            "Kruskal-Wallis needs at least two non-empty groups".into(),
        ));
    }
    let all: Vec<f64> = non_empty.iter().flat_map(|g| g.iter().copied()).collect();
    let n = all.len() as f64;
    let (ranks, tie_term) = average_ranks(&all);
    let mut offset = 0;
    let mut ssbn = 0.0;
    for g in &non_empty {
        let r: f64 = ranks[offset..offset + g.len()].iter().sum();
        ssbn += r * r / g.len() as f64;
        offset += g.len();
    }
    let correction = 1.0 - tie_term / (n * n * n - n);
    let mut h = 12.0 / (n * (n + 1.0)) * ssbn - 3.0 * (n + 1.0);
    let df = (non_empty.len() - 1) as f64;
    let p;
    if correction == 0.0 {
        warnings.push("alle verdiene er like".into());
        h = f64::NAN;
        p = f64::NAN;
    } else {
        h /= correction;
        p = chi2_sf(h, df);
    }
    Ok(TestResult {
        test: "kruskal",
        statistic: h,
        p,
        df: Some(df),
        effect_size: h / (n - 1.0),
        effect_size_name: "epsilon_squared",
        n: n as u64,
        method: Method::Asymptotic,
        warnings,
        expected: None,
        groups: Vec::new(),
    })
}

/// Spearman's rank correlation with the t-distribution p-value, as scipy's
/// `spearmanr(x, y)`. Pairs must be complete; a constant variable gives an
/// undefined (NaN) ρ with a warning. When the ranks agree perfectly ρ is
/// exactly ±1 and p exactly 0 (scipy's corrcoef can land one rounding step
/// short of 1 and report a p-value below 1e-12 made of rounding).
pub fn spearman(x: &[f64], y: &[f64]) -> Result<TestResult, AnalysisError> {
    if x.len() != y.len() {
        return Err(AnalysisError::Input(
            "Spearman needs pairs: x and y differ in length".into(),
        ));
    }
    if x.len() < 3 {
        return Err(AnalysisError::Input(
            "Spearman needs at least three pairs".into(),
        ));
    }
    let n = x.len() as f64;
    let (rx, tx) = average_ranks(x);
    let (ry, ty) = average_ranks(y);
    let mut warnings = Vec::new();
    let all_tied = n * n * n - n;
    let (rho, p) = if tx == all_tied || ty == all_tied {
        warnings.push("en av variablene er konstant".into());
        (f64::NAN, f64::NAN)
    } else {
        let rho = pearson(&rx, &ry).clamp(-1.0, 1.0);
        let dof = n - 2.0;
        let t = rho * (dof / ((rho + 1.0) * (1.0 - rho))).max(0.0).sqrt();
        let p = if t.is_infinite() {
            0.0
        } else {
            let dist =
                StudentsT::new(0.0, 1.0, dof).map_err(|e| AnalysisError::Input(e.to_string()))?;
            (2.0 * dist.sf(t.abs())).min(1.0)
        };
        (rho, p)
    };
    Ok(TestResult {
        test: "spearman",
        statistic: rho,
        p,
        df: Some(n - 2.0),
        effect_size: rho,
        effect_size_name: "rho",
        n: n as u64,
        method: Method::Asymptotic,
        warnings,
        expected: None,
        groups: Vec::new(),
    })
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    sxy / (sxx * syy).sqrt()
}

/// n, mean and median of one group.
pub fn summarise(key: &str, values: &[f64]) -> GroupSummary {
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    // The median by selection, not a full sort (groups can hold millions).
    let mut work = values.to_vec();
    let median = match n {
        0 => f64::NAN,
        _ => {
            let (below, mid, _) = work.select_nth_unstable_by(n / 2, f64::total_cmp);
            let upper = *mid;
            if n % 2 == 1 {
                upper
            } else {
                let lower = below.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (lower + upper) / 2.0
            }
        }
    };
    let (min, max) = match n {
        0 => (f64::NAN, f64::NAN),
        _ => values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                (lo.min(x), hi.max(x))
            }),
    };
    GroupSummary {
        key: key.to_owned(),
        n: n as u64,
        mean,
        median,
        sum: values.iter().sum(),
        min,
        max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties() {
        let (r, t) = average_ranks(&[10.0, 20.0, 10.0, 30.0, 10.0]);
        assert_eq!(r, vec![2.0, 4.0, 2.0, 5.0, 2.0]);
        assert_eq!(t, 24.0);
    }

    #[test]
    fn fisher_matches_scipy_docstring() {
        // scipy.stats.fisher_exact([[8, 2], [1, 5]]) → (20.0, 0.034965034965034975)
        let r = fisher_exact([[8, 2], [1, 5]]);
        assert_eq!(r.statistic, 20.0);
        assert!((r.p - 0.034965034965034975).abs() < 1e-15, "{}", r.p);
    }

    #[test]
    fn exact_mann_whitney_counts_all_arrangements() {
        // m = 2, n = 2: U ∈ {0,1,2,2,3,4} over C(4,2) = 6 arrangements.
        assert_eq!(mann_whitney_exact_sf(0, 2, 2), 1.0);
        assert!((mann_whitney_exact_sf(2, 2, 2) - 4.0 / 6.0).abs() < 1e-15);
        assert!((mann_whitney_exact_sf(4, 2, 2) - 1.0 / 6.0).abs() < 1e-15);
    }

    #[test]
    fn tiny_inputs_are_errors_not_panics() {
        assert!(chi_square(&[vec![1, 0], vec![0, 0]]).is_err());
        assert!(mann_whitney(&[], &[1.0]).is_err());
        assert!(kruskal_wallis(&[&[1.0], &[]]).is_err());
        assert!(spearman(&[1.0, 2.0], &[1.0, 2.0]).is_err());
        let constant = spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).unwrap();
        assert!(constant.statistic.is_nan() && !constant.warnings.is_empty());
    }
}
