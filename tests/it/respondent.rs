//! The respondent journey in headless Chromium, on both databases: a small
//! municipality answers branch 3 and submits; a large one fills part of
//! branch 1, reloads, resumes and submits; a stale tab gets the conflict
//! message and loses nothing; bad input shows Norwegian messages and keeps
//! the saved answers. Screenshots of each page type go to `test-artifacts/`.

use reqwest::Method;
use serde_json::{Value, json};
use survey_definitions::{
    Answer, AnswerSet, ItemKind, KORUS_2025, Mode, SurveyDefinition, validate,
};

use crate::browser::{Session, session};
use crate::helpers::{Db, on_both_databases};

const NEXT: &str = ".pager button.primary";

fn tag(kind: Db) -> &'static str {
    match kind {
        Db::Sqlite => "sqlite",
        Db::Postgres => "postgres",
    }
}

async fn state(s: &Session, token: &str) -> Value {
    let (_, view) = s
        .app
        .send(Method::GET, &format!("/api/r/{token}"), json!(null))
        .await;
    let id = view["responses"][0]["id"]
        .as_i64()
        .expect("a response exists");
    let (_, state) = s
        .app
        .send(
            Method::GET,
            &format!("/api/r/{token}/responses/{id}"),
            json!(null),
        )
        .await;
    state
}

/// Waits until the server has `value` for `item` (autosave is debounced).
async fn server_has(s: &Session, token: &str, item: &str, value: Value) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let st = state(s, token).await;
        if st["answers"]["values"][item] == value {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{item} never saved as {value}: {}",
            st["answers"]
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Opens the link, starts, and fills the header page.
async fn begin(s: &Session, token: &str) {
    s.open(&format!("/svar/{token}")).await;
    s.click("button.primary").await;
    s.type_into("#q-navn", "Kari Nordmann").await;
    s.type_into("#q-stilling", "Rådgiver").await;
    s.click(NEXT).await;
}

/// Answers every required item the engine still asks for, as a second device would.
fn complete(def: &SurveyDefinition, mut answers: AnswerSet) -> AnswerSet {
    for _ in 0..6 {
        let report = validate(def, &answers, Mode::Complete);
        let missing: Vec<String> = report
            .items
            .iter()
            .filter(|(_, r)| r.errors.iter().any(|e| e.code == "required"))
            .map(|(id, _)| id.clone())
            .collect();
        if missing.is_empty() {
            break;
        }
        for id in missing {
            let item = def.item(&id).unwrap();
            let value = match &item.kind {
                ItemKind::SingleChoice { options } => Answer::from(options[0].code),
                ItemKind::MultipleChoice { options, .. } => Answer::from(vec![options[0].code]),
                ItemKind::Integer { .. } => Answer::from(5),
                ItemKind::Decimal { .. } => Answer::Text("4,5".into()),
                ItemKind::Percent => Answer::from(60),
                ItemKind::AgeRange { .. } => Answer::Map(
                    [
                        ("lower".into(), Answer::from(13)),
                        ("upper".into(), Answer::from(20)),
                    ]
                    .into_iter()
                    .collect(),
                ),
                _ => Answer::Text("Svar".into()),
            };
            answers.values.insert(id, value);
        }
    }
    answers
}

on_both_databases! {
    async fn a_small_municipality_answers_branch_three_and_submits(kind: Db) {
        let s = session(kind).await;
        let token = s.app.invite("1111", None).await;
        s.open(&format!("/svar/{token}")).await;
        s.expect_text(".for-municipality", "Sokndal").await;
        s.screenshot(&format!("journey-start-{}", tag(kind))).await;
        s.click("button.primary").await;
        // The header is prefilled from the invitation.
        let kommune = s.find("#q-kommune").await.prop("value").await.unwrap();
        assert_eq!(kommune.as_deref(), Some("1111"));
        s.type_into("#q-navn", "Kari Nordmann").await;
        s.type_into("#q-stilling", "Rådgiver").await;
        s.screenshot(&format!("journey-page-{}", tag(kind))).await;
        s.click(NEXT).await;
        s.click("#q-gate-3").await;
        s.click(NEXT).await;
        s.type_into("#q-3_1", "Liten kommune, tjenestene samarbeider tett.").await;
        for css in ["#q-3_2-2", "#q-3_3-3", "#q-3_4-2", "#q-3_6-1"] {
            s.click(css).await;
        }
        server_has(&s, &token, "3.6", json!(1)).await;
        s.expect_saved().await;
        s.click(NEXT).await;
        s.expect_text(".summary", "Alle obligatoriske spørsmål er besvart").await;
        s.screenshot(&format!("journey-summary-{}", tag(kind))).await;
        s.click(".summary .pager button.primary").await;
        s.expect_text("#receipt-heading", "Svarene er sendt inn").await;
        s.screenshot(&format!("journey-receipt-{}", tag(kind))).await;
        let st = state(&s, &token).await;
        assert_eq!(st["status"], "submitted");
        assert_eq!(st["answers"]["values"]["3.1"], "Liten kommune, tjenestene samarbeider tett.");
        assert_eq!(st["answers"]["values"]["gate"], 3);
    }

    async fn a_large_municipality_resumes_after_reload_and_submits(kind: Db) {
        let s = session(kind).await;
        let token = s.app.invite("1103", None).await;
        begin(&s, &token).await;
        s.click("#q-gate-1").await;
        s.click(NEXT).await;
        s.type_into("#q-1_1", "Uteteamet").await;
        s.click("#q-1_2-2").await;
        server_has(&s, &token, "1.2", json!(2)).await;
        // Leave and come back (same link, new page load).
        s.c.refresh().await.unwrap();
        s.expect_text(".services", "Egen oppsøkende tjeneste").await;
        s.click(".service button").await;
        s.click(NEXT).await;
        s.click(NEXT).await;
        let name = s.find("#q-1_1").await.prop("value").await.unwrap();
        assert_eq!(name.as_deref(), Some("Uteteamet"), "answers are there after reload");
        // The rest is answered from another device.
        let st = state(&s, &token).await;
        let def = SurveyDefinition::parse(KORUS_2025).unwrap();
        let saved: AnswerSet = serde_json::from_value(st["answers"].clone()).unwrap();
        let full = complete(&def, saved);
        let (code, body) = s.app.send(Method::PUT, &format!("/api/r/{token}/responses/{}", st["id"]), json!({"version": st["version"], "values": full.values})).await;
        assert_eq!(code, 200, "{body}");
        s.c.refresh().await.unwrap();
        s.click(".service button").await;
        for _ in 0..12 {
            if s.displayed("#summary-heading").await {
                break;
            }
            s.click(NEXT).await;
        }
        s.expect_text(".summary", "Alle obligatoriske spørsmål er besvart").await;
        s.click(".summary .pager button.primary").await;
        s.expect_text("#receipt-heading", "Svarene er sendt inn").await;
        assert_eq!(state(&s, &token).await["status"], "submitted");
    }

    async fn a_stale_tab_gets_the_conflict_message_and_loses_nothing(kind: Db) {
        let s = session(kind).await;
        let token = s.app.invite("0301", Some("030101")).await;
        begin(&s, &token).await;
        s.click("#q-gate-1").await;
        s.click(NEXT).await;
        s.type_into("#q-1_1", "Første").await;
        server_has(&s, &token, "1.1", json!("Første")).await;
        // Another tab saves first.
        let st = state(&s, &token).await;
        let mut values = st["answers"]["values"].clone();
        values["1.1"] = json!("Fra den andre fanen");
        let (code, _) = s.app.send(Method::PUT, &format!("/api/r/{token}/responses/{}", st["id"]), json!({"version": st["version"], "values": values})).await;
        assert_eq!(code, 200);
        // This tab edits on the old version.
        s.type_into("#q-1_3-1", "").await;
        s.click("#q-1_3-1").await;
        s.expect_text(".save-status", "endret et annet sted").await;
        s.screenshot(&format!("journey-conflict-{}", tag(kind))).await;
        let shown = s.find("#q-1_1").await.prop("value").await.unwrap();
        assert_eq!(shown.as_deref(), Some("Fra den andre fanen"), "the tab now shows the saved answers");
        let now = state(&s, &token).await;
        assert_eq!(now["answers"]["values"]["1.1"], "Fra den andre fanen", "the other tab's answer was not overwritten");
    }

    async fn bad_input_shows_norwegian_messages_and_keeps_saved_answers(kind: Db) {
        let s = session(kind).await;
        let token = s.app.invite("1106", None).await;
        begin(&s, &token).await;
        s.click("#q-gate-1").await;
        s.click(NEXT).await;
        s.click(NEXT).await;
        // Målgruppe: lower age above upper; five goals where at most four are allowed.
        s.type_into("#q-1_7-lower", "20").await;
        server_has(&s, &token, "1.7", json!({"lower": 20})).await;
        s.type_into("#q-1_7-upper", "15").await;
        s.expect_text("#e-1_7", "Nedre aldersgrense kan ikke være høyere enn øvre aldersgrense.").await;
        for code in 0..5 {
            s.click(&format!("#q-1_9-{code}")).await;
        }
        s.expect_text("#e-1_9", "Du kan velge høyst 4 alternativer.").await;
        s.click(NEXT).await;
        // Ansatte: a count that is not a number.
        s.type_into("#q-1_10", "5").await;
        server_has(&s, &token, "1.10", json!(5)).await;
        s.type_into("#q-1_10", "abc").await;
        s.expect_text("#e-1_10", "Skriv et helt tall, for eksempel 4.").await;
        s.screenshot(&format!("journey-bad-input-{}", tag(kind))).await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let st = state(&s, &token).await;
        assert_eq!(st["answers"]["values"]["1.10"], 5, "the saved count is kept");
        assert_eq!(st["answers"]["values"]["1.7"], json!({"lower": 20}), "the saved range is kept");
        assert!(st["answers"]["values"].get("1.9").is_none(), "five goals were never saved");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usable_by_keyboard_alone_and_at_320_px() {
    use fantoccini::key::Key;
    let s = session(Db::Sqlite).await;
    let token = s.app.invite("1111", None).await;
    s.open(&format!("/svar/{token}")).await;
    // Keyboard only: focus the start button, press Enter; type into the
    // focused fields; Tab to the next one; Space on a radio button; arrows move within the group.
    let (enter, tab, down) = (
        Key::Enter.to_string(),
        Key::Tab.to_string(),
        Key::Down.to_string(),
    );
    s.focus("button.primary").await;
    s.press(&enter).await;
    s.focus("#q-navn").await;
    s.press("Kari").await;
    s.press(&tab).await;
    assert_eq!(
        s.focused_id().await.as_deref(),
        Some("q-stilling"),
        "Tab moves to the next field"
    );
    s.press("Rådgiver").await;
    s.focus(".pager button.primary").await;
    s.press(&enter).await;
    s.focus("#q-gate-1").await;
    s.press(" ").await;
    s.press(&down).await;
    s.press(&down).await;
    let chosen = s.find("#q-gate-3").await.prop("checked").await.unwrap();
    assert_eq!(
        chosen.as_deref(),
        Some("true"),
        "arrow keys move the choice within the group"
    );
    s.expect_text(".position", "Side 2 av 3").await;

    // 320 CSS pixels wide (a small phone, or 200 % zoom on 640 px): nothing scrolls sideways.
    s.c.set_window_size(320, 800).await.unwrap();
    for _ in 0..2 {
        let fits =
            s.c.execute(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            fits,
            serde_json::Value::Bool(true),
            "the page scrolls sideways at 320 px"
        );
        s.click(NEXT).await;
    }
    s.screenshot("journey-320px").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autosave_retries_after_a_network_drop() {
    use crate::durability::{invite, start};
    use fantoccini::Locator;
    let dir = tempfile::tempdir().unwrap();
    let (url, _guard) = crate::helpers::fresh_database(Db::Sqlite, dir.path()).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dist = crate::browser::dist_dir().display().to_string();
    let mut server = start(&url, port, &dist).await;
    let token = invite(&url);
    let (c, _driver, _profile) = crate::browser::browser().await;
    let base = format!("http://127.0.0.1:{port}");
    c.goto(&format!("{base}/svar/{token}")).await.unwrap();
    let wait = |css: &'static str| {
        let c = c.clone();
        async move {
            c.wait()
                .at_most(std::time::Duration::from_secs(15))
                .for_element(Locator::Css(css))
                .await
                .unwrap()
        }
    };
    wait("button.primary").await.click().await.unwrap();
    wait("#q-navn").await.send_keys("Kari").await.unwrap();
    let status = |c: fantoccini::Client| async move {
        c.find(Locator::Css(".save-status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let until = |want: &'static str| {
        let c = c.clone();
        async move {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            loop {
                let t = status(c.clone()).await;
                if t.contains(want) {
                    return;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "status never said «{want}», last «{t}»"
                );
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    };
    until("Lagret kl.").await;
    // The network drops: the server is gone while the respondent types on.
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    wait("#q-stilling")
        .await
        .send_keys("Rådgiver")
        .await
        .unwrap();
    until("Ikke lagret – prøver igjen").await;
    // The server comes back on the same address; the page saves by itself.
    let _server = start(&url, port, &dist).await;
    until("Lagret kl.").await;
    let client = reqwest::Client::new();
    let view: serde_json::Value = client
        .get(format!("{base}/api/r/{token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = view["responses"][0]["id"].as_i64().unwrap();
    let st: serde_json::Value = client
        .get(format!("{base}/api/r/{token}/responses/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        st["answers"]["values"]["stilling"], "Rådgiver",
        "the edit made while the server was down was saved"
    );
}
