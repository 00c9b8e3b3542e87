//! The analysis benchmark's Rust side (run by `cargo xtask bench-analysis`):
//! generates N synthetic respondents of the KORUS 2025 definition, times the
//! cross-tabs and tests of the full report and the whole report with its
//! files, and writes the data and the table plan for the pandas + scipy side.
//!
//! Usage: bench_report N OUT_DIR REGISTRY_CSV
//! Prints one JSON object on stdout.

use std::collections::HashMap;
use std::time::Instant;

use analysis::clean::{Roles, Unit, clean};
use analysis::dataset::{DatasetBuilder, Place, Registry, Source};
use analysis::export::{CsvFlavour, data_csv};
use analysis::report::{ReportOptions, plan, tables, write};
use analysis::synthetic::{Generator, Rng};
use survey_definitions::{KORUS_2025, SurveyDefinition};

fn registry(path: &str) -> Registry {
    let mut municipalities = HashMap::new();
    let mut reader = csv::Reader::from_path(path).expect("registry CSV");
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (n, name, cn, cname, pop) = (
        col("municipality_number"),
        col("name"),
        col("county_number"),
        col("county_name"),
        col("population"),
    );
    for row in reader.records() {
        let row = row.expect("row");
        municipalities.insert(
            row[n].to_owned(),
            Place {
                name: row[name].to_owned(),
                county_number: row[cn].to_owned(),
                county_name: row[cname].to_owned(),
                population: row[pop].parse().expect("population"),
            },
        );
    }
    Registry {
        year: 2024,
        municipalities,
        districts: Default::default(),
    }
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let out = std::path::PathBuf::from(args.get(2).expect("OUT_DIR"));
    let registry = registry(args.get(3).expect("REGISTRY_CSV"));
    std::fs::create_dir_all(&out).expect("out dir");
    let def = SurveyDefinition::parse(KORUS_2025).expect("definition");
    let roles = Roles::of(&def).expect("roles");
    let mut numbers: Vec<&String> = registry.municipalities.keys().collect();
    numbers.sort();

    let started = Instant::now();
    let mut builder = DatasetBuilder::new(&def, &registry, n);
    let mut generator = Generator::new(&def, &registry, 42);
    let mut rng = Rng::new(7);
    for i in 0..n {
        let m = numbers[rng.below(numbers.len() as u64) as usize];
        let gate = 1 + rng.below(3) as i64;
        let row = generator.respondent(format!("syn-{i}"), m, gate);
        builder.push(&row);
    }
    let ds = builder.finish();
    let generate = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let cleaning = clean(&ds, &roles, &[], analysis::clean::Sample::Analysable);
    let clean_s = started.elapsed().as_secs_f64();
    let options = ReportOptions {
        unit: Unit::Respondent,
        suppress_below: None,
        include_personal: false,
    };
    let started = Instant::now();
    let computed = tables(&ds, &def, &roles, &cleaning, &options, &mut |_, _| {}).expect("tables");
    let tables_s = started.elapsed().as_secs_f64();
    let tests: usize = computed.iter().map(|t| t.tests.len()).sum();

    // The plan for pandas: each table's variables and grouping column.
    let by_var = |by: &str| match by {
        "service-type" => roles.service_type.clone().unwrap_or_default(),
        _ => roles.size_class.clone().unwrap_or_default(),
    };
    let plan: Vec<serde_json::Value> = plan(&def, &roles)
        .iter()
        .map(|p| {
            let vars: Vec<&str> = ds
                .variables_of(&p.item)
                .into_iter()
                .map(|i| ds.variables[i].name.as_str())
                .filter(|name| !name.is_empty())
                .collect();
            let first = ds.variables_of(&p.item).first().map(|&i| &ds.variables[i]);
            let kind = match first.map(|v| (&v.source, v.measure)) {
                Some((
                    Source::Item {
                        part: analysis::dataset::Part::Option(_),
                        ..
                    }
                    | Source::Concept {
                        part: analysis::dataset::Part::Option(_),
                        ..
                    },
                    _,
                )) => "multiple",
                Some((
                    Source::Item {
                        part: analysis::dataset::Part::Row(_),
                        ..
                    }
                    | Source::Concept {
                        part: analysis::dataset::Part::Row(_),
                        ..
                    }
                    | Source::Derived {
                        part: analysis::dataset::Part::Row(_),
                        ..
                    },
                    _,
                )) => "grid",
                Some((_, analysis::dataset::Measure::Scale)) => "numeric",
                _ => "single",
            };
            serde_json::json!({"item": p.item, "by": by_var(p.by), "kind": kind, "variables": vars})
        })
        .collect();
    std::fs::write(
        out.join("plan.json"),
        serde_json::to_vec(&plan).expect("plan"),
    )
    .expect("plan.json");
    let started = Instant::now();
    let file = std::fs::File::create(out.join("bench-data.csv")).expect("data");
    data_csv(&ds, &cleaning, CsvFlavour::Standard, false, file).expect("csv");
    let csv_s = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let report_dir = out.join("report");
    write(
        &report_dir,
        &ds,
        &def,
        &roles,
        &cleaning,
        &options,
        &mut |_, _| {},
    )
    .expect("report");
    let report_s = started.elapsed().as_secs_f64();

    println!(
        "{}",
        serde_json::json!({
            "respondents": n,
            "variables": ds.variables.len(),
            "tables": computed.len(),
            "tests": tests,
            "generate_s": generate,
            "clean_s": clean_s,
            "tables_s": tables_s,
            "data_csv_s": csv_s,
            "report_s": report_s,
            "peak_rss_mib": peak_rss_mib(),
        })
    );
}
