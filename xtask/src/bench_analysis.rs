//! `cargo xtask bench-analysis [N]`: the full report on N synthetic
//! respondents (default 1 000 000) against the same cross-tabs and tests in
//! pandas + scipy in the same run, the report of a 245-respondent round,
//! and `omfang stats` on a 1 000 000-row CSV file (see `bench_stats.rs`).
//! Prints a table; targets are checked by reading it, not by a timed test.

use std::process::Command;

use anyhow::{Context, Result};
use serde_json::Value;

use crate::{cargo, ensure_python_packages, project_root, run, step, target_dir};

fn json(cmd: &mut Command) -> Result<Value> {
    let out = cmd.output().with_context(|| format!("starting {cmd:?}"))?;
    if !out.status.success() {
        anyhow::bail!("{cmd:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap_or_default();
    serde_json::from_str(last).with_context(|| format!("reading {last:?}"))
}

/// Runs the benchmark.
pub fn run_bench(n: usize) -> Result<()> {
    ensure_python_packages()?;
    step("building the benchmark (release)");
    run(cargo().args([
        "build",
        "--release",
        "-p",
        "omfang-analysis",
        "--example",
        "bench_report",
    ]))?;
    let exe = target_dir().join("release/examples/bench_report");
    let registry = project_root().join("backend/data/municipalities-2024.csv");
    let dir = tempfile_dir()?;
    let small_dir = dir.join("small");
    let big_dir = dir.join("big");

    step("omfang: a 245-respondent round, full report");
    let small = json(Command::new(&exe).arg("245").arg(&small_dir).arg(&registry))?;
    step(&format!(
        "omfang: {n} synthetic respondents (generation is not timed against pandas)"
    ));
    let big = json(
        Command::new(&exe)
            .arg(n.to_string())
            .arg(&big_dir)
            .arg(&registry),
    )?;
    step("pandas + scipy: the same cross-tabs and tests on the data omfang wrote");
    let script = project_root().join("xtask/bench_pandas.py");
    let pandas = json(Command::new("python3").arg(&script).arg(&big_dir))?;

    let f = |v: &Value, k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let ratio = f(&pandas, "tables_s") / f(&big, "tables_s");
    println!(
        "\nAnalysis benchmark ({} respondents, {} variables, {} tables, {} tests; pandas ran {} tables, {} tests)\n",
        big["respondents"],
        big["variables"],
        big["tables"],
        big["tests"],
        pandas["tables"],
        pandas["tests"]
    );
    println!("| step | omfang | pandas + scipy |");
    println!("|---|---:|---:|");
    println!(
        "| generate respondents (not compared) | {:.1} s | – |",
        f(&big, "generate_s")
    );
    println!(
        "| read data | in memory | {:.1} s (read_csv) |",
        f(&pandas, "read_s")
    );
    println!(
        "| cleaning: analysable rule, duplicates | {:.2} s | – |",
        f(&big, "clean_s")
    );
    println!(
        "| cross-tabs and tests | {:.2} s | {:.2} s |",
        f(&big, "tables_s"),
        f(&pandas, "tables_s")
    );
    println!("| data CSV export | {:.1} s | – |", f(&big, "data_csv_s"));
    println!(
        "| full report (CSV ×2, codebook, SPSS, XLSX, JSON, SVG, HTML) | {:.1} s | – |",
        f(&big, "report_s")
    );
    println!(
        "| peak memory (whole process) | {:.0} MiB | {:.0} MiB |",
        f(&big, "peak_rss_mib"),
        f(&pandas, "peak_rss_mib")
    );
    println!(
        "\ncross-tabs and tests: omfang is {ratio:.1}× faster than pandas + scipy (goal ≥ 5×)"
    );
    println!(
        "245-respondent round: cleaning {:.3} s + full report {:.3} s = {:.3} s (goal < 1 s)",
        f(&small, "clean_s"),
        f(&small, "report_s"),
        f(&small, "clean_s") + f(&small, "report_s")
    );
    crate::bench_stats::run_stats_bench(1_000_000, &dir)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("omfang-bench-analysis-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Runs only the `omfang stats` comparison.
pub fn run_stats_only() -> Result<()> {
    ensure_python_packages()?;
    let dir = tempfile_dir()?;
    crate::bench_stats::run_stats_bench(1_000_000, &dir)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
