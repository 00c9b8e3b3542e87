//! omfang's tests agree with scipy (from PyPI): random data with ties, small
//! and large n and empty groups; statistics within 1e-9 relative, p-values
//! within 1e-9 relative down to 1e-12 and within 1e-6 below that.
//!
//! Most cases call the analysis library; a sample goes through
//! `omfang stats ... --format json` on a CSV file, so the command's
//! contract is checked against scipy too.

use std::process::Command;

use analysis::stats::{self, TestResult};
use serde_json::{Value, json};

use crate::durability::omfang_binary;

/// SplitMix64: a small deterministic generator, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// A sample of `n` values: integers from a small range (many ties) or
    /// continuous values (no ties), optionally shifted.
    fn sample(&mut self, n: usize, ties: bool, shift: f64) -> Vec<f64> {
        (0..n)
            .map(|_| {
                if ties {
                    (self.below(6) as f64) + shift.round()
                } else {
                    self.uniform() * 10.0 + shift
                }
            })
            .collect()
    }
    fn size(&mut self) -> usize {
        match self.below(4) {
            0 => 1 + self.below(8) as usize,
            1 => 5 + self.below(20) as usize,
            2 => 30 + self.below(200) as usize,
            _ => 500 + self.below(1500) as usize,
        }
    }
}

fn cases(rng: &mut Rng, per_test: usize) -> Vec<Value> {
    let mut cases = Vec::new();
    for _ in 0..per_test {
        // χ²: 2–5 × 2–5, sometimes an empty row or column, small and large counts.
        let (r, c) = (2 + rng.below(4) as usize, 2 + rng.below(4) as usize);
        let scale = [3, 20, 400][rng.below(3) as usize];
        let mut table: Vec<Vec<u64>> = (0..r)
            .map(|_| (0..c).map(|_| rng.below(scale)).collect())
            .collect();
        if rng.below(5) == 0 {
            table[rng.below(r as u64) as usize]
                .iter_mut()
                .for_each(|v| *v = 0);
        }
        cases.push(json!({"test": "chi2", "table": table}));

        let scale = [6, 30, 300][rng.below(3) as usize];
        let t: Vec<u64> = (0..4).map(|_| rng.below(scale)).collect();
        cases.push(json!({"test": "fisher", "table": [[t[0], t[1]], [t[2], t[3]]]}));

        let ties = rng.below(2) == 0;
        let shift = rng.uniform() * 3.0;
        let (nx, ny) = (rng.size(), rng.size());
        cases.push(json!({"test": "mannwhitney",
            "x": rng.sample(nx, ties, 0.0), "y": rng.sample(ny, ties, shift)}));

        let k = 2 + rng.below(4) as usize;
        let groups: Vec<Vec<f64>> = (0..k)
            .map(|i| {
                if rng.below(6) == 0 {
                    Vec::new()
                } else {
                    let n = rng.size();
                    rng.sample(n, ties, i as f64 * shift / 2.0)
                }
            })
            .collect();
        cases.push(json!({"test": "kruskal", "groups": groups}));

        let n = 3 + rng.size();
        let ties = rng.below(2) == 0;
        let x = rng.sample(n, ties, 0.0);
        let noise = rng.uniform();
        let y: Vec<f64> = x
            .iter()
            .map(|v| {
                let e = rng.uniform() * 10.0 * noise;
                if ties { (v + e).round() } else { v + e }
            })
            .collect();
        cases.push(json!({"test": "spearman", "x": x, "y": y}));
    }
    cases
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn omfang(case: &Value) -> Option<TestResult> {
    match case["test"].as_str().unwrap() {
        "chi2" => {
            let table: Vec<Vec<u64>> = serde_json::from_value(case["table"].clone()).unwrap();
            stats::chi_square(&table).ok()
        }
        "fisher" => Some(stats::fisher_exact(
            serde_json::from_value(case["table"].clone()).unwrap(),
        )),
        "mannwhitney" => stats::mann_whitney(&floats(&case["x"]), &floats(&case["y"])).ok(),
        "kruskal" => {
            let groups: Vec<Vec<f64>> = case["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(floats)
                .collect();
            let slices: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
            stats::kruskal_wallis(&slices).ok()
        }
        "spearman" => stats::spearman(&floats(&case["x"]), &floats(&case["y"])).ok(),
        other => panic!("unknown test {other}"),
    }
}

fn scipy(cases: &[Value]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.json");
    std::fs::write(&path, serde_json::to_vec(cases).unwrap()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/it/scipy_reference.py");
    let python = std::env::var("OMFANG_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .arg(script)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} (scipy from PyPI is required): {e}"));
    assert!(
        out.status.success(),
        "scipy reference failed (is scipy installed? `cargo xtask ci` installs it):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Relative agreement; `None` (NaN/inf in scipy) must be NaN/inf in omfang.
fn agrees(ours: f64, theirs: Option<f64>, tolerance: f64) -> bool {
    match theirs {
        None => !ours.is_finite(),
        Some(0.0) => ours.abs() < 1e-300,
        Some(t) => ((ours - t) / t).abs() <= tolerance,
    }
}

fn p_tolerance(p: Option<f64>) -> f64 {
    match p {
        Some(p) if p < 1e-12 => 1e-6,
        _ => 1e-9,
    }
}

fn compare(ours: Option<&TestResult>, theirs: &Value) -> Result<(), String> {
    match (ours, theirs.get("error")) {
        (None, Some(_)) => return Ok(()),
        (None, None) => return Err("omfang refused a case scipy answers".into()),
        (Some(_), Some(_)) => return Err("omfang answered a case scipy refuses".into()),
        (Some(_), None) => {}
    }
    let ours = ours.unwrap();
    let statistic = theirs["statistic"].as_f64();
    let p = theirs["p"].as_f64();
    if !agrees(ours.statistic, statistic, 1e-9) {
        return Err(format!(
            "statistic {} vs scipy {statistic:?}",
            ours.statistic
        ));
    }
    // Perfect rank agreement: omfang's ρ is exactly ±1 and p exactly 0,
    // while numpy's corrcoef leaves ρ a rounding step short of 1 and scipy
    // turns that step into a p-value below 1e-12 that is only rounding.
    let perfect = ours.test == "spearman"
        && ours.statistic.abs() == 1.0
        && ours.p == 0.0
        && statistic.is_some_and(|r| r.abs() > 1.0 - 1e-12)
        && p.is_some_and(|p| p < 1e-12);
    if !perfect && !agrees(ours.p, p, p_tolerance(p)) {
        return Err(format!("p {} vs scipy {p:?} ({:?})", ours.p, ours.method));
    }
    if let Some(df) = theirs.get("df").and_then(Value::as_f64)
        && ours.df != Some(df)
    {
        return Err(format!("df {:?} vs scipy {df}", ours.df));
    }
    Ok(())
}

#[test]
fn tests_agree_with_scipy_on_random_data() {
    // OMFANG_SCIPY_SEED and OMFANG_SCIPY_CASES replay or widen the run.
    let seed = std::env::var("OMFANG_SCIPY_SEED")
        .ok()
        .and_then(|s| s.parse().ok());
    let per_test = std::env::var("OMFANG_SCIPY_CASES")
        .ok()
        .and_then(|s| s.parse().ok());
    let mut rng = Rng(seed.unwrap_or(0x5EED_2025));
    let cases = cases(&mut rng, per_test.unwrap_or(160));
    let reference = scipy(&cases);
    assert_eq!(reference.len(), cases.len());
    let mut failures = Vec::new();
    let mut methods = std::collections::BTreeMap::<String, usize>::new();
    for (i, (case, theirs)) in cases.iter().zip(&reference).enumerate() {
        let ours = omfang(case);
        if let Some(r) = &ours {
            *methods
                .entry(format!("{} {:?}", r.test, r.method))
                .or_default() += 1;
        }
        if let Err(e) = compare(ours.as_ref(), theirs) {
            let shown = serde_json::to_string(case).unwrap();
            failures.push(format!(
                "case {i}: {e}\n  {}",
                &shown[..shown.len().min(300)]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    // The generator must reach both Mann-Whitney methods and tiny p-values.
    assert!(
        methods.get("mannwhitney Exact").copied().unwrap_or(0) >= 5,
        "{methods:?}"
    );
    assert!(
        methods.get("mannwhitney Asymptotic").copied().unwrap_or(0) >= 5,
        "{methods:?}"
    );
    let tiny = reference
        .iter()
        .filter(|r| r["p"].as_f64().is_some_and(|p| p < 1e-12 && p > 0.0))
        .count();
    assert!(tiny >= 5, "only {tiny} cases with p < 1e-12");
}

/// Writes a case as the CSV `omfang stats` reads and returns the command's arguments.
fn as_csv(case: &Value, path: &std::path::Path) -> Vec<String> {
    let mut w = csv::Writer::from_path(path).unwrap();
    let args: Vec<&str> = match case["test"].as_str().unwrap() {
        test @ ("chi2" | "fisher") => {
            w.write_record(["rad", "kolonne"]).unwrap();
            for (r, row) in case["table"].as_array().unwrap().iter().enumerate() {
                for (c, count) in row.as_array().unwrap().iter().enumerate() {
                    for _ in 0..count.as_u64().unwrap() {
                        w.write_record([format!("r{r}"), format!("k{c}")]).unwrap();
                    }
                }
            }
            vec![test, "--row", "rad", "--col", "kolonne"]
        }
        "mannwhitney" => {
            w.write_record(["verdi", "gruppe"]).unwrap();
            for (g, key) in [("x", "1"), ("y", "2")] {
                for v in floats(&case[g]) {
                    w.write_record([v.to_string(), key.to_owned()]).unwrap();
                }
            }
            vec!["mannwhitney", "--value", "verdi", "--group", "gruppe"]
        }
        "kruskal" => {
            w.write_record(["verdi", "gruppe"]).unwrap();
            for (g, values) in case["groups"].as_array().unwrap().iter().enumerate() {
                for v in floats(values) {
                    w.write_record([v.to_string(), g.to_string()]).unwrap();
                }
            }
            vec!["kruskal", "--value", "verdi", "--group", "gruppe"]
        }
        "spearman" => {
            w.write_record(["x", "y"]).unwrap();
            for (x, y) in floats(&case["x"]).into_iter().zip(floats(&case["y"])) {
                w.write_record([x.to_string(), y.to_string()]).unwrap();
            }
            vec!["spearman", "--x", "x", "--y", "y"]
        }
        other => panic!("unknown test {other}"),
    };
    w.flush().unwrap();
    args.into_iter().map(str::to_owned).collect()
}

#[test]
fn stats_command_json_agrees_with_scipy() {
    let mut rng = Rng(0xC0FF_EE25);
    // A CSV cannot express an empty group, so Kruskal cases with one are
    // left out; Fisher tables with an empty row or column have no odds
    // ratio (NaN) and are left out too.
    let cases: Vec<Value> = cases(&mut rng, 6)
        .into_iter()
        .filter(|c| {
            c["test"] != "kruskal"
                || c["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|g| !g.as_array().unwrap().is_empty())
        })
        .filter(|c| c["test"] != "fisher" || omfang(c).is_some_and(|r| !r.statistic.is_nan()))
        .collect();
    let reference = scipy(&cases);
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (i, (case, theirs)) in cases.iter().zip(&reference).enumerate() {
        if theirs.get("error").is_some() {
            continue;
        }
        let path = dir.path().join(format!("case{i}.csv"));
        let args = as_csv(case, &path);
        let out = Command::new(omfang_binary())
            .arg("stats")
            .args(&args)
            .arg("--input")
            .arg(&path)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "case {i}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        for key in [
            "test",
            "statistic",
            "p",
            "df",
            "effect_size",
            "n",
            "method",
            "warnings",
        ] {
            assert!(json.get(key).is_some(), "case {i}: no {key} in {json}");
        }
        let statistic = theirs["statistic"].as_f64();
        let p = theirs["p"].as_f64();
        let ours_stat = json["statistic"].as_f64().unwrap_or(f64::NAN);
        let ours_p = json["p"].as_f64().unwrap_or(f64::NAN);
        assert!(
            agrees(ours_stat, statistic, 1e-9),
            "case {i}: statistic {ours_stat} vs {statistic:?}"
        );
        assert!(
            agrees(ours_p, p, p_tolerance(p)),
            "case {i}: p {ours_p} vs {p:?}"
        );
        checked += 1;
    }
    assert!(
        checked >= 20,
        "only {checked} cases went through the command"
    );
}
