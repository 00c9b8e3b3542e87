//! Oslo's report, declared: fifteen districts' answers built so the sums
//! are the report's (33 staff, 28 positions, 66 youths, 28 with repeated
//! crime; 12 of 15 follow the standard) are imported through the CLI on
//! both databases — roster rows, amounts per source, a date and an
//! estimate among them — and `omfang analyse report` writes the report
//! file's tables with every number the report states beside this round's,
//! all equal; the response rate and the dashboard count 15 of 15 districts.

use crate::helpers::{fresh_database, on_both_databases};
use crate::research::omfang;

const ROUND: &str = "oslo-en-til-en-2025";

/// The CSV: one row per district, columns named by the codebook.
fn districts_csv() -> String {
    let mut rows = vec![
        "kommune,bydel,oslostandard,oslostandard_begrunnelse,navn,ansatte,stillinger_1_rolle,stillinger_1_prosent,stillinger_2_rolle,stillinger_2_prosent,bevilget,bevilget_kilde_r1,bevilget_kilde_r4,bevilget_per,ungdommer,ungdommer_kjonn_r1,gjentatt_kriminalitet,tilbud,uten_plass,uten_plass_antall,politiet,effekt,resultater,suksessfaktorer".to_owned(),
    ];
    for d in 1..=15 {
        let staff = if d <= 3 { 3 } else { 2 };
        let second = if d <= 13 {
            "Én-til-én oppfølger,50"
        } else {
            ","
        };
        let youths = match d {
            1..=6 => 6,
            7..=12 => 4,
            _ => 2,
        };
        let crime = if d <= 13 { 2 } else { 1 };
        let (standard, reason) = if d <= 12 {
            (1, "")
        } else {
            (2, "Arbeidet ligger i ungdomsteamet.")
        };
        let estimate = if d == 1 { "cirka 12–15" } else { "" };
        rows.push(format!(
            "0301,0301{d:02},{standard},{reason},Leder {d},{staff},Én-til-én oppfølger,100,{second},\"1 250 000\",1000000,250000,2025-12-31,{youths},{youths},{crime},Henvist fra politiet.,{},{estimate},Godt samarbeid.,1,Færre lovbrudd.,Tett voksenkontakt.",
            if d == 1 { 1 } else { 2 },
        ));
    }
    rows.join("\n") + "\n"
}

on_both_databases! {
    async fn fifteen_imported_districts_give_the_reports_numbers(db: Db) {
        let dir = tempfile::tempdir().unwrap();
        let (url, _guard) = fresh_database(db, dir.path()).await;
        let csv = dir.path().join("bydeler.csv");
        std::fs::write(&csv, districts_csv()).unwrap();
        let out = omfang(&url, &["import", "responses", csv.to_str().unwrap(), "--round", ROUND]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

        // The administrators' dashboard counts the imported districts as sent in.
        let conn = omfang::db::connect(&url).await.unwrap();
        let status = omfang::db::status::round_status(&conn, ROUND).await.unwrap();
        assert_eq!((status.answered, status.municipalities, status.unit.as_str()), (15, 15, "bydeler"));

        let out = omfang(&url, &["analyse", "response-rate", "--round", ROUND, "--by", "district", "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let rate: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!((rate["total"]["answered"].as_u64(), rate["total"]["municipalities"].as_u64()), (Some(15), Some(15)), "{rate}");

        let report = dir.path().join("rapport");
        let out = omfang(&url, &["analyse", "report", "--round", ROUND, "--out", report.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let html = std::fs::read_to_string(report.join("rapport.html")).unwrap();
        // «Publisert 2025 | Nå»: every number the report states, with this round's.
        let mut compared = Vec::new();
        for row in html.split("<tr><td>").skip(1) {
            let cells: Vec<&str> = row.split("</td><td>").map(|c| c.split("</td>").next().unwrap()).collect();
            if cells.len() == 3 && cells[0].contains(" – ") {
                compared.push((cells[0].to_owned(), cells[1].to_owned(), cells[2].to_owned()));
            }
        }
        let published: Vec<&str> = compared.iter().map(|c| c.1.as_str()).collect();
        assert_eq!(published, ["15", "12", "3", "33", "28", "66", "28"], "{compared:?}");
        for (what, then, now) in &compared {
            assert_eq!(then, now, "{what}: the report's {then}, this round's {now}");
        }
        // The new kinds reach the data file.
        let data = std::fs::read_to_string(report.join("data.csv")).unwrap();
        let header: Vec<&str> = data.lines().next().unwrap().split(',').collect();
        for column in ["stillinger_antall", "stillinger_2_prosent", "bevilget_kilde_sum", "uten_plass_antall_cirka", "bevilget_per"] {
            assert!(header.contains(&column), "{column} in {header:?}");
        }
    }
}
