//! Free text cannot become a spreadsheet formula: answers such as
//! `=HYPERLINK(…)` reach `data.csv` and `data-excel.csv` with a leading
//! apostrophe (read back with Python's csv module), the workbook holds no
//! formula cell (openpyxl), and hidden control characters are refused at
//! the edge with a Norwegian message.

use std::process::Command;

use reqwest::Method;
use serde_json::json;

use crate::helpers::{on_both_databases, spawn_app};
use crate::research::omfang;

const FORMULAS: [&str; 4] = [
    "=HYPERLINK(\"http://example.invalid\",\"x\")",
    "+SUM(1,1)",
    "@SUM(1)",
    "=cmd|' /C calc'!A0",
];

on_both_databases! {
    async fn formulas_are_neutral_in_every_export(db: Db) {
        let app = spawn_app(db).await;
        for (n, municipality) in ["1103", "1111"].into_iter().enumerate() {
            let token = app.invite(municipality, None).await;
            let (code, created) = app.send(Method::POST, &format!("/api/r/{token}/responses"), json!({})).await;
            assert_eq!(code, 201, "{created}");
            let id = created["id"].as_i64().unwrap();
            let mut values = created["answers"]["values"].clone();
            for (k, v) in [("navn", json!(FORMULAS[n])), ("stilling", json!("-1+1")), ("gate", json!(3)),
                           ("3.1", json!(FORMULAS[(n + 1) % 4])), ("3.2", json!(1)), ("3.2:1", json!(FORMULAS[(n + 2) % 4])),
                           ("3.3", json!(2)), ("3.4", json!(2)), ("3.5", json!(FORMULAS[(n + 3) % 4])), ("3.6", json!(1))] {
                values[k] = v;
            }
            let (code, body) = app.send(Method::PUT, &format!("/api/r/{token}/responses/{id}"), json!({"version": 1, "values": values})).await;
            assert_eq!(code, 200, "{body}");
            let (code, body) = app.send(Method::POST, &format!("/api/r/{token}/responses/{id}/submit"), json!({"version": 2})).await;
            assert_eq!(code, 200, "{body}");
            // NUL and the right-to-left override are refused, in Norwegian; nothing is lost.
            let mut version = body["state"]["version"].as_i64().unwrap();
            for bad in ["navn\u{0}", "gpj.exe\u{202E}"] {
                let (code, reopened) = app.send(Method::POST, &format!("/api/r/{token}/responses/{id}/reopen"), json!({"version": version})).await;
                assert_eq!(code, 200, "{reopened}");
                version = reopened["version"].as_i64().unwrap();
                let mut v = values.clone();
                v["3.1"] = json!(bad);
                let (code, body) = app.send(Method::PUT, &format!("/api/r/{token}/responses/{id}"), json!({"version": version, "values": v})).await;
                assert_eq!(code, 422, "{body}");
                assert!(body["report"]["items"]["3.1"]["errors"][0]["message"].as_str().unwrap().contains("kontrolltegn"), "{body}");
                let (code, sent) = app.send(Method::POST, &format!("/api/r/{token}/responses/{id}/submit"), json!({"version": version})).await;
                assert_eq!(code, 200, "{sent}");
                version = sent["state"]["version"].as_i64().unwrap();
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("rapport");
        let out = omfang(app.database_url(), &["analyse", "report", "--round", "korus-2025", "--out", report.to_str().unwrap(),
                                                 "--include-personal", "--by", "admin@korus.no"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let script = r#"
import csv, sys
from openpyxl import load_workbook
bad = []
for name, delimiter, encoding in [("data.csv", ",", "utf-8"), ("data-excel.csv", ";", "utf-8-sig")]:
    with open(sys.argv[1] + "/" + name, newline="", encoding=encoding) as f:
        rows = list(csv.reader(f, delimiter=delimiter))
    for row in rows[1:]:
        for cell in row:
            if cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and not cell.replace(",", ".").lstrip("-").replace(".", "", 1).isdigit()):
                bad.append((name, cell))
    if not any(c.startswith("'=") for row in rows for c in row):
        bad.append((name, "no neutralised formula found: the test data did not arrive"))
wb = load_workbook(sys.argv[1] + "/tabeller.xlsx")
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f":
                bad.append(("tabeller.xlsx", ws.title, c.coordinate))
print(bad)
sys.exit(1 if bad else 0)
"#;
        let python = std::env::var("OMFANG_PYTHON").unwrap_or_else(|_| "python3".into());
        let out = Command::new(&python).args(["-c", script]).arg(&report).output().unwrap();
        assert!(out.status.success(), "live formulas: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let codebook = std::fs::read_to_string(report.join("kodebok.csv")).unwrap();
        assert!(codebook.contains("leading '"), "the codebook names the rule");
    }
}
