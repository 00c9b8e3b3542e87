//! The analysis reads what respondents gave as the 2025 report did, on
//! both databases, with answers saved through the respondent API: drafts
//! that meet the analysable rule are analysed (and `--sample submitted`
//! leaves them out), an answer hidden by a later change is «not asked»,
//! a switched gate leaves no stale concept value, a branch-2 multiple
//! answer reaches `fagomrade`, and 100 is a valid age.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, on_both_databases, spawn_app};
use crate::research::omfang;

/// Starts a response for a municipality and saves `values` in order, one
/// save each (as autosave does); returns the link and the response id.
async fn answered(app: &TestApp, municipality: &str, saves: &[Value]) -> (String, i64) {
    let token = app.invite(municipality, None).await;
    let (status, body) = app
        .send(
            Method::POST,
            &format!("/api/r/{token}/responses"),
            json!({}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().unwrap();
    let mut version = body["version"].as_i64().unwrap_or(1);
    for values in saves {
        let (status, body) = app
            .send(
                Method::PUT,
                &format!("/api/r/{token}/responses/{id}"),
                json!({"version": version, "values": values}),
            )
            .await;
        assert_eq!(status, 200, "{values}: {body}");
        version = body["version"].as_i64().unwrap();
    }
    (token, id)
}

fn crosstab(app: &TestApp, args: &[&str]) -> Value {
    let mut all = vec![
        "analyse",
        "crosstab",
        "--round",
        "korus-2025",
        "--format",
        "json",
    ];
    all.extend_from_slice(args);
    let out = omfang(app.database_url(), &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn group<'a>(table: &'a Value, key: &str) -> &'a Value {
    table["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("group {key} in {table}"))
}

/// The count of category `code` in group `key`.
fn count(table: &Value, code: i64, key: &str) -> u64 {
    let row = table["categories"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("category {code} in {table}"));
    let col = table["groups"]
        .as_array()
        .unwrap()
        .iter()
        .position(|g| g["key"] == key)
        .unwrap();
    table["counts"][row][col].as_u64().unwrap()
}

on_both_databases! {
    async fn analysis_reads_answers_as_the_report_did(kind: Db) {
        let app = spawn_app(kind).await;
        // A: an own service that answered 1.16.1, then set 1.16 to «Nei»,
        // with a target group of 12–100 years; never sent in.
        answered(&app, "3401", &[
            json!({"fylke": "34", "kommune": "3401", "gate": 1, "1.7": {"lower": 12, "upper": 100}}),
            json!({"fylke": "34", "kommune": "3401", "gate": 1, "1.7": {"lower": 12, "upper": 100}, "1.16": 1, "1.16.1": [1, 2]}),
            json!({"fylke": "34", "kommune": "3401", "gate": 1, "1.7": {"lower": 12, "upper": 100}, "1.16": 2, "1.16.1": [1, 2]}),
        ]).await;
        // B: outreach as part of another service, organised under health
        // and culture (2.2 multiple choice: codes 3 and 2); a draft.
        answered(&app, "1103", &[
            json!({"fylke": "11", "kommune": "1103", "gate": 2, "2.2": [2, 3]}),
        ]).await;
        // C: first an own service under health, then switched to part of
        // another service organised under «Oppvekst/opplæring»; a draft.
        answered(&app, "4601", &[
            json!({"fylke": "46", "kommune": "4601", "gate": 1, "1.2": 2, "1.13": [1, 2]}),
            json!({"fylke": "46", "kommune": "4601", "gate": 2, "1.2": 2, "1.13": [1, 2], "2.2": [1]}),
        ]).await;
        // D: no outreach, sent in.
        let (token, id) = answered(&app, "5001", &[
            json!({"fylke": "50", "kommune": "5001", "navn": "Kari Nordmann", "stilling": "Rådgiver", "gate": 3, "3.2": 2, "3.3": 2, "3.4": 3, "3.6": 2}),
        ]).await;
        let (_, loaded) = app.send(Method::GET, &format!("/api/r/{token}/responses/{id}"), json!(null)).await;
        let (status, body) = app
            .send(Method::POST, &format!("/api/r/{token}/responses/{id}/submit"), json!({"version": loaded["version"]}))
            .await;
        assert_eq!(status, 200, "{body}");
        // E: opened and given a municipality only: not analysable.
        answered(&app, "3403", &[json!({"fylke": "34", "kommune": "3403"})]).await;

        // 1. The report's sample: every response with municipality and
        // service type, drafts included; `--sample submitted` takes D only.
        let gate = crosstab(&app, &["--item", "gate", "--by", "branch"]);
        assert_eq!((gate["sample"].as_str(), gate["n"].as_u64()), (Some("analysable"), Some(4)), "{gate}");
        assert_eq!(gate["registry_year"], 2024);
        let sent = crosstab(&app, &["--item", "gate", "--by", "branch", "--sample", "submitted"]);
        assert_eq!((sent["sample"].as_str(), sent["n"].as_u64()), (Some("submitted"), Some(1)), "{sent}");

        // 2. Skip logic: A's 1.16.1 is hidden by 1.16 = «Nei»: not asked,
        // and nobody else was asked it either.
        let follow = crosstab(&app, &["--item", "1.16.1", "--by", "branch"]);
        assert_eq!(follow["n"], 0, "{follow}");
        assert_eq!(group(&follow, "1")["not_asked"], 1, "{follow}");
        assert_eq!(group(&follow, "1")["unanswered"], 0, "{follow}");
        // 1.16 itself was asked of A and answered «Nei».
        let asked = crosstab(&app, &["--item", "1.16", "--by", "branch"]);
        assert_eq!(count(&asked, 2, "1"), 1, "{asked}");
        // Asked and left empty is «unanswered», not «not asked».
        let arenas = crosstab(&app, &["--item", "1.13", "--by", "branch"]);
        assert_eq!((group(&arenas, "1")["n"].as_u64(), group(&arenas, "1")["unanswered"].as_u64()), (Some(0), Some(1)), "{arenas}");
        // C switched to branch 2: its 1.13 (hidden now) is not asked.
        assert_eq!(group(&arenas, "2")["not_asked"], 2, "{arenas}");

        // 3. Harmonisation: `fagomrade` is a multiple-choice variable; B's
        // branch-2 answers reach it (3 → Helse 2, 2 → Kultur/fritid 1);
        // C's stale branch-1 «Helse» does not, its branch-2 answer does.
        let area = crosstab(&app, &["--item", "fagomrade", "--by", "branch"]);
        assert_eq!(area["kind"], "multiple", "{area}");
        assert_eq!(group(&area, "2")["n"], 2, "{area}");
        assert_eq!(count(&area, 2, "2"), 1, "only B chose health: {area}");
        assert_eq!(count(&area, 1, "2"), 1, "{area}");
        assert_eq!(count(&area, 0, "2"), 1, "C: Oppvekst/opplæring: {area}");
        assert_eq!(group(&area, "1")["unanswered"], 1, "A never answered 1.2: {area}");

        // 4. 100 is a valid age, and reaches the harmonised age range.
        let ages = crosstab(&app, &["--item", "k_malgruppe_alder_ovre", "--by", "branch"]);
        let own = ages["summaries"].as_array().unwrap().iter().find(|s| s["key"] == "1").unwrap();
        assert_eq!((own["n"].as_u64(), own["mean"].as_f64()), (Some(1), Some(100.0)), "{ages}");

        // The total column sums the groups; tests compare the groups only.
        let total = crosstab(&app, &["--item", "gate", "--by", "branch", "--total"]);
        let last = total["groups"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["key"].as_str(), last["label"].as_str(), last["n"].as_u64()), (Some("total"), Some("Totalt"), Some(4)), "{total}");
        assert_eq!(count(&total, 2, "total"), 2, "{total}");

        // 5. The population year per round: a 2025 registry in which
        // Kongsvinger has passed 20 000 moves it from medium to large.
        let before = crosstab(&app, &["--item", "gate", "--by", "size-class"]);
        assert_eq!((count(&before, 1, "2"), count(&before, 1, "3")), (1, 0), "{before}");
        let shipped = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../backend/data/municipalities-2024.csv")).unwrap();
        let next_year = shipped.replace("3401,Kongsvinger,,34,Innlandet,18058,", "3401,Kongsvinger,,34,Innlandet,20140,");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kommuner-2025.csv");
        std::fs::write(&file, next_year).unwrap();
        let url = app.database_url();
        let refused = omfang(url, &["round", "registry-year", "--round", "korus-2025", "--year", "2025"]);
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("omfang registry import FILE --year 2025"), "{}", String::from_utf8_lossy(&refused.stderr));
        let out = omfang(url, &["registry", "import", file.to_str().unwrap(), "--year", "2025"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let out = omfang(url, &["round", "registry-year", "--round", "korus-2025", "--year", "2025", "--by", "admin@korus.no"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let after = crosstab(&app, &["--item", "gate", "--by", "size-class"]);
        assert_eq!(after["registry_year"], 2025, "every output names the year: {after}");
        assert_eq!((count(&after, 1, "2"), count(&after, 1, "3")), (0, 1), "{after}");
    }
}
