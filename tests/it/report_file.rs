//! The 2025 report, declared: a 2025-shaped round imported through the
//! CLI, `omfang analyse report` writes every figure of the shipped report
//! file in the report's order (SVG, PNG, the XLSX read back by openpyxl,
//! HTML, index.json), with Figure 3 as 70/78/81 under the every-type rule;
//! `omfang analyse response-rate` counts against the registry; a broken
//! report file gets positioned messages.

use serde_json::Value;
use survey_definitions::{KORUS_2025, SurveyDefinition};

use crate::helpers::{fresh_database, on_both_databases};
use crate::research::{korus_like, omfang, registry, write_csv};

fn run_json(url: &str, args: &[&str]) -> Value {
    let out = omfang(url, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

on_both_databases! {
    async fn the_report_file_makes_all_53_figures(db: Db) {
        let dir = tempfile::tempdir().unwrap();
        let (url, _guard) = fresh_database(db, dir.path()).await;
        let def = SurveyDefinition::parse(KORUS_2025).unwrap();
        let registry = registry();
        let rows = korus_like(&def, &registry);
        let csv = dir.path().join("korus-2025.csv");
        write_csv(&def, &registry, &rows, &csv);
        let out = omfang(&url, &["import", "responses", csv.to_str().unwrap(), "--round", "korus-2025"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

        // Figure 1's numbers: 227 of 357 municipalities answered (64 %).
        let rate = run_json(&url, &["analyse", "response-rate", "--round", "korus-2025", "--by", "county", "--format", "json"]);
        assert_eq!((rate["total"]["answered"].as_u64(), rate["total"]["municipalities"].as_u64()), (Some(227), Some(357)), "{rate}");
        assert_eq!(rate["groups"].as_array().unwrap().len(), 15);
        let sum: u64 = rate["groups"].as_array().unwrap().iter().map(|g| g["answered"].as_u64().unwrap()).sum();
        assert_eq!(sum, 227);
        let missing: usize = rate["groups"].as_array().unwrap().iter().map(|g| g["not_answered"].as_array().unwrap().len()).sum();
        assert_eq!(missing, 357 - 227, "every municipality not answered is named");
        let by_size = run_json(&url, &["analyse", "response-rate", "--round", "korus-2025", "--by", "size-class", "--format", "json"]);
        let answered: Vec<u64> = by_size["groups"].as_array().unwrap().iter().map(|g| g["answered"].as_u64().unwrap()).collect();
        assert_eq!(answered, vec![96, 66, 65], "small, medium, large");

        let report = dir.path().join("rapport");
        let out = omfang(&url, &["analyse", "report", "--round", "korus-2025", "--out", report.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let index: Value = serde_json::from_slice(&std::fs::read(report.join("index.json")).unwrap()).unwrap();
        let figures = index["figures"].as_array().unwrap();
        let numbers: Vec<u64> = figures.iter().filter_map(|f| f["number"].as_u64()).collect();
        assert_eq!(numbers, (1..=53).collect::<Vec<u64>>(), "every figure, in the report's order");
        assert_eq!(figures.len(), 56, "and the unnumbered tables: user involvement, staff, årsverk");
        for f in figures {
            let name = f["name"].as_str().unwrap();
            if f["status"] == "not_coded" {
                assert!(f["title"].as_str().unwrap().contains("brukermedvirkning"), "only the user-involvement table waits for coding: {f}");
                continue;
            }
            assert_eq!(f["status"], "ok", "{f}");
            assert!(f["unit"].as_str().is_some_and(|u| !u.is_empty()), "{name} has a unit: {f}");
            assert!(f["n"].as_u64().is_some_and(|n| n > 0), "{name} has an n: {f}");
            assert!(f["caption"].as_str().unwrap().contains(&format!("(n = {})", f["n"])), "{name}: the caption carries this round's n: {f}");
            for file in f["files"].as_array().unwrap() {
                let file = file.as_str().unwrap();
                let path = report.join(file.split('#').next().unwrap());
                assert!(path.exists(), "{name}: {file} written");
                if file.ends_with(".png") {
                    let bytes = std::fs::read(&path).unwrap();
                    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000, "{name}: a drawn PNG");
                }
            }
        }
        // The text's numbers: staff summed over services (with a total), and
        // the share with fewer than two full-time equivalents.
        let staff = figures.iter().find(|f| f["title"].as_str().unwrap().starts_with("Antall ansatte")).unwrap();
        assert_eq!((staff["n"].as_u64(), staff["unit"].as_str()), (Some(163), Some("Antall")), "{staff}");
        // Figure 3: municipalities under every type one of their respondents reported.
        let fig3 = &figures[2];
        assert_eq!((fig3["number"].as_u64(), fig3["n"].as_u64(), fig3["unit_of_analysis"].as_str()), (Some(3), Some(229), Some("municipality (every)")), "{fig3}");
        let html = std::fs::read_to_string(report.join("rapport.html")).unwrap();
        let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle} in the HTML"));
        assert!(at("figurer/figur-01.svg") < at("figurer/figur-02.svg") && at("figurer/figur-52.svg") < at("figurer/figur-53.svg"));
        assert!(html.contains("Ikke kodet ennå"), "the coded-text table says it is not coded yet");
        for file in ["data.csv", "data-excel.csv", "kodebok.csv", "data.sps", "tabeller.xlsx"] {
            assert!(report.join(file).exists(), "{file}");
        }

        // openpyxl reads the workbook: a sheet per entry, Figure 3's counts.
        let script = r#"
import json, sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1], read_only=True)
rows = [list(r) for r in wb["Figur 3"].iter_rows(min_row=4, max_row=7, values_only=True)]
print(json.dumps({"sheets": len(wb.sheetnames), "fig3": rows}, ensure_ascii=False))
"#;
        let python = std::env::var("OMFANG_PYTHON").unwrap_or_else(|_| "python3".into());
        let out = std::process::Command::new(python).args(["-c", script, report.join("tabeller.xlsx").to_str().unwrap()]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let book: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(book["sheets"], 57, "contents and one sheet per entry: {book}");
        let share = |row: usize| book["fig3"][row][1].as_f64().unwrap();
        assert_eq!(book["fig3"][0][0], "Kategori (prosent)", "{book}");
        let (own, part, none) = (share(1), share(2), share(3));
        assert_eq!(
            [own, part, none].map(|p| (p * 229.0 / 100.0).round() as u64),
            [70, 78, 81],
            "Figure 3 as the report: {book}"
        );
    }
}

#[test]
fn a_broken_report_file_gets_positioned_messages() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    std::fs::write(
        &file,
        "version = 1\nsurvey = \"korus-2025\"\ntitle = \"T\"\n\n[[entries]]\ntype = \"figure\"\nnumber = 2\ntitle = \"A\"\nanalysis = \"distribution\"\nvariable = \"finnes_ikke\"\n\n[[entries]]\ntype = \"figure\"\nnumber = 1\ntitle = \"B\"\nanalysis = \"bands\"\nvariable = \"tjenestenavn\"\nby = \"size-class\"\n",
    )
    .unwrap();
    let out = omfang(
        "sqlite::memory:",
        &["analyse", "check-report", file.to_str().unwrap()],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    let name = file.display().to_string();
    assert!(
        text.contains(&format!(
            "{name}:10:12: error: Figur 2: no item, concept or variable named `finnes_ikke`"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{name}:12:1: error: Figur 1 comes after number 2")),
        "{text}"
    );
    assert!(text.contains("Figur 1: bands needs bands"), "{text}");
    assert!(
        text.contains("Figur 1: bands needs one number; `tjenestenavn` is not"),
        "{text}"
    );
    let shipped = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../survey-definitions/surveys/korus-2025-report.toml"
    );
    let out = omfang("sqlite::memory:", &["analyse", "check-report", shipped]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
