//! Analysis end to end through the `omfang` binary on SQLite and PostgreSQL:
//! a 2025-like dataset of our own is imported from CSV, cleaned, and
//! cross-tabulated; the gate by size class at the municipality unit has the
//! shape of the report's Figure 4.

use std::path::Path;
use std::process::{Command, Output};

use analysis::SizeClass;
use analysis::clean::{Roles, clean};
use analysis::dataset::{Dataset, Place, Registry, RespondentInput};
use analysis::export::{CsvFlavour, data_csv};
use analysis::synthetic::Generator;
use serde_json::{Value, json};
use survey_definitions::{KORUS_2025, SurveyDefinition};

use crate::durability::omfang_binary;
use crate::helpers::{fresh_database, on_both_databases};

/// The shipped 2024 registry in the analysis crate's shape.
pub(crate) fn registry() -> Registry {
    let r = omfang::registry::shipped().unwrap();
    Registry {
        year: r.population_year,
        municipalities: r
            .municipalities
            .iter()
            .map(|m| {
                let county = r.counties.iter().find(|c| c.number == m.county).unwrap();
                (
                    m.number.clone(),
                    Place {
                        name: m.name.clone(),
                        county_number: m.county.clone(),
                        county_name: county.name.clone(),
                        population: m.population,
                    },
                )
            })
            .collect(),
        // The city districts (agencies are numbered 0301 5x and up).
        districts: r
            .districts
            .iter()
            .filter(|d| d.number.as_str() < "030150")
            .map(|d| (d.number.clone(), (d.name.clone(), d.municipality.clone())))
            .collect(),
    }
}

/// Municipalities per size class and how many of them answer each gate
/// code (own service, part of another, none), in the proportions the
/// report states for Figure 4 (large 60 % own and 22 % none of n = 65,
/// medium 29 % none, small 7 % own and 50 % none) and with Figure 3's
/// totals: 70 own, 76 part of another (78 with Oslo and Trondheim counted
/// under both), 81 none: 227 municipalities.
pub(crate) const PLAN: [(SizeClass, [usize; 3]); 3] = [
    (SizeClass::Large, [39, 12, 14]),
    (SizeClass::Medium, [24, 23, 19]),
    (SizeClass::Small, [7, 41, 48]),
];

/// A 2025-like round: 227 municipalities by [`PLAN`]; Oslo and Trondheim
/// also report a service that is part of another (two types, as in the
/// report's Figure 3); 14 large municipalities report a second own service;
/// one respondent is an exact copy of another (a probable duplicate); one
/// never answered the gate (not analysable). 245 rows.
pub(crate) fn korus_like(def: &SurveyDefinition, registry: &Registry) -> Vec<RespondentInput> {
    let mut generator = Generator::new(def, registry, 2025);
    let mut numbers: Vec<(&String, &Place)> = registry.municipalities.iter().collect();
    numbers.sort_by_key(|(n, _)| n.as_str());
    let mut rows = Vec::new();
    let mut key = 0;
    let mut next_key = || {
        key += 1;
        format!("fil-{key}")
    };
    let mut own_large = Vec::new();
    for (class, counts) in PLAN {
        // Oslo (0301) and Trondheim (5001) first among the large, with own services.
        let mut members: Vec<&String> = numbers
            .iter()
            .filter(|(_, p)| SizeClass::of(p.population) == class)
            .map(|(n, _)| *n)
            .collect();
        members.sort_by_key(|n| (!matches!(n.as_str(), "0301" | "5001"), n.as_str()));
        let mut it = members.into_iter();
        for (gate, &count) in counts.iter().enumerate() {
            for m in it.by_ref().take(count) {
                rows.push(generator.respondent(next_key(), m, gate as i64 + 1));
                if class == SizeClass::Large && gate == 0 {
                    own_large.push(m.clone());
                }
            }
        }
    }
    for m in ["0301", "5001"] {
        rows.push(generator.respondent(next_key(), m, 2));
    }
    for m in own_large.iter().skip(2).take(14) {
        rows.push(generator.respondent(next_key(), m, 1));
    }
    let mut copy = rows[5].clone();
    copy.key = next_key();
    rows.push(copy);
    let mut no_gate = generator.respondent(next_key(), "1101", 1);
    no_gate.answers.clear();
    no_gate.answers.insert(
        "kommune".into(),
        survey_definitions::Answer::Text("1101".into()),
    );
    rows.push(no_gate);
    rows
}

/// Writes respondents as the CSV `omfang import responses` reads (omfang's
/// own data export, so the round trip is tested too).
pub(crate) fn write_csv(
    def: &SurveyDefinition,
    registry: &Registry,
    rows: &[RespondentInput],
    path: &Path,
) {
    let ds = Dataset::build(def, registry, rows.iter().cloned());
    let roles = Roles::of(def).unwrap();
    let cleaning = clean(&ds, &roles, &[], analysis::clean::Sample::Analysable);
    let file = std::fs::File::create(path).unwrap();
    data_csv(&ds, &cleaning, CsvFlavour::Standard, true, file).unwrap();
}

pub(crate) fn omfang(url: &str, args: &[&str]) -> Output {
    Command::new(omfang_binary())
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn crosstab(url: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "analyse",
        "crosstab",
        "--round",
        "korus-2025",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    json(&omfang(url, &args))
}

on_both_databases! {
    async fn imported_round_has_the_shape_of_figure_4(db: Db) {
        let dir = tempfile::tempdir().unwrap();
        let (url, _guard) = fresh_database(db, dir.path()).await;
        let def = SurveyDefinition::parse(KORUS_2025).unwrap();
        let registry = registry();
        let rows = korus_like(&def, &registry);
        assert_eq!(rows.len(), 245);
        let good = dir.path().join("korus-like.csv");
        write_csv(&def, &registry, &rows, &good);

        // A file with bad rows is refused whole, each bad line named.
        let text = std::fs::read_to_string(&good).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines[3] = lines[3].replacen(&format!(",{},", rows[2].answers["kommune"].as_text()), ",9999,", 1);
        let header: Vec<&str> = lines[0].split(',').collect();
        let gate = header.iter().position(|h| *h == "tjenestetype").unwrap();
        let mut cells: Vec<String> = lines[5].split(',').map(str::to_owned).collect();
        cells[gate] = "7".into();
        lines[5] = cells.join(",");
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, lines.join("\n")).unwrap();
        let out = omfang(&url, &["import", "responses", bad.to_str().unwrap(), "--round", "korus-2025"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(err.contains("line 4:") && err.contains("9999"), "{err}");
        assert!(err.contains("line 6:") && err.contains("tjenestetype"), "{err}");
        let list = json(&omfang(&url, &["clean", "list", "--round", "korus-2025", "--format", "json"]));
        assert_eq!(list["respondents"], 0, "nothing half-imported");

        let out = omfang(&url, &["import", "responses", good.to_str().unwrap(), "--round", "korus-2025"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

        // Figure 4: the gate by size class, each municipality counted once.
        let t = crosstab(&url, &["--item", "gate", "--by", "size-class", "--unit", "municipality"]);
        let n: Vec<u64> = t["groups"].as_array().unwrap().iter().map(|g| g["n"].as_u64().unwrap()).collect();
        assert_eq!(n, vec![96, 66, 65], "small, medium, large: {t}");
        let codes: Vec<i64> = t["categories"].as_array().unwrap().iter().map(|c| c["code"].as_i64().unwrap()).collect();
        assert_eq!(codes, vec![1, 2, 3]);
        let counts: Vec<Vec<u64>> = serde_json::from_value(t["counts"].clone()).unwrap();
        assert_eq!(counts, vec![vec![7, 24, 39], vec![41, 23, 12], vec![48, 19, 14]]);
        let pct = |cat: usize, group: usize| t["percents"][cat][group].as_f64().unwrap().round();
        assert_eq!((pct(0, 2), pct(0, 0)), (60.0, 7.0), "own service: large 60 %, small 7 %");
        assert_eq!((pct(2, 2), pct(2, 1), pct(2, 0)), (22.0, 29.0, 50.0), "none: 22 %, 29 %, 50 %");
        let chi2 = &t["tests"][0];
        assert_eq!(chi2["name"], "chi2");
        assert_eq!(chi2["df"], 4.0);
        assert_eq!(chi2["p_text"], "p < 0,001");
        assert_eq!(t["unit"], "municipality (once)");

        // Figure 3's rule: Oslo and Trondheim under both service types.
        let every = crosstab(&url, &["--item", "gate", "--by", "size-class", "--unit", "municipality", "--rule", "every"]);
        let total: u64 = every["groups"].as_array().unwrap().iter().map(|g| g["n"].as_u64().unwrap()).sum();
        assert_eq!(total, 229, "227 municipalities, two of them counted twice");

        // Respondent unit: 244 analysable respondents (one lacks the gate).
        let resp = crosstab(&url, &["--item", "gate", "--by", "size-class"]);
        let total: u64 = resp["groups"].as_array().unwrap().iter().map(|g| g["n"].as_u64().unwrap()).sum();
        assert_eq!(total, 244);

        // A multiple-choice item by service type: one test per option.
        let arenas = crosstab(&url, &["--item", "arenaer", "--by", "service-type"]);
        assert_eq!(arenas["kind"], "multiple");
        assert_eq!(arenas["groups"].as_array().unwrap().len(), 2);
        let options = arenas["categories"].as_array().unwrap().len();
        assert_eq!(options, 16);
        assert!(arenas["tests"].as_array().unwrap().iter().filter(|t| t["name"] == "chi2").count() == options);
        // A numeric concept: Mann-Whitney for two groups.
        let staff = crosstab(&url, &["--item", "ansatte", "--by", "service-type"]);
        assert_eq!(staff["kind"], "numeric");
        assert_eq!(staff["tests"][0]["name"], "mannwhitney");
        // The education level recode pools the count grid.
        let level = crosstab(&url, &["--item", "d_utd_niva", "--by", "size-class", "--suppress-below", "5"]);
        assert_eq!(level["kind"], "grid");
        assert_eq!(level["categories"].as_array().unwrap().len(), 5);
        // With «Totalt», no hidden cell is the only one hidden in its row:
        // the total minus the others would give it away.
        let arenas_total = crosstab(&url, &["--item", "arenaer", "--by", "size-class", "--total", "--suppress-below", "20"]);
        let counts = arenas_total["counts"].as_array().unwrap();
        assert!(counts.iter().any(|row| row.as_array().unwrap().iter().any(Value::is_null)), "something is hidden: {arenas_total}");
        for row in counts {
            let hidden = row.as_array().unwrap().iter().filter(|c| c.is_null()).count();
            assert_ne!(hidden, 1, "a lone hidden cell can be worked out: {row:?}");
        }
        // A grouping named by its item id, as the codebook lists it.
        let by_item = crosstab(&url, &["--item", "d_storrelse", "--by", "gate"]);
        assert_eq!(by_item["groups"].as_array().unwrap().len(), 3, "{by_item}");

        // Cleaning: the copy is flagged; dropping it is reversible.
        let list = json(&omfang(&url, &["clean", "list", "--round", "korus-2025", "--format", "json"]));
        assert_eq!(list["respondents"], 245);
        assert_eq!(list["included"], 244);
        let flagged = list["flagged"].as_array().unwrap();
        let duplicate = flagged.iter().find(|f| !f["duplicate"].is_null()).expect("the copy is flagged");
        let key = duplicate["respondent"].as_str().unwrap().to_owned();
        assert!(duplicate["duplicate"].as_str().unwrap().contains("100 % like svar"), "{duplicate}");
        // Both of the pair say who they are from, so a researcher can choose.
        assert_eq!(duplicate["context"]["status"], "imported", "{duplicate}");
        assert_eq!(duplicate["duplicate_of_context"]["municipality"], duplicate["context"]["municipality"], "{duplicate}");
        assert_eq!(duplicate["differences"], json!([]), "identical answers: {duplicate}");
        for (flag, expect) in [("--drop", 243), ("--keep", 244)] {
            let out = omfang(&url, &["clean", "decide", "--round", "korus-2025", "--respondent", &key, flag, "--by", "forsker@korus.no", "--reason", "Samme tjeneste svart to ganger"]);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let list = json(&omfang(&url, &["clean", "list", "--round", "korus-2025", "--format", "json"]));
            assert_eq!(list["included"], expect, "after {flag}");
        }
    }
}

trait AsText {
    fn as_text(&self) -> String;
}

impl AsText for survey_definitions::Answer {
    fn as_text(&self) -> String {
        match self {
            survey_definitions::Answer::Text(t) => t.clone(),
            other => format!("{other:?}"),
        }
    }
}

/// Runs PSPP on a syntax file in `dir`; returns its output as PSPP's CSV.
fn pspp(dir: &Path, syntax: &str) -> String {
    std::fs::write(dir.join("check.sps"), syntax).unwrap();
    let pspp = std::env::var("OMFANG_PSPP").unwrap_or_else(|_| "pspp".into());
    let out = Command::new(&pspp)
        .current_dir(dir)
        .args(["-o", "check.csv", "check.sps"])
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {pspp} (Debian's pspp; `cargo xtask ci` installs it): {e}")
        });
    let text = std::fs::read_to_string(dir.join("check.csv")).unwrap_or_default();
    assert!(
        out.status.success(),
        "pspp failed:\n{}{}\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

on_both_databases! {
    async fn report_files_read_back_in_pspp_and_openpyxl(db: Db) {
        let dir = tempfile::tempdir().unwrap();
        let (url, _guard) = fresh_database(db, dir.path()).await;
        let def = SurveyDefinition::parse(KORUS_2025).unwrap();
        let registry = registry();
        let rows = korus_like(&def, &registry);
        let csv = dir.path().join("korus-like.csv");
        write_csv(&def, &registry, &rows, &csv);
        let out = omfang(&url, &["import", "responses", csv.to_str().unwrap(), "--round", "korus-2025"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report = dir.path().join("rapport");
        let out = omfang(&url, &["analyse", "report", "--round", "korus-2025", "--out", report.to_str().unwrap(), "--all-items"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        if let Ok(keep) = std::env::var("OMFANG_KEEP_REPORT") {
            let _ = std::fs::remove_dir_all(&keep);
            let _ = Command::new("cp").args(["-r", report.to_str().unwrap(), &keep]).status();
        }

        // Tables, figures and the page.
        let tables: Vec<Value> = serde_json::from_slice(&std::fs::read(report.join("tabeller.json")).unwrap()).unwrap();
        assert!(tables.len() > 60, "{} tables", tables.len());
        let html = std::fs::read_to_string(report.join("rapport.html")).unwrap();
        assert_eq!(html.matches("<section id=").count(), tables.len());
        assert_eq!(html.matches("<img src=\"figurer/").count(), tables.len());
        assert!(html.contains("Spearmans rho"));
        let figures: Vec<_> = std::fs::read_dir(report.join("figurer")).unwrap().collect();
        assert_eq!(figures.len(), tables.len());
        let gate_figure = std::fs::read_to_string(report.join("figurer/001-gate-size-class.svg")).unwrap();
        assert!(gate_figure.starts_with("<svg") && gate_figure.trim_end().ends_with("</svg>"));
        // Respondent unit: 65 large municipalities, 14 second own services, Oslo's
        // and Trondheim's part-of-other services and the copy of a large one.
        assert!(gate_figure.contains("Store kommuner (20000 eller flere) (n = 82)"), "{gate_figure}");

        // Data CSV keeps æøå; the Excel variant uses ; and a byte-order mark.
        let data = std::fs::read_to_string(report.join("data.csv")).unwrap();
        assert!(data.lines().next().unwrap().starts_with("respondent,fylke,kommune,bydel,tjenestetype"), "names and positions are left out");
        assert_eq!(data.lines().count(), 246);
        // Names and positions only on request, by someone, in the audit trail.
        let named = dir.path().join("med-navn");
        let refused = omfang(&url, &["analyse", "report", "--round", "korus-2025", "--out", named.to_str().unwrap(), "--include-personal"]);
        assert!(!refused.status.success(), "--include-personal needs --by");
        let out = omfang(&url, &["analyse", "report", "--round", "korus-2025", "--out", named.to_str().unwrap(), "--include-personal", "--by", "admin@korus.no", "--all-items"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let named_data = std::fs::read_to_string(named.join("data.csv")).unwrap();
        assert!(named_data.lines().next().unwrap().starts_with("respondent,fylke,kommune,bydel,navn,stilling,tjenestetype"));
        let audit = String::from_utf8_lossy(&omfang(&url, &["audit", "export"]).stdout).into_owned();
        assert!(audit.contains("admin@korus.no,export_personal,"), "{audit}");
        let excel = std::fs::read(report.join("data-excel.csv")).unwrap();
        assert!(excel.starts_with(b"\xEF\xBB\xBFrespondent;fylke;kommune;"));
        let codebook = std::fs::read_to_string(report.join("kodebok.csv")).unwrap();
        assert!(codebook.contains("Nei, vi har ikke oppsøkende arbeid med barn og unge per i dag."));

        // PSPP runs the SPSS syntax on the data: value labels and missing values survive.
        let text = pspp(&report, "INCLUDE FILE='data.sps'.\nDISPLAY DICTIONARY /VARIABLES=tjenestetype d_storrelse.\nFREQUENCIES /VARIABLES=tjenestetype v1_3.\n");
        assert!(!text.to_lowercase().contains("error"), "{text}");
        assert!(text.contains("Ja, organisert som en egen oppsøkende tjeneste"), "{text}");
        assert!(text.contains("Store kommuner (20000 eller flere)"), "{text}");
        assert!(text.contains("tjenestetype,5,Utfører kommunen oppsøkende arbeid særlig rettet mot barn og unge?,Nominal,Input,8,Right,F8.0,F8.0,-9"), "{text}");
        assert!(text.contains(",-9[a],Ikke besvart"), "user-missing value with its label: {text}");
        assert!(text.contains(",-8[a],Ikke spurt (skjult av filter)"), "not asked has its own code: {text}");
        // 1.3 is asked of own services only: everyone else is «not asked», not «unanswered».
        let not_own = rows.len() - own_services(&rows);
        assert!(
            text.contains(&format!("Missing,Ikke spurt (skjult av filter),{not_own},")),
            "{not_own} respondents were not asked 1.3: {text}"
        );
        let own = own_services(&rows);
        assert!(
            text.contains(&format!("Valid,\"Ja, organisert som en egen oppsøkende tjeneste (utekontakt, ungdomsteam el.).\",{own},")),
            "{own} own services: {text}"
        );
        assert!(text.contains("Missing,Ikke besvart,1,"), "the respondent without a gate is missing: {text}");

        // openpyxl reads the workbook back.
        let script = r#"
import json, sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1], read_only=True)
out = {"sheets": wb.sheetnames}
rows = list(wb["Innhold"].iter_rows(values_only=True))
out["contents"] = len(rows) - 1
size = [list(r) for r in wb["Kommunestørrelse (SSB)"].iter_rows(min_row=1, max_row=8, values_only=True)]
out["size"] = [[c if not isinstance(c, float) else round(c, 1) for c in r] for r in size]
print(json.dumps(out, ensure_ascii=False))
"#;
        let python = std::env::var("OMFANG_PYTHON").unwrap_or_else(|_| "python3".into());
        let out = Command::new(&python).args(["-c", script]).arg(report.join("tabeller.xlsx")).output().unwrap();
        assert!(out.status.success(), "openpyxl: {}", String::from_utf8_lossy(&out.stderr));
        let book: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(book["sheets"][0], "Innhold");
        assert!(book["sheets"].as_array().unwrap().iter().any(|s| s == "Tjenestetype"), "{book}");
        assert_eq!(book["contents"].as_u64().unwrap() as usize, tables.len());
        let size = book["size"].as_array().unwrap();
        assert!(size[0][0].as_str().unwrap().starts_with("Tabell 1: Utfører kommunen oppsøkende arbeid"), "{book}");
        // Row 4: own service; columns: small n, %, medium n, %, large n, %.
        let own_row = &size[3];
        assert_eq!(own_row[0], "Ja, organisert som en egen oppsøkende tjeneste (utekontakt, ungdomsteam el.).");
        assert_eq!(own_row[5].as_f64(), Some(39.0 + 14.0 + 1.0), "large own services, respondent unit (with the copy): {book}");
    }
}

/// Respondents whose gate answer is 1 (an own outreach service).
fn own_services(rows: &[analysis::dataset::RespondentInput]) -> usize {
    rows.iter()
        .filter(|r| r.answers.get("gate") == Some(&survey_definitions::Answer::Number(1.0)))
        .count()
}
