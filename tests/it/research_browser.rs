//! A researcher in headless Chromium, on both databases: a 2025-shaped
//! round imported with the CLI, the researcher logs in at `/analyse`,
//! reads the sample and response rate, builds a cross-tab of `arenaer` by
//! size class at the respondent unit, reads n and the tests on the page,
//! downloads the XLSX (read back by openpyxl) and the report ZIP (its
//! index.json lists the figures) through the page's own session, and
//! drops the probable duplicate and sees n change.

use std::io::Write;
use std::process::{Command, Stdio};

use survey_definitions::{KORUS_2025, SurveyDefinition};

use crate::browser::{Session, session};
use crate::durability::omfang_binary;
use crate::helpers::on_both_databases;
use crate::research::{korus_like, omfang, registry, write_csv};

/// Downloads a link of the page with the page's own cookies (as clicking
/// it would) and returns the bytes.
async fn download(s: &Session, css: &str) -> Vec<u8> {
    let script = r#"
        const done = arguments[arguments.length - 1];
        const a = document.querySelector(arguments[0]);
        fetch(a.href || a.dataset.href, { credentials: 'same-origin' })
          .then(r => r.ok ? r.arrayBuffer() : Promise.reject('HTTP ' + r.status))
          .then(b => done(Array.from(new Uint8Array(b))))
          .catch(e => done('ERROR ' + e));
    "#;
    let got =
        s.c.execute_async(script, vec![serde_json::json!(css)])
            .await
            .unwrap();
    assert!(got.is_array(), "{css}: {got}");
    serde_json::from_value(got).unwrap()
}

fn python(script: &str, file: &std::path::Path) -> serde_json::Value {
    let python = std::env::var("OMFANG_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(python)
        .args(["-c", script, file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

on_both_databases! {
    async fn a_researcher_builds_a_crosstab_downloads_it_and_cleans(db: Db) {
        let s = session(db).await;
        let url = s.app.database_url().to_owned();
        let dir = tempfile::tempdir().unwrap();
        let def = SurveyDefinition::parse(KORUS_2025).unwrap();
        let registry = registry();
        let csv = dir.path().join("korus-2025.csv");
        write_csv(&def, &registry, &korus_like(&def, &registry), &csv);
        let out = omfang(&url, &["import", "responses", csv.to_str().unwrap(), "--round", "korus-2025"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut child = Command::new(omfang_binary())
            .args(["user", "add", "--role", "researcher", "forsker@korus.no"])
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(b"et-langt-forsker-passord\n").unwrap();
        assert!(child.wait().unwrap().success());

        s.open("/analyse").await;
        s.find("#login-email").await;
        s.type_into("#login-email", "forsker@korus.no").await;
        s.type_into("#login-password", "et-langt-forsker-passord").await;
        s.click("button.primary").await;
        // The sample: 244 of 245 (one never answered the service type).
        s.expect_text("#utvalg-n", "244 av 245 svar i analyseutvalget").await;
        s.expect_text(".rate-tables", "227").await;
        s.look("analyse-oversikt").await;

        // A cross-tab of arenas by size class, at the respondent unit.
        s.type_into("#variabel", "arenaer").await;
        s.click("#etter option[value='size-class']").await;
        s.click(".crosstab-form button.primary").await;
        s.expect_text("#krysstabell-tittel", "Arenaer etter kommunestørrelse (SSB)").await;
        s.expect_text("#krysstabell-n", "n = 163.").await;
        s.expect_text(".tests", "Kjikvadrattest").await;
        s.expect_text(".tests", "Cramérs V = ").await;
        let address = s.c.execute("return location.search", vec![]).await.unwrap();
        let address = address.as_str().unwrap_or_default();
        assert!(address.contains("variabel=arenaer") && address.contains("etter=size-class"), "the address holds the choice: {address}");
        assert_eq!(s.focused_id().await.as_deref(), Some("krysstabell-tittel"), "the new table is in view, its heading focused");
        s.look("analyse-krysstabell").await;

        // The workbook, as the page's link gives it.
        let xlsx = dir.path().join("tabell.xlsx");
        std::fs::write(&xlsx, download(&s, ".downloads a[href*='.xlsx']").await).unwrap();
        let book = python(r#"
import json, sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1], read_only=True)
cells = [c for row in wb.worksheets[1].iter_rows(values_only=True) for c in row if c is not None]
print(json.dumps({"sheets": wb.sheetnames, "text": " ".join(str(c) for c in cells)}, ensure_ascii=False))
"#, &xlsx);
        assert!(book["text"].as_str().unwrap().contains("Sentrumsområder"), "{book}");

        // The whole report as one ZIP: its index.json lists the figures.
        let zip = dir.path().join("rapport.zip");
        s.click("#rapport-zip").await;
        s.expect_text_within("[role='status']", "Rapporten er lastet ned", 60).await;
        std::fs::write(&zip, download(&s, "#rapport-zip").await).unwrap();
        let listed = python(r#"
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
index = json.loads(z.read("rapport/index.json"))
print(json.dumps({"figures": [f["number"] for f in index["figures"] if f["number"]], "files": len(z.namelist()), "readme": z.read("rapport/LESMEG.txt").decode("utf-8")}, ensure_ascii=False))
"#, &zip);
        assert_eq!(listed["figures"].as_array().unwrap().len(), 53, "{listed}");
        // The job behind the button counts the figures and tables as it goes.
        let job = s.c.execute_async(r#"
            const done = arguments[arguments.length - 1];
            (async () => {
              const post = await fetch(location.pathname.replace('/analyse', '') + '/api/research/rounds/korus-2025/report-jobs',
                { method: 'POST', credentials: 'same-origin', headers: {'content-type': 'application/json'}, body: '{}' });
              let job = await post.json();
              const seen = [job.message];
              while (job.state === 'running') {
                await new Promise(r => setTimeout(r, 50));
                job = await (await fetch('/api/research/report-jobs/' + job.id, { credentials: 'same-origin' })).json();
                seen.push(job.message);
              }
              return { job, seen };
            })().then(done, e => done('ERROR ' + e));
        "#, vec![]).await.unwrap();
        assert_eq!(job["job"]["state"], "ready", "{job}");
        assert_eq!((job["job"]["done"].as_u64(), job["job"]["total"].as_u64()), (Some(56), Some(56)), "{job}");
        assert!(job["job"]["message"].as_str().unwrap().starts_with("Rapporten er klar"), "{job}");
        let readme = listed["readme"].as_str().unwrap();
        assert!(readme.contains("53 figurer") && readme.contains("data.sps") && readme.contains("n = 244 av 245"), "{readme}");

        // The codebook: items searchable, and the variables analysis adds.
        s.click(".codebook summary").await;
        s.type_into("#kodebok-sok", "arena").await;
        s.expect_text(".codebook", "1.13").await;
        s.expect_text(".codebook", "k_arenaer_k1").await;
        s.expect_text(".codebook", "k_arenaer").await;
        // «Bruk» puts a variable in the form.
        s.click("button[data-bruk='arenaer']").await;
        s.expect_focus("variabel", "the chosen variable's field").await;
        let chosen = s.c.execute("return document.getElementById('variabel').value", vec![]).await.unwrap();
        assert_eq!(chosen, "arenaer");

        // Any variable as the grouping: size class by the gate answer.
        s.find("#variabel").await.clear().await.unwrap();
        s.type_into("#variabel", "d_storrelse").await;
        s.type_into("#etter-variabel", "tjenestetype").await;
        let shown = s.c.execute("return document.getElementById('etter').value", vec![]).await.unwrap();
        assert_eq!(shown, "other", "the list says the grouping is the typed variable");
        s.click(".crosstab-form button.primary").await;
        s.expect_text("#krysstabell-tittel", "Kommunestørrelse (SSB) etter").await;
        s.expect_text("#krysstabell-n", "n = 244.").await;

        // Cleaning: the probable duplicate is dropped with a reason; n follows.
        s.expect_text(".cleaning", "100 % like svar").await;
        // Each row says who it is from, and a duplicate says how it differs.
        s.expect_text(".cleaning", "importert, ").await;
        s.expect_text(".cleaning", "Alle svar er like som i").await;
        let row = "//table[contains(@class,'cleaning')]//tr[contains(., '100 % like svar')]/th";
        let key = s.c.find(fantoccini::Locator::XPath(row)).await.unwrap().text().await.unwrap();
        s.click(&format!("#rens-svar option[value='{key}']")).await;
        s.type_into("#rens-grunn", "Samme tjeneste svart to ganger").await;
        s.c.find(fantoccini::Locator::XPath("//button[.='Utelat fra analysen']")).await.unwrap().click().await.unwrap();
        s.expect_text(".rensing [role='status']", "er utelatt").await;
        s.expect_text("#utvalg-n", "243 av 245 svar i analyseutvalget").await;
        s.look("analyse-rensing").await;

        // Coding free text: a frame over 1.19, a code, three answers ticked.
        s.click(".new-frame summary").await;
        s.type_into("#skjema-navn", "Suksessfaktorer").await;
        s.click("#skjema-1-19").await;
        s.c.find(fantoccini::Locator::XPath("//button[.='Lag kodeskjema']")).await.unwrap().click().await.unwrap();
        s.expect_text(".coding [role='status']", "Kodeskjemaet «Suksessfaktorer» er laget.").await;
        s.type_into("#kode-navn", "Relasjon og tillit").await;
        s.type_into("#kode-beskrivelse", "Tillit og kontinuitet").await;
        s.c.find(fantoccini::Locator::XPath("//button[.='Legg til kode']")).await.unwrap().click().await.unwrap();
        s.expect_text(".coding [role='status']", "Kode 1 «Relasjon og tillit» er lagt til.").await;
        for (n, want) in [(0, "1"), (1, "2"), (2, "3")] {
            s.click(&format!("#kode-{n}-1")).await;
            s.expect_text("#koder td.count", want).await;
            s.expect_text(&format!(".answers li:nth-child({}) .saved", n + 1), "Lagret: kode 1 «Relasjon og tillit» gitt.").await;
        }
        assert_eq!(s.focused_id().await.as_deref(), Some("kode-2-1"), "the ticked box keeps its focus");
        s.expect_text("#koder", "(en ").await;
        s.look("analyse-koding").await;
    }
}
